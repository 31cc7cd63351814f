"""Document metadata: read from a ``manifest.csv`` or inferred from what a document shows.

Manifest columns (all but ``doc_id`` optional): ``doc_id, title, region,
region_code, province, admin_level, date, year, doc_type, source, script``.
A manifest value always wins. Inferred values come with their evidence (the
line or the file name they were read from), and a field stays empty when the
evidence is weak: an empty field is better than a wrong one.

Regions come from the divisions table of :mod:`workbench.places`, never from a
``X市/X区`` pattern; the issuer is read from the title line, the date/venue line
(``——2021年1月26日在浙江省第十三届人民代表大会第五次会议上``), the file name,
and only then from strong phrases of the opening (``我代表浙江省人民政府``).
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePath

from . import places
from .clean import TERMINAL_PUNCT, _combinable, _required_literals, _top_level_bar, detect_script, is_boilerplate
from .errors import CorpusError
from .readers import check_regular_file
from .resources import data_path

FIELDS = ("doc_id", "title", "region", "region_code", "province", "admin_level", "date", "year", "doc_type",
          "source", "script")
SCRIPTS = ("simplified", "traditional", "none")
YEAR_RANGE = (1949, 2100)
HEAD_CHARS = 3000      # metadata is read from the opening of a document
TITLE_WINDOW = 25      # non-empty lines searched for the title
OPENING_CHARS = 800    # the speaker's first words (我代表国务院…) are looked for this far

# Document types recognised from cue words in the title (then the opening lines), first match wins.
DOC_TYPE_CUES = (
    ("关于政府工作报告的决议", "决议"),
    ("政府工作报告", "政府工作报告"),
    ("规划和二〇三五年远景目标的建议", "规划建议"),
    ("规划和二○三五年远景目标的建议", "规划建议"),
    ("规划的建议", "规划建议"),
    ("远景目标纲要", "规划纲要"),
    ("规划纲要", "规划纲要"),
    ("讲话", "讲话"),
)
_NEWS_CUES = (re.compile(r"^来源[:：]|\s来源[:：]"), re.compile(r"^■?\s*(本报)?记者\s"), re.compile(r"^原标题[:：]"))

# 〇 is also typed as a circle, a Latin, Cyrillic or full-width O, or a zero (二OO七年, 二００七年)
_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "O": 0, "o": 0, "О": 0, "Ｏ": 0, "0": 0, "０": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_YEAR = "[一二][〇○零OoОＯ0０一二三四五六七八九]{3}"
_DATE_PATTERNS = (
    re.compile(r"(?P<y>(?:19|20)\d\d)\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"),
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)"),
    re.compile(rf"(?P<y>{_CN_YEAR})年(?P<m>[一二三四五六七八九十]{{1,2}})月(?P<d>[一二三四五六七八九十]{{1,3}})日"),
)
# A year written in a title or date line: 2021年, 二〇二一年; not a range (2021—2025年), not a
# horizon (二〇三五年远景目标, 到2035年) and not a year written inside a longer number.
_YEAR_IN_LINE = re.compile(
    rf"(?<!\d[—\-~～])(?<![\d到至])(?P<y>(?:19|20)\d\d|{_CN_YEAR})\s*(?:年度?|(?=[^\d年—\-~～]|$))(?!\s*[—\-~～至到]\s*(?:19|20)?\d\d)(?!远景)"
)
_YEAR_IN_NAME = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_VENUE = re.compile(
    r"^(?:——|—|-{1,2}|－－)?\s*[（(]?.{0,30}(?:年.{0,8}[日月]|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}).{0,4}"
    r"(?:在|于)?.{0,40}(?:会议|大会|全会)(?:上|通过|批准|审议通过)?.{0,24}$"
)
_GWR_OPENING = re.compile(r"代表\S{0,20}?(人民政府|国务院)[，,]?\s*向\S{0,30}(作|报告)\S{0,6}政府工作")
# A page title's site name: 2021年浙江省政府工作报告_浙江省人民政府门户网站, …｜中国政府网
_SITE_SUFFIX = re.compile(r"(?<=\S)\s*(?:_|\||｜|\s-\s)\s*[^_|｜\s]{2,20}(?:网|网站|门户|在线|日报|报|新闻|政府|频道)\s*$")
_TITLE_AND_VENUE = re.compile(r"^(\S.{1,40}?)\s*((?:——|－－).*)$")
_MID_SENTENCE = ("的", "了", "和", "与", "及", "在", "对", "把", "被", "向")
_SALUTATION = re.compile(r"^(各位代表|同志们|各位委员|代表们)[:：！!，,]")
_SPLIT_TITLE_TAILS = ("告", "要", "议", "划", "话", "报告", "纲要", "建议", "规划", "讲话")
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_TITLE_PREFIX = re.compile(r"^(标题|题目|文章标题)\s*[:：]\s*")
_TITLE_NOISE = re.compile(r"\s*[（(]\s*全文\s*[)）]\s*$|\s*[（(][^（()）]{0,30}\d{1,2}\s*日[^（()）]{0,30}[)）]\s*$|(?<=报告)全文$|^[\[【]\s*|\s*[\]】]\s*$")

# The congress a national report is addressed to: 向第一届全国人民代表大会第五次会议 (not a past session).
_NPC_ADDRESSED = re.compile(
    r"(?:(?:向|在)(?:大会|本次大会)?|^)第(?P<n>[一二三四五六七八九十]{1,3})届全国人民代表大会"
    r"(?:第(?P<m>[一二三四五六七八九十]{1,2})次会议)?"
    r"(?=[，,]?\s*(?:作|提出|报告|上|听取|审议|关于))",
    re.MULTILINE,
)

# The issuer is the nation: words of the title or venue line, or the speaker's own words in the opening.
_NATIONAL_LINE = re.compile(r"国务院|中华人民共和国|全国人民代表大会|中央人民政府")
_NATIONAL_OPENING = re.compile(r"代表(中华人民共和国)?(国务院|中央人民政府)|国务院总理|受国务院的?委托|根据国务院的决定")
# A site's banner above a title: the unit's government and nothing else.
_BANNER = re.compile(r"^(?P<p>\S{2,20}?)人民政府(?:门户网站|网站|网)?$")
# Strong phrases of a regional issuer in the opening: the unit's people's government or congress.
_ISSUER_OPENING = re.compile(r"(?<=\S)(人民政府(?=[，,、\s]*向)|第[一二三四五六七八九十]{1,3}届人民代表大会第[一二三四五六七八九十]{1,2}次会议)")


@dataclass(frozen=True)
class Inferred:
    """An inferred metadata value and its evidence: the line or the file name it was read from.

    >>> Inferred(2021, "——2021年1月26日在浙江省第十三届人民代表大会第五次会议上").value
    2021
    """

    value: object
    evidence: str


@lru_cache(maxsize=1)
def _furniture_patterns() -> tuple[re.Pattern, ...]:
    lines = data_path("title_furniture.txt").read_text(encoding="utf-8").splitlines()
    return tuple(re.compile(x.strip()) for x in lines if x.strip() and not x.startswith("#"))


@lru_cache(maxsize=1)
def _furniture_search():
    """One test for all title-furniture patterns, true when any one matches a line.

    An alternation finds a match where any one would: the patterns anchored with ``^`` (and no
    ``|`` outside a group) are combined into one expression tried at the start of the line only,
    the others into one that is searched (an alternation of every pattern would try each one at
    every character). Patterns with global flags or back-references cannot join an alternation:
    then each is searched alone.
    """
    patterns = _furniture_patterns()
    if patterns and all(_combinable(p) for p in patterns):
        at_start = [p.pattern.startswith("^") and not _top_level_bar(p.pattern) for p in patterns]
        anchored = [p.pattern[1:] for p, a in zip(patterns, at_start) if a]
        floating = [p.pattern for p, a in zip(patterns, at_start) if not a]
        # the floating ones are searched only in a line holding a literal one of them needs (one quick
        # search: an alternation of literals skips ahead in C), when each needs one
        literals = [_required_literals(p) for p, a in zip(patterns, at_start) if not a]
        try:
            match = re.compile("|".join(f"(?:{x})" for x in anchored)).match if anchored else None
            search = re.compile("|".join(f"(?:{x})" for x in floating)).search if floating else None
            announced = (re.compile("|".join(dict.fromkeys(x for found in literals for x in found))).search
                         if floating and all(found is not None for found in literals) else None)
        except re.error:
            pass
        else:
            return lambda line: ((match is not None and match(line) is not None)  # noqa: E731
                                 or (search is not None and (announced is None or announced(line) is not None)
                                     and search(line) is not None))
    return lambda line: next((m for p in patterns if (m := p.search(line))), None)


def _strip(line: str) -> str:
    return line.strip().strip(_ZERO_WIDTH).strip()


def is_furniture(line: str) -> bool:
    """True for a web-page line around a title (share bar, breadcrumb, ``时间：``, ``下载``), or an empty one.

    >>> [is_furniture(x) for x in ("您的位置： > 云南要闻", "下载", ">", "\u200b", "政府工作报告")]
    [True, True, True, True, False]
    """
    line = _strip(line)
    if not line.replace(" ", "").strip(_ZERO_WIDTH):
        return True
    if is_boilerplate(line) or _furniture_search()(line):
        return True
    words = line.split()  # a navigation bar: several short words and nothing else
    return len(words) >= 4 and all(len(w) <= 6 for w in words) and not any(c in line for c in "，。；")


def _cn_number(s: str) -> int:
    """Chinese numerals of dates: 二〇二〇 → 2020, 十二 → 12, 二十八 → 28."""
    if "十" not in s:
        return int("".join(str(_CN_DIGITS[c]) for c in s))
    tens, _, units = s.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)


def _to_int(s: str) -> int:
    return int(s) if s.isdigit() else _cn_number(s)


def _date_in(text: str) -> tuple[int, str] | None:
    found = []
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            y, mo, d = (_to_int(v) for v in m.group("y", "m", "d"))
            if 1 <= mo <= 12 and 1 <= d <= 31 and YEAR_RANGE[0] <= y <= YEAR_RANGE[1]:
                found.append((m.start(), f"{y:04d}-{mo:02d}-{d:02d}"))
                break
    return min(found) if found else None


def infer_date(text: str) -> str | None:
    """The first full date written near the top of the text, as ``YYYY-MM-DD``.

    >>> infer_date("（二〇二〇年十二月二十八日通过）")
    '2020-12-28'
    """
    found = _date_in(text[:1500])
    return found[1] if found else None


def years_in(line: str) -> list[int]:
    """The years a title or date line names (not ranges, not ``二〇三五年远景目标``).

    >>> years_in("浙江省国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要"), years_in("2021年政府工作报告")
    ([], [2021])
    """
    out = []
    for m in _YEAR_IN_LINE.finditer(line):
        y = _to_int(m.group("y"))
        if YEAR_RANGE[0] <= y <= YEAR_RANGE[1]:
            out.append(y)
    return out


def infer_year(text: str) -> int | None:
    """The year of the first full date near the top of the text (kept for callers of the old API).

    >>> infer_year("——2021年1月26日在浙江省第十三届人民代表大会第五次会议上"), infer_year("没有日期")
    (2021, None)
    """
    date = infer_date(text)
    return int(date[:4]) if date else None


def year_from_file_name(file_name: str | None) -> int | None:
    """The one 4-digit year (1949–2100) in a file name's stem, or None (none, or several).

    >>> year_from_file_name("gwr2016.txt"), year_from_file_name("2021_浙江省_政府工作报告.csv")
    (2016, 2021)
    """
    if not file_name:
        return None
    years = {int(y) for y in _YEAR_IN_NAME.findall(PurePath(file_name).stem)}
    years = {y for y in years if YEAR_RANGE[0] <= y <= YEAR_RANGE[1]}
    return years.pop() if len(years) == 1 else None


# --- the document's head: title and date/venue lines --------------------------------------


@dataclass(frozen=True)
class _Head:
    lines: list[tuple[int, str]]    # (offset in the text, stripped line) of the first non-empty lines
    title: tuple[int, str] | None   # offset and text of the title (joined when split over lines)
    venue: str | None               # the date/venue line
    body_at: int                    # index in ``lines`` of the first line of the body
    candidates: tuple[tuple[int, str], ...] = ()  # the title-like lines above the body
    furniture: dict[str, bool] = field(default_factory=dict, compare=False)  # is_furniture of the lines tested

    def is_furniture(self, line: str) -> bool:
        """:func:`is_furniture` of a line of this head, each line tested once."""
        found = self.furniture.get(line)
        if found is None:
            found = self.furniture[line] = is_furniture(line)
        return found


def _is_venue(line: str) -> bool:
    return ("会议" in line or "大会" in line or "全会" in line) and _VENUE.match(line) is not None


_DATE_ONLY = re.compile(r"[\d\s\-/:：年月日.]+")
_NUMBERED_START = re.compile(r"^([一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|第[一二三四五六七八九十]+[章节部分])")


def _title_like(line: str) -> bool:
    if len(line) > 60 or len(line) < 2 or line[-1] in TERMINAL_PUNCT + "，,：:":
        return False
    if _SALUTATION.match(line) or _DATE_ONLY.fullmatch(line):
        return False
    if line.count("，") + line.count(",") >= 2 or (len(line) > 30 and "，" in line) or line.endswith(_MID_SENTENCE):
        return False  # a sentence of the body, hard-wrapped
    return not _NUMBERED_START.match(line)


def _read_head(text: str) -> _Head:
    lines: list[tuple[int, str]] = []
    pos = 0
    furniture: dict[str, bool] = {}
    tested = _Head([], None, None, 0, furniture=furniture).is_furniture
    for raw in text[:HEAD_CHARS].split("\n"):
        line = _strip(raw)
        if "_" in line or "|" in line or "｜" in line or "-" in line:  # a site suffix needs one of them
            line = _SITE_SUFFIX.sub("", line)
        if line:
            start = pos + raw.find(line[0])
            joined = _TITLE_AND_VENUE.match(line) if "——" in line or "－－" in line else None  # the dash it needs
            if joined and _is_venue(joined.group(2)):  # 政府工作报告 ——2021年1月26日在…会议上
                lines.append((start, joined.group(1).strip()))
                lines.append((start + joined.start(2), joined.group(2)))
            else:
                lines.append((start, line))
        pos += len(raw) + 1
        if len(lines) >= TITLE_WINDOW:
            break
    venue = next((line for _, line in lines if _is_venue(line) and not tested(line)), None)
    title = None
    candidates = []
    body_at = len(lines)
    for i, (offset, line) in enumerate(lines):
        if _SALUTATION.match(line) or (len(line) > 60 and line[-1] in TERMINAL_PUNCT):
            body_at = i
            break  # the body has begun
        if tested(line) and not _TITLE_PREFIX.match(line):
            continue
        if line == venue or not _title_like(line):
            continue
        if i + 1 < len(lines) and lines[i + 1][1][0] in "。，、；：！？）」』”":
            continue  # a phrase of a hard-wrapped sentence (…所作的\n政府工作报告\n。会议…)
        text_line = line
        nxt = lines[i + 1][1] if i + 1 < len(lines) else ""
        if nxt and len(nxt) <= 2 and (nxt in _SPLIT_TITLE_TAILS or (text_line + nxt).endswith(("报告", "纲要", "建议", "规划"))):
            text_line = line + nxt  # 政府工作报\n告
        candidates.append((offset, text_line))
    if candidates:
        # The title is the line followed by the venue line, else the first line naming a document
        # type, else the first title-like line.
        venue_at = next((k for k, (_, line) in enumerate(lines) if line == venue), None)
        before_venue = [c for c in candidates if venue_at is not None and c[0] < lines[venue_at][0]]
        typed = [c for c in candidates if any(cue in c[1] for cue, _ in DOC_TYPE_CUES) or re.search(r"报告|规划|纲要|建议|决议|公报|意见|讲话", c[1])]
        title = (before_venue[-1] if before_venue and before_venue[-1] in typed else typed[0] if typed
                 else before_venue[-1] if before_venue else candidates[0])
        # A page's headline that spells the document's own title out (2023年云南省政府工作报告 above
        # 政府工作报告 and its venue line) is the more telling title.
        fuller = [c for c in typed if c[0] < title[0] and title[1] in c[1] and len(c[1]) > len(title[1])]
        if fuller:
            title = fuller[0]
    return _Head(lines=lines, title=title, venue=venue, body_at=body_at, candidates=tuple(candidates),
                 furniture=furniture)


def _clean_title(line: str) -> str:
    return " ".join(_TITLE_NOISE.sub("", _TITLE_PREFIX.sub("", line)).split())


# --- the inference ------------------------------------------------------------------------


def _region_fields(division: places.Division, evidence: str) -> dict[str, Inferred]:
    return {
        "region": Inferred(division.full_name, evidence),
        "region_code": Inferred(division.code, evidence),
        "province": Inferred(division.province, evidence),
        "admin_level": Inferred(division.level, evidence),
    }


def _national(evidence: str) -> dict[str, Inferred]:
    return {"region": Inferred(places.NATION, evidence), "admin_level": Inferred("国家", evidence)}


_UNIT_AFTER = re.compile(r"(?:某|[XxＸ×*＊○]{1,3})(?:市|县|区|州|盟|旗|自治州|自治县)")


def _masked_unit_follows(line: str, end: int, division: places.Division) -> bool:
    """True when a masked unit follows the names (江苏省某市, 江苏省XX市): the issuer is hidden."""
    return division.level != "县级" and bool(_UNIT_AFTER.match(line, end))


def _venue_place(venue: str, year: int | None, context: str = "") -> places.Division | None:
    """The place before ``第N届人民代表大会`` / ``委员会`` in a venue line."""
    m = re.search(r"在|于|[日）)]", venue)
    rest = venue[m.end():] if m else venue
    division, run = places.first_chain(rest, year=year, context=context)
    if division is None or run[0].start > 8 or _masked_unit_follows(rest, run[-1].end, division):
        return None
    return division  # 中国共产党徐州市第十二届委员会: the name comes first


def _infer_region(head: _Head, title: str | None, file_name: str | None, year: int | None,
                  opening: str) -> dict[str, Inferred]:
    # Lines above the body (a site's banner 南京市鼓楼区人民政府) may settle a shared name (鼓楼区).
    context = "\n".join(line for _, line in head.lines[:head.body_at] if not head.is_furniture(line))
    if title and _NATIONAL_LINE.search(title) and not places.find_place_names(title):
        return _national(title)
    if head.venue and re.search(r"全国人民代表大会|全国政治协商会议", head.venue):
        return _national(head.venue)
    if title:
        division, run = places.first_chain(title, year=year, short_forms=True, context=context)
        if division is not None and _masked_unit_follows(title, run[-1].end, division):
            return {"province": Inferred(division.province, title)}  # 江苏省某市人民政府: only the province is known
        if division is not None:
            return _region_fields(division, title)
    if head.venue:
        division = _venue_place(head.venue, year, context)
        if division is not None:
            return _region_fields(division, head.venue)
    if file_name:
        division, _run = places.first_chain(PurePath(file_name).stem, year=year, short_forms=True)
        if division is not None:
            return _region_fields(division, file_name)
    for _, line in head.lines[:head.body_at]:  # the site's own banner: 泗洪县人民政府(门户网站)
        banner = _BANNER.match(line)
        division = _place_ending_at(banner.group("p"), year) if banner else None
        if division is not None and banner.group("p") in (division.name, division.full_name):
            return _region_fields(division, line)
    m = _NATIONAL_OPENING.search(opening[:OPENING_CHARS])
    if m:
        return _national(_line_at(opening, m.start()))
    for m in _ISSUER_OPENING.finditer(opening[:OPENING_CHARS]):
        division = _place_ending_at(opening[max(0, m.start() - 24):m.start()], year)
        if division is not None:
            return _region_fields(division, _line_at(opening, m.start()))
    return {}


def _place_ending_at(text: str, year: int | None) -> places.Division | None:
    """The unit named by the run of division names that ends ``text`` (``…我代表浙江省``)."""
    matches = places.find_place_names(text)
    if not matches or matches[-1].end != len(text):
        return None
    chain = [matches[-1]]
    for m in reversed(matches[:-1]):
        if m.end != chain[0].start:
            break
        chain.insert(0, m)
    return places.resolve_chain(chain, year=year)


def _line_at(text: str, pos: int) -> str:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return text[start:end if end >= 0 else len(text)].strip()


@lru_cache(maxsize=1)
def _npc_sessions() -> dict[tuple[int, int], int]:
    lines = data_path("npc_sessions.csv").read_text(encoding="utf-8").splitlines()
    rows = csv.DictReader(x for x in lines if not x.startswith("#"))
    return {(int(r["congress"]), int(r["session"])): int(r["year"]) for r in rows}


def npc_session_year(text: str) -> tuple[int, str] | None:
    """The year of the NPC session a national report is addressed to, and the line saying so.

    >>> npc_session_year("我代表国务院向第一届全国人民代表大会第五次会议，提出关于……的报告")[0]
    1958
    """
    m = _NPC_ADDRESSED.search(text)
    if not m:
        return None
    key = (_cn_number(m.group("n")), _cn_number(m.group("m")) if m.group("m") else 1)
    year = _npc_sessions().get(key)
    return (year, _line_at(text, m.start())) if year else None


def _infer_year(title: str | None, head: _Head, file_name: str | None, date: tuple[int, str] | None,
                opening: str = "") -> Inferred | None:
    if title:
        years = years_in(title)
        if len(set(years)) == 1:
            return Inferred(years[0], title)
    if head.venue:
        years = years_in(head.venue)
        if years:
            return Inferred(years[0], head.venue)
    from_name = year_from_file_name(file_name)
    if from_name is not None:
        return Inferred(from_name, file_name)
    if title:
        years = years_in(title)
        if years:
            return Inferred(max(years), title)
    if date is not None:
        return Inferred(int(date[1][:4]), date[0])
    session = npc_session_year(opening[:800])
    if session is not None:
        return Inferred(*session)
    return None


def infer_metadata(original: str, normalized: str, *, file_name: str | None = None) -> dict[str, Inferred]:
    """Metadata inferred from a document's text and file name, each value with its evidence.

    Parameters
    ----------
    original : str
        The text as read (traditional stays traditional in the title).
    normalized : str
        The same text simplified and width-normalised, of the same length
        (:func:`workbench.align.normalized_original`).
    file_name : str, optional
        The file's name (``gwr2016.txt``, ``2021_浙江省_政府工作报告.csv``): a year
        and a region can be read from it.

    Returns
    -------
    dict
        ``{field: Inferred(value, evidence)}`` for the fields found among
        ``title, date, year, region, region_code, province, admin_level,
        doc_type, source, script``; a field with no good evidence is absent.

    Examples
    --------
    >>> text = "2021年浙江省政府工作报告\\n——2021年1月26日在浙江省第十三届人民代表大会第五次会议上\\n各位代表："
    >>> meta = infer_metadata(text, text)
    >>> meta["title"].value, meta["year"].value, meta["region"].value, meta["admin_level"].value
    ('2021年浙江省政府工作报告', 2021, '浙江省', '省级')
    """
    if not isinstance(original, str) or not isinstance(normalized, str):
        raise ValueError("original and normalized must be str")
    if file_name is not None and not isinstance(file_name, str):
        raise ValueError(f"file_name must be a str or None, not {type(file_name).__name__}")
    file_name = PurePath(file_name).name if file_name else None
    head = _read_head(normalized)
    out: dict[str, Inferred] = {}
    title = None
    if head.title is not None:
        offset, line = head.title
        title = _clean_title(line)
        shown = line
        written = original[offset:offset + len(line)]
        if len(original) == len(normalized) and normalized[offset:offset + len(line)] == line:
            shown = written  # the title as written: traditional stays traditional
        if title:
            out["title"] = Inferred(_clean_title(shown), line)
    opening = normalized[:HEAD_CHARS]
    date = None
    if head.venue and _date_in(head.venue):
        date = (head.venue, _date_in(head.venue)[1])
    else:  # a date line above the body (2021年02月27日15:59 来源：…), not a date the body mentions
        above = opening[:head.lines[head.body_at][0]] if head.body_at < len(head.lines) else opening
        found = _date_in(above[:1500])
        if found:
            date = (_line_at(opening, found[0]), found[1])
    if date:
        out["date"] = Inferred(date[1], date[0])
    year = _infer_year(title, head, file_name, date, opening)
    if year is not None:
        out["year"] = year
    out.update(_infer_region(head, title, file_name, year.value if year else None, opening))
    doc_type = _infer_doc_type(title, head)
    if doc_type is not None:
        out["doc_type"] = doc_type
    source = re.search(r"来源[:：]\s*([^\s|，,]{2,20})", opening[:800])
    if source:
        out["source"] = Inferred(source.group(1), _line_at(opening, source.start()))
    out["script"] = Inferred(detect_script(original), "the share of traditional characters in the text")
    return out


def _infer_doc_type(title: str | None, head: _Head) -> Inferred | None:
    for line in ([title] if title else []) + [line for _, line in head.candidates]:
        for cue, doc_type in DOC_TYPE_CUES:
            if cue in line:
                return Inferred(doc_type, line)
    for _, line in head.lines[:8]:
        if _GWR_OPENING.search(line):  # 我代表国务院，向大会作政府工作报告
            return Inferred("政府工作报告", line)
    for _, line in head.lines[:10]:
        if any(p.search(line) for p in _NEWS_CUES):
            return Inferred("新闻报道", line)
    return None


# --- the manifest -------------------------------------------------------------------------


def read_manifest(path: str | Path) -> dict[str, dict]:
    """Read a ``manifest.csv``: ``{doc_id: {field: value}}`` with empty cells as None.

    ``admin_level`` is mapped onto ``国家, 省级, 地级, 县级, 乡级`` (older forms
    such as ``省``, ``地级市``, ``区``, ``县级市`` are accepted).

    Raises
    ------
    CorpusError
        When the path is not a readable regular file; when the file is not UTF-8
        CSV, has a quote that is never closed or a cell that runs over a line
        break (an unbalanced quote would swallow the rows after it), lacks a ``doc_id`` column, repeats a
        doc_id, has a ``year`` that is not a four-digit year in 1949–2100, a
        ``script`` outside ``simplified``/``traditional``/``none``, a
        ``region_code`` that is not six digits, an unknown ``admin_level``, or
        an admin_level or region_code that disagrees with a region the
        divisions table knows; the message names the line.
    """
    path = check_regular_file(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            columns, rows = _manifest_rows(path, fh)
    except UnicodeDecodeError as exc:
        raise CorpusError(path, f"malformed manifest: not UTF-8 ({exc.reason} at byte {exc.start})") from exc
    except OSError as exc:
        raise CorpusError(path, f"cannot read the manifest ({exc.strerror or exc})") from exc
    if "doc_id" not in columns:
        raise CorpusError(path, f"malformed manifest: no 'doc_id' column (columns: {', '.join(columns) or 'none'})")
    unknown = [c for c in columns if c not in FIELDS]
    if unknown:
        raise CorpusError(path, f"malformed manifest: unknown column(s) {', '.join(unknown)}; allowed: {', '.join(FIELDS)}")
    manifest: dict[str, dict] = {}
    for n, cells in rows:
        if len(cells) > len(columns):
            raise CorpusError(path, f"malformed manifest: line {n} has more cells than the header")
        row = dict(zip(columns, cells + [""] * (len(columns) - len(cells))))
        doc_id = (row.get("doc_id") or "").strip()
        if not doc_id:
            raise CorpusError(path, f"malformed manifest: line {n} has no doc_id")
        if doc_id in manifest:
            raise CorpusError(path, f"malformed manifest: doc_id {doc_id!r} appears twice (line {n})")
        record = {k: (v.strip() or None) if isinstance(v, str) else None for k, v in row.items() if k != "doc_id"}
        if record.get("year") is not None:
            if not re.fullmatch(r"\d{4}", record["year"]):
                raise CorpusError(path, f"malformed manifest: line {n}: year {record['year']!r} is not a four-digit year")
            record["year"] = int(record["year"])
            if not YEAR_RANGE[0] <= record["year"] <= YEAR_RANGE[1]:
                raise CorpusError(path, f"malformed manifest: line {n}: year {record['year']:04d} is outside "
                                        f"{YEAR_RANGE[0]}–{YEAR_RANGE[1]}")
        if record.get("script") is not None and record["script"] not in SCRIPTS:
            raise CorpusError(path, f"malformed manifest: line {n}: script must be one of {', '.join(SCRIPTS)}")
        if record.get("admin_level") is not None:
            try:
                record["admin_level"] = places.normalize_admin_level(record["admin_level"])
            except ValueError as exc:
                raise CorpusError(path, f"malformed manifest: line {n}: {exc}") from exc
        if record.get("region_code") is not None and not re.fullmatch(r"\d{6}", record["region_code"]):
            raise CorpusError(path, f"malformed manifest: line {n}: region_code {record['region_code']!r} is not six digits")
        _check_region(path, n, record)
        manifest[doc_id] = record
    return manifest


def _manifest_rows(path: Path, fh) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the ``(line, cells)`` of each row of a manifest, read strictly.

    A manifest's cells are short metadata, so a cell that runs over a line break is
    an error, as is a quote that is never closed or is followed by more text: either
    means an unbalanced quote swallowed the rows after it. Blank lines are skipped.
    """
    reader = csv.reader(fh, strict=True)
    rows: list[tuple[int, list[str]]] = []
    header: list[str] | None = None
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problem = "a quote opens a cell and is never closed" if "end of data" in str(exc) else str(exc)
            raise CorpusError(path, f"malformed manifest: line {start}: {problem}") from exc
        if reader.line_num > start and any("\n" in c or "\r" in c for c in cells):
            raise CorpusError(path, f"malformed manifest: line {start}: a cell runs over lines {start}–{reader.line_num} "
                                    "(a quote that is not closed on its line?); manifest cells hold one line each")
        if not any(c.strip() for c in cells):
            continue
        if header is None:
            header = [c.strip() for c in cells]
        else:
            rows.append((start, cells))
    return header or [], rows


