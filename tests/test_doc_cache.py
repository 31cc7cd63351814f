"""The document cache: a second run reads results back; any change to the input recomputes exactly that document."""
import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import workbench as wb
from workbench import corpus as corpus_module
from workbench import targets as targets_module
from workbench import token_column

from .conftest import spy_step


def test_second_load_reads_back_identical_tables(tiny_dir, monkeypatch):
    first = wb.load_corpus(tiny_dir)
    calls = []
    _spy(monkeypatch, corpus_module, "LOAD_STEP", calls, lambda source, **kw: Path(source.path).name)
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
    _spy(monkeypatch, targets_module, "TARGETS_STEP", calls, lambda job, **kw: job[0]["doc_id"])
    pd.testing.assert_frame_equal(wb.extract_targets(corpus), first)
    assert calls == []
    lexicon = tmp_path / "lexicon.csv"
    lexicon.write_text("keyword,indicator_id\n城镇化率,urbanization_custom\n", encoding="utf-8")
    custom = wb.extract_targets(corpus, lexicon=lexicon)
    assert sorted(calls) == ["a_plan", "b_report", "c_trad"]  # a new lexicon is a new key
    assert "urbanization_custom" in set(custom["indicator_id"])


_spy = spy_step


def test_edit_recomputes_only_the_edited_document(tiny_dir, monkeypatch):
    """After an edit, every step takes the other documents' rows from the cache and gives what a fresh run gives."""
    from workbench import segment as segment_module

    corpus = wb.load_corpus(tiny_dir)
    wb.segment_corpus(corpus), wb.extract_targets(corpus)
    (tiny_dir / "b_report.txt").write_text("上半年实现一般公共预算收入13.5亿元，增长4%。\n", encoding="utf-8")
    calls = []
    _spy(monkeypatch, corpus_module, "LOAD_STEP", calls, lambda source, **kw: ("load", source.doc_id))
    _spy(monkeypatch, segment_module, "TOKENS_STEP", calls, lambda sentences, **kw: ("segment", sentences[0][:5]))
    _spy(monkeypatch, targets_module, "TARGETS_STEP", calls, lambda job, **kw: ("targets", job[0]["doc_id"]))
    edited = wb.load_corpus(tiny_dir)
    tokens, records = wb.segment_corpus(edited), wb.extract_targets(edited)
    assert calls == [("load", "b_report"), ("segment", "上半年实现"), ("targets", "b_report")]
    fresh = wb.load_corpus(tiny_dir, cache=False)
    for name in ("documents", "paragraphs", "sentences"):
        pd.testing.assert_frame_equal(getattr(edited, name), getattr(fresh, name), check_exact=True)
    pd.testing.assert_frame_equal(tokens, wb.segment_corpus(fresh, cache=False), check_exact=True)
    pd.testing.assert_frame_equal(records, wb.extract_targets(fresh, cache=False), check_exact=True)
    assert records["quote"].str.contains("13.5亿元", regex=False).any()


def test_copied_file_reuses_tokens_and_failed_file_is_reported_again(tiny_dir, monkeypatch):
    """Tokens are keyed by text (a copy under a new name is not segmented again); a file that
    failed is tried, and reported, on every run while the others come from the cache."""
    from workbench import segment as segment_module

    wb.segment_corpus(wb.load_corpus(tiny_dir))
    (tiny_dir / "d_copy.txt").write_bytes((tiny_dir / "a_plan.txt").read_bytes())
    (tiny_dir / "e_empty.txt").write_text("给领导留言\n", encoding="utf-8")  # only boilerplate
    calls = []
    _spy(monkeypatch, corpus_module, "LOAD_STEP", calls, lambda source, **kw: ("load", source.doc_id))
    _spy(monkeypatch, segment_module, "TOKENS_STEP", calls, lambda sentences, **kw: ("segment", sentences[0][:5]))
    for _ in range(2):
        with pytest.warns(wb.CorpusWarning, match="e_empty.txt"):
            corpus = wb.load_corpus(tiny_dir, errors="skip")
        tokens = wb.segment_corpus(corpus)
    assert calls == [("load", "d_copy"), ("load", "e_empty"), ("load", "e_empty")]
    by_doc = wb.tokens_by(tokens).set_index("doc_id")["tokens"]
    assert by_doc["d_copy"] == by_doc["a_plan"] and by_doc["a_plan"]


