"""Load a corpus: files in, three tidy DataFrames out.

The only code that knows folder layouts and manifests. Every later module
consumes the :class:`Corpus` this returns.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import re
import stat
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import clean, datafiles, frame_cache, perf, steps, structure
from .align import WHITE_SPACE, Aligner, int_array, normalized_original
from .engines import check_engine
from .errors import CorpusError
from .metadata import FIELDS, Inferred, infer_metadata, merge_metadata, read_manifest
from .perf import release_free_memory
from .readers import SUPPORTED_SUFFIXES, check_regular_file, read_document
from .resources import bundled_corpus_dir, data_path, dataset_path
from .tables import TABLE_SUFFIXES, read_table, rows_from_frame

log = logging.getLogger("workbench")

MANIFEST_NAME = "manifest.csv"
DOCUMENT_COLUMNS = (
    *FIELDS, "inferred", "path", "format", "encoding", "n_chars", "n_paragraphs", "n_sentences", "original", "text",
)


class CorpusWarning(UserWarning):
    """A file was skipped (``errors="skip"``) or a manifest row names no file."""


@dataclass(frozen=True)
class Corpus:
    """A loaded corpus as three DataFrames, in ``doc_id`` order.

    Attributes
    ----------
    documents : DataFrame
        One row per document: the manifest fields (``doc_id, title, region,
        province, admin_level, date, year, doc_type, source, script``),
        ``inferred`` (the fields guessed from the text, comma-separated), the
        file's ``path``, ``format`` and detected ``encoding``, sizes, and both
        the ``original`` and the clean ``text`` (one paragraph per line).
    paragraphs : DataFrame
        ``doc_id, paragraph, text, start, end, orig_start, orig_end``: the
        paragraph's span in the clean text and in the original file text.
    sentences : DataFrame
        ``doc_id, paragraph, sentence, text, start, end, orig_start, orig_end, section_id``.
    settings : dict
        How the corpus was loaded (source, boilerplate file), for reproducibility.
    sections : DataFrame
        ``doc_id, section_id, parent_id, level, title, role, start, end``: each document's
        headings and the spans they head in the clean text (:mod:`workbench.structure`);
        section 0 is the whole document, ``role`` is ``review``, ``plan``, ``next_plan``,
        ``annex`` or empty. Paragraphs and sentences carry the innermost ``section_id``.
    evidence : DataFrame
        ``doc_id, field, value, evidence``: for each metadata field inferred rather than
        given (see the documents' ``inferred`` column), the line or file name it came from.
    removed : DataFrame
        ``doc_id, start, end, text, rule``: every stretch of the original that cleaning
        removed as web furniture or boilerplate (offsets into ``original``), and the rule
        that removed it (:func:`workbench.clean.clean_document`).
    """

    documents: pd.DataFrame
    paragraphs: pd.DataFrame
    sentences: pd.DataFrame
    settings: dict = field(default_factory=dict)
    sections: pd.DataFrame = field(default_factory=lambda: _empty("sections"))
    evidence: pd.DataFrame = field(default_factory=lambda: _empty("evidence"))
    removed: pd.DataFrame = field(default_factory=lambda: _empty("removed"))

    def __len__(self) -> int:
        return len(self.documents)

    def __repr__(self) -> str:
        return (f"Corpus({len(self.documents)} documents, {len(self.paragraphs)} paragraphs, "
                f"{len(self.sentences)} sentences)")

    @property
    def doc_ids(self) -> list[str]:
        return self.documents["doc_id"].tolist()

    def document(self, doc_id: str) -> pd.Series:
        """The documents row of one document."""
        rows = self.documents[self.documents["doc_id"] == doc_id]
        if rows.empty:
            raise KeyError(f"no document {doc_id!r}; the corpus has: {', '.join(self.doc_ids)}")
        return rows.iloc[0]

    def subset(self, doc_ids: Iterable[str]) -> Corpus:
        """A new corpus with only the given documents (in corpus order)."""
        wanted = set(doc_ids)
        missing = wanted - set(self.doc_ids)
        if missing:
            raise KeyError(f"no document(s) {', '.join(sorted(missing))} in the corpus")
        pick = lambda df: df[df["doc_id"].isin(wanted)].reset_index(drop=True)  # noqa: E731
        return Corpus(pick(self.documents), pick(self.paragraphs), pick(self.sentences), dict(self.settings),
                      pick(self.sections), pick(self.evidence), pick(self.removed))


def discover_files(path: str | Path | Iterable[str | Path] | None) -> list[Path]:
    """The files a corpus is made of: a folder's supported files and tables (sorted), one file, or a list."""
    return [Path(file) for file, _, _ in _discovered(path)]


def _discovered(path) -> list[tuple[str, str, str]]:
    """:func:`discover_files` as strings, each with its stem and suffix (a folder of 10,000 files:
    no Path object per file)."""
    if path is None:
        path = bundled_corpus_dir()
    known = (*SUPPORTED_SUFFIXES, *TABLE_SUFFIXES)
    if isinstance(path, (str, Path)):
        path = Path(path)
        if not path.exists():
            raise CorpusError(path, "no such file or folder")
        if not path.is_dir():
            return [_with_stem_suffix(str(check_regular_file(path)))]
        with os.scandir(path) as entries:  # (a directory entry knows its type: no stat per file)
            found = [(os.path.normcase(e.name), e.name) for e in entries
                     if not e.name.startswith(".") and e.name != MANIFEST_NAME and _is_file(e)]
        inside = str(path / "x")[:-1]  # the folder as str(path / name) spells it: "" for ".", "/" for the root
        files, skipped = [], []
        for _, name in sorted(found):  # in name order, as sorted(Path.iterdir()) gives them
            stem, suffix = _stem_suffix(name)
            if suffix.lower() in known:
                files.append((inside + name, stem, suffix))
            else:
                skipped.append(inside + name)
        for p in skipped:
            log.info("%s: skipped, not a supported file type (%s)", p, ", ".join(known))
        if not files:
            raise CorpusError(path, f"the folder has no {'/'.join(known)} files")
        return files
    files = [_with_stem_suffix(str(Path(p))) for p in path]
    if not files:
        raise CorpusError(None, "the list of files is empty")
    return files


def _stem_suffix(file: str) -> tuple[str, str]:
    """``Path(file).stem`` and ``.suffix``, without making a Path.

    >>> _stem_suffix("reports/2024.plan.txt"), _stem_suffix("plan."), _stem_suffix("README")
    (('2024.plan', '.txt'), ('plan.', ''), ('README', ''))
    """
    stem, suffix = os.path.splitext(os.path.basename(file))
    return (stem, suffix) if suffix != "." else (stem + suffix, "")


def _with_stem_suffix(file: str) -> tuple[str, str, str]:
    return (file, *_stem_suffix(file))


def _is_file(entry: os.DirEntry) -> bool:
    """Whether a directory entry is a file (after symbolic links), False where that cannot be
    told (a link in a loop, or through a file), as ``Path.is_file`` answers."""
    try:
        return entry.is_file()
    except OSError:
        return False


DATASETS = ("seeds", "national")


def load_corpus(
    path: str | Path | Iterable[str | Path] | pd.DataFrame | None = None,
    *,
    dataset: str | Sequence[str] | None = None,
    text: str | None = None,
    id: str | None = None,  # noqa: A002 - the name users know from tables
    manifest: str | Path | None = None,
    errors: str = "raise",
    boilerplate: str | Path | None = None,
    engine=None,
    workers: int | None = None,
    progress: bool | None = None,
    cache: bool = True,
) -> Corpus:
    """Load and clean a corpus: files, tables of documents, saved web pages, a bundled dataset.

    Parameters
    ----------
    path : str, Path, list of paths, DataFrame or None
        A folder, one file, or a list of files: ``.txt``/``.md``/``.docx``/``.pdf``/``.html``
        documents, and tables of documents (``.csv``/``.tsv``/``.jsonl``/``.parquet``/``.xlsx``,
        one document per row; see :func:`workbench.tables.read_table`); or a pandas DataFrame
        of documents. ``None`` loads the bundled dataset.
    dataset : {"seeds", "national"} or a list of them, optional
        A bundled corpus: ``"seeds"`` (five regional documents, the default when no
        ``path`` is given) or ``"national"`` (the 52 national government work reports,
        1954–2025). Given with ``path``, the dataset and the user's documents are loaded
        together (their ids must not collide).
    text, id : str, optional
        For tables: the column holding the text (else ``content``, ``full_text``, ``text``…)
        and the one holding the document id (else ``doc_id``, else file stem and row).
    manifest : path, optional
        A ``manifest.csv`` with the documents' metadata. By default the
        ``manifest.csv`` beside the files is used when there is one.
    errors : {"raise", "skip"}
        On a bad file or table row, raise :class:`CorpusError` or warn and go on.
    boilerplate : path, optional
        A file of boilerplate line patterns replacing the shipped list.
    engine, workers, progress
        Where the files are read and cleaned (see :mod:`workbench.engines`): in this
        process (default), a process pool or a Dask cluster; the result is the same.
    cache : bool
        Keep the cleaned tables in the user cache (:mod:`workbench.steps`), each document
        keyed by the file's bytes (or the row's text), its metadata, the boilerplate list's
        content and the cleaning code: loading an unchanged corpus again only reads the
        tables back, and after an edit only the edited documents are cleaned again.

    Returns
    -------
    Corpus
        Metadata given by a manifest or a table column always wins; the rest is inferred
        from the text and file name (see ``inferred`` and :attr:`Corpus.evidence`). A
        table's other columns become columns of ``corpus.documents``.

    Examples
    --------
    >>> corpus = load_corpus()
    >>> corpus.documents.loc[1, ["doc_id", "script"]].tolist()
    ['001_534d44b1b875ba47', 'traditional']
    """
    if errors not in ("raise", "skip"):
        raise ValueError(f"errors must be 'raise' or 'skip', not {errors!r}")
    check_engine(engine)
    datasets = [dataset] if isinstance(dataset, str) else list(dataset or ([] if path is not None else ["seeds"]))
    for name in datasets:
        if name not in DATASETS:
            raise ValueError(f"dataset must be one of {', '.join(DATASETS)}, not {name!r}")
    sources: list[Source] = []
    for name in datasets:
        sources += _dataset_sources(name, errors)
    if isinstance(path, pd.DataFrame):
        sources += _table_sources(rows_from_frame(path, text=text, id=id), None, errors)
    elif path is not None:
        sources += _path_sources(path, text=text, id=id, manifest=manifest, errors=errors)
    sources = _unique(sources, errors)
    boilerplate_file = datafiles.read(boilerplate or data_path("boilerplate.txt"), what="boilerplate file")
    datafiles.parsed(boilerplate_file, clean.parse_pattern_file)  # a bad file is the caller's error, not a document's
    settings = {
        "source": ("DataFrame" if isinstance(path, pd.DataFrame) else None if path is None else
                   [str(p) for p in ([path] if isinstance(path, (str, Path)) else path)]),
        "dataset": datasets,
        "boilerplate": str(boilerplate) if boilerplate else "default",
        "manifest": str(manifest) if manifest else "auto",
        "text_column": text, "id_column": id,
    }
    result = steps.run(LOAD_STEP, sources, fingerprints=[_fingerprint(s) for s in sources] if cache else None,
                       options={"boilerplate": boilerplate_file}, data=[boilerplate_file], cache=cache,
                       engine=engine, workers=workers, progress=progress, desc="loading")
    for i in sorted(result.failed):
        _fail(CorpusError(sources[i].path or sources[i].origin, result.failed[i]), errors)
    if len(result.failed) == len(sources):
        raise CorpusError(None, "no document could be loaded")
    corpus = _corpus_from_tables(result.tables, settings)
    return _with_extra_columns(corpus, sources)


def _path_sources(path, *, text, id, manifest, errors) -> list[Source]:  # noqa: A002
    """The documents of the user's files, folders and tables, with their manifest rows."""
    files = _discovered(path)
    tables = [Path(file) for file, _, suffix in files if suffix.lower() in TABLE_SUFFIXES]
    documents = [(file, stem) for file, stem, suffix in files if suffix.lower() not in TABLE_SUFFIXES]
    manifests = _manifests([file for file, _, _ in files], manifest) if documents or manifest or tables else {}
    sources = [Source(stem, file, meta=manifests.get(stem, {})) for file, stem in documents]
    for table in tables:
        try:
            read = read_table(table, text=text, id=id)
        except CorpusError as error:
            _fail(error, errors)
            continue
        # a manifest row of a table's document fills what the table leaves empty
        sources += [dataclasses.replace(s, meta={**{k: v for k, v in manifests.get(s.doc_id, {}).items()
                                                     if v is not None}, **{k: v for k, v in s.meta.items()
                                                                          if v is not None}})
                    for s in _table_sources(read, table, errors)]
    for doc_id in sorted(set(manifests) - {s.doc_id for s in sources}):
        warnings.warn(f"manifest row {doc_id!r} names no loaded file", CorpusWarning, stacklevel=4)
    return sources


def _table_sources(read, table: Path | None, errors: str) -> list[Source]:
    for error in read.errors:
        _fail(error, errors)
    where = str(table.parent) + "/" if table is not None else ""
    return [Source(row.doc_id, text=row.text, meta=dict(row.meta), origin=where + row.origin) for row in read.rows]


def _dataset_sources(name: str, errors: str) -> list[Source]:
    """The documents of a bundled dataset, with the metadata its provenance establishes."""
    if name == "seeds":
        folder = bundled_corpus_dir()
        manifests = read_manifest(folder / MANIFEST_NAME)
        return [Source(f.stem, str(f), meta=manifests.get(f.stem, {})) for f in discover_files(folder)]
    read = read_table(dataset_path(name), text="content")
    for error in read.errors:
        _fail(error, errors)
    national = {"region": "全国", "admin_level": "国家", "doc_type": "政府工作报告"}
    return [Source(f"gwr{row.meta['year']}", text=row.text, meta={**row.meta, **national},
                   origin=f"dataset {name}: {row.origin}") for row in read.rows]


def _unique(sources: list[Source], errors: str) -> list[Source]:
    """The sources with distinct ids; a repeated id is an error naming both places (or skipped)."""
    seen: dict[str, Source] = {}
    for source in sources:
        if source.doc_id in seen:
            first = seen[source.doc_id]
            _fail(CorpusError(source.path or source.origin,
                              f"duplicate doc_id {source.doc_id!r}: {first.path or first.origin} has the same id"),
                  errors)
            continue
        seen[source.doc_id] = source
    return list(seen.values())


def _with_extra_columns(corpus: Corpus, sources: list[Source]) -> Corpus:
    """A table's columns that are not corpus fields, as further columns of ``documents`` (in their order)."""
    extra: dict[str, dict[str, object]] = {}
    for source in sources:
        for key, value in source.meta.items():
            if key not in FIELDS:
                extra.setdefault(key, {})[source.doc_id] = value
    if not extra:
        return corpus
    documents = corpus.documents.copy()
    at = documents.columns.get_loc("inferred")
    for column, values in extra.items():
        name = column if column not in documents.columns else f"table_{column}"  # format, path: the table's own
        if name in documents.columns:
            continue
        documents.insert(at, name, documents["doc_id"].map(values).astype(object))
        at += 1
    return dataclasses.replace(corpus, documents=documents)


def _fail(error: CorpusError, errors: str) -> None:
    if errors == "raise":
        raise error
    warnings.warn(f"skipped {error}", CorpusWarning, stacklevel=3)


def _corpus_from_tables(tables: dict[str, pd.DataFrame], settings: dict) -> Corpus:
    """The corpus: documents sorted by doc_id (numbers inside ids in numeric order: ``reports-2``
    before ``reports-10``), paragraphs and sentences in that order with their text."""
    documents = tables["documents"]
    ids = documents["doc_id"].tolist()
    order = np.array(sorted(range(len(ids)), key=lambda i: natural_key(ids[i])), dtype=np.int64)
    if (order != np.arange(len(order))).any():
        documents = documents.iloc[order].reset_index(drop=True)
        rank = {d: i for i, d in enumerate(documents["doc_id"])}
        spans = {name: _sorted_by(tables[name], rank, by) for name, by in (("paragraphs", "paragraph"),
                                                                         ("sentences", "sentence"),
                                                                         ("sections", "section_id"))}
        for name in ("evidence", "removed"):
            spans[name] = tables[name].iloc[np.argsort(tables[name]["doc_id"].map(rank).to_numpy(),
                                                       kind="stable")].reset_index(drop=True)
    else:
        documents = documents.reset_index(drop=True)
        spans = {name: tables[name] for name in ("paragraphs", "sentences", "sections", "evidence", "removed")}
    paragraph_text, sentence_text = _cut_texts(spans["paragraphs"], spans["sentences"], documents)
    return Corpus(documents, _with_text(spans["paragraphs"], paragraph_text),
                  _with_text(spans["sentences"], sentence_text), settings, spans["sections"], spans["evidence"],
                  spans["removed"])


def _empty(table: str) -> pd.DataFrame:
    """An empty table with the columns and types loading gives it."""
    return steps.frames(LOAD_STEP)[table]


def natural_key(text: str) -> tuple:
    """Sort key reading digit runs as numbers: ``a-2`` < ``a-10``.

    >>> sorted(["reports-10", "reports-2", "gwr1954"], key=natural_key)
    ['gwr1954', 'reports-2', 'reports-10']
    """
    return tuple((0, int(part), part) if part.isdigit() else (1, 0, part) for part in _DIGITS.split(text) if part)


_DIGITS = re.compile(r"(\d+)")


def _sorted_by(df: pd.DataFrame, rank: dict[str, int], by: str) -> pd.DataFrame:
    key = df["doc_id"].map(rank).to_numpy()
    order = np.lexsort((df[by].to_numpy(), key))
    return df.iloc[order].reset_index(drop=True)


def _with_text(spans: pd.DataFrame, text) -> pd.DataFrame:
    """Paragraph or sentence rows with their ``text`` column (after ``paragraph`` or ``sentence``)."""
    if "text" in spans.columns:
        raise ValueError("the rows have a text column already")
    at = 2 if "sentence" not in spans else 3
    columns = list(spans.columns)
    data = {**{c: spans[c] for c in columns[:at]}, "text": text, **{c: spans[c] for c in columns[at:]}}
    return pd.DataFrame(data, index=spans.index, copy=False)


def _cut_texts(paragraphs: pd.DataFrame, sentences: pd.DataFrame, documents: pd.DataFrame) -> tuple:
    """Each paragraph's and each sentence's ``text[start:end]`` of its document.

    Arrow text arrays cut out of the documents' UTF-8 buffer with numpy, not a Python string
    per row (lists of them when the columns are not Arrow). The sentences are not a second
    copy of the text: where they follow one another inside their paragraphs, as sentence
    splitting makes them, they are read from the paragraphs' buffer (:func:`_shared_text`).
    """
    import pyarrow as pa

    dtype = paragraphs["doc_id"].dtype
    arrow = all(isinstance(t, pd.StringDtype) and t.storage == "pyarrow"
                for t in (dtype, sentences["doc_id"].dtype, documents["text"].dtype))
    if not arrow or not len(paragraphs) or not len(sentences):
        texts = dict(zip(documents["doc_id"], documents["text"]))
        return tuple(pd.array([texts[d][a:b] for d, a, b in zip(spans["doc_id"].tolist(), spans["start"].tolist(),
                                                                 spans["end"].tolist())], dtype=spans["doc_id"].dtype)
                     for spans in (paragraphs, sentences))
    texts = _one_chunk(pa.array(documents["text"].array)).cast(pa.large_string())
    if texts.null_count:
        raise TypeError("a document has no text")
    n_docs = len(texts)
    offsets = np.frombuffer(texts.buffers()[1], dtype=np.int64)[texts.offset:texts.offset + n_docs + 1]
    buffer = texts.buffers()[2]
    data = (np.frombuffer(buffer, dtype=np.uint8) if buffer is not None else np.zeros(0, np.uint8))[
        int(offsets[0]):int(offsets[-1])]
    import pyarrow.compute as pc

    lengths = pc.utf8_length(texts).to_numpy(zero_copy_only=False).astype(np.int64)
    starts = np.zeros(n_docs + 1, dtype=np.int64)
    np.cumsum(lengths, out=starts[1:])
    ranges, docs = [], []
    for spans in (paragraphs, sentences):
        doc = _document_of_rows(spans["doc_id"], documents["doc_id"])
        length = lengths[doc]
        begin = _python_index(spans["start"].to_numpy(dtype=np.int64), length)
        end = np.maximum(_python_index(spans["end"].to_numpy(dtype=np.int64), length), begin)
        del length
        ranges += [starts[doc] + begin, starts[doc] + end]
        docs.append(doc)
    if starts[-1] != len(data):  # not one byte a character (ASCII): characters to bytes, in one pass
        ranges = _byte_positions(data, *ranges)
    p_first, p_last, s_first, s_last = ranges
    p_offsets, p_values = _gathered(data, p_first, p_last)
    p_buffer = pa.py_buffer(p_values)
    owner = _owners(docs[1], sentences["paragraph"], docs[0], paragraphs["paragraph"])
    sentence_text = None if owner is None else _shared_text(s_first, s_last, owner, p_first, p_offsets, p_buffer)
    if sentence_text is None:
        s_offsets, s_values = _gathered(data, s_first, s_last)
        sentence_text = [frame_cache.text_array(s_offsets, pa.py_buffer(s_values))]
    return (pd.arrays.ArrowStringArray(pa.chunked_array([frame_cache.text_array(p_offsets, p_buffer)]), dtype=dtype),
            pd.arrays.ArrowStringArray(pa.chunked_array(sentence_text, type=pa.large_string()),
                                       dtype=sentences["doc_id"].dtype))


def _owners(row_doc: np.ndarray, row_paragraph: pd.Series, doc: np.ndarray,
            paragraph: pd.Series) -> np.ndarray | None:
    """The paragraph row of each sentence row (by document and paragraph number), or None when
    a sentence has no paragraph or the paragraphs are not in order."""
    if not all(pd.api.types.is_integer_dtype(column.dtype) for column in (row_paragraph, paragraph)):
        return None
    try:
        row_number = row_paragraph.to_numpy(dtype=np.int64)
        number = paragraph.to_numpy(dtype=np.int64)
    except (TypeError, ValueError):  # a missing paragraph number
        return None
    if not len(number) or number.min() < 0 or row_number.min(initial=0) < 0:
        return None
    width = int(max(number.max(), row_number.max(initial=0))) + 1
    if (int(max(doc.max(), row_doc.max(initial=0))) + 1) * width >= 2 ** 63:  # keys beyond int64
        return None
    keys, row_keys = doc * width + number, row_doc * width + row_number
    if (np.diff(keys) <= 0).any():
        return None
    owner = np.minimum(np.searchsorted(keys, row_keys), len(keys) - 1)
    return owner if (keys[owner] == row_keys).all() else None


_MAX_RUNS = 1 << 10  # beyond it (and one run per 1,024 rows), sentences are copied, not read from the paragraphs


def _shared_text(first: np.ndarray, last: np.ndarray, owner: np.ndarray, owner_first: np.ndarray,
                 owner_offsets: np.ndarray, owner_values) -> list | None:
    """Rows' text read from their owners' Arrow text buffer with no copy (Arrow arrays), or None.

    ``first``/``last`` are the rows' byte ranges in the documents' text, ``owner`` the row of
    the table whose ranges start at ``owner_first`` and whose text ``owner_values`` is laid out by
    ``owner_offsets``. Rows that follow one another without a gap in that buffer make one Arrow
    array over it; each gap (bytes between two rows that no row holds) starts another. None
    when a row is not inside its owner's text, or when the gaps are too many.
    """
    n = len(first)
    if not n:
        return None
    at = owner_offsets[owner] + (first - owner_first[owner])
    until = at + (last - first)
    if (at < owner_offsets[owner]).any() or (until > owner_offsets[owner + 1]).any():
        return None
    breaks = np.flatnonzero(until[:-1] != at[1:]) + 1
    if len(breaks) > max(_MAX_RUNS, n >> 10):
        return None
    return [frame_cache.text_array(np.append(at[a:b], until[b - 1]), owner_values)
            for a, b in zip([0, *breaks.tolist()], [*breaks.tolist(), n])]


def _one_chunk(array):
    """An Arrow array from a chunked one (no copy when it has one chunk)."""
    import pyarrow as pa

    if isinstance(array, pa.ChunkedArray):
        return array.chunk(0) if array.num_chunks == 1 else array.combine_chunks()
    return array


def _document_of_rows(row_ids: pd.Series, doc_ids: pd.Series) -> np.ndarray:
    """The position in ``doc_ids`` of each row's document (rows come in runs of one document:
    one look-up a run). KeyError for an id with no document, as a dict would raise."""
    import pyarrow as pa
    import pyarrow.compute as pc

    ids = _one_chunk(pa.array(row_ids.array))
    heads = np.zeros(1, dtype=np.int64)
    if len(ids) > 1:
        change = pc.not_equal(ids[1:], ids[:-1]).fill_null(True).to_numpy(zero_copy_only=False)
        heads = np.concatenate([heads, np.flatnonzero(change) + 1])
    where = {d: i for i, d in enumerate(doc_ids.tolist())}  # the last of a repeated id, as dict(zip(...)) gives
    at = np.array([where[d] for d in ids.take(pa.array(heads)).to_pylist()], dtype=np.int64)
    return np.repeat(at, np.diff(np.append(heads, len(ids))))


def _python_index(at: np.ndarray, length: np.ndarray) -> np.ndarray:
    """Slice bounds as Python reads ``text[at:]``: negative from the end, clipped to ``[0, length]``.

    >>> _python_index(np.array([0, -1, 9, 2]), np.array([3, 3, 3, 3])).tolist()
    [0, 2, 3, 2]
    """
    if not len(at) or (at.min() >= 0 and not (at > length).any()):  # the usual bounds: as they are
        return at
    return np.where(at < 0, np.maximum(at + length, 0), np.minimum(at, length))


_BLOCK = 1 << 20  # bytes handled at once: bounds the temporary index arrays (8 bytes a byte)


def _byte_positions(data: np.ndarray, *queries: np.ndarray) -> list[np.ndarray]:
    """For each array of character offsets (0 … number of characters) in UTF-8 ``data``, their byte
    offsets: the characters' first bytes counted block by block, in one pass for all arrays."""
    orders, wanted = [], []
    for chars in queries:
        order = None if (chars[1:] >= chars[:-1]).all() else np.argsort(chars, kind="stable")
        orders.append(order)
        wanted.append(chars if order is None else chars[order])
    found = [np.empty(len(w), dtype=np.int64) for w in wanted]
    done = [0] * len(wanted)
    base = 0
    signed = data.view(np.int8)  # continuation bytes 0x80-0xBF are -128…-65
    for low in range(0, len(data), _BLOCK):
        if all(d == len(w) for d, w in zip(done, wanted)):
            break
        leads = np.flatnonzero(signed[low:low + _BLOCK] >= -64)
        for k, w in enumerate(wanted):
            upto = int(np.searchsorted(w, base + len(leads), side="left"))
            found[k][done[k]:upto] = leads[w[done[k]:upto] - base] + low
            done[k] = upto
        base += len(leads)
    out = []
    for f, d, order in zip(found, done, orders):
        f[d:] = len(data)
        if order is not None:
            unsorted = np.empty_like(f)
            unsorted[order] = f
            f = unsorted
        out.append(f)
    return out


def _gathered(data: np.ndarray, first: np.ndarray, last: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Arrow's offsets and values of the byte ranges ``data[first:last]``, in any order.

    The values are allocated once, at their size, and filled by ``np.concatenate`` of the
    ranges' views, a block of ranges at a time (no index or mask per byte).
    """
    lengths = last - first
    n = len(lengths)
    offsets = perf.kept_offsets(n)
    np.cumsum(lengths, out=offsets[1:])
    values = perf.kept_empty(int(offsets[-1]), np.uint8)
    for r0 in range(0, n, _RANGES):
        r1 = min(n, r0 + _RANGES)
        views = [data[a:b] for a, b in zip(first[r0:r1].tolist(), last[r0:r1].tolist())]
        np.concatenate(views, out=values[offsets[r0]:offsets[r1]])
    return offsets, values


_RANGES = 1 << 12  # ranges copied at once (a view object each)


@dataclass(frozen=True)
class Source:
    """One document to load: a file (``path``) or a text given directly (a table's row).

    ``meta`` holds the metadata a manifest or table gives (they win over inference);
    ``origin`` says where the text came from (a file, ``table.csv:7``) in messages.
    """

    doc_id: str
    path: str | None = None
    text: str | None = None
    meta: dict = field(default_factory=dict)
    origin: str | None = None


_META_JSON = json.JSONEncoder(sort_keys=True, ensure_ascii=False, default=str)  # json.dumps with these options
_HASH_BLOCK = 1 << 20  # bytes of a file hashed at once: never the whole of a large file in memory


def _fingerprint(source: Source) -> bytes | None:
    """What one document's cleaned tables depend on besides the settings: its id, origin and metadata,
    and the file's path as given (the ``path`` column; its name is evidence) and bytes, or the given text;
    None when the file cannot be read (not a regular file, or unreadable: loading reports it)."""
    described = _META_JSON.encode([source.doc_id, source.origin, source.meta, source.path])
    h = hashlib.sha256(described.encode("utf-8", "surrogatepass"))
    if source.path is None:
        h.update((source.text or "").encode("utf-8", "surrogatepass"))
        return h.digest()
    try:
        if not stat.S_ISREG(os.stat(source.path).st_mode):  # never open a FIFO or a device: it may block
            return None
        fd = os.open(source.path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        try:
            while block := os.read(fd, _HASH_BLOCK):
                h.update(block)
        finally:
            os.close(fd)
    except (OSError, ValueError):  # ValueError: a path with a NUL character
        return None
    return h.digest()


def _load_document(source: Source, *, boilerplate: datafiles.DataFile) -> dict[str, dict[str, list]]:
    """One document's tables (the loading step's computation, in any process)."""
    page: dict = {}
    if source.path is not None:
        raw = read_document(source.path)
        text, fmt, encoding, where, page = raw.text, raw.format, raw.encoding, source.path, raw.evidence
    else:
        text, fmt, encoding, where = source.text or "", "table", "", source.origin or source.doc_id
        if not text or text.isspace():
            raise CorpusError(where, "the text is empty")
    doc_id = source.doc_id
    patterns = clean.furniture_patterns() + datafiles.parsed(boilerplate, clean.parse_pattern_file)
    from .align import normalized_and_comparable

    normalized, comparable = normalized_and_comparable(text)  # the script converted once
    cleaned = clean.clean_document(text, patterns=patterns, comparable=comparable)
    del comparable
    clean_text = cleaned.text
    if not clean_text:
        raise CorpusError(where, "nothing is left after cleaning (the file holds only boilerplate)")
    meta = source.meta
    file_name = Path(source.path).name if source.path is not None else None
    inferred_meta = infer_metadata(text, normalized, file_name=file_name)
    title = meta.get("title") or page.get("title")
    if title:  # a title given by a table, a manifest or the web page is the best evidence of the issuer
        from_title = infer_metadata(str(title), normalized_original(str(title)))
        inferred_meta.update({name: Inferred(value.value, f"the title {title!r}") for name, value in
                              from_title.items() if name in TITLE_FIELDS})
    inferred_meta.update(_page_evidence(page))
    fields, inferred = merge_metadata({k: v for k, v in meta.items() if k in FIELDS}, inferred_meta)
    record: dict = {"doc_id": doc_id, **fields}
    if meta.get("script") and meta["script"] != inferred_meta["script"].value:
        log.warning("%s: manifest says %s script, the text looks %s", where, meta["script"],
                    inferred_meta["script"].value)
    evidence = {"doc_id": [doc_id] * len(inferred), "field": inferred,
                "value": [None if record[f] is None else str(record[f]) for f in inferred],
                "evidence": [inferred_meta[f].evidence if f in inferred_meta else "divisions table"
                             for f in inferred]}
    aligner = Aligner(normalized)  # (the normalised original is needed no longer: freed before the spans are found)
    del normalized
    paras, sents = _spans(doc_id, clean_text, aligner)
    del aligner
    sections = structure.find_sections(clean_text, year=record["year"],
                                       document_role=PLAN_ROLES.get(record["doc_type"] or "", ""))
    paras["section_id"] = int_array(structure.section_of(sections, paras["start"]))
    sents["section_id"] = int_array(structure.section_of(sections, sents["start"]))
    section_cols = {name: [getattr(sec, name) for sec in sections] for name in structure.COLUMNS[1:]}
    record.update(
        inferred=",".join(inferred), path=source.path if source.path is not None else (source.origin or ""),
        format=fmt, encoding=encoding, n_chars=len(clean_text), n_paragraphs=len(paras["start"]),
        n_sentences=len(sents["start"]), original=text, text=clean_text,
    )
    tables = {"documents": {k: [v] for k, v in record.items()}, "paragraphs": paras, "sentences": sents,
              "sections": {"doc_id": [doc_id] * len(sections), **section_cols}, "evidence": evidence,
              "removed": {"doc_id": [doc_id] * len(cleaned.removed), "start": [r.start for r in cleaned.removed],
                          "end": [r.end for r in cleaned.removed], "text": [r.text for r in cleaned.removed],
                          "rule": [r.rule for r in cleaned.removed]}}
    if len(text) > _LARGE_DOCUMENT:
        # the copies of a large text that cleaning and aligning made are free, but glibc keeps most of
        # them in its heap, where the Arrow tables made next cannot use them (Arrow has its own
        # allocator): handed back, big.txt (6.7 M characters) peaks about 10 MB lower
        release_free_memory()
    return tables


_LARGE_DOCUMENT = 1 << 20  # characters: after loading a longer document, free memory goes back to the system


TITLE_FIELDS = ("region", "region_code", "province", "admin_level", "doc_type", "year")


def _page_evidence(page: dict) -> dict[str, Inferred]:
    """A saved web page's own title, date and site name, as evidence for the metadata they set."""
    found = {}
    for name in ("title", "date", "source"):
        if page.get(name):
            found[name] = Inferred(page[name], f"the web page's {name}")
    date = page.get("date") or ""
    if re.match(r"(19|20)\d\d-", date):
        found["year"] = Inferred(int(date[:4]), f"the web page's date {date}")
    return found


def load_document(path: str | Path, meta: dict | None = None, *, boilerplate: str | Path | None = None) -> Corpus:
    """Load and clean one file, uncached: a :class:`Corpus` of one document.

    The building block :func:`load_corpus` maps over a corpus's files.

    >>> from workbench.resources import bundled_corpus_dir
    >>> one = load_document(bundled_corpus_dir() / "001_534d44b1b875ba47.txt")
    >>> one.documents.loc[0, "script"], len(one.paragraphs) > 5
    ('traditional', True)
    """
    path = Path(path)
    patterns = datafiles.read(boilerplate or data_path("boilerplate.txt"), what="boilerplate file")
    tables = _load_document(Source(path.stem, str(path), meta=dict(meta or {})), boilerplate=patterns)
    frames = steps.frames(LOAD_STEP, tables)
    return _corpus_from_tables(frames, {"source": [str(path)], "boilerplate": str(boilerplate or "default")})


def _spans(doc_id: str, text: str, normalized: str | Aligner) -> tuple[dict[str, list], dict[str, list]]:
    """Paragraph and sentence columns with their offsets in the clean and the original text.

    ``normalized`` is the normalised original (:func:`~workbench.align.normalized_original`), or
    the :class:`~workbench.align.Aligner` made of it (the caller may then free the text).

    Columns of integers without gaps are ``array("q")`` (8 bytes a value; they iterate as Python
    ints, as the lists of the other columns do).

    Each paragraph is found in the original (white space ignored: :class:`~workbench.align.Aligner`)
    after the end of the previous one (anywhere when not found there); its sentences are consecutive pieces of it, so their places in
    the original follow from the paragraph's without another search.

    The sentences are :func:`~workbench.clean.split_sentences` of each paragraph, found for the
    whole text at once: the sentence ends (none crosses a line break) cut the paragraphs into
    pieces, and each piece without its white space at either end is a sentence (a piece of
    white space only is none). Offsets and counts without white space come from the runs of
    white space (:class:`~workbench.align.Gaps`): memory follows the lines, not the characters.
    """
    from .align import _ZERO_WIDTH, Gaps

    aligner = normalized if isinstance(normalized, Aligner) else Aligner(normalized)
    del normalized
    compact = aligner.compact
    skipped = Gaps(text)  # what the aligner skips: white space and zero-width characters
    # what str.strip() removes: the same runs unless the text holds zero-width characters (clean text does not)
    spaces = Gaps(text, zero_width=False) if any(ch in text for ch in _ZERO_WIDTH) else skipped
    # the ends of the lines: running sums of their lengths (each line break adds one)
    p_end = _piece_ends(text, None)
    p_start = np.concatenate(([0], p_end[:-1] + 1))
    # paragraphs in the original: one search each, in order
    kept_start, kept_end = np.split(skipped.kept_before(np.concatenate((p_start, p_end))), 2)
    p_length = (kept_end - kept_start).tolist()
    p_at, p_cursor, cursor = [], [], 0
    for a, b, length in zip(p_start.tolist(), p_end.tolist(), p_length):
        stripped = text[a:b] if length == b - a else _WHITE_SPACE.sub("", text[a:b])
        at = compact.find(stripped, cursor) if stripped else -1
        if at < 0 and cursor and stripped:
            at = compact.find(stripped)
        p_at.append(at)
        p_cursor.append(cursor)
        if at >= 0:
            cursor = at + len(stripped)  # paragraphs follow one another in the original
    # sentences: the pieces between sentence ends, stripped; a piece of white space only is none
    # where each sentence end ends: the text split at them (the ends kept, every other piece)
    # (each array of a value a sentence is freed as soon as it is used: a large text has many sentences)
    ends = _piece_ends(text, _SENTENCE_END_KEPT)
    piece_end = np.sort(np.concatenate((ends, p_end)))
    del ends
    piece_end = piece_end[np.concatenate(([True], piece_end[1:] != piece_end[:-1]))]  # an end at a line's end once
    para = np.searchsorted(p_end, piece_end, side="left")
    s_start = spaces.next_kept(np.maximum(np.concatenate(([0], piece_end[:-1])), p_start[para]))
    s_end = spaces.kept_end(piece_end)
    real = s_start < piece_end
    del piece_end
    if not real.all():
        para, s_start, s_end = para[real], s_start[real], s_end[real]
    del real
    s_kept, s_kept_end = np.split(skipped.kept_before(np.concatenate((s_start, s_end))), 2)
    s_length = s_kept_end - s_kept
    del s_kept_end
    para_at = np.asarray(p_at, dtype=np.int64)[para]
    s_at = np.where(para_at >= 0, para_at + s_kept - kept_start[para], -1)
    del s_kept
    for k in np.flatnonzero(para_at < 0).tolist():  # a paragraph not found whole (a phrase conversion)
        s_at[k] = compact.find(_WHITE_SPACE.sub("", text[s_start[k]:s_end[k]]), p_cursor[para[k]])
    del para_at
    ints = int_array
    p_cols = {"paragraph": ints(np.arange(len(p_start))), "start": ints(p_start), "end": ints(p_end)}
    p_cols["orig_start"], p_cols["orig_end"] = aligner.original_spans(p_at, p_length)
    s_cols = {"paragraph": ints(para), "sentence": ints(np.arange(len(para))), "start": ints(s_start),
              "end": ints(s_end)}
    del para, s_start, s_end
    s_cols["orig_start"], s_cols["orig_end"] = aligner.original_spans(s_at, s_length)
    for cols in (p_cols, s_cols):
        cols["doc_id"] = [doc_id] * len(cols["start"])
    return p_cols, s_cols


def _piece_ends(text: str, ends: re.Pattern | None) -> np.ndarray:
    """Where the lines of ``text`` end (``ends`` None: each line break's offset, then the text's length),
    or where the matches of ``ends`` end (an expression that never matches a line break).

    The text is split a stretch of whole lines at a time (about 1 M characters): the pieces of
    one stretch are alive at once, not a string object for every piece of the text.

    >>> _piece_ends("一。二\\n三", None).tolist(), _piece_ends("一。二\\n三！", _SENTENCE_END_KEPT).tolist()
    ([3, 5], [2, 6])
    """
    found, a, n = [], 0, len(text)
    while True:
        b = text.find("\n", a + _CHUNK) if n - a > _CHUNK else -1
        b = n if b < 0 else b + 1  # (a stretch ends after a line break, the last at the end of the text)
        piece = text[a:b] if a or b < n else text
        if ends is None:  # running sums of the lines' lengths (each line break adds one)
            at = _running_ends(piece.split("\n"), 1)
            if b < n:
                at = at[:-1]  # (the empty piece after the stretch's last line break)
        else:  # the text split at the matches (kept: every other piece)
            at = _running_ends(ends.split(piece), 0)[1::2]
        del piece
        found.append(at + a if a else at)
        if b >= n:
            return np.concatenate(found) if len(found) > 1 else found[0]
        a = b


_CHUNK = 1 << 20  # characters split at once (:func:`_piece_ends`)


def _running_ends(pieces: list[str], separator: int) -> np.ndarray:
    """Where each of consecutive pieces of a text ends, with ``separator`` characters between them
    (lengths summed in C: no Python step per piece)."""
    lengths = np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces))
    if separator:
        lengths += separator
    ends = np.cumsum(lengths)
    if separator:
        ends -= separator
    return ends


