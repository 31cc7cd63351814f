"""Quantitative targets: every number a plan sets (target) or reports (achieved).

The extractor reads a sentence in five steps, each a small function driven by
the cue tables in ``data/target_cues.json``:

1. **number → unit** (:func:`workbench.numbers.find_quantities`), dropping dates,
   ordinals, rankings, session numbers, names and enumerations (:func:`is_record`);
2. **comparator** from the words right around the number (:func:`comparator_of`);
3. **indicator** from the clause's structure: the phrase before the number, or
   after it when the clause starts with the number (:func:`indicator_of`); its
   ``indicator_id`` and canonical ``indicator_name`` from the head the number
   measures, looked up in the indicator catalogue ``data/indicator_catalogue.csv``
   and the keyword lexicon ``data/indicators.csv`` (:func:`lookup_indicator`),
   and its ``measure`` (growth, rate, points, level: :func:`measure_of`);
4. **kind** (target / achieved): a strong cue before the number in its sentence
   (力争, 到2025年, 累计, 过去五年…), the opening of its paragraph or a sentence without
   figures that starts by naming its time (过去一年，…。), then the **section** it stands in
   (:func:`section_frames`: a report's review → achieved, its plan and a next five-year plan
   → target; in a review only a promise makes a target), then headings, weak cues, the
   document's default;
5. **year**: the nearest year cue before the number in its sentence (:func:`year_cues`:
   2025年, 十四五 → 2025, 过去五年, 今年 → the document's year, 全年 → the section's year),
   else the section's year (the reviewed year, the report's year, the next plan's last
   year), else the paragraph's, the headings', the document's. A period named in one
   section never dates another; a deadline in the past makes a result, a result in the
   future a target. The report's own year and the year it reviews come from the corpus
   (a 政府工作报告 reviews the year before), checked against its review headings
   (:func:`report_years`).

A paragraph or sentence without a digit, a masked ``X``, 百千万亿 or a numeral
after 翻 / before 倍 (pattern ``figure_filter``) is passed over before any other
work; a paragraph's opening is read at its first figure, its sentences after its last
figure not at all. Each sentence with a figure is scanned once for its cues; each number
then reads only a bounded window around it, so extraction time grows linearly with the
text. A document's default kind and planning horizon are read from its whole text only
when a figure needs them. A record's quote is copied from the original, found in the whole
lines of the original around its paragraph (``orig_start``/``orig_end``): only those lines are
converted to simplified script and aligned, the whole original only for a quote not found there
(:class:`_Original`).
Records have exactly the fields of the target schema plus their position.
"""
from __future__ import annotations

import csv
import io
import logging
import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache, partial
from operator import itemgetter
from pathlib import Path

import pandas as pd

from . import datafiles, fingerprints, steps
from .align import Aligner, LineAligner, normalized_and_comparable, normalized_original, without_white_space
from .clean import NUMBERING, TERMINAL_PUNCT, first_characters
from .numbers import PERCENT_WORDS, Quantity, chinese_to_number, cues, find_quantities, next_figure

log = logging.getLogger("workbench")

# The schema's fields in its order, then the canonical indicator name (a further column SCHEMA allows).
SCHEMA_FIELDS = ("doc_id", "quote", "indicator", "indicator_id", "value", "unit", "value_base", "comparator",
                 "year", "kind", "masked", "measure", "indicator_name")
POSITION_FIELDS = ("paragraph", "sentence", "start", "end", "sentence_start", "sentence_text")
KINDS = ("target", "achieved")
# Year cues that date a figure to a year of their own: before the document's year, a target's
# deadline would lie in the past, so the figure is a result (see :func:`year_cues`).
PAST_SOURCES = ("explicit", "period", "past", "current")
MEASURES = ("growth", "rate", "points", "level")
DIRECTIONS = ("floor", "ceiling", "none")
CATALOGUE_FIELDS = ("indicator_key", "indicator_name", "indicator_id", "measure", "direction", "synonyms")


@lru_cache(maxsize=None)
def _pattern(name: str) -> re.Pattern:
    """The compiled regular expression ``name`` of the cue tables' ``patterns``."""
    return re.compile(cues()["patterns"][name])


@lru_cache(maxsize=None)
def _remover(name: str):
    """``_pattern(name).sub("", text)`` as a function of ``text`` that first makes a quick test
    the pattern's shape allows, and returns the text itself when the test says nothing matches:
    ``(a|b|c)+$`` of plain words needs a text ending with one of them (or a line break, which
    ``$`` may stand before); ``^.*(X)`` needs a match of ``X``; otherwise a text holding one of
    the characters a match can start with (:func:`~workbench.clean.first_characters`, read
    from the parse tree: ``[ab]…`` needs an ``a`` or ``b``, ``[ab]?c…`` an ``a``, ``b`` or ``c``)."""
    pattern = _pattern(name)
    source = pattern.pattern
    plain = r"[^()\\[\]{}.*+?^$|]+"
    ends = re.fullmatch(rf"\(({plain}(?:\|{plain})*)\)\+?\$", source)
    if ends:
        words = (*ends.group(1).split("|"), "\n")
        return lambda text: pattern.sub("", text) if text.endswith(words) else text
    if source.startswith("^.*("):
        quick = re.compile(source[3:])
        return lambda text: pattern.sub("", text) if quick.search(text) else text
    opening = first_characters(pattern)
    if opening:
        quick = re.compile(opening)
        return lambda text: pattern.sub("", text) if quick.search(text) else text
    return partial(pattern.sub, "")


def _remove(name: str, text: str) -> str:
    """``text`` without the matches of the pattern ``name`` (see :func:`_remover`).

    >>> _remove("trailing_verbs", "城镇化率达到"), _remove("gloss", "快递业务量（kuaidi）"), _remove("last_cue", "今年力争GDP")
    ('城镇化率', '快递业务量', 'GDP')
    """
    return _remover(name)(text)


@lru_cache(maxsize=None)
def _window(name: str) -> int:
    return int(cues()["windows"][name])


# --- indicators: catalogue and lexicon ----------------------------------------------------


@dataclass(frozen=True)
class Indicator:
    """One entry of the indicator lexicon: a keyword and what it names."""

    keyword: str
    indicator_id: str
    indicator_name: str = ""  # the canonical name (catalogue rows); empty for a plain keyword
    measure: str = ""  # the usual measure of a catalogue indicator
    direction: str = ""


def parse_indicator_file(text: str, source: str = "indicator file") -> tuple[Indicator, ...]:
    """The entries of an indicator file's text: a catalogue (``indicator_key, indicator_name,
    indicator_id, measure, direction, synonyms``, synonyms separated by ``|``) or a plain
    lexicon (``keyword, indicator_id``). A bad file raises ValueError naming ``source``.

    >>> parse_indicator_file("keyword,indicator_id\\n快递业务量,services\\n")
    (Indicator(keyword='快递业务量', indicator_id='services', indicator_name='', measure='', direction=''),)
    """
    reader = csv.DictReader(io.StringIO(text))
    fields = set(reader.fieldnames or ())
    if {"indicator_id", "synonyms"} <= fields:
        entries = []
        for n, row in enumerate(reader, 2):
            measure, direction = (row.get("measure") or "").strip(), (row.get("direction") or "").strip()
            if measure and measure not in MEASURES:
                raise ValueError(f"{source}:{n}: measure must be one of {', '.join(MEASURES)}, not {measure!r}")
            if direction and direction not in DIRECTIONS:
                raise ValueError(f"{source}:{n}: direction must be one of {', '.join(DIRECTIONS)}, not {direction!r}")
            name = (row.get("indicator_name") or "").strip()
            for word in (row["synonyms"] or "").split("|"):
                if word.strip():
                    entries.append(Indicator(word.strip(), row["indicator_id"].strip(), name, measure, direction))
        return tuple(entries)
    if {"keyword", "indicator_id"} <= fields:
        return tuple(Indicator(r["keyword"].strip(), r["indicator_id"].strip())
                     for r in reader if (r["keyword"] or "").strip())
    raise ValueError(f"{source}: an indicator file needs the columns keyword,indicator_id "
                     f"or {','.join(CATALOGUE_FIELDS)}")


def read_indicator_catalogue(path: str | Path) -> tuple[Indicator, ...]:
    """The entries of one indicator file (see :func:`parse_indicator_file`).

    >>> from workbench.resources import data_path
    >>> cpi = [e for e in read_indicator_catalogue(data_path("indicator_catalogue.csv")) if e.keyword == "CPI"]
    >>> (cpi[0].indicator_id, cpi[0].indicator_name, cpi[0].measure, cpi[0].direction)
    ('prices', '居民消费价格（CPI）', 'growth', 'ceiling')
    """
    return parse_indicator_file(Path(path).read_text(encoding="utf-8"), str(path))


def _user_lexicon(text: str) -> tuple[Indicator, ...]:
    """A user's indicator file (catalogue columns, or the older ``keyword,indicator_id``)."""
    return tuple(parse_indicator_file(text, "the indicator lexicon"))


@lru_cache(maxsize=1)
def _shipped_entries() -> tuple[Indicator, ...]:
    from .resources import data_path

    return tuple(e for name in ("indicators.csv", "indicator_catalogue.csv")
                 for e in read_indicator_catalogue(data_path(name)))


def _lexicon_data(path: str | Path | datafiles.DataFile | None) -> datafiles.DataFile | None:
    """The user's lexicon as read now (by content: an edit is seen at once), or None."""
    if path is None or isinstance(path, datafiles.DataFile):
        return path
    return datafiles.read(path, what="indicator lexicon")


def load_indicator_lexicon(path: str | Path | datafiles.DataFile | None = None) -> tuple[Indicator, ...]:
    """Every indicator keyword, longest first: the shipped catalogue ``indicator_catalogue.csv``,
    the shipped keyword list ``indicators.csv``, then ``path`` (either format); among keywords
    of equal length a user's row wins, then a catalogue row."""
    return _sorted_lexicon(_lexicon_data(path))


@lru_cache(maxsize=8)
def _sorted_lexicon(data: datafiles.DataFile | None) -> tuple[Indicator, ...]:
    rows = [*_shipped_entries(), *(datafiles.parsed(data, _user_lexicon) if data is not None else ())]
    return tuple(sorted(reversed(rows), key=lambda e: -len(e.keyword)))


@lru_cache(maxsize=8)
def _index(data: datafiles.DataFile | None) -> tuple[re.Pattern, dict[str, Indicator]]:
    """One pattern of every keyword, matching at each position the longest keyword there, and
    the entry each keyword stands for."""
    entries: dict[str, Indicator] = {}
    for e in _sorted_lexicon(data):
        entries.setdefault(e.keyword, e)
    return re.compile(keyword_trie(entries)), entries


