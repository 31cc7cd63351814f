"""Quotes and units of target records found in the original's lines around their paragraph
(targets._Original, align.LineAligner): the same as through the whole normalised original."""
from __future__ import annotations

import random
from pathlib import Path

import pandas as pd
import pytest

from workbench import targets
from workbench.align import Aligner, LineAligner, normalized_original
from workbench.clean import to_simplified
from workbench.corpus import load_document

DATA = Path(__file__).resolve().parent / "data"


def _to_traditional(text: str) -> str:
    from opencc import OpenCC

    return OpenCC("s2t").convert(text)


def _variants() -> dict[str, str]:
    """Real reports in the shapes an original comes in: simplified, traditional (OpenCC s2t),
    CRLF line ends, indents of full-width spaces, a table rule of stray bars, form feeds and
    zero-width spaces inside lines, a 1954 report."""
    gwr2021 = (DATA / "national-gwr-2021.txt").read_text(encoding="utf-8")
    gwr1954 = (DATA / "national-gwr-1954.txt").read_text(encoding="utf-8")
    traditional = _to_traditional(gwr2021)
    indented = "\n".join("\u3000\u3000" + line if line else line for line in gwr2021.split("\n"))
    lines = indented.split("\n")
    lines.insert(5, "| 指標 | 2025年 | 增長6.5% |")
    return {
        "simplified": gwr2021,
        "traditional": traditional,
        "traditional-crlf": traditional.replace("\n", "\r\n"),
        "indented-crlf-bars": "\r\n".join(lines),
        "form-feed-zero-width": gwr2021.replace("。\n", "。\f\n", 40).replace("增长", "增\u200b长", 30),
        "1954": gwr1954,
    }


VARIANTS = _variants()


def _document(tmp_path, name: str):
    path = tmp_path / f"{name}.txt"
    path.write_bytes(VARIANTS[name].encode("utf-8"))
    return load_document(path)


def _records(one, monkeypatch=None, *, whole: bool = False) -> pd.DataFrame:
    if whole:  # the reference: every fragment sought in the whole normalised original
        monkeypatch.setattr(targets._Original, "next_paragraph", lambda self: None)
    return targets.extract_document(one.documents.iloc[0], one.paragraphs, one.sentences, one.sections)


@pytest.mark.parametrize("gap", [0, 300, 10**9])
@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_records_are_those_found_through_the_whole_original(tmp_path, monkeypatch, name, gap):
    one = _document(tmp_path, name)
    monkeypatch.setattr(targets, "_WINDOW_GAP", gap)  # each paragraph's lines apart, joined when near, all joined
    lines = _records(one)
    whole = _records(one, monkeypatch, whole=True)
    assert len(lines) > 50
    pd.testing.assert_frame_equal(lines, whole, check_exact=True)
    original = one.documents["original"].iloc[0]
    assert all(quote in original for quote in lines["quote"])


@pytest.mark.parametrize("name", ["traditional", "traditional-crlf"])
def test_traditional_quotes_are_as_written(tmp_path, name):
    records = _records(_document(tmp_path, name))
    assert records["quote"].str.contains("億|個|億元|國").any()
    assert "億元" in set(records["unit"])


@pytest.mark.parametrize("name", ["simplified", "traditional-crlf", "indented-crlf-bars"])
def test_the_whole_original_is_not_converted_when_each_quote_is_in_its_lines(tmp_path, monkeypatch, name):
    one = _document(tmp_path, name)
    whole = []
    monkeypatch.setattr(targets, "normalized_original", lambda text: whole.append(len(text)) or normalized_original(text))
    assert len(_records(one)) > 50
    assert whole == []


def test_paragraphs_without_a_span_in_the_original_are_sought_in_the_whole(tmp_path, monkeypatch):
    one = _document(tmp_path, "traditional-crlf")
    one.paragraphs["orig_start"] = one.paragraphs["orig_start"].where(one.paragraphs.index % 3 != 0, pd.NA)
    one.paragraphs["orig_end"] = one.paragraphs["orig_end"].where(one.paragraphs.index % 5 != 0, pd.NA)
    lines = _records(one)
    pd.testing.assert_frame_equal(lines, _records(one, monkeypatch, whole=True), check_exact=True)


@pytest.mark.parametrize("name", ["traditional-crlf", "form-feed-zero-width", "indented-crlf-bars"])
def test_fragments_and_offsets_are_located_as_in_the_whole(tmp_path, name):
    """Every answer of _Original (pieces of each paragraph, offsets inside and outside its lines,
    pieces of other paragraphs) is the whole aligner's."""
    one = _document(tmp_path, name)
    original = one.documents["original"].iloc[0]
    whole = Aligner(normalized_original(original))
    rng = random.Random(13)
    paragraphs = one.paragraphs.dropna(subset=["orig_start"])
    texts = paragraphs["text"].tolist()
    checked = 0
    for text, start, end in zip(texts, paragraphs["orig_start"], paragraphs["orig_end"]):
        found = targets._Original(original, [(int(start), int(end))])
        found.next_paragraph()
        for _ in range(4):
            a = rng.randrange(len(text))
            piece = text[a:a + rng.randint(1, 12)]
            other = rng.choice(texts)
            for fragment in (piece, other[:8], "。", "不在原文中的片段"):
                for hint in (int(start), int(start) + rng.randint(0, 40), 0, len(original) - 5):
                    assert found.locate(fragment, hint) == whole.locate(fragment, hint), (fragment, hint)
                span = whole.locate(piece, int(start))
                if span:
                    assert found.locate_in(fragment, span) == whole.locate_in(fragment, span), (fragment, span)
                checked += 1
    assert checked > 400


@pytest.mark.parametrize("text", [
    "",
    "增长6.5%",
    "\u3000\u3000推进 高质量\r\n发展\n",
    "增\u200b长 \t6.5％\f左右\u2028。 | 億元\r\n",
    "  \n\n",
    to_simplified(_to_traditional("到2025年，全市地區生產總值突破5000億元。\r\n")),
])
def test_line_aligner_is_the_aligner(text):
    short, full = LineAligner(text), Aligner(text)
    assert short.compact == full.compact
    for offset in range(len(text) + 1):
        assert short.gaps.kept_before_one(offset) == full.gaps.kept_before_one(offset)
    for j in range(len(full.compact)):
        assert short.gaps.original_one(j) == full.gaps.original_one(j)
    for a in range(len(text)):
        fragment = text[a:a + 3]
        assert short.locate(fragment, a) == full.locate(fragment, a)


@pytest.mark.parametrize("spans, gap, expected", [
    ([(2, 4), (6, 7)], 0, [(2, 5), (6, 8)]),  # lines apart (the empty line between)
    ([(2, 4), (6, 7)], 1, [(2, 8), (2, 8)]),
    ([(2, 4), (3, 4), (6, 7)], 0, [(2, 5), (2, 5), (6, 8)]),  # one line, two paragraphs
    ([(6, 7), (2, 4)], 300, [(6, 8), (2, 5)]),  # not in order: never joined
    ([(2, 4), (None, None), (6, 7)], 300, [(2, 8), None, (2, 8)]),
    ([(0, 1), (409, 410)], 300, [(0, 2), (409, 410)]),
    ([(0, 1), (409, 410)], 500, [(0, 410), (0, 410)]),
])
def test_line_windows(spans, gap, expected):
    original = "一\n二三\n\n四\n" + "五" * 400 + "\n六"
    assert targets._line_windows(original, spans, gap=gap) == expected
