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
from .corpus import Corpus, combine_corpora  # noqa: F401 - combine_corpora was defined here

log = logging.getLogger("workbench")

SHINGLE = 8        # characters per shingle (k)
MAX_GAP = 32       # characters between two runs of hits still chained into one passage
MAX_SHIFT = 6      # change of diagonal (characters inserted or deleted) inside a passage
REPRESENTATIVES = 3  # documents a common shingle's holders are paired with
COMMON_SAMPLE = 4    # one common shingle in this many is indexed
CHAIN_SHARE = 0.25   # a chain is aligned when its hits cover this share of min_chars
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
    >>> select_documents(wb.load_corpus(), "province=安徽省")
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
    """:func:`align_passage` plus the passage's reach for ``min_chars``: its length on the shorter
    side counting one changed character at either end (and the matching ones beyond it)."""
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
    lo, hi = i, j  # reach: over one changed character at either end and the matching ones beyond it
    if i >= 1 and weights[i - 1] == -1:
        lo = i - 2 if i >= 2 and ops[i - 2][0] else i - 1
    if j + 1 < len(ops) and weights[j + 1] == -1:
        hi = j + 2 if j + 2 < len(ops) and ops[j + 2][0] else j + 1
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
        The shortest passage reported, in non-space characters (on both sides). A changed
        character at either end of a passage counts towards it (the passage's boundaries
        stop before it), so a planted passage whose first or last character was edited
        is still reported.
    min_similarity : float
        The lowest edit similarity (0–1) of a reported passage; one character in twenty
        changed gives about 0.95.
    common_docs : int
        Wording found in at least this many documents of the corpus is common wording
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
    >>> result.passages.loc[0, ["source_doc", "target_doc", "target_text"]].to_dict()
    {'source_doc': '003_75a5bbd56f8ce010', 'target_doc': '002_049a35ec4ac63eb7', 'target_text': '意识形态，深入落实意识形态工作责任制，牢牢掌握意识形态工作领导权'}
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
    if set(sources) == set(targets) and len(sources) < 2:
        raise ValueError(f"text reuse needs two documents or more; the selection has only {', '.join(sources)}")
    settings = dict(min_chars=int(min_chars), min_similarity=float(min_similarity), common_docs=int(common_docs),
                    k=int(k), source=source, target=target, sources=sources, targets=targets)
    docs = corpus.doc_ids  # every document counts towards common wording; only sources × targets are paired
    texts = dict(zip(corpus.documents["doc_id"], corpus.documents["text"]))
    compared = [comparison_text(texts[d]) for d in docs]
    is_source = np.array([d in set(sources) for d in docs])
    is_target = np.array([d in set(targets) for d in docs])
    hits, common_at = _hits(compared, is_source, is_target, k=k, common_docs=common_docs)
    log.info("text reuse: %d documents, %d shingle hits", len(docs), len(hits[0]))
    chains = _chains(*hits, k=k, min_chars=min_chars)
    log.info("text reuse: %d chains to align", len(chains))
    found = _align_chains(chains, compared, common_at, k=k, min_chars=min_chars, min_similarity=min_similarity)
    passages = _passage_table(found, docs, compared, corpus, is_source, is_target)
    pairs, documents = _shares(passages, [d for d in docs if d in set(targets)], compared, docs)
    return ReuseResult(passages, pairs, documents, settings)


