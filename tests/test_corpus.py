import pandas as pd
import pytest

import workbench as wb
from workbench.align import normalized_original
from workbench.metadata import infer_date, infer_year

from .conftest import SEED_IDS, SEEDS, digest

EXPECTED = {
    "000_33b89863f3dbc27e": ("宿迁市宿豫区", "江苏省", "县级", 2020, "署名文章", "simplified"),
    "001_534d44b1b875ba47": ("宿迁市泗洪县", "江苏省", "县级", 2021, "新闻报道", "traditional"),
    "002_049a35ec4ac63eb7": (None, "江苏省", "县级", 2020, "全会讲话", "simplified"),
    "003_75a5bbd56f8ce010": ("徐州市", "江苏省", "地级", 2020, "规划建议", "simplified"),
    "004_0471c23c1b65a733": ("淮北市杜集区", "安徽省", "县级", 2020, "新闻报道", "simplified"),
}


def test_seed_corpus_metadata(seed_corpus):
    docs = seed_corpus.documents.set_index("doc_id")
    assert docs.index.tolist() == SEED_IDS
    for doc_id, (region, province, level, year, doc_type, script) in EXPECTED.items():
        row = docs.loc[doc_id].where(docs.loc[doc_id].notna(), None)  # missing cells as None
        assert (row.region, row.province, row.admin_level, row.year, row.doc_type, row.script) == (
            region, province, level, year, doc_type, script)
        assert row.inferred == "" and row.encoding == "utf-8"
    assert docs.loc["001_534d44b1b875ba47", "source"] == "宿迁网"


def test_tables_have_ids_and_order(seed_corpus):
    for table, key in ((seed_corpus.paragraphs, "paragraph"), (seed_corpus.sentences, "sentence")):
        assert table["doc_id"].drop_duplicates().tolist() == SEED_IDS
        for _, group in table.groupby("doc_id"):
            assert group[key].tolist() == list(range(len(group)))


def test_offsets_point_into_clean_and_original_text(seed_corpus):
    docs = seed_corpus.documents.set_index("doc_id")
    for table in (seed_corpus.paragraphs, seed_corpus.sentences):
        for row in table.itertuples():
            doc = docs.loc[row.doc_id]
            assert doc.text[row.start:row.end] == row.text
            assert not pd.isna(row.orig_start)
            piece = normalized_original(doc.original)[row.orig_start:row.orig_end]
            assert "".join(piece.split()) == "".join(row.text.split())


def test_sizes_match_tables(seed_corpus):
    docs = seed_corpus.documents.set_index("doc_id")
    assert (docs["n_paragraphs"] == seed_corpus.paragraphs.groupby("doc_id").size()).all()
    assert (docs["n_sentences"] == seed_corpus.sentences.groupby("doc_id").size()).all()


def test_source_files_never_written(tmp_path, tiny_dir):
    before = digest(tiny_dir)
    wb.load_corpus(tiny_dir)
    assert digest(tiny_dir) == before


def test_user_folder_without_manifest_infers_metadata(tmp_path):
    folder = tmp_path / "plans"
    folder.mkdir()
    text = ("江苏省某市人民政府工作报告\n2021年1月15日\n过去一年，徐州市地区生产总值增长3.4%。\n"
            "今年徐州市将力争地区生产总值增长6%以上。徐州市全力推进乡村振兴。\n")
    (folder / "xz2021.txt").write_text(text, encoding="gbk")
    corpus = wb.load_corpus(folder)
    row = corpus.document("xz2021")
    assert row["encoding"] == "gb18030"
    assert row["title"] == "江苏省某市人民政府工作报告"
    assert row["date"] == "2021-01-15" and row["year"] == 2021
    assert pd.isna(row["region"]) and row["province"] == "江苏省"  # 某市 is masked: body mentions of 徐州市 are no evidence
    assert row["doc_type"] == "政府工作报告"
    assert set(row["inferred"].split(",")) >= {"title", "date", "year", "province", "doc_type", "script"}


