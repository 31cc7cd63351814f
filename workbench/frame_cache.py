"""The result cache: a step's whole tables stored column by column in one ``.npz`` file.

Each run of loading, segmentation or target extraction writes its finished tables to one
file, named by a key over all its documents' keys (:mod:`workbench.cache_keys`):

- when *no* document changed, the next run reads the tables back from that file;
- when some did, the rows of every unchanged document are taken from the newest files
  that hold its key (:func:`reuse`) and only the changed documents are computed.

Columns are stored as plain numpy arrays:

- numbers and booleans as they are; nullable integers (``Int64``) as values plus a mask;
- Arrow-backed text columns (pandas' ``str`` dtype) as Arrow lays them out: one UTF-8 buffer,
  each value's byte offsets and a mask of missing values, read back as Arrow arrays over those
  buffers without a Python string per row;
- other text columns as one UTF-8 buffer plus each value's length (and a mask of missing values);
- token columns (:mod:`workbench.token_column`) as they are held: the vocabulary's Arrow
  buffers, ``int32`` token ids and each row's offsets into them, read back without a
  Python object per token;
- per document: its key (``docs:keys``) and, per table, the document each row belongs to.

The file holds only numpy arrays, never pickle: an ``.npz`` of uncompressed members, written
in the order of its checksum. Reading puts each member's bytes straight into its array (no zip
CRC-32, no second copy) while a thread hashes the arrays already read; a file whose content
does not match its SHA-256 checksum, or whose buffers are inconsistent, is not trusted.
Written atomically; an unreadable file is reported and ignored (the step recomputes).
"""
from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import struct
import zipfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from itertools import accumulate

import numpy as np
import pandas as pd
import pyarrow as pa

from . import perf, token_column
from .resources import cache_dir

log = logging.getLogger("workbench")
VERSION = 5  # 2: documents' keys and the owner of every row; 3: a checksum of the content; 4: Arrow text columns;
# 5: token columns as Arrow vocabulary buffers, ids and offsets
KEEP = 4  # files kept per kind (the newest): each edit of a corpus makes a new one


def usable() -> bool:
    """Whether the cache directory can be used; when not, say why (once per directory) and go on without it."""
    try:
        cache_dir()
        return True
    except OSError as exc:
        if str(exc) not in _UNUSABLE_SAID:
            _UNUSABLE_SAID.add(str(exc))
            log.warning("the cache is off: %s", exc)
        return False


_UNUSABLE_SAID: set[str] = set()


def _folder(kind: str):
    """The folder of a kind's files; None when the cache directory cannot be used."""
    try:
        return cache_dir() / kind
    except OSError:
        return None


def _path(kind: str, key: str):
    return cache_dir() / kind / f"{key}.npz"


def _encode_text(values: list) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    missing = np.fromiter((not isinstance(v, str) for v in values), dtype=bool, count=len(values))
    texts = ["" if m else v for v, m in zip(values, missing)]
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    return np.frombuffer("".join(texts).encode("utf-8", "surrogatepass"), dtype=np.uint8), lengths, missing


def _pieces(sequence, lengths: np.ndarray) -> list:
    """``sequence`` (a str or list) cut into consecutive pieces of the given lengths."""
    if len(lengths) and (lengths.min() < 0 or int(lengths.sum()) != len(sequence)):
        raise ValueError("stored lengths do not add up to the stored values")
    ends = list(accumulate(lengths.tolist()))
    return [sequence[a:b] for a, b in zip([0, *ends[:-1]], ends)]


def _decode_text(blob: np.ndarray, lengths: np.ndarray, missing: np.ndarray | None = None) -> list:
    values = _pieces(blob.tobytes().decode("utf-8", "surrogatepass"), lengths)
    if missing is not None and missing.any():
        for i in np.flatnonzero(missing).tolist():
            values[i] = None
    return values


