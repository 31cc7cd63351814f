"""One mechanism for every per-document step: key, cache, engine, progress, write.

A step (loading and cleaning, document structure, segmentation, target extraction) is
declared once as a :class:`Step`: its name, a pure function computing *one* document's
tables, the tables' columns, and the code its result depends on. :func:`run` does the rest,
the same way for every step:

1. **Keys.** Each document's key is a digest of its *fingerprint* (the document's own
   input: a file's bytes and metadata, a text, offsets), the step's *settings*, the digests
   of the *data files* it reads (:mod:`workbench.datafiles`) and the source of its *code*
   (:func:`workbench.cache_keys.source_digest`). One rule invalidates everything: a
   change to any input changes the key. There is no version number to bump by hand.
2. **Whole-corpus hit.** When the key over all documents' keys names a cache file, its
   tables are read back whole.
3. **Per-document reuse.** Otherwise the rows of every document whose key is in an
   earlier file are taken from there (:func:`workbench.frame_cache.reuse`).
4. **Map the rest** on the chosen engine (this process, threads, a process pool, Dask;
   :mod:`workbench.engines`), with a progress bar when it takes more than a second.
   A document whose computation raises one of the step's *expected* errors (a bad file)
   is reported in :attr:`StepResult.failed`, never cached, and tried again next run.
   Results are typed where they are computed: every 64 documents their Python lists
   become numpy and Arrow column chunks (a token list column as ids into the batch's
   vocabulary, renumbered here into one vocabulary of the step,
   :mod:`workbench.token_column`), so only these arrays cross back from a worker
   process, the main process only joins them, and memory holds the finished columns and
   one batch of lists, not every document's lists.
5. **Write** the finished tables to one cache file (:func:`workbench.frame_cache.write`).

The compute function takes the item and keyword options (which must be picklable for
the process and Dask engines: plain values and :class:`~workbench.datafiles.DataFile`)
and returns, per table, a dict of column lists: ``{"sentences": {"start": [...], ...}}``.
"""
from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import chain

import numpy as np
import pandas as pd

from . import cache_keys, frame_cache, perf, token_column
from .errors import CorpusError
from .fingerprints import LazyItems

log = logging.getLogger("workbench")


@dataclass(frozen=True)
class Step:
    """A per-document step.

    Attributes
    ----------
    name : str
        The step's name, also the cache folder of its files.
    compute : callable
        ``compute(item, **options) -> {table: {column: list}}`` for one document; a
        module-level function (picklable).
    columns : mapping
        ``{table: {column: dtype}}``: the tables and their columns in order. A dtype is a
        pandas/numpy dtype name (``"object"``, ``"Int64"``, ``"int64"``, ``"float64"``,
        ``"bool"``, ``"str"``: text, missing values allowed); ``"list"`` marks a column of
        token lists, given back as a :mod:`workbench.token_column`.
    code : tuple of str
        The workbench modules (``"clean"``) and data files (``"data/boilerplate.txt"``)
        whose source the result depends on: part of every key.
    expected : tuple of exception types
        Failures of one document that are reported (:attr:`StepResult.failed`) rather
        than raised.
    """

    name: str
    compute: Callable
    columns: Mapping[str, Mapping[str, str]]
    code: tuple[str, ...]
    expected: tuple[type[BaseException], ...] = (CorpusError,)


@dataclass
class StepResult:
    """The tables of a step over all documents, rows in document order.

    ``owners[table][r]`` is the position (in the items given to :func:`run`) of the
    document row ``r`` belongs to; ``failed`` maps positions of documents that failed to
    the problem; ``cached`` counts documents whose rows came from the cache.
    """

    tables: dict[str, pd.DataFrame]
    owners: dict[str, np.ndarray]
    failed: dict[int, str] = field(default_factory=dict)
    cached: int = 0
    keys: list[str | None] = field(default_factory=list)

    def rows_of(self, table: str) -> list[tuple[int, int]]:
        """``(start, end)`` row ranges of each document in ``table`` (empty for failed documents)."""
        owner = self.owners[table]
        n = len(self.keys)
        counts = np.bincount(owner, minlength=n) if len(owner) else np.zeros(n, dtype=np.int64)
        ends = np.cumsum(counts)
        return list(zip((ends - counts).tolist(), ends.tolist()))


