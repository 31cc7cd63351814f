"""Document structure: the sections of a clean text, their nesting and their role.

Pure functions on the CLEAN text (one paragraph per line, as
:func:`workbench.clean.clean_text` returns it). A heading is

* a numbered line: ``第一部分`` / ``第一编`` / ``第一章`` / ``第一节`` (heading-shaped lines
  only), ``一、``, ``（一）``, ``1.`` / ``1、``, ``（1）``, or ``第一，`` / ``第一、`` on a
  heading-shaped line; a numbered line may run into its body (``1、保持经济平稳健康发展。坚持…``);
* a short unnumbered title line (``过去五年的回顾``, ``结束语``): at most 30 characters, no
  sentence punctuation, after a finished paragraph and before body text (one more title line
  may follow it: a title over two lines is one heading).

Nesting follows the order in which numbering families appear in a document and the
sequence of their numbers: ``二、`` after ``一、`` is its sibling wherever ``一、`` is open, a
family not yet open nests inside the current section, and a ``一、`` while an ``一、`` list is
open starts a list nested inside the current section (``四、`` later returns to the outer
list when the outer one stopped at ``三、``). An unnumbered title is the sibling of the
last open unnumbered title; otherwise it nests inside the current section when the
outermost open numbered list continues after it, and is top-level when it does not
(``结束语`` after the last ``十、``).

A section spans from its heading to the next heading of the same or a higher level
(level 1 is the outermost); section 0 is the whole document.

What it does not do: it gives no role to text before the first heading or to report
openings without headings, and does not look at paragraphs for a change of period: a
heading that covers two periods is one section with the role of the period named last
(``“十三五”时期发展成就和“十四五”时期主要目标任务`` is next_plan though its first paragraph
reviews the past five years; ``1998年工作回顾和1999年工作的总体要求`` is plan though most
of it reviews 1998), and a plan that follows a review without a heading of its own stays
in the review (the 2002 report's ``首先报告2001年的工作``). Run-in bold sentences
(``一是…。``, ``国民经济快速增长。``) are not headings.
"""
from __future__ import annotations

import itertools
import json
import numbers
import operator
import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import NamedTuple

from .clean import TERMINAL_PUNCT
from .resources import data_path

ROLES = ("review", "plan", "next_plan", "annex")
COLUMNS = ["doc_id", "section_id", "parent_id", "level", "title", "role", "start", "end"]

_CN_NUM = "一二三四五六七八九十百零〇"
# Numbering families, most major first (the canonical order; a document's own order decides).
# Each pattern's group 1 is the number; ``shaped`` families count only on heading-shaped lines.
FAMILIES: tuple[tuple[str, re.Pattern, bool], ...] = (
    ("bian", re.compile(rf"第([{_CN_NUM}\d]{{1,4}})编(?![制写辑者])"), True),
    ("part", re.compile(rf"第([{_CN_NUM}\d]{{1,4}})部分"), True),
    ("chapter", re.compile(rf"第([{_CN_NUM}\d]{{1,4}})章"), True),
    ("jie", re.compile(rf"第([{_CN_NUM}\d]{{1,4}})节"), True),
    ("cn", re.compile(rf"([{_CN_NUM}]{{1,4}})、(?![{_CN_NUM}]{{1,3}}、)"), False),
    ("cn_bare", re.compile(rf"([{_CN_NUM}]{{1,4}})$"), True),
    ("cn_paren", re.compile(rf"[（(]([{_CN_NUM}]{{1,4}})[)）]"), False),
    ("arabic", re.compile(r"(\d{1,2})[.、．](?![\d.])"), False),
    ("arabic_paren", re.compile(r"[（(](\d{1,2})[)）]"), False),
    ("ordinal", re.compile(rf"第([{_CN_NUM}]{{1,3}})[，、,]"), True),
)
TITLE_MAX = 30  # characters of an unnumbered title line (and of a heading-shaped numbered line: 2×)
_INVISIBLE_CHARACTERS = "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad"
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARACTERS}]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_SENTENCE_PUNCT = set(TERMINAL_PUNCT) | set("：:")
_TITLE_PUNCT = _SENTENCE_PUNCT | set("，,")
# ``…（草案）`` on a line of its own is a document's name cut out of a sentence by a link.
_TITLE_END_OK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fffA-Za-z0-9”’」』》]$")
# A title does not end in a particle or a preposition: such a line is a fragment cut off
# before a link or a bold phrase (``1985年的`` / ``工资改革，…``; ``二要`` / ``加强…``).
_NOT_FINAL = tuple("的了和与及或要在于对把是为将从向被以")
_CONTINUATION_START = tuple("》」』”’）)，,、。；;：:！？!?…")
_OPEN_AT_END = tuple("《「『“‘（(——")
_PAIRS = ("《》", "“”", "（）", "「」")
_SENTENCE = re.compile(rf"^.*?[{TERMINAL_PUNCT}]+[”’」』）)]*")