def _columns(name: str, column: pd.Series) -> tuple[dict, dict[str, np.ndarray]]:
    """The arrays of one column and its description."""
    dtype = column.dtype
    prefix = f"{name}:"
    if isinstance(dtype, pd.Int64Dtype):
        mask = column.isna().to_numpy()
        return {"kind": "Int64"}, {prefix + "values": column.fillna(0).to_numpy(dtype=np.int64), prefix + "mask": mask}
    if dtype.kind in "biuf" and not isinstance(dtype, pd.api.extensions.ExtensionDtype):
        return {"kind": "numpy"}, {prefix + "values": column.to_numpy()}
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        offsets, data, missing = _arrow_buffers(column.array)
        return {"kind": "arrow_text", "dtype": str(dtype)}, {prefix + "offsets": offsets, prefix + "data": data,
                                                             prefix + "missing": missing}
    if isinstance(dtype, pd.ArrowDtype) and pa.types.is_large_list(dtype.pyarrow_dtype):  # a token column
        return _token_columns(prefix, column)
    values = column.tolist()
    if all(isinstance(v, str) or v is None or (isinstance(v, float) and np.isnan(v)) for v in values):
        blob, lengths, missing = _encode_text(values)
        return {"kind": "text", "dtype": str(dtype)}, {prefix + "blob": blob, prefix + "lengths": lengths,
                                                       prefix + "missing": missing}
    raise TypeError(f"cannot store column {name!r} of dtype {dtype} in the frame cache")


def _token_columns(prefix: str, column) -> tuple[dict, dict[str, np.ndarray]]:
    """The arrays of a column of token lists (:func:`workbench.token_column.parts`) and its description."""
    p = token_column.parts(column)
    offsets, data, _ = _arrow_buffers(p.dictionary)
    return {"kind": "tokens"}, {prefix + "vocabulary_offsets": offsets, prefix + "vocabulary": data,
                                prefix + "ids": p.ids, prefix + "offsets": p.offsets}


def _arrow_buffers(values) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """An Arrow-backed text array's byte offsets (from 0), UTF-8 bytes and mask of missing values (views, no copy
    when the array is one chunk)."""
    array = pa.array(values)
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if not pa.types.is_large_string(array.type):
        array = array.cast(pa.large_string())
    n = len(array)
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int64)[array.offset:array.offset + n + 1]
    data = array.buffers()[2]
    data = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, dtype=np.uint8)
    first = int(offsets[0]) if n else 0
    data = data[first:int(offsets[-1])] if n else data[:0]
    missing = array.is_null().to_numpy(zero_copy_only=False)
    return (offsets - first if first else offsets), data, missing


def text_array(offsets: np.ndarray, data, valid=None, nulls: int = 0) -> pa.LargeStringArray:
    """An Arrow ``large_string`` array of ``len(offsets) - 1`` values over the buffers given, without a
    copy: int64 byte ``offsets``, the UTF-8 ``data`` (a buffer, bytes or uint8 array) and Arrow's validity
    bitmap ``valid`` (None: no value missing). Not validated: the caller validates what it did not make.

    >>> text_array(np.array([0, 3, 3]), "長".encode()).to_pylist()
    ['長', '']
    """
    offsets = np.ascontiguousarray(offsets, dtype=np.int64)  # (no copy when it is already)
    buffers = [None if valid is None else pa.py_buffer(valid), pa.py_buffer(offsets),
               data if isinstance(data, pa.Buffer) else pa.py_buffer(data)]
    return pa.Array.from_buffers(pa.large_string(), len(offsets) - 1, buffers, null_count=nulls)