@dataclass(frozen=True)
class _Failure:
    problem: str


def _guarded(item, *, compute: Callable, options: dict, expected: tuple):
    """``compute(item, **options)``, an expected failure returned as :class:`_Failure` (any process)."""
    try:
        return compute(item, **options)
    except expected as exc:
        return _Failure(getattr(exc, "problem", None) or str(exc))


def document_keys(step: Step, fingerprints: Sequence[bytes | str | None], *, settings: Mapping | None = None,
                  data: Sequence = ()) -> list[str | None]:
    """Each document's cache key (None where the fingerprint is None: never cached)."""
    common = cache_keys.make_key(step.name, settings=dict(settings or {}), data=[d.digest for d in data],
                                 code=cache_keys.source_digest(*step.code)).encode("ascii")
    keys: list[str | None] = []
    for fp in fingerprints:
        if fp is None:
            keys.append(None)
            continue
        h = hashlib.sha256(common)
        h.update(fp.encode("utf-8", "surrogatepass") if isinstance(fp, str) else fp)
        keys.append(h.hexdigest())
    return keys


def run(step: Step, items: Sequence, *, fingerprints: Sequence[bytes | str | None] | None = None,
        options: Mapping | None = None, settings: Mapping | None = None, data: Sequence = (), cache: bool = True,
        engine=None, workers: int | None = None, progress: bool | None = None, threads: int = 1,
        numbering: token_column.Numbering | None = None, desc: str | None = None) -> StepResult:
    """Run ``step`` over ``items``: cached rows where the keys match, the rest computed on ``engine``.

    Parameters
    ----------
    items : sequence
        What ``compute`` takes, one per document (picklable for other processes); read by
        position, and only for the documents computed, so it may build each item on demand.
    fingerprints : sequence of bytes or str, optional
        Each document's own input, for its key (None: not cached). Required with ``cache``.
    options : mapping
        Keyword options passed to ``compute`` for every document.
    settings : mapping
        JSON-able settings that change the result (part of every key).
    data : sequence of DataFile
        The data files the computation reads: their digests are part of every key.
    threads : int
        With the local engine, compute in that many threads (worth it only when ``compute``
        releases the GIL, as rjieba's cutting does).
    numbering : token_column.Numbering, optional
        When given, ``compute`` runs in this process and gives its ``list`` columns as ids
        already numbered in it (each token looked up once, by ``compute``), not as tokens.
    """
    from . import engines

    engines.check_engine(engine)
    n = len(items)
    if cache and fingerprints is None:
        raise ValueError("run() needs fingerprints to cache a step")
    if cache and not frame_cache.usable():
        cache = False
    keys = document_keys(step, fingerprints, settings=settings, data=data) if cache else [None] * n
    whole_key = cache_keys.make_key(step.name, documents=keys) if cache and n and None not in keys else None
    if whole_key:
        hit = frame_cache.load(step.name, whole_key)
        if hit is not None and _complete(step, hit, n):
            frames, owners = hit
            log.info("%s: %d documents, all read back from the cache", step.name, n)
            return StepResult(frames, owners, {}, n, keys)
    reused = frame_cache.reuse(step.name, keys) if cache else frame_cache.Reused()
    if reused.found and not _complete(step, (reused.frames, reused.owners), None):
        reused = frame_cache.Reused()
    found = set(reused.found)
    todo = [i for i in range(n) if i not in found]
    log.info("%s: %d documents, %d from the cache, %d to compute", step.name, n, len(found), len(todo))
    job = partial(_guarded, compute=step.compute, options=dict(options or {}), expected=step.expected)
    builder = _Builder(step, numbering)
    # each batch of documents becomes typed column chunks where it was computed (in a worker
    # process, only these arrays are pickled back); in this process, straight into the step's numbering
    in_process = engines.runs_in_process(engine, workers, len(todo))
    if numbering is not None and not in_process:
        raise ValueError("run(): a numbering shared with compute needs the computation in this process")
    pack = partial(_pack, columns=step.columns, numbering=builder.numbering if in_process else None,
                   numbered=numbering is not None)
    batches = engines.iter_batches(job, LazyItems(len(todo), lambda k: items[todo[k]]), combine=pack,
                                   size=builder.BATCH, engine=engine, workers=workers, progress=progress,
                                   desc=desc or step.name, threads=threads)
    positions = np.asarray(todo, dtype=np.int64)
    failed: dict[int, str] = {}
    done = 0
    for batch in batches:
        where = positions[done:done + batch.n]
        failed.update((int(where[k]), problem) for k, problem in batch.failed)
        builder.add(batch, where)
        done += batch.n
    if done != len(todo):
        raise RuntimeError(f"{step.name}: {done} documents' results came back for {len(todo)} computed")
    tables, owners = builder.finish(reused)
    del builder
    if cache and n:
        stored_keys = [None if i in failed else k for i, k in enumerate(keys)]
        file_key = whole_key if whole_key and not failed else cache_keys.make_key(step.name, documents=keys,
                                                                                     partial=True)
        frame_cache.write(step.name, file_key, tables, doc_keys=stored_keys, owners=owners)
    if todo:
        perf.release_free_memory()  # (what computing left free in the C allocator's heap: a few ms)
    return StepResult(tables, owners, failed, len(found), keys)