def test_manifest_beside_files_is_used(tiny_dir):
    (tiny_dir / "manifest.csv").write_text("doc_id,region,year\na_plan,甲市,2021\n", encoding="utf-8")
    corpus = wb.load_corpus(tiny_dir)
    row = corpus.document("a_plan")
    assert row["region"] == "甲市" and row["year"] == 2021
    assert "region" not in row["inferred"].split(",")


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("id,region\nx,甲\n", "no 'doc_id' column"),
        ("doc_id,region\na_plan,甲\na_plan,乙\n", "appears twice"),
        ("doc_id,year\na_plan,二〇二一\n", "four-digit year"),
        ("doc_id,colour\na_plan,red\n", "unknown column"),
        ("doc_id,script\na_plan,latin\n", "script must be"),
        ("doc_id,region\na_plan,甲,乙\n", "more cells"),
    ],
)
def test_malformed_manifest(tiny_dir, content, problem):
    manifest = tiny_dir / "manifest.csv"
    manifest.write_text(content, encoding="utf-8")
    with pytest.raises(wb.CorpusError) as info:
        wb.load_corpus(tiny_dir)
    assert "manifest.csv" in str(info.value) and problem in str(info.value)


def test_bad_files_raise_or_skip(tiny_dir):
    (tiny_dir / "empty.txt").write_bytes(b"")
    with pytest.raises(wb.CorpusError, match="empty.txt: the file is empty"):
        wb.load_corpus(tiny_dir)
    with pytest.warns(wb.CorpusWarning, match="empty.txt"):
        corpus = wb.load_corpus(tiny_dir, errors="skip")
    assert corpus.doc_ids == ["a_plan", "b_report", "c_trad"]


def test_duplicate_doc_ids(tiny_dir):
    (tiny_dir / "sub").mkdir()
    (tiny_dir / "sub" / "a_plan.txt").write_text("另一份。", encoding="utf-8")
    with pytest.raises(wb.CorpusError, match="duplicate doc_id 'a_plan'"):
        wb.load_corpus([tiny_dir / "a_plan.txt", tiny_dir / "sub" / "a_plan.txt"])


def test_missing_path_and_bad_option(tmp_path):
    with pytest.raises(wb.CorpusError, match="no such file or folder"):
        wb.load_corpus(tmp_path / "nowhere")
    with pytest.raises(ValueError, match="errors must be"):
        wb.load_corpus(errors="ignore")


def test_tiny_corpus_cleaning(tiny_dir):
    corpus = wb.load_corpus(tiny_dir)
    texts = corpus.documents.set_index("doc_id")["text"]
    assert texts["a_plan"].startswith("到2025年，全市地区生产总值突破5000亿元")
    assert texts["b_report"].endswith("完成投资XX亿元。")
    assert texts["c_trad"] == "泗洪县将强力实施「五大突破」，力争地区生产总值增长8%以上。"
    assert corpus.document("c_trad")["script"] == "traditional"


def test_subset_keeps_order(seed_corpus):
    sub = seed_corpus.subset([SEED_IDS[3], SEED_IDS[0]])
    assert sub.doc_ids == [SEED_IDS[0], SEED_IDS[3]]
    assert set(sub.sentences["doc_id"]) == {SEED_IDS[0], SEED_IDS[3]}
    with pytest.raises(KeyError):
        seed_corpus.subset(["nope"])


@pytest.mark.parametrize(
    ("text", "date"),
    [("2021年02月27日15:59  来源", "2021-02-27"), ("（二〇二〇年十二月二十八日通过）", "2020-12-28"),
     ("2020/01/10", "2020-01-10"), ("没有日期", None)],
)
def test_infer_date(text, date):
    assert infer_date(text) == date


def test_infer_year_is_the_first_dated_line():
    assert infer_year("2019年……2020年……2020年……到2025年") is None
    assert infer_year("——2021年1月26日在浙江省第十三届人民代表大会第五次会议上") == 2021


def test_bundled_corpus_is_the_seed_folder():
    from workbench.resources import bundled_corpus_dir

    assert sorted(p.name for p in bundled_corpus_dir().glob("*.txt")) == sorted(p.name for p in SEEDS.glob("*.txt"))


def _cut(paragraphs, sentences, documents):
    from workbench import corpus as corpus_module

    return [text.tolist() for text in corpus_module._cut_texts(paragraphs, sentences, documents)]


def _sliced(rows, documents):
    texts = dict(zip(documents["doc_id"], documents["text"]))
    return [texts[d][a:b] for d, a, b in zip(rows["doc_id"], rows["start"], rows["end"])]


