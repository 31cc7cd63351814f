"""The ``tokens`` column: each row's tokens as ids into one vocabulary.

:func:`~workbench.segment_corpus` gives its token lists as one Arrow column of type
``large_list<dictionary<int32, string>>`` (pandas ``ArrowDtype``): a row reads as a
Python list of str (``iloc``, iteration, ``tolist``, ``map(len)``, ``explode``), but the
column holds one 4-byte id per token and each distinct token once. On 10,000 reports
that is about 70 MB where lists of str took about 260 MB, it is written to and read
from the cache without a Python object per token, and counting reads the ids directly.

Every function here takes any column of token lists: this one, Arrow lists of strings,
or a plain column of Python lists (a table made by hand); :func:`parts` turns each
into the same three arrays, so every consumer has one way in.

>>> column = from_lists([["推动", "发展"], [], ["发展"]])
>>> pd.Series(column).tolist()
[['推动', '发展'], [], ['发展']]
>>> p = parts(column)
>>> p.vocabulary.tolist(), p.ids.tolist(), p.offsets.tolist()
(['推动', '发展'], [0, 1, 1], [0, 2, 2, 3])
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import chain

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

TYPE = pa.large_list(pa.dictionary(pa.int32(), pa.string()))
DTYPE = pd.ArrowDtype(TYPE)
_BLOCK = 1 << 20  # tokens made Python references at once by :func:`lists` (8 bytes each)


class Numbering(dict):
    """token -> its id, numbered as first seen; ``tokens`` lists them in that order.

    One dict look-up per token (``map`` in C); Python code runs once per distinct token.

    >>> numbering = Numbering()
    >>> numbering.ids(["发展", "改革", "发展"]).tolist(), numbering.tokens
    ([0, 1, 0], ['发展', '改革'])
    """

    def __init__(self):
        super().__init__()
        self.tokens: list[str] = []
        self._lock = threading.Lock()

    def __missing__(self, token: str) -> int:
        # threads may number tokens at once (segmentation's threads): each new token gets one id,
        # and its entry in ``tokens`` exists before any thread can read the id
        with self._lock:
            code = dict.get(self, token)
            if code is None:
                code = len(self.tokens)
                self.tokens.append(token)
                dict.__setitem__(self, token, code)
        return code

    def ids(self, tokens: Iterable[str], count: int = -1) -> np.ndarray:
        """The ids of ``tokens`` (new ones numbered), as int32."""
        return np.fromiter(map(self.__getitem__, tokens), dtype=np.int32, count=count)

    def rows(self, rows: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
        """Rows of tokens as ``(ids, lengths)``: every row's ids one after another, and each row's length."""
        lengths = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
        return self.ids(chain.from_iterable(rows), int(lengths.sum())), lengths


def id_rows(rows: Sequence[Sequence[int]]) -> tuple[np.ndarray, np.ndarray]:
    """Rows of ids (numbered already) as :meth:`Numbering.rows` gives rows of tokens: ``(ids, lengths)``.

    >>> [a.tolist() for a in id_rows([[0, 1], [], [1]])]
    [[0, 1, 1], [2, 0, 1]]
    """
    lengths = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
    return np.fromiter(chain.from_iterable(rows), dtype=np.int32, count=int(lengths.sum())), lengths


def alphabetical(tokens: Sequence[str], ids: np.ndarray) -> tuple[list[str], np.ndarray]:
    """``tokens`` sorted, and ``ids`` (int32 ids into ``tokens``) made ids into the sorted list, in place.

    >>> ids = np.array([0, 1, 0], dtype=np.int32)
    >>> alphabetical(["改革", "发展"], ids)
    (['发展', '改革'], array([1, 0, 1], dtype=int32))
    """
    order = sorted(range(len(tokens)), key=tokens.__getitem__)
    rank = np.empty(len(tokens), dtype=np.int32)
    rank[order] = np.arange(len(tokens), dtype=np.int32)
    np.take(rank, ids, out=ids, mode="clip")  # (element by element, no second array: "raise" would buffer)
    return [tokens[i] for i in order], ids


@dataclass(frozen=True)
class Parts:
    """A token column as arrays: row ``i`` is ``vocabulary[ids[offsets[i]:offsets[i + 1]]]``."""

    dictionary: pa.Array  # Arrow strings: each distinct token once
    ids: np.ndarray  # int32: every row's token ids, one row after another
    offsets: np.ndarray  # int64, one more than the rows, from 0

    @cached_property
    def vocabulary(self) -> np.ndarray:
        """The dictionary as an object array of str."""
        return _object_array(self.dictionary.to_pylist())

    @property
    def lengths(self) -> np.ndarray:
        return np.diff(self.offsets)


def from_parts(vocabulary: Sequence[str] | np.ndarray | pa.Array, ids: np.ndarray,
               offsets: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """The column whose rows are ``vocabulary[ids[offsets[i]:offsets[i + 1]]]`` (checked: ids in range,
    offsets from 0, in order and ending at ``len(ids)``; else ``ValueError``)."""
    dictionary = vocabulary if isinstance(vocabulary, pa.Array) else _dictionary(vocabulary)
    ids = np.ascontiguousarray(ids, dtype=np.int32)
    offsets = np.ascontiguousarray(offsets, dtype=np.int64)
    if len(offsets) == 0 or offsets[0] != 0 or offsets[-1] != len(ids) or (np.diff(offsets) < 0).any():
        raise ValueError("token offsets must start at 0, never decrease and end at the number of tokens")
    if len(ids) and (ids.min() < 0 or ids.max() >= len(dictionary)):
        raise ValueError("token ids outside the vocabulary")
    values = pa.DictionaryArray.from_arrays(pa.array(ids), dictionary)
    return pd.arrays.ArrowExtensionArray(pa.chunked_array([pa.LargeListArray.from_arrays(pa.array(offsets), values)],
                                                          type=TYPE))


def from_lists(lists: Iterable[Sequence[str]]) -> pd.api.extensions.ExtensionArray:
    """The column of Python token lists (each distinct token numbered as first seen)."""
    numbering = Numbering()
    ids, lengths = numbering.rows(list(lists))
    return from_parts(numbering.tokens, ids, np.r_[np.int64(0), np.cumsum(lengths)])


def _dictionary(tokens) -> pa.Array:
    """Distinct tokens as Arrow strings (``TypeError`` for anything but str)."""
    tokens = list(tokens)
    try:
        return pa.array(tokens, pa.string())
    except (pa.ArrowException, UnicodeError) as exc:
        bad = next((t for t in tokens if not isinstance(t, str)), None)
        problem = f"{type(bad).__name__} ({bad!r})" if bad is not None else exc
        raise TypeError(f"tokens must be strings of valid Unicode, not {problem}") from None


def parts(values) -> Parts:
    """Any column of token lists (Series, array or list of lists) as :class:`Parts`.

    This module's column gives its own buffers (chunks with different vocabularies, as
    ``pd.concat`` makes, are numbered into one); Arrow lists of strings are dictionary-
    encoded; Python lists are numbered as first seen. A missing row counts as no tokens;
    a missing token, or a row that is not a list, is a ``ValueError``.
    """
    if isinstance(values, pd.Series):
        values = values.array
    if isinstance(values, pd.arrays.ArrowExtensionArray):
        return _arrow_parts(values._pa_array)
    if isinstance(values, (pa.Array, pa.ChunkedArray)):
        return _arrow_parts(values)
    rows = list(values)
    for i, row in enumerate(rows):
        if row is None or (isinstance(row, float) and np.isnan(row)):
            rows[i] = ()
        elif isinstance(row, str) or not isinstance(row, (list, tuple, np.ndarray)):
            raise ValueError(f"row {i} of the tokens column is a {type(row).__name__}, not a list of tokens")
    numbering = Numbering()
    ids, lengths = numbering.rows(rows)
    return Parts(_dictionary(numbering.tokens), ids, np.r_[np.int64(0), np.cumsum(lengths)])


def _arrow_parts(array) -> Parts:
    chunks = array.chunks if isinstance(array, pa.ChunkedArray) else [array]
    if not (pa.types.is_list(array.type) or pa.types.is_large_list(array.type)):
        raise ValueError(f"a tokens column holds lists of tokens, not {array.type}")
    lengths, ids, vocabularies = [], [], []
    for chunk in chunks:
        lengths.append(pc.list_value_length(chunk).fill_null(0).to_numpy().astype(np.int64, copy=False))
        flat = chunk.flatten()
        if flat.null_count:
            raise ValueError("a token list holds a missing token")
        if not pa.types.is_dictionary(flat.type):
            flat = flat.dictionary_encode()
        ids.append(flat.indices.to_numpy().astype(np.int32, copy=False))
        vocabularies.append(flat.dictionary)
    if not chunks:
        return Parts(pa.array([], pa.string()), np.zeros(0, np.int32), np.zeros(1, np.int64))
    dictionary = vocabularies[0]
    if not all(v is dictionary or v.equals(dictionary) for v in vocabularies[1:]):
        numbering = Numbering()  # chunks with vocabularies of their own: one numbering over them all
        ids = [numbering.ids(v.to_pylist(), len(v))[i] for v, i in zip(vocabularies, ids)]
        dictionary = _dictionary(numbering.tokens)
    if not pa.types.is_string(dictionary.type):
        dictionary = dictionary.cast(pa.string())
    lengths = np.concatenate(lengths)
    ids = np.concatenate(ids) if len(ids) > 1 else ids[0]
    return Parts(dictionary, ids, np.r_[np.int64(0), np.cumsum(lengths)])


def _object_array(tokens: list) -> np.ndarray:
    out = np.empty(len(tokens), dtype=object)
    out[:] = tokens
    return out


def lists(values) -> list[list[str]]:
    """The rows as Python lists; equal tokens are one str object (the vocabulary's).

    Made a block of about a million tokens at a time: one list of the block's tokens, sliced
    row by row.
    """
    p = values if isinstance(values, Parts) else parts(values)
    starts, ends = p.offsets[:-1], p.offsets[1:]
    cuts = np.unique(np.r_[0, np.searchsorted(ends, np.arange(_BLOCK, p.offsets[-1], _BLOCK), side="right"),
                           len(ends)])
    out: list[list[str]] = []
    for r0, r1 in zip(cuts[:-1].tolist(), cuts[1:].tolist()):
        t0 = int(starts[r0])
        block = p.vocabulary[p.ids[t0:int(ends[r1 - 1])]].tolist()
        out += [block[a:b] for a, b in zip((starts[r0:r1] - t0).tolist(), (ends[r0:r1] - t0).tolist())]
    return out


def kept(values, keep: Callable[[str], bool]) -> pd.api.extensions.ExtensionArray:
    """The column without the tokens ``keep`` rejects (asked once per distinct token); the
    vocabulary keeps only the tokens still used, in their order.

    >>> pd.Series(kept(from_lists([["推动", "发展"], ["推动"]]), lambda t: t != "推动")).tolist()
    [['发展'], []]
    """
    p = parts(values)
    wanted = np.fromiter(map(keep, p.vocabulary), dtype=bool, count=len(p.dictionary))
    selected = wanted[p.ids]
    ids = p.ids[selected]
    used = np.zeros(len(p.dictionary), dtype=bool)
    used[ids] = True
    new_id = np.cumsum(used, dtype=np.int64) - 1
    return from_parts(p.dictionary.filter(pa.array(used)), new_id[ids],
                      np.r_[np.int64(0), np.cumsum(selected, dtype=np.int64)][p.offsets])


def joined(values, unit: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """One row per unit: the tokens of its rows, in row order. ``unit`` numbers each row's
    unit from 0 (-1: the row is left out); units come in the order of their numbers.

    >>> pd.Series(joined(from_lists([["推动"], ["开放"], ["发展"]]), np.array([0, 1, 0]))).tolist()
    [['推动', '发展'], ['开放']]
    """
    p = joined_parts(values, unit)
    return from_parts(p.dictionary, p.ids, p.offsets)


def joined_parts(values, unit: np.ndarray) -> Parts:
    """:func:`joined` as :class:`Parts` (the ids are not copied when every row is kept in order)."""
    p = values if isinstance(values, Parts) else parts(values)
    unit = np.asarray(unit, dtype=np.int64)
    if len(unit) != len(p.offsets) - 1:
        raise ValueError(f"{len(unit)} units given for {len(p.offsets) - 1} rows")
    rows = np.flatnonzero(unit >= 0)
    if len(rows) > 1 and (np.diff(unit[rows]) < 0).any():
        rows = rows[np.argsort(unit[rows], kind="stable")]
    n_units = int(unit.max()) + 1 if len(rows) else 0
    lengths = p.lengths[rows]
    if len(rows) == len(unit) and (rows == np.arange(len(rows))).all():
        ids = p.ids  # every row kept, in order: the same ids, cut at other places
    else:  # each kept row's range of ids, in the units' order
        firsts = np.r_[np.int64(0), np.cumsum(lengths)[:-1]]
        ids = p.ids[np.repeat(p.offsets[rows] - firsts, lengths) + np.arange(int(lengths.sum()))]
    per_unit = np.bincount(unit[rows], weights=lengths, minlength=n_units).astype(np.int64)
    return Parts(p.dictionary, ids, np.r_[np.int64(0), np.cumsum(per_unit)])


def units(table: pd.DataFrame, keys: list[str], *, dropna: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Each row's unit (equal values of ``keys``), numbered as first seen as ``groupby(keys, sort=False)``
    numbers them, and each unit's first row. A row with a missing key is left out (-1), or with
    ``dropna=False`` is a unit of its own missing value.

    >>> unit, first = units(pd.DataFrame({"doc_id": ["b", "a", "b", None]}), ["doc_id"])
    >>> unit.tolist(), first.tolist()
    ([0, 1, 0, -1], [0, 1])
    """
    codes = np.zeros(len(table), dtype=np.int64)
    missing = np.zeros(len(table), dtype=bool)
    for key in keys:
        column, distinct = pd.factorize(table[key], use_na_sentinel=dropna)
        missing |= column < 0
        codes = codes * max(len(distinct), 1) + column
    if not missing.any():  # the usual table: each unit one run of rows
        change = np.r_[True, codes[1:] != codes[:-1]] if len(codes) else np.zeros(0, dtype=bool)
        first = np.flatnonzero(change)
        if len(np.unique(codes[first])) == len(first):
            return np.cumsum(change, dtype=np.int64) - 1, first
    kept = np.flatnonzero(~missing)
    distinct, first = np.unique(codes[kept], return_index=True)
    order = np.argsort(first, kind="stable")  # units as first seen
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    unit = np.full(len(table), -1, dtype=np.int64)
    unit[kept] = rank[np.searchsorted(distinct, codes[kept])]
    return unit, kept[first[order]]


def object_lists(values) -> np.ndarray:
    """:func:`lists` as an object array, one list per element."""
    rows = lists(values)
    return np.fromiter(rows, dtype=object, count=len(rows))