def test_reuse_finds_rows_by_document_key():
    from workbench import frame_cache

    frame = pd.DataFrame({"doc_id": ["x", "y", "x", "z"], "n": [1, 2, 3, 4],
                          "tokens": token_column.from_lists([["a"], [], ["b", "c"], ["d"]])})
    frame_cache.write("reuse-test", "one", {"t": frame}, doc_keys=["k1", "k2", None],
                      owners={"t": np.array([0, 1, 0, 2])})
    found = frame_cache.reuse("reuse-test", ["k9", "k1", "k2", "k1", None])
    assert found.found == [1, 2, 3]  # k9 is unknown, None is never looked up; z's key was None
    assert found.owners["t"].tolist() == [1, 1, 2, 3, 3]
    assert found.frames["t"]["n"].tolist() == [1, 3, 2, 1, 3]  # each document's rows in their order, a copy per asker
    assert found.frames["t"]["tokens"].tolist() == [["a"], ["b", "c"], [], ["a"], ["b", "c"]]
    assert frame_cache.reuse("reuse-test", ["k7"]).found == []


def test_no_per_document_files_are_written():
    from workbench.resources import cache_dir

    wb.extract_targets(wb.load_corpus())
    assert not [f for f in cache_dir().rglob("*") if f.is_file() and f.suffix not in (".npz", ".cache")]


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

    for module, name in [(corpus_module, "LOAD_STEP"), (segment_module, "TOKENS_STEP"),
                         (targets_module, "TARGETS_STEP")]:
        monkeypatch.setattr(module, name, dataclasses.replace(getattr(module, name), compute=boom))
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
    token_column.from_lists([["推动", "发展"], [], ["发展"], ["\n"]]),
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


def test_cache_files_are_listed_and_cleared(tiny_dir, monkeypatch, tmp_path):
    from workbench import frame_cache

    monkeypatch.setenv("WORKBENCH_CACHE_DIR", str(tmp_path / "cache"))
    assert frame_cache.cache_files().empty
    corpus = wb.load_corpus(tiny_dir)
    wb.segment_corpus(corpus), wb.extract_targets(corpus)
    files = frame_cache.cache_files()
    assert sorted(files["kind"]) == ["corpus", "targets", "tokens"]
    assert files["documents"].tolist() == [3, 3, 3] and (files["megabytes"] >= 0).all()
    assert frame_cache.clear("tokens") == 1
    assert sorted(frame_cache.cache_files()["kind"]) == ["corpus", "targets"]
    assert frame_cache.clear() == 2 and frame_cache.cache_files().empty


def _rewrite(path, change):
    """Change a cache file's arrays and give it a matching checksum: a consistent file with wrong content."""
    import json

    from workbench import frame_cache

    with np.load(path, allow_pickle=False) as arrays:
        data = {name: arrays[name] for name in arrays.files}
    change(data)
    layout = json.loads(data["layout"].tobytes().decode("utf-8"))
    layout["checksum"] = frame_cache._checksum(data)
    data["layout"] = np.frombuffer(json.dumps(layout).encode("utf-8"), dtype=np.uint8)
    with open(path, "wb") as fh:
        np.savez(fh, **data)


def _text_column(data, name="text"):
    """The ``frame/i:`` prefix of the documents' stored column ``name``."""
    import json

    layout = json.loads(data["layout"].tobytes().decode("utf-8"))
    at = [col for col, _ in layout["frames"]["documents"]["columns"]].index(name)
    return f"documents/{at}:"


@pytest.mark.parametrize("change, problem", [
    (lambda d, p: d.__setitem__(p + "offsets", d[p + "offsets"] + 5), "offset"),  # past the end of the data
    (lambda d, p: d.__setitem__(p + "offsets", d[p + "offsets"][::-1].copy()), "offset"),  # out of order
    (lambda d, p: d.__setitem__(p + "data", np.full_like(d[p + "data"], 0xE4)), "utf"),  # not UTF-8
    (lambda d, p: d.__setitem__(p + "missing", d[p + "missing"][:-1]), "shape"),  # a row's mask lost
])
def test_inconsistent_arrow_text_in_a_cache_file_is_recomputed(tiny_dir, caplog, change, problem):
    """Stored text buffers that Arrow would not accept (a consistent checksum, wrong content): recomputed."""
    from workbench import frame_cache

    expected = wb.load_corpus(tiny_dir)
    for path in frame_cache.cache_files().query("kind == 'corpus'")["path"]:
        _rewrite(path, lambda data: change(data, _text_column(data)))
    again = wb.load_corpus(tiny_dir)
    for name in ("documents", "paragraphs", "sentences"):
        pd.testing.assert_frame_equal(getattr(again, name), getattr(expected, name), check_exact=True)
    assert "ignoring unreadable cache file" in caplog.text and problem in caplog.text.lower()


