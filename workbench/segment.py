"""Segmentation with jieba: a private tokenizer, a domain dictionary, stopword lists, a disk cache.

Each distinct set of user dictionaries gets its own ``jieba.Tokenizer`` instance
(never the global one), so dictionaries never leak between analyses. jieba's
own dictionary cache is written to the workbench cache directory, so an install
in a read-only place still works.
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from . import datafiles, steps
from .resources import cache_dir, data_path

log = logging.getLogger("workbench")

STOPWORD_LISTS = ("general", "policy")

StopwordSpec = str | Path | Iterable[str] | None


# --- dictionaries and tokenizers ------------------------------------------------------


def _dict_paths(user_dict: str | Path | Sequence[str | Path] | None) -> tuple[str, ...]:
    extra = [] if user_dict is None else [user_dict] if isinstance(user_dict, (str, Path)) else list(user_dict)
    paths = [data_path("userdict.txt"), *map(Path, extra)]
    for p in paths:
        if not p.is_file():
            raise ValueError(f"user dictionary {p} does not exist")
    return tuple(str(p.resolve()) for p in paths)


def _dictionaries(user_dict: str | Path | Sequence[str | Path] | None) -> tuple[datafiles.DataFile, ...]:
    """The shipped domain dictionary and the user's, each read once (by content: see :mod:`workbench.datafiles`);
    a file that is not UTF-8 text is a CorpusError naming it."""
    files = tuple(datafiles.read(p, what="user dictionary") for p in _dict_paths(user_dict))
    for data in files:
        datafiles.parsed(data, _dictionary_lines)
    return files


def _dictionary_lines(text: str) -> int:
    """How many entries a user dictionary's text holds (parsing it checks that it is UTF-8)."""
    return sum(1 for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#"))


@lru_cache(maxsize=8)
def _tokenizer(dictionaries: tuple[datafiles.DataFile, ...]):
    """A jieba tokenizer with these user dictionaries (cached by their content)."""
    import io

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    # jieba keeps its prefix dictionary in a marshal file it trusts by name: the name here
    # carries jieba's version and the digest of its dictionary, so no other copy is read
    try:
        folder = str(cache_dir())
    except OSError:
        folder = None
    tokenizer.tmp_dir, tokenizer.cache_file = _jieba_cache_file(folder)
    tokenizer.initialize()
    for dictionary in dictionaries:
        tokenizer.load_userdict(io.BytesIO(dictionary.content))
    return tokenizer


@lru_cache(maxsize=4)
def _jieba_cache_file(cache: str | None) -> tuple[str, str]:
    """``(folder, name)`` of jieba's own dictionary cache for this jieba and its dictionary,
    in the cache directory ``cache`` (a private temporary folder when there is none)."""
    import tempfile
    from importlib.metadata import version

    import jieba

    digest = hashlib.sha256((Path(jieba.__file__).parent / jieba.DEFAULT_DICT_NAME).read_bytes()).hexdigest()
    try:
        folder = Path(cache) / "jieba"
        folder.mkdir(exist_ok=True)
    except (OSError, TypeError):
        folder = Path(tempfile.mkdtemp(prefix="workbench-jieba-"))
    return str(folder), f"jieba-{version('jieba')}-{digest[:16]}.cache"


def get_tokenizer(user_dict: str | Path | Sequence[str | Path] | None = None):
    """The ``jieba.Tokenizer`` with the shipped domain dictionary plus ``user_dict`` file(s).

    A user dictionary has jieba's format: one entry per line, ``word [freq] [tag]``.
    """
    return _tokenizer(_dictionaries(user_dict))


# --- segmentation backends -----------------------------------------------------------

BACKENDS = ("auto", "jieba", "rjieba")
_USERDICT_LINE = re.compile(r"^(.+?)(?: ([0-9]+))?(?: ([a-z]+))?$")


def resolve_backend(backend: str = "auto") -> str:
    """``"jieba"`` or ``"rjieba"``: ``"auto"`` takes ``$WORKBENCH_SEGMENTER`` if set, else rjieba when installed.

    rjieba is jieba's algorithm in Rust (the optional extra ``workbench[fast]``): the same
    dictionary and user dictionaries, 10–30× faster, and the same tokens on 99.99% of the
    seeds (all of them with ``hmm=False``). Pin ``backend="jieba"`` for jieba's exact output.
    """
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {', '.join(BACKENDS)}, not {backend!r}")
    if backend == "auto":
        backend = os.environ.get("WORKBENCH_SEGMENTER", "").strip() or ("rjieba" if _has_rjieba() else "jieba")
        if backend not in BACKENDS[1:]:
            raise ValueError(f"$WORKBENCH_SEGMENTER must be jieba or rjieba, not {backend!r}")
    if backend == "rjieba" and not _has_rjieba():
        raise ImportError('backend="rjieba" needs rjieba: pip install "workbench[fast]"')
    return backend


def available_backends() -> list[str]:
    """The segmentation backends installed here: always ``"jieba"``, and ``"rjieba"`` with ``workbench[fast]``."""
    return ["jieba", "rjieba"] if _has_rjieba() else ["jieba"]


@lru_cache(maxsize=1)
def _has_rjieba() -> bool:
    try:
        import rjieba  # noqa: F401
    except ImportError:
        return False
    return True


@lru_cache(maxsize=4)
def _backend_version(backend: str) -> str:
    from importlib.metadata import version

    return f"{backend}-{version(backend)}"


@lru_cache(maxsize=8)
def _rjieba(dictionaries: tuple[datafiles.DataFile, ...]):
    """An rjieba instance with jieba's dictionary plus these user dictionaries (jieba's file format)."""
    import rjieba

    segmenter = rjieba.Jieba()
    for dictionary in dictionaries:
        for line in dictionary.text.splitlines():
            line = line.strip()
            match = _USERDICT_LINE.match(line) if line and not line.startswith("#") else None
            if match:
                word, freq, tag = match.groups()
                segmenter.add_word(word, int(freq) if freq else None, tag)
    return segmenter


def _cutter(backend: str, dictionaries: tuple[datafiles.DataFile, ...]):
    """``cut(text, hmm) -> list[str]`` for a resolved backend."""
    if backend == "rjieba":
        segmenter = _rjieba(dictionaries)
        return lambda text, hmm: segmenter.cut(text, hmm)
    tokenizer = _tokenizer(dictionaries)
    return lambda text, hmm: tokenizer.lcut(text, HMM=hmm)


# --- stopwords -----------------------------------------------------------------


@lru_cache(maxsize=4)
def _shipped_stopwords(name: str) -> frozenset[str]:
    if name == "general":
        import stopwordsiso

        return frozenset(stopwordsiso.stopwords("zh"))
    return read_wordlist(data_path(f"stopwords_{name}.txt"))


def parse_wordlist(text: str) -> frozenset[str]:
    """Words of a word list's text, one per line; ``#`` starts a comment."""
    words = set()
    for line in text.splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            words.add(word)
    return frozenset(words)


def read_wordlist(path: str | Path) -> frozenset[str]:
    """Words of a UTF-8 file, one per line; ``#`` starts a comment (read by content)."""
    return datafiles.parsed(datafiles.read(path, what="word list"), parse_wordlist)


def load_stopwords(stopwords: StopwordSpec | Sequence[StopwordSpec] = "general") -> frozenset[str]:
    """Resolve a stopword specification into a set of words.

    Parameters
    ----------
    stopwords : str, path, iterable of str, list of these, or None
        ``"general"`` is the stopwords-iso list of Chinese function words;
        ``"policy"`` is the shipped list of policy boilerplate (推进, 加快, 坚持…);
        a path names a file with one word per line; any other iterable is taken
        as the words themselves; a list or tuple of these takes their union;
        ``None`` or ``()`` means no stopwords.

    >>> "的" in load_stopwords("general"), "推进" in load_stopwords("general")
    (True, False)
    >>> "推进" in load_stopwords(("general", "policy"))
    True
    """
    if stopwords is None:
        return frozenset()
    if isinstance(stopwords, str) and stopwords in STOPWORD_LISTS:
        return _shipped_stopwords(stopwords)
    if isinstance(stopwords, (str, Path)):
        path = Path(stopwords)
        if not path.is_file():
            raise ValueError(f"stopwords must be one of {STOPWORD_LISTS}, a word-list file, or words; {str(stopwords)!r} is none")
        return read_wordlist(path)
    items = list(stopwords)
    if all(isinstance(s, str) and s not in STOPWORD_LISTS and not Path(s).suffix for s in items):
        return frozenset(items)  # plain words
    words: set[str] = set()
    for item in items:
        words |= load_stopwords(item)
    return frozenset(words)


@lru_cache(maxsize=1 << 17)
def is_punctuation(token: str) -> bool:
    """True for tokens made only of punctuation, symbols or white space."""
    return all(unicodedata.category(ch)[0] in "PSZ" or ch.isspace() for ch in token)


# --- segmentation ---------------------------------------------------------------


def segment_text(
    text: str,
    *,
    user_dict: str | Path | Sequence[str | Path] | None = None,
    stopwords: StopwordSpec | Sequence[StopwordSpec] = None,
    drop_punctuation: bool = True,
    hmm: bool = True,
    backend: str = "auto",
) -> list[str]:
    """Segment one text into tokens (``backend``: see :func:`resolve_backend`).

    >>> segment_text("推动长三角一体化高质量发展")
    ['推动', '长三角一体化', '高质量发展']
    >>> segment_text("推动长三角一体化高质量发展", stopwords="policy")
    ['长三角一体化', '高质量发展']
    """
    cut = _cutter(resolve_backend(backend), _dictionaries(user_dict))
    tokens = [t for t in cut(text, hmm) if t.strip()]
    return filter_tokens(tokens, stopwords=load_stopwords(stopwords), drop_punctuation=drop_punctuation)


def filter_tokens(tokens: Iterable[str], *, stopwords: frozenset[str] = frozenset(), drop_punctuation: bool = True) -> list[str]:
    """Drop stopwords and (optionally) punctuation-only tokens."""
    return [t for t in tokens if t not in stopwords and not (drop_punctuation and is_punctuation(t))]


def segment_corpus(
    corpus,
    *,
    user_dict: str | Path | Sequence[str | Path] | None = None,
    stopwords: StopwordSpec | Sequence[StopwordSpec] = None,
    drop_punctuation: bool = True,
    hmm: bool = True,
    cache: bool = True,
    backend: str = "auto",
    engine=None,
    workers: int | None = None,
    progress: bool | None = None,
) -> pd.DataFrame:
    """Segment every sentence of a corpus.

    Returns a new DataFrame: the corpus's ``sentences`` table (``doc_id,
    paragraph, sentence, text, ...``) with a ``tokens`` column of lists. Roll
    it up to paragraphs or documents with :func:`tokens_by`.

    The raw segmentation is a step of :mod:`workbench.steps`, cached on disk, each
    document keyed by its sentences, the dictionaries' contents, ``hmm`` and the
    backend and its version: a re-run where nothing changed reads the whole corpus's
    tokens from one file, and after an edit only the edited documents are segmented.
    Stopword and punctuation filters are applied after the cache, so changing them
    costs no re-segmentation.
    Documents not in the cache are segmented on ``engine`` (see
    :mod:`workbench.engines`: ``"processes"`` uses ``workers`` processes, ``"dask"``
    a Dask cluster), with a progress bar when that takes more than a second. In one
    process, rjieba cuts documents in up to 4 threads: it releases the GIL while it cuts.
    """
    from . import engines
    from .perf import paused_gc

    engines.check_engine(engine)
    engine, workers = engines.resolve(engine, workers)
    sentences = corpus.sentences
    dictionaries = _dictionaries(user_dict)
    backend = resolve_backend(backend)
    stop = load_stopwords(stopwords)
    texts = sentences["text"].tolist()
    groups = [texts[a:b] for a, b in _runs(sentences["doc_id"])]  # one segmenter call per document
    canon = _Canonical(stop, drop_punctuation)
    in_process = engine in (None, "local")
    if in_process:
        _cutter(backend, dictionaries)  # built once here, not once per thread
    with paused_gc():
        result = steps.run(
            TOKENS_STEP, groups, fingerprints=["\x00".join(g) for g in groups] if cache else None,
            options={"dictionaries": dictionaries, "hmm": hmm, "backend": backend, "intern": not in_process},
            settings={"backend": _backend_version(backend), "hmm": hmm}, data=dictionaries, cache=cache,
            engine=engine, workers=workers, progress=progress, desc="segmenting",
            # rjieba releases the GIL while it cuts: threads cut documents side by side
            threads=min(4, os.cpu_count() or 1) if backend == "rjieba" and in_process else 1)
        flat = result.tables["tokens"]["tokens"].tolist()
        del result
        tokens = [sentence for toks, group in zip(flat, groups, strict=True)
                  for sentence in _split_document(toks, len(group), canon)]
        del flat  # the raw lists are garbage now: free them before the collector runs again, not after
    out = sentences.copy()
    out["tokens"] = tokens
    return out


@dataclass
class BackendAgreement:
    """How far rjieba's tokens agree with jieba's (see :func:`backend_agreement`)."""

    share: float  # of jieba's tokens, the share rjieba produces too, sentence by sentence
    tokens: int  # jieba's tokens compared
    differences: pd.DataFrame  # doc_id, sentence, jieba, rjieba: each stretch where they differ


def backend_agreement(corpus, *, hmm: bool = True,
                      user_dict: str | Path | Sequence[str | Path] | None = None) -> BackendAgreement:
    """Segment a corpus with both backends and show where they differ; jieba is the reference.

    Sentence by sentence, the tokens are aligned with :class:`difflib.SequenceMatcher`;
    ``share`` counts jieba's tokens inside matching blocks, and ``differences`` lists
    every other stretch, with jieba's and rjieba's tokens joined by spaces.
    """
    import difflib

    reference = segment_corpus(corpus, backend="jieba", hmm=hmm, user_dict=user_dict, progress=False)
    fast = segment_corpus(corpus, backend="rjieba", hmm=hmm, user_dict=user_dict, progress=False)
    same = total = 0
    rows = []
    for doc_id, sentence, a, b in zip(reference["doc_id"], reference["sentence"], reference["tokens"], fast["tokens"]):
        total += len(a)
        if a == b:
            same += len(a)
            continue
        matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
        same += sum(block.size for block in matcher.get_matching_blocks())
        rows += [{"doc_id": doc_id, "sentence": sentence, "jieba": " ".join(a[i1:i2]), "rjieba": " ".join(b[j1:j2])}
                 for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]
    differences = pd.DataFrame(rows, columns=["doc_id", "sentence", "jieba", "rjieba"])
    return BackendAgreement(share=same / total if total else 1.0, tokens=total, differences=differences)


def _runs(doc_ids: pd.Series) -> list[tuple[int, int]]:
    """``(start, end)`` row ranges of consecutive rows of the same document."""
    codes = pd.factorize(doc_ids)[0]
    cuts = [0, *(np.flatnonzero(codes[1:] != codes[:-1]) + 1).tolist(), len(codes)]
    return list(zip(cuts[:-1], cuts[1:])) if len(codes) else []


def _split_document(toks: list[str], n_sentences: int, canon: _Canonical) -> list[list[str]]:
    """The token lists of a document's sentences, from its flat tokens ("\n" between sentences),
    without white space, stopwords and (as set) punctuation.

    Each distinct token is tested once and mapped to one interned string (so memory follows
    the vocabulary, not the corpus); a dropped token maps to None and is filtered out.
    """
    kept = list(filter(None, map(canon.__getitem__, toks)))
    index, start, out = kept.index, 0, []
    for _ in range(n_sentences - 1):
        end = index(_SEP, start)
        out.append(kept[start:end])
        start = end + 1
    out.append(kept[start:])
    return out


def tokens_by(tokens: pd.DataFrame, unit: str = "document") -> pd.DataFrame:
    """Concatenate sentence tokens per ``"document"`` or ``"paragraph"`` (``"sentence"`` returns a copy)."""
    keys = {"document": ["doc_id"], "paragraph": ["doc_id", "paragraph"], "sentence": ["doc_id", "paragraph", "sentence"]}
    if unit not in keys:
        raise ValueError(f"unit must be one of {', '.join(keys)}, not {unit!r}")
    if unit == "sentence":
        return tokens[[*keys[unit], "tokens"]].copy()
    return (tokens.groupby(keys[unit], sort=False)["tokens"]
            .agg(lambda lists: [t for ts in lists for t in ts]).reset_index())


class _Canonical(dict):
    """token -> its interned string, or None when it is dropped (white space, a stopword, punctuation)."""

    def __init__(self, stop: frozenset[str], drop_punctuation: bool):
        super().__init__({_SEP: _SEP})
        self.stop, self.drop_punctuation = stop, drop_punctuation

    def __missing__(self, token: str) -> str | None:
        drop = token.isspace() or token in self.stop or (self.drop_punctuation and is_punctuation(token))
        self[token] = value = None if drop else sys.intern(token)
        return value


_SEP = sys.intern("\n")  # between the sentences of a document's flat token list


def _segment_job(sentences: list[str], *, dictionaries: tuple[datafiles.DataFile, ...], hmm: bool, backend: str,
                 intern: bool = False) -> dict[str, dict[str, list]]:
    """Segment one document's sentences (the segmentation step's computation, in any process).

    Returns the document's tokens as one flat list with "\n" between sentences (other
    white-space tokens are dropped later, with the stopwords). ``intern`` makes equal
    tokens one object, which pickle then sends once (for results sent from another process).
    """
    cut = _cutter(backend, dictionaries)
    # One call per document: both backends cut at every non-word character and emit each
    # white-space character as a token of its own, so sentences joined by "\n" come back
    # as the same tokens with "\n" between them (the tests check this on the seeds).
    joined = "\n".join(sentences)
    result = None
    if joined.count("\n") == len(sentences) - 1:
        result = cut(joined, hmm)
        if result.count(_SEP) != len(sentences) - 1:
            result = None
    if result is None:  # a sentence with a line break inside: cut one by one
        result = []
        for i, s in enumerate(sentences):
            if i:
                result.append(_SEP)
            result.extend(t for t in cut(s, hmm) if not t.isspace())
    return {"tokens": {"tokens": [list(map(sys.intern, result)) if intern else result]}}


def segment_sentences(sentences: Sequence[str], *, user_dict: str | Path | Sequence[str | Path] | None = None,
                      stopwords: StopwordSpec | Sequence[StopwordSpec] = None, drop_punctuation: bool = True,
                      hmm: bool = True, backend: str = "auto") -> list[list[str]]:
    """Segment one document's sentences, uncached: a token list per sentence.

    The building block :func:`segment_corpus` maps over a corpus's documents.

    >>> segment_sentences(["推动长三角一体化。", "建设美丽中国"], stopwords="policy")
    [['长三角一体化'], ['美丽', '中国']]
    """
    if not sentences:
        return []
    flat = _segment_job(list(sentences), dictionaries=_dictionaries(user_dict), hmm=hmm,
                        backend=resolve_backend(backend))["tokens"]["tokens"][0]
    return _split_document(flat, len(sentences), _Canonical(load_stopwords(stopwords), drop_punctuation))


TOKENS_STEP = steps.Step(name="tokens", compute=_segment_job, columns={"tokens": {"tokens": "list"}},
                         code=("segment", "steps"))
