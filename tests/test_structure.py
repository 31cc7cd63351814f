"""Document structure: headings, nesting, roles, offsets.

``tests/data/structure-gwr-YYYY.txt`` are national government work reports (Wikisource, public
domain; /work/shared/corpora/national-gwr) as ``workbench.clean.clean_text`` returned them:
1983 (unnumbered headings), 1986 (lists restarting inside lists), 2008 (a 过去五年 report),
2021 (十四五 plan and 2021 targets), 2025.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.clean import clean_text
from workbench.structure import (
    COLUMNS,
    ROLES,
    find_headings,
    find_sections,
    heading_role,
    load_role_cues,
    section_of,
    sections_table,
)

from .conftest import SEEDS

DATA = Path(__file__).parent / "data"
BODY = "正文内容很充实。"


def report(year: int) -> str:
    return (DATA / f"structure-gwr-{year}.txt").read_text(encoding="utf-8")


def shape(text: str, **options) -> list[tuple[int, int, str, str]]:
    """(level, parent_id, title, role) of every heading."""
    return [(s.level, s.parent_id, s.title, s.role) for s in find_sections(text, **options)[1:]]


def check_invariants(text: str, sections) -> None:
    """Offsets inside the text; children inside parents; ids in document order; section_of agrees."""
    assert sections[0].section_id == 0 and sections[0].parent_id is None and sections[0].level == 0
    assert (sections[0].start, sections[0].end) == (0, len(text))
    for k, s in enumerate(sections[1:], 1):
        parent = sections[s.parent_id]
        assert s.section_id == k
        assert s.parent_id < k and s.level == parent.level + 1
        assert 0 <= parent.start <= s.start < s.end <= parent.end <= len(text)
        assert s.start > sections[k - 1].start or k == 1
        assert s.title and s.role in ("",) + ROLES
        assert text[s.start] not in "\n "
    starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n" and i + 1 < len(text)]
    got = section_of(sections, starts)
    for offset, sid in zip(starts, got):
        holding = [s.section_id for s in sections if s.start <= offset < s.end or (offset == s.end == len(text))]
        assert sid == max(holding)  # the innermost: ids grow with depth along a path


# --- headings and nesting on small texts copying real shapes --------------------------------

NESTING = [
    pytest.param(  # canonical families: 一、 > （一） > 1. > （1）
        f"一、总体要求\n{BODY}\n（一）指导思想\n{BODY}\n1. 坚持创新\n{BODY}\n（1）科技创新\n{BODY}\n二、主要任务\n{BODY}",
        [(1, 0), (2, 1), (3, 2), (4, 3), (1, 0)],
        id="canonical",
    ),
    pytest.param(  # 1981: （一） appears first, so 一、 nests inside it
        f"各位代表：\n（一）当前的经济形势\n{BODY}\n（二）今后经济建设的方针\n{BODY}\n一、加快农业的发展\n{BODY}\n"
        f"二、发展消费品工业\n{BODY}\n（三）我国经济发展的前景\n{BODY}",
        [(1, 0), (1, 0), (2, 2), (2, 2), (1, 0)],
        id="order-of-appearance-1981",
    ),
    pytest.param(  # 1986: an 一、 list inside 二、; the next 三、 goes on the list that stopped at 二、
        f"一、六五计划执行情况的回顾\n{BODY}\n二、七五时期的基本任务\n{BODY}\n（一）\n{BODY}\n一、确定适度的经济增长率\n{BODY}\n"
        f"二、规定恰当的投资规模\n{BODY}\n三、坚持把科技进步放在重要的战略地位\n{BODY}\n三、七五时期的经济体制改革\n{BODY}",
        [(1, 0), (1, 0), (2, 2), (3, 3), (3, 3), (3, 3), (1, 0)],
        id="restart-1986",
    ),
    pytest.param(  # a skipped number (四、 after 二、) stays in its list
        f"一、甲\n{BODY}\n（一）子\n{BODY}\n二、乙\n{BODY}\n四、丁\n{BODY}",
        [(1, 0), (2, 1), (1, 0), (1, 0)],
        id="gap",
    ),
    pytest.param(  # 第X部分 above 一、; each part restarts its list
        f"第一部分 总体要求\n{BODY}\n一、指导思想\n{BODY}\n二、基本原则\n{BODY}\n第二部分 主要任务\n{BODY}\n一、创新驱动\n{BODY}",
        [(1, 0), (2, 1), (2, 1), (1, 0), (2, 4)],
        id="parts",
    ),
    pytest.param(  # 1983: unnumbered titles are siblings; numbered lists nest in them; 结束语 is top-level
        f"各位代表：\n{BODY}\n过去五年的回顾\n{BODY}\n今后五年的主要任务\n{BODY}\n（一）关于经济建设\n{BODY}\n"
        f"（二）关于政法工作\n{BODY}\n结束语\n各位代表：\n{BODY}",
        [(1, 0), (1, 0), (2, 2), (2, 2), (1, 0)],
        id="unnumbered-1983",
    ),
    pytest.param(  # 2000: 结束语 after the last 十、 is top-level
        f"九、促进祖国和平统一大业\n{BODY}\n（一）子项\n{BODY}\n十、关于外交工作\n{BODY}\n结束语\n{BODY}",
        [(1, 0), (2, 1), (1, 0), (1, 0)],
        id="closing-title",
    ),
    pytest.param(  # a title inside a list that goes on nests in the current section
        f"一、甲\n{BODY}\n专栏 重点工程\n{BODY}\n二、乙\n{BODY}",
        [(1, 0), (2, 1), (1, 0)],
        id="title-inside-list",
    ),
    pytest.param(  # 1960: bare numerals on their own lines
        f"各位代表：\n{BODY}\n一\n{BODY}\n二\n{BODY}",
        [(1, 0), (1, 0)],
        id="bare-numerals-1960",
    ),
    pytest.param(  # 1978: 第一， headings inside 三、
        f"三、加快社会主义经济建设\n{BODY}\n第一，全国动员，大办农业\n{BODY}\n第二，加快发展基础工业\n{BODY}\n四、繁荣科学教育文化事业\n{BODY}",
        [(1, 0), (2, 1), (2, 1), (1, 0)],
        id="ordinal-1978",
    ),
]


@pytest.mark.parametrize("text, expected", NESTING)
def test_nesting(text, expected):
    sections = find_sections(text)
    assert [(s.level, s.parent_id) for s in sections[1:]] == expected
    check_invariants(text, sections)


HEADINGS = [
    pytest.param(f"各位代表：\n{BODY}\n一、2024年工作回顾\n{BODY}", [("一、2024年工作回顾", "cn", 1)], id="cn"),
    pytest.param(f"{BODY}\n（十二）深化改革\n{BODY}", [("（十二）深化改革", "cn_paren", 12)], id="cn-paren"),
    pytest.param(f"{BODY}\n3、基本要求\n{BODY}\n4.奋斗目标\n{BODY}", [("3、基本要求", "arabic", 3), ("4.奋斗目标", "arabic", 4)], id="arabic"),
    pytest.param(f"{BODY}\n(2)科技创新\n{BODY}", [("(2)科技创新", "arabic_paren", 2)], id="arabic-paren"),
    pytest.param(f"{BODY}\n第三章 重点任务\n{BODY}", [("第三章 重点任务", "chapter", 3)], id="chapter"),
    pytest.param(  # run in: the title is the first sentence
        f"{BODY}\n1、保持经济平稳健康发展。坚持稳中求进工作总基调，科学统筹常态化疫情防控和经济社会发展，推动经济运行持续向好，确保各项目标圆满完成。",
        [("1、保持经济平稳健康发展。", "arabic", 1)],
        id="run-in",
    ),
    pytest.param(  # 2006: a heading cut at a link, joined again
        f"{BODY}\n三、关于《\n国民经济和社会发展第十一个五年规划纲要（草案）\n》的说明\n{BODY}",
        [("三、关于《国民经济和社会发展第十一个五年规划纲要（草案）》的说明", "cn", 3)],
        id="cn-link-broken",
    ),
    pytest.param(  # seed 004: a title over two lines is one heading
        f"强化使命担当 奋力决战决胜\n{BODY}\n深学细照笃行\n“两个维护”扎根铸魂\n{BODY}",
        [("深学细照笃行 “两个维护”扎根铸魂", "title", None)],
        id="two-line-title",
    ),
    pytest.param("过去五年的回顾\n" + BODY, [], id="first-line-is-no-title"),
    pytest.param(  # Wikisource links cut a sentence into lines (1981)
        "国务院已经拟定了《\n关于开展全民义务植树运动的决议\n》，提请大会审定后公布执行。", [], id="link-fragment"
    ),
    pytest.param(  # a link that lost its brackets (1979)
        f"{BODY}\n农村人民公社工作条例（试行草案）\n在经过试行以后，将在明年提请审议通过。", [], id="document-name"
    ),
    pytest.param(  # bold phrases cut a sentence into lines (1985, 1988)
        f"{BODY}\n1985年的\n工资改革，重点是改革现行不合理的工资制度。\n深化企业改革，一要\n积极引入竞争机制。\n二要\n加强企业各项基础工作。",
        [],
        id="bold-fragments",
    ),
    pytest.param(  # 2017: a paragraph cut by a zero-width-space line
        "（二）深化重要领域和关键环节改革。\n要全面深化各领域改\n\u200b\n革，加快推进基础性、关键性改革。", [("（二）深化重要领域和关键环节改革。", "cn_paren", 2)], id="zero-width-break"
    ),
    pytest.param(  # the byline of a report is not a heading
        "政府工作报告\n国务院总理\n李克强\n各位代表：\n现在，我代表国务院，向大会报告政府工作。", [], id="byline"
    ),
    pytest.param(  # numbers that are not numbering
        f"{BODY}\n一、二、三产业融合发展。\n1.5%的增速是合理的。\n2025.3 发布。\n第一部分是回顾，第二部分是任务。", [], id="not-numbering"
    ),
    pytest.param(  # the Wikisource licence footer
        f"{BODY}\n本作品是中华人民共和国的\n法律\n、法规\n中华人民共和国著作权法\n》第五条第一项，本作品不适用于该法。\nPublic domain\nfalse",
        [],
        id="wikisource-footer",
    ),
]


@pytest.mark.parametrize("text, expected", HEADINGS)
def test_find_headings(text, expected):
    got = find_headings(text)
    assert [(title, family, number) for _, title, family, number in got] == expected
    for start, title, _, _ in got:
        assert text[start:].startswith(title.split(" ")[0][:3])


# --- roles ---------------------------------------------------------------------------------

ROLE_CASES = [
    ("一、2024年工作回顾", 2025, "review"),
    ("二、2025年经济社会发展总体要求和政策取向", 2025, "plan"),
    ("三、2025年政府工作任务", 2025, "plan"),
    ("一、 过去五年工作回顾", 2008, "review"),
    ("二、2008年主要任务", 2008, "plan"),
    ("一、过去一年和五年工作回顾", 2023, "review"),
    ("二、对今年政府工作的建议", 2023, "plan"),
    ("二、“十三五”时期发展成就和“十四五”时期主要目标任务", 2021, "next_plan"),
    ("二、“十二五”时期的主要目标和任务", 2011, "next_plan"),
    ("一、“十一五”时期国民经济和社会发展的回顾", 2011, "review"),
    ("一、“六五”计划执行情况的回顾", 1986, "review"),
    ("二、“七五”时期的基本任务和主要建设方针", 1986, "next_plan"),
    ("第六个五年计划的基本任务", 1982, "next_plan"),
    ("二、我们在第二个五年计划的第二年——一九五九年经济战线上的任务", 1959, "plan"),  # the year named last
    ("（一）一九五七年经济战线上的胜利", 1958, "review"),  # a Chinese-numeral year
    ("二、关于1 9 9 8 年政府工作的建议", 1998, "plan"),  # spaced digits
    ("首先报告2001年的工作", 2002, "review"),
    ("一、“十三五”时期徐州经济社会发展取得重大历史性成就", 2020, "review"),
    ("“十五五”时期经济社会发展的主要目标", None, "next_plan"),
    ("2026年工作回顾", None, "review"),
    ("2026年重点工作", None, "plan"),
    ("二、2005年工作总体部署", None, "plan"),
    ("二、关于1998年政府工作的建议", None, "plan"),
    ("2026年", None, ""),  # without the report's year a year alone says nothing
    ("附件：名词解释", None, "annex"),
    ("四、关于外交工作", 2000, ""),
    ("结束语", 2000, ""),
]


@pytest.mark.parametrize("title, year, role", ROLE_CASES)
def test_heading_role(title, year, role):
    assert heading_role(title, year=year) == role


def test_role_inherits_and_plan_words_stay_next_plan():
    text = (
        f"前言。\n一、“十四五”时期主要目标\n{BODY}\n（一）奋斗目标\n{BODY}\n（二）生态环境\n{BODY}\n"
        f"二、2021年重点工作\n{BODY}\n（一）宏观政策\n{BODY}\n附件\n{BODY}"
    )
    assert [(t, r) for _, _, t, r in shape(text, year=2021)] == [
        ("一、“十四五”时期主要目标", "next_plan"),
        ("（一）奋斗目标", "next_plan"),  # a plan word inside a next_plan section
        ("（二）生态环境", "next_plan"),  # inherited
        ("二、2021年重点工作", "plan"),
        ("（一）宏观政策", "plan"),
        ("附件", "annex"),
    ]


def test_document_role_is_inherited():
    text = f"前言。\n一、发展基础\n{BODY}\n二、奋斗目标\n{BODY}\n三、过去五年的成就\n{BODY}"
    assert [r for *_, r in shape(text)] == ["", "plan", "review"]
    assert [r for *_, r in shape(text, document_role="next_plan")] == ["next_plan", "next_plan", "review"]
    assert find_sections(text, document_role="next_plan")[0].role == "next_plan"


# --- real national reports ------------------------------------------------------------------

TOP_LEVEL = {
    1983: [("过去五年的回顾", "review"), ("今后五年的主要任务", "plan"), ("结束语", "")],
    1986: [
        ("一、“六五”计划执行情况的回顾", "review"),
        ("二、“七五”时期的基本任务和主要建设方针", "next_plan"),
        ("三、“七五”时期的经济体制改革", "next_plan"),
        ("四、坚持独立自主的和平外交政策", ""),
        ("结束语", ""),
    ],
    2008: [("一、 过去五年工作回顾", "review"), ("二、2008年主要任务", "plan")],
    2021: [
        ("一、2020年工作回顾", "review"),
        ("二、“十三五”时期发展成就和“十四五”时期主要目标任务", "next_plan"),
        ("三、2021年重点工作", "plan"),
    ],
    2025: [
        ("一、2024年工作回顾", "review"),
        ("二、2025年经济社会发展总体要求和政策取向", "plan"),
        ("三、2025年政府工作任务", "plan"),
    ],
}


@pytest.mark.parametrize("year", sorted(TOP_LEVEL))
def test_national_report_top_level(year):
    text = report(year)
    sections = find_sections(text, year=year)
    assert [(s.title, s.role) for s in sections if s.level == 1] == TOP_LEVEL[year]
    check_invariants(text, sections)


SUBSECTIONS = [  # (year, parent title, number of children, their role)
    (1983, "今后五年的主要任务", 5, "plan"),
    (2008, "一、 过去五年工作回顾", 3, "review"),
    (2008, "二、2008年主要任务", 9, "plan"),
    (2021, "三、2021年重点工作", 8, "plan"),
    (2025, "三、2025年政府工作任务", 10, "plan"),
]


@pytest.mark.parametrize("year, parent, count, role", SUBSECTIONS)
def test_national_report_subsections(year, parent, count, role):
    sections = find_sections(report(year), year=year)
    (pid,) = [s.section_id for s in sections if s.title == parent]
    children = [s for s in sections if s.parent_id == pid]
    assert len(children) == count
    assert {s.role for s in children} == {role}
    assert all(s.level == 2 for s in children)


PARAGRAPHS = [  # (year, the start of a paragraph, role of its section)
    (2025, "今年发展主要预期目标是：国内生产总值增长5%左右", "plan"),
    (2025, "过去一年，我国发展历程很不平凡", "review"),
    (2021, "“十四五”时期是开启全面建设社会主义现代化国家新征程的第一个五年", "next_plan"),
    (2021, "过去五年，我国经济社会发展取得新的历史性成就", "next_plan"),  # one heading, two periods: see the module notes
    (2021, "今年我国发展仍面临不少风险挑战", "plan"),
    (2008, "今年国民经济和社会发展的预期目标是", "plan"),
    (2008, "过去五年，我们在丰富实践中", "review"),
    (1983, "第五届全国人民代表大会期间", "review"),
]


@pytest.mark.parametrize("year, opening, role", PARAGRAPHS)
def test_paragraph_lies_in_section_of_role(year, opening, role):
    text = report(year)
    sections = find_sections(text, year=year)
    starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    hits = [p for p in starts if text.startswith(opening, p)]
    assert hits, opening
    (sid,) = set(section_of(sections, hits[:1]).tolist())
    assert sections[sid].role == role


# --- the seeds ------------------------------------------------------------------------------


def seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return clean_text(path.read_text(encoding="utf-8"))


def test_seed_without_headings():
    for prefix in ("000", "001"):
        assert find_sections(seed(prefix)) == find_sections(seed(prefix))[:1]


def test_seed_speech_002():
    sections = find_sections(seed("002"), year=2020)
    top = [s.title for s in sections if s.level == 1]
    assert [t[:2] for t in top] == ["一、", "二、", "三、", "四、"]
    assert [len([c for c in sections if c.parent_id == s.section_id]) for s in sections if s.level == 1] == [0, 0, 6, 3]
    check_invariants(seed("002"), sections)


def test_seed_plan_proposal_003():
    text = seed("003")
    sections = find_sections(text, year=2020, document_role="next_plan")
    top = [s for s in sections if s.level == 1]
    assert len(top) == 11 and top[0].title == "一、“十三五”时期徐州经济社会发展取得重大历史性成就"
    assert top[-1].title.startswith("十一、")
    assert {s.role for s in sections if s.parent_id == top[0].section_id} == {"review"}
    goals = [s for s in sections if s.title == "4、奋斗目标"]
    assert len(goals) == 1 and goals[0].role == "next_plan" and goals[0].level == 3
    assert all(s.role == "next_plan" for s in top[1:])
    check_invariants(text, sections)


def test_seed_two_line_titles_004():
    sections = find_sections(seed("004"))
    assert len(sections) == 9 and {s.level for s in sections[1:]} == {1}
    assert sections[1].title == "深学细照笃行 “两个维护”扎根铸魂"


# --- section_of and the table ---------------------------------------------------------------


@pytest.mark.parametrize(
    "offsets, expected",
    [([], []), ([0], [0]), ([0, 3, 4, 8, 9, 14, 17], [0, 0, 1, 1, 2, 2, 2]), (np.array([17, 0]), [2, 0])],
)
def test_section_of(offsets, expected):
    text = "前言。\n一、回顾\n二、任务\n正文。"
    sections = find_sections(text)
    got = section_of(sections, offsets)
    assert got.dtype.kind == "i" and got.tolist() == expected


@pytest.mark.parametrize("offsets", [[-1], [18], [0, 100]])
def test_section_of_rejects_offsets_outside_the_text(offsets):
    with pytest.raises(ValueError, match=r"0\.\.17"):
        section_of(find_sections("前言。\n一、回顾\n二、任务\n正文。"), offsets)


def test_section_of_needs_find_sections_output():
    with pytest.raises(ValueError, match="section 0"):
        section_of([], [0])


def test_sections_table():
    table = sections_table("gwr_2025", report(2025), year=2025)
    assert list(table.columns) == COLUMNS == ["doc_id", "section_id", "parent_id", "level", "title", "role", "start", "end"]
    assert set(table["doc_id"]) == {"gwr_2025"}
    assert table["section_id"].tolist() == list(range(len(table)))
    assert table["parent_id"].isna().tolist() == [True] + [False] * (len(table) - 1)
    assert str(table["parent_id"].dtype) == "Int64" and table["start"].dtype == np.int64
    assert table.loc[1, ["title", "role"]].tolist() == ["一、2024年工作回顾", "review"]


@pytest.mark.parametrize(
    "options, message",
    [
        ({"year": "2025"}, "year must be an int"),
        ({"year": True}, "year must be an int"),
        ({"document_role": "target"}, "document_role must be one of"),
    ],
)
def test_options_are_validated(options, message):
    with pytest.raises(ValueError, match=message):
        find_sections("一、回顾\n正文。", **options)


def test_text_must_be_str():
    with pytest.raises(ValueError, match="text must be a str"):
        find_sections(b"abc")


def test_year_accepts_numpy_integers():
    assert shape("一、2024年工作回顾\n正文。", year=np.int64(2025))[0][3] == "review"


def test_role_cue_file_errors_name_the_file(tmp_path):
    bad = tmp_path / "roles.json"
    bad.write_text(json.dumps({"roles": {"target": ["目标"]}, "five_year_plan": [], "years": []}), encoding="utf-8")
    with pytest.raises(ValueError, match=r"roles\.json: unknown role"):
        load_role_cues(str(bad))
    bad.write_text(json.dumps({"roles": {"plan": ["("]}, "five_year_plan": [], "years": []}), encoding="utf-8")
    with pytest.raises(ValueError, match=r"roles\.json: not a section-role table"):
        load_role_cues(str(bad))


# --- properties -----------------------------------------------------------------------------

CN = "一二三四五六七八九十"
FAMILY_AT_DEPTH = [  # canonical numbering by depth
    lambda n: f"第{CN[n - 1]}部分 ",
    lambda n: f"{CN[n - 1]}、",
    lambda n: f"（{CN[n - 1]}）",
    lambda n: f"{n}.",
    lambda n: f"（{n}）",
]
TITLE_CHARS = st.text(alphabet="发展改革创新协调绿色开放共享民生经济社会", min_size=2, max_size=12)
trees = st.recursive(
    st.just([]),
    lambda children: st.lists(st.tuples(TITLE_CHARS, children), min_size=1, max_size=4),
    max_leaves=12,
)


def render(tree, depth=0, parent=0, out=None, expected=None):
    """Text lines and the expected (level, parent) of each heading for a tree of numbered headings."""
    out = [] if out is None else out
    expected = [] if expected is None else expected
    for n, (title, children) in enumerate(tree, 1):
        out.append(FAMILY_AT_DEPTH[depth](n) + title)
        out.append(BODY)
        expected.append((depth + 1, parent))
        if depth + 1 < len(FAMILY_AT_DEPTH):
            render(children, depth + 1, len(expected), out, expected)
    return out, expected


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(TITLE_CHARS, trees), min_size=1, max_size=4))
def test_property_numbered_texts_nest_as_written(tree):
    lines, expected = render(tree)
    text = "前言。\n" + "\n".join(lines)
    sections = find_sections(text)
    assert [(s.level, s.parent_id) for s in sections[1:]] == expected
    check_invariants(text, sections)


LINE = st.one_of(
    st.sampled_from(["一、", "二、", "三、", "（一）", "（二）", "1.", "2、", "（1）", "第一部分", "第二章", "第一，", ""]).flatmap(
        lambda mark: TITLE_CHARS.map(lambda t: mark + t)
    ),
    st.just(BODY),
    st.just("各位代表："),
    st.just("\u200b"),
    st.text(max_size=30).map(lambda t: t.replace("\n", "")),
)


@settings(max_examples=80, deadline=None)
@given(st.lists(LINE, max_size=25))
def test_property_any_lines_give_consistent_sections(lines):
    text = "\n".join(lines)
    sections = find_sections(text, year=2025)
    if text:
        check_invariants(text, sections)
    else:
        assert sections == sections[:1]


def test_docstring_examples_run():
    import doctest

    import workbench.structure

    result = doctest.testmod(workbench.structure, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 8 and result.failed == 0


def test_local_report_work_arrangement_is_plan():
    """Local reports head their plan 二、2024年工作安排."""
    from workbench.structure import find_sections

    sections = find_sections("一、2023年工作回顾\n全市经济增长5%。\n二、工作安排\n今年经济增长6%。", year=2024)
    assert [s.role for s in sections[1:]] == ["review", "plan"]


def test_small_chinese_numerals_read_as_cn2an_reads_them():
    """Every heading numeral of up to four characters that the fast path reads has cn2an's value."""
    import itertools

    from workbench.numbers import chinese_to_number
    from workbench.structure import _small_chinese

    read = {}
    for k in range(1, 5):
        for chars in itertools.product("一二三四五六七八九十百零〇", repeat=k):
            numeral = "".join(chars)
            if _small_chinese(numeral) is not None:
                read[numeral] = _small_chinese(numeral)
    assert sorted(set(read.values())) == list(range(1, 100))
    assert read == {numeral: int(chinese_to_number(numeral)) for numeral in read}