def _complete(step: Step, hit, n: int | None) -> bool:
    """True when cached frames have every table and column the step declares (else they are not used)."""
    frames, owners = hit
    for table, columns in step.columns.items():
        if table not in frames or table not in owners or list(frames[table].columns) != list(columns):
            log.warning("%s: a cache file lacks the table or columns of %r; recomputing", step.name, table)
            return False
        if n is not None and len(owners[table]) and (owners[table].min() < 0 or owners[table].max() >= n):
            log.warning("%s: a cache file's rows belong to documents it does not hold; recomputing", step.name)
            return False
    return True


@dataclass
class _Batch:
    """A batch of documents' results as typed column chunks, made where they were computed
    (:func:`_pack`): cheap to pickle, no Python object per row.

    ``owners[table]`` gives each row's document as its place in the batch; ``failed`` the
    place and problem of each document that failed. A token list column is ``(ids, lengths)``,
    the ids into ``vocabulary`` (the batch's distinct tokens, as first seen), or into the
    step's numbering when ``vocabulary`` is None (a batch packed in the process building it).
    """

    n: int
    failed: list[tuple[int, str]]
    owners: dict[str, np.ndarray]
    columns: dict[str, dict[str, object]]
    vocabulary: list[str] | None


def _pack(results: list, *, columns: Mapping[str, Mapping[str, str]],
          numbering: token_column.Numbering | None = None, numbered: bool = False) -> _Batch:
    """Documents' ``compute`` results (or :class:`_Failure`) as one :class:`_Batch` of typed column chunks.

    ``numbering`` is the step's numbering when the batch is packed in the process building the tables:
    token lists are numbered into it. Without it (in a worker process) token lists are numbered into
    a numbering of the batch's own (its tokens sent as :attr:`_Batch.vocabulary`). ``numbered``: the
    lists hold ids of ``numbering`` already, not tokens. Text columns become their UTF-8 bytes
    (:class:`_Utf8`), an Arrow array over them once the builder takes the batch. Each column's values
    are taken out of ``results`` as it is packed, so they are freed column by column.

    >>> batch = _pack([{"t": {"w": ["发展", "改革"]}}, _Failure("bad"), {"t": {"w": ["改革"]}}], columns={"t": {"w": "str"}})
    >>> batch.owners["t"].tolist(), batch.failed, batch.columns["t"]["w"].array().tolist()
    ([0, 0, 2], [(1, 'bad')], ['发展', '改革', '改革'])
    """
    failed = [(k, result.problem) for k, result in enumerate(results) if isinstance(result, _Failure)]
    done = [(k, result) for k, result in enumerate(results) if not isinstance(result, _Failure)]
    own = numbering is None
    if own:
        numbering = token_column.Numbering()
    owners, data = {}, {}
    for table, cols in columns.items():
        counts = [len(next(iter(result[table].values()))) if result[table] else 0 for _, result in done]
        owners[table] = np.repeat(np.array([k for k, _ in done], dtype=np.int64), counts)
        data[table] = {}
        for col, dtype in cols.items():
            pieces = [result[table].pop(col) for _, result in done]  # (each column's values freed once packed)
            if dtype == "list":
                rows = list(chain.from_iterable(pieces))
                data[table][col] = token_column.id_rows(rows) if numbered else numbering.rows(rows)
                del rows
            elif dtype == "str":  # (an Arrow array over these bytes in this process, as it arrives)
                values = list(chain.from_iterable(pieces))
                data[table][col] = _Utf8.of(values) or pd.array(values, dtype="str")
                del values
            else:
                data[table][col] = _column(pieces, dtype)
            del pieces
    return _Batch(len(results), failed, owners, data, numbering.tokens if own else None)