def _arrow_text(spec: dict, offsets: np.ndarray, data: np.ndarray, missing: np.ndarray):
    """A pandas text array over stored Arrow buffers (validated: offsets in order and in range, UTF-8)."""
    n = len(missing)
    if offsets.dtype != np.int64 or len(offsets) != n + 1 or data.dtype != np.uint8 or missing.dtype != bool:
        raise ValueError("stored text buffers of the wrong shape or type")
    nulls = int(missing.sum())
    array = text_array(offsets, data, np.packbits(~missing, bitorder="little") if nulls else None, nulls)
    array.validate(full=True)
    dtype = pd.api.types.pandas_dtype(spec["dtype"])
    if not (isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"):
        raise ValueError(f"stored text of dtype {spec['dtype']!r}")
    return pd.arrays.ArrowStringArray(pa.chunked_array([array], type=pa.large_string()), dtype=dtype)


def _column(name: str, spec: dict, arrays) -> object:
    prefix = f"{name}:"
    kind = spec["kind"]
    if kind == "numpy":
        return arrays[prefix + "values"]
    if kind == "arrow_text":
        return _arrow_text(spec, arrays[prefix + "offsets"], arrays[prefix + "data"], arrays[prefix + "missing"])
    if kind == "Int64":
        return pd.arrays.IntegerArray(arrays[prefix + "values"], arrays[prefix + "mask"])
    if kind == "tokens":
        offsets = arrays[prefix + "vocabulary_offsets"]
        vocabulary = _arrow_text({"dtype": "str"}, offsets, arrays[prefix + "vocabulary"],
                                 np.zeros(max(len(offsets) - 1, 0), dtype=bool))._pa_array.chunk(0)
        ids, offsets = arrays[prefix + "ids"], arrays[prefix + "offsets"]
        if ids.dtype != np.int32 or offsets.dtype != np.int64:
            raise ValueError("stored token ids or offsets of the wrong type")
        return token_column.from_parts(vocabulary.cast(pa.string()), ids, offsets)
    values = _decode_text(arrays[prefix + "blob"], arrays[prefix + "lengths"], arrays[prefix + "missing"])
    return pd.array(values, dtype=spec["dtype"]) if spec["dtype"] != "object" else values


def write(kind: str, key: str, frames: dict[str, pd.DataFrame], *, doc_keys: Sequence[str | None] = (),
          owners: dict[str, np.ndarray] | None = None) -> None:
    """Store named DataFrames (a failure to write only logs: the cache is an optimisation).

    ``doc_keys`` are the documents' own keys and ``owners`` gives, for each frame, the
    position in ``doc_keys`` of the document each row belongs to; with them, a later run
    can :func:`reuse` the rows of single documents. A None key marks a document whose
    rows must not be reused.
    """
    from .output import atomic_path

    arrays, layout = {}, {"version": VERSION, "frames": {}}
    try:
        for frame_name, frame in frames.items():
            specs = []
            for i, col in enumerate(frame.columns):
                spec, data = _columns(f"{frame_name}/{i}", frame[col])
                specs.append([col, spec])
                arrays.update(data)
            layout["frames"][frame_name] = {"columns": specs, "rows": len(frame)}
    except TypeError as exc:
        log.warning("not caching %s tables (%s)", kind, exc)
        return
    arrays["docs:keys"] = np.array([k or "" for k in doc_keys], dtype="S64")
    for frame_name, owner in (owners or {}).items():
        arrays[f"docs:owner:{frame_name}"] = np.asarray(owner, dtype=np.int64)
    layout["checksum"] = _checksum(arrays)
    arrays = {name: arrays[name] for name in sorted(arrays)}  # in the checksum's order: hashed while read (_open)
    arrays["layout"] = np.frombuffer(json.dumps(layout, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)
    try:
        path = _path(kind, key)
        with atomic_path(path, suffix=TMP_SUFFIX) as tmp, open(tmp, "wb") as fh:
            np.savez(fh, **arrays)
    except OSError as exc:
        log.warning("could not write a %s cache file (%s)", kind, exc)
        return
    _prune(path.parent)


TMP_SUFFIX = ".partial"  # a file being written (np.savez needs no .npz suffix on an open file)
STALE_SECONDS = 3600  # a partial file older than this was left by a killed process


def _checksum(arrays: dict[str, np.ndarray]) -> str:
    """A digest of every array's name, type, shape and bytes: a file that does not match it
    (damaged, or edited by hand) is not trusted."""
    h = hashlib.sha256()  # faster than blake2b where the CPU has SHA instructions
    for name in sorted(arrays):
        if name != "layout":
            _feed(h, name, arrays[name])
    return h.hexdigest()


def digest(frame: pd.DataFrame, columns: Sequence[str]) -> str:
    """A SHA-256 digest of some columns' content as this cache stores them: each column's name,
    kind and arrays. Frames with the same digest hold the same values in the same rows (a
    ``TypeError`` for a column the cache cannot store). A column of token lists is hashed as
    the cache stores token columns, whether it holds Arrow lists or Python lists.

    >>> a = pd.DataFrame({"doc_id": ["甲", "乙"], "n": [1, 2]})
    >>> digest(a, ["doc_id", "n"]) == digest(a.copy(), ["doc_id", "n"]), digest(a, ["n"]) == digest(a[::-1], ["n"])
    (True, False)
    """
    specs, arrays = [], {}
    for i, col in enumerate(columns):
        try:
            spec, data = _columns(str(i), frame[col])
        except TypeError:
            if frame[col].dtype != object:
                raise
            try:
                spec, data = _token_columns(f"{i}:", frame[col])
            except ValueError:  # (not token lists either)
                raise TypeError(f"cannot hash column {col!r} of dtype object") from None
        specs.append([str(col), spec])
        arrays.update(data)
    return hashlib.sha256(json.dumps(specs, ensure_ascii=False).encode() + _checksum(arrays).encode()).hexdigest()


def _feed(h, name: str, array: np.ndarray) -> None:
    """One array's part of :func:`_checksum`."""
    array = np.ascontiguousarray(array)
    h.update(f"{name}|{array.dtype.str}|{array.shape}".encode())
    h.update(memoryview(array).cast("B"))


def _read_arrays(path, *, on_read: Callable[[str, np.ndarray], None] | None = None) -> dict[str, np.ndarray]:
    """The arrays of an ``.npz`` file, each member's bytes read straight into its array.

    ``np.load`` checks each member's zip CRC-32 and copies its bytes twice; here a member stored
    uncompressed (as :func:`numpy.savez` writes them) is read with one ``readinto`` and its
    integrity is left to the file's checksum (:func:`_checksum`). Object arrays are refused
    (never pickle); a member that does not fit in the file raises ValueError. A file with
    compressed members is read by ``np.load(allow_pickle=False)``. ``on_read(name, array)``
    is called as each array is read, in the file's order (not for a file read by ``np.load``).
    """
    with open(path, "rb") as fh:
        with zipfile.ZipFile(fh) as archive:
            members = {m.filename[:-4]: m for m in archive.infolist() if m.filename.endswith(".npy")}
        if any(m.compress_type != zipfile.ZIP_STORED for m in members.values()):
            fh.seek(0)
            with np.load(fh, allow_pickle=False) as npz:
                return {name: npz[name] for name in npz.files}
        size = os.fstat(fh.fileno()).st_size
        arrays = {}
        for name, member in sorted(members.items(), key=lambda pair: pair[1].header_offset):
            arrays[name] = _member_array(fh, member, size)
            if on_read is not None:
                on_read(name, arrays[name])
        return arrays


_LOCAL_HEADER = struct.Struct("<4s22xHH")  # a zip member's local header: signature, ..., name and extra lengths


def _member_array(fh, member: zipfile.ZipInfo, size: int) -> np.ndarray:
    """One uncompressed ``.npy`` member of an open zip file, read into a new array."""
    fh.seek(member.header_offset)
    signature, name_length, extra_length = _LOCAL_HEADER.unpack(_exactly(fh, _LOCAL_HEADER.size))
    if signature != b"PK\x03\x04":
        raise ValueError(f"member {member.filename!r} has no local header")
    fh.seek(name_length + extra_length, os.SEEK_CUR)
    start = fh.tell()
    version = np.lib.format.read_magic(fh)
    if version == (1, 0):
        shape, fortran_order, dtype = np.lib.format.read_array_header_1_0(fh)
    elif version == (2, 0):
        shape, fortran_order, dtype = np.lib.format.read_array_header_2_0(fh)
    else:
        raise ValueError(f"member {member.filename!r} of .npy format {version}")
    if dtype.hasobject:
        raise ValueError(f"member {member.filename!r} holds Python objects (never unpickled)")
    nbytes = math.prod(shape) * dtype.itemsize
    if fh.tell() - start + nbytes != member.file_size or fh.tell() + nbytes > size:
        raise ValueError(f"member {member.filename!r} is not as long as its header says")
    array = perf.kept_empty(shape[::-1] if fortran_order else shape, dtype)
    if nbytes and fh.readinto(memoryview(array).cast("B")) != nbytes:
        raise ValueError(f"member {member.filename!r} is cut short")
    return array.T if fortran_order else array


def _exactly(fh, n: int) -> bytes:
    data = fh.read(n)
    if len(data) != n:
        raise ValueError("the file is cut short")
    return data


def _open(path) -> tuple[dict[str, np.ndarray], dict[str, pd.DataFrame]]:
    """Every array of a cache file, read once, and its tables; ValueError when the content does not
    match the checksum written with it or is of another format version.

    The tables are built while the last arrays are still being hashed: building them validates
    every buffer they use (it must, for a consistent file written by hand), and they are
    returned only once the checksum matches.
    """
    h, hashed, pending, in_order = hashlib.sha256(), [], [], True

    def hash_later(name: str, array: np.ndarray) -> None:
        nonlocal in_order
        if name == "layout" or not in_order:
            return
        if hashed and name <= hashed[-1]:  # a file written before its arrays were sorted: hashed once read
            in_order = False
            return
        hashed.append(name)
        pending.append(hasher.submit(_feed, h, name, array))

    with ThreadPoolExecutor(max_workers=1) as hasher:  # hashes an array while the next is read (hashlib frees the GIL)
        try:
            arrays = _read_arrays(path, on_read=hash_later)
            layout = json.loads(arrays["layout"].tobytes().decode("utf-8"))
            if layout.get("version") != VERSION:
                raise OtherVersion(f"a cache file of another format (version {layout.get('version')})")
            frames = _frames(arrays, layout)
        finally:
            for done in pending:
                done.result()
    streamed = in_order and len(hashed) == len(arrays) - ("layout" in arrays)  # (np.load reads without on_read)
    if layout.get("checksum") != (h.hexdigest() if streamed else _checksum(arrays)):
        raise ValueError("its content does not match its checksum (damaged or edited)")
    return arrays, frames


class OtherVersion(ValueError):
    """A file written by another version of workbench: skipped quietly, pruned in time."""


def _files(folder) -> list:
    """The cache files of a kind, newest first (files being written, named ``.*``, are not counted)."""
    if folder is None:
        return []
    try:
        found = [(f.stat().st_mtime_ns, f) for f in folder.glob("*.npz") if not f.name.startswith(".")]
    except OSError:  # a file pruned by another process meanwhile, or no such folder
        return []
    return [f for _, f in sorted(found, key=lambda pair: pair[0], reverse=True)]


def _prune(folder) -> None:
    """Keep the ``KEEP`` newest files of a kind (each edit of a corpus makes a new key), and
    delete partial files that a killed process left behind."""
    import time

    stale = []
    try:
        stale = [f for f in folder.glob(f".*{TMP_SUFFIX}") if time.time() - f.stat().st_mtime > STALE_SECONDS]
    except OSError:
        pass
    for old in [*_files(folder)[KEEP:], *stale]:
        try:
            old.unlink(missing_ok=True)
        except OSError as exc:  # another process pruning at the same time
            log.debug("cache pruning in %s: %s", folder, exc)


# what a damaged or hand-edited file raises while read: it is ignored and recomputed
_UNREADABLE = (OSError, ValueError, KeyError, IndexError, TypeError, NotImplementedError, EOFError, UnicodeError,
               OverflowError, MemoryError, zipfile.BadZipFile)


def _frames(arrays, layout) -> dict[str, pd.DataFrame]:
    frames = {}
    for frame_name, frame in layout["frames"].items():
        data = {col: _column(f"{frame_name}/{i}", spec, arrays) for i, (col, spec) in enumerate(frame["columns"])}
        frames[frame_name] = pd.DataFrame(data, index=pd.RangeIndex(frame["rows"]), copy=False)
    return frames


def read(kind: str, key: str) -> dict[str, pd.DataFrame] | None:
    """The stored DataFrames, or None when there are none (or the file cannot be read)."""
    hit = load(kind, key)
    return None if hit is None else hit[0]


def load(kind: str, key: str) -> tuple[dict[str, pd.DataFrame], dict[str, np.ndarray]] | None:
    """The stored DataFrames and, per frame written with ``owners``, the position of the document each row belongs to;
    None when there is no such file or it cannot be trusted (it is then recomputed, with a warning)."""
    try:
        path = _path(kind, key)
        if not path.is_file():
            return None
        os.utime(path)  # recently used: kept by _prune
        arrays, frames = _open(path)
        n_docs = len(arrays["docs:keys"]) if "docs:keys" in arrays else 0
        owners = {}
        for name, frame in frames.items():
            if f"docs:owner:{name}" not in arrays:
                continue  # a file written without documents' keys (see write)
            owner = arrays[f"docs:owner:{name}"]
            if len(owner) != len(frame) or (len(owner) and (owner.min() < 0 or owner.max() >= n_docs)):
                raise ValueError(f"the rows of {name!r} do not match the documents")
            owners[name] = owner
        return frames, owners
    except OtherVersion:
        return None
    except _UNREADABLE as exc:
        log.warning("ignoring unreadable cache file in %s (%s); recomputing", kind, exc)
        return None


def cache_files() -> pd.DataFrame:
    """The cache's files, newest first: ``kind, documents, megabytes, last_used, path``.

    ``kind`` is the step (``corpus``, ``tokens``, ``targets``) or ``keywords`` (TF-IDF tables,
    :mod:`workbench.keyword_cache`); ``documents`` how many
    documents' rows the file holds.
    """
    rows = []
    try:
        root = cache_dir()
    except OSError:
        root = None
    for folder in sorted(p for p in root.iterdir() if p.is_dir()) if root is not None and root.is_dir() else []:
        for path in _files(folder):
            try:
                with np.load(path, allow_pickle=False) as arrays:
                    documents = len(arrays["docs:keys"]) if "docs:keys" in arrays.files else None
                stat = path.stat()
            except _UNREADABLE:
                continue
            rows.append({"kind": folder.name, "documents": documents, "megabytes": round(stat.st_size / 1e6, 1),
                         "last_used": pd.Timestamp(stat.st_mtime_ns, unit="ns").floor("s"), "path": str(path)})
    table = pd.DataFrame(rows, columns=["kind", "documents", "megabytes", "last_used", "path"])
    table["documents"] = table["documents"].astype("Int64")  # None: a file of an older format
    return table.sort_values("last_used", ascending=False, kind="stable").reset_index(drop=True)


def clear(kind: str | None = None) -> int:
    """Delete the cache files of one kind (or of all kinds); returns how many were deleted."""
    deleted = 0
    for path in cache_files()["path"]:
        if kind is None or Path(path).parent.name == kind:
            Path(path).unlink(missing_ok=True)
            deleted += 1
    return deleted


@dataclass
class Reused:
    """Rows of unchanged documents found in earlier files (see :func:`reuse`).

    ``frames[name]`` holds the rows, document by document in the order of the keys asked
    for, and ``owners[name]`` the position (in those keys) of the document of each row;
    ``found`` lists the positions of the documents found.
    """

    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    owners: dict[str, np.ndarray] = field(default_factory=dict)
    found: list[int] = field(default_factory=list)


def reuse(kind: str, doc_keys: Sequence[str | None]) -> Reused:
    """The stored rows of every document whose key is in one of the kind's files (newest first).

    Documents with the same key (two files with the same text) each get a copy of the rows.
    """
    wanted: dict[bytes, list[int]] = {}
    for position, key in enumerate(doc_keys):
        if key:
            wanted.setdefault(key.encode("ascii"), []).append(position)
    parts: dict[str, list[tuple[pd.DataFrame, np.ndarray]]] = {}
    for path in _files(_folder(kind)) if wanted else []:
        try:
            with np.load(path, allow_pickle=False) as npz:
                if "docs:keys" not in npz.files:
                    continue
                stored = npz["docs:keys"].tolist()
            first: dict[bytes, int] = {}  # a key stored twice (two documents with the same text): its first rows
            for j, k in enumerate(stored):
                if k in wanted:
                    first.setdefault(k, j)
            pairs = [(j, mine) for k, j in first.items() for mine in wanted[k]]
            if not pairs:
                continue
            arrays, frames = _open(path)
            found_parts = []
            for name, frame in frames.items():
                owner = arrays[f"docs:owner:{name}"]
                if len(owner) != len(frame) or (len(owner) and (owner.min() < 0 or owner.max() >= len(stored))):
                    raise ValueError(f"the rows of {name!r} do not match the documents")
                rows, owner = _rows_of(owner, pairs)
                found_parts.append((name, frame.iloc[rows], owner))
            for name, frame, owner in found_parts:
                parts.setdefault(name, []).append((frame, owner))
            os.utime(path)
        except OtherVersion:
            continue
        except _UNREADABLE as exc:
            log.warning("ignoring unreadable cache file %s (%s); recomputing", path, exc)
            continue
        for k in {stored[j] for j, _ in pairs}:
            del wanted[k]
        if not wanted:
            break
    found = sorted(set(range(len(doc_keys))) - {p for positions in wanted.values() for p in positions}
                   - {p for p, k in enumerate(doc_keys) if not k})
    out = Reused(found=found)
    for name, pieces in parts.items():
        owner = np.concatenate([o for _, o in pieces])
        order = np.argsort(owner, kind="stable")
        out.frames[name] = pd.concat([f for f, _ in pieces], ignore_index=True).iloc[order].reset_index(drop=True)
        out.owners[name] = owner[order]
    return out


def _rows_of(owner: np.ndarray, pairs: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    """Row positions of the stored documents ``j`` of ``(j, mine)`` pairs, and ``mine`` for each row."""
    by_doc = np.argsort(owner, kind="stable")  # rows grouped by stored document, in their order
    counts = np.bincount(owner, minlength=max(j for j, _ in pairs) + 1)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    js = np.array([j for j, _ in pairs], dtype=np.int64)
    n = counts[js]
    offsets = np.repeat(starts[js] - np.cumsum(n) + n, n) + np.arange(int(n.sum()))
    return by_doc[offsets], np.repeat(np.array([m for _, m in pairs], dtype=np.int64), n)
