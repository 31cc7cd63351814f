"""The shortcuts of Aligner.locate give what the plain computation gives.

A fragment without white space is not substituted, offsets are bisected on plain lists,
and a number is sought inside its already located quote first: each is checked against
the computation it replaces, on all of Unicode, on generated strings and on a real report.
"""
import re
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.align import WHITE_SPACE, Aligner, Gaps, normalized_original, without_white_space

from .conftest import SEEDS

REPORT = (SEEDS.parent / "tests" / "data" / "national-gwr-2021.txt").read_text(encoding="utf-8")
TEXT = st.text(alphabet="发展经济 \n\u3000\u200b，。ab1", max_size=40)


def test_every_white_space_character_but_the_space_is_not_printable():
    """The premise of without_white_space's shortcut, over every code point."""
    every = "".join(map(chr, range(sys.maxunicode + 1)))
    skipped = "".join(WHITE_SPACE.findall(every))
    assert " " in skipped and "\u3000" in skipped and "\u200b" in skipped and "\ufeff" in skipped
    assert [c for c in skipped if c.isprintable() and c != " "] == []


@pytest.mark.parametrize("text, expected", [
    ("增长6.5%", "增长6.5%"),
    ("增长 6.5 %", "增长6.5%"),
    ("增长\u3000\u30006.5%\r\n左右", "增长6.5%左右"),
    ("\ufeff地区生产总值\u200b增长", "地区生产总值增长"),
    ("\u2028\u00a0", ""),
])
def test_without_white_space_is_the_substitution(text, expected):
    assert without_white_space(text) == WHITE_SPACE.sub("", text) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_without_white_space_on_any_unicode(text):
    assert without_white_space(text) == WHITE_SPACE.sub("", text)


@settings(max_examples=300, deadline=None)
@given(TEXT, st.lists(st.integers(0, 45), max_size=8))
def test_scalar_offsets_agree_with_the_arrays(text, offsets):
    gaps = Gaps(text, keep_text=True)
    offsets = [min(o, len(text)) for o in offsets]
    assert [gaps.kept_before_one(o) for o in offsets] == gaps.kept_before(offsets).tolist()
    kept = list(range(len(gaps.kept_text)))
    assert [gaps.original_one(j) for j in kept] == gaps.original(np.asarray(kept, dtype=np.int64)).tolist()


@settings(max_examples=400, deadline=None)
@given(TEXT, st.integers(0, 40), st.integers(1, 12), st.text(alphabet="发展经济 \n，。ab1", min_size=1, max_size=5))
def test_locate_in_a_quote_is_locate_from_its_start(text, a, length, fragment):
    found = Aligner(text)
    quote = found.locate(text[a:a + length])
    if quote is None:
        return
    assert found.locate_in(fragment, quote) == found.locate(fragment, quote[0])


def real_quotes():
    """Sentences of the 2021 report with a figure (width normalised, as clean text is), and each figure in them."""
    cases = []
    for sentence in re.findall(r"[^。\n]*\d[^。\n]*。", normalized_original(REPORT)):
        for number in re.findall(r"\d+(?:\.\d+)?[%万亿元个项]*", sentence):
            cases.append((sentence, number))
    return cases


def test_figures_of_a_real_report_are_found_inside_their_quotes():
    original = REPORT.replace("。", "。\r\n", 30)  # line breaks that the aligner steps over
    found = Aligner(normalized_original(original))
    cases = real_quotes()
    assert len(cases) > 50
    inside = 0
    for sentence, number in cases:
        quote = found.locate(sentence)
        assert quote is not None
        span = found.locate_in(number, quote)
        assert span == found.locate(number, quote[0])
        inside += quote[0] <= span[0] and span[1] <= quote[1]
    assert inside == len(cases)
