"""Document metadata: read from a ``manifest.csv`` or inferred from the text.

Manifest columns (all but ``doc_id`` optional): ``doc_id, title, region,
province, admin_level, date, year, doc_type, source, script``. Inferred values
are listed per document in the ``inferred`` column, so a user always knows
which facts came from the text rather than from a person.
"""
from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

from .clean import TERMINAL_PUNCT, detect_script, is_boilerplate
from .errors import CorpusError

FIELDS = ("doc_id", "title", "region", "province", "admin_level", "date", "year", "doc_type", "source", "script")
SCRIPTS = ("simplified", "traditional", "none")

PROVINCES = (
    "北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江", "安徽",
    "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆", "四川", "贵州",
    "云南", "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆", "香港", "澳门", "台湾",
)
# Document types recognised from cue words in the title or opening lines, first match wins.
DOC_TYPE_CUES = (
    ("政府工作报告", "政府工作报告"),
    ("规划和二〇三五年远景目标的建议", "规划建议"),
    ("规划的建议", "规划建议"),
    ("五年规划纲要", "规划纲要"),
    ("讲话", "讲话"),
    ("来源：", "新闻报道"),
    ("记者", "新闻报道"),
)

_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_DATE_PATTERNS = (
    re.compile(r"(?P<y>(?:19|20)\d\d)\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"),
    re.compile(r"(?P<y>(?:19|20)\d\d)[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})"),
    re.compile(r"(?P<y>[一二][〇零一二三四五六七八九]{3})年(?P<m>[一二三四五六七八九十]{1,2})月(?P<d>[一二三四五六七八九十]{1,3})日"),
)
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*年")
_PLACE = re.compile(r"([\u4e00-\u9fff]{2,4}?(?:省|市|县|区))")
_NOT_PLACE_PREFIX = ("全", "本", "我", "该", "各", "城", "地", "辖", "市", "县", "区", "园", "社", "小", "景", "新", "老")


def _cn_number(s: str) -> int:
    """Small Chinese numerals of dates: 二〇二〇 → 2020, 十二 → 12, 二十八 → 28."""
    if "十" not in s:
        return int("".join(str(_CN_DIGITS[c]) for c in s))
    tens, _, units = s.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)


def infer_date(text: str) -> str | None:
    """The first full date written near the top of the text, as ``YYYY-MM-DD``."""
    head = text[:1500]
    found = []
    for pattern in _DATE_PATTERNS:
        m = pattern.search(head)
        if m:
            y, mo, d = (_cn_number(v) if not v.isdigit() else int(v) for v in m.group("y", "m", "d"))
            if 1 <= mo <= 12 and 1 <= d <= 31:
                found.append((m.start(), f"{y:04d}-{mo:02d}-{d:02d}"))
    return min(found)[1] if found else None


def infer_year(text: str) -> int | None:
    """The year most often written as ``NNNN年`` (ties: the later year)."""
    counts = Counter(int(y) for y in _YEAR.findall(text))
    if not counts:
        return None
    return max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0]


def infer_title(lines: list[str]) -> str | None:
    """The first short line without sentence punctuation, within the first five non-boilerplate lines."""
    seen = 0
    for line in lines:
        line = line.strip()
        if not line or is_boilerplate(line):
            continue
        seen += 1
        if len(line) <= 40 and line[-1] not in TERMINAL_PUNCT + "，：:" and not re.fullmatch(r"[\d\s\-/:：年月日]+", line):
            return line
        if seen >= 5:
            break
    return None


def infer_region(text: str) -> str | None:
    """The most frequent place name ending in 省/市/县/区 (a heuristic; check it)."""
    counts = Counter(
        m for m in _PLACE.findall(text) if not m.startswith(_NOT_PLACE_PREFIX) and not m.endswith(("社区", "园区", "城区", "小区", "景区", "市区"))
    )
    return counts.most_common(1)[0][0] if counts else None


def infer_province(text: str, region: str | None) -> str | None:
    for name in PROVINCES:
        if region and region.startswith(name):
            return name
    counts = Counter({name: text.count(name) for name in PROVINCES})
    name, n = counts.most_common(1)[0]
    return name if n else None


def infer_admin_level(region: str | None) -> str | None:
    if not region:
        return None
    return {"省": "省", "市": "市", "县": "县", "区": "区"}.get(region[-1])


def infer_doc_type(text: str) -> str | None:
    head = text[:600]
    for cue, doc_type in DOC_TYPE_CUES:
        if cue in head:
            return doc_type
    return None


def infer_source(text: str) -> str | None:
    m = re.search(r"来源[:：]\s*([^\s|，,]{2,20})", text[:800])
    return m.group(1) if m else None


def infer_metadata(original: str, normalized: str) -> dict:
    """Metadata inferred from a document's text. ``normalized`` is the simplified, width-normalised original."""
    lines = normalized.split("\n")
    date = infer_date(normalized)
    region = infer_region(normalized)
    title_line = infer_title(lines)
    title = None
    if title_line is not None:  # report the title as written (traditional stays traditional)
        i = normalized.find(title_line)
        title = original[i:i + len(title_line)] if i >= 0 else title_line
    return {
        "title": title,
        "region": region,
        "province": infer_province(normalized, region),
        "admin_level": infer_admin_level(region),
        "date": date,
        "year": int(date[:4]) if date else infer_year(normalized),
        "doc_type": infer_doc_type(normalized),
        "source": infer_source(normalized),
        "script": detect_script(original),
    }


def read_manifest(path: str | Path) -> dict[str, dict]:
    """Read a ``manifest.csv``: ``{doc_id: {field: value}}`` with empty cells as None.

    Raises
    ------
    CorpusError
        When the file is not UTF-8 CSV, lacks a ``doc_id`` column, repeats a
        doc_id, or has a ``year`` that is not a whole number or a ``script``
        outside ``simplified``/``traditional``/``none``.
    """
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            columns = reader.fieldnames or []
            rows = list(reader)
    except (UnicodeDecodeError, csv.Error) as exc:
        raise CorpusError(path, f"malformed manifest: {exc}") from exc
    if "doc_id" not in columns:
        raise CorpusError(path, f"malformed manifest: no 'doc_id' column (columns: {', '.join(columns) or 'none'})")
    unknown = [c for c in columns if c not in FIELDS]
    if unknown:
        raise CorpusError(path, f"malformed manifest: unknown column(s) {', '.join(unknown)}; allowed: {', '.join(FIELDS)}")
    manifest: dict[str, dict] = {}
    for n, row in enumerate(rows, start=2):
        if None in row:
            raise CorpusError(path, f"malformed manifest: line {n} has more cells than the header")
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
        if record.get("script") is not None and record["script"] not in SCRIPTS:
            raise CorpusError(path, f"malformed manifest: line {n}: script must be one of {', '.join(SCRIPTS)}")
        manifest[doc_id] = record
    return manifest
