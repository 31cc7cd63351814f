"""Per-document fingerprints and items of corpus tables, read from their Arrow and numpy buffers.

A per-document step (:mod:`workbench.steps`) needs two things from the corpus tables, whose
rows are grouped by ``doc_id``: each document's *fingerprint* (a digest of every value its
computation reads, for the cache key) and each document's *item* (those values as plain
Python objects, for the computation). A :class:`ByDocument` gives both for chosen columns of
one table, without turning the whole table into Python objects:

- :func:`document_digests` hashes each document's row range straight from the buffers: a
  block of fixed-width values per row (integers, float bits, the byte length of each text,
  a bit per missing value) and the UTF-8 bytes of the texts, which Arrow keeps back to back.
  Any change to a value, an offset or a missing marker changes the digest.
- :meth:`ByDocument.rows` builds one document's rows only when asked, so a
  :class:`LazyItems` sequence builds the items of the documents a step computes, and
  nothing when every document comes from the cache.

Examples
--------
>>> import pandas as pd
>>> sentences = pd.DataFrame({"doc_id": ["a", "a", "b"], "text": ["推动发展。", "建设美丽中国", "稳增长"]})
>>> by = ByDocument.runs(sentences, ["text"])
>>> len(by), by.values(0, "text"), by.values(1, "text")
(2, ['推动发展。', '建设美丽中国'], ['稳增长'])
>>> first, second = document_digests(by)
>>> edited = sentences.assign(text=["推动发展。", "建设美丽中国", "稳就业"])
>>> document_digests(ByDocument.runs(edited, ["text"])) == [first, second]
False
>>> document_digests(ByDocument.runs(edited, ["text"]))[0] == first
True
"""
from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd


def _arrow(column: pd.Series):
    """A column as a pyarrow array, or chunked array as it is held (missing values null; no copy of
    an Arrow-backed column)."""
    import pyarrow as pa

    return pa.array(column, from_pandas=True)


def _is_text(arrow_array) -> bool:
    import pyarrow as pa

    return pa.types.is_string(arrow_array.type) or pa.types.is_large_string(arrow_array.type)


class _TextBytes:
    """The UTF-8 bytes of rows ``a:b`` of a text array, chunked or not, fed to a hash with no copy.

    Row ``i``'s byte length is ``lengths[i]``. Rows that are in one chunk are one contiguous
    slice of its data buffer; rows over several chunks are a slice of each.
    """

    def __init__(self, arr):
        import pyarrow as pa

        chunks = [c for c in (arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]) if len(c)]
        pieces = [_text_buffers(c) for c in chunks]
        self.lengths = (np.concatenate([np.diff(offsets) for offsets, _ in pieces]) if pieces
                        else np.zeros(0, dtype=np.int64))
        self._first_rows = np.cumsum([0] + [len(c) for c in chunks]).tolist()
        self._pieces = [(offsets, memoryview(data)) for offsets, data in pieces]

    def feed(self, h, a: int, b: int) -> None:
        """Feed rows ``a:b``'s bytes to ``h``, chunk by chunk (one slice when they are in one chunk)."""
        k = bisect_right(self._first_rows, a) - 1 if len(self._pieces) > 1 else 0
        while a < b and k < len(self._pieces):
            first = self._first_rows[k]
            upto = min(b, self._first_rows[k + 1])
            offsets, data = self._pieces[k]
            h.update(data[int(offsets[a - first]):int(offsets[upto - first])])
            a, k = upto, k + 1


def _text_buffers(arr) -> tuple[np.ndarray, np.ndarray]:
    """``(offsets, data)`` of a string array: row ``i`` is ``data[offsets[i]:offsets[i + 1]]``."""
    import pyarrow as pa

    offset_type = np.int64 if pa.types.is_large_string(arr.type) else np.int32
    _, offsets_buffer, data_buffer = arr.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype=offset_type)[arr.offset:arr.offset + len(arr) + 1]
    data = np.frombuffer(data_buffer, dtype=np.uint8) if data_buffer is not None else np.zeros(0, dtype=np.uint8)
    return offsets.astype(np.int64), data