def keyword_trie(words) -> str:
    """A regular expression matching the same as the alternation of ``words`` longest first (at
    each position the longest word that starts there), written as a trie of their characters:
    the words sharing a beginning share its test, so a position is passed over after one test
    per character instead of one per word, and the scan skips characters no word starts with.

    >>> keyword_trie(["增长率", "增长", "增速"])
    '增(?:长率?|速)'
    >>> [m.group() for m in re.finditer(keyword_trie(["增长率", "增长", "增速"]), "增长率和增速、增加")]
    ['增长率', '增速']
    """
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here

    def branch(node: dict) -> str:
        alternatives = [re.escape(ch) + branch(child) for ch, child in node.items() if ch]
        if not alternatives:
            return ""
        if len(alternatives) == 1:
            body = alternatives[0]
            grouped = body if len(body) == 1 else f"(?:{body})"
        else:
            body = grouped = f"(?:{'|'.join(alternatives)})"
        return grouped + "?" if "" in node else body

    return branch(trie) if trie else "(?!)"


def _lexicon_index(path) -> tuple[re.Pattern, dict[str, Indicator]]:
    return _index(_lexicon_data(path))


def lookup_indicator(text: str, *, lexicon_path: str | Path | datafiles.DataFile | None = None) -> Indicator | None:
    """The indicator ``text`` names: the head the number measures, not any keyword inside it.

    Keywords are found longest first. In a ratio (``A占B比重``, ``A相当于B的比例``) the head
    is ``A`` unless a keyword spans the whole ratio (研发经费支出相当于生产总值的比例);
    otherwise the longest keyword wins, and among equals the first (the subject: 农房项目入选…).
    A gloss in parentheses with Latin letters (pinyin, English) is ignored.

    >>> lookup_indicator("研发经费支出相当于生产总值的比例").indicator_name
    '研发经费投入强度'
    >>> lookup_indicator("单位GDP二氧化碳排放下降").indicator_id
    'environment'
    >>> lookup_indicator("高标准农田占比").indicator_id
    'agriculture'
    """
    best = _best_match(_remove("gloss", text or ""), lexicon_path)
    return _lexicon_index(lexicon_path)[1][best[2]] if best else None


def _best_match(text: str, lexicon_path) -> tuple[int, int, str] | None:
    """``(start, end, keyword)`` of the keyword :func:`lookup_indicator` picks in ``text``."""
    if not text:
        return None
    found = [(m.start(), m.end(), m.group()) for m in _lexicon_index(lexicon_path)[0].finditer(text)]
    if len(found) < 2:
        return found[0] if found else None  # the one keyword wins whatever the ratio
    split = _pattern("ratio_split").search(text)
    if split:
        spanning = [f for f in found if f[0] < split.start() < f[1]]
        before = [f for f in found if f[1] <= split.start()]
        found = spanning or before or found
    return max(found, key=lambda f: (f[1] - f[0], -f[0]))


def classify_indicator(*texts: str, lexicon_path: str | Path | datafiles.DataFile | None = None) -> str:
    """The ``indicator_id`` of the first text naming an indicator (see :func:`lookup_indicator`), else ``other``.

    >>> classify_indicator("高新技术产业产值占规上工业总产值比重")
    'innovation'
    >>> classify_indicator("居民消费价格涨幅"), classify_indicator("城镇登记失业率"), classify_indicator("财政总收入")
    ('prices', 'employment', 'fiscal_revenue')
    """
    return match_indicator(*texts, lexicon_path=lexicon_path) or "other"


def match_indicator(*texts: str, lexicon_path: str | Path | datafiles.DataFile | None = None) -> str | None:
    """Like :func:`classify_indicator`, but None when no keyword matches."""
    for text in texts:
        found = lookup_indicator(text, lexicon_path=lexicon_path)
        if found:
            return found.indicator_id
    return None


# --- step 1: is this number a record? ---------------------------------------------------


@lru_cache(maxsize=1)
def _not_record_contexts() -> tuple[tuple[re.Pattern | None, re.Pattern | None], ...]:
    """The ``(before, after)`` rules, compiled; None for an empty pattern (it matches anything)."""
    return tuple(tuple(re.compile(r[side]) if r[side] else None for side in ("before", "after"))
                 for r in cues()["not_record_contexts"])


@lru_cache(maxsize=1)
def _record_words() -> dict[str, tuple[str, ...]]:
    """The word lists of :func:`is_record` as tuples (``str.startswith`` and ``str.endswith`` take them)."""
    table = cues()
    return {"not_before": tuple(table["not_before"]), "not_after": tuple(table["not_after"]),
            "followers": tuple(table["not_a_record_followers"]), "session": tuple(table["session"]),
            "masked_not_before": (*table["not_a_record_followers"], *table["session"]),
            "comparator_before": tuple(table["comparator_before"]), "area_units": tuple(table["area_units"]),
            "level_magnitudes": tuple(table["level_magnitudes"])}


def is_record(q: Quantity, text: str) -> bool:
    """False for dates, ordinals, rankings, streaks, session numbers, names in quotes, enumerations,
    slogans, list names and counts of indicators (the contexts of ``not_record_contexts``)."""
    table, words = cues(), _record_words()
    before, after = text[max(0, q.start - 3):q.start], text[q.end:q.end + 4]
    number_end = q.start + len(q.number_text)
    if before.endswith(words["not_before"]):
        return False
    if after.startswith(words["not_after"]) or text[number_end:number_end + 1] in words["followers"]:
        return False
    if q.masked and text.startswith(words["masked_not_before"], number_end):
        return False
    if q.unit == "次" and text[q.end - 1:].startswith(words["session"]):
        return False
    if q.unit.endswith("个") and _pattern("duration_after").match(after):
        return False  # durations: 5个多月
    if before.endswith("“") and _pattern("quote_close").match(text[number_end:number_end + 1] or " "):
        return False  # names in quotes: “521”工程
    if text[q.end:q.end + 1] == "”":
        opening = text.rfind("“", max(0, q.start - _window("head")), q.start)
        inside = text[opening + 1:q.start] if opening >= 0 else ""
        if len(_pattern("cjk").findall(inside)) >= 2 and not inside.endswith(words["comparator_before"]):
            return False  # the number ends a quoted name: “乡村文明20条”
    wide_before = text[max(0, q.start - 12):q.start]
    wide_after = text[q.end:q.end + 24]
    for before_rule, after_rule in _not_record_contexts():
        if ((before_rule is None or before_rule.search(wide_before))
                and (after_rule is None or after_rule.search(wide_after))):
            return False  # 18项25个指标, 6项指标增幅居全省前列, 三个“十亿元”台阶, 100户大企业大集团
    bare = (not q.masked and not q.number_text[0].isdigit()  # a digit is a numeral
            and not _pattern("numeral").search(q.number_text.rstrip("万亿")))
    if bare and q.magnitude < 1e12 and not q.unit.endswith(words["area_units"]):
        if not _pattern("bare_magnitude_before").search(text, max(0, q.start - 4), q.start):
            return False  # 亿元以上项目, 万众瞩目: a magnitude word without a numeral (not 突破亿元大关)
    if not q.masked and not q.number_text[0].isdigit():  # Chinese numerals
        window = text[max(0, q.start - 2):q.end + 2]
        if any(idiom in window for idiom in table["idioms"]):
            return False
        small = (q.value or 0) < 100 and q.magnitude == 1.0 and not q.number_text.startswith(PERCENT_WORDS)
        if small and q.unit not in table["measure_units"]["growth"] and not q.level:
            return False  # 三项机制, 两个维护: enumeration, not measurement
        follower = text[q.end:q.end + 1]
        round_word = all(ch in table["round_numerals"] for ch in q.number_text)
        named = q.unit in table["magnitudes"] or (round_word and q.unit.endswith(words["area_units"]))
        if (named and not q.level and follower and _pattern("cjk").match(follower)
                and follower not in table["magnitude_followers"] and not _pattern("numeral").match(follower)):
            return False  # a slogan or a name: 十万绿树进城区, 千亩小微盆景基地
    if q.level and q.magnitude < 1e8 and not q.unit.startswith(words["level_magnitudes"]):
        return False  # grades: 4A级, 三级医院
    return True


# --- step 2: comparator ----------------------------------------------------------------


def comparator_of(q: Quantity, clause: str, offset: int, sentence_before: str) -> str:
    """``>=``, ``<=``, ``~`` or ``=`` from the words right after and right before the number.

    ``clause`` is the clause holding the number, ``offset`` the number's position in it;
    ``预计`` earlier in the sentence (``sentence_before``) makes a figure without its own
    bound approximate. The ends of a range are ``>=`` (lower) and ``<=`` (upper).
    """
    approximate = any(w in sentence_before for w in cues()["approximate_sentence"])
    return _comparator(q, clause, offset, approximate)


@lru_cache(maxsize=1)
def _comparator_words() -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    """``(word, comparator)`` of the words after a number (not 余/多: the number pattern reads
    those), and the words before one, longest first."""
    table = cues()
    return (tuple((w, c) for w, c in table["comparator_after"].items() if w not in table["more_words"]),
            tuple(sorted(table["comparator_before"], key=len, reverse=True)))


@lru_cache(maxsize=1)
def _comparator_before_reach() -> tuple[re.Pattern, int]:
    """One pattern of the words before a number, and how far before the number one can start and
    still count (at most ``_BETWEEN_MAX`` characters between its end and the number)."""
    words = _comparator_words()[1]
    return re.compile("|".join(map(re.escape, words))), _BETWEEN_MAX + max(map(len, words))


_BETWEEN_MAX = 12  # characters between a comparator word and its number (see _comparator)


def _comparator(q: Quantity, clause: str, offset: int, approximate: bool) -> str:
    table = cues()
    if q.range_end:
        return ">=" if q.range_end == "low" else "<="
    if q.approx_more:
        return ">="
    end = offset + (q.end - q.start)
    after = clause[end:end + 4]
    after_words, before_words = _comparator_words()
    for word, comp in after_words:
        if after.startswith(word):
            return comp
    window_start = max(0, offset - _window("head"))
    before = clause[window_start:offset]
    not_after = table["comparator_before_not_after"]
    between_pattern = _pattern("between_comparator_and_number")
    any_word, reach = _comparator_before_reach()
    if any_word.search(before, max(0, len(before) - reach)) is None:
        before_words = ()  # no word ends near enough to the number
    for word in before_words:
        i = before.rfind(word)
        if i < 0 or (i > 0 and before[i - 1] in not_after.get(word, "")):
            continue
        between = before[i + len(word):]
        if len(between) <= _BETWEEN_MAX and between_pattern.fullmatch(between):
            if word == table["ceiling_word"] and not any(w in after for w in table["ceiling_after"]):
                return "<="
            return table["comparator_before"][word]
    if approximate or _pattern("approximate_after").match(clause, end):
        return "~"  # 预计全年…; 7400亿元（预计，下同）
    return "="


# --- step 3: indicator and measure ------------------------------------------------------