def test_text_is_stored_as_arrow_buffers_and_read_back_without_copies(tiny_dir):
    """Format 4: a text column is its UTF-8 bytes and offsets; read back, it is an Arrow array over them."""
    from workbench import frame_cache

    first = wb.load_corpus(tiny_dir)
    path = frame_cache.cache_files().query("kind == 'corpus'")["path"].iloc[0]
    with np.load(path, allow_pickle=False) as arrays:
        prefix = _text_column(arrays)
        stored = arrays[prefix + "data"].tobytes().decode("utf-8")
        offsets = arrays[prefix + "offsets"]
    assert stored == "".join(first.documents["text"]) and offsets[-1] == len(stored.encode("utf-8"))
    again = wb.load_corpus(tiny_dir)
    assert str(again.documents["text"].dtype) == "str" and again.documents["text"].array._pa_array.num_chunks == 1


@pytest.mark.parametrize("lists", [
    [["推动", "高质量", "发展"], [], ["发展"], ["\n", "发展", "長三角", "推动"], ["x"] * 5],
    [[], [], ["发展"], [], ["发展", "发展"]],
    [["一"], ["二"], ["三"], ["四"], ["五"]],
])
@pytest.mark.parametrize("block", [1, 2, 3, 1 << 20])
def test_token_lists_round_trip(lists, block, monkeypatch):
    """A token column comes back equal, one chunk over one vocabulary; as Python lists (made a block of
    tokens at a time, any block size) equal tokens are one object."""
    from workbench import frame_cache

    monkeypatch.setattr(token_column, "_BLOCK", block)
    frame = pd.DataFrame({"tokens": token_column.from_lists(lists), "n": range(5)})
    frame_cache.write("tokens-test", "k", {"t": frame})
    back = frame_cache.read("tokens-test", "k")["t"]
    pd.testing.assert_frame_equal(back, frame, check_exact=True)
    assert back["tokens"].array._pa_array.num_chunks == 1
    rows = token_column.lists(back["tokens"])
    assert rows == lists
    shared = [t for row in rows for t in row if t == "发展"]
    assert all(t is shared[0] for t in shared)  # one string object per distinct token


def test_same_folder_by_another_path_keeps_its_own_paths(tiny_dir, monkeypatch):
    """The path as given is the ``path`` column: loading the folder by a relative path after an absolute
    one is not served the absolute paths from the cache."""
    absolute = wb.load_corpus(tiny_dir)
    monkeypatch.chdir(tiny_dir.parent)
    relative = wb.load_corpus("tiny")
    assert absolute.documents["path"].tolist() == [str(tiny_dir / f"{d}.txt") for d in absolute.doc_ids]
    assert relative.documents["path"].tolist() == [f"tiny/{d}.txt" for d in relative.doc_ids]
    pd.testing.assert_frame_equal(relative.documents, wb.load_corpus("tiny", cache=False).documents,
                                  check_exact=True)
    pd.testing.assert_frame_equal(relative.documents, wb.load_corpus("tiny").documents, check_exact=True)