@dataclass(frozen=True)
class _Utf8:
    """A ``str`` column as Arrow's ``large_string`` buffers, made with numpy alone: how a batch holds
    text (and a worker process sends it). Arrow arrays made in a worker left its allocator holding
    about 20 MB more at its peak (loading 1,000 pages); these bytes are plain Python and numpy
    memory, and become an Arrow array in the main process without a copy (:meth:`array`).

    >>> _Utf8.of(["長三角", None, ""]).array().tolist()
    ['長三角', nan, '']
    """

    data: bytes | np.ndarray  # every value's UTF-8 bytes, one after another (bytes, or uint8)
    offsets: np.ndarray  # int64, one more than the values
    valid: bytes | None  # Arrow validity bitmap (bit i set: value i is not None); None when none is missing
    nulls: int

    @classmethod
    def of(cls, values: list) -> _Utf8 | None:
        """The column of str values and None; None when a value is anything else (see :func:`_text_column`)."""
        try:
            encoded = [b"" if v is None else v.encode("utf-8") for v in values]
        except (AttributeError, UnicodeEncodeError):
            return None
        lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
        data = b"".join(encoded)
        del encoded
        missing = np.fromiter((v is None for v in values), dtype=bool, count=len(values))
        nulls = int(missing.sum())
        valid = np.packbits(~missing, bitorder="little").tobytes() if nulls else None
        return cls(data, np.r_[np.int64(0), np.cumsum(lengths)], valid, nulls)

    @classmethod
    def joined(cls, chunks: list[_Utf8]) -> _Utf8:
        """The chunks one after another, in one buffer; ``chunks`` is emptied as they are copied.

        Each chunk is freed once copied, and what the C allocator keeps of them goes back to the
        system every 64 MB (:func:`~workbench.perf.drained`): joining holds the column
        about once, where joining Arrow arrays held it twice (and the chunks' freed bytes stayed in
        glibc's heap: 240 MB more resident after loading 10,000 pages).

        >>> _Utf8.joined([_Utf8.of(["長", None]), _Utf8.of(["", "三角"])]).array().tolist()
        ['長', nan, '', '三角']
        """
        if len(chunks) == 1:
            return chunks.pop()
        rows = sum(len(chunk.offsets) - 1 for chunk in chunks)
        data = perf.kept_empty(sum(len(chunk.data) for chunk in chunks), np.uint8)
        offsets = perf.kept_offsets(rows)
        nulls = sum(chunk.nulls for chunk in chunks)
        valid = np.ones(rows, dtype=bool) if nulls else None
        at = row = 0
        for chunk in perf.drained(chunks, lambda chunk: len(chunk.data)):
            n, size = len(chunk.offsets) - 1, len(chunk.data)
            data[at:at + size] = np.frombuffer(chunk.data, dtype=np.uint8)
            offsets[row + 1:row + n + 1] = chunk.offsets[1:] + at
            if chunk.valid is not None:
                valid[row:row + n] = np.unpackbits(np.frombuffer(chunk.valid, dtype=np.uint8), count=n,
                                                   bitorder="little").astype(bool)
            at, row = at + size, row + n
        return cls(data, offsets, None if valid is None else np.packbits(valid, bitorder="little").tobytes(), nulls)

    def array(self, dtype=None):
        """The ``str`` column (Arrow text) over these buffers (``dtype``: ``pandas_dtype("str")``, a look-up
        worth doing once for many batches)."""
        import pyarrow as pa

        array = frame_cache.text_array(self.offsets, self.data, self.valid, self.nulls)
        return pd.arrays.ArrowStringArray(pa.chunked_array([array]), dtype=dtype or pd.api.types.pandas_dtype("str"))