def _hits(compared, is_source, is_target, *, k: int, common_docs: int):
    """Shingle hits between documents: ``(doc_a, doc_b, pos_a, pos_b, common)`` with ``doc_a < doc_b``.

    Only shingles held by two documents or more are kept after the sort; a common shingle
    (at least ``common_docs`` holders) is sampled (one in ``COMMON_SAMPLE``, chosen by its
    hash so every holder keeps the same ones) and paired with ``REPRESENTATIVES`` holders.
    """
    hashes = [shingle_hashes(codes, k) for codes, _ in compared]
    sizes = np.array([len(h) for h in hashes], dtype=np.int64)
    offsets = np.cumsum(sizes) - sizes
    common_at = np.zeros(int(sizes.sum()), dtype=bool)  # is the shingle at each place common wording?
    empty = np.zeros(0, np.int32)
    if not sizes.sum():
        return (empty, empty, empty, empty, np.zeros(0, bool)), common_at
    h = np.concatenate(hashes)
    del hashes
    doc = np.repeat(np.arange(len(sizes), dtype=np.int32), sizes)
    pos = (np.arange(len(h), dtype=np.int64) - np.repeat(np.cumsum(sizes) - sizes, sizes)).astype(np.int32)
    order = np.argsort(h, kind="stable")  # stable: documents stay in order within a shingle
    h, doc, pos = h[order], doc[order], pos[order]
    del order
    same_as_next = h[1:] == h[:-1]
    shared_entry = np.r_[same_as_next, False] | np.r_[False, same_as_next]
    h, doc, pos = h[shared_entry], doc[shared_entry], pos[shared_entry]  # shingles held more than once
    del same_as_next, shared_entry
    if not len(h):
        return (empty, empty, empty, empty, np.zeros(0, bool)), common_at
    first = np.r_[True, h[1:] != h[:-1]]
    starts = np.flatnonzero(first)
    sizes = np.diff(np.r_[starts, len(h)])
    new_doc = first | np.r_[True, doc[1:] != doc[:-1]]
    n_docs = np.add.reduceat(new_doc.astype(np.int32), starts)
    shared = n_docs >= 2
    common = shared & ((n_docs >= common_docs) | (sizes > 4 * common_docs))
    group_of = np.repeat(np.arange(len(starts), dtype=np.int32), sizes)
    held_widely = common[group_of]
    common_at[offsets[doc[held_widely]] + pos[held_widely]] = True
    del held_widely
    parts = []
    rare = shared & ~common
    for size in np.unique(sizes[rare]):  # every pair of holders of a rare shingle
        group = starts[(sizes == size) & rare].astype(np.int32)
        i, j = np.triu_indices(int(size), 1)
        parts.append(((group[:, None] + i.astype(np.int32)).ravel(), (group[:, None] + j.astype(np.int32)).ravel(),
                      False))
    sampled = common & (h[starts] % np.uint64(COMMON_SAMPLE) == 0)
    if sampled.any():  # a common shingle: each holder against the group's first few source documents
        entry_common = sampled[group_of]
        first_src = new_doc & is_source[doc] & entry_common  # a source document's first entry in the group
        rank = np.cumsum(first_src, dtype=np.int32)
        rank -= (rank - first_src)[starts][group_of]  # 1, 2, … within each group
        for r in range(1, REPRESENTATIVES + 1):
            rep = np.full(len(starts), -1, dtype=np.int32)
            chosen = np.flatnonzero(first_src & (rank == r)).astype(np.int32)
            rep[group_of[chosen]] = chosen
            b = np.flatnonzero(entry_common & (rep[group_of] >= 0)).astype(np.int32)
            parts.append((rep[group_of[b]], b, True))
    if not parts:
        return (empty, empty, empty, empty, np.zeros(0, bool)), common_at
    a = np.concatenate([p[0] for p in parts])
    b = np.concatenate([p[1] for p in parts])
    flag = np.concatenate([np.full(len(p[0]), p[2]) for p in parts])
    del parts
    da, db = doc[a], doc[b]
    keep = (da != db) & ((is_source[da] & is_target[db]) | (is_source[db] & is_target[da]))
    da, db, pa, pb, flag = da[keep], db[keep], pos[a[keep]], pos[b[keep]], flag[keep]
    swap = da > db
    return (np.where(swap, db, da), np.where(swap, da, db), np.where(swap, pb, pa), np.where(swap, pa, pb), flag), \
        common_at