def indicator_of(clause: str, offset: int, q_len: int, *, level: bool = False) -> str:
    """The phrase the number measures: the clause before the number (from the previous list
    item on), trimmed of cue words and verbs; the words after the number when nothing is
    left, when the words before end a list of examples (…等), or for a size level (百亿级产业).
    Only a bounded window around the number is read."""
    return _indicator(clause, offset, q_len, _item_head(clause, offset), level)


def _indicator(clause: str, offset: int, q_len: int, item: str, level: bool) -> str:
    """:func:`indicator_of`, given the number's list item (:func:`_item_head`)."""
    strip = cues()["patterns"]["strip_chars"]
    head = _remove("last_cue", item.strip())
    head = _pattern("leading_noise").sub("", head)
    head = _remove("trailing_verbs", head).strip(strip)
    head = _remove("gloss", head).strip(strip)
    tail = clause[offset + q_len:offset + q_len + _window("tail")]
    if tail.startswith(tuple(cues()["opening_brackets"])):
        tail = ""
    tail = _pattern("tail_split").split(_pattern("tail_bound_before").sub("", tail), maxsplit=1)[0].strip(strip)
    if (len(head) < 2 or head.endswith("等") or level) and len(tail) >= 2:
        return tail
    return head or tail


def _item_head(clause: str, offset: int) -> str:
    """The text before the number from the end of the previous list item (``A增长8%、B…``)."""
    head = clause[max(0, offset - _window("head")):offset]
    items = list(_pattern("list_item_end").finditer(head))
    return head[items[-1].end():] if items else head


def measure_of(q: Quantity, head: str, usual: str = "") -> str:
    """``growth``, ``rate``, ``points`` or ``level`` (SCHEMA v2) from the unit and the words before the number.

    ``head`` is the text of the list item before the number; ``usual`` the catalogue's usual
    measure of its indicator, used for a percentage the words leave open (居民消费价格3%).

    >>> from workbench.numbers import find_quantities
    >>> [measure_of(find_quantities(t)[-1], t[:find_quantities(t)[-1].start]) for t in
    ...  ("增长6.5%", "城镇化率提高到65%", "提高1个百分点", "翻一番", "新增就业1100万人")]
    ['growth', 'rate', 'points', 'growth', 'level']
    """
    units = cues()["measure_units"]
    unit = _nfkc(q.unit)
    if unit in units["points"]:
        return "points"
    if unit in units["growth"]:
        return "growth"
    if unit in units["rate"]:
        growth = _pattern("growth_before_number").search(head)
        if growth and not (usual == "rate" and _pattern("rate_words").match(head, growth.end(1))):
            return "growth"  # 增长6.5%; not 人口自然增长率7‰, a rate named after a change
        if usual == "growth" and not _pattern("rate_words").search(head):
            return "growth"
        return "rate"
    return "level"


# --- steps 4 and 5: kind and year ------------------------------------------------------


@lru_cache(maxsize=64)
def _cue_patterns(words: tuple[str, ...]) -> tuple[tuple[str, re.Pattern | None], ...]:
    """Each cue with its compiled pattern, or None for a cue that is a plain word (found with
    ``str.find``, faster than a regular expression and with the same matches)."""
    return tuple((w, None if re.escape(w) == w else re.compile(w)) for w in words)


def _cue_ends(text: str, word: str, pattern: re.Pattern | None):
    """``(end, matched text)`` of every match of one cue, left to right, not overlapping."""
    if pattern is not None:
        return [(m.end(), m.group()) for m in pattern.finditer(text)]
    at, n, found = text.find(word), len(word), []
    while at >= 0:
        found.append((at + n, word))
        at = text.find(word, at + n)
    return found


def _cue_count(text: str, words) -> int:
    """How many matches the cues have in ``text``, cue by cue (as ``str.count`` and ``findall``
    of each would count them), the plain words counted in one scan of the text: each match of
    the scan (:func:`keyword_trie`), and the occurrences of the words a match can hide that
    start inside it.

    >>> _cue_count("过去五年来，已经取得成效，今年以来", ["过去五年", "五年来", "已", "已经", "今年", "今年以来"])
    6
    """
    scan, hidden, by_count, patterns = _cue_counter(tuple(words))
    n = sum(map(text.count, by_count)) + sum(len(pattern.findall(text)) for pattern in patterns)
    if scan is None:
        return n
    for m in scan.finditer(text):
        n += 1
        inside = hidden[m.group()]
        if inside:
            a, b = m.span()
            for word in inside:  # its occurrences starting in this match (none overlaps another)
                at, end = text.find(word, a, b - 1 + len(word)), b - 1 + len(word)
                while at >= 0:
                    n += 1
                    at = text.find(word, at + 1, end)
    return n


@lru_cache(maxsize=16)
def _cue_counter(words: tuple[str, ...]) -> tuple[re.Pattern | None, dict, tuple[str, ...], tuple[re.Pattern, ...]]:
    """How :func:`_cue_count` counts ``words``: one scan of the plain words that cannot overlap
    themselves and for each the others a match of it can hide (see :func:`_plain_cue_scan`),
    the plain words counted by ``str.count`` (one overlapping itself), the regular expressions."""
    cue_patterns = _cue_patterns(words)
    plain = list(dict.fromkeys(w for w, pattern in cue_patterns if pattern is None))
    by_count = tuple(w for w in plain if any(w[k:] == w[:len(w) - k] for k in range(1, len(w))))
    plain = [w for w in plain if w not in by_count]
    hidden = {w: tuple(v for v in plain if v != w and (v in w or any(v.startswith(w[k:]) for k in range(1, len(w)))))
              for w in plain}
    return (re.compile(keyword_trie(plain)) if plain else None, hidden, by_count,
            tuple(pattern for _, pattern in cue_patterns if pattern is not None))


def _cue_hits(text: str, *lists, since: int | None = None) -> list[tuple[int, int]]:
    """``(end, list)`` of every match of every cue of the ``lists`` in ``text``, in order of
    their ends (cue by cue, so that cues which overlap are all found). With ``since``, a cue
    naming a year before it (到2002年 in a 2008 report) is no cue: a deadline in the past."""
    hits = []
    for i, words in enumerate(lists):
        for word, pattern in _cue_patterns(tuple(words)):
            if pattern is None and word not in text:
                continue
            hits += [(end, i) for end, cue in _cue_ends(text, word, pattern)
                     if since is None or not _names_year_before(cue, since)]
    hits.sort()
    return hits


@lru_cache(maxsize=1024)
def _names_year_before(cue: str, year: int) -> bool:
    named = _pattern("explicit_year").search(cue)
    return named is not None and int(named.group(1)) < year


def nearest_kind(text: str, upto: int, *, strong: bool = True, since: int | None = None) -> str | None:
    """The kind of the last cue before position ``upto``, among the strong (or the weak) cues.

    Modal cues of a target (力争, 确保, 到2025年…) win over a report cue (累计) in the same text;
    with ``since`` (the document's year) a cue naming an earlier year (到2002年) is none.

    >>> nearest_kind("过去五年，累计新增就业50万人", 14), nearest_kind("确保城镇累计新增就业人数超过35万", 15)
    ('achieved', 'target')
    """
    table = cues()
    target_words, achieved_words = ((table["strong_target_cues"], table["strong_achieved_cues"]) if strong
                                    else (table["target_cues"], table["achieved_cues"]))
    text = text[:upto]
    if strong and _cue_hits(text, table["modal_cues"], since=since):
        return "target"  # a modal verb governs its whole sentence: 确保城镇累计新增就业人数超过35万
    hits = [(end, KINDS[owner]) for end, owner in _cue_hits(text, target_words, achieved_words, since=since)]
    return max(hits)[1] if hits else None


@lru_cache(maxsize=1)
def _kind_cue_lists() -> tuple[tuple[frozenset, ...], tuple[str, ...], tuple[tuple[str, re.Pattern], ...]]:
    """The cue lists a sentence is scanned for (modal, review target, strong target and achieved,
    weak target and achieved) as sets, and their distinct cues: the plain words and the
    regular expressions."""
    table = cues()
    lists = tuple(frozenset(table[name]) for name in ("modal_cues", "review_target_cues", "strong_target_cues",
                                                      "strong_achieved_cues", "target_cues", "achieved_cues"))
    words = sorted(set().union(*lists))
    patterns = _cue_patterns(tuple(words))
    return (lists, tuple(w for w, p in patterns if p is None), tuple((w, p) for w, p in patterns if p is not None))


@lru_cache(maxsize=1)
def _plain_cue_scan() -> tuple[re.Pattern, dict[str, tuple[str, ...]]]:
    """One pattern of the plain-word cues (the longest at each position: :func:`keyword_trie`), and
    for each cue the others that a match of it can hide: those inside it and those starting
    inside it (a suffix of it begins them: 过去五年 hides 五年来 in 过去五年来)."""
    words = _kind_cue_lists()[1]
    hidden = {w: tuple(v for v in words if v != w and (v in w or any(v.startswith(w[k:]) for k in range(1, len(w)))))
              for w in words}
    return re.compile(keyword_trie(words)), hidden


def _plain_cues_in(sentence: str) -> list[str]:
    """The plain-word cues of :func:`_kind_cue_lists` that occur in ``sentence``, in their order
    there: those one scan finds, and those its matches hide (each then checked)."""
    pattern, hidden = _plain_cue_scan()
    seen = set(pattern.findall(sentence))
    if seen:
        seen.update([v for w in list(seen) for v in hidden[w] if v in sentence])
    return sorted(seen)


@lru_cache(maxsize=1)
def _any_pattern_cue() -> re.Pattern:
    """One pattern matching where any regular-expression cue of :func:`_kind_cue_lists` matches."""
    return re.compile("|".join(f"(?:{p.pattern})" for _, p in _kind_cue_lists()[2]) or "(?!)")


def _sentence_cues(sentence: str, since: int | None) -> list[tuple[str, list[tuple[int, str]]]]:
    """``(cue, its matches)`` of every cue of :func:`_kind_cue_lists` found in ``sentence`` (as
    :func:`_cue_hits` finds them), the sentence read once for each distinct cue."""
    _, _, patterns = _kind_cue_lists()
    found = [(w, _cue_ends(sentence, w, None)) for w in _plain_cues_in(sentence)]
    if _any_pattern_cue().search(sentence):
        found += [(w, ends) for w, p in patterns if (ends := _cue_ends(sentence, w, p))]
    if since is not None and found:
        found = [(w, [(end, cue) for end, cue in ends if not _names_year_before(cue, since)]) for w, ends in found]
    return found


_UNREAD = object()


