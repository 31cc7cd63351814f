"""Numbers as plans write them: Arabic, full-width (already folded by cleaning), Chinese, masked.

Atomic, pure functions; the cue tables live in ``data/target_cues.json``.
"""
from __future__ import annotations

import json
import logging
import math
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from .resources import data_path

log = logging.getLogger("workbench")

CN_DIGITS = "零〇一二两三四五六七八九十百千"
PERCENT_WORDS = "百分之"  # 百分之十二点五: 12.5%, written out


@lru_cache(maxsize=1)
def cues() -> dict:
    """The extractor's cue tables (units, magnitudes, comparator and kind cues)."""
    return json.loads(data_path("target_cues.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=4096)
def chinese_to_number(text: str) -> float:
    """Value of a Chinese numeral without magnitude suffix, via cn2an.

    >>> chinese_to_number("五百"), chinese_to_number("百"), chinese_to_number("两"), chinese_to_number("五十")
    (500.0, 100.0, 2.0, 50.0)
    """
    import cn2an

    if text[0] in "十百千":
        text = "一" + text
    return float(cn2an.cn2an(text.replace("〇", "零"), "normal"))


def arabic_to_number(text: str) -> float:
    """``1,200`` → 1200.0; ``6.5`` → 6.5; ``1 200`` → 1200.0; ``12。41`` (a converted decimal point) → 12.41.

    >>> arabic_to_number("1,200"), arabic_to_number("12。41"), arabic_to_number("1 200")
    (1200.0, 12.41, 1200.0)
    """
    return float(text.replace(",", "").replace(" ", "").replace("。", "."))


@dataclass(frozen=True)
class Quantity:
    """A number with its unit as written. ``value`` is None for a masked number."""

    start: int  # offset of the number's first character
    end: int  # offset after the unit (and 级/余/多)
    number_text: str
    value: float | None
    unit: str  # magnitude prefix + base unit, as written
    magnitude: float
    approx_more: bool  # 余 / 多 between number and unit
    level: bool  # followed by 级 (百亿级)
    masked: bool
    range_end: str = ""  # "low" or "high" for an end of a range (5%—5.5%), else ""
    range_start: int = -1  # offset of the range's first number (of this number when not in a range)

    @property
    def value_base(self) -> float | None:
        if self.value is None:
            return None
        return self.value * self.magnitude


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def quantity_pattern() -> re.Pattern:
    """One regular expression for a number followed by its unit."""
    table = cues()
    guards = table.get("unit_not_followed_by", {})
    units = "|".join(re.escape(u) + (f"(?![{re.escape(guards[u])}])" if u in guards else "")
                     for u in sorted(table["units"], key=len, reverse=True))
    # A decimal point may be written 。 between digits (converted text: 12。41亿元); digits may be
    # grouped by commas or single spaces (1 200); one space may stand before the magnitude and the unit.
    # The look-ahead at the start (every character a number can start with) lets the scan skip
    # the other characters quickly; it does not change what matches.
    return re.compile(
        rf"(?={cues()['patterns']['number_start']})"
        r"(?P<num>(?<![\dA-Za-z.。])\d+(?:,\d{3})*(?: \d{3}(?![\d.。]))*(?:[.。]\d+)?(?![\d.。]\d)"
        r"|(?<![A-Za-z])(?:X+|x+)(?![A-Za-z])"
        rf"|百分之[{CN_DIGITS}]+(?:[点點][〇零一二两三四五六七八九]+)?(?![{CN_DIGITS}万亿])"  # 百分之十二点五: 12.5%
        rf"|[{CN_DIGITS}]+[点點][〇零一二两三四五六七八九]+"  # a decimal in Chinese numerals: 四点二倍, 三点五万亿元
        rf"|[{CN_DIGITS}]*[百千万亿][{CN_DIGITS}万亿]*"
        r"|(?<=翻)[一两二三四五六七八九十]"
        r"|[一两二三四五六七八九十]+(?=倍))"
        r"(?P<sp>\s?)"
        r"(?P<more1>余|多)?"
        r"(?P<mag>万亿|亿|万|千|百)?"
        r"(?P<more2>余|多)?"
        rf"(?:\s?(?P<unit>{units}))?"
        r"(?P<level>级)?"
    )


@lru_cache(maxsize=1)
def _range_separator() -> tuple[re.Pattern, re.Pattern]:
    table = cues()["patterns"]
    return re.compile(table["range_separator"]), re.compile(table["range_not_after"])


@lru_cache(maxsize=1)
def _figure_filter() -> re.Pattern:
    return re.compile(cues()["patterns"]["figure_filter"])


def may_hold_quantity(text: str) -> bool:
    """False when ``text`` surely holds no number :func:`find_quantities` reads: no digit, no
    masked ``X``, no 百千万亿, no numeral after 翻 or before 倍 (pattern ``figure_filter``).
    One fast scan, so that text without figures is passed over before any other work.

    >>> may_hold_quantity("坚持以人民为中心，统一思想"), may_hold_quantity("翻一番"), may_hold_quantity("达到XX亿元")
    (False, True, True)
    """
    return _figure_filter().search(text) is not None


def next_figure(text: str, start: int = 0) -> int:
    """Where the next match of ``figure_filter`` at or after ``start`` begins, else -1: no
    number :func:`find_quantities` reads begins before it (one scan serves every sentence
    of a paragraph up to there).

    >>> text = "统一思想。增长6.5%。"
    >>> next_figure(text), next_figure(text, 10)
    (7, -1)
    """
    found = _figure_filter().search(text, start)
    return found.start() if found else -1


def _too_long(num: str) -> bool:
    """A numeral run longer than any real figure (more digits than ``max_digits`` in the cue tables)."""
    limit = cues()["max_digits"]
    return len(num) > limit and sum(ch.isdigit() or ch in CN_DIGITS for ch in num) > limit


def find_quantities(text: str) -> list[Quantity]:
    """Every number-with-unit in ``text`` (no filtering of dates or names: see :mod:`workbench.targets`).

    A range (``5%—5.5%``, ``增长4.5-5%``) gives both ends, marked ``range_end`` ``"low"`` and
    ``"high"``; the lower end takes the upper end's unit when it has none of its own. A numeral
    run longer than any real figure is skipped with a warning on the ``workbench`` logger.

    >>> [(q.value, q.unit) for q in find_quantities("高新技术企业突破3000家，增长6.5%，百亿级项目1个")]
    [(3000.0, '家'), (6.5, '%'), (100.0, '亿'), (1.0, '个')]
    >>> [(q.value, q.unit, q.range_end) for q in find_quantities("增长4.5-5%")]
    [(4.5, '%', 'low'), (5.0, '%', 'high')]
    """
    magnitudes, limit = cues()["magnitudes"], cues()["max_digits"]
    separator, not_after = _range_separator()
    out: list[Quantity] = []
    previous = None  # the last number read: (match, value, masked, emitted)
    figure = _figure_filter().search(text)
    if figure is None:
        return out
    # No number starts before the first figure, but for a Chinese numeral that runs up to it
    # (三百万 up to 百, 两倍 up to 两): the scan starts there, skipping the text before in C.
    first = figure.start()
    while first and (text[first - 1] in CN_DIGITS or text[first - 1] in "点點"):  # (四点二倍: from 四)
        first -= 1
    for m in quantity_pattern().finditer(text, first):
        num, more1, mag, more2, unit, level = m.group("num", "more1", "mag", "more2", "unit", "level")
        masked = num[0] in "Xx"
        if not masked and len(num) > limit and _too_long(num):
            log.warning("a numeral run of %d characters is longer than any figure: not a record (%s…)", len(num),
                        num[:20])
            previous = None
            continue
        chinese = not masked and not num[0].isdigit()
        if not (mag or unit or chinese):
            # an Arabic or masked number without a unit (a year, a count): no record, only the
            # lower end of a range that may follow (a Chinese numeral can hold its own magnitude)
            value = None if masked else arabic_to_number(num)
            if value is not None and not math.isfinite(value):
                log.warning("a number too large for any figure: not a record (%s…)", num[:20])
                previous = None
            else:
                previous = (m, value, masked, False)
            continue
        mag, unit = mag or "", unit or ""
        if chinese and num.startswith(PERCENT_WORDS):  # 百分之十二点五: the numeral after it, in per cent
            if mag or unit:
                previous = None
                continue  # 百分之五十万, 百分之三十亿元: not a percentage
            num_value, unit = num[len(PERCENT_WORDS):], "%"
            try:
                value = chinese_to_number(num_value)
            except (ValueError, KeyError, IndexError, TypeError, OverflowError):
                previous = None
                continue
        elif chinese:
            # 百亿 → 100 × 亿; 万亩 → 1 × 万亩; 五百亿 → 500 × 亿; 千亩 → 1000 亩
            core = num
            for big in ("万亿", "亿", "万"):
                if core.endswith(big) and not mag:
                    core, mag = core[: -len(big)], big
                    break
            if "万" in core or "亿" in core:
                continue  # mixed forms such as 一万二千亿: rare, left alone
            try:
                value = chinese_to_number(core) if core else 1.0
            except (ValueError, KeyError, IndexError, TypeError, OverflowError):
                previous = None
                continue
        else:
            value = None if masked else arabic_to_number(num)
        magnitude = magnitudes.get(mag, 1.0)
        if value is not None and not math.isfinite(value * magnitude):
            log.warning("a number too large for any figure: not a record (%s…)", num[:20])
            previous = None
            continue
        start = m.start()  # the number's (the pattern's look-ahead takes no character)
        # a separator (``range_separator``) is one to five characters long, white space and a line break included
        in_range = (previous is not None and 0 < start - previous[0].end() < 6
                    and separator.match(text, previous[0].end(), start) is not None
                    and not not_after.search(text, max(0, previous[0].start() - 2), previous[0].start())
                    and (mag or unit))
        if in_range:
            low_match, low_value, low_masked, emitted = previous
            if emitted:
                out[-1] = replace(out[-1], range_end="low")
            else:
                low = low_match.start()
                out.append(Quantity(low, low_match.end("num"), low_match.group("num"), low_value, mag + unit,
                                    magnitude, False, False, low_masked, "low", low))
        previous = (m, value, masked, bool(mag or unit))
        if not (mag or unit):
            continue
        out.append(Quantity(start, m.end(), num, value, mag + unit, magnitude, bool(more1 or more2), bool(level),
                            masked, "high" if in_range else "", out[-1].range_start if in_range else start))
    return out
