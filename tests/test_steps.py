"""The step runner and data files read by content: one key rule, every step, no stale results."""
import dataclasses
import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import workbench as wb
from workbench import datafiles, frame_cache, steps, token_column
from workbench.errors import CorpusError

from .conftest import ROOT


def test_boilerplate_edited_in_place_is_seen_in_the_same_process(tiny_dir, tmp_path):
    """Bug: the key covered the new bytes but the text was cleaned with the old patterns (cached by path)."""
    patterns = tmp_path / "boilerplate.txt"
    patterns.write_text("给领导留言\n", encoding="utf-8")
    first = wb.load_corpus(tiny_dir, boilerplate=patterns)
    assert "城镇化率" in first.document("a_plan")["text"]
    patterns.write_text("给领导留言\n^城镇化率\n", encoding="utf-8")
    edited = wb.load_corpus(tiny_dir, boilerplate=patterns)
    uncached = wb.load_corpus(tiny_dir, boilerplate=patterns, cache=False)
    assert "城镇化率" not in edited.document("a_plan")["text"]
    pd.testing.assert_frame_equal(edited.documents, uncached.documents)
    # and a new process reads the right text back from the cache
    code = ("import workbench as wb, sys; c = wb.load_corpus(sys.argv[1], boilerplate=sys.argv[2]);"
            "print('城镇化率' in c.document('a_plan')['text'])")
    out = subprocess.run([sys.executable, "-c", code, str(tiny_dir), str(patterns)], capture_output=True, text=True,
                         cwd=ROOT, check=True)
    assert out.stdout.strip() == "False"


def test_lexicon_edited_in_place_is_seen_in_the_same_process(tiny_dir, tmp_path):
    """Bug: after editing the lexicon file in place, indicator_id kept the old value."""
    corpus = wb.load_corpus(tiny_dir)
    lexicon = tmp_path / "lexicon.csv"
    lexicon.write_text("keyword,indicator_id\n城镇化率,urban_a\n", encoding="utf-8")
    before = wb.extract_targets(corpus, lexicon=lexicon)
    assert "urban_a" in set(before["indicator_id"])
    lexicon.write_text("keyword,indicator_id\n城镇化率,urban_b\n", encoding="utf-8")
    after = wb.extract_targets(corpus, lexicon=lexicon)
    pd.testing.assert_frame_equal(after, wb.extract_targets(corpus, lexicon=lexicon, cache=False))
    assert "urban_b" in set(after["indicator_id"]) and "urban_a" not in set(after["indicator_id"])


def test_user_dictionary_edited_in_place(tiny_dir, tmp_path):
    corpus = wb.load_corpus(tiny_dir)
    user = tmp_path / "dict.txt"
    user.write_text("生产总值突破 100000 n\n", encoding="utf-8")
    wb.segment_corpus(corpus, user_dict=user)
    user.write_text("全市地区生产总值 100000 n\n", encoding="utf-8")
    tokens = wb.tokens_by(wb.segment_corpus(corpus, user_dict=user))
    uncached = wb.tokens_by(wb.segment_corpus(corpus, user_dict=user, cache=False))
    assert tokens["tokens"].tolist() == uncached["tokens"].tolist()
    assert "全市地区生产总值" in tokens.set_index("doc_id").loc["a_plan", "tokens"]


def test_stopword_file_edited_in_place(tmp_path):
    words = tmp_path / "stop.txt"
    words.write_text("发展\n", encoding="utf-8")
    assert wb.load_stopwords(words) == {"发展"}
    words.write_text("改革\n", encoding="utf-8")
    assert wb.load_stopwords(words) == {"改革"}