class _SentenceCues:
    """Where a sentence's cues are, found once: each number then asks for the cues before it
    in logarithmic time (the same answers as :func:`nearest_kind` on the text before the
    number; the year of the nearest year cue before it, see :meth:`year_at`). What only
    some numbers need (weak cues, the latest year) is read when first asked for."""

    def __init__(self, sentence: str, doc_year: int | None, review_year: int | None = None):
        self.sentence, self.doc_year = sentence, doc_year
        self._weak, self._latest_year, self._current = None, _UNREAD, _UNREAD  # read when first asked for
        modal, promise, strong_target, strong_achieved, _, _ = _kind_cue_lists()[0]
        self.found = _sentence_cues(sentence, doc_year)
        self.modal = self.promise = None
        hits = []  # (end, kind) of the strong cues, as _kinds gives them
        for w, ends in self.found:  # one pass for what _first and _kinds read
            if not ends:
                continue
            if w in modal and (self.modal is None or ends[0][0] < self.modal):
                self.modal = ends[0][0]
            if w in promise and (self.promise is None or ends[0][0] < self.promise):
                self.promise = ends[0][0]
            if w in strong_target:
                hits += [(end, KINDS[0]) for end, _ in ends]
            if w in strong_achieved:
                hits += [(end, KINDS[1]) for end, _ in ends]
        hits.sort()
        self.strong = [pos for pos, _ in hits], [k for _, k in hits]
        self.year_cues = year_cues(sentence, doc_year, review_year)
        self.year_ends = [end for end, _, _ in self.year_cues]
        approx = [sentence.find(w) for w in cues()["approximate_sentence"]]
        self.approximate = min((i + 1 for i in approx if i >= 0), default=None)

    @property
    def weak(self) -> tuple[list[int], list[str]]:
        if self._weak is None:
            _, _, _, _, target, achieved = _kind_cue_lists()[0]
            self._weak = self._kinds(target, achieved)
        return self._weak

    @property
    def latest_year(self) -> int | None:
        if self._latest_year is _UNREAD:
            self._latest_year = max((y for _, y in _all_years(self.sentence)), default=None)
        return self._latest_year

    @property
    def current(self) -> tuple[str, int | None] | None:
        """今年 or 全年 anywhere in the sentence dates a figure that no cue before dates."""
        if self._current is _UNREAD:
            self._current = next(((source, year) for _, source, year in self.year_cues
                                  if source == "passage" or (source == "current" and year == self.doc_year)), None)
        return self._current

    def _first(self, words: frozenset) -> int | None:
        return min((ends[0][0] for w, ends in self.found if ends and w in words), default=None)

    def _kinds(self, target_words: frozenset, achieved_words: frozenset) -> tuple[list[int], list[str]]:
        if not self.found:
            return [], []
        hits = sorted([(end, KINDS[0]) for w, ends in self.found if w in target_words for end, _ in ends]
                      + [(end, KINDS[1]) for w, ends in self.found if w in achieved_words for end, _ in ends])
        return [pos for pos, _ in hits], [k for _, k in hits]

    def kind_before(self, upto: int, *, strong: bool = True) -> str | None:
        if strong and self.modal is not None and self.modal <= upto:
            return "target"
        ends, kinds = self.strong if strong else self.weak
        i = bisect_right(ends, upto)
        return kinds[i - 1] if i else None

    def promise_before(self, upto: int) -> bool:
        return self.promise is not None and self.promise <= upto

    def year_at(self, upto: int, kind: str) -> tuple[int | None, str | None]:
        """``(year, source)`` of the nearest year cue ending before ``upto`` (a years-of-effort
        deadline counts for a target only); else of a 今年/全年 cue anywhere in the sentence;
        ``(None, None)`` when there is none. A ``passage`` cue (全年, 年内) has no year of its own."""
        i = bisect_right(self.year_ends, upto)
        while i:
            _, source, year = self.year_cues[i - 1]
            if source == "until":  # 从2016年的X增加到Y: Y is not of 2016
                return None, source
            if source != "effort" or kind == "target":
                return year, source
            i -= 1
        return (self.current[1], self.current[0]) if self.current else (None, None)

    def approximate_before(self, upto: int) -> bool:
        return self.approximate is not None and self.approximate <= upto


@lru_cache(maxsize=1)
def _plan_period_ends() -> dict[str, int]:
    """The last year of each five-year plan, by its short name (十四五) and its ordinal (十四)."""
    from .groups import plan_periods

    ends = {}
    for n, (name, _first, last) in enumerate(plan_periods(), 1):
        ends[name] = last
        ends[f"#{n}"] = last
    return ends


def plan_periods(text: str) -> list[re.Match]:
    """The matches of the pattern ``plan_period`` in ``text``, as its ``finditer`` gives them.

    Each match holds a 五 one to five characters after its start (十四五, “十五”, 九五时期,
    第十一个五年规划), so only the starts before a 五 are tried: text without 五 costs one
    ``str.find``, and text with few costs no scan of every numeral.

    >>> [m.group() for m in plan_periods("“十五”期间和“十一五”时期，第十二个五年规划，五年来")]
    ['“十五”', '十一五', '第十二个五年规划']
    """
    at = text.find("五")
    if at < 0:
        return []
    pattern = _pattern("plan_period")
    found, start = [], 0  # start: the first position neither tried nor inside a match
    while at >= 0:
        start = max(start, at - 5)
        while start < at:
            m = pattern.match(text, start)
            if m:
                found.append(m)
                start = m.end()
            else:
                start += 1
        at = text.find("五", at + 1)
    return found


def _plan_period_end(m: re.Match) -> int | None:
    """The last year of the five-year plan a ``plan_period`` match names (十四五, “十五”, 第十一个五年规划)."""
    ends = _plan_period_ends()
    short = m.group("short") or m.group("bare")
    name = m.group("name") or (short + "五" if short else None)
    if name:
        return ends.get(name)
    try:
        return ends.get(f"#{int(chinese_to_number(m.group('ordinal')))}")
    except (ValueError, TypeError):
        return None