def test_a_file_edited_in_place_is_cleaned_again_whatever_its_size_and_time(tiny_dir, monkeypatch):
    """The key is the file's bytes, not its size or modification time."""
    import os

    wb.load_corpus(tiny_dir)
    path = tiny_dir / "b_report.txt"
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    edited = text.replace("5", "6", 1)
    assert edited != text and len(edited.encode("utf-8")) == before.st_size
    path.write_text(edited, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    calls = []
    _spy(monkeypatch, corpus_module, "LOAD_STEP", calls, lambda source, **kw: source.doc_id)
    again = wb.load_corpus(tiny_dir)
    assert calls == ["b_report"] and again.document("b_report")["original"] == edited


# --- the cache file's arrays, read without np.load ------------------------------------------------

_MARKER = np.arange(1, 21, dtype=np.int64) * 1_000_003  # values found once in a file's bytes


def _cached_frame():
    return pd.DataFrame({"n": _MARKER, "text": [f"第{i}条" for i in range(20)],
                         "share": pd.array([1, None] * 10, dtype="Int64")})


def _rezip(path, change=None, compression=None):
    """Rewrite a cache file's zip members (changed by ``change(members)``), stored or compressed."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    if change is not None:
        change(members)
    with zipfile.ZipFile(path, "w", compression or zipfile.ZIP_STORED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def _npy(array, **kwargs) -> bytes:
    import io

    out = io.BytesIO()
    np.save(out, array, **kwargs)
    return out.getvalue()


def _flip_marker_byte(path):
    raw = bytearray(path.read_bytes())
    at = raw.find(_MARKER.tobytes())
    assert at > 0
    raw[at + 3] ^= 0x10
    path.write_bytes(bytes(raw))


def _longer_than_its_data(members):
    name = "t/0:values.npy"
    members[name] = _npy(np.zeros(40, dtype=np.int64))[:-160]  # the header says 40 values, 20 follow


def _unknown_npy_version(members):
    data = bytearray(members["t/0:values.npy"])
    data[6] = 9  # .npy format 9.0
    members["t/0:values.npy"] = bytes(data)


def _reversed(members):
    for name, data in reversed(list(members.items())):
        members[name] = members.pop(name)


@pytest.mark.parametrize("damage, problem", [
    (_flip_marker_byte, "does not match its checksum"),
    (lambda p: (_rezip(p, _reversed), _flip_marker_byte(p)), "does not match its checksum"),  # hashed after reading  # the zip's CRC is not read: the checksum catches it
    (lambda p: p.write_bytes(p.read_bytes()[: p.stat().st_size // 2]), "not a zip file"),  # cut short
    (lambda p: p.write_bytes(p.read_bytes()[:-30]), "not a zip file"),  # its directory cut off
    (lambda p: _rezip(p, _longer_than_its_data), "not as long as its header says"),
    (lambda p: _rezip(p, _unknown_npy_version), "of .npy format (9, 0)"),
    (lambda p: _rezip(p, lambda m: m.__setitem__("t/9:values.npy", _npy(np.array([{}], dtype=object),
                                                                             allow_pickle=True))),
     "python objects"),  # never unpickled
    (lambda p: _rezip(p, lambda m: m.pop("t/1:offsets.npy")), "t/1:offsets"),  # a member lost
])
def test_damaged_cache_file_is_recomputed_with_a_warning(caplog, damage, problem):
    from workbench import frame_cache
    from workbench.resources import cache_dir

    frame_cache.write("damage-test", "k", {"t": _cached_frame()})
    damage(cache_dir() / "damage-test" / "k.npz")
    assert frame_cache.read("damage-test", "k") is None
    assert "ignoring unreadable cache file" in caplog.text and problem in caplog.text.lower()


@pytest.mark.parametrize("rewrite", [
    lambda p: None,  # as np.savez wrote it (zip64 extra fields in each member's header)
    lambda p: _rezip(p),  # another zip writer: no extra fields
    lambda p: _rezip(p, compression=__import__("zipfile").ZIP_DEFLATED),  # compressed: read by np.load
    lambda p: _rezip(p, _reversed),  # arrays not in the checksum's order (as files of before were written)
])
def test_cache_file_read_back_whatever_zip_writer_stored_it(rewrite):
    from workbench import frame_cache
    from workbench.resources import cache_dir

    frame_cache.write("zip-test", "k", {"t": _cached_frame()})
    rewrite(cache_dir() / "zip-test" / "k.npz")
    pd.testing.assert_frame_equal(frame_cache.read("zip-test", "k")["t"], _cached_frame(), check_exact=True)


@pytest.mark.parametrize("array", [
    np.arange(5, dtype=">i4"),  # another byte order
    np.asfortranarray(np.arange(12, dtype=np.int64).reshape(3, 4)),
    np.array(7),  # no dimension
    np.zeros(0, dtype=np.float64),
    np.array([b"k1", b"", b"\x00k"], dtype="S64"),
    np.array([True, False, True]),
])
def test_arrays_read_as_np_load_reads_them(tmp_path, array):
    from workbench import frame_cache

    np.savez(tmp_path / "a.npz", x=array, y=np.arange(3))
    got = frame_cache._read_arrays(tmp_path / "a.npz")
    with np.load(tmp_path / "a.npz", allow_pickle=False) as npz:
        for name in ("x", "y"):
            assert got[name].dtype == npz[name].dtype and got[name].shape == npz[name].shape
            assert np.array_equal(got[name], npz[name]) and got[name].flags.writeable
