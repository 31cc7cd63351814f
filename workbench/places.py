"""China's administrative divisions: find the region that issued a document.

The table is ``workbench/data/divisions.csv`` (see ``divisions-README.md``): every
province-, prefecture- and county-level unit of the Ministry of Civil Affairs'
year-end lists 1980–2024 with its 6-digit code, including units since merged
or renamed (``巢湖市`` 地级 until 2011, ``莱芜市`` until 2018/19). Names are only
ever matched against that list, never guessed from a ``X市/X区`` pattern.

A region is written in full official form: ``江苏省``, ``内蒙古自治区``, a
prefecture ``宿迁市``, a county-level unit with its prefecture ``宿迁市宿豫区``;
the nation is ``全国`` (admin level ``国家``).
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache

from .resources import data_path

ADMIN_LEVELS = ("国家", "省级", "地级", "县级", "乡级")
FIRST_LIST_YEAR = 1980  # the table's first year-end list: a unit in it may be older
NATION = "全国"
# Older or informal forms of admin_level found in manifests, mapped onto ADMIN_LEVELS.
_LEVEL_FORMS = {
    "国家": "国家", "国家级": "国家", "全国": "国家", "中央": "国家",
    "省级": "省级", "省": "省级", "自治区": "省级", "直辖市": "省级", "省级行政区": "省级",
    "地级": "地级", "地级市": "地级", "市": "地级", "地区": "地级", "自治州": "地级", "盟": "地级", "市级": "地级",
    "县级": "县级", "县": "县级", "区": "县级", "县级市": "县级", "市辖区": "县级", "旗": "县级",
    "自治县": "县级", "自治旗": "县级", "区县": "县级", "县区": "县级",
    "乡级": "乡级", "乡": "乡级", "镇": "乡级", "街道": "乡级", "乡镇": "乡级", "苏木": "乡级",
}


@dataclass(frozen=True)
class Division:
    """One unit of the divisions table (see ``divisions-README.md`` for the columns)."""

    code: str
    name: str
    level: str
    full_name: str
    prefecture: str
    province: str
    short_name: str
    valid_from: int
    valid_until: int | None

    def valid_in(self, year: int) -> bool:
        """True when the unit existed in ``year`` (a year-end list holds it, or it ended that year).

        >>> laiwu = lookup_region("莱芜市", year=2010)
        >>> laiwu.valid_in(2010), laiwu.valid_in(2022)
        (True, False)
        """
        return (self.valid_from <= year or self.valid_from == FIRST_LIST_YEAR) and (self.valid_until is None or year <= self.valid_until)


@lru_cache(maxsize=1)
def load_divisions() -> tuple[Division, ...]:
    """All units of ``divisions.csv``, in the file's order (by code).

    >>> len(load_divisions()) > 7000
    True
    """
    with data_path("divisions.csv").open(encoding="utf-8", newline="") as fh:
        return tuple(
            Division(code=r["code"], name=r["name"], level=r["level"], full_name=r["full_name"],
                     prefecture=r["prefecture"], province=r["province"], short_name=r["short_name"],
                     valid_from=int(r["valid_from"]), valid_until=int(r["valid_until"]) if r["valid_until"] else None)
            for r in csv.DictReader(fh)
        )


# Province short forms (浙江, 内蒙古, 广西) are names only in title-like positions.
@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, tuple[Division, ...]], dict[str, tuple[Division, ...]]]:
    by_name: dict[str, list[Division]] = {}
    by_short: dict[str, list[Division]] = {}
    for d in load_divisions():
        by_name.setdefault(d.name, []).append(d)
        if d.full_name != d.name:
            by_name.setdefault(d.full_name, []).append(d)
        if d.level == "省级" and d.short_name and d.short_name != d.name:
            by_short.setdefault(d.short_name, []).append(d)
    return ({k: tuple(v) for k, v in by_name.items()}, {k: tuple(v) for k, v in by_short.items()})


@lru_cache(maxsize=2)
def _name_pattern(short_forms: bool) -> re.Pattern:
    """All names as one expression, longest first (what :func:`_name_starts` finds without it)."""
    by_name, by_short = _index()
    names = set(by_name) | (set(by_short) if short_forms else set())
    # Longest names first: at each position the regex takes the longest official name.
    return re.compile("|".join(re.escape(n) for n in sorted(names, key=lambda n: (-len(n), n))))


@lru_cache(maxsize=2)
def _name_starts(short_forms: bool) -> tuple[frozenset[str], dict[str, tuple[int, ...]]]:
    """The names, and for each character that starts one the lengths of those names, longest first."""
    by_name, by_short = _index()
    names = frozenset(n for n in set(by_name) | (set(by_short) if short_forms else set()) if n)
    lengths: dict[str, set[int]] = {}
    for n in names:
        lengths.setdefault(n[0], set()).add(len(n))
    return names, {ch: tuple(sorted(ls, reverse=True)) for ch, ls in lengths.items()}


def _scan_names(line: str, short_forms: bool):
    """``(start, end, name)`` of the names in a line, as ``_name_pattern(short_forms).finditer`` finds them:
    left to right, the longest name at each position, the next search after its end."""
    names, starts = _name_starts(short_forms)
    i, n = 0, len(line)
    while i < n:
        for length in starts.get(line[i], ()):
            name = line[i:i + length]
            if len(name) == length and name in names:  # (a slice at the end of the line is shorter)
                yield i, i + length, name
                i += length
                break
        else:
            i += 1


def normalize_admin_level(value: str) -> str:
    """Map an admin level, old forms included, onto ``国家, 省级, 地级, 县级, 乡级``.

    >>> [normalize_admin_level(v) for v in ("省", "地级市", "区", "县级市", "县级")]
    ['省级', '地级', '县级', '县级', '县级']

    Raises
    ------
    ValueError
        When the value is none of the known forms.
    """
    level = _LEVEL_FORMS.get(value.strip())
    if level is None:
        raise ValueError(f"unknown admin_level {value!r}; allowed: {', '.join(ADMIN_LEVELS)} "
                         f"(or the older forms {', '.join(sorted(set(_LEVEL_FORMS) - set(ADMIN_LEVELS)))})")
    return level


def _pick(candidates: tuple[Division, ...] | list[Division], year: int | None, context: str = "") -> Division | None:
    """One unit from the units sharing a name, or None when the name stays ambiguous.

    ``context`` (the lines around a title) settles a shared name when it names the
    prefecture or province of exactly one of the units.
    """
    if year is not None:
        candidates = [d for d in candidates if d.valid_in(year)]
    else:  # no year: only units that still exist, and only if they are of one level
        current = [d for d in candidates if d.valid_until is None]
        if len({d.level for d in candidates}) > 1:
            current = current if len({d.level for d in current}) == 1 and len(current) == len(candidates) else []
        candidates = current
    codes = {(d.code, d.name, d.level) for d in candidates}
    if len(codes) > 1 and context:
        named = [d for d in candidates if (d.prefecture and d.prefecture != d.name and d.prefecture in context)
                 or (d.level != "省级" and d.province in context)]
        if len({(d.code, d.name, d.level) for d in named}) == 1:
            candidates, codes = named, {(d.code, d.name, d.level) for d in named}
    if len(codes) != 1:
        return None
    return max(candidates, key=lambda d: d.valid_from)  # one unit: its latest parents


def lookup_region(name: str, *, year: int | None = None) -> Division | None:
    """The unit an official name (``泗洪县``, ``宿迁市宿豫区``, ``江苏省``) denotes, or None.

    With a ``year`` only units that existed then count; without one only units
    that exist today. A name shared by several units (``朝阳区``) gives None.

    >>> lookup_region("宿豫区").full_name, lookup_region("宿豫区").code
    ('宿迁市宿豫区', '321311')
    >>> lookup_region("巢湖市", year=2005).level, lookup_region("巢湖市", year=2015).full_name
    ('地级', '合肥市巢湖市')
    >>> lookup_region("朝阳区") is None
    True
    """
    if not isinstance(name, str):
        raise ValueError(f"name must be a str, not {type(name).__name__}")
    if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
        raise ValueError(f"year must be an int or None, not {year!r}")
    by_name, by_short = _index()
    return _pick(by_name.get(name.strip(), ()) or by_short.get(name.strip(), ()), year)


@dataclass(frozen=True)
class PlaceMatch:
    """A division name found in a line: where, and the units it may denote."""

    start: int
    end: int
    text: str
    candidates: tuple[Division, ...]


def find_place_names(line: str, *, short_forms: bool = False) -> list[PlaceMatch]:
    """The official division names in a line, longest match first at each position.

    ``short_forms=True`` also matches province short forms (``浙江``), which is
    only safe in title-like lines.

    >>> [m.text for m in find_place_names("在江苏省宿迁市泗洪县第十七届人民代表大会上")]
    ['江苏省', '宿迁市泗洪县']
    """
    by_name, by_short = _index()
    out = []
    for start, end, text in _scan_names(line, short_forms):
        if text in by_name and not _inside_word(line, start, end, text):
            out.append(PlaceMatch(start, end, text, by_name[text]))
        elif short_forms and text in by_short and not _inside_word(line, start, end, text):
            out.append(PlaceMatch(start, end, text, by_short[text]))
    return out


# Generic names of real districts (城区, 郊区, 矿区, 东区…) are also common words: they count
# only with their prefecture written before them (宿迁市…, 阳泉市城区).
_GENERIC = {"城区", "郊区", "矿区", "东区", "西区", "南区", "北区", "新区", "市中区", "中区", "老城区", "新城区", "河东区", "河西区"}


def _inside_word(line: str, start: int, end: int, text: str) -> bool:
    if text in _GENERIC:
        return True
    nxt = line[end:end + 2]
    # 江苏省委, 浙江省政府 are fine; 北京市场 (市 of 市场), 江西省份 are not names of places.
    return nxt[:1] in {"场", "民", "长", "份", "直", "属", "级", "域"} and not nxt.startswith(("民政", "长江"))


def resolve_chain(matches: list[PlaceMatch], *, year: int | None = None, context: str = "") -> Division | None:
    """The most specific unit named by consecutive names (``江苏省`` ``宿迁市`` ``泗洪县``).

    Each name narrows the next: a county is taken only inside the province or
    prefecture written before it.

    >>> resolve_chain(find_place_names("江苏省宿迁市泗洪县")).full_name
    '宿迁市泗洪县'
    """
    chosen: Division | None = None
    for m in matches:
        candidates = list(m.candidates)
        if chosen is not None:
            inside = [d for d in candidates if chosen.full_name in (d.province, d.prefecture) or d.code == chosen.code]
            candidates = inside or candidates
        picked = _pick(candidates, year, context)
        if picked is None:
            if chosen is None:
                return None
            break
        if chosen is not None and picked.code != chosen.code and chosen.full_name not in (picked.province, picked.prefecture):
            break  # a second, unrelated place: the first one issued the document
        chosen = picked
    return chosen


def first_chain(line: str, *, year: int | None = None, short_forms: bool = False,
                context: str = "") -> tuple[Division | None, list[PlaceMatch]]:
    """The unit named by the first run of adjacent division names in a line, and that run.

    >>> division, run = first_chain("2021年江苏省宿迁市泗洪县政府工作报告")
    >>> division.full_name, [m.text for m in run]
    ('宿迁市泗洪县', ['江苏省', '宿迁市泗洪县'])
    """
    matches = find_place_names(line, short_forms=short_forms)
    if not matches:
        return None, []
    chain = [matches[0]]
    for m in matches[1:]:
        if m.start - chain[-1].end > 0:
            break
        chain.append(m)
    return resolve_chain(chain, year=year, context=context), chain
