"""One script conversion for cleaning and aligning, and the white-space runs that map offsets.

Each shortcut of the fast loading path is checked against the plain computation it replaces,
on real text (the national reports in tests/data, the seeds) and on strings copying real shapes.
"""
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench import align, clean
from workbench.align import Aligner, Gaps, normalized_and_comparable, normalized_original
from workbench.clean import normalize_width, to_simplified

from .conftest import SEEDS

DATA = SEEDS.parent / "tests" / "data"
REPORT = (DATA / "national-gwr-2021.txt").read_text(encoding="utf-8")
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"


def plain_normalized(original):
    """What normalized_original computed before: line breaks and bars first, then one conversion."""
    text = re.sub(r"(?<!\S)\|(?!\S)", " ",
                  re.sub(r"\r\n?|[\u2028\u2029\f]", lambda m: " " * (len(m.group()) - 1) + "\n", original))
    return normalize_width(to_simplified(text))


@pytest.mark.parametrize("original", [
    "增长5%,达到\r\n | 億元",
    "政府工作報告\r\n\r\n——2021年3月5日\f各位代表：\u2028發展（一）|穩增長|\u2029",
    "第一章 | 總則\r二、(一) 加快發展,推進改革!\n| 1,200 | 15:59 |",
    REPORT.replace("\n", "\r\n")[:5000],
    REPORT[:5000].replace("。", "。 | "),
])
def test_one_conversion_gives_both_texts(original):
    normalized, comparable = normalized_and_comparable(original)
    assert normalized == plain_normalized(original) == normalized_original(original)
    assert comparable == normalize_width(to_simplified(original))
    assert len(normalized) == len(comparable) == len(original)


@pytest.mark.parametrize("chunk", [200, 1000])
def test_a_long_text_is_converted_a_stretch_at_a_time_with_the_same_result(monkeypatch, chunk):
    original = REPORT.replace("发展", "發展").replace("\n", "\r\n").replace("，", ",")
    monkeypatch.setattr(align, "_CHUNK", chunk)  # stretches of about `chunk` characters
    assert len(original) > 15 * chunk
    normalized, comparable = normalized_and_comparable(original)
    assert comparable == normalize_width(to_simplified(original))
    assert normalized == plain_normalized(original)
    aligner = Aligner(normalized)
    assert aligner.compact == re.sub(rf"[\s{ZERO_WIDTH}]+", "", normalized)


@pytest.mark.parametrize("chunk", [50, 300])
def test_the_last_steps_of_cleaning_a_stretch_at_a_time_give_the_same_text(monkeypatch, chunk):
    paragraphs = [p + (" ," if k % 3 else ", (1)") for k, p in enumerate(REPORT.split("\n"))]
    whole = clean.normalize_width(clean.normalize_spaces(clean.split_long_lines("\n".join(paragraphs))))
    monkeypatch.setattr(clean, "_LAST_STEPS_CHUNK", chunk)
    assert clean._last_steps(paragraphs) == whole


def test_clean_document_with_comparable_equals_without():
    original = REPORT.replace("\n", "\r\n")
    _, comparable = normalized_and_comparable(original)
    assert clean.clean_document(original, comparable=comparable) == clean.clean_document(original)
    with pytest.raises(ValueError, match="length"):
        clean.clean_document(original, comparable=comparable[:-1])


def brute_kept_before(text, offset, skip):
    return sum(1 for ch in text[:offset] if not skip(ch))


TEXTS = [
    "推进 高质量\n\n发展",
    "  两端有空格\u3000\n\u200b零宽\u200b字符 \t",
    "",
    "没有空白",
    REPORT[:3000],
]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("zero_width", [True, False])
@pytest.mark.parametrize("chunk", [1 << 20, 3])  # runs cut where two stretches of the text meet
def test_gaps_map_offsets_like_counting_characters(monkeypatch, text, zero_width, chunk):
    monkeypatch.setattr(align, "_CHUNK", chunk)
    skip = (lambda ch: ch.isspace() or ch in ZERO_WIDTH) if zero_width else str.isspace
    gaps = Gaps(text, zero_width=zero_width)
    offsets = list(range(len(text) + 1))
    assert gaps.kept_before(offsets).tolist() == [brute_kept_before(text, o, skip) for o in offsets]
    kept = [i for i, ch in enumerate(text) if not skip(ch)]
    assert gaps.original(np.arange(len(kept))).tolist() == kept
    assert gaps.kept_length == len(kept)
    nxt = [next((i for i in kept if i >= o), len(text)) if o < len(text) and skip(text[o]) else o for o in offsets]
    nxt = [min(n, max([i + 1 for i in range(o, len(text)) if skip(text[i])] + [o])) if o < len(text) and skip(text[o])
           else o for n, o in zip(nxt, offsets)]
    assert gaps.next_kept(offsets).tolist() == nxt
    ends = [o if o == 0 or not skip(text[o - 1]) else
            min(i for i in range(o) if all(skip(c) for c in text[i:o])) for o in offsets]
    assert gaps.kept_end(offsets).tolist() == ends


@pytest.mark.parametrize("text", TEXTS)
def test_aligner_positions_are_the_non_space_characters(text):
    aligner = Aligner(text)
    kept = [i for i, ch in enumerate(text) if not (ch.isspace() or ch in ZERO_WIDTH)]
    assert aligner.positions.tolist() == kept
    assert aligner.compact == "".join(text[i] for i in kept)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="发展 \n\u3000\u200b，。a1|\r", max_size=60))
def test_gaps_agree_with_the_aligner_positions(text):
    aligner = Aligner(text)
    kept = [i for i, ch in enumerate(text) if not (ch.isspace() or ch in ZERO_WIDTH)]
    assert aligner.positions.tolist() == kept
    assert aligner.gaps.kept_before([len(text)]).tolist() == [len(kept)]


def test_spans_cut_sentences_as_split_sentences_does():
    from workbench.corpus import _spans

    original = REPORT
    cleaned = clean.clean_document(original).text
    normalized = normalized_original(original)
    paras, sents = _spans("gwr2021", cleaned, normalized)
    paragraphs = cleaned.split("\n")
    assert [cleaned[a:b] for a, b in zip(paras["start"], paras["end"])] == paragraphs
    expected = [(p, s) for p, para in enumerate(paragraphs) for s in clean.split_sentences(para)]
    assert [(p, cleaned[a:b]) for p, a, b in zip(sents["paragraph"], sents["start"], sents["end"])] == expected
    compact = re.compile(rf"[\s{ZERO_WIDTH}]+")
    for a, b, oa, ob in zip(sents["start"], sents["end"], sents["orig_start"], sents["orig_end"]):
        assert compact.sub("", normalized[oa:ob]) == compact.sub("", cleaned[a:b])
