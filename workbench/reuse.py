"""Text reuse: the passages one document shares with another, and what each adds.

Local plans repeat the wording of the level above, and each year's report repeats much of
the last. :func:`text_reuse` finds those shared passages in four steps:

1. **Comparison text.** Each document's clean text (script, width and line breaks already
   normalised, page furniture gone) without its white space, so a passage may run across
   paragraphs and a line break never breaks a match.
2. **Shingles and an inverted index.** Every run of ``k`` characters (a *shingle*) is hashed;
   sorting all hashes of the corpus brings together the places where the same shingle occurs.
   A shingle found in at least ``common_docs`` documents is *common wording*: it is paired only
   with one representative document instead of with every other holder, so a stock formula
   costs as much as the documents that hold it, not as the pairs among them.
3. **Chains.** Hits of one document pair on the same diagonal (offset in the target minus
   offset in the source) are merged, and nearby runs on close diagonals are chained, so a
   changed character (a substitution) or a dropped 的 (a shift of the diagonal) does not break
   a passage. Only chains long enough to make a passage of ``min_chars`` are kept.
4. **Alignment.** Each chain, with a margin on both sides, is aligned with a Levenshtein
   alignment (rapidfuzz); unmatched ends are trimmed and the edit similarity measured.

Offsets are given in the clean text (``source_start`` …) and in the original file text
(``source_orig_start`` …), both usable to slice ``corpus.documents``' ``text`` and ``original``.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .align import Aligner, normalized_original
from .clean import code_points
from .corpus import Corpus

log = logging.getLogger("workbench")

SHINGLE = 8        # characters per shingle (k)
MAX_GAP = 32       # characters between two runs of hits still chained into one passage
MAX_SHIFT = 6      # change of diagonal (characters inserted or deleted) inside a passage
REPRESENTATIVES = 3  # documents a common shingle's holders are paired with
MARGIN = 12        # characters aligned beyond each end of a chain
_BASE = np.uint64(1_000_003)
_MIX = np.uint64(0x9E3779B97F4A7C15)

PASSAGE_COLUMNS = [
    "source_doc", "target_doc", "source_start", "source_end", "target_start", "target_end",
    "source_orig_start", "source_orig_end", "target_orig_start", "target_orig_end",
    "chars", "similarity", "common", "source_text", "target_text",
]
PAIR_COLUMNS = ["source_doc", "target_doc", "passages", "shared_chars", "common_chars", "target_chars", "share",
                "common_share"]
DOCUMENT_COLUMNS = ["doc_id", "chars", "sources", "shared_chars", "common_chars", "unique_chars", "shared_share",
                    "unique_share"]


@dataclass(frozen=True)
class ReuseResult:
    """What :func:`text_reuse` found.

    Attributes
    ----------
    passages : DataFrame
        One row per passage a target shares with a source: ``source_doc, target_doc``, the
        spans in the clean text (``source_start, source_end, target_start, target_end``) and
        in the original (``source_orig_start`` …, missing where the original cannot be
        matched), ``chars`` (non-space characters of the target's passage), ``similarity``
        (1 − Levenshtein distance / longer length), ``common`` (True for wording that at least
        ``common_docs`` documents share) and both passages' clean text.
    pairs : DataFrame
        One row per (source, target) with a passage: ``passages``, ``shared_chars`` (target
        characters covered by passages that are not common wording), ``common_chars``,
        ``target_chars`` and the shares ``share = shared_chars / target_chars`` and
        ``common_share``.
    documents : DataFrame
        One row per target document: ``chars``, ``sources`` (documents it shares a passage
        with), ``shared_chars`` (covered by some pair's reuse), ``common_chars`` (covered only
        by common wording), ``unique_chars`` (found in no other document: what it adds),
        ``shared_share`` and ``unique_share``.
    settings : dict
        The options and the source and target documents.
    """

    passages: pd.DataFrame
    pairs: pd.DataFrame
    documents: pd.DataFrame
    settings: dict = field(default_factory=dict)

    def __repr__(self) -> str:
        return (f"ReuseResult({len(self.passages)} passages, {len(self.pairs)} pairs, "
                f"{len(self.documents)} documents)")

    def matrix(self, *, value: str = "share") -> pd.DataFrame:
        """The pairs as a square table: rows are sources, columns targets (0 where nothing is shared)."""
        if value not in ("share", "common_share", "shared_chars", "passages"):
            raise ValueError(f"value must be share, common_share, shared_chars or passages, not {value!r}")
        sources, targets = self.settings.get("sources", []), self.settings.get("targets", [])
        table = self.pairs.pivot(index="source_doc", columns="target_doc", values=value) if len(self.pairs) else None
        full = pd.DataFrame(0.0, index=pd.Index(sources, name="source_doc"), columns=pd.Index(targets, name="target_doc"))
        if table is not None:
            full.update(table.astype(float))
        for doc in set(sources) & set(targets):
            full.loc[doc, doc] = np.nan
        return full


# --- selecting documents ----------------------------------------------------------------------


def select_documents(corpus: Corpus, spec: str | Sequence[str] | None) -> list[str]:
    """The ids a ``source``/``target`` option names, in corpus order.

    ``spec`` is ``None`` (every document), a document id, a ``column=value`` selection on
    ``corpus.documents`` (``region=全国``, ``year=2024``), or a list of these (their union).

    >>> import workbench as wb
    >>> select_documents(wb.load_corpus(), "province=安徽")
    ['004_0471c23c1b65a733']
    """
    ids = corpus.doc_ids
    if spec is None:
        return ids
    specs = [spec] if isinstance(spec, str) else list(spec)
    if not specs:
        raise ValueError("the selection is empty: give document ids or column=value")
    chosen: set[str] = set()
    for item in specs:
        if not isinstance(item, str):
            raise ValueError(f"a selection is a document id or column=value, not {item!r}")
        if item in ids:
            chosen.add(item)
            continue
        column, sep, value = item.partition("=")
        column, value = column.strip(), value.strip()
        if not sep:
            raise KeyError(f"no document {item!r}; give a document id or column=value (e.g. region=全国)")
        docs = corpus.documents
        if column not in docs.columns or column in ("original", "text"):
            allowed = [c for c in docs.columns if c not in ("original", "text")]
            raise ValueError(f"no column {column!r} to select on; columns are {', '.join(allowed)}")
        match = docs[docs[column].astype("string").fillna("") == value]["doc_id"].tolist()
        if not match:
            raise ValueError(f"no document has {column}={value}")
        chosen.update(match)
    return [d for d in ids if d in chosen]


# --- step 1 and 2: comparison text and shingles --------------------------------------------------


def comparison_text(text: str) -> tuple[np.ndarray, np.ndarray]:
    """``(codes, positions)``: the text's non-space code points and where each sits in ``text``.

    >>> codes, positions = comparison_text("推进\\n高质量 发展")
    >>> "".join(map(chr, codes)), positions.tolist()
    ('推进高质量发展', [0, 1, 3, 4, 5, 7, 8])
    """
    codes = code_points(text)
    keep = ~np.isin(codes, _SPACE_CODES)
    return codes[keep], np.flatnonzero(keep)


_SPACE_CODES = np.array([c for c in range(0x3001) if chr(c).isspace()], dtype=np.uint32)


def shingle_hashes(codes: np.ndarray, k: int = SHINGLE) -> np.ndarray:
    """64-bit hashes of every run of ``k`` code points (``len(codes) - k + 1`` of them).

    A polynomial hash, so equal runs get equal hashes wherever they occur.

    >>> h = shingle_hashes(code_points("高质量发展高质量发展"), 3)
    >>> len(h), bool(h[0] == h[5]), bool(h[0] == h[1])
    (8, True, False)
    """
    n = len(codes) - k + 1
    if n <= 0:
        return np.zeros(0, dtype=np.uint64)
    values = codes.astype(np.uint64)
    h = np.zeros(n, dtype=np.uint64)
    for j in range(k):
        h = h * _BASE + values[j:j + n]
    return (h ^ (h >> np.uint64(29))) * _MIX


def shared_shingles(a: str, b: str, *, k: int = SHINGLE) -> pd.DataFrame:
    """Every shingle two texts share: ``shingle, a_start, b_start, diagonal`` (the worked example's first step).

    >>> shared_shingles("各地要推进高质量发展", "我市推进高质量发展", k=7).to_dict("records")
    [{'shingle': '推进高质量发展', 'a_start': 3, 'b_start': 2, 'diagonal': -1}]
    """
    _check_k(k)
    ca, _ = comparison_text(a)
    cb, _ = comparison_text(b)
    ha, hb = shingle_hashes(ca, k), shingle_hashes(cb, k)
    where_b: dict[int, list[int]] = {}
    for j, h in enumerate(hb.tolist()):
        where_b.setdefault(h, []).append(j)
    text_a = "".join(map(chr, ca))
    rows = [(text_a[i:i + k], i, j, j - i) for i, h in enumerate(ha.tolist()) for j in where_b.get(h, ())]
    return pd.DataFrame(rows, columns=["shingle", "a_start", "b_start", "diagonal"])


def _check_k(k: int) -> None:
    if not isinstance(k, (int, np.integer)) or not 2 <= k <= 32:
        raise ValueError(f"k (characters per shingle) must be an integer from 2 to 32, not {k!r}")


# --- step 4: alignment ---------------------------------------------------------------------------


def align_passage(a: str, b: str) -> tuple[int, int, int, int, float] | None:
    """The best local passage two stretches of text share: ``(a_start, a_end, b_start, b_end, similarity)``.

    rapidfuzz's Levenshtein alignment gives the edit script; along it a matching character
    scores +1 and an edited one −1, and the passage is the stretch with the highest score
    (a local alignment on the global path, found like a maximum subarray), so unmatched
    ends fall away. ``similarity`` is 1 − edit distance / longer length over the passage.
    None when nothing matches.

    >>> align_passage("前文加快建设现代化产业体系推动高质量发展", "另起加快建设现代化产业体系促进高质量发展")
    (2, 20, 2, 20, 0.8889)
    """
    found = _local_alignment(a, b)
    return None if found is None else found[:5]


def _local_alignment(a: str, b: str):
    """:func:`align_passage` plus the passage's length on the shorter side counting edited ends
    that cost no score (one changed character followed by one matching one), for ``min_chars``."""
    from rapidfuzz.distance import Levenshtein

    ops = [(op.tag == "equal", op.src_start, op.src_end, op.dest_start, op.dest_end)
           for op in Levenshtein.opcodes(a, b)]
    weights = [(s1 - s0) if same else -max(s1 - s0, d1 - d0) for same, s0, s1, d0, d1 in ops]
    best, best_range, running, first = 0, None, 0, 0
    for i, w in enumerate(weights):
        if running <= 0:
            running, first = 0, i
        running += w
        if running > best:
            best, best_range = running, (first, i)
    if best_range is None:
        return None
    i, j = best_range
    lo, hi = i, j  # reach: extend over ends that cost nothing
    gain = 0
    for x in range(i - 1, -1, -1):
        gain += weights[x]
        if gain >= 0:
            lo = x
    gain = 0
    for x in range(j + 1, len(weights)):
        gain += weights[x]
        if gain >= 0:
            hi = x
    a0, b0, a1, b1 = ops[i][1], ops[i][3], ops[j][2], ops[j][4]
    similarity = round(float(Levenshtein.normalized_similarity(a[a0:a1], b[b0:b1])), 4)
    reach = min(ops[hi][2] - ops[lo][1], ops[hi][4] - ops[lo][3])
    return a0, a1, b0, b1, similarity, reach


# --- the corpus function -------------------------------------------------------------------------


def text_reuse(
    corpus: Corpus,
    source: str | Sequence[str] | None = None,
    target: str | Sequence[str] | None = None,
    *,
    min_chars: int = 50,
    min_similarity: float = 0.8,
    common_docs: int = 5,
    k: int = SHINGLE,
) -> ReuseResult:
    """Passages the ``target`` documents share with the ``source`` documents, and what each target adds.

    Parameters
    ----------
    corpus : Corpus
    source, target : str, list of str or None
        Document ids or ``column=value`` selections (``"region=全国"``, ``"year=2024"``), or a
        list of them; ``None`` is every document. A document is never compared with itself.
    min_chars : int
        The shortest passage reported, in non-space characters (on both sides).
    min_similarity : float
        The lowest edit similarity (0–1) of a reported passage; one character in twenty
        changed gives about 0.95.
    common_docs : int
        Wording found in at least this many of the compared documents is common wording
        (``common=True``): reported apart from reuse between a pair, against one representative
        document rather than every other holder.
    k : int
        Characters per shingle. Shorter finds passages with denser edits and costs more.

    Returns
    -------
    ReuseResult

    Notes
    -----
    A passage with ``m`` characters changed out of ``n`` keeps runs of unchanged characters
    between the edits; every run of at least ``k`` characters gives hits in the index, and runs
    closer than ``MAX_GAP`` characters are chained. Only the chains are aligned, never all
    pairs: the work grows with the text that is shared, not with the number of pairs.
    ``similarity`` is :math:`1 - d(a, b) / \\max(|a|, |b|)` with :math:`d` the Levenshtein distance.

    Examples
    --------
    >>> import workbench as wb
    >>> result = text_reuse(wb.load_corpus(), min_chars=30)
    >>> result.passages[["source_doc", "target_doc", "chars"]].head(2).to_dict("records")  # doctest: +SKIP
    """
    if not isinstance(min_chars, (int, np.integer)) or min_chars < 10:
        raise ValueError(f"min_chars must be an integer of at least 10, not {min_chars!r}")
    if not 0 < min_similarity <= 1:
        raise ValueError(f"min_similarity must be in (0, 1], not {min_similarity!r}")
    if not isinstance(common_docs, (int, np.integer)) or common_docs < 3:
        raise ValueError(f"common_docs must be an integer of at least 3, not {common_docs!r}")
    _check_k(k)
    if k > min_chars // 2:
        raise ValueError(f"k ({k}) must be at most half of min_chars ({min_chars})")
    sources = select_documents(corpus, source)
    targets = select_documents(corpus, target)
    if set(sources) | set(targets) == set(sources) and set(sources) == set(targets) and len(sources) < 2:
        raise ValueError("text reuse needs at least two documents")
    settings = dict(min_chars=int(min_chars), min_similarity=float(min_similarity), common_docs=int(common_docs),
                    k=int(k), source=source, target=target, sources=sources, targets=targets)
    docs = [d for d in corpus.doc_ids if d in set(sources) | set(targets)]
    texts = dict(zip(corpus.documents["doc_id"], corpus.documents["text"]))
    compared = [comparison_text(texts[d]) for d in docs]
    is_source = np.array([d in set(sources) for d in docs])
    is_target = np.array([d in set(targets) for d in docs])
    hits = _hits(compared, is_source, is_target, k=k, common_docs=common_docs)
    log.info("text reuse: %d documents, %d shingle hits", len(docs), len(hits[0]))
    chains = _chains(*hits, k=k, min_chars=min_chars)
    log.info("text reuse: %d chains to align", len(chains))
    found = _align_chains(chains, compared, min_chars=min_chars, min_similarity=min_similarity)
    passages = _passage_table(found, docs, compared, corpus, is_source, is_target)
    pairs, documents = _shares(passages, [d for d in docs if d in set(targets)], compared, docs)
    return ReuseResult(passages, pairs, documents, settings)


def _hits(compared, is_source, is_target, *, k: int, common_docs: int):
    """Shingle hits between documents: ``(doc_a, doc_b, pos_a, pos_b, common)`` with ``doc_a < doc_b``."""
    hashes = [shingle_hashes(codes, k) for codes, _ in compared]
    sizes = np.array([len(h) for h in hashes])
    all_hash = np.concatenate(hashes) if hashes else np.zeros(0, np.uint64)
    all_doc = np.repeat(np.arange(len(hashes), dtype=np.int32), sizes)
    all_pos = np.concatenate([np.arange(n, dtype=np.int32) for n in sizes]) if hashes else np.zeros(0, np.int32)
    del hashes
    order = np.argsort(all_hash, kind="stable")  # stable: documents stay in order within a shingle
    h, doc, pos = all_hash[order], all_doc[order], all_pos[order]
    del all_hash, all_doc, all_pos, order
    starts = np.flatnonzero(np.r_[True, h[1:] != h[:-1]])
    sizes = np.diff(np.r_[starts, len(h)])
    new_doc = np.r_[True, (doc[1:] != doc[:-1]) | (h[1:] != h[:-1])]
    n_docs = np.add.reduceat(new_doc.astype(np.int32), starts) if len(h) else np.zeros(0, np.int32)
    shared = n_docs >= 2
    common = shared & ((n_docs >= common_docs) | (sizes > 4 * common_docs))
    parts = []
    for size in np.unique(sizes[shared & ~common]):  # every pair of holders of a rare shingle
        group = starts[(sizes == size) & shared & ~common]
        i, j = np.triu_indices(int(size), 1)
        a = (group[:, None] + i).ravel()
        b = (group[:, None] + j).ravel()
        parts.append((a, b, False))
    if common.any():  # a common shingle: each holder against the group's first few source documents
        group_of = np.repeat(np.arange(len(starts)), sizes)
        entry_common = common[group_of]
        first_src = new_doc & is_source[doc] & entry_common  # a source document's first entry in the group
        rank = np.cumsum(first_src)
        rank -= (rank - first_src)[starts][group_of]  # 1, 2, … within each group
        for r in range(1, REPRESENTATIVES + 1):
            rep = np.full(len(starts), -1)
            chosen = np.flatnonzero(first_src & (rank == r))
            rep[group_of[chosen]] = chosen
            b = np.flatnonzero(entry_common & (rep[group_of] >= 0))
            parts.append((rep[group_of[b]], b, True))
    if not parts:
        empty = np.zeros(0, np.int32)
        return empty, empty, empty, empty, np.zeros(0, bool)
    a = np.concatenate([p[0] for p in parts])
    b = np.concatenate([p[1] for p in parts])
    flag = np.concatenate([np.full(len(p[0]), p[2]) for p in parts])
    da, db = doc[a], doc[b]
    keep = (da != db) & ((is_source[da] & is_target[db]) | (is_source[db] & is_target[da]))
    a, b, flag = a[keep], b[keep], flag[keep]
    swap = doc[a] > doc[b]
    a, b = np.where(swap, b, a), np.where(swap, a, b)
    return doc[a], doc[b], pos[a], pos[b], flag


def _chains(doc_a, doc_b, pos_a, pos_b, flag, *, k: int, min_chars: int) -> list[tuple]:
    """Hits merged into runs on one diagonal, runs chained into candidate passages.

    Each chain is ``(doc_a, doc_b, a_start, a_end, b_start, b_end, common_fraction)`` in
    comparison-text offsets.
    """
    if not len(doc_a):
        return []
    diag = pos_b.astype(np.int64) - pos_a
    order = np.lexsort((pos_a, diag, doc_b, doc_a))
    doc_a, doc_b, pos_a, diag, flag = doc_a[order], doc_b[order], pos_a[order], diag[order], flag[order]
    new = np.r_[True, (doc_a[1:] != doc_a[:-1]) | (doc_b[1:] != doc_b[:-1]) | (diag[1:] != diag[:-1])
                | (pos_a[1:] - pos_a[:-1] > MAX_GAP)]
    first = np.flatnonzero(new)
    last = np.r_[first[1:], len(new)] - 1
    runs = pd.DataFrame({
        "a": doc_a[first], "b": doc_b[first], "diag": diag[first], "start": pos_a[first],
        "end": pos_a[last] + k, "hits": last - first + 1,
        "common": np.add.reduceat(flag.astype(np.int32), first),
    })
    # a pair needs hits enough for one passage before its runs are chained
    enough = runs.groupby(["a", "b"])["hits"].transform("sum") >= max(min_chars // 4, 2)
    runs = runs[enough].sort_values(["a", "b", "start", "diag"], kind="stable")
    min_span = max(min_chars - 2 * MARGIN, k)
    chains: list[tuple] = []
    open_chains: list[list] = []
    current = None

    def close(chain) -> None:
        a_start, a_end, b_start, _diag, b_end, hits, common, covered, pair = chain
        if a_end - a_start >= min_span and covered >= min_chars // 2:
            chains.append((*pair, a_start, a_end, b_start, b_end, common / hits))

    for a, b, diag_, start, end, hits, common in zip(*(runs[c].tolist() for c in
                                                       ("a", "b", "diag", "start", "end", "hits", "common"))):
        if (a, b) != current:
            for chain in open_chains:
                close(chain)
            open_chains, current = [], (a, b)
        still_open = []
        for chain in open_chains:  # chains this run is too far from are finished
            if start <= chain[1] + MAX_GAP:
                still_open.append(chain)
            else:
                close(chain)
        open_chains = still_open
        for chain in open_chains:
            if abs(diag_ - chain[3]) <= MAX_SHIFT:
                chain[7] += max(0, end - max(start, chain[1]))
                chain[1] = max(chain[1], end)
                chain[2] = min(chain[2], start + diag_)
                chain[3] = diag_
                chain[4] = max(chain[4], end + diag_)
                chain[5] += hits
                chain[6] += common
                break
        else:
            open_chains.append([start, end, start + diag_, diag_, end + diag_, hits, common, end - start, (a, b)])
    for chain in open_chains:
        close(chain)
    return chains


def _align_chains(chains, compared, *, min_chars: int, min_similarity: float) -> list[tuple]:
    """Align each chain with a margin, widening the window while the passage reaches its edge;
    keep passages long and similar enough, one per stretch of text."""
    strings: dict[int, str] = {}

    def text_of(i: int) -> str:
        if i not in strings:
            strings[i] = compared[i][0].tobytes().decode("utf-32-le", "surrogatepass")
        return strings[i]

    found = set()
    for a, b, a0, a1, b0, b1, common in chains:
        sa, sb = text_of(a), text_of(b)
        left = right = MARGIN
        for _ in range(8):
            lo_a, hi_a = max(a0 - left, 0), min(a1 + right, len(sa))
            lo_b, hi_b = max(b0 - left, 0), min(b1 + right, len(sb))
            span = _local_alignment(sa[lo_a:hi_a], sb[lo_b:hi_b])
            if span is None:
                break
            x0, x1, y0, y1, similarity, reach = span
            # the passage may go on beyond the window (hits of common wording are not paired): widen it
            grow_left = (x0 < MARGIN // 2 and lo_a > 0) or (y0 < MARGIN // 2 and lo_b > 0)
            grow_right = (hi_a - lo_a - x1 < MARGIN // 2 and hi_a < len(sa)) or \
                         (hi_b - lo_b - y1 < MARGIN // 2 and hi_b < len(sb))
            if not (grow_left or grow_right):
                break
            left, right = left * 4 if grow_left else left, right * 4 if grow_right else right
        if span is None:
            continue
        if reach >= min_chars and similarity >= min_similarity:
            found.add((a, b, lo_a + x0, lo_a + x1, lo_b + y0, lo_b + y1, similarity, common > 0.5))
    return _distinct(sorted(found))


def _distinct(found: list[tuple]) -> list[tuple]:
    """Of passages of one pair covering mostly the same text on both sides, the longest."""
    kept: list[tuple] = []
    by_pair: dict[tuple, list[tuple]] = {}
    for passage in sorted(found, key=lambda p: (p[0], p[1], -(p[3] - p[2]), p[2])):
        others = by_pair.setdefault(passage[:2], [])
        a0, a1, b0, b1 = passage[2:6]
        if any(_overlap(a0, a1, o[2], o[3]) > 0.5 * (a1 - a0) and _overlap(b0, b1, o[4], o[5]) > 0.5 * (b1 - b0)
               for o in others):
            continue
        others.append(passage)
        kept.append(passage)
    return sorted(kept)


def _overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


class _OriginalMap:
    """Clean offsets of one document to offsets in its original text, through its paragraphs.

    A paragraph's non-space characters are consecutive non-space characters of the
    normalised original from the paragraph's ``orig_start`` on (cleaning only drops white
    space and whole lines); the offset is checked character by character.
    """

    def __init__(self, text: str, original: str, positions: np.ndarray, paragraphs: pd.DataFrame):
        self.text, self.positions = text, positions
        self.aligner = Aligner(normalized_original(original))
        self.starts = paragraphs["start"].to_numpy()
        self.orig_starts = paragraphs["orig_start"].to_numpy(dtype=float, na_value=np.nan)

    def __call__(self, start: int, end: int) -> tuple[int | None, int | None]:
        first, last = self._one(start), self._one(end - 1)
        return first, None if last is None else last + 1

    def _one(self, offset: int) -> int | None:
        p = int(np.searchsorted(self.starts, offset, side="right")) - 1
        if p < 0 or np.isnan(self.orig_starts[p]):
            return None
        before = int(np.searchsorted(self.positions, offset) - np.searchsorted(self.positions, self.starts[p]))
        j = int(np.searchsorted(self.aligner.positions, int(self.orig_starts[p]))) + before
        if j >= len(self.aligner.positions) or self.aligner.compact[j] != self.text[offset]:
            return None
        return int(self.aligner.positions[j])


def _passage_table(found, docs, compared, corpus: Corpus, is_source, is_target) -> pd.DataFrame:
    rows = []
    for a, b, a0, a1, b0, b1, similarity, common in found:
        for s, t, s0, s1, t0, t1 in ((a, b, a0, a1, b0, b1), (b, a, b0, b1, a0, a1)):
            if is_source[s] and is_target[t]:
                rows.append((s, t, s0, s1, t0, t1, similarity, common))
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype=_dtype(c)) for c in PASSAGE_COLUMNS})
    involved = {docs[r[0]] for r in rows} | {docs[r[1]] for r in rows}
    documents = corpus.documents[corpus.documents["doc_id"].isin(involved)]
    paragraphs = dict(list(corpus.paragraphs[corpus.paragraphs["doc_id"].isin(involved)].groupby("doc_id")))
    index = {d: i for i, d in enumerate(docs)}
    maps = {d: _OriginalMap(text, original, compared[index[d]][1], paragraphs[d])
            for d, text, original in zip(documents["doc_id"], documents["text"], documents["original"])}
    out = []
    for s, t, s0, s1, t0, t1, similarity, common in rows:
        record = {"source_doc": docs[s], "target_doc": docs[t]}
        for side, doc, c0, c1 in (("source", s, s0, s1), ("target", t, t0, t1)):
            positions, mapper = compared[doc][1], maps[docs[doc]]
            start, end = int(positions[c0]), int(positions[c1 - 1]) + 1
            o_start, o_end = mapper(start, end)
            record.update({f"{side}_start": start, f"{side}_end": end, f"{side}_orig_start": o_start,
                           f"{side}_orig_end": o_end, f"{side}_text": mapper.text[start:end]})
        record.update(chars=int(t1 - t0), similarity=float(similarity), common=bool(common))
        out.append(record)
    passages = pd.DataFrame(out)[PASSAGE_COLUMNS]
    for col in ("source_orig_start", "source_orig_end", "target_orig_start", "target_orig_end"):
        passages[col] = passages[col].astype("Int64")
    return passages.sort_values(["target_doc", "target_start", "source_doc", "source_start"],
                                kind="stable").reset_index(drop=True)


def _dtype(column: str):
    if column in ("source_doc", "target_doc", "source_text", "target_text"):
        return "str"
    if column == "similarity":
        return float
    if column == "common":
        return bool
    return "Int64" if "orig" in column else int


def _covered(length: int, spans: Iterable[tuple[int, int]]) -> np.ndarray:
    mask = np.zeros(length, dtype=bool)
    for start, end in spans:
        mask[start:end] = True
    return mask


def _shares(passages: pd.DataFrame, targets: list[str], compared, docs: list[str]):
    """The pairs and documents tables, counted in non-space characters of the target."""
    index = {d: i for i, d in enumerate(docs)}
    spans: dict[tuple[str, str], list[tuple[int, int, bool]]] = {}
    for s, t, start, end, common in zip(*(passages[c].tolist() for c in
                                           ("source_doc", "target_doc", "target_start", "target_end", "common"))):
        pos = compared[index[t]][1]  # clean offsets to comparison-text offsets
        spans.setdefault((s, t), []).append((int(np.searchsorted(pos, start)), int(np.searchsorted(pos, end)), common))
    pair_rows = []
    shared_mask: dict[str, np.ndarray] = {}
    common_mask: dict[str, np.ndarray] = {}
    n_sources: dict[str, int] = {}
    for (s, t), found in sorted(spans.items()):
        n = len(compared[index[t]][1])
        shared = _covered(n, [(a, b) for a, b, c in found if not c])
        common = _covered(n, [(a, b) for a, b, c in found if c])
        shared_mask[t] = shared_mask.get(t, np.zeros(n, bool)) | shared
        common_mask[t] = common_mask.get(t, np.zeros(n, bool)) | common
        n_sources[t] = n_sources.get(t, 0) + 1
        pair_rows.append((s, t, len(found), int(shared.sum()), int(common.sum()), n, _ratio(shared.sum(), n),
                          _ratio(common.sum(), n)))
    pairs = pd.DataFrame(pair_rows, columns=PAIR_COLUMNS).astype(
        {"passages": int, "shared_chars": int, "common_chars": int, "target_chars": int, "share": float,
         "common_share": float})
    doc_rows = []
    for t in targets:
        n = len(compared[index[t]][1])
        shared = shared_mask.get(t, np.zeros(n, bool))
        either = shared | common_mask.get(t, np.zeros(n, bool))
        unique = n - int(either.sum())
        doc_rows.append((t, n, n_sources.get(t, 0), int(shared.sum()), int(either.sum() - shared.sum()), unique,
                         _ratio(shared.sum(), n), _ratio(unique, n)))
    documents = pd.DataFrame(doc_rows, columns=DOCUMENT_COLUMNS).astype(
        {"chars": int, "sources": int, "shared_chars": int, "common_chars": int, "unique_chars": int,
         "shared_share": float, "unique_share": float})
    return pairs, documents


def _ratio(part, whole) -> float:
    return float(part) / whole if whole else 0.0