@pytest.mark.parametrize("block, ranges", [(1, 1), (5, 3), (1 << 20, 1 << 12)])
def test_row_text_is_the_slice_of_the_clean_text(seed_corpus, monkeypatch, block, ranges):
    """Rows' text is cut from the documents' UTF-8 bytes, block by block: the same as slicing the Python str,
    also for rows out of order, overlapping, or with bounds past the end or negative."""
    from workbench import corpus as corpus_module

    monkeypatch.setattr(corpus_module, "_BLOCK", block)
    monkeypatch.setattr(corpus_module, "_RANGES", ranges)
    paragraphs, sentences = (getattr(seed_corpus, t).drop(columns="text") for t in ("paragraphs", "sentences"))
    assert _cut(paragraphs, sentences, seed_corpus.documents) == [seed_corpus.paragraphs["text"].tolist(),
                                                                    seed_corpus.sentences["text"].tolist()]
    shuffled = [t.sample(frac=1, random_state=0).reset_index(drop=True) for t in (paragraphs, sentences)]
    for t in shuffled:
        t["start"] = t["start"] - 3  # overlapping neighbours; the first rows' bounds are negative
        t["end"] = t["end"] + 7  # past the end of the last rows
    assert _cut(*shuffled, seed_corpus.documents) == [_sliced(t, seed_corpus.documents) for t in shuffled]


def _buffer_range(chunk):
    data = chunk.buffers()[2]
    return data.address, data.address + data.size


def test_sentence_text_is_read_from_the_paragraph_text(seed_corpus):
    """The sentences' text is no second copy: its Arrow arrays point into the paragraphs' text buffer,
    and they are valid Arrow arrays that pandas reads like any other."""
    paragraphs = seed_corpus.paragraphs["text"].array._pa_array
    sentences = seed_corpus.sentences["text"].array._pa_array
    assert paragraphs.num_chunks == 1
    low, high = _buffer_range(paragraphs.chunk(0))
    for chunk in sentences.chunks:
        chunk.validate(full=True)
        assert _buffer_range(chunk) == (low, high)
    assert sentences.num_chunks < len(seed_corpus.sentences) / 100
    found = seed_corpus.sentences[seed_corpus.sentences["text"].str.contains("地区生产总值", regex=False)]
    assert len(found) and found["text"].str.len().min() > 6


def test_sentences_with_gaps_between_them_start_new_arrays(seed_corpus):
    """A sentence that leaves bytes of its paragraph out (white space between sentences) starts a new
    Arrow array over the same buffer; sentences outside their paragraph are copied."""
    from workbench import corpus as corpus_module

    paragraphs, sentences = (getattr(seed_corpus, t).drop(columns="text") for t in ("paragraphs", "sentences"))
    gapped = sentences.copy()
    longer = gapped["end"] - gapped["start"] > 3
    gapped.loc[longer, "start"] += 1  # one character of each longer sentence left out
    _, text = corpus_module._cut_texts(paragraphs, gapped, seed_corpus.documents)
    assert text.tolist() == _sliced(gapped, seed_corpus.documents)
    assert text._pa_array.num_chunks > 1
    outside = sentences.copy()
    outside.loc[0, "end"] = outside.loc[0, "end"] + 10_000  # past its paragraph
    _, text = corpus_module._cut_texts(paragraphs, outside, seed_corpus.documents)
    assert text.tolist() == _sliced(outside, seed_corpus.documents)
    assert text._pa_array.num_chunks == 1


def test_paragraphs_without_sentences_get_an_empty_sentence_text(seed_corpus):
    from workbench import corpus as corpus_module

    paragraphs, sentences = (getattr(seed_corpus, t).drop(columns="text") for t in ("paragraphs", "sentences"))
    paragraph_text, sentence_text = corpus_module._cut_texts(paragraphs, sentences.iloc[:0], seed_corpus.documents)
    assert paragraph_text.tolist() == seed_corpus.paragraphs["text"].tolist() and len(sentence_text) == 0


@pytest.mark.parametrize("numbers", ["float", "huge"])
def test_unusual_paragraph_numbers_give_copied_sentence_text(seed_corpus, numbers):
    """Paragraph numbers that cannot key the sentences' owners (floats with a gap, numbers near 2**63)
    give the sentences' text by copying, without a warning."""
    import warnings

    from workbench import corpus as corpus_module

    paragraphs, sentences = (getattr(seed_corpus, t).drop(columns="text") for t in ("paragraphs", "sentences"))
    if numbers == "float":
        paragraphs["paragraph"] = paragraphs["paragraph"].astype(float)
        paragraphs.loc[0, "paragraph"] = float("nan")
    else:
        paragraphs["paragraph"] += 2 ** 62
        sentences["paragraph"] += 2 ** 62
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _, text = corpus_module._cut_texts(paragraphs, sentences, seed_corpus.documents)
    assert text.tolist() == seed_corpus.sentences["text"].tolist()
    assert text._pa_array.num_chunks == 1