@dataclass(frozen=True)
class Section:
    """One section: offsets ``start``/``end`` index the clean text (``end`` exclusive)."""

    section_id: int
    parent_id: int | None
    level: int
    title: str
    role: str
    start: int
    end: int


class Heading(NamedTuple):
    """A heading line: where it starts, its title, its numbering family and number."""

    start: int
    title: str
    family: str  # a numbering family, or "title" for an unnumbered title line
    number: int | None


# --- cues ---------------------------------------------------------------------------


@lru_cache(maxsize=4)
def load_role_cues(path: str | None = None) -> dict:
    """The role cue tables (default: the shipped ``section_roles.json``), compiled.

    Returns a dict with ``roles`` (role -> one pattern, the alternation of the role's
    cues), ``five_year_plan`` and ``years`` (tuples of patterns) and
    ``first_five_year_plan_start`` (int).
    """
    from pathlib import Path

    source = Path(path) if path is not None else data_path("section_roles.json")
    raw = json.loads(source.read_text(encoding="utf-8"))
    unknown = set(raw.get("roles", {})) - set(ROLES)
    if unknown:
        raise ValueError(f"{source}: unknown role(s) {sorted(unknown)}; allowed: {list(ROLES)}")
    try:
        return {
            "roles": {
                role: re.compile("|".join(f"(?:{p})" for p in raw["roles"][role]))
                for role in ROLES
                if raw["roles"].get(role)
            },
            "five_year_plan": tuple(re.compile(p) for p in raw["five_year_plan"]),
            "years": tuple(re.compile(p) for p in raw["years"]),
            "first_five_year_plan_start": int(raw["first_five_year_plan_start"]),
        }
    except (KeyError, re.error) as exc:
        raise ValueError(f"{source}: not a section-role table: {exc}") from exc


@lru_cache(maxsize=256)
def _to_int(numeral: str) -> int:
    if numeral.isdigit():
        return int(numeral)
    small = _small_chinese(numeral)
    if small is not None:
        return small
    from .numbers import chinese_to_number  # (imports cn2an: only for the numerals below cannot read)

    return int(chinese_to_number(numeral))


_CN_DIGIT_VALUES = {ch: n for n, ch in enumerate("一二三四五六七八九", 1)}


def _small_chinese(numeral: str) -> int | None:
    """1–99 written 一…九, 十, 十三, 三十, 三十五 (一十 too): what ``numbers.chinese_to_number`` gives them;
    None for any other numeral.

    >>> [_small_chinese(x) for x in ("七", "十", "十二", "四十", "九十九", "一百", "〇")]
    [7, 10, 12, 40, 99, None, None]
    """
    tens, ten, units = numeral.partition("十")
    if not ten:
        return _CN_DIGIT_VALUES.get(numeral)
    high = _CN_DIGIT_VALUES.get(tens) if tens else 1
    low = _CN_DIGIT_VALUES.get(units) if units else 0
    return None if high is None or low is None else 10 * high + low


def _year_value(text: str) -> int:
    if text.isdigit():
        return int(text)
    return int(text.translate(str.maketrans("〇零○一二三四五六七八九", "00012345678" + "9")))


def heading_role(title: str, *, year: int | None = None) -> str:
    """The role a heading's own words give it: ``review``, ``plan``, ``next_plan``, ``annex`` or ``""``.

    Cue words come from ``data/section_roles.json``; the cue that starts last in the
    title decides. With the report's ``year``, a year named in the title counts too
    (before ``year``: review; ``year`` or later: plan), and a five-year plan named in it
    is review when it ended before ``year``, else next_plan. Without ``year`` a
    five-year plan counts as next_plan. Plan words after a next five-year plan
    (``“十四五”时期主要目标任务``) stay next_plan.

    >>> heading_role("一、2024年工作回顾", year=2025), heading_role("二、2025年经济社会发展总体要求和政策取向", year=2025)
    ('review', 'plan')
    >>> heading_role("二、“十三五”时期发展成就和“十四五”时期主要目标任务", year=2021)
    'next_plan'
    >>> heading_role("四、关于外交工作")
    ''
    """
    return _heading_role(title, year)[0]