class ByDocument:
    """Chosen columns of a table whose rows are grouped by document, group by group.

    Build it with :meth:`runs` (each run of equal ``doc_id`` rows one group, table order),
    :meth:`of` (the rows of each of the given documents) or :meth:`each_row`.

    Parameters
    ----------
    table : DataFrame
        Its rows of group ``g`` are ``starts[g]:ends[g]``.
    columns : sequence of str
        The columns read.
    starts, ends : array of int
        Each group's row range.
    """

    def __init__(self, table: pd.DataFrame, columns: Sequence[str], starts: np.ndarray, ends: np.ndarray):
        missing = [c for c in columns if c not in table.columns]
        if missing:
            raise ValueError(f"the table has no column {', '.join(map(repr, missing))}; it has {list(table.columns)}")
        self.table, self.columns = table, list(columns)
        self.starts, self.ends = np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64)
        self._starts, self._ends = self.starts.tolist(), self.ends.tolist()
        self._getters = None
        self._hashing = None

    # --- grouping ------------------------------------------------------------------------

    @classmethod
    def runs(cls, table: pd.DataFrame, columns: Sequence[str]) -> "ByDocument":
        """One group per run of consecutive rows with the same ``doc_id``, in table order."""
        cuts = _run_starts(table["doc_id"])
        return cls(table, columns, cuts[:-1], cuts[1:])

    @classmethod
    def of(cls, table: pd.DataFrame, columns: Sequence[str], doc_ids: Sequence[str]) -> "ByDocument":
        """One group per entry of ``doc_ids``: that document's rows in table order (none if it has none)."""
        cuts = _run_starts(table["doc_id"])
        wanted = pd.Index(pd.unique(np.asarray(doc_ids, dtype=object)))
        run_codes = wanted.get_indexer(np.asarray(table["doc_id"].iloc[cuts[:-1]], dtype=object))
        known = run_codes[run_codes >= 0]
        if len(known) > 1 and (known[1:] <= known[:-1]).any():  # a document's rows apart, or out of order
            codes = wanted.get_indexer(np.asarray(table["doc_id"], dtype=object))
            order = np.argsort(codes, kind="stable")
            table = table.take(order).reset_index(drop=True)
            cuts = _run_starts(table["doc_id"])
            run_codes = wanted.get_indexer(np.asarray(table["doc_id"].iloc[cuts[:-1]], dtype=object))
        starts = np.zeros(len(wanted), dtype=np.int64)
        ends = np.zeros(len(wanted), dtype=np.int64)
        hit = run_codes >= 0
        starts[run_codes[hit]], ends[run_codes[hit]] = cuts[:-1][hit], cuts[1:][hit]
        position = wanted.get_indexer(np.asarray(doc_ids, dtype=object))
        return cls(table, columns, starts[position], ends[position])

    @classmethod
    def each_row(cls, table: pd.DataFrame, columns: Sequence[str]) -> "ByDocument":
        """One group per row (a table of documents)."""
        starts = np.arange(len(table), dtype=np.int64)
        return cls(table, columns, starts, starts + 1)

    def __len__(self) -> int:
        return len(self._starts)

    # --- items ---------------------------------------------------------------------------

    def _getter(self, column: str) -> Callable[[int, int], list]:
        series = self.table[column]
        if isinstance(series.dtype, np.dtype) and series.dtype.kind in "iub":
            values = series.to_numpy()
            return lambda a, b: values[a:b].tolist()
        arr = _arrow(series)
        return lambda a, b: arr.slice(a, b - a).to_pylist()

    def values(self, group: int, column: str) -> list:
        """One column's values in group ``group``, as Python objects (None where missing)."""
        if self._getters is None:
            self._getters = {c: self._getter(c) for c in self.columns}
        return self._getters[column](self._starts[group], self._ends[group])

    def rows(self, group: int) -> list[tuple]:
        """The rows of group ``group``: a tuple of the chosen columns' values each (None where missing)."""
        return list(zip(*(self.values(group, c) for c in self.columns)))

    # --- digests -------------------------------------------------------------------------

    def _prepare(self) -> tuple[memoryview, int, list[tuple[memoryview, list, list]]]:
        """The fixed-width block (one row of int64 per table row) and the text data of each text column."""
        n = len(self.table)
        widths: list[np.ndarray] = []  # int64 columns of the block
        texts = []
        nulls = np.zeros(n, dtype=np.int64)  # bit j: column j is missing on that row
        for j, column in enumerate(self.columns):
            series = self.table[column]
            missing = series.isna().to_numpy(dtype=bool)
            nulls |= missing.astype(np.int64) << j
            if series.dtype.kind in "iub":
                widths.append(series.to_numpy(dtype=np.int64, na_value=0))
                continue
            if series.dtype.kind == "f":
                widths.append(series.to_numpy(dtype=np.float64, na_value=0.0).view(np.int64))
                continue
            arr = _arrow(series)
            if not _is_text(arr):  # any other kind of value: its type and repr, as text
                arr = _arrow(series.astype(object).map(lambda v: f"{type(v).__name__}:{v!r}").astype("str"))
            text = _TextBytes(arr)
            widths.append(text.lengths)
            texts.append(text)
        if len(self.columns) > 63:
            raise ValueError(f"at most 63 columns can be fingerprinted, not {len(self.columns)}")
        block = np.empty((n, len(widths) + 1), dtype=np.int64)
        block[:, 0] = nulls
        for k, w in enumerate(widths, start=1):
            block[:, k] = w
        return memoryview(block.astype("<i8", copy=False)).cast("B"), block.shape[1] * 8, texts

    def update(self, h, group: int) -> None:
        """Feed group ``group``'s values to the hash ``h`` (its row count, its fixed-width block, its texts' bytes)."""
        if self._hashing is None:
            self._hashing = self._prepare()
        block, row_bytes, texts = self._hashing
        a, b = self._starts[group], self._ends[group]
        h.update((b - a).to_bytes(8, "little"))
        h.update(block[a * row_bytes:b * row_bytes])
        for text in texts:
            text.feed(h, a, b)