# clean.SENTENCE_END in a group (split keeps the ends), written to start with a class: the search skips
# to the characters of that class in C instead of trying the expression at every character
_SENTENCE_END_KEPT = re.compile(f"([{clean.TERMINAL_PUNCT}][{clean.TERMINAL_PUNCT}]*[{clean.CLOSING_QUOTES}]*)")
_WHITE_SPACE = WHITE_SPACE  # what the aligner skips: white space and zero-width characters
# Documents whose headings set goals for a coming plan period: their sections inherit next_plan.
PLAN_ROLES = {"规划建议": "next_plan", "规划纲要": "next_plan"}
_SPAN_COLUMNS = {"start": "int64", "end": "int64", "orig_start": "Int64", "orig_end": "Int64"}
LOAD_STEP = steps.Step(
    name="corpus",
    compute=_load_document,
    columns={
        "documents": {**{name: "Int64" if name == "year" else "str" for name in FIELDS}, "inferred": "str",
                      "path": "str", "format": "str", "encoding": "str", "n_chars": "int64",
                      "n_paragraphs": "int64", "n_sentences": "int64", "original": "str", "text": "str"},
        "paragraphs": {"doc_id": "str", "paragraph": "int64", **_SPAN_COLUMNS, "section_id": "int64"},
        "sentences": {"doc_id": "str", "paragraph": "int64", "sentence": "int64", **_SPAN_COLUMNS,
                      "section_id": "int64"},
        "sections": {"doc_id": "str", "section_id": "int64", "parent_id": "Int64", "level": "int64", "title": "str",
                     "role": "str", "start": "int64", "end": "int64"},
        "evidence": {"doc_id": "str", "field": "str", "value": "str", "evidence": "str"},
        "removed": {"doc_id": "str", "start": "int64", "end": "int64", "text": "str", "rule": "str"},
    },
    code=("clean", "corpus", "readers", "tables", "metadata", "places", "align", "structure", "steps", "data/section_roles.json",
          "data/divisions.csv", "data/title_furniture.txt", "data/npc_sessions.csv", "data/furniture.tsv",
          "data/table_columns.csv"),
)