_SPACE_RUN = re.compile(r"\s+")


def _heading_role(title: str, year: int | None) -> tuple[str, bool]:
    """(role, whether a cue word rather than a named year or plan decided it)."""
    cues = load_role_cues()
    title = _SPACE_RUN.sub("", title)  # ``1 9 9 8 年``
    words: list[tuple[int, str]] = []  # (position, role)
    for role, pattern in cues["roles"].items():
        words.extend((m.start(), role) for m in pattern.finditer(title))
    periods: list[tuple[int, str]] = []
    for pattern in cues["five_year_plan"]:
        for m in pattern.finditer(title):
            end = cues["first_five_year_plan_start"] + 5 * _to_int(m.group(1)) - 1
            periods.append((m.start(), "review" if year is not None and end < year else "next_plan"))
    if year is not None:
        for pattern in cues["years"]:
            for m in pattern.finditer(title):
                periods.append((m.start(), "review" if _year_value(m.group(1)) < year else "plan"))
    if not words and not periods:
        return "", False
    last = max(words + periods)
    position, role = last
    by_word = last in words
    if role == "plan" and by_word:  # a plan word names the goals of the period before it
        before = sorted(p for p in periods if p[0] < position)
        if before and before[-1][1] == "next_plan":
            return "next_plan", True
    return role, by_word


# --- headings -----------------------------------------------------------------------


def _visible(line: str) -> str:
    return _INVISIBLE.sub("", line).strip()


def _balanced(text: str) -> bool:
    return all(text.count(a) == text.count(b) for a, b in _PAIRS)


def _heading_shaped(line: str) -> bool:
    return len(line) <= 2 * TITLE_MAX and not any(ch in _SENTENCE_PUNCT for ch in line)


_NUMBERING_START = frozenset(_CN_NUM + "第（(0123456789")


def _numbered(line: str) -> tuple[str, int] | None:
    if line[0] not in _NUMBERING_START:
        return None
    for family, pattern, shaped in FAMILIES:
        m = pattern.match(line)
        if m and (not shaped or _heading_shaped(line)):
            try:
                return family, _to_int(m.group(1))
            except (ValueError, TypeError):
                return None
    return None


def _title_like(line: str) -> bool:
    return (
        2 <= len(line) <= TITLE_MAX
        and _HAN.search(line) is not None
        and not any(ch in _TITLE_PUNCT for ch in line)
        and _TITLE_END_OK.search(line) is not None
        and not line.endswith(_NOT_FINAL)
        and not line.startswith(_CONTINUATION_START)
        and _balanced(line)
    )


def _finished(line: str) -> bool:
    """A paragraph that ends a sentence (or a salutation ending in a colon)."""
    core = line.rstrip("”’」』）)")
    return bool(core) and core[-1] in _SENTENCE_PUNCT


def _body(line: str) -> bool:
    return not line.startswith(_CONTINUATION_START) and (_finished(line) or len(line) > 2 * TITLE_MAX)


def _first_sentence(line: str) -> str:
    if len(line) <= 2 * TITLE_MAX:
        return line
    m = _SENTENCE.match(line)
    return m.group() if m and len(m.group()) <= 4 * TITLE_MAX else line[: 2 * TITLE_MAX]