def _run_starts(doc_ids: pd.Series) -> np.ndarray:
    """Row positions where a run of equal ``doc_id`` begins, and the row count at the end."""
    n = len(doc_ids)
    if n == 0:
        return np.zeros(1, dtype=np.int64)
    arr = _arrow(doc_ids)
    if _is_text(arr):
        import pyarrow.compute as pc

        changed = pc.fill_null(pc.not_equal(arr.slice(1), arr.slice(0, n - 1)), True).to_numpy(zero_copy_only=False)
    else:
        codes = pd.factorize(doc_ids)[0]
        changed = codes[1:] != codes[:-1]
    return np.concatenate([[0], np.flatnonzero(changed) + 1, [n]]).astype(np.int64)


def document_digests(*tables: ByDocument) -> list[bytes]:
    """A SHA-256 digest per document over the chosen columns of every table (all grouped alike).

    Examples
    --------
    >>> import pandas as pd
    >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "year": pd.array([2021, None], dtype="Int64")})
    >>> paragraphs = pd.DataFrame({"doc_id": ["b", "b"], "text": ["一、", "目标"], "start": [0, 3]})
    >>> digests = document_digests(ByDocument.each_row(docs, ["doc_id", "year"]),
    ...                            ByDocument.of(paragraphs, ["text", "start"], docs["doc_id"]))
    >>> len(digests), len(set(digests)), len(digests[0])
    (2, 2, 32)
    """
    n = len(tables[0]) if tables else 0
    if any(len(t) != n for t in tables):
        raise ValueError(f"the tables are grouped into different numbers of documents: {[len(t) for t in tables]}")
    out = []
    for group in range(n):
        h = hashlib.sha256()
        for table in tables:
            table.update(h, group)
        out.append(h.digest())
    return out


class LazyItems(Sequence):
    """``[build(0), build(1), ...]`` of length ``n``, each item built only when it is read.

    >>> items = LazyItems(3, lambda i: i * i)
    >>> len(items), items[2], items[-1], list(items)
    (3, 4, 4, [0, 1, 4])
    """

    def __init__(self, n: int, build: Callable[[int], object]):
        self.n, self.build = n, build

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, k):
        if isinstance(k, slice):
            return [self.build(i) for i in range(*k.indices(self.n))]
        if k < 0:
            k += self.n
        if not 0 <= k < self.n:
            raise IndexError(k)
        return self.build(k)
