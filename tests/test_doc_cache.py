"""The document cache: a second run reads results back; any change to the input recomputes exactly that document."""
import gzip
import json

import pandas as pd
import pytest

import workbench as wb
from workbench import corpus as corpus_module
from workbench import targets as targets_module


def test_second_load_reads_back_identical_tables(tiny_dir, monkeypatch):
    first = wb.load_corpus(tiny_dir)
    calls = []
    real = corpus_module._load_document
    monkeypatch.setattr(corpus_module, "_load_document", lambda *a: calls.append(a[0].name) or real(*a))
    second = wb.load_corpus(tiny_dir)
    assert calls == []
    for name in ("documents", "paragraphs", "sentences"):
        pd.testing.assert_frame_equal(getattr(first, name), getattr(second, name))
    (tiny_dir / "b_report.txt").write_text("上半年实现一般公共预算收入13.5亿元。\n", encoding="utf-8")
    third = wb.load_corpus(tiny_dir)
    assert calls == ["b_report.txt"]  # only the edited file is cleaned again
    assert "13.5亿元" in third.document("b_report")["text"]
    uncached = wb.load_corpus(tiny_dir, cache=False)
    assert calls == ["b_report.txt", "a_plan.txt", "b_report.txt", "c_trad.txt"]
    pd.testing.assert_frame_equal(uncached.paragraphs, third.paragraphs)


def test_target_records_are_cached_and_invalidated(tiny_dir, monkeypatch, tmp_path):
    corpus = wb.load_corpus(tiny_dir)
    first = wb.extract_targets(corpus)
    calls = []
    real = targets_module._extract_records
    monkeypatch.setattr(targets_module, "_extract_records", lambda doc, *a: calls.append(doc["doc_id"]) or real(doc, *a))
    pd.testing.assert_frame_equal(wb.extract_targets(corpus), first)
    assert calls == []
    lexicon = tmp_path / "lexicon.csv"
    lexicon.write_text("keyword,indicator_id\n城镇化率,urbanization_custom\n", encoding="utf-8")
    custom = wb.extract_targets(corpus, lexicon=lexicon)
    assert sorted(calls) == ["a_plan", "b_report", "c_trad"]  # a new lexicon is a new key
    assert "urbanization_custom" in set(custom["indicator_id"])


def test_cache_files_are_gzipped_json():
    from workbench.resources import cache_dir

    wb.extract_targets(wb.load_corpus())
    for kind in ("documents", "targets"):
        files = sorted((cache_dir() / kind).rglob("*.json.gz"))
        assert files, kind
        with gzip.open(files[0], "rt", encoding="utf-8") as fh:
            assert isinstance(json.load(fh), list)


def test_unchanged_corpus_is_read_back_whole(tiny_dir, monkeypatch):
    """Nothing changed: corpus, tokens and records come from one file each, identical, with no per-document work."""
    import numpy as np

    from workbench import frame_cache
    from workbench import segment as segment_module
    from workbench.resources import cache_dir

    first = wb.load_corpus(tiny_dir)
    tokens, records = wb.segment_corpus(first), wb.extract_targets(first)

    def boom(*args, **kwargs):
        raise AssertionError("per-document work although nothing changed")

    for module, name in [(corpus_module, "_load_job"), (segment_module, "_segment_job"),
                         (targets_module, "_extract_document")]:
        monkeypatch.setattr(module, name, boom)
    again = wb.load_corpus(tiny_dir)
    for name in ("documents", "paragraphs", "sentences"):
        pd.testing.assert_frame_equal(getattr(again, name), getattr(first, name), check_exact=True)
    pd.testing.assert_frame_equal(wb.segment_corpus(again), tokens, check_exact=True)
    pd.testing.assert_frame_equal(wb.extract_targets(again), records, check_exact=True)
    for kind in ("corpus", "tokens", "targets"):
        files = list((cache_dir() / kind).glob("*.npz"))
        assert 1 <= len(files) <= frame_cache.KEEP, kind
        for file in files:
            with np.load(file, allow_pickle=False) as arrays:  # numpy arrays only, never pickle
                assert all(arrays[name].dtype != object for name in arrays.files)
    (tiny_dir / "b_report.txt").write_text("上半年实现一般公共预算收入13.5亿元。\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="per-document work"):
        wb.load_corpus(tiny_dir)  # an edited file is a new corpus key


@pytest.mark.parametrize("column", [
    ["a", None, "長三角", ""],
    [["推动", "发展"], [], ["发展"], ["\n"]],
    pd.array([1, None, 3, 4], dtype="Int64"),
    [0.5, float("nan"), 2.0, -1.0],
])
def test_frame_cache_round_trip(column):
    from workbench import frame_cache

    frame = pd.DataFrame({"x": column, "n": range(4)})
    frame_cache.write("test", "k", {"t": frame})
    pd.testing.assert_frame_equal(frame_cache.read("test", "k")["t"], frame, check_exact=True)


def test_broken_frame_cache_file_is_ignored(caplog):
    from workbench import frame_cache
    from workbench.resources import cache_dir

    frame_cache.write("test", "broken", {"t": pd.DataFrame({"n": [1, 2]})})
    (cache_dir() / "test" / "broken.npz").write_bytes(b"not a zip file")
    assert frame_cache.read("test", "broken") is None
    assert "ignoring unreadable cache file" in caplog.text
