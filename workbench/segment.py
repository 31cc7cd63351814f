"""Segmentation with jieba: a private tokenizer, a domain dictionary, stopword lists, a disk cache.

Each distinct set of user dictionaries gets its own ``jieba.Tokenizer`` instance
(never the global one), so dictionaries never leak between analyses. jieba's
own dictionary cache is written to the workbench cache directory, so an install
in a read-only place still works.
"""
from __future__ import annotations

import hashlib
import logging
import operator
import os
import re
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path

import numpy as np
import pandas as pd

from . import datafiles, fingerprints, steps, token_column
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
    if token.isalnum():  # letters and digits only (most words): not punctuation, decided in C
        return False
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
    paragraph, sentence, text, ...``) with a ``tokens`` column: each row's tokens,
    read as a Python list, held as ids into one vocabulary
    (:mod:`workbench.token_column`). Roll it up to paragraphs or documents with
    :func:`tokens_by`.

    The raw segmentation is a step of :mod:`workbench.steps`, cached on disk, each
    document keyed by its sentences (their bytes in the Arrow text buffer, read by
    :mod:`workbench.fingerprints`; a document's sentences become Python strings only when
    it is segmented), the dictionaries' contents, ``hmm`` and the backend and its version: a re-run where nothing changed reads the whole corpus's
    tokens from one file, and after an edit only the edited documents are segmented.
    White space and (with ``drop_punctuation``) punctuation are dropped as the text is
    cut, so the cache holds tokens without them (``drop_punctuation`` is part of the key);
    stopwords are filtered after the cache, so changing them costs no re-segmentation.
    Documents not in the cache are segmented on ``engine`` (see
    :mod:`workbench.engines`: ``"processes"`` uses ``workers`` processes, ``"dask"``
    a Dask cluster), with a progress bar when that takes more than a second. rjieba
    releases the GIL while it cuts, so with it documents are cut in up to 4 threads of
    this process, on the ``"processes"`` engine too (up to ``workers`` threads): that uses
    the cores at half the CPU of a pool, which must send every token list back.
    """
    from . import engines
    from .perf import paused_gc, release_free_memory

    engines.check_engine(engine)
    engine, workers = engines.resolve(engine, workers)
    sentences = corpus.sentences
    dictionaries = _dictionaries(user_dict)
    backend = resolve_backend(backend)
    stop = load_stopwords(stopwords)
    # one segmenter call per document (a run of its sentences), each document's sentences made
    # Python strings only when it is segmented; keyed by its sentences' bytes in the Arrow buffer
    groups = fingerprints.ByDocument.runs(sentences, ["text"])
    items = fingerprints.LazyItems(len(groups), partial(groups.values, column="text"))
    # rjieba releases the GIL while it cuts: threads of this process use the cores, and no token
    # list is pickled back; on two processes the same work took twice the CPU (1,000 pages:
    # 1.8 s in this process, against 0.8 s here plus 3.3 s in the workers)
    threads = 1
    if backend == "rjieba" and engine in (None, "local", "processes"):
        threads = min(4, (workers if engine == "processes" else None) or os.cpu_count() or 1)
    in_process = engine in (None, "local") or threads > 1
    if in_process:
        engine = "local"
        _cutter(backend, dictionaries)  # built once here, not once per thread
    # in this process, one mapping of distinct tokens to their ids in the tokens column is shared
    # by all documents (and threads): each token is looked up once, as it is cut
    options = {"dictionaries": dictionaries, "hmm": hmm, "backend": backend, "drop_punctuation": drop_punctuation}
    numbering = None
    if in_process:
        numbering = token_column.Numbering()
        options["canonical"] = _Canonical(drop_punctuation, numbering)
    with paused_gc():
        result = steps.run(
            TOKENS_STEP, items, fingerprints=fingerprints.document_digests(groups) if cache else None, options=options,
            settings={"backend": _backend_version(backend), "hmm": hmm, "drop_punctuation": drop_punctuation},
            data=dictionaries, cache=cache, engine=engine, workers=workers, progress=progress, desc="segmenting",
            threads=threads, numbering=numbering)
        tokens = result.tables["tokens"]["tokens"]
        if len(tokens) != len(sentences):
            raise RuntimeError(f"segmentation returned {len(tokens)} sentences for {len(sentences)}")
        computed = result.cached < len(groups)
        del result, options, numbering  # (the look-up of every distinct token)
        if stop or tokens.array._pa_array.num_chunks != 1:  # (rows from the cache and computed now: one vocabulary)
            tokens = token_column.kept(tokens, lambda token: token not in stop)
    if threads > 1 and computed:
        release_free_memory()  # the look-up of every distinct token, freed in this process's and the threads' arenas
    return sentences.assign(tokens=tokens)


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
    for doc_id, sentence, a, b in zip(reference["doc_id"], reference["sentence"], token_column.lists(reference["tokens"]),
                                      token_column.lists(fast["tokens"])):
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


def _without(sentences, kept: _Kept) -> np.ndarray:
    """The token lists without the stopwords of ``kept``, each distinct token one object, as an object array.

    Each distinct token is tested once (:class:`_Kept`); every other token costs one dict
    lookup, and the filtering runs in C (``filter(None, map(...))``): no Python code per token.
    """
    out = np.empty(len(sentences), dtype=object)
    out[:] = [list(filter(None, map(kept.__getitem__, ts))) for ts in sentences]
    return out


def tokens_by(tokens: pd.DataFrame, unit: str = "document") -> pd.DataFrame:
    """Concatenate sentence tokens per ``"document"`` or ``"paragraph"`` (``"sentence"`` returns a copy).

    Units come in first-seen order, as from ``groupby(sort=False)``; rows without a key are left out.

    >>> sentences = pd.DataFrame({"doc_id": ["a", "a", "b"], "paragraph": [0, 0, 0],
    ...                           "tokens": [["推动", "发展"], ["改革"], ["开放"]]})
    >>> tokens_by(sentences)["tokens"].tolist()
    [['推动', '发展', '改革'], ['开放']]
    """
    keys = {"document": ["doc_id"], "paragraph": ["doc_id", "paragraph"], "sentence": ["doc_id", "paragraph", "sentence"]}
    if unit not in keys:
        raise ValueError(f"unit must be one of {', '.join(keys)}, not {unit!r}")
    if unit == "sentence":
        return tokens[[*keys[unit], "tokens"]].copy()
    unit_of_row, first = token_column.units(tokens, keys[unit])
    out = tokens[keys[unit]].iloc[first].reset_index(drop=True)
    out["tokens"] = token_column.joined(tokens["tokens"], unit_of_row)
    return out


class _Kept(dict):
    """token -> the first string seen equal to it, or None for a stopword."""

    def __init__(self, stop: frozenset[str]):
        super().__init__()
        self.stop = stop

    def __missing__(self, token: str) -> str | None:
        return self.setdefault(token, None if token in self.stop else token)


class _Canonical(dict):
    """token -> what a document's token lists keep of it, or None when it is dropped as it is
    cut (white space, punctuation): its interned string, or with ``numbering`` its id there.

    ``sep`` is what the separator of a document's sentences ("\n") maps to: itself, or -1 with
    ``numbering``. Shared by threads: ``setdefault`` keeps the first value stored for a token,
    and the numbering gives each new token one id (it locks), so all threads get the same one.

    >>> numbering = token_column.Numbering()
    >>> ids = _Canonical(True, numbering)
    >>> [ids[t] for t in ["发展", "，", "改革", "发展", "\\n"]], numbering.tokens
    ([0, None, 1, 0, -1], ['发展', '改革'])
    """

    def __init__(self, drop_punctuation: bool, numbering: token_column.Numbering | None = None):
        self.sep = _SEP if numbering is None else -1
        super().__init__({_SEP: self.sep})
        self.drop_punctuation = drop_punctuation
        self.numbering = numbering

    def __missing__(self, token: str) -> str | int | None:
        if token.isspace() or (self.drop_punctuation and is_punctuation(token)):
            return self.setdefault(token, None)
        return self.setdefault(token, sys.intern(token) if self.numbering is None else self.numbering[token])


_SEP = sys.intern("\n")  # between the sentences of a document, as the segmenter is given them
_kept = partial(operator.is_not, None)  # (in C: an id 0 is kept, where ``filter(None, ...)`` would drop it)


def _segment_job(sentences: list[str], *, dictionaries: tuple[datafiles.DataFile, ...], hmm: bool, backend: str,
                 drop_punctuation: bool = True, canonical: _Canonical | None = None) -> dict[str, dict[str, list]]:
    """Segment one document's sentences (the segmentation step's computation, in any process).

    Returns a token list per sentence, without white space and (with ``drop_punctuation``)
    punctuation, in one pass over the cutter's tokens: each is looked up in ``canonical``
    (a new :class:`_Canonical` when None), which drops it or gives what is kept of it: the
    one string kept for it, or its id when ``canonical`` numbers tokens (then the lists hold
    ids). So the cutter's own strings are freed document by document, memory follows the
    vocabulary, pickle sends each distinct token of a document once, and in this process
    each token is looked up once on its way to the tokens column.
    """
    cut = _cutter(backend, dictionaries)
    if canonical is None:
        canonical = _Canonical(drop_punctuation)
    get, sep = canonical.__getitem__, canonical.sep
    # One call per document: both backends cut at every non-word character and emit each
    # white-space character as a token of its own, so sentences joined by "\n" come back
    # as the same tokens with "\n" between them (the tests check this on the seeds).
    joined = "\n".join(sentences)
    out = None
    if joined.count("\n") == len(sentences) - 1:
        out = _at_separators(list(filter(_kept, map(get, cut(joined, hmm)))), len(sentences), sep)
    if out is None:  # a sentence with a line break inside: cut one by one
        out = [[t for t in filter(_kept, map(get, cut(s, hmm))) if t != sep] for s in sentences]
    return {"tokens": {"tokens": out}}


def _at_separators(tokens: list, n: int, sep=_SEP) -> list[list] | None:
    """``tokens`` cut at the ``n - 1`` separators ``sep``; None when there are not exactly that many."""
    index, start, out = tokens.index, 0, []
    try:
        for _ in range(n - 1):
            end = index(sep, start)
            out.append(tokens[start:end])
            start = end + 1
    except ValueError:
        return None
    last = tokens[start:]
    if sep in last:
        return None
    out.append(last)
    return out


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
    kept = _segment_job(list(sentences), dictionaries=_dictionaries(user_dict), hmm=hmm,
                        backend=resolve_backend(backend), drop_punctuation=drop_punctuation)["tokens"]["tokens"]
    return _without(kept, _Kept(load_stopwords(stopwords))).tolist()


TOKENS_STEP = steps.Step(name="tokens", compute=_segment_job, columns={"tokens": {"tokens": "list"}},
                         code=("segment", "steps", "fingerprints"))
