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


def test_threaded_segmentation_hands_free_memory_back(seed_corpus, monkeypatch):
    import os

    import workbench as wb

    calls = []
    monkeypatch.setattr(perf, "release_free_memory", lambda: calls.append(1) or True)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)  # threads on any machine

    wb.segment_corpus(seed_corpus, cache=False, backend="rjieba")
    assert calls == [1]
    wb.segment_corpus(seed_corpus, cache=False, backend="jieba")  # jieba cuts in this thread (or a pool)
    assert calls == [1]