def _chains(doc_a, doc_b, pos_a, pos_b, flag, *, k: int, min_chars: int) -> list[tuple]:
    """Hits merged into runs on one diagonal, runs chained into candidate passages.

    Runs of one pair whose diagonals fall in the same band of ``2 * MAX_SHIFT`` (and, in a
    second pass, in bands shifted by half a band) and lie within ``MAX_GAP`` of each other
    form a chain. Each chain is ``(doc_a, doc_b, a_start, a_end, b_start, b_end,
    common_fraction)`` in comparison-text offsets.
    """
    if not len(doc_a):
        return []
    pair = doc_a.astype(np.int64) * (int(doc_b.max()) + 1) + doc_b
    diag = pos_b.astype(np.int64) - pos_a
    order = np.lexsort((pos_a, diag, pair))
    pair, pos_a, diag, flag = pair[order], pos_a[order].astype(np.int64), diag[order], flag[order]
    del order
    new = np.r_[True, (pair[1:] != pair[:-1]) | (diag[1:] != diag[:-1]) | (pos_a[1:] - pos_a[:-1] > MAX_GAP)]
    first = np.flatnonzero(new)
    last = np.r_[first[1:], len(new)] - 1
    run_pair, run_diag, run_start, run_end = pair[first], diag[first], pos_a[first], pos_a[last] + k
    run_common = np.add.reduceat(flag.astype(np.int32), first)
    run_hits = last - first + 1
    del pair, pos_a, diag, flag, new, first, last
    n_b = int(doc_b.max()) + 1
    found = set()
    for shift in (0, MAX_SHIFT):  # two diagonals at most MAX_SHIFT apart share a band in one of the passes
        band = np.floor_divide(run_diag + shift, 2 * MAX_SHIFT)
        order = np.lexsort((run_start, band, run_pair))
        p, d, st, en = run_pair[order], run_diag[order], run_start[order], run_end[order]
        group = np.r_[True, (p[1:] != p[:-1]) | (band[order][1:] != band[order][:-1])]
        gid = np.cumsum(group)
        reach = np.maximum.accumulate(en + gid * (int(en.max()) + MAX_GAP + 1)) - gid * (int(en.max()) + MAX_GAP + 1)
        new = group | np.r_[True, st[1:] > reach[:-1] + MAX_GAP]
        first = np.flatnonzero(new)
        a_start, a_end = st[first], np.maximum.reduceat(en, first)
        b_start, b_end = np.minimum.reduceat(st + d, first), np.maximum.reduceat(en + d, first)
        covered = np.minimum(np.add.reduceat(en - st, first), a_end - a_start)
        hits = np.add.reduceat(run_hits[order], first)
        common = np.add.reduceat(run_common[order], first)
        weighted = common * COMMON_SAMPLE  # common shingles are sampled: each hit stands for COMMON_SAMPLE
        keep = (a_end - a_start >= max(min_chars * CHAIN_SHARE, k)) & (covered >= min_chars * CHAIN_SHARE)
        for row in zip((p[first] // n_b)[keep].tolist(), (p[first] % n_b)[keep].tolist(), a_start[keep].tolist(),
                       a_end[keep].tolist(), b_start[keep].tolist(), b_end[keep].tolist(),
                       (weighted[keep] / (weighted[keep] + hits[keep] - common[keep])).tolist()):
            found.add(row)
    return sorted(found)


def _align_chains(chains, compared, common_at, *, k: int, min_chars: int, min_similarity: float) -> list[tuple]:
    """Align each chain with a margin, widening the window while the passage reaches its edge;
    keep passages long and similar enough, one per stretch of text.

    A passage is common wording when most of its shingles (on both sides, on average) are
    held by ``common_docs`` documents or more, whichever pair it was found in.
    """
    sizes = np.array([max(len(codes) - k + 1, 0) for codes, _ in compared], dtype=np.int64)
    offsets = np.cumsum(sizes) - sizes

    def common_share(doc: int, start: int, end: int) -> float:
        flags = common_at[offsets[doc] + start:offsets[doc] + max(end - k + 1, start + 1)]
        return float(flags.mean()) if len(flags) else 0.0

    strings: dict[int, str] = {}

    def text_of(i: int) -> str:
        if i not in strings:
            strings[i] = compared[i][0].tobytes().decode("utf-32-le", "surrogatepass")
        return strings[i]

    found = set()
    for a, b, a0, a1, b0, b1, _common in chains:
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
            a0_, a1_, b0_, b1_ = lo_a + x0, lo_a + x1, lo_b + y0, lo_b + y1
            common = (common_share(a, a0_, a1_) + common_share(b, b0_, b1_)) / 2 > 0.5
            found.add((a, b, a0_, a1_, b0_, b1_, similarity, common))
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


def original_offsets(text: str, original: str, paragraphs: pd.DataFrame, offsets) -> np.ndarray:
    """Offsets of characters of the clean ``text`` in the ``original`` (-1 where unknown).

    A paragraph's non-space characters are consecutive non-space characters of the
    normalised original from the paragraph's ``orig_start`` on (cleaning only drops white
    space and whole lines); each mapped character is checked against the original.
    ``paragraphs`` are the document's rows of ``corpus.paragraphs``.

    >>> import workbench as wb
    >>> corpus = wb.load_corpus()
    >>> doc = corpus.document("001_534d44b1b875ba47")
    >>> paras = corpus.paragraphs[corpus.paragraphs["doc_id"] == doc["doc_id"]]
    >>> at = original_offsets(doc["text"], doc["original"], paras, [0, 1])
    >>> doc["text"][:2], doc["original"][at[0]] + doc["original"][at[1]]
    ('泗洪', '泗洪')
    """
    offsets = np.asarray(offsets, dtype=np.int64)
    _, positions = comparison_text(text)
    found = Aligner(normalized_original(original))
    starts = paragraphs["start"].to_numpy(dtype=np.int64)
    orig_starts = paragraphs["orig_start"].to_numpy(dtype=float, na_value=np.nan)
    p = np.searchsorted(starts, offsets, side="right") - 1
    known = (p >= 0) & ~np.isnan(orig_starts[np.maximum(p, 0)])
    p = np.maximum(p, 0)
    before = np.searchsorted(positions, offsets) - np.searchsorted(positions, starts[p])
    first = np.searchsorted(found.positions, np.nan_to_num(orig_starts[p], nan=0).astype(np.int64))
    j = first + before
    known &= (j >= 0) & (j < len(found.positions))
    j = np.where(known, j, 0)
    compact = code_points(found.compact) if found.compact else np.zeros(1, np.uint32)
    codes = code_points(text)
    known &= compact[np.minimum(j, len(compact) - 1)] == codes[np.minimum(offsets, len(codes) - 1)]
    return np.where(known, found.positions[j] if len(found.positions) else 0, -1)


def _passage_table(found, docs, compared, corpus: Corpus, is_source, is_target) -> pd.DataFrame:
    rows = []
    for a, b, a0, a1, b0, b1, similarity, common in found:
        for s, t, s0, s1, t0, t1 in ((a, b, a0, a1, b0, b1), (b, a, b0, b1, a0, a1)):
            if is_source[s] and is_target[t]:
                rows.append((s, t, s0, s1, t0, t1, similarity, common))
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype=_dtype(c)) for c in PASSAGE_COLUMNS})
    table = pd.DataFrame(rows, columns=["s", "t", "s0", "s1", "t0", "t1", "similarity", "common"])
    table = table.sort_values(["t", "t0", "s", "s0"], kind="stable").reset_index(drop=True)
    columns: dict[str, object] = {"source_doc": np.array(docs, dtype=object)[table["s"]],
                                  "target_doc": np.array(docs, dtype=object)[table["t"]]}
    involved = sorted(set(table["s"]) | set(table["t"]))
    wanted = corpus.documents["doc_id"].isin([docs[i] for i in involved])
    texts = dict(zip(corpus.documents["doc_id"][wanted], corpus.documents["text"][wanted]))
    originals = dict(zip(corpus.documents["doc_id"][wanted], corpus.documents["original"][wanted]))
    paragraphs = dict(list(corpus.paragraphs[corpus.paragraphs["doc_id"].isin(texts)].groupby("doc_id", sort=False)))
    clean = {}  # clean offsets of every start and end, per side
    for side, d, c0, c1 in (("source", "s", "s0", "s1"), ("target", "t", "t0", "t1")):
        doc_of = table[d].to_numpy()
        positions_start = np.zeros(len(table), np.int64)
        positions_end = np.zeros(len(table), np.int64)
        for doc, rows_of in table.groupby(d, sort=False).indices.items():
            positions = compared[doc][1]
            positions_start[rows_of] = positions[table[c0].to_numpy()[rows_of]]
            positions_end[rows_of] = positions[table[c1].to_numpy()[rows_of] - 1] + 1
        clean[side] = (doc_of, positions_start, positions_end)
    mapped = {}  # one mapping per document for the offsets of both sides
    for doc in involved:
        wanted_offsets = np.unique(np.concatenate(
            [np.r_[start[doc_of == doc], end[doc_of == doc] - 1] for doc_of, start, end in clean.values()]))
        doc_id = docs[doc]
        mapped[doc] = dict(zip(wanted_offsets.tolist(), original_offsets(
            texts[doc_id], originals[doc_id], paragraphs[doc_id], wanted_offsets).tolist()))
    for side, (doc_of, start, end) in clean.items():
        o_start = np.array([mapped[d][x] for d, x in zip(doc_of.tolist(), start.tolist())], dtype=np.int64)
        o_last = np.array([mapped[d][x - 1] for d, x in zip(doc_of.tolist(), end.tolist())], dtype=np.int64)
        o_end = np.where(o_last >= 0, o_last + 1, -1)
        text = [texts[docs[d]][x:y] for d, x, y in zip(doc_of.tolist(), start.tolist(), end.tolist())]
        columns.update({f"{side}_start": start, f"{side}_end": end,
                        f"{side}_orig_start": pd.array(np.where(o_start >= 0, o_start, 0), dtype="Int64"),
                        f"{side}_orig_end": pd.array(np.where(o_end >= 0, o_end, 0), dtype="Int64"),
                        f"{side}_text": text})
        columns[f"{side}_orig_start"][o_start < 0] = pd.NA
        columns[f"{side}_orig_end"][o_end < 0] = pd.NA
    columns.update(chars=(table["t1"] - table["t0"]).to_numpy(), similarity=table["similarity"].to_numpy(float),
                   common=table["common"].to_numpy(bool))
    passages = pd.DataFrame(columns)[PASSAGE_COLUMNS]
    for col in ("source_doc", "target_doc", "source_text", "target_text"):
        passages[col] = passages[col].astype("str")
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


