"""Small helpers for the hot paths over whole corpora."""
from __future__ import annotations

import gc
import math
import mmap
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import numpy as np


@contextmanager
def paused_gc():
    """Pause the cyclic garbage collector while millions of small lists are built.

    Building a token list per sentence creates containers and no reference cycles; the
    collector would otherwise walk the lists already built, again and again. Measured in a
    micro-benchmark that kept every intermediate list alive: splitting 1,000 documents'
    tokens into sentences took 0.20 s with the collector on and 0.05 s with it paused; in
    ``segment_corpus`` on 200 documents, which keeps far fewer objects alive, the two were
    equal (0.107 and 0.109 s). Reference counting still frees everything as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def release_free_memory() -> bool:
    """Hand memory that is free but kept by the C allocator back to the system (glibc's
    ``malloc_trim``; elsewhere nothing happens). Returns whether it could be asked.

    Threads allocate from arenas of their own, and glibc keeps what they free there; the
    next stages, run in the main thread, allocate elsewhere. After segmenting 10,000
    reports in threads, 70–130 MB of the 250 MB that resident memory grew by was such free
    memory. The call takes a few milliseconds.
    """
    import ctypes
    import ctypes.util

    global _TRIM
    if _TRIM is None:
        try:
            _TRIM = ctypes.CDLL("libc.so.6").malloc_trim
        except (OSError, AttributeError):
            try:
                _TRIM = ctypes.CDLL(ctypes.util.find_library("c")).malloc_trim
            except (OSError, AttributeError, TypeError):  # not glibc (macOS, Windows, musl)
                _TRIM = False
    if _TRIM is False:
        return False
    _TRIM(0)
    return True


def drained(chunks: list, size: Callable[[object], int], *, every: int = 64 << 20) -> Iterator:
    """The chunks in order, each taken out of the list as it is given, so that it is freed once the
    caller drops it: for copying chunks into one array while holding them about once. What the C
    allocator keeps of the freed chunks goes back to the system (:func:`release_free_memory`) each
    time ``every`` bytes of chunks (``size``) have passed, and at the end: glibc keeps freed blocks
    of up to 32 MB in its heap, where a large array allocated next cannot use them.

    >>> chunks = [b"ab", b"c"]
    >>> [chunk for chunk in drained(chunks, len)], chunks
    ([b'ab', b'c'], [])
    """
    chunks.reverse()
    passed = 0
    while chunks:
        chunk = chunks.pop()
        passed += size(chunk)
        yield chunk
        del chunk
        if passed >= every:
            release_free_memory()
            passed = 0
    release_free_memory()


_TRIM = None  # glibc's malloc_trim, once found (False: there is none)


def kept_empty(shape: int | tuple[int, ...], dtype) -> np.ndarray:
    """``np.empty(shape, dtype)`` for data written once and kept (a table's column, a cache
    file's array): an array of 4 MB or more gets memory of its own, mapped in ordinary pages.

    NumPy asks for transparent huge pages for every array of 4 MB or more. Fresh huge pages
    can cost far more than ordinary ones to touch first: on a virtual machine that hands free
    memory back to its host, the host backs each new 2 MB page anew. On this project's 2-core VM,
    reading a 387 MB cache file into ``np.empty`` took 3.9–5.0 s in a fresh process, and
    0.4–0.5 s into memory of ordinary pages (0.05–0.2 s for huge pages freed and taken again in
    the same process). Arrays that are kept never give their pages back to be taken again, so
    they pay the first touch alone: ordinary pages bound it. Temporaries keep NumPy's default.

    >>> a = kept_empty(5 << 20, np.uint8)
    >>> a[:3] = 7
    >>> a.shape, a.dtype, a[:4].tolist()
    ((5242880,), dtype('uint8'), [7, 7, 7, 0])
    """
    dtype = np.dtype(dtype)
    shape = (shape,) if isinstance(shape, (int, np.integer)) else tuple(shape)
    nbytes = math.prod(shape) * dtype.itemsize
    if nbytes < _KEPT_PAGES:
        return np.empty(shape, dtype=dtype)
    return np.frombuffer(mmap.mmap(-1, nbytes), dtype=dtype).reshape(shape)


_KEPT_PAGES = 4 << 20  # NumPy's own threshold for huge pages


def kept_offsets(rows: int) -> np.ndarray:
    """Arrow-style offsets of ``rows`` values (int64, ``rows + 1`` of them) to be filled, kept
    (:func:`kept_empty`); the first is 0.

    >>> kept_offsets(2)[0]
    np.int64(0)
    """
    offsets = kept_empty(rows + 1, np.int64)
    offsets[0] = 0
    return offsets