@pytest.mark.parametrize("link", ["loop", "through a file"])
def test_a_link_that_cannot_be_followed_is_skipped_like_any_non_file(tmp_path, link):
    (tmp_path / "a.txt").write_text("二〇二五年政府工作报告\n全年地区生产总值增长5%左右。\n", encoding="utf-8")
    target = "loop.txt" if link == "loop" else "a.txt/inside.txt"
    (tmp_path / "loop.txt").symlink_to(target)
    assert wb.load_corpus(tmp_path, cache=False, progress=False).doc_ids == ["a"]


# --- a large text's lines and sentence ends found a stretch at a time --------------------------
def _seed_text(k: int) -> str:
    return (SEEDS / f"{SEED_IDS[k]}.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("chunk", [1, 7, 100, 1 << 20])
@pytest.mark.parametrize("k", [0, 1])
def test_spans_found_a_stretch_at_a_time_are_those_of_the_whole_text(monkeypatch, k, chunk):
    from array import array

    from workbench import clean, corpus
    from workbench.align import normalized_and_comparable

    original = _seed_text(k)
    normalized, _ = normalized_and_comparable(original)
    text = clean.clean_document(original).text
    whole = corpus._spans("d", text, normalized)
    monkeypatch.setattr(corpus, "_CHUNK", chunk)
    assert len(text) > 15 * chunk or chunk == 1 << 20  # many stretches
    pieces = corpus._spans("d", text, normalized)
    for got, expected in zip(pieces, whole):
        assert {c: list(v) for c, v in got.items()} == {c: list(v) for c, v in expected.items()}
    paragraphs, sentences = pieces
    assert list(paragraphs["end"]) == [m.start() for m in __import__("re").finditer("\n", text)] + [len(text)]
    sentence_text = [text[a:b] for a, b in zip(sentences["start"], sentences["end"])]
    by_paragraph = [s for p in text.split("\n") for s in clean.split_sentences(p)]
    assert sentence_text == by_paragraph
    assert all(isinstance(sentences[c], array) for c in ("start", "end", "orig_start", "orig_end"))


@pytest.mark.parametrize(
    ("text", "ends", "expected"),
    [
        ("一。二\n三", None, [3, 5]),
        ("一。二\n三\n", None, [3, 5, 6]),
        ("\n\n", None, [0, 1, 2]),
        ("一。二\n三！”", "sentence", [2, 7]),
        ("。\n。\n", "sentence", [1, 3]),
    ],
)
@pytest.mark.parametrize("chunk", [1, 2, 1 << 20])
def test_piece_ends_at_stretch_edges(monkeypatch, text, ends, expected, chunk):
    from workbench import corpus

    monkeypatch.setattr(corpus, "_CHUNK", chunk)
    pattern = corpus._SENTENCE_END_KEPT if ends else None
    assert corpus._piece_ends(text, pattern).tolist() == expected


@pytest.mark.parametrize("name", ["a.txt", "a.", "a..", ".a", "a.b.", "a.tar.gz", "..", "a", "x/y.z", ".a.b",
                                  "a b.TXT", "规划纲要.md", "dir.d/file"])
def test_stem_and_suffix_as_pathlib_gives_them(name):
    from pathlib import PurePath

    from workbench.corpus import _stem_suffix

    assert _stem_suffix(name) == (PurePath(name).stem, PurePath(name).suffix)


@pytest.mark.parametrize("spelled", [".", "./", "tiny/", "tiny//", "./tiny", "ABSOLUTE"])
def test_discovered_files_are_spelled_as_pathlib_spells_them(tiny_dir, monkeypatch, spelled):
    """The path column is ``str(Path(folder) / name)`` however the folder is written."""
    from pathlib import Path

    from workbench.corpus import discover_files

    monkeypatch.chdir(tiny_dir if spelled.startswith(".") and "tiny" not in spelled else tiny_dir.parent)
    folder = str(tiny_dir) if spelled == "ABSOLUTE" else spelled
    expected = sorted(Path(folder) / p.name for p in tiny_dir.iterdir())
    assert discover_files(folder) == expected
    assert wb.load_corpus(folder).documents["path"].tolist() == [str(p) for p in expected]