def _union_length(keys: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> pd.Series:
    """Characters covered by the intervals of each key (intervals may overlap)."""
    if not len(keys):
        return pd.Series(dtype=np.int64)
    order = np.lexsort((starts, keys))
    keys, starts, ends = keys[order], starts[order].astype(np.int64), ends[order].astype(np.int64)
    group = np.cumsum(np.r_[True, keys[1:] != keys[:-1]])
    big = int(ends.max()) + 1
    reach = np.maximum.accumulate(ends + group * big) - group * big  # running end within each key
    previous = np.r_[0, reach[:-1]]
    previous[np.r_[True, keys[1:] != keys[:-1]]] = 0
    gained = np.maximum(0, ends - np.maximum(starts, previous))
    return pd.Series(gained).groupby(keys, sort=True).sum()


def _shares(passages: pd.DataFrame, targets: list[str], compared, docs: list[str]):
    """The pairs and documents tables, counted in non-space characters of the target."""
    index = {d: i for i, d in enumerate(docs)}
    length = {d: len(compared[index[d]][1]) for d in targets}
    t_index = passages["target_doc"].map(index).to_numpy(np.int64)
    s_index = passages["source_doc"].map(index).to_numpy(np.int64)
    start = np.zeros(len(passages), np.int64)
    end = np.zeros(len(passages), np.int64)
    for t, rows in passages.groupby("target_doc", sort=False).indices.items():  # comparison-text offsets
        pos = compared[index[t]][1]
        start[rows] = np.searchsorted(pos, passages["target_start"].to_numpy()[rows])
        end[rows] = np.searchsorted(pos, passages["target_end"].to_numpy()[rows])
    common = passages["common"].to_numpy(bool)
    pair_key = s_index * len(docs) + t_index
    count = pd.Series(1, index=pair_key).groupby(level=0).sum()
    shared = _union_length(pair_key[~common], start[~common], end[~common]).reindex(count.index, fill_value=0)
    in_common = _union_length(pair_key[common], start[common], end[common]).reindex(count.index, fill_value=0)
    pair_s, pair_t = count.index.to_numpy() // len(docs), count.index.to_numpy() % len(docs)
    target_chars = np.array([length[docs[t]] for t in pair_t], dtype=np.int64)
    pairs = pd.DataFrame({
        "source_doc": [docs[s] for s in pair_s], "target_doc": [docs[t] for t in pair_t],
        "passages": count.to_numpy(np.int64), "shared_chars": shared.to_numpy(np.int64),
        "common_chars": in_common.to_numpy(np.int64), "target_chars": target_chars,
    })
    pairs["share"] = np.where(target_chars > 0, pairs["shared_chars"] / np.maximum(target_chars, 1), 0.0)
    pairs["common_share"] = np.where(target_chars > 0, pairs["common_chars"] / np.maximum(target_chars, 1), 0.0)
    pairs = pairs.sort_values(["source_doc", "target_doc"], kind="stable").reset_index(drop=True)
    by_doc_shared = _union_length(t_index[~common], start[~common], end[~common])
    by_doc_any = _union_length(t_index, start, end)
    sources = pd.Series(pair_s).groupby(pair_t).nunique()
    doc_rows = []
    for t in targets:
        i, n = index[t], length[t]
        shared_n, any_n = int(by_doc_shared.get(i, 0)), int(by_doc_any.get(i, 0))
        doc_rows.append((t, n, int(sources.get(i, 0)), shared_n, any_n - shared_n, n - any_n,
                         _ratio(shared_n, n), _ratio(n - any_n, n)))
    documents = pd.DataFrame(doc_rows, columns=DOCUMENT_COLUMNS).astype(
        {"chars": int, "sources": int, "shared_chars": int, "common_chars": int, "unique_chars": int,
         "shared_share": float, "unique_share": float})
    return pairs[PAIR_COLUMNS], documents


def _ratio(part, whole) -> float:
    return float(part) / whole if whole else 0.0
