"""Helpers of the hot paths: the garbage collector paused, free memory handed back."""
import gc
import platform

import pytest

from workbench import perf


def test_paused_gc_restores_the_collector():
    assert gc.isenabled()
    with perf.paused_gc():
        assert not gc.isenabled()
    assert gc.isenabled()


@pytest.mark.skipif(platform.system() != "Linux" or platform.libc_ver()[0] != "glibc", reason="glibc only")
def test_free_memory_is_handed_back_on_glibc():
    assert perf.release_free_memory() is True


def test_without_malloc_trim_nothing_happens(monkeypatch):
    monkeypatch.setattr(perf, "_TRIM", False)
    assert perf.release_free_memory() is False


def test_a_step_that_computed_documents_hands_free_memory_back(seed_corpus, monkeypatch, tmp_path):
    import os

    import workbench as wb

    calls = []
    monkeypatch.setattr(perf, "release_free_memory", lambda: calls.append(1) or True)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)  # threads on any machine
    monkeypatch.setenv("WORKBENCH_CACHE_DIR", str(tmp_path))
    for backend in ("rjieba", "jieba"):
        calls.clear()
        wb.segment_corpus(seed_corpus, backend=backend)
        assert calls, backend
        calls.clear()
        wb.segment_corpus(seed_corpus, backend=backend)  # read back whole from the cache: nothing to hand back
        assert calls == [], backend


def test_drained_gives_each_chunk_once_and_hands_memory_back_as_it_goes(monkeypatch):
    calls = []
    monkeypatch.setattr(perf, "release_free_memory", lambda: calls.append(1) or True)
    chunks = [b"x" * 5, b"y" * 2, b"z" * 4, b""]
    given = []
    for chunk in perf.drained(chunks, len, every=6):
        given.append(chunk)
        assert chunk not in chunks
    assert given == [b"x" * 5, b"y" * 2, b"z" * 4, b""] and chunks == []
    assert len(calls) == 2  # after 7 bytes, and at the end


def _huge_kb(address: int) -> int | None:
    """``AnonHugePages`` of the mapping of this process that holds ``address`` (Linux), or None."""
    try:
        with open("/proc/self/smaps") as fh:
            lines = fh.read().splitlines()
    except OSError:
        return None
    inside = False
    for line in lines:
        head = line.split()[0]
        if "-" in head and not head.endswith(":"):
            low, high = (int(x, 16) for x in head.split("-"))
            inside = low <= address < high
        elif inside and head == "AnonHugePages:":
            return int(line.split()[1])
    return None


def test_kept_arrays_are_numpy_arrays_of_their_shape_and_type():
    import numpy as np

    for shape, dtype in ((3, np.int64), ((1 << 20, 3), np.int64), (5 << 20, np.uint8), (0, np.int32)):
        array = perf.kept_empty(shape, dtype)
        assert array.shape == ((shape,) if isinstance(shape, int) else shape) and array.dtype == dtype
        assert array.flags.writeable and array.flags.c_contiguous
        array[...] = 1
        assert int(array.sum()) == array.size


@pytest.mark.skipif(platform.system() != "Linux", reason="reads /proc/self/smaps")
def test_kept_arrays_get_no_huge_pages_where_numpy_asks_for_them():
    import numpy as np

    try:
        with open("/sys/kernel/mm/transparent_hugepage/enabled") as fh:
            mode = fh.read()
    except OSError:
        mode = ""
    if "[madvise]" not in mode:
        pytest.skip("huge pages are not given on request here (transparent_hugepage is not madvise)")
    size = 64 << 20
    usual = np.ones(size, dtype=np.uint8)
    if not _huge_kb(usual.ctypes.data + size // 2):  # (its first page is in the mapping before)
        pytest.skip("NumPy got no huge pages here (NUMPY_MADVISE_HUGEPAGE=0, or none free)")
    kept = perf.kept_empty(size, np.uint8)
    kept[...] = 1
    assert _huge_kb(kept.ctypes.data + size // 2) == 0


@pytest.mark.skipif(platform.system() != "Linux", reason="reads /proc/self/statm")
def test_a_kept_array_gives_its_memory_back_when_dropped():
    import numpy as np

    def resident() -> int:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * 4096

    before = resident()
    array = perf.kept_empty(256 << 20, np.uint8)
    array[::4096] = 1  # every page touched
    assert resident() - before > 200 << 20
    del array
    gc.collect()
    assert resident() - before < 50 << 20