def next_plan_end(year: int) -> int:
    """The last year of the next five-year plan a document of ``year`` looks ahead to (2021 → 2025, 2025 → 2030).

    >>> next_plan_end(2016), next_plan_end(2020), next_plan_end(2025)
    (2020, 2025, 2030)
    """
    return -(-(year + 1) // 5) * 5


def _past_five_year(doc_year: int, review_year: int | None) -> int:
    """The last year of 过去五年: the reviewed year of an annual report delivered early in the
    year after it (a 2023 work report: 2022), else the end of the last five-year plan."""
    if review_year is not None and review_year < doc_year:
        return review_year
    return (doc_year // 5) * 5


def year_cues(text: str, doc_year: int | None, review_year: int | None = None) -> list[tuple[int, str, int | None]]:
    """``(end, source, year)`` of every year cue of ``text``, in order of their ends.

    Sources: ``explicit`` (2025年, not a base year such as 较2015年), ``period`` (十四五 and
    the other five-year plans → their last year; 今后五年 → the next plan's; 二〇三五),
    ``past`` (过去五年 → the reviewed period's last year), ``current`` (今年, 明年, 去年: the
    document's year and its neighbours), ``passage`` (全年, 年内, 上半年: the year the passage
    is about; ``year`` None), ``effort`` (通过三年努力 → the third year from the document's),
    ``until`` (the 到 after 从2016年的X: what follows is not of that year; ``year`` None).

    >>> [(s, y) for _, s, y in year_cues("过去五年增长5%，今年增长5%，到2025年、“十五五”末", 2023, 2022)]
    [('past', 2022), ('current', 2023), ('explicit', 2025), ('period', 2030)]
    """
    if "年" not in text and "五" not in text:
        return []  # every year cue holds one of them: a quick way past most clauses
    found: list[tuple[int, str, int | None]] = []
    from_year = _pattern("from_year_before")
    for m, y in _valid_years(text):
        found.append((m.end(), "explicit", y))
        if from_year.search(text, max(0, m.start() - 2), m.start()):
            to = text.find(cues()["until_word"], m.end())
            if to >= 0:
                found.append((to + 1, "until", None))
    for m in plan_periods(text):
        end = _plan_period_end(m)
        if end:
            found.append((m.end(), "period", end))
    pattern, meaning = _year_words()
    for m in pattern.finditer(text):
        source, value = meaning[m.lastgroup]
        if source == "period":
            found.append((m.end(), source, value))
        elif source == "passage":
            found.append((m.end(), source, None))
        elif not doc_year:
            continue
        elif source == "relative":
            found.append((m.end(), "period", (doc_year // 5 + 1) * 5))
        elif source == "past":
            found.append((m.end(), source, _past_five_year(doc_year, review_year)))
        elif source == "current":
            found.append((m.end(), source, doc_year + value))
        elif source == "effort":
            try:
                found.append((m.end(), source, doc_year + int(chinese_to_number(m.group("effort_n"))) - 1))
            except (ValueError, TypeError):
                pass
    found.sort(key=lambda c: c[0])
    return _drop_described_periods(text, found)


def _drop_described_periods(text: str, found: list) -> list:
    """Without the periods and years that describe a 今年 before them in its clause (今年是“十四五”
    规划收官之年，…): the figures after them are still this year's."""
    if not any(source == "current" for _, source, _ in found):
        return found
    breaks = _pattern("clause_break")
    kept, current_end = [], None
    for end, source, year in found:
        if source == "current":
            current_end = end
        elif current_end is not None and source in ("period", "explicit"):
            if not breaks.search(text, current_end, end):
                continue
            current_end = None
        kept.append((end, source, year))
    return kept


@lru_cache(maxsize=1)
def _year_words() -> tuple[re.Pattern, dict[str, tuple[str, int | None]]]:
    """One pattern for the year words of the cue tables (periods, 过去五年, 今年, 全年, 通过三年努力),
    a named group each, and what each group means: ``(source, year or offset)``."""
    table, pat = cues(), cues()["patterns"]
    groups, meaning = [], {}

    def add(regex: str, source: str, value=None):
        name = f"g{len(groups)}"
        groups.append(f"(?P<{name}>{regex})")
        meaning[name] = (source, value)

    for word, year in sorted(table["period_years"].items(), key=lambda kv: -len(kv[0])):
        add(re.escape(word), "relative" if word in table["relative_periods"] else "period", year)
    add(pat["past_five_years"], "past")
    for word, offset in table["current_years"].items():
        add(word, "current", int(offset))
    add(pat["years_of_effort"].replace("(\\w)", "(?P<effort_n>\\w)"), "effort")
    add(pat["passage_period"], "passage")
    # the look-ahead of the words' first characters lets the scan skip other characters fast
    return re.compile(f"(?={pat['year_word_start']})(?:{'|'.join(groups)})"), meaning


def kind_of(sentence: str, position: int, ctx: "_Context", scan: _SentenceCues | None = None) -> str:
    """Target or achieved, by the precedence written in ``data/target_cues.json``: a strong
    cue of the sentence or the paragraph's opening; the section's role; a heading's words;
    a weak cue; an explicit past or future year; the document's default. In a review
    section only a promise (力争, 确保, 今后…: ``review_target_cues``) makes a target."""
    scan = scan or _SentenceCues(sentence, ctx.doc_year, ctx.review_year)
    end = len(sentence)
    frame = ctx.frame if ctx.frame is not None and ctx.frame.kind else None
    # In a section that sets the time, a cue after the number (…，累计国债余额…) is another figure's.
    strong = scan.kind_before(position) or (scan.kind_before(end) if frame is None else None)
    paragraph = ctx.paragraph_kind
    if frame is not None and frame.kind == "achieved":
        if strong == "target" and not scan.promise_before(position):
            strong = None
        if paragraph == "target" and not ctx.paragraph_promise:
            paragraph = None
    found = strong or paragraph or (frame.kind if frame is not None else None)
    found = (found or ctx.subsection_kind or ctx.section_kind
             or scan.kind_before(position, strong=False) or scan.kind_before(end, strong=False))
    if found:
        return found
    latest = scan.latest_year
    if ctx.doc_year and latest:
        if latest > ctx.doc_year:
            return "target"
        if latest < ctx.doc_year:
            return "achieved"
    return _default_kind(ctx)


def heading_kind(text: str) -> str | None:
    """Kind implied by a section heading (成就, 回顾 → achieved; 目标, 任务, 十四五 → target)."""
    table = cues()
    if _heading_words().search(text) is None:
        return None  # no word of either list
    a = sum(w in text for w in table["section_achieved"])
    t = sum(w in text for w in table["section_target"])
    if a > t:
        return "achieved"
    if t > a:
        return "target"
    return None


@lru_cache(maxsize=1)
def _heading_words() -> re.Pattern:
    """One pattern of the words of ``section_achieved`` and ``section_target``."""
    table = cues()
    return re.compile("|".join(map(re.escape, (*table["section_achieved"], *table["section_target"]))))


def period_year(text: str, doc_year: int | None, review_year: int | None = None) -> int | None:
    """The end year of the first period named in ``text`` (十三五 → 2020, 十四五 → 2025, 今后五年 →
    the next plan's end, 过去五年 → the reviewed period's).

    >>> period_year("“十四五”时期，", 2021), period_year("过去五年", 2023, 2022), period_year("今年", 2021)
    (2025, 2022, None)
    """
    found = [year for _, source, year in year_cues(text, doc_year, review_year) if source in ("period", "past")]
    return found[0] if found else None


def _all_years(text: str):
    return [(m, int(m.group(1))) for m in _pattern("explicit_year").finditer(text)]


def _valid_years(text: str):
    """Explicit ``NNNN年`` that are not base years (较2015年, 在2025年基础上, 2015年的两倍)."""
    before, after = _pattern("base_year_before"), _pattern("base_year_after")
    return [(m, y) for m, y in _all_years(text)
            if not before.search(text, max(0, m.start() - 8), m.start()) and not after.match(text, m.end())]


def explicit_year(text: str) -> int | None:
    """The last explicit ``NNNN年`` in ``text`` that is not a base year (较2015年, 在2025年基础上).

    >>> explicit_year("从2016年的3.2万亿元增加到2021年的4.5万亿元"), explicit_year("为2015年的两倍")
    (2021, None)
    """
    years = _valid_years(text)
    return years[-1][1] if years else None


# --- sections: what a report's parts say about year and kind -----------------------------------


@dataclass(frozen=True)
class SectionFrame:
    """What a section's place in a report says about its figures.

    ``role`` is the section's role (``review``, ``plan``, ``next_plan``, ``annex`` or ``""``; a
    top-level section without one after a review or plan section carries the plan on);
    ``kind`` and ``year`` are those of a figure the text says nothing more about (None: the
    section does not tell).
    """

    role: str
    kind: str | None
    year: int | None


_ROLE_KIND = {"review": "achieved", "plan": "target", "next_plan": "target"}


_SPACES = re.compile(r"\s+")


def _title_years(title: str, doc_year: int | None, review_year: int | None) -> list[tuple[str, int]]:
    """``(source, year)`` of the years and periods a heading names, in order."""
    title = _SPACES.sub("", title or "")
    found = []
    for m in _pattern("title_year").finditer(title):
        text = m.group(1)
        year = int(text) if text.isdigit() else int(text.translate(str.maketrans("〇零○一二三四五六七八九", "00012345678" + "9")))
        found.append((m.end(), "explicit", year))
    found += [(end, source, year) for end, source, year in year_cues(title, doc_year, review_year)
              if source in ("period", "past")]
    return [(source, year) for _, source, year in sorted(found, key=lambda c: c[0])]


def section_frames(sections, *, year: int | None, review_year: int | None = None,
                   horizon: int | None = None) -> dict[int, SectionFrame]:
    """The frame (role, kind, year) of each section of a document, by ``section_id``.

    ``sections`` are the rows of ``corpus.sections`` of one document (dicts or tuples of
    ``section_id, parent_id, level, title, role, start, end``), in document order. In a
    report of ``year`` that reviews ``review_year``: a review section's figures are
    achieved, for the year its heading names (2024年工作回顾 → 2024; “十一五”时期…回顾 →
    2010) or ``review_year``; a plan section's are targets for ``year`` (or the later year
    its heading names); a next-plan section's are targets for the last year of the
    five-year plan its heading names, else ``horizon``, else the next plan's
    (:func:`next_plan_end`); a plan heading that names the reviewed year too (1993年国内工作的
    回顾和1994年工作) sets neither. A top-level section without a role of its own that follows a
    review or plan section goes on with the plan (三、促进经济又好又快发展 after
    二、2007年工作总体部署); its subsections with it.

    >>> rows = [(0, None, 0, "", "", 0, 99), (1, 0, 1, "一、2024年工作回顾", "review", 0, 40),
    ...         (2, 0, 1, "二、2025年经济社会发展总体要求和政策取向", "plan", 40, 60),
    ...         (3, 0, 1, "三、促进经济又好又快发展", "", 60, 99)]
    >>> [(f.role, f.kind, f.year) for f in section_frames(rows, year=2025, review_year=2024).values()]
    [('', None, None), ('review', 'achieved', 2024), ('plan', 'target', 2025), ('plan', 'target', 2025)]
    """
    rows = [dict(zip(SECTION_FIELDS, row)) if not isinstance(row, dict) else row for row in sections]
    by_id = {row["section_id"]: row for row in rows}
    roles: dict[int, str] = {}
    carried = ""  # the role the next top-level section without one of its own takes
    for row in rows:
        role = row["role"] or ""
        parent = row["parent_id"]
        if not role and row["level"] == 1:
            role = carried
        elif not role and parent is not None and parent in roles:
            role = roles[parent]
        roles[row["section_id"]] = role
        if row["level"] == 1 and role in _ROLE_KIND:
            carried = "plan" if role == "review" else role
    review_year = review_year if review_year is not None else year
    title_years = {row["section_id"]: _title_years(row["title"], year, review_year) for row in rows}  # each once
    frames = {}
    for section_id, role in roles.items():
        chain, ids, node = [], [], by_id[section_id]
        while node is not None:
            chain.append(node["title"])
            ids.append(node["section_id"])
            node = by_id.get(node["parent_id"]) if node["parent_id"] is not None else None
        named = [item for i in ids for item in reversed(title_years[i])]
        kind = _ROLE_KIND.get(role)
        if kind == "target" and role == by_id[section_id]["role"] and not _own_role(by_id, section_id):
            # a plan's part headed by its achievements (第一节 “十三五”发展成就, without a role of its
            # own: the document's) reports results
            worded = next((k for k in map(heading_kind, chain[:-1]) if k), None)
            if worded == "achieved":
                role, kind = "review", "achieved"
        own_years = [y for source, y in title_years[section_id] if source == "explicit"]
        if role == "plan" and year and own_years and min(own_years) < year <= max(own_years):
            # 1993年国内工作的回顾和1994年工作: a heading over a review and a plan tells neither
            frames[section_id] = SectionFrame(role, None, None)
            continue
        frame_year = None
        if role == "review":
            frame_year = next((y for _, y in named if year is None or y < year), review_year)
        elif role == "plan":  # the year its heading names (三、2011年的工作; 今后五年的主要任务), else the report's
            frame_year = next((y for source, y in named if source == "explicit" and year and y >= year),
                              next((y for source, y in named if source == "period" and year and y >= year), year))
        elif role == "next_plan":
            frame_year = next((y for source, y in named if source == "period" and year and y >= year), None)
            frame_year = frame_year or horizon or (next_plan_end(year) if year else None)
        frames[section_id] = SectionFrame(role, kind, frame_year)
    return frames


def _own_role(by_id: dict, section_id: int) -> bool:
    """Whether some heading from this section up to the document gave the role (rather than the
    document itself: section 0's role, which a 规划纲要's headings inherit)."""
    node = by_id[section_id]
    while node is not None and node["section_id"] != 0:
        parent = by_id.get(node["parent_id"]) if node["parent_id"] is not None else None
        if node["role"] and (parent is None or node["role"] != parent["role"]):
            return True
        node = parent
    return False


@dataclass
class _Context:
    doc_id: str
    doc_year: int | None
    review_year: int | None
    section_kind: str | None = None
    section_year: int | None = None
    subsection_kind: str | None = None
    subsection_year: int | None = None
    paragraph_kind: str | None = None
    paragraph_year: int | None = None
    paragraph_promise: bool = False
    doc_kind: str = "achieved"  # the document's default kind (:func:`_default_kind`)
    lexicon: datafiles.DataFile | None = None
    horizon: int | None = None  # the document's planning horizon (:func:`_horizon`)
    document_text: str = ""  # the document's text, for a default kind or horizon still to be read
    sections: dict = field(default_factory=dict)  # section_id -> its row (SECTION_FIELDS)
    section_id: int | None = None  # the section of the paragraph being read
    frames: dict = field(default_factory=dict)  # section_id -> SectionFrame
    frame: SectionFrame | None = None  # the frame of the paragraph being read
    opening: str | None = None  # the paragraph being read, while its opening is still to be read (at its first figure)


def _year(kind: str, position: int, scan: _SentenceCues, ctx: _Context) -> tuple[int | None, str | None]:
    """``(year, source)`` of a figure: the nearest year cue before it in its sentence; else the
    section's year; else the paragraph's, the headings', the document's."""
    year, source = scan.year_at(position, kind)
    frame = ctx.frame
    if source == "passage":  # 全年, 年内: the year the passage is about
        if frame is not None and frame.kind and frame.year:
            return frame.year, source
        return (ctx.doc_year if kind == "target" else ctx.review_year), source
    if year:
        in_review = frame is not None and frame.kind == "achieved"
        if kind == "achieved" and in_review and ctx.doc_year and year > ctx.doc_year:
            return frame.year, "section"  # 部署启动面向2030年的…项目，新设6个…: a result, not of 2030
        return year, source
    if frame is not None and frame.kind is not None:
        if frame.kind == kind and frame.year:
            return frame.year, "section"
        return (ctx.paragraph_year or (ctx.doc_year if kind == "target" else ctx.review_year)), "document"
    if kind == "target":
        return ctx.subsection_year or ctx.paragraph_year or ctx.section_year or _horizon(ctx) or ctx.doc_year, None
    return ctx.paragraph_year or ctx.subsection_year or ctx.section_year or ctx.review_year, None


# --- the extractor -------------------------------------------------------------------------


def _doc_years(row) -> tuple[int | None, int | None]:
    """The document's year and the year its review looks back on: the year before for an
    annual report (政府工作报告: ``annual_report_types``) and for a text dated in January or
    February, else the same year.

    >>> _doc_years({"year": 2007, "date": None, "doc_type": "政府工作报告"}), _doc_years({"year": 2021, "date": "2021-06-30"})
    ((2007, 2006), (2021, 2021))
    """
    year = None if pd.isna(row["year"]) else int(row["year"])
    date = str(row.get("date") or "")
    month = int(date[5:7]) if _pattern("iso_date").fullmatch(date) else None
    annual = str(row.get("doc_type") or "") in cues()["annual_report_types"]
    review = year - 1 if (year and (annual or (month and month <= 2))) else year
    return year, review


def report_years(sections, year: int | None, review_year: int | None, *,
                 annual: bool = False) -> tuple[int | None, int | None]:
    """A report's year and the year it reviews, checked against its top-level review headings.

    A review heading naming the year it looks back on (一、2006年工作回顾) dates a report that
    has no year, and an annual report (``annual``: a 政府工作报告) whose year cannot be right
    (2000 for a report reviewing 2006): the report is of the year after. ``sections`` are
    rows of ``corpus.sections`` (dicts).

    >>> rows = [{"level": 1, "role": "review", "title": "一、2006年工作回顾"}]
    >>> report_years(rows, None, None), report_years(rows, 2000, 1999, annual=True), report_years(rows, 2007, 2006)
    ((2007, 2006), (2007, 2006), (2007, 2006))
    """
    reviewed = [int(m.group(1)) for row in sections if row["level"] == 1 and row["role"] == "review"
                for m in _pattern("explicit_year").finditer(_SPACES.sub("", row["title"] or ""))]
    if reviewed and (year is None or (annual and max(reviewed) >= year)):
        return max(reviewed) + 1, max(reviewed)
    return year, review_year


_HEADING_END = TERMINAL_PUNCT + "。”"  # a paragraph ending otherwise may be a heading


def _is_heading(text: str) -> bool:
    return len(text) <= 40 and (bool(NUMBERING.match(text)) or text[-1] not in _HEADING_END)


def _clauses(sentence: str) -> list[tuple[int, int]]:
    bounds, start = [], 0
    for m in _pattern("clause_break").finditer(sentence):
        bounds.append((start, m.start()))
        start = m.end()
    bounds.append((start, len(sentence)))
    return bounds


def _sentences(text: str):
    """``(start, sentence)`` of a paragraph's sentences (no break at a decimal 。 between digits)."""
    pos = 0
    for m in _pattern("sentence_end").finditer(text):
        yield pos, text[pos:m.end()]
        pos = m.end()
    if pos < len(text):
        yield pos, text[pos:]


def _resolve(indicator: str, item: str, tail: str, lexicon: str | None) -> Indicator | None:
    """The catalogue entry of a record: from its indicator phrase, else from its own list item
    (the words before and right after the number), never from a neighbouring item."""
    found = lookup_indicator(indicator, lexicon_path=lexicon)
    if found is None and item != indicator:  # the same text names the same (often: nothing was trimmed)
        found = lookup_indicator(item, lexicon_path=lexicon)
    if found is None and tail and tail != indicator and tail != item:  # an empty text names nothing
        found = lookup_indicator(tail, lexicon_path=lexicon)
    return found


def _respective_item(sentence: str, clause_start: int, clause_end: int, anchor: int,
                     anchors: list[int]) -> tuple[str, str, str] | None:
    """``(item, subject, first item)`` when the number is the i-th of n numbers after ``分别`` and the
    subject before it lists n items (``A、B和C分别增长x%、y%、z%``); an item sharing the
    last item's head noun gets it (城镇居民 → 城镇居民人均可支配收入); else None."""
    table = cues()
    window_start = max(clause_start, anchor - _window("head"))
    head = sentence[window_start:anchor]
    at = max(map(head.rfind, table["respectively"]))
    if at < 0:
        return None
    subject = _item_head(head[:at], at)
    subject = _pattern("leading_noise").sub("", _remove("last_cue", subject.strip()))
    subject = _remove("trailing_verbs", subject).strip(table["patterns"]["strip_chars"])
    parts = [p for p in _pattern("item_joiners").split(subject) if p]
    if len(parts) < 2:
        return None
    first = bisect_right(anchors, window_start + at)
    mine = anchors[first:bisect_right(anchors, anchor) + len(parts)]  # the numbers after 分别, up to enough
    if anchor not in mine:
        return None
    i = mine.index(anchor)
    count = sum(1 for a in mine if a < clause_end)
    if count != len(parts):
        return None
    part, last = parts[i], parts[-1]
    if part is not last:
        for k in range(len(part) - 1, 0, -1):  # the longest end of this item found inside the last one
            j = last.find(part[-k:]) if k <= len(part) else -1
            if j >= 0 and k >= 2:
                part = part + last[j + k:]
                break
    return part, subject, parts[0]


def _with_shared_modifier(part: str, first: str, lexicon: str | None) -> Indicator | None:
    """The entry of ``part`` read with the first item's modifier: 能耗 after 单位国内生产总值用水量
    is 单位国内生产总值能耗 (a keyword must span the join)."""
    for cut in range(len(first) - 1, 0, -1):
        found = _best_match(first[:cut] + part, lexicon)
        if found and found[0] < cut < found[1]:
            return _lexicon_index(lexicon)[1][found[2]]
    return None


def _follow_topic(sentence: str, ctx: _Context) -> None:
    """A sentence without figures that starts by naming its time (过去一年，我们的各项工作取得了
    很大成绩。 今年要适当减少财政赤字。) sets the kind and year of the figures after it in its
    paragraph, as the paragraph's opening does (pattern ``topic_opening``)."""
    m = _pattern("topic_opening").match(sentence)
    if m:
        ctx.opening = None  # what it sets replaces what the paragraph's opening set
        ctx.paragraph_kind = m.lastgroup
        ctx.paragraph_promise = m.lastgroup == "target"
        years = [y for _, source, y in year_cues(m.group(), ctx.doc_year, ctx.review_year) if y]
        ctx.paragraph_year = years[-1] if years else None


def extract_from_paragraph(text: str, ctx: _Context, *, figure: int = -1) -> list[dict]:
    """Records of one clean paragraph (positions relative to the paragraph). ``figure``: where
    its first possible number starts (:func:`~workbench.numbers.next_figure`), when known."""
    records: list[dict] = []
    # figure: where the next possible number starts (len(text): none); no number straddles sentences
    for s_start, sentence in _sentences(text):
        if figure < s_start:
            figure = next_figure(text, s_start)
            figure = len(text) if figure < 0 else figure
        if figure == len(text):
            break  # no figure from here on: no record reads what the sentences left set (each paragraph sets its own)
        quantities = ([q for q in find_quantities(sentence) if is_record(q, sentence)]
                      if figure < s_start + len(sentence) else [])
        if not quantities:
            _follow_topic(sentence, ctx)
            continue
        if ctx.opening is not None:
            _update_opening(ctx, ctx.opening)
        scan = _SentenceCues(sentence, ctx.doc_year, ctx.review_year)
        clauses = _clauses(sentence)
        clause_starts = [a for a, _ in clauses]
        anchors = sorted({q.range_start if q.range_start >= 0 else q.start for q in quantities})
        respectively = any(w in sentence for w in cues()["respectively"])  # else no number is one of a list
        last_indicator, last_clause_start, last_entry = None, None, None
        for q in quantities:
            anchor = q.range_start if q.range_start >= 0 else q.start
            clause_start, c_end = clauses[bisect_right(clause_starts, anchor) - 1]
            own = _respective_item(sentence, clause_start, c_end, anchor, anchors) if respectively else None
            # Only a window of a run-on clause is read: the indicator, comparator and year lie near the number.
            c_start = max(clause_start, anchor - 2 * _window("head"))
            clause = sentence[c_start:min(c_end, q.end + 2 * _window("tail"))]
            offset = anchor - c_start
            q_offset = q.start - c_start
            item = _item_head(clause, offset)
            indicator = _indicator(clause, offset, q.end - anchor, item, q.level)
            plain_item = _pattern("leading_noise").sub("", item).strip()
            quote_start = clause_start
            inherited = False
            if _pattern("growth_only").match(plain_item) and last_indicator:
                # 增长3.2% after 地区生产总值623.2亿元: the growth of the previous clause's indicator
                growth = _remove("trailing_verbs", item).strip() or "增长"
                indicator = last_indicator + (growth if growth not in last_indicator else "")
                quote_start = last_clause_start
                inherited = True
            elif (not indicator or indicator in cues()["list_joiners"]) and last_indicator:
                indicator, quote_start = last_indicator, last_clause_start
                inherited = True
            tail = clause[q_offset + (q.end - q.start):q_offset + (q.end - q.start) + _window("tail")]
            if own:  # 林木覆盖率和建成区绿化率分别达到30.7%和44%: the i-th item for the i-th number
                indicator, entry = own[0], (lookup_indicator(own[0], lexicon_path=ctx.lexicon)
                                            or _with_shared_modifier(own[0], own[2], ctx.lexicon)
                                            or lookup_indicator(own[1], lexicon_path=ctx.lexicon))
            else:
                entry = _resolve(indicator, item,
                                 tail if q.level else _pattern("tail_split").split(tail, maxsplit=1)[0], ctx.lexicon)
            if entry is None and last_entry is not None and (
                    inherited or not plain_item or _pattern("continuation_verbs").match(item.strip())
                    or _pattern("continuation_verbs").match(plain_item)):
                # 覆盖群众 after 文明实践活动, 较2015年提高7个百分点: an item without a subject of its own
                # goes on with the previous one's; an item naming its own (人口自然增长率) does not.
                entry = last_entry
                if not inherited and last_indicator:
                    indicator = last_indicator + indicator if last_indicator not in indicator else indicator
                    quote_start = min(quote_start, last_clause_start)
            kind = kind_of(sentence, q.start, ctx, scan)
            year, source = _year(kind, q.start, scan, ctx)
            if ctx.doc_year and year and source in PAST_SOURCES:
                if kind == "target" and year < ctx.doc_year:
                    kind = "achieved"  # a deadline never lies in the past: 2024年…增长5% in a 2025 plan
                elif kind == "achieved" and year > ctx.doc_year:
                    kind = "target"  # nor a result in the future: 今后五年…累计将达2182亿元
            if kind == "achieved" and source == "period" and ctx.review_year and year > ctx.review_year:
                year = ctx.review_year  # “十一五”前四年累计…: a result of the period so far
            quote_end = c_end
            if c_end - quote_start > _window("quote_clause_max"):  # a run-on clause: quote around the number
                quote_start = max(quote_start, anchor - _window("quote_before"))
                quote_end = min(c_end, q.end + _window("quote_after"))
            context_start, context = s_start, sentence
            if len(sentence) > _window("sentence_max"):  # a run-on sentence: each record keeps the part around it
                half = _window("sentence_max") // 2
                a, b = max(0, min(quote_start, anchor) - half), min(len(sentence), max(quote_end, q.end) + half)
                context_start, context = s_start + a, sentence[a:b]
            records.append({
                "doc_id": ctx.doc_id,
                "quote_span": (s_start + quote_start, s_start + quote_end),
                "indicator": indicator,
                "indicator_id": entry.indicator_id if entry else "other",
                "quantity_text": sentence[q.start:q.end],
                "value": q.value,
                "unit": q.unit,
                "value_base": q.value_base,
                "comparator": _comparator(q, clause, q_offset, scan.approximate_before(q.start)),
                "year": year,
                "kind": kind,
                "masked": q.masked,
                "measure": measure_of(q, item, entry.measure if entry else ""),
                "indicator_name": entry.indicator_name if entry else "",
                "start": s_start + q.start,
                "end": s_start + q.end,
                "sentence_start": context_start,
                "sentence_text": context,
            })
            if not _pattern("growth_only").match(indicator):
                last_indicator, last_clause_start = _remove("growth_suffix", indicator), clause_start
            last_entry = entry
    return records


def extract_targets(corpus, *, kind: str | None = None, lexicon: str | Path | None = None, engine=None,
                    workers: int | None = None, progress: bool | None = None, cache: bool = True) -> pd.DataFrame:
    """Extract every quantitative target and achieved figure of a corpus.

    Parameters
    ----------
    corpus : Corpus
        From :func:`workbench.load_corpus`.
    kind : {"target", "achieved"}, optional
        Keep only records of this kind.
    lexicon : path, optional
        A CSV ``keyword,indicator_id`` extending the shipped indicator lexicon.
    engine, workers, progress
        Where documents are processed (see :mod:`workbench.engines`); same records on every engine.
    cache : bool
        Keep the records in the user cache (a step of :mod:`workbench.steps`), each document's
        keyed by every value its extraction reads (its texts, dates, paragraph, sentence and
        section rows: :func:`workbench.fingerprints.document_digests`) and the extraction code
        and data: an unchanged corpus is not extracted twice, and after an edit only the edited
        documents are. A document's rows become Python objects only when it is extracted.

    Returns
    -------
    DataFrame
        One row per record, in document order: the schema fields ``doc_id,
        quote, indicator, indicator_id, value, unit, value_base, comparator,
        year, kind, masked`` (``quote`` copied from the original file text), then
        ``paragraph, sentence`` (indices into the corpus tables), ``start, end``
        (offsets of the number in the clean text) and ``sentence_text``.

    Examples
    --------
    >>> import workbench as wb
    >>> t = wb.extract_targets(wb.load_corpus())
    >>> t.loc[t["quote"].str.contains("高新技术企业突破3000家"), ["value", "unit", "comparator", "year", "kind"]].values.tolist()
    [[3000.0, '家', '>=', 2025, 'target']]
    """
    if kind is not None and kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)} or None, not {kind!r}")
    tables = _by_document(corpus)
    jobs = fingerprints.LazyItems(len(tables[0]), partial(_job, tables))
    lexicon_file = datafiles.read(lexicon, what="indicator lexicon") if lexicon else None
    if lexicon_file:
        datafiles.parsed(lexicon_file, _user_lexicon)  # a bad file is the caller's error, not a document's
    result = steps.run(TARGETS_STEP, jobs, fingerprints=fingerprints.document_digests(*tables) if cache else None,
                       options={"lexicon": lexicon_file}, data=[lexicon_file] if lexicon_file else [], cache=cache,
                       engine=engine, workers=workers, progress=progress, desc="targets")
    table = result.tables["targets"]
    if kind is not None:
        table = table[table["kind"] == kind].reset_index(drop=True)
    return table


# What the extraction of one document reads (sent to other processes as plain tuples)
DOCUMENT_FIELDS = ["doc_id", "year", "date", "doc_type", "original", "text"]
PARAGRAPH_FIELDS = ["paragraph", "text", "start", "orig_start", "orig_end", "section_id"]
SENTENCE_FIELDS = ["sentence", "start"]
SECTION_FIELDS = ["section_id", "parent_id", "level", "title", "role", "start", "end"]


def _by_document(corpus) -> tuple[fingerprints.ByDocument, ...]:
    """What each document's extraction reads, grouped by document: its row of ``corpus.documents``
    (``DOCUMENT_FIELDS``), its paragraphs, sentences and sections. Every value of these columns is
    part of the document's cache key (:func:`workbench.fingerprints.document_digests`)."""
    doc_ids = corpus.documents["doc_id"]

    def rows(table, columns):
        return fingerprints.ByDocument.of(_with_columns(table, columns), columns, doc_ids)

    return (fingerprints.ByDocument.each_row(corpus.documents, DOCUMENT_FIELDS),
            rows(corpus.paragraphs, PARAGRAPH_FIELDS), rows(corpus.sentences, SENTENCE_FIELDS),
            rows(corpus.sections, SECTION_FIELDS))


def _with_columns(table: pd.DataFrame | None, columns: list[str]) -> pd.DataFrame:
    """``table``, or an empty table of ``doc_id`` and ``columns`` when it has no rows (it may lack the columns)."""
    if table is not None and len(table):
        return table
    return pd.DataFrame({c: pd.Series([], dtype="object") for c in ["doc_id", *columns]})


def _job(tables: tuple[fingerprints.ByDocument, ...], position: int) -> tuple:
    """One document's job for :func:`_extract_document`, as plain values (built when it is computed)."""
    documents, paragraphs, sentences, sections = tables
    return (dict(zip(DOCUMENT_FIELDS, documents.rows(position)[0])), paragraphs.rows(position),
            sentences.rows(position), sections.rows(position))


def _extract_document(job, *, lexicon: datafiles.DataFile | None) -> dict[str, dict[str, list]]:
    """The records of one document (the target step's computation, in any process): ``job`` is
    (document row, its paragraphs, its sentences, its sections) as plain tuples of
    ``PARAGRAPH_FIELDS``, ``(sentence, start)`` and ``SECTION_FIELDS``."""
    records = _extract_records(*job, lexicon)
    return {"targets": {col: list(map(itemgetter(col), records)) for col in TARGETS_STEP.columns["targets"]}}


def extract_document(document, paragraphs, sentences, sections=None, *,
                     lexicon: str | Path | None = None) -> pd.DataFrame:
    """The records of one document, uncached: the building block :func:`extract_targets` maps.

    ``document`` is a row of ``corpus.documents``; ``paragraphs``, ``sentences`` and
    ``sections`` are that document's rows of the corpus tables.

    >>> import workbench as wb
    >>> one = wb.corpus.load_document(wb.resources.bundled_corpus_dir() / "001_534d44b1b875ba47.txt")
    >>> records = extract_document(one.documents.iloc[0], one.paragraphs, one.sentences, one.sections)
    >>> first = records.iloc[0]
    >>> float(first["value"]), first["unit"], first["kind"]
    (12.0, '項', 'achieved')
    """
    doc_id = document["doc_id"]
    job = (dict(document[DOCUMENT_FIELDS]),
           *(fingerprints.ByDocument.of(_with_columns(table, columns), columns, [doc_id]).rows(0)
             for table, columns in ((paragraphs, PARAGRAPH_FIELDS), (sentences, SENTENCE_FIELDS),
                                    (sections, SECTION_FIELDS))))
    lexicon_file = datafiles.read(lexicon, what="indicator lexicon") if lexicon else None
    return steps.frames(TARGETS_STEP, _extract_document(job, lexicon=lexicon_file))["targets"]


_COLUMN_TYPES = {"value": "float64", "value_base": "float64", "year": "Int64", "masked": "bool", "paragraph": "int64",
                 "sentence": "int64", "start": "int64", "end": "int64", "sentence_start": "int64"}
TARGETS_STEP = steps.Step(
    name="targets", compute=_extract_document,
    columns={"targets": {col: _COLUMN_TYPES.get(col, "str") for col in (*SCHEMA_FIELDS, *POSITION_FIELDS)}},
    code=("targets", "numbers", "align", "clean", "steps", "fingerprints", "data/target_cues.json",
          "data/indicators.csv", "data/indicator_catalogue.csv",
          "data/plan_periods.csv"),  # the five-year plans' last years
)


def _extract_records(doc, paragraphs, sentences, sections, lexicon: datafiles.DataFile | None) -> list[dict]:
    ctx = _Context(doc["doc_id"], None, None, lexicon=lexicon)
    ctx.sections = {row[0]: dict(zip(SECTION_FIELDS, row)) for row in sections}
    doc_year, review_year = report_years(list(ctx.sections.values()), *_doc_years(doc),
                                         annual=str(doc.get("doc_type") or "") in cues()["annual_report_types"])
    ctx.doc_year, ctx.review_year = doc_year, review_year
    # the default kind and the horizon are read from the whole text when first needed: the horizon
    # by a next-plan section (its role is carried only from a section that has it) or by a target
    # without a year of its own, the kind by a figure that nothing else tells
    ctx.doc_kind = ctx.horizon = _UNREAD
    ctx.document_text = doc["text"]
    ctx.frames = section_frames(list(ctx.sections.values()), year=doc_year, review_year=review_year,
                                horizon=_horizon(ctx) if any(row[4] == "next_plan" for row in sections) else None)
    sent_ids = [number for number, _ in sentences]
    sent_starts = [start for _, start in sentences]
    with_records = []  # the paragraphs with records: their quotes are then found in the original
    for p_index, p_text, p_start, p_orig, p_orig_end, p_section in paragraphs:
        ctx.section_id = p_section
        ctx.frame = ctx.frames.get(p_section)
        heading = _is_heading(p_text)
        if heading:
            _update_heading(ctx, p_text)
        figure = next_figure(p_text)
        if figure < 0:
            continue  # no figure: a heading's context is kept, a paragraph's opening dates nothing else
        ctx.opening = None if heading else p_text  # read at the paragraph's first figure, if any
        records = extract_from_paragraph(p_text, ctx, figure=figure)
        if records:
            with_records.append((p_index, p_text, p_start, p_orig, p_orig_end, records))
    found = _Original(doc["original"], [(p[3], p[4]) for p in with_records])
    rows = []
    for p_index, p_text, p_start, p_orig, _, records in with_records:
        found.next_paragraph()
        p_hint = 0 if p_orig is None else int(p_orig)
        last_clean, last_orig = -1, p_hint  # the previous quote: search the original on from it
        for rec in records:
            q_start, q_end = rec.pop("quote_span")
            clean_quote = p_text[q_start:q_end]
            hint = last_orig if q_start >= last_clean else p_hint
            span = found.locate(clean_quote, hint)
            if span:
                last_clean, last_orig = q_start, span[0]
            rec["quote"] = quote = doc["original"][span[0]:span[1]] if span else clean_quote
            quantity = rec.pop("quantity_text")
            if span and quote == clean_quote and " " not in quantity and quantity.isprintable() and quantity in quote:
                # the quote is written as the clean text, and the quantity (no white space) in it:
                # found there, each of its characters maps to itself (see _unit_as_written)
                rec["unit"] = _narrowed(rec["unit"])
            else:
                rec["unit"] = _unit_as_written(quantity, rec["unit"], doc["original"], found, span or hint)
            rec["paragraph"] = p_index
            rec["start"] += p_start
            rec["end"] += p_start
            rec["sentence_start"] += p_start
            idx = bisect_right(sent_starts, rec["start"]) - 1
            rec["sentence"] = int(sent_ids[max(idx, 0)])
            rows.append(rec)
    return rows


def _document_kind(text: str) -> str:
    """The kind most of a document's strong cues point to (achieved on a tie)."""
    table = cues()
    t = _cue_count(text, table["strong_target_cues"])
    a = _cue_count(text, table["strong_achieved_cues"])
    return "target" if t > a else "achieved"


def _document_horizon(text: str, doc_year: int | None) -> int | None:
    """The end of a five-year plan named at least three times in ``text`` and later than ``doc_year``."""
    named: dict[int, int] = {}
    for m in plan_periods(text):
        end = _plan_period_end(m)
        if end and doc_year and end > doc_year:
            named[end] = named.get(end, 0) + 1
    return max((end for end, n in named.items() if n >= 3), default=None)


def _default_kind(ctx: _Context) -> str:
    """The document's default kind (:func:`_document_kind`), read at the first call."""
    if ctx.doc_kind is _UNREAD:
        ctx.doc_kind = _document_kind(ctx.document_text)
    return ctx.doc_kind


def _horizon(ctx: _Context) -> int | None:
    """The document's planning horizon (:func:`_document_horizon`), read at the first call."""
    if ctx.horizon is _UNREAD:
        ctx.horizon = _document_horizon(ctx.document_text, ctx.doc_year)
    return ctx.horizon


class _Original:
    """Clean fragments sought in a document's original as :class:`~workbench.align.Aligner` of its
    whole normalised original finds them, converting (script and width) and aligning only the
    whole lines around the paragraph they come from.

    :meth:`next_paragraph` goes to the next paragraph's lines (:func:`_line_windows`); :meth:`locate` and
    :meth:`locate_in` then search the normalised lines holding it, and answer as the aligner of the
    whole original would: that one finds the first match at or after the given offset, and a
    match found in the lines (searched from the same offset) is that first match, since any match
    starting before it ends before it, inside the lines. The lines' normalised text is the
    normalised original's stretch: the script conversion never looks across a line break (nor
    does the width's, nor the line breaks' and bars' replacement), and t2s maps no key to a value
    of another length (a conversion of the lines that changes their length is not used). Only a
    fragment not found there (or an offset outside the lines, or a paragraph without a span in
    the original) makes the aligner of the whole normalised original, once per document.

    >>> found = _Original("第一行\\r\\n全市增長6.5%，\\n另增長6.5%", [(5, 14)])
    >>> found.next_paragraph()
    >>> found.locate("增长6.5%", 5), found.locate_in("6.5%", (7, 13)), found._whole is None
    ((7, 13), (9, 13), True)
    >>> found.locate("另增长", 5), found._whole is None
    ((15, 18), False)
    """

    __slots__ = ("original", "_whole", "_windows", "_next", "_lines", "_base", "_limit")

    def __init__(self, original: str, spans: list[tuple[int | None, int | None]]):
        """``spans``: ``(orig_start, orig_end)`` of the paragraphs whose fragments are sought, in the
        order :meth:`next_paragraph` goes through them (None: no span in the original)."""
        self.original = original
        self._whole = None  # the aligner of the whole normalised original, when it is needed
        self._windows = _line_windows(original, spans, gap=_WINDOW_GAP)
        self._next = 0
        self._lines, self._base, self._limit = None, 0, 0  # the aligner of the lines searched now

    def whole(self) -> Aligner:
        if self._whole is None:
            self._whole = Aligner(normalized_original(self.original))
            self._lines = None  # the whole is there: no lines are converted again
        return self._whole

    def next_paragraph(self) -> None:
        """Search the lines around the next paragraph of ``spans`` (the whole original: a paragraph
        without a span) from now on."""
        window = self._windows[self._next]
        self._next += 1
        if window is None or self._whole is not None:
            self._lines = None
            return
        a, b = window
        if self._lines is not None and (a, b) == (self._base, self._limit):
            return
        self._lines = None
        normalized, comparable = normalized_and_comparable(self.original[a:b])
        if comparable is not None:  # (None: a conversion changed the length; never with t2s)
            self._lines, self._base, self._limit = LineAligner(normalized), a, b

    def locate(self, fragment: str, start: int = 0) -> tuple[int, int] | None:
        """:meth:`workbench.align.Aligner.locate` in the whole normalised original."""
        lines, base = self._lines, self._base
        if lines is not None and base <= start <= self._limit:
            stripped = without_white_space(fragment)
            if not stripped:
                return None
            gaps = lines.gaps
            j = lines.compact.find(stripped, gaps.kept_before_one(start - base))
            if j >= 0:
                return base + gaps.original_one(j), base + gaps.original_one(j + len(stripped) - 1) + 1
        return self.whole().locate(fragment, start)

    def locate_in(self, fragment: str, span: tuple[int, int]) -> tuple[int, int] | None:
        """:meth:`workbench.align.Aligner.locate_in` in the whole normalised original."""
        lines, base = self._lines, self._base
        if lines is not None and base <= span[0] and span[1] <= self._limit:
            stripped = without_white_space(fragment)
            if stripped:
                gaps = lines.gaps
                j = lines.compact.find(stripped, gaps.kept_before_one(span[0] - base),
                                       gaps.kept_before_one(span[1] - base))
                if j >= 0:
                    return base + gaps.original_one(j), base + gaps.original_one(j + len(stripped) - 1) + 1
            return self.locate(fragment, span[0])
        return self.whole().locate_in(fragment, span)


_WINDOW_GAP = 300  # lines of paragraphs less apart are converted together (one call costs about 300 characters' conversion)


def _line_windows(original: str, spans: list[tuple[int | None, int | None]], *,
                  gap: int = _WINDOW_GAP) -> list[tuple[int, int] | None]:
    """For each span ``(start, end)`` of ``original`` (None: none), the whole lines holding it; the
    lines of consecutive spans that follow one another less than ``gap`` characters apart are
    joined into one stretch of lines, which each of them then gets.

    >>> _line_windows("一\\n二三\\n\\n四\\n" + "五" * 400 + "\\n六", [(2, 4), (6, 7), (None, None), (409, 410)])
    [(2, 8), (2, 8), None, (409, 410)]
    """
    windows: list = []
    group: list = []  # the indexes of the windows joined now
    for k, (start, end) in enumerate(spans):
        if start is None or end is None:
            windows.append(None)
            continue
        a = original.rfind("\n", 0, start) + 1
        b = original.find("\n", end)
        b = len(original) if b < 0 else b + 1
        if group and windows[group[0]][0] <= a <= windows[group[-1]][1] + gap:
            joined = (windows[group[0]][0], max(b, windows[group[-1]][1]))
            windows.append(joined)
            group.append(k)
            for j in group:
                windows[j] = joined
        else:
            windows.append((a, b))
            group = [k]
    return windows


def _unit_as_written(quantity: str, unit: str, original: str, found: _Original, where: tuple[int, int] | int) -> str:
    """The unit in the original's characters (億元, 個 in a traditional text), through the
    character alignment of the normalised original (``found``). The quantity is sought in
    ``where``: the span of its quote in the original (first inside it), or, for a quote not
    found, an offset to search on from."""
    span = found.locate_in(quantity, where) if isinstance(where, tuple) else found.locate(quantity, where)
    if span is None:
        return unicodedata.normalize("NFKC", unit)
    if original.startswith(quantity, span[0]) and span[1] - span[0] == len(quantity):
        return _narrowed(unit)  # written as in the clean text: each character maps to itself
    clean_chars = [c for c in quantity if not c.isspace()]
    orig_chars = [c for c in original[span[0]:span[1]] if not c.isspace()]
    if len(clean_chars) != len(orig_chars):
        return unicodedata.normalize("NFKC", unit)
    mapping = dict(zip(clean_chars, orig_chars))
    # Width is narrowed (％ → %, as SCHEMA v2 asks); traditional characters (億, 個) stay as written.
    return "".join(unicodedata.normalize("NFKC", mapping.get(c, c)) for c in unit)


@lru_cache(maxsize=1024)
def _nfkc(unit: str) -> str:
    """``unit`` in NFKC (a unit is one of a small table's, a magnitude before it)."""
    return unicodedata.normalize("NFKC", unit)


@lru_cache(maxsize=1024)
def _narrowed(unit: str) -> str:
    """``unit`` with each character's width narrowed (NFKC), character by character."""
    return "".join(unicodedata.normalize("NFKC", c) for c in unit)


def _update_heading(ctx: _Context, paragraph: str) -> None:
    """A heading sets the kind and year of its section (top level) or subsection."""
    kind = heading_kind(paragraph)
    year = period_year(paragraph, ctx.doc_year, ctx.review_year)
    top = bool(_pattern("top_heading").match(paragraph))
    if top:
        ctx.section_kind, ctx.section_year = kind, year
        ctx.subsection_kind = ctx.subsection_year = None
    else:
        ctx.subsection_kind, ctx.subsection_year = kind or ctx.subsection_kind, year or ctx.subsection_year
    ctx.paragraph_kind = ctx.paragraph_year = None


def _update_opening(ctx: _Context, paragraph: str) -> None:
    """A paragraph's opening sets the kind and year of its figures (read only for a paragraph
    with a figure, at its first: what it sets holds for its own paragraph only)."""
    ctx.opening = None
    width = _window("opening")
    first = _pattern("sentence_end").search(paragraph, 0, width)  # the first sentence, cut to the window
    opening = paragraph[:first.end() if first else width]
    scan = _SentenceCues(opening, ctx.doc_year, ctx.review_year)  # its cues, read once
    ctx.paragraph_kind = scan.kind_before(len(opening))  # as nearest_kind(opening, len(opening))
    ctx.paragraph_promise = scan.promise is not None
    ctx.paragraph_year = next((y for _, source, y in scan.year_cues if source in ("period", "past")), None)