class _Builder:
    """A step's tables built from batches of documents' typed column chunks (:class:`_Batch`), joined
    once at the end. Token ids of a batch with a vocabulary of its own are renumbered into the step's
    one numbering as the batch arrives (a look-up per distinct token of the batch, then one take)."""

    BATCH = 64  # documents whose Python lists are held before they become typed chunks

    def __init__(self, step: Step, numbering: token_column.Numbering | None = None):
        self.step = step
        self.chunks = {table: {col: [] for col in columns} for table, columns in step.columns.items()}
        self.owners: dict[str, list[np.ndarray]] = {table: [] for table in step.columns}
        # every distinct token of the step's list columns (compute's own, when it numbers them)
        self.numbering = token_column.Numbering() if numbering is None else numbering
        self.shared = numbering is not None

    def add(self, batch: _Batch, positions: np.ndarray) -> None:
        """Take ``batch``, whose documents are at ``positions`` among the step's items."""
        ids_of = None
        if batch.vocabulary is not None:
            ids_of = self.numbering.ids(batch.vocabulary, len(batch.vocabulary))
        for table, columns in self.step.columns.items():
            self.owners[table].append(positions[batch.owners[table]])
            for col, dtype in columns.items():
                chunk = batch.columns[table][col]
                if dtype == "list" and ids_of is not None:
                    chunk = (ids_of[chunk[0]], chunk[1])
                self.chunks[table][col].append(chunk)  # (text stays bytes: joined into one buffer at the end)

    def finish(self, reused: frame_cache.Reused):
        """The tables and owners: reused and computed rows together, in document order."""
        tables, owners = {}, {}
        for table, columns in self.step.columns.items():
            parts = self.owners.pop(table)
            new_owner = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
            chunks = self.chunks.pop(table)
            data = {}
            for col, dtype in columns.items():
                data[col] = (self._tokens(chunks.pop(col)) if dtype == "list"
                             else _joined(chunks.pop(col), dtype))  # one column's chunks alive twice at most
            new = pd.DataFrame(data, index=pd.RangeIndex(len(new_owner)), copy=False)
            del data
            if reused.found and table in reused.frames:
                frame, owner = _merged(reused.frames[table], reused.owners[table], new, new_owner, columns)
            else:
                frame, owner = new, new_owner
            tables[table], owners[table] = frame, owner
        return tables, owners

    def _tokens(self, chunks: list[tuple[np.ndarray, np.ndarray]]):
        ids = perf.kept_empty(sum(len(i) for i, _ in chunks), np.int32)
        offsets = perf.kept_offsets(sum(len(n) for _, n in chunks))
        at = row = 0
        for chunk in perf.drained(chunks, lambda chunk: chunk[0].nbytes):  # (each batch's ids freed once copied)
            ids[at:at + len(chunk[0])] = chunk[0]
            offsets[row + 1:row + len(chunk[1]) + 1] = np.cumsum(chunk[1]) + at
            at, row = at + len(chunk[0]), row + len(chunk[1])
        tokens = self.numbering.tokens
        if self.shared:  # numbered in the order compute's threads met them: alphabetical, the same every run
            tokens, ids = token_column.alphabetical(tokens, ids)
        return token_column.from_parts(tokens, ids, offsets)


