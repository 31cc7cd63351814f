"""The fast paths of the target extractor: the figure filter that passes over text without a
number, the look-aheads that speed the year and period scans, the cue scan shared by a
sentence's cue lists. Each must find exactly what the slow path finds."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.numbers import find_quantities, may_hold_quantity, next_figure
from workbench.targets import _Context, _cue_hits, extract_from_paragraph, period_year, year_cues


def records(text, year=2021):
    return [(r["value"], r["unit"], r["kind"], r["masked"])
            for r in extract_from_paragraph(text, _Context("d", year, year))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("坚持以人民为中心，统一思想，进一步深化改革。", False),  # 一 alone is no figure
        ("五年来，我们攻坚克难。", False),
        ("地区生产总值翻一番", True),  # a Chinese numeral after 翻
        ("农民收入增长两倍", True),  # before 倍
        ("完成投资XX亿元", True),  # a masked value
        ("吞吐量达到xx万标箱", True),
        ("新增百亿级产业", True),  # a magnitude word
        ("增长６．５％", True),  # a full-width digit is a digit
        ("", False),
    ],
)
def test_figure_filter(text, expected):
    assert may_hold_quantity(text) is expected
    assert (next_figure(text) >= 0) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a sentence whose only number is a Chinese numeral or a masked value keeps its record
        ("到2025年，地区生产总值翻一番。", [(1.0, "番", "target", False)]),
        ("今年完成投资XX亿元。", [(None, "亿元", "target", True)]),
        ("力争粮食产量达到××万吨。", []),  # ×× is no placeholder the number pattern reads
        ("统一思想。全市粮食产量达到三百万吨。", [(300.0, "万吨", "achieved", False)]),
        # a paragraph without a digit, a numeral or a placeholder gives nothing
        ("坚持以人民为中心，统一思想，进一步深化改革。", []),
        # a figure-less sentence that names its time sets the kind of the figures after it
        ("过去一年，我们的各项工作取得了很大成绩。粮食产量达到1300万吨。", [(1300.0, "万吨", "achieved", False)]),
        ("今年要做好以下工作。粮食产量达到1300万吨。", [(1300.0, "万吨", "target", False)]),
    ],
)
def test_prefilter_keeps_every_record(text, expected):
    assert records(text) == expected


def test_paragraph_opening_is_read_at_the_first_figure():
    from workbench.targets import _update_heading

    ctx = _Context("d", 2021, 2021)
    _update_heading(ctx, "一、主要目标")
    ctx.opening = "过去五年，经济持续增长。地区生产总值达到3000亿元。"  # as _extract_records sets it
    (rec,) = extract_from_paragraph(ctx.opening, ctx)
    assert (rec["value"], rec["kind"], rec["year"]) == (3000.0, "achieved", 2020)
    assert ctx.opening is None


ALPHABET = list("0123456789.,。%X x万亿千百十五一二两三四倍翻番元个家年“”、，—-～至到")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(ALPHABET), max_size=40))
def test_figure_filter_misses_no_number(text):
    if find_quantities(text):
        assert may_hold_quantity(text)
    # one scan of a paragraph tells of every sentence in it
    start = next_figure(text)
    assert start == -1 or may_hold_quantity(text[start:])


def test_figure_filter_misses_no_number_in_the_seeds(seed_corpus):
    from workbench.targets import _sentences

    sentences = [s for p in seed_corpus.paragraphs["text"] for _, s in _sentences(p)]
    assert len(sentences) > 500
    with_figures = [s for s in sentences if find_quantities(s)]
    assert with_figures and all(may_hold_quantity(s) for s in with_figures)
    assert sum(map(may_hold_quantity, sentences)) < len(sentences)  # and the filter passes over some


@pytest.mark.parametrize(
    ("text", "expected"),
    [  # every kind of year word, found through the look-ahead of their first characters
        ("今后五年", [("period", 2025)]),
        ("未来五年", [("period", 2025)]),
        ("二〇三五年", [("period", 2035)]),
        ("2035年远景", [("explicit", 2035), ("period", 2035)]),
        ("过去五年", [("past", 2020)]),
        ("五年来", [("past", 2020)]),
        ("今年", [("current", 2021)]),
        ("本年度", [("current", 2021)]),
        ("新的一年", [("current", 2021)]),
        ("明年", [("current", 2022)]),
        ("去年", [("current", 2020)]),
        ("比去年", []),
        ("通过三年努力", [("effort", 2023)]),
        ("全年", [("passage", None)]),
        ("年内", [("passage", None)]),
        ("上半年", [("passage", None)]),
        ("下半年", [("passage", None)]),
        ("到年底", [("passage", None)]),
        ("十四五", [("period", 2025)]),
        ("“十五”", [("period", 2005)]),
        ("九五时期", [("period", 2000)]),
        ("第十一个五年规划", [("period", 2010)]),
    ],
)
def test_year_words(text, expected):
    assert [(source, year) for _, source, year in year_cues(text, 2021, 2021)] == expected


def test_period_year_after_other_text():
    assert period_year("回顾过去，“十三五”时期，", 2021) == 2020


@pytest.mark.parametrize(
    ("text", "since", "expected"),
    [
        # cues that overlap are all found; plain words and regular expressions alike
        ("今年以来，到2025年", None, [(2, 0), (4, 1), (11, 2)]),
        ("到2002年，今年", 2008, [(9, 0)]),  # a deadline in the past is no cue
        ("今年今年", None, [(2, 0), (4, 0)]),
        ("没有", None, []),
    ],
)
def test_cue_hits(text, since, expected):
    assert _cue_hits(text, ["今年"], ["今年以来"], ["到\\d{4}年"], since=since) == expected


PERIOD_ALPHABET = list("十“”第一二三四五六七八九个年规划计时期间，") + ["五年", "时期", "规划"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PERIOD_ALPHABET), max_size=20).map("".join))
def test_plan_periods_finds_what_the_pattern_finds(text):
    from workbench.targets import _pattern, plan_periods

    expected = [(m.span(), m.groupdict()) for m in _pattern("plan_period").finditer(text)]
    assert [(m.span(), m.groupdict()) for m in plan_periods(text)] == expected


@pytest.mark.parametrize(
    "text",
    ["“十五”期间和“十一五”时期，第十二个五年规划，五年来", "第十五个五年规划", "五五规划", "十五五", "没有五"],
)
def test_plan_periods_on_real_shapes(text):
    from workbench.targets import _pattern, plan_periods

    assert [m.group() for m in plan_periods(text)] == [m.group() for m in _pattern("plan_period").finditer(text)]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="增长率速幅(", min_size=1, max_size=4), min_size=1, max_size=8, unique=True),
       st.text(alphabet="增长率速幅(和", max_size=20))
def test_keyword_trie_is_the_longest_first_alternation(words, text):
    import re

    from workbench.targets import keyword_trie

    alternation = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
    assert ([m.span() for m in re.finditer(keyword_trie(words), text)]
            == [m.span() for m in alternation.finditer(text)])


def test_lexicon_scan_on_the_seeds(seed_corpus):
    import re

    from workbench.targets import _lexicon_index

    pattern, entries = _lexicon_index(None)
    alternation = re.compile("|".join(re.escape(k) for k in entries))  # the keywords, longest first
    texts = list(seed_corpus.paragraphs["text"])
    assert sum(len(alternation.findall(t)) for t in texts) > 100
    assert all(pattern.findall(t) == alternation.findall(t) for t in texts)


CUE_ALPHABET = list("今年以来过去五一这内上半已经全预计到确保力争，") + ["今年", "过去五年", "五年来", "已经"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(CUE_ALPHABET), max_size=20).map("".join))
def test_plain_cue_scan_finds_every_cue(text):
    from workbench.targets import _kind_cue_lists, _plain_cues_in

    assert _plain_cues_in(text) == [w for w in _kind_cue_lists()[1] if w in text]


@pytest.mark.parametrize("source", [
    r"[（(]?[A-Za-z]+[）)]?$",  # an optional class first: a match may start with a letter
    r"[（(][A-Za-z]+[）)]|kuaidi",  # an alternation beside the class
    r"(?:约|近)?[\d.]+万人",
    r"[（(][^（）()]*[）)]",
])
@pytest.mark.parametrize("text", ["快递业务量kuaidi", "快递业务量（kuaidi）", "约12万人", "12万人", "快递业务量"])
def test_the_quick_test_of_an_edited_removal_pattern_never_skips_a_match(monkeypatch, source, text):
    """Whatever shape a pattern in the cue table has, the quick test before a removal lets every
    text with a match through (it reads the characters a match can start with from the parse tree)."""
    import re

    from workbench import targets

    monkeypatch.setattr(targets, "_pattern", lambda name: re.compile(source))
    targets._remover.cache_clear()
    try:
        assert targets._remove("gloss", text) == re.compile(source).sub("", text)
    finally:
        targets._remover.cache_clear()


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("trailing_verbs", "城镇化率达到"),
        ("trailing_verbs", "城镇化率达到\n"),  # $ stands before a last line break
        ("trailing_verbs", "城镇化率"),
        ("growth_suffix", "地区生产总值增长"),
        ("growth_suffix", "地区生产总值"),
        ("last_cue", "今年全市力争地区生产总值"),
        ("last_cue", "今年\n力争地区生产总值"),  # . does not cross a line break
        ("last_cue", "地区生产总值"),
        ("gloss", "快递业务量（kuaidi）"),
        ("gloss", "快递业务量（亿件）"),
        ("gloss", "快递业务量"),
        ("leading_noise", "其中全市地区生产总值"),
    ],
)
def test_remove_is_the_substitution(name, text):
    from workbench.targets import _pattern, _remove

    assert _remove(name, text) == _pattern(name).sub("", text)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("sentence_end", "增长6.5%。全年12。41亿元！5。好。2。"),
        ("sentence_end", "。5"),
        ("clause_break", "增长6.5%，全年12。41亿元；5。好。2。"),
        ("clause_break", "。5"),
    ],
)
def test_break_patterns_keep_a_decimal_point(name, text):
    import re

    from workbench.targets import _pattern

    slow = {"sentence_end": r"(?:[！？!?]|。(?!\d)|(?<=\D)。)", "clause_break": r"(?:[，；！？：,;]|(?<!\d)。|。(?!\d))"}
    assert [m.span() for m in _pattern(name).finditer(text)] == [m.span() for m in re.finditer(slow[name], text)]