def _manifests(files: list[str], explicit: str | Path | None) -> dict[str, dict]:
    if explicit is not None:
        return read_manifest(explicit)
    merged: dict[str, dict] = {}
    for folder in sorted({Path(folder) for folder in {os.path.dirname(f) or "." for f in files}}):
        candidate = folder / MANIFEST_NAME
        if candidate.is_file():
            merged.update(read_manifest(candidate))
    return merged


def combine_corpora(*corpora: Corpus) -> Corpus:
    """One corpus of several (e.g. the national reports and your regional documents), every table
    kept, documents in natural ``doc_id`` order as :func:`load_corpus` gives them.

    Document ids must be unique across the corpora; the documents keep their metadata.

    >>> seeds = load_corpus()
    >>> both = combine_corpora(seeds.subset(["004_0471c23c1b65a733"]), seeds.subset(["000_33b89863f3dbc27e"]))
    >>> both.doc_ids, len(both.sections) == len(seeds.subset(["000_33b89863f3dbc27e", "004_0471c23c1b65a733"]).sections)
    (['000_33b89863f3dbc27e', '004_0471c23c1b65a733'], True)
    """
    from collections import Counter

    if not corpora:
        raise ValueError("give at least one corpus")
    repeated = sorted(d for d, n in Counter(d for c in corpora for d in c.doc_ids).items() if n > 1)
    if repeated:
        raise ValueError(f"document ids occur in more than one corpus: {', '.join(repeated[:5])}")
    tables = {}
    for name in ("documents", "paragraphs", "sentences", "sections", "evidence", "removed"):
        frames = [getattr(c, name) for c in corpora]
        if name in ("paragraphs", "sentences"):
            frames = [f.drop(columns="text") for f in frames]
        tables[name] = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0].copy()
    return _corpus_from_tables(tables, {"combined": [c.settings for c in corpora]})


def corpus_table(corpus: Corpus) -> pd.DataFrame:
    """One row per document: its metadata, file facts and sizes (characters, paragraphs, sentences, tokens).

    ``n_tokens`` counts word tokens of the clean text (punctuation dropped, stopwords kept).
    """
    from . import token_column
    from .segment import segment_corpus, tokens_by

    counts = tokens_by(segment_corpus(corpus)).assign(n_tokens=lambda d: token_column.parts(d["tokens"]).lengths)
    table = corpus.documents.drop(columns=["original", "text"]).merge(
        counts[["doc_id", "n_tokens"]], on="doc_id", how="left", validate="one_to_one")
    return table[[*FIELDS, "n_chars", "n_paragraphs", "n_sentences", "n_tokens", "format", "encoding", "inferred", "path"]]