def find_headings(text: str) -> list[Heading]:
    """The heading lines of a clean text: ``Heading(start, title, family, number)`` in document order.

    ``family`` is a numbering family (``"cn"`` for ``一、``, ``"cn_paren"`` for ``（一）``,
    ``"arabic"`` for ``1.``/``1、``, ``"arabic_paren"``, ``"part"``, ``"chapter"``, ``"jie"``,
    ``"bian"``, ``"ordinal"`` for ``第一，``) or ``"title"`` for an unnumbered title line
    (``number`` None). A numbered line that runs into its body is titled by its first sentence.

    >>> find_headings("各位代表：\\n过去五年的回顾\\n五年来成绩显著。\\n一、今年的任务\\n要稳增长。")
    [Heading(start=6, title='过去五年的回顾', family='title', number=None), Heading(start=23, title='一、今年的任务', family='cn', number=1)]
    """
    lines: list[tuple[int, str]] = []  # (offset, visible text) of the non-blank lines
    broken: set[int] = set()  # lines followed by an invisible-only line: a paragraph cut there
    if not any(ch in text for ch in _INVISIBLE_CHARACTERS):  # (clean text) visible is stripped: by iterators in C
        raws = text.split("\n")
        offsets = itertools.accumulate(map(operator.add, map(len, raws), itertools.repeat(1)), initial=0)
        leading = map(operator.sub, map(len, raws), map(len, map(str.lstrip, raws)))
        visible = list(map(str.strip, raws))
        lines = list(itertools.compress(zip(map(operator.add, offsets, leading), visible), visible))
        del raws, visible
    else:
        offset = 0
        for raw in text.split("\n"):
            visible = _visible(raw)
            if visible:
                lines.append((offset + len(raw) - len(raw.lstrip()), visible))
            elif raw.strip() and lines:
                broken.add(len(lines) - 1)
            offset += len(raw) + 1
    numbered = [_numbered(line) if line[0] in _NUMBERING_START else None for _, line in lines]
    found: list[Heading] = []
    short_heading: set[int] = set()  # heading lines with no body on them
    skip = -1
    for i, (start, line) in enumerate(lines):
        if i <= skip:
            continue
        if numbered[i] is not None:
            title, j = line, i + 1
            while not _balanced(title) and j < len(lines) and j - i <= 3 and len(title) <= 2 * TITLE_MAX:
                title, j = title + lines[j][1], j + 1  # ``三、关于《`` / ``…纲要（草案）`` / ``》的说明``
            if not _balanced(title):
                title, j = line, i + 1
            found.append(Heading(start, _first_sentence(title), *numbered[i]))
            if _heading_shaped(title):
                short_heading.update(range(i, j))
            skip = j - 1
            continue
        if i == 0 or not 2 <= len(line) <= TITLE_MAX or i in broken or not _title_like(line):
            continue
        prev = lines[i - 1][1]
        if not (_finished(prev) or i - 1 in short_heading) or prev.endswith(_OPEN_AT_END):
            continue
        title, j = line, i + 1
        if (
            j + 1 < len(lines)
            and j not in broken
            and numbered[j] is None
            and _title_like(lines[j][1])
            and (_body(lines[j + 1][1]) or numbered[j + 1] is not None)
        ):
            title, j = f"{line} {lines[j][1]}", j + 1  # a title over two lines
        if j < len(lines) and j - 1 not in broken and (_body(lines[j][1]) or numbered[j] is not None):
            found.append(Heading(start, title, "title", None))
            short_heading.update(range(i, j))
            skip = j - 1
    return found


# --- nesting ------------------------------------------------------------------------


def _nest(headings: list[Heading]) -> list[tuple[int, int]]:
    """(level, parent index or -1) for each heading, by the rules in the module docstring."""
    out: list[tuple[int, int]] = []
    stack: list[int] = []  # indices of the open sections' headings, outermost first
    for k, heading in enumerate(headings):
        open_ = [headings[i] for i in stack]
        keep = len(stack)  # how many open sections stay open
        if heading.family == "title":
            titles = [d for d, h in enumerate(open_) if h.family == "title"]
            if titles:
                keep = titles[-1]
            elif stack and not _continues(open_[0], headings[k + 1 :]):
                keep = 0
        else:
            same = [d for d, h in enumerate(open_) if h.family == heading.family]
            follows = [d for d in same if open_[d].number == heading.number - 1]
            if follows:
                keep = follows[-1]
            elif same and heading.number != 1:
                below = [d for d in same if open_[d].number < heading.number]
                keep = below[-1] if below else same[-1]
        del stack[keep:]
        out.append((len(stack) + 1, stack[-1] if stack else -1))
        stack.append(k)
    return out


def _continues(outer: Heading, rest: list[Heading]) -> bool:
    """Whether the numbered list of heading ``outer`` goes on in the ``rest`` of the headings."""
    return outer.family == "title" or any(h.family == outer.family and h.number == outer.number + 1 for h in rest)


# --- public API -----------------------------------------------------------------------