def _text_column(values: list):
    """A ``str`` column (Arrow text) of str values and None: over their UTF-8 bytes joined
    (:class:`_Utf8`); values that are not all str or None go to ``pd.array``, which converts
    them or says what is wrong.

    On the loaded texts of 1,000 pages the UTF-8 route took 0.02 s where ``pa.array`` took
    0.3 s the first time (its allocator faulting fresh pages in) and ``pd.array`` checks every
    value in Python; and a text's encoding is not left cached inside its str, as ``pa.array``
    leaves it (19 MB more for a text of 19 MB, while its document's results live).

    >>> _text_column(["長三角", None, ""]).tolist()
    ['長三角', nan, '']
    >>> _text_column([1, None]).tolist()
    ['1', nan]
    """
    utf8 = _Utf8.of(values)
    return pd.array(values, dtype="str") if utf8 is None else utf8.array()


def _merged(old: pd.DataFrame, old_owner: np.ndarray, new: pd.DataFrame, new_owner: np.ndarray, columns):
    """Reused rows and computed rows in one table, ordered by document (sorted only when they are not)."""
    for col, dtype in columns.items():
        if dtype not in ("object", "list") and str(old[col].dtype) != str(new[col].dtype):
            old[col] = old[col].astype(new[col].dtype)
    if not len(new):
        return old, old_owner
    if not len(old):
        return new, new_owner
    frame = pd.concat([old, new], ignore_index=True)
    owner = np.concatenate([old_owner, new_owner])
    if len(owner) > 1 and (owner[1:] < owner[:-1]).any():
        order = np.argsort(owner, kind="stable")
        frame = frame.take(order).reset_index(drop=True)
        owner = owner[order]
    return frame, owner


def _joined(chunks: list, dtype: str):
    """One column from its typed chunks (see :func:`_column`); ``chunks`` may be emptied."""
    if dtype == "object":
        return list(chain.from_iterable(chunks)) if len(chunks) != 1 else chunks[0]
    if not chunks:
        return _column([], dtype)
    if all(isinstance(chunk, _Utf8) for chunk in chunks):
        return _Utf8.joined(chunks).array()
    chunks = [chunk.array() if isinstance(chunk, _Utf8) else chunk for chunk in chunks]
    if len(chunks) == 1:
        return chunks[0]
    if isinstance(chunks[0], np.ndarray):
        return np.concatenate(chunks)
    joined = type(chunks[0])._concat_same_type(chunks)
    if isinstance(joined, pd.arrays.ArrowStringArray):  # one Arrow chunk, as pd.array gives it
        import pyarrow as pa

        joined = pd.arrays.ArrowStringArray(pa.chunked_array([joined._pa_array.combine_chunks()]), dtype=joined.dtype)
    return joined


def frames(step: Step, result: dict[str, dict[str, list]] | None = None) -> dict[str, pd.DataFrame]:
    """The step's tables for one document's ``compute`` result (empty tables when None), typed as declared."""
    return {table: pd.DataFrame({col: _column([result[table][col] if result else []], dtype)
                                 for col, dtype in columns.items()})
            for table, columns in step.columns.items()}


def _column(pieces: list[list], dtype: str):
    """One column from each document's list of values."""
    values = list(chain.from_iterable(pieces))
    if dtype == "list":
        return token_column.from_lists(values)
    if dtype == "object":
        return values
    if dtype == "str":
        return _text_column(values)
    if dtype in ("Int64", "string", "boolean"):
        return pd.array(values, dtype=dtype)
    return np.asarray(values, dtype=dtype)
