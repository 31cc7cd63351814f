"""Text reuse: planted passages (exact, edited, traditional) are found, unrelated documents share none."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import workbench as wb
from workbench.align import normalized_original
from workbench.clean import normalize_width, to_simplified
from workbench.reuse import (ReuseResult, align_passage, combine_corpora, comparison_text, select_documents,
                             shared_shingles, shingle_hashes, text_reuse)

SOURCE = "003_75a5bbd56f8ce010"  # the 23,000-character 规划建议: passages are taken from it
BACKGROUND = {"exact": "000_33b89863f3dbc27e", "edited": "004_0471c23c1b65a733", "traditional": "002_049a35ec4ac63eb7",
              "other": "001_534d44b1b875ba47"}


def substitute_one_in_twenty(text: str) -> str:
    """Every twentieth character (from the eighth on) replaced: 的 by 地, anything else by 之 (or 乎)."""
    chars = list(text)
    for i in range(7, len(chars), 20):
        chars[i] = "地" if chars[i] == "的" else "乎" if chars[i] == "之" else "之"
    return "".join(chars)


def edit_with_indels(text: str) -> str:
    """One change in twenty: substitutions, and a character dropped and one added every sixty."""
    chars = list(substitute_one_in_twenty(text))
    for i in range(len(chars) - 30, 0, -60):
        del chars[i]
        chars.insert(i + 12, "的")
    return "".join(chars)


def to_traditional(text: str) -> str:
    from opencc import OpenCC

    return OpenCC("s2t").convert(text)


def full_width(text: str) -> str:
    return text.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789%"})


def unchanged(text: str) -> str:
    return text


# (target, source paragraph, start, length, how the target writes it, lowest similarity expected)
PLANTED = [
    ("exact", 4, 20, 50, unchanged, 1.0),
    ("exact", 14, 0, 120, unchanged, 1.0),
    ("exact", 5, 300, 150, unchanged, 1.0),  # runs across a paragraph break in the source
    ("edited", 6, 10, 60, substitute_one_in_twenty, 0.9),
    ("edited", 7, 30, 200, substitute_one_in_twenty, 0.9),
    ("edited", 8, 0, 180, edit_with_indels, 0.85),
    ("traditional", 20, 5, 80, lambda t: full_width(to_traditional(t)), 1.0),
    ("traditional", 21, 40, 55, lambda t: to_traditional(substitute_one_in_twenty(t)), 0.9),
]


def _source_piece(source_text: str, paragraph: int, start: int, length: int) -> str:
    paragraphs = source_text.split("\n")
    offset = sum(len(p) + 1 for p in paragraphs[:paragraph]) + start
    piece = source_text[offset:]
    return piece[: length + piece[:length].count("\n")]


@pytest.fixture(scope="module")
def planted(tmp_path_factory, seed_corpus):
    """A corpus of the long source, three targets made of other seeds with passages planted inside
    their paragraphs, and an unrelated document; with what was planted where."""
    folder = tmp_path_factory.mktemp("reuse")
    source_text = seed_corpus.document(SOURCE)["text"]
    texts = {name: seed_corpus.document(doc)["text"] for name, doc in BACKGROUND.items()}
    texts["traditional"] = to_traditional(texts["traditional"][:3000])
    truth = []
    for n, (target, paragraph, start, length, written, _) in enumerate(PLANTED):
        piece = _source_piece(source_text, paragraph, start, length)
        copy = written(piece.replace("\n", ""))
        lines = texts[target].split("\n")
        k = 3 * n % len(lines)
        cut = len(lines[k]) // 2
        lines[k] = lines[k][:cut] + copy + lines[k][cut:]
        texts[target] = "\n".join(lines)
        truth.append({"target": target, "source_piece": piece, "written": copy})
    (folder / "source.txt").write_text(source_text, encoding="utf-8")
    for name, text in texts.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    (folder / "manifest.csv").write_text(
        "doc_id,title,region,year\nsource,规划建议,全国,2020\nexact,甲,甲市,2021\nedited,乙,乙市,2021\n"
        "traditional,丙,丙市,2022\nother,丁,丁市,2022\n", encoding="utf-8")
    corpus = wb.load_corpus(folder)
    return corpus, text_reuse(corpus), truth


def _span_in_clean(corpus, doc_id: str, written: str) -> tuple[int, int]:
    codes, positions = comparison_text(corpus.document(doc_id)["text"])
    piece = "".join(normalize_width(to_simplified(written)).split())
    i = codes.tobytes().decode("utf-32-le").find(piece)
    assert i >= 0, f"the planted passage is not in {doc_id}'s clean text"
    return int(positions[i]), int(positions[i + len(piece) - 1]) + 1


def _covered(rows: pd.DataFrame, start: int, end: int, side: str = "target") -> int:
    chars = set()
    for s, e in zip(rows[f"{side}_start"], rows[f"{side}_end"]):
        chars.update(range(max(s, start), min(e, end)))
    return len(chars)


@pytest.mark.parametrize("n", range(len(PLANTED)), ids=[f"{p[0]}-{p[3]}chars-{i}" for i, p in enumerate(PLANTED)])
def test_every_planted_passage_is_found(planted, n):
    corpus, result, truth = planted
    planted_passage = truth[n]
    start, end = _span_in_clean(corpus, planted_passage["target"], planted_passage["written"])
    rows = result.passages[(result.passages["source_doc"] == "source")
                           & (result.passages["target_doc"] == planted_passage["target"])]
    assert _covered(rows, start, end) >= 0.9 * (end - start)
    assert not rows["common"].any()
    overlapping = rows[(rows["target_start"] < end) & (rows["target_end"] > start)]
    assert overlapping["similarity"].min() >= PLANTED[n][5]


def test_passages_run_both_ways_and_nothing_between_unrelated_documents(planted):
    corpus, result, truth = planted
    passages = result.passages
    assert set(zip(passages["source_doc"], passages["target_doc"])) == {
        ("source", "exact"), ("exact", "source"), ("source", "edited"), ("edited", "source"),
        ("source", "traditional"), ("traditional", "source")}
    forward = passages[passages["source_doc"] == "source"]
    backward = passages[passages["target_doc"] == "source"]
    assert sorted(zip(forward["target_doc"], forward["target_start"], forward["source_start"])) == \
        sorted(zip(backward["source_doc"], backward["source_start"], backward["target_start"]))
    # every passage is one of the planted ones
    for row in forward.itertuples():
        spans = [_span_in_clean(corpus, p["target"], p["written"]) for p in truth if p["target"] == row.target_doc]
        assert any(s < row.target_end and row.target_start < e for s, e in spans)


def test_seeds_share_no_passage_of_fifty_characters(seed_corpus):
    result = text_reuse(seed_corpus)
    assert result.passages.empty and result.pairs.empty
    assert result.documents["unique_share"].tolist() == [1.0] * 5
    assert list(result.passages.columns) == ["source_doc", "target_doc", "source_start", "source_end", "target_start",
                                             "target_end", "source_orig_start", "source_orig_end", "target_orig_start",
                                             "target_orig_end", "chars", "similarity", "common", "source_text",
                                             "target_text"]


def test_offsets_slice_the_clean_and_the_original_text(planted):
    corpus, result, _ = planted
    assert len(result.passages)
    for row in result.passages.itertuples():
        for side in ("source", "target"):
            doc = corpus.document(getattr(row, f"{side}_doc"))
            start, end = getattr(row, f"{side}_start"), getattr(row, f"{side}_end")
            assert doc["text"][start:end] == getattr(row, f"{side}_text")
            o_start, o_end = getattr(row, f"{side}_orig_start"), getattr(row, f"{side}_orig_end")
            assert not pd.isna(o_start) and not pd.isna(o_end)
            in_original = normalized_original(doc["original"])[o_start:o_end]
            assert "".join(in_original.split()) == "".join(getattr(row, f"{side}_text").split())
    traditional = result.passages[result.passages["target_doc"] == "traditional"].iloc[0]
    original = corpus.document("traditional")["original"][traditional["target_orig_start"]:traditional["target_orig_end"]]
    assert original != traditional["target_text"] and to_simplified(original) != original  # traditional in the file


def test_pairs_give_the_share_of_the_target_found_in_the_source(planted):
    corpus, result, truth = planted
    pairs = result.pairs.set_index(["source_doc", "target_doc"])
    for target in ("exact", "edited", "traditional"):
        row = pairs.loc[("source", target)]
        chars = len(comparison_text(corpus.document(target)["text"])[0])
        planted_chars = sum(len("".join(normalize_width(to_simplified(p["written"])).split()))
                            for p in truth if p["target"] == target)
        assert row["target_chars"] == chars
        assert row["share"] == pytest.approx(row["shared_chars"] / chars)
        assert 0.9 * planted_chars <= row["shared_chars"] <= planted_chars + 10
    documents = result.documents.set_index("doc_id")
    assert documents.loc["other", "unique_share"] == 1.0 and documents.loc["other", "sources"] == 0
    assert documents.loc["exact", "sources"] == 1
    assert documents.loc["exact", "unique_chars"] == documents.loc["exact", "chars"] - documents.loc["exact", "shared_chars"]
    matrix = result.matrix()
    assert matrix.loc["source", "edited"] == pytest.approx(pairs.loc[("source", "edited"), "share"])
    assert matrix.loc["exact", "edited"] == 0 and np.isnan(matrix.loc["exact", "exact"])


@pytest.mark.parametrize("source, target, expected", [
    ("source", ["exact", "edited"], {("source", "exact"), ("source", "edited")}),
    ("region=全国", None, {("source", "exact"), ("source", "edited"), ("source", "traditional")}),
    (None, "year=2022", {("source", "traditional")}),
    (["exact", "edited"], "source", {("exact", "source"), ("edited", "source")}),
])
def test_source_and_target_selections(planted, source, target, expected):
    corpus, _, _ = planted
    result = text_reuse(corpus, source, target)
    assert set(zip(result.passages["source_doc"], result.passages["target_doc"])) == expected
    assert set(result.documents["doc_id"]) == set(select_documents(corpus, target))


@pytest.mark.parametrize("spec, error", [
    ("nosuchdoc", KeyError),
    ("colour=红", ValueError),
    ("region=火星", ValueError),
    ([], ValueError),
    ("text=x", ValueError),
])
def test_bad_selections_say_what_is_allowed(planted, spec, error):
    corpus, _, _ = planted
    with pytest.raises(error):
        text_reuse(corpus, spec)


@pytest.mark.parametrize("options", [
    {"min_chars": 5}, {"min_chars": 50.0}, {"min_similarity": 0}, {"min_similarity": 1.5}, {"common_docs": 2},
    {"k": 1}, {"k": 40}, {"k": 30},
])
def test_bad_options_raise(seed_corpus, options):
    with pytest.raises(ValueError):
        text_reuse(seed_corpus, **options)


def test_one_document_is_not_enough(seed_corpus):
    with pytest.raises(ValueError, match="two documents"):
        text_reuse(seed_corpus, SOURCE, SOURCE)


FORMULA = ("全面贯彻党的二十大和二十届二中、三中全会精神，完整准确全面贯彻新发展理念，加快构建新发展格局，"
           "着力推动高质量发展，统筹发展和安全，奋力谱写中国式现代化新篇章。")


@pytest.fixture(scope="module")
def stock(tmp_path_factory, seed_corpus):
    """Seven unrelated chunks of the source, all with the same stock formula, two also sharing a passage."""
    folder = tmp_path_factory.mktemp("stock")
    source_text = seed_corpus.document(SOURCE)["text"]
    chunks = [source_text[2500 + i * 3000:2500 + (i + 1) * 3000] for i in range(7)]  # share nothing of 40 chars
    shared = _source_piece(seed_corpus.document("002_049a35ec4ac63eb7")["text"], 10, 0, 100).replace("\n", "")
    for i, chunk in enumerate(chunks):
        early, middle = chunk.index("\n", 300), chunk.index("\n", 1500)
        extra = "\n" + shared if i in (2, 5) else ""
        text = chunk[:early] + extra + chunk[early:middle] + "\n" + FORMULA + chunk[middle:]
        (folder / f"d{i}.txt").write_text(text, encoding="utf-8")
    return wb.load_corpus(folder), shared


def test_stock_formula_is_common_wording_apart_from_pair_reuse(stock):
    corpus, shared = stock
    result = text_reuse(corpus)
    passages = result.passages
    common, pair = passages[passages["common"]], passages[~passages["common"]]
    assert set(zip(pair["source_doc"], pair["target_doc"])) == {("d2", "d5"), ("d5", "d2")}
    assert all(shared in text for text in pair["target_text"])
    assert len(common) and all(FORMULA in "".join(t.split()) or "".join(t.split()) in FORMULA
                               for t in common["target_text"])
    assert set(common["target_doc"]) == {f"d{i}" for i in range(7)}  # every holder learns it is common wording
    assert len(common) <= 2 * 3 * 7  # against three representatives, not against every other holder
    pairs = result.pairs.set_index(["source_doc", "target_doc"])
    assert pairs.loc[("d2", "d5"), "shared_chars"] == pytest.approx(len(shared), abs=3)
    documents = result.documents.set_index("doc_id")
    assert (documents["common_chars"] >= len(FORMULA) - 3).all()
    assert documents.loc["d0", "shared_chars"] == 0 and documents.loc["d2", "shared_chars"] > 0
    many = text_reuse(corpus, common_docs=8)  # fewer holders than that: reuse between pairs
    assert not many.passages["common"].any()


def test_a_selected_pair_still_knows_common_wording(stock):
    corpus, _ = stock
    result = text_reuse(corpus, "d0", "d1")
    assert len(result.passages) and result.passages["common"].all()
    assert result.pairs["share"].tolist() == [0.0]


@pytest.mark.parametrize("a, b, expected", [
    ("前文加快建设现代化产业体系推动高质量发展", "另起加快建设现代化产业体系促进高质量发展", (2, 20, 2, 20, 0.8889)),
    ("甲乙丙丁戊己庚辛壬癸", "子丑寅卯甲乙丙丁戊己庚辛壬癸辰巳", (0, 10, 4, 14, 1.0)),
    ("我们坚定不移推进改革开放", "我们坚定不移地推进改革开放", (0, 12, 0, 13, 0.9231)),
    ("一二三四五", "六七八九十", None),
])
def test_align_passage(a, b, expected):
    assert align_passage(a, b) == expected


def test_shingles_are_equal_for_equal_text_anywhere():
    codes, positions = comparison_text("推进高质量\n发展，推进高质量发展")
    assert positions.tolist()[5] == 6  # the line break is not compared
    hashes = shingle_hashes(codes, 5)
    assert len(hashes) == len(codes) - 4 and hashes[0] == hashes[8] and len(set(hashes.tolist())) == 8
    assert len(shingle_hashes(codes[:3], 5)) == 0
    table = shared_shingles("各地要推进高质量发展", "推进高质量发展", k=5)
    assert table["shingle"].tolist() == ["推进高质量", "进高质量发", "高质量发展"]
    assert table["diagonal"].unique().tolist() == [-3]


def test_result_repr_and_matrix_value_check(planted):
    _, result, _ = planted
    assert isinstance(result, ReuseResult) and "passages" in repr(result)
    assert result.settings["min_chars"] == 50 and result.settings["sources"] == result.settings["targets"]
    with pytest.raises(ValueError, match="value"):
        result.matrix(value="chars")


def test_combined_corpora_compare_across_them(planted, seed_corpus):
    corpus, result, _ = planted
    both = combine_corpora(corpus.subset(["source", "exact"]), seed_corpus.subset(["004_0471c23c1b65a733"]))
    assert both.doc_ids == ["004_0471c23c1b65a733", "exact", "source"]
    assert set(both.paragraphs["doc_id"]) == set(both.doc_ids)
    across = text_reuse(both, "source", ["exact", "004_0471c23c1b65a733"])
    expected = result.passages[(result.passages["source_doc"] == "source") & (result.passages["target_doc"] == "exact")]
    assert across.passages["target_start"].tolist() == expected["target_start"].tolist()
    with pytest.raises(ValueError, match="more than one corpus"):
        combine_corpora(corpus, corpus)


# --- views ---------------------------------------------------------------------------------------


def test_side_by_side_marks_and_links_the_passages(planted):
    from workbench.reuse_view import side_by_side_html

    corpus, result, _ = planted
    page = side_by_side_html(result, corpus, "source", "edited")
    n = int(((result.passages["source_doc"] == "source") & (result.passages["target_doc"] == "edited")).sum())
    assert page.count("<mark") == 2 * n and n == 3
    assert "href='#r" in page and "-t-1'" in page and "-s-1'" in page
    assert "of the target's text found in the source" in page
    with pytest.raises(KeyError):
        side_by_side_html(result, corpus, "source", "nosuchdoc")


def test_side_by_side_escapes_text(stock):
    from workbench.reuse_view import side_by_side_html

    corpus, _ = stock
    result = text_reuse(corpus)
    page = side_by_side_html(result, corpus, "d2", "d5", common=False)
    assert page.count("<mark") == 2 and "<script" not in page


def test_reuse_matrix_chart(planted):
    import matplotlib

    matplotlib.use("Agg")
    from workbench.reuse_view import plot_reuse_matrix

    _, result, _ = planted
    fig = plot_reuse_matrix(result)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == result.settings["targets"]
    assert any(t.get_text().endswith("%") for t in ax.texts)
    matplotlib.pyplot.close(fig)


def test_reuse_explorer_follows_the_pair(planted):
    from workbench.reuse_view import reuse_explorer

    corpus, result, _ = planted
    box = reuse_explorer(result, corpus)
    pick, common = box.children[0].children
    view = box.children[1]
    assert len(pick.options) == len(result.pairs)
    pick.value = ("traditional", "source")
    assert "<b>traditional</b> (source)" in view.value
    common.value = False
    assert "<mark" in view.value


# --- command line --------------------------------------------------------------------------------


def _run(capsys, *argv):
    from workbench.cli import main

    code = main(["reuse", *argv])
    return code, *capsys.readouterr()


def test_cli_passages_pairs_and_html(planted, capsys, tmp_path):
    corpus, result, _ = planted
    folder = str(corpus.documents["path"].iloc[0]).rsplit("/", 1)[0]
    code, out, _ = _run(capsys, folder, "--source", "source", "--target", "edited", "--format", "json")
    rows = json.loads(out)
    assert code == 0 and len(rows) == 3 and {r["target_doc"] for r in rows} == {"edited"}
    assert rows[0]["target_text"] and rows[0]["source_orig_start"] is not None
    page = tmp_path / "pair.html"
    code, out, err = _run(capsys, folder, "--show", "pairs", "--format", "csv", "--html", str(page))
    assert out.splitlines()[0] == "source_doc,target_doc,passages,shared_chars,common_chars,target_chars,share,common_share"
    assert len(out.splitlines()) == 1 + len(result.pairs) and "wrote" in err and "<mark" in page.read_text()
    code, out, _ = _run(capsys, folder, "--show", "documents", "--target", "region=甲市")
    assert "exact" in out and "edited" not in out


def test_cli_rejects_a_bad_html_name(planted, capsys):
    corpus, _, _ = planted
    code, _, err = _run(capsys, str(corpus.documents["path"].iloc[0]), "--html", "out.png")
    assert code == 2 and err.startswith("workbench: error: --html out.png must end in .html")


def test_short_documents_share_nothing_and_the_input_is_unchanged(tiny_dir):
    corpus = wb.load_corpus(tiny_dir)
    before = corpus.documents.copy()
    result = text_reuse(corpus, min_chars=16)
    assert result.passages.empty and result.pairs.empty
    assert result.documents["doc_id"].tolist() == corpus.doc_ids and (result.documents["unique_share"] == 1.0).all()
    pd.testing.assert_frame_equal(corpus.documents, before)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="的地发展推进高质量，。 \n甲乙丙", max_size=60), st.text(alphabet="的地发展推进高质量，。 \n甲乙丙", max_size=60))
def test_alignment_stays_inside_both_texts(a, b):
    found = align_passage(a, b)
    if found is not None:
        a0, a1, b0, b1, similarity = found
        assert 0 <= a0 < a1 <= len(a) and 0 <= b0 < b1 <= len(b) and 0 < similarity <= 1
        assert a[a0] == b[b0] and a[a1 - 1] == b[b1 - 1]  # a passage starts and ends with matching characters
    codes, positions = comparison_text(a)
    assert "".join(a.split()) == "".join(map(chr, codes)) and len(positions) == len(codes)
