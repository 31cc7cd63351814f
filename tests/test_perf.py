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