def _check_region(path: Path, n: int, record: dict) -> None:
    """A manifest's admin_level and region_code must agree with a region the divisions table knows."""
    region, level, code = record.get("region"), record.get("admin_level"), record.get("region_code")
    if region is None or (level is None and code is None):
        return
    if region == places.NATION:
        expected_level, expected_code = "国家", None
    else:
        division = places.lookup_region(region, year=record.get("year"))
        if division is None:
            return  # a name the table cannot settle (or a masked one): the manifest is taken as it is
        expected_level, expected_code = division.level, division.code
    if level is not None and level != expected_level:
        raise CorpusError(path, f"malformed manifest: line {n}: admin_level {level!r} does not agree with region "
                                f"{region!r} ({expected_level})")
    if code is not None and code != expected_code:
        raise CorpusError(path, f"malformed manifest: line {n}: region_code {code!r} does not agree with region "
                                f"{region!r} ({expected_code or 'no code'})")


REGION_FIELDS = ("region", "region_code", "province", "admin_level")


def merge_metadata(given: dict, inferred: dict[str, Inferred]) -> tuple[dict, list[str]]:
    """A document's metadata: the manifest's values, else the inferred ones; and the inferred field names.

    The region's fields (``region, region_code, province, admin_level``) go
    together: when the manifest names the region, inferred values of the other
    three are used only if they describe that same region; else they come from
    the divisions table (when it knows the name) or stay empty.

    >>> meta, names = merge_metadata({"year": 2020}, {"year": Inferred(2021, "x"), "title": Inferred("政府工作报告", "x")})
    >>> meta["year"], meta["title"], names
    (2020, '政府工作报告', ['title'])
    """
    record: dict = {}
    names: list[str] = []
    given_region = given.get("region")
    same_region = given_region is None or ("region" in inferred and inferred["region"].value == given_region)
    table: dict = {}
    if given_region is not None and not same_region:  # the region's other fields from the divisions table
        year = given.get("year") or (inferred["year"].value if "year" in inferred else None)
        division = places.lookup_region(given_region, year=year) if given_region != places.NATION else None
        if division is not None:
            table = {"region_code": division.code, "province": division.province, "admin_level": division.level}
        elif given_region == places.NATION:
            table = {"admin_level": "国家"}
    for name in FIELDS[1:]:
        value = given.get(name)
        found = inferred.get(name)
        if value is None and name in table:
            value = table[name]
            names.append(name)
        elif value is None and found is not None and found.value is not None:
            if name in REGION_FIELDS[1:] and not same_region:
                record[name] = None
                continue
            value = found.value
            names.append(name)
        record[name] = value
    return record, names