def find_sections(text: str, *, year: int | None = None, document_role: str = "") -> list[Section]:
    """The sections of a clean text, section 0 (the whole document) first, then in document order.

    Parameters
    ----------
    text : str
        Clean text, one paragraph per line.
    year : int, optional
        The year the document was delivered (a government work report of year Y
        reviews Y-1 and plans Y). Lets headings that name a year or a five-year plan
        take a role from it; see :func:`heading_role`.
    document_role : {"", "review", "plan", "next_plan", "annex"}
        The role of section 0, which headings without a role of their own inherit:
        ``"next_plan"`` for a five-year plan or its proposal (规划建议), whose goals are
        the plan's; ``""`` (the default) for a report, whose parts differ.

    Returns
    -------
    list of Section
        ``section_id`` 0 is the document (level 0, title ``""``, parent None, role
        ``document_role``);
        headings are numbered 1.. in document order. A section's ``role`` is its
        heading's own (:func:`heading_role`), else its parent's; plan words inside a
        next_plan section (``4、奋斗目标`` in a 规划建议) stay next_plan.

    >>> text = "各位代表：\\n一、2024年工作回顾\\n过去一年很不平凡。\\n二、2025年总体要求\\n（一）稳增长\\n要稳增长。"
    >>> [(s.section_id, s.parent_id, s.level, s.title, s.role) for s in find_sections(text, year=2025)]
    ... # doctest: +NORMALIZE_WHITESPACE
    [(0, None, 0, '', ''), (1, 0, 1, '一、2024年工作回顾', 'review'),
     (2, 0, 1, '二、2025年总体要求', 'plan'), (3, 2, 2, '（一）稳增长', 'plan')]
    """
    if not isinstance(text, str):
        raise ValueError(f"text must be a str, not {type(text).__name__}")
    if year is not None and (isinstance(year, bool) or not isinstance(year, numbers.Integral)):
        raise ValueError(f"year must be an int or None, not {year!r}")
    year = None if year is None else int(year)
    if document_role not in ("",) + ROLES:
        raise ValueError(f"document_role must be one of {[''] + list(ROLES)}, not {document_role!r}")
    headings = find_headings(text)
    nesting = _nest(headings)
    ends = [len(text)] * len(headings)
    open_: list[int] = []
    for k, (level, _) in enumerate(nesting):
        while open_ and nesting[open_[-1]][0] >= level:
            ends[open_.pop()] = headings[k][0]
        open_.append(k)
    sections = [Section(0, None, 0, "", document_role, 0, len(text))]
    for k, ((start, title, _, _), (level, parent)) in enumerate(zip(headings, nesting)):
        parent_id = parent + 1
        inherited = sections[parent_id].role
        own, by_word = _heading_role(title, year) if len(title) <= 2 * TITLE_MAX else ("", False)
        if own == "plan" and by_word and inherited == "next_plan":
            own = "next_plan"
        role = own or inherited
        sections.append(Section(k + 1, parent_id, level, title, role, start, ends[k]))
    return sections


def section_of(sections: list[Section], offsets):
    """The innermost section containing each offset (paragraph or sentence starts), as an int array.

    Vectorised with :func:`numpy.searchsorted` over the section starts: a section runs
    to the next heading of the same or a higher level, so the last heading at or before
    an offset is the innermost section holding it.

    >>> sections = find_sections("前言。\\n一、回顾\\n正文。\\n二、任务\\n正文。")
    >>> section_of(sections, [0, 4, 9, 13]).tolist()
    [0, 1, 1, 2]
    """
    import numpy as np

    if not sections or sections[0].section_id != 0:
        raise ValueError("sections must be find_sections output: section 0 (the document) first")
    positions = np.asarray(offsets, dtype=np.int64)
    if positions.size and (positions.min() < 0 or positions.max() > sections[0].end):
        raise ValueError(f"offsets must lie in 0..{sections[0].end} (the text's length)")
    starts = np.array([s.start for s in sections], dtype=np.int64)
    ids = np.array([s.section_id for s in sections], dtype=np.int64)
    return ids[np.searchsorted(starts, positions, side="right") - 1]


def sections_table(doc_id: str, text: str, *, year: int | None = None, document_role: str = ""):
    """:func:`find_sections` as a DataFrame with columns ``doc_id, section_id, parent_id, level, title, role, start, end``.

    ``parent_id`` is a nullable integer (``<NA>`` for section 0).

    >>> table = sections_table("gwr_2025", "一、2024年工作回顾\\n经济稳中有进。", year=2025)
    >>> table[["section_id", "parent_id", "title", "role", "start", "end"]].to_dict("records")[1]
    {'section_id': 1, 'parent_id': 0, 'title': '一、2024年工作回顾', 'role': 'review', 'start': 0, 'end': 19}
    """
    import pandas as pd

    rows = [{"doc_id": doc_id, **asdict(s)} for s in find_sections(text, year=year, document_role=document_role)]
    table = pd.DataFrame(rows, columns=COLUMNS)
    return table.astype({"parent_id": "Int64", "section_id": "int64", "level": "int64", "start": "int64", "end": "int64"})
