"""Random strings through cleaning and target extraction: no exception, every quote from its source.

The strings mix what plans are made of (CJK, full-width digits, ``%``/``万``/``亿``/``XX``,
Chinese numeral runs, very long numbers, target cues, punctuation, line breaks) with
control characters and arbitrary Unicode.

How many strings each test feeds: ``WORKBENCH_FUZZ_EXAMPLES`` (default 1,000, which runs in
CI in well under a minute); the ``slow`` tests feed 10,000 each::

    WORKBENCH_FUZZ_EXAMPLES=10000 pytest tests/test_fuzz.py      # or: WORKBENCH_FUZZ_FULL=1 pytest -m slow tests/test_fuzz.py

Examples are derandomized (the same strings every run) and no example database is written.
A document that is nothing but boilerplate is refused by design ("nothing is left after
cleaning"); that is the one error expected.
"""
import math
import os
import warnings

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import workbench as wb
from workbench import clean

STRINGS = int(os.environ.get("WORKBENCH_FUZZ_EXAMPLES", "1000"))
FULL = 10_000
BATCH = 50  # strings per corpus: loading has a fixed cost per call

CUES = ["到2025年", "到二〇三五年", "达到", "達到", "增长", "年均增长", "突破", "以上", "左右", "以内", "控制在", "提高到",
        "下降", "比上年", "个百分点", "地区生产总值", "城镇化率", "人均", "万元", "亿元", "公里", "万人", "平方公里",
        "“十四五”", "《纲要》", "第一", "—", "～", "~", "-", "至", "到", "×", "·", "．", "."]
FRAGMENTS = st.one_of(
    st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=8),  # CJK
    st.text(st.sampled_from("０１２３４５６７８９．％，"), min_size=1, max_size=8),  # full width
    st.sampled_from(["%", "％", "‰", "万", "亿", "萬", "億", "XX", "ＸＸ", "xx", "X", "两", "兩", "倍", "成"]),
    st.text(st.sampled_from("〇零一二三四五六七八九十百千万亿两壹贰叁拾佰仟"), min_size=1, max_size=30),  # numeral runs
    st.integers(min_value=0, max_value=10**60).map(str),  # very long numbers
    st.from_regex(r"\d{1,3}(,\d{3}){0,6}(\.\d{1,12})?", fullmatch=True),
    st.sampled_from(CUES),
    st.sampled_from(list("，。；：、！？（）“”《》【】 \u3000\n\r\t")),
    st.text(st.characters(categories=["Cc", "Cf", "Zl", "Zp", "Zs", "Co"]), min_size=1, max_size=3),  # controls
    st.text(max_size=10),  # anything at all, surrogates excluded
)
TEXTS = st.lists(FRAGMENTS, max_size=40).map("".join)
DOCUMENTS = TEXTS.filter(lambda t: t.strip())
CLEAN_STEPS = [clean.normalize_newlines, clean.to_simplified, clean.normalize_width, clean.remove_boilerplate,
               clean.rejoin_broken_lines, clean.split_long_lines, clean.normalize_spaces, clean.clean_text]


def _settings(strings: int, per_example: int = 1):
    return settings(max_examples=math.ceil(strings / per_example), deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])


def _cleaning_never_fails(text: str) -> None:
    for step in CLEAN_STEPS:
        out = step(text)
        assert isinstance(out, str), step.__name__
    for paragraph in clean.clean_text(text).split("\n"):
        assert isinstance(clean.split_sentences(paragraph), list)
    assert clean.detect_script(text) in ("simplified", "traditional", "none")


def _quotes_come_from_their_source(texts: list[str]) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", wb.corpus.CorpusWarning)
        # a document of nothing but boilerplate (搜索, 打印本页…) is refused by design: skipped with a warning
        corpus = wb.load_corpus(pd.DataFrame({"text": texts}), cache=False, progress=False, errors="skip")
    for warning in caught:
        assert "nothing is left after cleaning" in str(warning.message), str(warning.message)
    records = wb.extract_targets(corpus, cache=False, progress=False)
    originals = dict(zip(corpus.documents["doc_id"], corpus.documents["original"]))
    for doc_id, quote in zip(records["doc_id"], records["quote"]):
        assert quote and quote in originals[doc_id], (doc_id, quote, originals[doc_id])


@_settings(STRINGS)
@given(TEXTS)
def test_cleaning_never_fails(text):
    _cleaning_never_fails(text)


@_settings(STRINGS, BATCH)
@given(st.lists(DOCUMENTS, min_size=BATCH, max_size=BATCH))
def test_quotes_come_from_their_source(texts):
    _quotes_come_from_their_source(texts)


FULL_RUN = pytest.mark.skipif(not os.environ.get("WORKBENCH_FUZZ_FULL"),
                              reason="the 10,000-string runs take minutes: WORKBENCH_FUZZ_FULL=1 pytest -m slow "
                                     "tests/test_fuzz.py (make test runs the 1,000-string ones)")


@pytest.mark.slow
@FULL_RUN
@_settings(FULL)
@given(TEXTS)
def test_cleaning_never_fails_full(text):
    _cleaning_never_fails(text)


@pytest.mark.slow
@FULL_RUN
@_settings(FULL, BATCH)
@given(st.lists(DOCUMENTS, min_size=BATCH, max_size=BATCH))
def test_quotes_come_from_their_source_full(texts):
    _quotes_come_from_their_source(texts)