def test_data_file_is_parsed_once_per_content(tmp_path):
    path = tmp_path / "words.txt"
    path.write_text("甲\n", encoding="utf-8")
    calls = []

    def parse(text):
        calls.append(text)
        return text.split()

    assert datafiles.load(path, parse)[1] == ["甲"]
    assert datafiles.load(path, parse)[1] == ["甲"]
    assert len(calls) == 1
    path.write_text("乙\n", encoding="utf-8")
    digest, value = datafiles.load(path, parse)
    assert value == ["乙"] and len(calls) == 2 and digest == datafiles.read(path).digest


@pytest.mark.parametrize("make, problem", [
    (lambda p: p, "no such lexicon"),
    (lambda p: p.mkdir() or p, "is a folder"),
])
def test_data_file_errors_name_the_file(tmp_path, make, problem):
    path = make(tmp_path / "lexicon.csv")
    with pytest.raises(CorpusError, match=problem) as info:
        datafiles.read(path, what="lexicon")
    assert str(path) in str(info.value)


def test_bad_lexicon_content_is_an_error_naming_the_file(tiny_dir, tmp_path):
    lexicon = tmp_path / "lexicon.csv"
    lexicon.write_text("word,id\n城镇化率,x\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="keyword,indicator_id") as info:
        wb.extract_targets(wb.load_corpus(tiny_dir), lexicon=lexicon)
    assert str(lexicon) in str(info.value)


# --- the runner on a toy step ----------------------------------------------------------------


def _lengths(text, *, factor):
    if text == "bad":
        raise CorpusError("bad.txt", "a bad document")
    return {"t": {"n": [len(text) * factor, 1], "word": [text, "x"]}}


TOY = steps.Step(name="toy-step", compute=_lengths, columns={"t": {"n": "int64", "word": "str"}}, code=("steps",))


def test_runner_reuses_rows_after_an_edit_and_reports_failures():
    items = ["甲乙", "bad", "丙"]
    first = steps.run(TOY, items, fingerprints=items, options={"factor": 2})
    assert first.failed == {1: "a bad document"} and first.cached == 0
    assert first.tables["t"]["n"].tolist() == [4, 1, 2, 1] and first.owners["t"].tolist() == [0, 0, 2, 2]
    second = steps.run(TOY, ["甲乙", "丁丁丁"], fingerprints=["甲乙", "丁丁丁"], options={"factor": 2})
    assert second.cached == 1 and second.tables["t"]["n"].tolist() == [4, 1, 6, 1]
    assert second.rows_of("t") == [(0, 2), (2, 4)]
    again = steps.run(TOY, ["甲乙", "丁丁丁"], fingerprints=["甲乙", "丁丁丁"], options={"factor": 2})
    assert again.cached == 2
    pd.testing.assert_frame_equal(again.tables["t"], second.tables["t"])
    changed = steps.run(TOY, ["甲乙"], fingerprints=["甲乙"], options={"factor": 2}, settings={"other": 1})
    assert changed.cached == 0  # new settings, new keys


def test_runner_gives_the_same_tables_on_every_engine():
    items = [f"文本{i}" * (i + 1) for i in range(9)]
    local = steps.run(TOY, items, options={"factor": 3}, cache=False)
    pool = steps.run(TOY, items, options={"factor": 3}, cache=False, engine="processes", workers=2)
    threads = steps.run(TOY, items, options={"factor": 3}, cache=False, threads=3)
    for other in (pool, threads):
        pd.testing.assert_frame_equal(other.tables["t"], local.tables["t"])
        assert other.owners["t"].tolist() == local.owners["t"].tolist()


def _words(text, *, sep):
    if text == "bad":
        raise CorpusError("bad.txt", "a bad document")
    words = text.split(sep)
    return {"t": {"n": list(range(len(words))), "year": [len(w) or None for w in words], "word": words},
            "lists": {"tokens": [words, words[::-1]]}}


WORDS = steps.Step(name="words-step", compute=_words, code=("steps",),
                   columns={"t": {"n": "int64", "year": "Int64", "word": "str"}, "lists": {"tokens": "list"}})


@pytest.mark.parametrize("batch", [1, 2, 64])
def test_tables_built_in_batches_are_the_tables_of_each_document_in_order(monkeypatch, batch):
    """Results become typed chunks every ``batch`` documents: the same tables, the lists as computed."""
    monkeypatch.setattr(steps._Builder, "BATCH", batch)
    items = ["推动 高质量 发展", "bad", "", "发展 新质 生产力 发展", "长三角  一体化"]
    result = steps.run(WORDS, items, options={"sep": " "}, cache=False)
    good = [i for i, item in enumerate(items) if item != "bad"]
    for table in ("t", "lists"):
        expected = pd.concat([steps.frames(WORDS, _words(items[i], sep=" "))[table] for i in good], ignore_index=True)
        pd.testing.assert_frame_equal(result.tables[table], expected, check_exact=True)
    assert result.failed == {1: "a bad document"} and result.owners["lists"].tolist() == [0, 0, 2, 2, 3, 3, 4, 4]
    tokens = [t for row in result.tables["lists"]["tokens"] for t in row if t == "发展"]
    assert len(tokens) == 6  # in this process the lists are kept as computed (no pass over every token)


@pytest.mark.parametrize("batch", [1, 2, 64])
def test_token_lists_become_ids_into_one_vocabulary(monkeypatch, batch):
    """Token lists (from any process, in any batch) become one column of ids: each distinct token stored once."""
    monkeypatch.setattr(steps._Builder, "BATCH", batch)
    builder = steps._Builder(WORDS)
    items = ["推动 高质量 发展", "发展 新质 生产力 发展", "发展"]
    for start in range(0, len(items), batch):  # batches with vocabularies of their own, as worker processes send
        results = [_words(item, sep=" ") for item in items[start:start + batch]]
        builder.add(steps._pack(results, columns=WORDS.columns), np.arange(start, start + len(results)))
    tables, _ = builder.finish(frame_cache.Reused())
    column = tables["lists"]["tokens"]
    assert column.dtype == token_column.DTYPE and column.array._pa_array.num_chunks == 1
    assert token_column.parts(column).dictionary.to_pylist() == ["推动", "高质量", "发展", "新质", "生产力"]
    assert tables["lists"]["tokens"].tolist() == [["推动", "高质量", "发展"], ["发展", "高质量", "推动"],
                                                  ["发展", "新质", "生产力", "发展"], ["发展", "生产力", "新质", "发展"],
                                                  ["发展"], ["发展"]]


def _notes(text):
    if text == "bad":
        raise CorpusError("bad.txt", "a bad document")
    words = text.split()
    return {"t": {"n": list(range(len(words))), "year": [len(w) if len(w) > 1 else None for w in words],
                  "note": [w if len(w) > 1 else None for w in words], "share": [len(w) / 3 for w in words]},
            "lists": {"tokens": [words, words[::-1], []]}}


NOTES = steps.Step(name="notes-step", compute=_notes, code=("steps",),
                   columns={"t": {"n": "int64", "year": "Int64", "note": "str", "share": "float64"},
                            "lists": {"tokens": "list"}})
NOTE_ITEMS = ["推动 高质量 发展", "bad", "", "发展 新 质 生产力 发展", "长三角 一体化", "bad", "改革 开放 新", "发展",
              "共同 富裕 示范区", "新 型 城镇化"] * 3


@pytest.mark.parametrize("engine, workers, batch", [(None, None, 2), ("processes", 2, 1), ("processes", 2, 64),
                                                    ("processes", 1, 4)])
def test_every_engine_gives_each_documents_rows_failures_and_owners(monkeypatch, engine, workers, batch):
    """Workers send typed chunks (their own vocabularies, text as bytes): the tables are those of each document."""
    monkeypatch.setattr(steps._Builder, "BATCH", batch)
    result = steps.run(NOTES, NOTE_ITEMS, cache=False, engine=engine, workers=workers)
    good = [i for i, item in enumerate(NOTE_ITEMS) if item != "bad"]
    for table in ("t", "lists"):
        expected = pd.concat([steps.frames(NOTES, _notes(NOTE_ITEMS[i]))[table] for i in good], ignore_index=True)
        pd.testing.assert_frame_equal(result.tables[table], expected, check_exact=True)
        counts = [len(_notes(NOTE_ITEMS[i])[table]["n" if table == "t" else "tokens"]) for i in good]
        assert result.owners[table].tolist() == [i for i, c in zip(good, counts) for _ in range(c)]
    assert result.failed == {i: "a bad document" for i, item in enumerate(NOTE_ITEMS) if item == "bad"}
    column = result.tables["lists"]["tokens"]
    assert column.array._pa_array.num_chunks == 1
    vocabulary = token_column.parts(column).dictionary.to_pylist()
    assert vocabulary[:4] == ["推动", "高质量", "发展", "新"] and len(vocabulary) == len(set(vocabulary))


def test_a_worker_batch_holds_arrays_not_an_object_per_row():
    batch = steps._pack([_notes(item) if item != "bad" else steps._Failure("a bad document") for item in NOTE_ITEMS[:5]],
                        columns=NOTES.columns)
    assert batch.n == 5 and batch.failed == [(1, "a bad document")]
    assert batch.owners["t"].tolist() == [0, 0, 0, 3, 3, 3, 3, 3, 4, 4]
    text = batch.columns["t"]["note"]
    assert isinstance(text, steps._Utf8) and isinstance(text.data, bytes)
    assert text.array().tolist()[:4] == ["推动", "高质量", "发展", "发展"] and text.nulls == 2
    ids, lengths = batch.columns["lists"]["tokens"]
    assert batch.vocabulary == ["推动", "高质量", "发展", "新", "质", "生产力", "长三角", "一体化"]
    assert ids.dtype == np.int32 and lengths.tolist() == [3, 3, 0, 0, 0, 0, 5, 5, 0, 2, 2, 0]


@pytest.mark.parametrize("values", [["長三角", None, ""], [], [None, None], ["𠀀𠀁", "a"], [1, "x", None]])
def test_text_sent_as_bytes_reads_back_as_the_text_column(values):
    expected = pd.array(values, dtype="str")  # (pandas' own conversion, value by value)
    sent = steps._Utf8.of(values)
    if all(v is None or isinstance(v, str) for v in values):
        pd.testing.assert_extension_array_equal(sent.array(), expected)
    else:
        assert sent is None  # (not text: pd.array converts it)
    pd.testing.assert_extension_array_equal(steps._text_column(values), expected)


def test_reused_and_computed_rows_are_merged_in_document_order(monkeypatch):
    monkeypatch.setattr(steps._Builder, "BATCH", 2)
    first = ["一 二", "三", "四 五 六"]
    steps.run(WORDS, first, fingerprints=first, options={"sep": " "})
    items = ["新 文本", "三", "又 一 个", "一 二"]  # new, cached, new, cached: out of order
    result = steps.run(WORDS, items, fingerprints=items, options={"sep": " "})
    assert result.cached == 2
    fresh = steps.run(WORDS, items, options={"sep": " "}, cache=False)
    for table in ("t", "lists"):
        pd.testing.assert_frame_equal(result.tables[table], fresh.tables[table], check_exact=True)
        assert result.owners[table].tolist() == fresh.owners[table].tolist()


def test_tampered_cache_file_is_recomputed_with_a_warning(tiny_dir, caplog):
    """A consistent .npz whose token ids point outside its vocabulary is not trusted: recomputed, never a crash."""
    corpus = wb.load_corpus(tiny_dir)
    expected = wb.segment_corpus(corpus)
    for path in frame_cache.cache_files().query("kind == 'tokens'")["path"]:
        with np.load(path, allow_pickle=False) as arrays:
            data = {name: arrays[name] for name in arrays.files}
        ids = [name for name in data if name.endswith(":ids")][0]
        data[ids] = data[ids] + 10_000
        layout = json.loads(data["layout"].tobytes().decode("utf-8"))
        layout["checksum"] = frame_cache._checksum(data)  # a consistent file: only the ids are wrong
        data["layout"] = np.frombuffer(json.dumps(layout).encode("utf-8"), dtype=np.uint8)
        with open(path, "wb") as fh:
            np.savez(fh, **data)
    again = wb.segment_corpus(corpus)
    pd.testing.assert_frame_equal(again, expected)
    assert "token ids outside the vocabulary" in caplog.text


def test_hand_edited_but_valid_cache_file_is_not_trusted(tiny_dir, caplog):
    """A valid .npz whose values were changed (same shapes) no longer matches its checksum: recomputed."""
    corpus = wb.load_corpus(tiny_dir)
    expected = wb.extract_targets(corpus)
    for path in frame_cache.cache_files().query("kind == 'targets'")["path"]:
        with np.load(path, allow_pickle=False) as arrays:
            data = {name: arrays[name] for name in arrays.files}
        values = [name for name in data if name.endswith(":values") and data[name].dtype == np.float64][0]
        data[values] = data[values] * 10
        with open(path, "wb") as fh:
            np.savez(fh, **data)
    pd.testing.assert_frame_equal(wb.extract_targets(corpus), expected)
    assert "does not match its checksum" in caplog.text


@pytest.mark.parametrize("where", ["file", "under-file"])
def test_cache_directory_that_is_a_file_turns_the_cache_off(tiny_dir, tmp_path, monkeypatch, caplog, where):
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("WORKBENCH_CACHE_DIR", str(blocker if where == "file" else blocker / "cache"))
    corpus = wb.load_corpus(tiny_dir)
    assert len(wb.extract_targets(corpus)) and len(wb.segment_corpus(corpus))
    assert "the cache is off" in caplog.text and blocker.read_text(encoding="utf-8") == "not a folder"


def test_partial_files_of_a_killed_run_are_not_counted_and_are_cleaned(tiny_dir, tmp_path, monkeypatch):
    import os
    import time

    monkeypatch.setenv("WORKBENCH_CACHE_DIR", str(tmp_path / "cache"))
    wb.load_corpus(tiny_dir)
    folder = tmp_path / "cache" / "corpus"
    orphans = [folder / f".{'0' * 64}.npz.x{i}{frame_cache.TMP_SUFFIX}" for i in range(5)]
    for orphan in orphans:
        orphan.write_bytes(b"half a file")
        os.utime(orphan, (time.time() - 2 * frame_cache.STALE_SECONDS,) * 2)
    assert len(frame_cache._files(folder)) == 1  # orphans take none of the kept slots
    (tiny_dir / "a_plan.txt").write_text("城镇化率达到66%。\n", encoding="utf-8")
    wb.load_corpus(tiny_dir)  # writes a new file and prunes
    assert not any(o.exists() for o in orphans) and len(frame_cache._files(folder)) == 2


def test_outputs_get_the_mode_of_a_normal_write(tmp_path):
    import os
    import stat

    from workbench.output import atomic_path

    target = tmp_path / "new" / "folder" / "out.csv"
    with atomic_path(target) as tmp:
        tmp.write_text("a\n", encoding="utf-8")
    plain = tmp_path / "plain.csv"
    plain.write_text("a\n", encoding="utf-8")
    assert stat.S_IMODE(os.stat(target).st_mode) == stat.S_IMODE(os.stat(plain).st_mode)


def test_documents_with_the_same_text_keep_their_own_tokens_after_an_edit(tmp_path):
    """Two documents share a key (same text): the cached rows of that key are taken once per asker,
    so every other document keeps its own tokens (review finding: b got a's tokens)."""
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text("推动长三角一体化高质量发展。建设美丽中国。\n", encoding="utf-8")
    (folder / "a_copy.txt").write_text("推动长三角一体化高质量发展。建设美丽中国。\n", encoding="utf-8")
    (folder / "b.txt").write_text("全面推进乡村振兴。\n", encoding="utf-8")
    wb.segment_corpus(wb.load_corpus(folder))
    with (folder / "b.txt").open("a", encoding="utf-8") as fh:
        fh.write("加快建设现代化产业体系。\n")
    corpus = wb.load_corpus(folder)
    pd.testing.assert_frame_equal(wb.segment_corpus(corpus), wb.segment_corpus(corpus, cache=False))


def test_manifest_applies_to_table_rows(tmp_path):
    table = tmp_path / "docs.csv"
    table.write_text("doc_id,text\na,经济增长5%左右。\n", encoding="utf-8")
    manifest = tmp_path / "m.csv"
    manifest.write_text("doc_id,region,year\na,浙江省,2021\n", encoding="utf-8")
    row = wb.load_corpus(table, manifest=manifest).document("a")
    assert row["region"] == "浙江省" and row["year"] == 2021 and row["admin_level"] == "省级"


def test_table_columns_named_like_built_in_columns_are_kept(tmp_path):
    frame = pd.DataFrame({"doc_id": ["a"], "text": ["经济增长5%左右。"], "format": ["公文"], "region_code": [330000.0]})
    docs = wb.load_corpus(frame).documents
    assert docs.loc[0, "table_format"] == "公文" and docs.loc[0, "format"] == "table"
    assert docs.loc[0, "region_code"] == "330000"


def test_combined_corpora_keep_every_table_in_natural_order(seed_corpus):
    parts = [seed_corpus.subset([d]) for d in reversed(seed_corpus.doc_ids)]
    both = wb.combine_corpora(*parts)
    for name in ("documents", "paragraphs", "sentences", "sections", "evidence", "removed"):
        pd.testing.assert_frame_equal(getattr(both, name), getattr(seed_corpus, name), obj=name)


def test_target_records_follow_the_paragraph_text(tiny_dir):
    corpus = wb.load_corpus(tiny_dir)
    first = wb.extract_targets(corpus)
    changed = dataclasses.replace(corpus, paragraphs=corpus.paragraphs.assign(
        text=corpus.paragraphs["text"].str.replace(r"\d", "", regex=True)))
    assert len(wb.extract_targets(changed)) < len(first)


def test_a_dictionary_that_is_not_utf8_is_an_error_naming_it(tmp_path):
    bad = tmp_path / "dict.txt"
    bad.write_bytes("长三角一体化 10 n\n".encode("gbk"))
    with pytest.raises(CorpusError, match="not UTF-8") as info:
        wb.segment_text("推动长三角一体化", user_dict=bad)
    assert str(bad) in str(info.value)


def test_text_chunks_are_joined_into_one_buffer_as_they_are_freed(monkeypatch):
    """A step's text column is joined from its batches' bytes into one buffer, each batch dropped once
    copied; with the memory handed back every few bytes, the values and missing ones come out in order."""
    from workbench import perf

    trims = []
    monkeypatch.setattr(perf, "release_free_memory", lambda: trims.append(1))
    monkeypatch.setattr(perf.drained, "__kwdefaults__", {"every": 8})
    values = [["長三角", None, ""], [], ["𠀀𠀁", "a" * 20], [None], ["发展"]]
    chunks = [steps._Utf8.of(v) for v in values]
    joined = steps._joined(chunks, "str")
    assert chunks == [] and len(trims) == 3  # (after 9 and 29 bytes, and at the end)
    pd.testing.assert_extension_array_equal(joined, pd.array([v for vs in values for v in vs], dtype="str"))
    joined._pa_array.validate(full=True)
