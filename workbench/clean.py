"""Cleaning: small ``str -> str`` functions and :func:`clean_document`, which chains them.

Every step is a pure function with its own tests. The original text is always
kept beside the clean one (see :mod:`workbench.corpus`); masked numbers such as
``XX`` or ``X万标箱`` pass through every step unchanged.

The clean text has one paragraph per line. What cleaning removes (web-page
furniture: share bars, breadcrumbs, source and editor lines, related links, a
repeated title) is listed with its offsets in the input and the rule that removed
it; the patterns are data (``data/furniture.tsv``, ``data/boilerplate.txt``).
Every step works on the whole text or makes one pass over its lines: time is
linear in the length of the text.
"""
from __future__ import annotations

import functools
import itertools
import operator
import re
from array import array
import statistics
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from .resources import data_path

# --- character classes -------------------------------------------------------
_HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
HAN = "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in _HAN_RANGES)  # r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_CHAR = re.compile(rf"[{HAN}\u3000-\u303f\uff00-\uffef\u2018-\u201d\u2014\u2026]")
TERMINAL_PUNCT = "。！？；!?;…"
CLOSING_QUOTES = "”’」』）)》"

# Paragraph numbering used by Chinese plans: 一、 （一） (一) 1、 1． and the dash list ——
NUMBERING = re.compile(
    r"(?:[一二三四五六七八九十百]+、|[（(][一二三四五六七八九十百]+[)）]|\d{1,2}[、．](?!\d)|[（(]\d{1,2}[)）]|——)"
)

# --- width and script ---------------------------------------------------------
# Full-width digits, letters and the symbols of numbers fold to ASCII; full-width Chinese
# punctuation (，。：；！？（）) is the norm in Chinese text and stays.
_FOLDED = "０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ％＋－．／＝＜＞＆＃＠＿"
_FULL_TO_HALF = {ord(ch): ord(ch) - 0xFEE0 for ch in _FOLDED}
_FULL_TO_HALF[0x3000] = 0x20
# Small form variants (U+FE50…) used by some web pages: ﹐﹑﹔﹕﹖﹗ become ，、；：？！
_FULL_TO_HALF.update({ord(a): ord(b) for a, b in zip("﹐﹑﹔﹕﹖﹗", "，、；：？！")})
_FOLDABLE = re.compile("[" + re.escape("".join(map(chr, _FULL_TO_HALF))) + "]+")
# The zero-width characters web pages leave (ZWSP, ZWNJ, ZWJ, word joiner, BOM): treated as white space
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_HALF_TO_CJK_PUNCT = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）"}


def normalize_newlines(text: str) -> str:
    """Unify line endings (``\\r\\n``, ``\\r``, U+2028/2029) to ``\\n``; a form feed becomes a blank line.

    The result can be shorter (``\\r\\n``) or longer (``\\f``) than the input: offsets
    into it are not offsets into the file. :func:`clean_document` does not use it: it
    splits the original at the same line breaks and keeps each line's offsets.
    """
    return re.sub(r"\r\n?|[\u2028\u2029]", "\n", text).replace("\f", "\n\n")


def normalize_width(text: str) -> str:
    """Full-width digits and letters to ASCII; punctuation in Chinese context to full-width.

    ``２０２５年`` becomes ``2025年`` and ``％`` becomes ``%``; a half-width ``,;:!?()``
    next to a Chinese character becomes ``，；：！？（）`` unless it sits between two
    digits (``1,200``, ``15:59``). A run of such marks next to a Chinese character
    converts whole (``))中`` becomes ``））中``). The result has the same length as the input.

    >>> normalize_width("增长６．５％,达到")
    '增长6.5%，达到'
    """
    text = _fold_width(text)
    if not any(ch in text for ch in ",;:!?()"):
        return text
    return _PUNCT_RUN.sub(lambda m: _cjk_punctuation(m, text), text)


def _fold_width(text: str) -> str:
    """``text.translate(_FULL_TO_HALF)``, by a table over its UTF-16 code units (a text without any
    such character is returned as it is, after one search)."""
    if len(text) < 256:  # short: a search that finds none costs less than the table
        if _FOLDABLE.search(text) is None:
            return text
    elif text.isascii():  # (the check is a scan in C, faster than any search of a class)
        return text
    import numpy as np

    table = _width_table()
    try:
        units = np.frombuffer(text.encode("utf-16-le"), dtype="<u2")
    except UnicodeEncodeError:  # a lone surrogate (it would pair up in UTF-16): by code points
        codes = code_points(text)
        folded = np.where(codes < 0x10000, table[np.minimum(codes, 0xFFFF)], codes).astype("<u4")
        return folded.tobytes().decode("utf-32-le", "surrogatepass")
    return table[units].tobytes().decode("utf-16-le")


@lru_cache(maxsize=1)
def _width_table():
    """Each UTF-16 code unit, or what :data:`_FULL_TO_HALF` makes of it (all are below U+D800)."""
    import numpy as np

    table = np.arange(0x10000, dtype="<u2")
    for a, b in _FULL_TO_HALF.items():
        table[a] = b
    return table


_PUNCT_RUN = re.compile(f"[,;:!?()](?:[{_ZERO_WIDTH}]*[,;:!?()])*")  # zero-width characters inside a run
_TO_CJK_PUNCT = str.maketrans(_HALF_TO_CJK_PUNCT)


def _cjk_punctuation(m: re.Match, text: str) -> str:
    """One run of half-width marks: all full-width when a Chinese character touches the run.

    Zero-width characters between the run and its neighbours are looked through.
    """
    run, i, j = m.group(), m.start(), m.end()
    while i and text[i - 1] in _ZERO_WIDTH:
        i -= 1
    while j < len(text) and text[j] in _ZERO_WIDTH:
        j += 1
    before = text[i - 1] if i else " "
    after = text[j] if j < len(text) else " "
    if len(run) == 1 and before.isdigit() and after.isdigit():
        return run
    if _CJK_CHAR.match(before) or _CJK_CHAR.match(after):
        return run.translate(_TO_CJK_PUNCT)
    return run


@lru_cache(maxsize=1)
def _t2s():
    from opencc import OpenCC

    return OpenCC("t2s")


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def to_simplified(text: str) -> str:
    """Traditional to simplified characters with OpenCC's ``t2s`` conversion.

    A lone surrogate (a string the Python API received from a broken decoding; no file
    read by workbench holds one) cannot be converted: each is replaced by U+FFFD, the
    replacement character, keeping the text's length.

    >>> to_simplified("泗洪將改革創新進行到底")
    '泗洪将改革创新进行到底'
    >>> to_simplified("發展" + chr(0xD800)) == "发展" + chr(0xFFFD)
    True
    """
    try:
        return _t2s().convert(text)
    except UnicodeEncodeError:  # (the conversion encodes the text as UTF-8: only a lone surrogate fails)
        if not _LONE_SURROGATE.search(text):
            raise
        return _t2s().convert(_LONE_SURROGATE.sub("\ufffd", text))


def code_points(text: str):
    """The text as a numpy array of its Unicode code points (uint32)."""
    import numpy as np

    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _is_han(codes):
    """Which code points are Han characters (the ranges of :data:`HAN`)."""
    import numpy as np

    blocks = _han_blocks()  # the ranges start and end on multiples of 64: one look-up per code point
    return blocks[np.minimum(codes >> 6, len(blocks) - 1)]


@lru_cache(maxsize=1)
def _han_blocks():
    """Which blocks of 64 code points (``code >> 6``) are Han characters, up to the last Han range."""
    import numpy as np

    blocks = np.zeros(max(b for _, b in _HAN_RANGES) // 64 + 2, dtype=bool)  # the last block: no Han
    for a, b in _HAN_RANGES:
        blocks[a // 64:(b + 1) // 64] = True
    return blocks


def detect_script(text: str) -> str:
    """``"traditional"``, ``"simplified"`` or ``"none"`` (no Han characters).

    A text is traditional when at least 5% of its Han characters change under
    OpenCC's traditional-to-simplified conversion.
    """
    prefix = 40000
    while True:  # the first 20,000 Han characters, from a prefix long enough to hold them
        codes = code_points(text[:prefix])
        han = codes[_is_han(codes)]
        if len(han) >= 20000 or prefix >= len(text):
            break
        prefix *= 2
    if not len(han):
        return "none"
    han = han[:20000]
    sample = han.tobytes().decode("utf-32-le")
    converted = to_simplified(sample)
    if len(converted) == len(sample):  # the usual case: compare code points as arrays
        changed = int((han != code_points(converted)).sum())
    else:
        changed = sum(a != b for a, b in zip(sample, converted))
    return "traditional" if changed / len(sample) >= 0.05 else "simplified"


# --- furniture patterns -------------------------------------------------------------
BOILERPLATE_MAX_LINE = 80
SCOPES = ("line", "label", "list", "run", "to-end")


class FurniturePattern(NamedTuple):
    """One pattern of page furniture: the rule's name, the compiled expression, its scope.

    ``rule`` names the removals it makes; ``scope`` (one of :data:`SCOPES`) says what goes
    with a matching line (see ``workbench/data/furniture.tsv``).
    """

    rule: str
    regex: re.Pattern
    scope: str = "line"


def parse_patterns(text: str, *, source: str = "patterns") -> tuple[FurniturePattern, ...]:
    """Parse the text of a pattern file into :class:`FurniturePattern` tuples, in file order.

    A line ``rule<TAB>scope<TAB>regex`` (the format of ``furniture.tsv``) or
    ``rule<TAB>regex`` (scope ``line``) names its rule; a line with no tab is a bare
    regular expression (the format of ``boilerplate.txt``) and gets the rule
    ``boilerplate:<line number>``. Blank lines and lines starting with ``#`` are skipped.
    ``source`` names the file in error messages.

    >>> [(p.rule, p.scope, p.regex.pattern) for p in parse_patterns("^搜索$\\neditor\\tlabel\\t^责任编辑[:：]")]
    [('boilerplate:1', 'line', '^搜索$'), ('editor', 'label', '^责任编辑[:：]')]
    """
    patterns = []
    where = (lambda n: f"{source}:{n}") if source else (lambda n: f"line {n}")  # noqa: E731
    for n, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        fields = stripped.split("\t")
        if len(fields) == 1:
            rule, scope, expr = f"boilerplate:{n}", "line", stripped
        elif len(fields) == 2:
            (rule, expr), scope = fields, "line"
        else:
            rule, scope, expr = fields[0], fields[1], "\t".join(fields[2:])
        rule, scope = rule.strip(), scope.strip()
        if scope not in SCOPES:
            raise ValueError(f"{where(n)}: scope {scope!r} is not one of {', '.join(SCOPES)}")
        try:
            patterns.append(FurniturePattern(rule, re.compile(expr), scope))
        except re.error as exc:
            raise ValueError(f"{where(n)}: not a regular expression: {exc}") from exc
    return tuple(patterns)


def parse_pattern_file(text: str) -> tuple[FurniturePattern, ...]:
    """:func:`parse_patterns` of a file's text (errors name the line; :mod:`workbench.datafiles` adds the file)."""
    return parse_patterns(text, source="")


def load_boilerplate_patterns(path: str | Path | None = None) -> tuple[FurniturePattern, ...]:
    """The patterns of a file (default: the shipped ``boilerplate.txt``), see :func:`parse_patterns`.

    Read by content (:mod:`workbench.datafiles`): a file edited in place is parsed again.
    """
    from . import datafiles

    if path is None:
        return _shipped_boilerplate()
    return datafiles.parsed(datafiles.read(path, what="boilerplate file"), parse_pattern_file)


@lru_cache(maxsize=1)
def _shipped_boilerplate() -> tuple[FurniturePattern, ...]:
    """The shipped ``boilerplate.txt`` (package data, part of every cache key through the code digest)."""
    source = data_path("boilerplate.txt")
    return parse_patterns(source.read_text(encoding="utf-8"), source=str(source))


@lru_cache(maxsize=1)
def furniture_patterns() -> tuple[FurniturePattern, ...]:
    """The shipped furniture patterns (``furniture.tsv``)."""
    source = data_path("furniture.tsv")
    return parse_patterns(source.read_text(encoding="utf-8"), source=str(source))


def default_patterns(boilerplate: str | Path | None = None) -> tuple[FurniturePattern, ...]:
    """``furniture.tsv`` followed by ``boilerplate.txt`` (or the user's ``boilerplate`` file)."""
    return furniture_patterns() + load_boilerplate_patterns(boilerplate)


def _as_patterns(patterns) -> tuple[FurniturePattern, ...]:
    """Accept FurniturePatterns or bare compiled expressions (rule ``boilerplate:<n>``)."""
    out = []
    for n, p in enumerate(patterns, 1):
        if isinstance(p, FurniturePattern):
            out.append(p)
        elif isinstance(p, re.Pattern):
            out.append(FurniturePattern(f"boilerplate:{n}", p, "line"))
        else:
            raise ValueError("patterns must be FurniturePattern or compiled re.Pattern objects, "
                             f"not {type(p).__name__}")
    return tuple(out)


class _Matcher:
    """All patterns at once: combined expressions instead of a loop over the patterns.

    Patterns anchored with ``^`` (and no ``|`` outside a group) are combined into one
    expression tried only at the start of the line (``match``), the other plain ones
    into one that is searched: together they reject most lines in two calls. A line
    that passes goes to one more expression, the patterns in file order as one
    alternation, each one's search as a match (``(?s:.*?)`` before it): the first
    alternative that matches names the first pattern, in file order, that the line
    matches. A pattern compiled with flags, with named groups or with a
    back-reference is not combined: the patterns are then tried one by one.

    When every pattern is combined, cheap steps skip most of that work, with the same
    results. The anchored patterns are tried one by one, in file order, and a line tries
    only those that can start with its first character (read from each pattern's parse
    tree, see :func:`_first_items`); the first that matches is the answer unless a
    floating pattern comes before it in file order. :meth:`first_of_lines` finds, in one
    scan of all the lines of a document, the lines holding a literal text that some
    floating pattern, or some anchored pattern that can start with any character,
    needs (see :func:`_required`); only there are those patterns tried.
    """

    def __init__(self, patterns: tuple[FurniturePattern, ...]):
        self.patterns = patterns
        anchored, floating, alone = [], [], []
        floating_exprs: set[str] = set()
        ordered: list[str] | None = []
        alternatives: list[tuple[int, str, bool]] = []  # (number, alternative of _which, anchored)
        for n, p in enumerate(patterns):
            expr = p.regex.pattern
            if not _combinable(p.regex):
                alone.append(p.regex.search)
                ordered = None
                continue
            at_start = expr.startswith("^") and not _top_level_bar(expr)
            (anchored if at_start else floating).append(expr[1:] if at_start else expr)
            if not at_start:
                floating_exprs.add(expr)
            if ordered is not None:
                ordered.append(f"(?P<_{n}>{'' if at_start else '(?s:.*?)'}(?:{expr}))")
                alternatives.append((n, ordered[-1], at_start))
        self._float = None
        try:
            self.tests = [re.compile("|".join(f"(?:{x})" for x in anchored)).match] if anchored else []
            if floating:
                gate = _first_character_gate([p.regex for p in patterns if p.regex.pattern in floating_exprs])
                self._float = re.compile(gate + "(?:" + "|".join(f"(?:{x})" for x in floating) + ")").search
                self.tests.append(self._float)
            self.tests.extend(alone)
            self._which = re.compile("|".join(ordered)).match if ordered else None
        except re.error:  # e.g. a global flag inside one pattern: test them one by one
            self.tests = [p.regex.search for p in patterns]
            self._which = None
        self._one_test = self.tests[0] if len(self.tests) == 1 else None
        # the quick path: every pattern combined
        self._fast = self._which is not None
        if self._fast:
            # each anchored pattern with a test of the first characters it can start with (None: any),
            # tried alone: a line tries only those that can start with its first character
            anchored_ns = [n for n, _, at_start in alternatives if at_start]
            firsts = {n: first_characters(patterns[n].regex) for n in anchored_ns}
            anywhere = [n for n in anchored_ns if firsts[n] is None]
            self._anchored = [(n, patterns[n].regex.match, re.compile(firsts[n]).fullmatch if firsts[n] else None)
                              for n in anchored_ns]
            # those starting anywhere are tried only in lines holding a literal each of them needs (one scan)
            literals = [_required_literals(patterns[n].regex) for n in anywhere]
            self._any_scan = (_literal_scan(x for found in literals for x in found)
                              if anywhere and all(found is not None for found in literals) else None)
            # floating patterns that some literal text in the line must announce: found by one scan
            # of all lines (a search for literals skips ahead in C); the others are searched in each line
            floating_ns = [n for n, _, at_start in alternatives if not at_start]
            pieces = {n: _required_literals(patterns[n].regex) for n in floating_ns}
            scanned = [n for n in floating_ns if pieces[n] is not None]
            rest = [n for n in floating_ns if pieces[n] is None]
            self._scan = _literal_scan(x for n in scanned for x in pieces[n]) if scanned else None
            self._rest = (re.compile(_first_character_gate([patterns[n].regex for n in rest]) + "(?:"
                                     + "|".join(f"(?:{patterns[n].regex.pattern})" for n in rest) + ")").search
                          if rest and scanned else None)
            # the fewest characters a match of those can take: a shorter line is not searched
            self._rest_shortest = min((_sre_parser().parse(patterns[n].regex.pattern).getwidth()[0] for n in rest),
                                      default=0)
            self._which_floating = re.compile("|".join(alt for _, alt, at_start in alternatives if not at_start)).match
            self._first_floating = min(floating_ns, default=len(patterns))
            self._by_first: dict[str, tuple] = {}  # first character -> the anchored patterns to try (_anchored_for)

    def first(self, line: str) -> FurniturePattern | None:
        """The first pattern (in order) that a line of at most 80 characters matches, else None."""
        if len(line) > BOILERPLATE_MAX_LINE:
            return None
        if self._fast:
            return self._first_fast(line, True)
        if self._one_test is not None:
            if self._one_test(line) is None:
                return None
        elif not any(test(line) for test in self.tests):
            return None
        if self._which is not None:
            m = self._which(line)  # the outer group of the alternative closes last: it is lastgroup
            return self.patterns[int(m.lastgroup[1:])] if m is not None else None
        return next((p for p in self.patterns if p.regex.search(line)), None)

    def first_of_lines(self, lines: list[str], kinds: list[str]) -> list[FurniturePattern | None]:
        """:meth:`first` of each line whose kind is ``"text"`` (None for the others)."""
        if not self._fast:
            first = self.first
            return [first(t) if k == "text" else None for t, k in zip(lines, kinds)]
        may_float, may_any = _lines_holding((self._scan, self._any_scan), lines)
        fast, most = self._first_fast, BOILERPLATE_MAX_LINE
        if may_float is _EVERY_LINE and may_any is _EVERY_LINE:
            return [fast(t, True, True) if k == "text" and len(t) <= most else None for t, k in zip(lines, kinds)]
        return [fast(t, i in may_float, i in may_any) if k == "text" and len(t) <= most else None
                for i, (t, k) in enumerate(zip(lines, kinds))]

    def _first_fast(self, line: str, may_float: bool, may_any: bool = True) -> FurniturePattern | None:
        """:meth:`first` of a line of at most 80 characters; ``may_float``: the floating patterns that
        a literal announces can match it; ``may_any``: the anchored ones whose first characters are
        unknown can."""
        tried = self._by_first.get(line[:1])
        if tried is None:
            tried = self._by_first[line[:1]] = self._anchored_for(line[:1])
        first = len(self.patterns)
        for n, match in tried[0] if may_any else tried[1]:  # the first anchored one that matches
            if match(line) is not None:
                first = n
                break
        if first > self._first_floating and self._float is not None and (
                self._float(line) is not None if may_float else (
                    self._rest is not None and len(line) >= self._rest_shortest and self._rest(line) is not None)):
            m = self._which_floating(line)  # the first floating one that matches
            first = min(first, int(m.lastgroup[1:]))
        return self.patterns[first] if first < len(self.patterns) else None

    def _anchored_for(self, char: str) -> tuple[tuple, tuple]:
        """The anchored patterns a line starting with ``char`` can match, in file order, as ``(number,
        match)``: those whose first characters hold ``char`` and those whose first characters are
        unknown; and the same without the latter."""
        known = {n for n, _, starts in self._anchored if starts is not None and starts(char) is not None}
        return (tuple((n, match) for n, match, starts in self._anchored if starts is None or n in known),
                tuple((n, match) for n, match, _ in self._anchored if n in known))


def _lines_holding(scans: tuple, lines: list[str]) -> list:
    """For each scan, the indexes of the lines in which it finds a literal, or every line
    (:data:`_EVERY_LINE`) when the scan is None.

    The lines are joined by ``\\n`` and scanned a stretch of about 1 M characters at a time:
    the joined copy stays small. (A literal holds no line break, so none is lost where two
    stretches meet; the sets only say which lines a pattern must still be tried on.)

    >>> found = _lines_holding((re.compile("责任编辑|来源"), None), ["正文。", "来源：新华社", "责任编辑：王五"])
    >>> found[0], found[1] is _EVERY_LINE
    ({1, 2}, True)
    """
    if all(scan is None for scan in scans):
        return [_EVERY_LINE] * len(scans)
    found = [None if scan is None else set() for scan in scans]
    import numpy as np

    lengths = np.fromiter(map(len, lines), dtype=np.int64, count=len(lines)) + 1
    ends = np.cumsum(lengths)  # where each line ends (after its "\n") in the lines joined
    a = 0
    while a < len(lines):
        first = int(ends[a] - lengths[a])
        b = max(a + 1, int(np.searchsorted(ends, first + _SCAN_CHUNK, side="right")))
        joined = "\n".join(lines[a:b])
        starts = ends[a:b] - lengths[a:b] - first  # where each line starts in the stretch
        for scan, into in zip(scans, found):
            if scan is not None:
                at = np.fromiter((m.start() for m in scan.finditer(joined)), dtype=np.int64)
                into.update((np.searchsorted(starts, at, side="right") - 1 + a).tolist())
        del joined
        a = b
    return [_EVERY_LINE if into is None else into for into in found]


_SCAN_CHUNK = 1 << 20  # characters of lines scanned at once (:func:`_lines_holding`)


class _EveryLine:
    """A set that holds every line index."""

    def __contains__(self, item) -> bool:
        return True


_EVERY_LINE = _EveryLine()


def _literal_scan(literals) -> re.Pattern:
    """An expression finding, in lines joined by ``\\n``, each line holding one of the (escaped) literals:
    a literal and the rest of its line (an alternation of literals skips ahead in C)."""
    return re.compile("(?:" + "|".join(dict.fromkeys(literals)) + ")[^\n]*")


def first_characters(regex: re.Pattern) -> str | None:
    r"""A class of the characters any match of a pattern can start with, or None (any character,
    or a pattern that can match nothing at all), read from the pattern's parse tree.

    >>> first_characters(re.compile(r"[（(]?[a-z]+")), first_characters(re.compile(r"(?:增长|提高)?\d"))
    ('[\\(a-z（]', '[\\d增提]')
    >>> first_characters(re.compile(r"[a-z]*")) is None
    True
    """
    try:
        found = _first_items(_sre_parser().parse(regex.pattern, regex.flags), bool(regex.flags & re.IGNORECASE))
    except Exception:  # noqa: BLE001 - a parse tree this reading does not know: any character
        return None
    if found is None or found[2] or not (found[0] or found[1]):
        return None
    classes = ([f"[{''.join(sorted(found[0]))}]"] if found[0] else []) + (
        [f"(?i:[{''.join(sorted(found[1]))}])"] if found[1] else [])
    return "|".join(classes)


_UNKNOWN = object()


def _required_literals(regex: re.Pattern) -> list[str] | None:
    """Escaped literal strings, one of which every match of a pattern contains (see :func:`_required`),
    or None when no such literals (without IGNORECASE) are known."""
    try:
        found = _required(_sre_parser().parse(regex.pattern, regex.flags), bool(regex.flags & re.IGNORECASE))
    except Exception:  # noqa: BLE001 - a parse tree this reading does not know: no literals
        return None
    if found is None or any(piece.startswith(("(?", "[")) for piece, _ in found):
        return None
    return [piece for piece, _ in found]


def _required(items, ignorecase: bool) -> list[tuple[str, float]] | None:
    """Pieces of an expression, one of which every match of a sequence of the parse tree contains,
    with their cost (lower: rarer), or None when no such pieces are known.

    A piece is a literal string, a class of characters or a class repeated a fixed number of
    times; none can match a line break, so a piece found in lines joined by line breaks lies
    within one line.
    """
    from re import _constants as c

    candidates, run = [], []

    def flush():
        if run:
            candidates.append([_literal_piece("".join(run), ignorecase)])
            run.clear()

    for op, av in items:
        if op is c.LITERAL and chr(av) != "\n":
            run.append(chr(av))
            continue
        flush()
        found = _required_item(op, av, ignorecase, c)
        if found is not None:
            candidates.append(found)
    flush()
    return min(candidates, key=lambda pieces: sum(cost for _, cost in pieces)) if candidates else None


def _literal_piece(text: str, ignorecase: bool) -> tuple[str, float]:
    escaped = re.escape(text)
    return (f"(?i:{escaped})" if ignorecase else escaped), 1 / len(text) + (0.5 if text.isascii() else 0)


_REQUIRED_CATEGORIES = {"CATEGORY_DIGIT": r"\d", "CATEGORY_WORD": r"\w", "CATEGORY_UNI_DIGIT": r"\d",
                        "CATEGORY_UNI_WORD": r"\w"}  # no white space: it holds the line break


def _required_item(op, av, ignorecase: bool, c) -> list[tuple[str, float]] | None:
    if op is c.IN:
        if not ignorecase and all(o is c.LITERAL for o, _ in av):  # a class of characters: each one a literal
            return [(re.escape(chr(a)), (1.0 + 0.2 * len(av)) / len(av)) for _, a in av if chr(a) != "\n"] or None
        out, broad = [], False
        for o, a in av:
            if o is c.LITERAL:
                out.append(re.escape(chr(a)))
            elif o is c.RANGE:
                out.append(f"{re.escape(chr(a[0]))}-{re.escape(chr(a[1]))}")
                broad = broad or a[1] - a[0] > 20
            elif o is c.CATEGORY and str(a) in _REQUIRED_CATEGORIES:
                out.append(_REQUIRED_CATEGORIES[str(a)])
                broad = True
            else:
                return None  # a negated class, white space …
        piece = f"(?i:[{''.join(out)}])" if ignorecase else f"[{''.join(out)}]"
        if re.match(piece, "\n"):
            return None
        return [(piece, (10.0 if broad else 1.0 + 0.2 * len(out)) + (0.5 if ignorecase else 0))]
    if op is c.SUBPATTERN:
        _, add, remove, sub = av
        return _required(sub, bool((ignorecase or add & re.IGNORECASE) and not remove & re.IGNORECASE))
    if op is c.BRANCH:
        out = []
        for alternative in av[1]:
            found = _required(alternative, ignorecase)
            if found is None:
                return None
            out += found
        return out
    if op in (c.MAX_REPEAT, c.MIN_REPEAT) or op is getattr(c, "POSSESSIVE_REPEAT", None):
        low, _, sub = av
        if low < 1:
            return None
        found = _required(sub, ignorecase)
        if low > 1 and len(sub) == 1 and found is not None and len(found) == 1 and sub[0][0] in (c.IN, c.LITERAL):
            piece, cost = found[0]  # one character, repeated: the run is required
            return [(f"(?:{piece}){{{low}}}", cost / low)]
        return found
    if op is getattr(c, "ATOMIC_GROUP", None):
        return _required(av, ignorecase)
    if op is c.ASSERT:  # a lookahead or lookbehind that must match: what it holds is in the line
        return _required(av[1], ignorecase)
    return None


def _first_character_gate(regexes: list[re.Pattern]) -> str:
    """A lookahead ``(?=[…])`` of the characters any match of the patterns can start with, or ``""``.

    Searched with it, a combined expression is tried only where such a character stands
    (the search skips to them in one scan) instead of trying every alternative at every
    position. The set is worked out from each pattern's parse tree and is a superset: when
    any pattern may start with a character it cannot name (``.``, a negated class, a
    pattern that can match nothing at all), there is no gate.
    """
    plain, folded = set(), set()
    try:
        for regex in regexes:
            found = _first_items(_sre_parser().parse(regex.pattern, regex.flags), bool(regex.flags & re.IGNORECASE))
            if found is None or found[2]:
                return ""
            plain |= found[0]
            folded |= found[1]
    except Exception:  # noqa: BLE001 - a parse tree this reading does not know: no gate, same results
        return ""
    classes = ([f"[{''.join(sorted(plain))}]"] if plain else []) + ([f"(?i:[{''.join(sorted(folded))}])"] if folded else [])
    return f"(?={'|'.join(classes)})" if classes else ""


def _sre_parser():
    from re import _parser  # the parse tree of a regular expression (sre_parse)

    return _parser


def _first_items(items, ignorecase: bool):
    """``(class items, class items under IGNORECASE, whether it can match nothing)`` of a sequence, or None."""
    from re import _constants as c

    plain, folded = set(), set()
    for op, av in items:
        found = _first_item(op, av, ignorecase, c)
        if found is None:
            return None
        plain |= found[0]
        folded |= found[1]
        if not found[2]:
            return plain, folded, False
    return plain, folded, True


_CATEGORIES = {"CATEGORY_DIGIT": r"\d", "CATEGORY_SPACE": r"\s", "CATEGORY_WORD": r"\w",
               "CATEGORY_UNI_DIGIT": r"\d", "CATEGORY_UNI_SPACE": r"\s", "CATEGORY_UNI_WORD": r"\w"}


def _first_item(op, av, ignorecase: bool, c):
    def chars(items):
        return (set(), set(items), False) if ignorecase else (set(items), set(), False)

    if op is c.LITERAL:
        return chars({re.escape(chr(av))})
    if op is c.IN:
        out = set()
        for o, a in av:
            if o is c.LITERAL:
                out.add(re.escape(chr(a)))
            elif o is c.RANGE:
                out.add(f"{re.escape(chr(a[0]))}-{re.escape(chr(a[1]))}")
            elif o is c.CATEGORY and str(a) in _CATEGORIES:
                out.add(_CATEGORIES[str(a)])
            else:
                return None  # a negated class, \D, \S, \W …
        return chars(out)
    if op is c.SUBPATTERN:
        _, add, remove, sub = av
        return _first_items(sub, bool((ignorecase or add & re.IGNORECASE) and not remove & re.IGNORECASE))
    if op is c.BRANCH:
        plain, folded, empty = set(), set(), False
        for alternative in av[1]:
            found = _first_items(alternative, ignorecase)
            if found is None:
                return None
            plain, folded, empty = plain | found[0], folded | found[1], empty or found[2]
        return plain, folded, empty
    if op in (c.MAX_REPEAT, c.MIN_REPEAT) or op is getattr(c, "POSSESSIVE_REPEAT", None):
        low, _, sub = av
        found = _first_items(sub, ignorecase)
        return None if found is None else (found[0], found[1], found[2] or low == 0)
    if op is getattr(c, "ATOMIC_GROUP", None):
        return _first_items(av, ignorecase)
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
        return set(), set(), True  # takes no character
    return None


_BACK_REFERENCE = re.compile(r"\\[1-9]|\(\?P=|\(\?\(")


def _combinable(regex: re.Pattern) -> bool:
    """Whether a pattern can join an alternation unchanged: a str pattern without global
    flags, named groups, back-references or conditionals (group numbers shift there)."""
    return (isinstance(regex.pattern, str) and not regex.flags & ~re.UNICODE and not regex.groupindex
            and not _BACK_REFERENCE.search(regex.pattern))


def _top_level_bar(expr: str) -> bool:
    """Whether a regular expression has a ``|`` outside any group or character class."""
    depth, in_class, escaped = 0, False, False
    for ch in expr:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            return True
    return False


@lru_cache(maxsize=16)
def _matcher(patterns: tuple[FurniturePattern, ...]) -> _Matcher:
    return _Matcher(patterns)


def is_boilerplate(line: str, patterns: Iterable | None = None) -> bool:
    """True when a (short) line matches one of the furniture or boilerplate patterns.

    >>> is_boilerplate("给领导留言"), is_boilerplate("全年实现地区生产总值623.2亿元。")
    (True, False)
    """
    line = line.strip()
    if not line:
        return False
    matcher = _default_matcher() if patterns is None else _matcher(_as_patterns(patterns))
    return matcher.first(line) is not None


@lru_cache(maxsize=1)
def _default_matcher() -> _Matcher:
    """The matcher of the shipped patterns (package data: part of the code's digest), built once."""
    return _matcher(default_patterns())


# --- removals and the clean document -------------------------------------------------


@dataclass(frozen=True)
class Removal:
    """A stretch of the input removed by cleaning: ``text == original[start:end]``."""

    start: int
    end: int
    text: str
    rule: str


@dataclass(frozen=True)
class Cleaned:
    """The clean text (one paragraph per line) and the table of what was removed, in order."""

    text: str
    removed: list[Removal] = field(default_factory=list)

    def removals_table(self, doc_id: str | None = None):
        """The removals as a DataFrame ``doc_id, start, end, text, rule``."""
        import pandas as pd

        return pd.DataFrame([(doc_id, r.start, r.end, r.text, r.rule) for r in self.removed],
                            columns=["doc_id", "start", "end", "text", "rule"])


_LINE_BREAK = re.compile(r"\r\n|[\n\r\u2028\u2029\f]")
_SPACES = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())
_EDGE_CHARS = _SPACES + _ZERO_WIDTH + "|"  # a "|" at either end of a line is a table rule


class _Lines:
    """The input split at its line breaks, each line with its span in the input.

    ``text[i]`` is line i stripped of white space and zero-width characters, in simplified
    script and normalised width; ``start[i]:end[i]`` is that stripped content in the
    input. ``kind[i]`` is ``"text"``, ``"blank"`` or ``"invisible"`` (only zero-width
    characters: ignored, it neither separates nor holds anything). A form feed adds a
    blank line.
    """

    def __init__(self, original: str, comparable: str | None = None):
        if comparable is None:
            comparable = _comparable(original)
        elif len(comparable) != len(original):
            raise ValueError("comparable must have the length of the text (see align.normalized_and_comparable)")
        if any(ch in original for ch in "\r\f\u2028\u2029"):
            spans, pos = [], 0
            for m in _LINE_BREAK.finditer(original):
                spans.append((pos, m.start()))
                if m.group() == "\f":
                    spans.append((m.end(), m.end()))
                pos = m.end()
            spans.append((pos, len(original)))
            raw = [comparable[a:b] for a, b in spans]
            offsets = [a for a, _ in spans]
        else:  # only \n: split, and the offsets are running sums of the lengths
            raw = comparable.split("\n")
            offsets = itertools.accumulate((len(r) + 1 for r in raw[:-1]), initial=0)
        visible = list(map(str.strip, raw, itertools.repeat(_EDGE_CHARS)))
        # offsets as arrays of machine integers: memory of 8 bytes a line, not a Python int;
        # made by iterators in C (no Python step per line): a line's start is its offset plus
        # what lstrip removes, or its offset when nothing is visible
        leading = map(operator.sub, map(len, raw), map(len, map(str.lstrip, raw, itertools.repeat(_EDGE_CHARS))))
        self.start = array("q", map(operator.add, offsets, map(operator.mul, leading, map(bool, visible))))
        del offsets, leading
        self.end = array("q", map(operator.add, self.start, map(len, visible)))
        self.text = visible
        self.kind = ["text" if v else ("blank" if not r or r.isspace() else "invisible") for r, v in zip(raw, visible)]

    def __len__(self) -> int:
        return len(self.text)


def _comparable(original: str) -> str:
    """The original in simplified script and normalised width, character for character."""
    text = normalize_width(to_simplified(original))
    if len(text) == len(original):
        return text
    table = {}  # a phrase conversion changed the length: convert character by character
    for ch in set(original):
        conv = to_simplified(ch)
        table[ch] = conv if len(conv) == 1 else ch
    return normalize_width("".join(table[ch] for ch in original))


# --- finding furniture lines ---------------------------------------------------------
_SENTENCE_PUNCT = re.compile(r"[。！？；!?;，,]")
_VALUE_MAX = 20
_LIST_ITEM_MAX = 60
_LIST_MAX_ITEMS = 40
_TO_END_MAX = 1500


def _next_text(lines: _Lines, i: int) -> int | None:
    for j in range(i + 1, len(lines)):
        if lines.kind[j] == "text":
            return j
    return None


def _prev_text(lines: _Lines, i: int) -> int | None:
    for j in range(i - 1, -1, -1):
        if lines.kind[j] == "text":
            return j
    return None


def _find_furniture(lines: _Lines, patterns: tuple[FurniturePattern, ...]) -> list[str | None]:
    """The rule that removes each line, or None."""
    n = len(lines)
    rule: list[str | None] = [None] * n
    hits = _matcher(patterns).first_of_lines(lines.text, lines.kind)
    run_candidates, rest_lengths = [], None
    for i in itertools.compress(range(n), map(operator.is_not, hits, itertools.repeat(None))):  # the lines hit
        p = hits[i]
        if rule[i] is not None:
            continue
        if p.scope == "run":
            run_candidates.append(i)
            continue
        rule[i] = p.rule
        if p.scope == "label" and lines.text[i][-1] in ":：":
            j = _next_text(lines, i)
            if j is not None and rule[j] is None and _is_value(lines.text[j]):
                rule[j] = p.rule
        elif p.scope == "list":
            j = _next_text(lines, i)
            for _ in range(_LIST_MAX_ITEMS):
                if j is None or not _is_list_item(lines.text[j]):
                    break
                rule[j] = rule[j] or p.rule
                j = _next_text(lines, j)
        elif p.scope == "to-end":
            if rest_lengths is None:  # characters from each line to the end, computed once
                rest_lengths = list(itertools.accumulate(map(len, reversed(lines.text))))[::-1]
            if rest_lengths[i] <= _TO_END_MAX:
                for j in range(i, n):
                    if lines.kind[j] == "text":
                        rule[j] = rule[j] or p.rule
                break
            rule[i] = None
    for _ in range(2):  # a bar split over lines: candidates next to candidates or furniture
        for i in run_candidates:
            if rule[i] is None:
                near = [j for j in (_prev_text(lines, i), _next_text(lines, i)) if j is not None]
                if any(rule[j] is not None or (hits[j] is not None and hits[j].scope == "run") for j in near):
                    rule[i] = hits[i].rule
    _header_and_footer_blocks(lines, rule, hits)
    return rule


def _is_value(text: str) -> bool:
    """The value of a label on the next line: short (longer if it holds no Chinese), not a sentence or heading."""
    short = len(text) <= _VALUE_MAX or (len(text) <= 2 * _VALUE_MAX and not _HAN_CHAR.search(text))
    return short and not _SENTENCE_PUNCT.search(text) and not _is_heading_start(text)


def _is_list_item(text: str) -> bool:
    return len(text) <= _LIST_ITEM_MAX and not _ends_sentence(text) and not _is_heading_start(text)


def _header_and_footer_blocks(lines: _Lines, rule: list, hits: list) -> None:
    """Two rules for blocks of furniture (rules ``header-block`` and ``footer-run``).

    A leading or trailing block, set off by two blank lines, of short lines in which at
    least two lines, and 40% of all, are furniture goes whole (an advertising header:
    ``仅供学习 禁止外传``, QQ groups, subscription offers). The trailing run of short lines
    without sentence punctuation that holds a furniture line goes whole (site footers:
    ``江苏要闻 / 给领导留言``).
    """
    n = len(lines)
    blocks, start, blanks = [], None, 0
    for i in range(n):
        if lines.kind[i] == "text":
            if start is None:
                start = i
            elif blanks >= 2:
                blocks.append((start, last + 1))
                start = i
            last, blanks = i, 0
        elif lines.kind[i] == "blank":
            blanks += 1
    if start is not None:
        blocks.append((start, last + 1))
    if len(blocks) >= 2:
        for a, b in (blocks[0], blocks[-1]):
            body = [j for j in range(a, b) if lines.kind[j] == "text"]
            found = sum(rule[j] is not None for j in body)
            short = all(len(lines.text[j]) <= BOILERPLATE_MAX_LINE for j in body)
            if found >= 2 and found / len(body) >= 0.4 and short:
                for j in body:
                    rule[j] = rule[j] or "header-block"
    tail, hit = [], False
    for j in range(n - 1, -1, -1):
        if lines.kind[j] != "text":
            continue
        text = lines.text[j]
        if len(text) > 20 or (text[-1] in TERMINAL_PUNCT and rule[j] is None):
            break
        tail.append(j)
        hit = hit or rule[j] is not None
    if hit:
        for j in tail:
            rule[j] = rule[j] or "footer-run"


def remove_boilerplate(text: str, patterns: Iterable | None = None) -> str:
    """Drop the furniture lines of a text (see :func:`clean_document`); other lines stay as they are.

    >>> remove_boilerplate("搜索\\n正文。\\n责任编辑：\\n王五")
    '正文。'
    """
    patterns = default_patterns() if patterns is None else _as_patterns(patterns)
    lines = _Lines(text)
    rule = _find_furniture(lines, patterns)
    pieces = [text[a:b] if k == "text" else "" for a, b, k in zip(lines.start, lines.end, lines.kind)]
    return "\n".join(p for p, r in zip(pieces, rule) if r is None).strip("\n")


# --- broken lines and paragraphs ----------------------------------------------------
# A line that ends with one of these continues on the next line; one that starts with one
# of these continues the line before.
PUNCT_CONTINUES = "，、（《“‘(,—-/"  # a line ending so is unfinished, a heading too
END_CONTINUES = PUNCT_CONTINUES + "的了和与及或在对把被将从向以而并为于是"
START_CONTINUES = "，。、；：！？）》」』”’%…的们,;:!?)"
_CLOSERS = "”’」』）)》】]\"'"
_CHAPTER = re.compile(r"第[一二三四五六七八九十百零〇两\d]+[章节篇部编条]")
_INNER_PUNCT = re.compile(r"[，、；。！？：,;]")
_HAN_CHAR = re.compile(f"[{HAN}]")
_TITLE_MAX = 30


def display_width(line: str) -> float:
    """Width of a line in Chinese character cells: ASCII counts one half."""
    line = line.strip()
    return len(line) - 0.5 * len(line.encode("ascii", "ignore"))


def wrap_width(lines: list[str]) -> float | None:
    """The hard-wrap width of a document whose lines were broken at a fixed width, else None.

    A document is hard-wrapped when at least half of its (five or more) non-blank
    lines are within 3 cells of the most common width, and that width is at least 20.
    """
    return _wrap_width([display_width(line) for line in lines if line.strip()])


def _wrap_width(widths: list[float]) -> float | None:
    """:func:`wrap_width` of the display widths of the non-blank lines."""
    if len(widths) < 5:
        return None
    common = Counter(map(round, filter(functools.partial(operator.le, 20), widths))).most_common(1)  # widths >= 20
    if not common:
        return None
    width = common[0][0]
    near = [w for w in widths if abs(w - width) <= 3]
    if len(near) / len(widths) < 0.5:
        return None
    return statistics.median(near + [width])


def _ends_sentence(text: str) -> bool:
    core = text.rstrip(_CLOSERS)
    return bool(core) and core[-1] in _ENDS


_ENDS = frozenset(TERMINAL_PUNCT + "：:")
_PROSE_ENDS = frozenset("。！？")
_LAST_CHARACTER = operator.itemgetter(slice(-1, None))  # "" for ""
_HEADING_START = re.compile(rf"{NUMBERING.pattern}|{_CHAPTER.pattern}")
_HEADING_BODY_END = re.compile("[。；;]")


def _is_heading_start(text: str) -> bool:
    return _HEADING_START.match(text) is not None


def _is_heading(text: str) -> bool:
    """A numbered heading (一、… （一）… 第一章…) that is a line of its own."""
    return (_is_heading_start(text) and len(text) <= 40 and not _HEADING_BODY_END.search(text, 0, len(text) - 1)
            and text[-1] not in PUNCT_CONTINUES)


def _continues(left: str, right: str) -> bool:
    """Sure signs that ``right`` continues ``left``.

    A dangling ``，``/``的``, a leading ``，``/``）``, a one-character remainder
    (``政府工作报 / 告``, ``是：``), a word of Latin letters cut off (``PM / 2.5``).
    """
    if left[-1] in END_CONTINUES or right[0] in START_CONTINUES:
        return True
    if (len(right) == 1 or (len(right) == 2 and right[1] in "：:，。、；！？")) and _HAN_CHAR.match(right):
        return True
    return left[-1].isascii() and left[-1].isalpha() and right[0].isascii() and right[0].isalnum()


_OPENERS, _CLOSERS_OF = "“‘「『（(《", "”’」』）)》"
_BRACKET = re.compile(f"[{re.escape(_OPENERS + _CLOSERS_OF)}]")


def _bracket_counts(text: str) -> tuple[int, ...]:
    """Quotes and brackets opened minus closed in a line, per kind (counted in C)."""
    return tuple(map(operator.sub, map(text.count, _OPENERS), map(text.count, _CLOSERS_OF)))


def _is_title(left: str) -> bool:
    """A short line without punctuation, or a line in brackets, that stands on its own."""
    if left[0] in "（(" and left[-1] in "）)":
        return True
    return len(left) <= _TITLE_MAX and not _INNER_PUNCT.search(left)


def _latin_pair(left: str, right: str) -> bool:
    return left[-1].isascii() and left[-1].isalpha() and right[0].isascii() and right[0].isalpha()


class _Layout:
    """How a document breaks its lines: a fixed wrap width, blank lines between paragraphs, or neither.

    ``texts`` are the kept lines, ``gaps[k]`` the number of blank (or removed) lines
    between line k and line k + 1. Per-line facts are computed once.
    """

    def __init__(self, texts: list[str], gaps: list[int]):
        self.texts, self.gaps = texts, gaps
        # per-line facts by iterators in C (no Python step per line): the last character before
        # closing quotes and brackets (_ends_sentence), whether a numbering starts the line
        last = list(map(_LAST_CHARACTER, map(str.rstrip, texts, itertools.repeat(_CLOSERS))))
        self.ends = list(map(_ENDS.__contains__, last))
        self.heading_start = list(map(operator.is_not, map(_HEADING_START.match, texts), itertools.repeat(None)))
        self.heading = [False] * len(texts)
        for k in itertools.compress(range(len(texts)), self.heading_start):
            self.heading[k] = _is_heading(texts[k])
        # Chinese prose: some line ends a sentence (else no wrap is assumed)
        prose = not _PROSE_ENDS.isdisjoint(last)
        # display_width of each line (the lines are stripped already): ASCII counts one half
        ascii_halves = map(operator.mul, itertools.repeat(0.5),
                           map(len, map(str.encode, texts, itertools.repeat("ascii"), itertools.repeat("ignore"))))
        self.widths = list(map(operator.sub, map(len, texts), ascii_halves))
        self.width = _wrap_width(self.widths) if prose else None
        self.blank_threshold = None  # blank lines that end a paragraph, when the document uses them
        self.wrapped = False  # most lines end mid-sentence: a hard-wrapped document
        if not gaps:
            return
        with_blank = (len(gaps) - gaps.count(0)) / len(gaps)  # gaps of at least one line
        threshold = 2 if with_blank > 0.9 else 1  # a blank line after every line means nothing; two may
        separated = list(itertools.compress(range(len(gaps)), map(operator.le, itertools.repeat(threshold), gaps)))
        if 3 <= len(separated) <= 0.9 * len(gaps):
            closing = sum(self.ends[k] or self.heading[k] or len(texts[k]) <= _TITLE_MAX for k in separated)
            if closing / len(separated) >= 0.6:
                self.blank_threshold = threshold
        open_lines = sum(map(operator.not_, map(operator.or_, self.ends[:-1], self.heading[:-1])))
        self.wrapped = prose and len(gaps) >= 4 and open_lines / len(gaps) >= 0.5

    def joins(self, k: int, starts_paragraph: bool, unclosed: bool = False) -> bool:
        """Whether line ``k + 1`` continues the paragraph that line ``k`` is in.

        ``unclosed``: the paragraph so far has a quote or bracket open (``专精特新“小巨``).
        """
        left, right = self.texts[k], self.texts[k + 1]
        if self.heading_start[k + 1]:
            return False
        if self.heading[k] and not (right[0] in START_CONTINUES or len(right) == 1):
            return False  # a numbered heading (政策取向, 发展方向: words end in 向 too) is a line of its own
        if self.width is not None and self.widths[k] >= self.width - 4:
            return True  # a line of full width continues, even when a sentence ends with it
        if self.ends[k] or self.heading[k]:
            return False
        if unclosed or _continues(left, right):
            return True
        if self.width is not None:
            return False
        if self.blank_threshold is not None:  # blank lines end paragraphs: a single line break is a wrap
            return self.gaps[k] < self.blank_threshold
        return self.wrapped and not (starts_paragraph and _is_title(left))


def _paragraphs(lines: _Lines, rule: list[str | None]) -> list[list[int]]:
    """Kept lines grouped into paragraphs (lists of line indexes)."""
    import numpy as np

    n = len(rule)
    # kept: text lines no rule removes; gaps: the lines between two kept ones that are not invisible
    # (blank or removed), counted by a running sum (by iterators in C and NumPy, no step per line)
    keep = list(map(operator.and_, map(operator.eq, lines.kind, itertools.repeat("text")),
                    map(operator.is_, rule, itertools.repeat(None))))
    kept = list(itertools.compress(range(n), keep))
    between = np.fromiter(map(operator.ne, lines.kind, itertools.repeat("invisible")), dtype=bool, count=n)
    between &= ~np.fromiter(keep, dtype=bool, count=n)
    counted = np.cumsum(between)[np.asarray(kept, dtype=np.int64)]
    gaps = (counted[1:] - counted[:-1]).tolist()
    del keep, between, counted
    layout = _Layout([lines.text[i] for i in kept], gaps)
    paragraphs: list[list[int]] = []
    starts, unclosed = True, _Unclosed(layout.texts)
    bracketed = list(map(_BRACKET.search, layout.texts))  # which lines hold a quote or bracket (searched in C)
    for k, i in enumerate(kept):
        if k and layout.joins(k - 1, starts, unclosed):
            paragraphs[-1].append(i)
            starts = False
        else:
            paragraphs.append([i])
            starts, unclosed = True, _Unclosed(layout.texts)
        if bracketed[k] is not None:
            unclosed.lines.append(k)
    return paragraphs


class _Unclosed:
    """Whether the paragraph so far has a quote or bracket open: true when, for some kind, its lines
    open more than they close. Counted only when asked (``bool``): most lines are joined or not
    before it matters."""

    __slots__ = ("texts", "lines", "balance")

    def __init__(self, texts: list[str]):
        self.texts, self.lines, self.balance = texts, [], None  # lines holding one, not counted yet

    def __bool__(self) -> bool:
        for k in self.lines:
            counts = _bracket_counts(self.texts[k])
            self.balance = counts if self.balance is None else tuple(map(sum, zip(self.balance, counts)))
        self.lines.clear()
        return self.balance is not None and max(self.balance) > 0


def _paragraph_text(lines: _Lines, para: list[int]) -> str:
    pieces = [lines.text[i] for i in para]
    if len(pieces) == 1:
        return pieces[0]
    out = [pieces[0]]
    for prev, piece in zip(pieces, pieces[1:]):
        if _latin_pair(prev, piece):
            out.append(" ")
        out.append(piece)
    return "".join(out)


def rejoin_broken_lines(text: str) -> str:
    """Rejoin lines broken mid-paragraph and drop the blank lines between them.

    A line that does not end a sentence (``。！？；：``) is joined to the next one when
    the layout of the document says it was wrapped:

    * in a document hard-wrapped at a fixed width (see :func:`wrap_width`, typical of
      PDF copies) a line that reaches the wrap width continues; a shorter one ends;
    * in a document that separates paragraphs with blank lines, a single line break
      inside a paragraph is a wrap (irregular widths, links on lines of their own);
    * in a document where most lines end mid-sentence, every such line continues,
      except a short title line without punctuation that starts a paragraph.

    Whatever the layout, a line ending in ``，、的和…`` or followed by one starting with
    ``，。）的…``, a one-character remainder (``政府工作报 / 告``) and a cut Latin word
    (``PM / 2.5``) are joined; numbered headings (``一、`` ``（一）`` ``第一章``) never are.

    >>> rejoin_broken_lines("政府工作报\\n告\\n\\n今年经济社会发展的\\n主要预期目标\\n是：\\n\\n一、总体要求\\n\\n坚持稳中求进。")
    '政府工作报告\\n今年经济社会发展的主要预期目标是：\\n一、总体要求\\n坚持稳中求进。'
    """
    lines = _Lines(text)
    rule = [None] * len(lines)
    pieces = [text[a:b] if k == "text" else "" for a, b, k in zip(lines.start, lines.end, lines.kind)]
    lines.text = pieces  # keep the text as given (no script or width conversion)
    return "\n".join(_paragraph_text(lines, p) for p in _paragraphs(lines, rule))


_LONG_LINE = 200
_SPLIT_AT_SPACE = re.compile(r"(?<=[^\sA-Za-z0-9%.,的和与及把被将从以而并“‘「『（(《])\s+"
                             r"(?=[^\sA-Za-z0-9%.,，。、；：！？”’」』）)》])")
_SPLIT_AT_NUMBERING = re.compile(rf"(?<=[{TERMINAL_PUNCT}{CLOSING_QUOTES}])\s*(?={NUMBERING.pattern})")
_NUMBERING_AFTER_END = re.compile(rf"[{TERMINAL_PUNCT}{CLOSING_QUOTES}]\s*(?={NUMBERING.pattern})")


def split_long_lines(text: str) -> str:
    """Split very long lines (one-line documents) into paragraphs.

    A line of more than 200 characters is split where white space separates two
    Chinese characters (an ASCII number keeps its spaces: ``和 21000元``) and before
    paragraph numbering (``一、``, ``（一）``, ``1、``, ``——``) that follows a full stop.
    """
    out = []
    for line in text.split("\n"):
        if len(line) <= _LONG_LINE:
            out.append(line)
            continue
        pieces = _SPLIT_AT_SPACE.split(line) if " " in line or not line.isprintable() else [line]
        for piece in pieces:
            if _NUMBERING_AFTER_END.search(piece) is not None:  # (a quick scan: it starts with a class)
                out.extend(p for p in _SPLIT_AT_NUMBERING.split(piece) if p)
            elif piece:  # nothing to split at
                out.append(piece)
    return "\n".join(out)


_STRAY_BARS = re.compile(r"(^|\s)\|(?=\s|$)")


_ZERO_WIDTH_RE = re.compile(f"[{_ZERO_WIDTH}]+")
_SPACE_RUN = re.compile(r"[ \t\u00a0\u3000]+")


def normalize_spaces(text: str) -> str:
    """Strip each line, collapse runs of spaces, drop stray ``|`` table rules, zero-width characters and empty lines.

    >>> normalize_spaces("  （通过） |\\n|\\n正文  第二\\u200b  \\n\\n")
    '（通过）\\n正文 第二'
    """
    if any(ch in text for ch in _ZERO_WIDTH):
        text = _ZERO_WIDTH_RE.sub("", text)
    if "|" in text:
        text = _STRAY_BARS.sub(r"\1", text)
    if any(ch in text for ch in ("  ", "\t", "\u00a0", "\u3000")):
        text = _SPACE_RUN.sub(" ", text)
    stripped = (line.strip() for line in text.split("\n"))
    return "\n".join(line for line in stripped if line)


# where a sentence ends (split_sentences); no end spans a line break
SENTENCE_END = _SENTENCE_END = re.compile(rf"[{TERMINAL_PUNCT}]+[{CLOSING_QUOTES}]*")


def split_sentences(paragraph: str) -> list[str]:
    """Split a paragraph into sentences after ``。！？；`` (closing quotes stay with the sentence).

    >>> split_sentences("一是稳增长。二是“促改革”！三是惠民生")
    ['一是稳增长。', '二是“促改革”！', '三是惠民生']
    """
    sentences, start = [], 0
    for m in _SENTENCE_END.finditer(paragraph):
        piece = paragraph[start:m.end()].strip()
        if piece:
            sentences.append(piece)
        start = m.end()
    rest = paragraph[start:].strip()
    if rest:
        sentences.append(rest)
    return sentences


# --- paragraph rules: a repeated title or opening, short furniture at the edges -------------
_REPEAT_HEAD = 8  # paragraphs at the start whose repetition at the end is furniture
_REPEAT_TAIL = 4
_REPEAT_MIN = 5
_REPEAT_MAX = 500  # characters: a repeated title or opening is no longer
_EDGE_MAX = 40
_TRUNCATED = re.compile(r"(?:\.{2,}|…+|。{0,1})$")


_WHITE_SPACE_RUN = re.compile(rf"[\s{_ZERO_WIDTH}]+")


def _compact(text: str) -> str:
    # str.isprintable is false for every white space and zero-width character but the space
    # (see align.without_white_space): a text that passes has nothing to remove
    if text.isprintable() and " " not in text:
        return text
    return _WHITE_SPACE_RUN.sub("", text)


def _repeated_at_end(texts: list[str]) -> int:
    """How many paragraphs at the end repeat the title or the opening of the document.

    Pages repeat their title and first sentence at the bottom (a share snippet, a
    description, possibly cut off with ``…``). A paragraph at the end of at least five
    characters is a repeat when it is one of the first paragraphs, or a piece of their
    text; counting stops at the first paragraph from the end that is not. Only the
    first characters of the document count as its opening, and a repeat is short.
    """
    n = len(texts)
    head_count = min(_REPEAT_HEAD, n - 1)
    if head_count == 0:
        return 0
    head = [_compact(t[:_REPEAT_MAX]) for t in texts[:head_count]]
    opening = "".join(head)
    found = 0
    for t in reversed(texts[max(head_count, n - _REPEAT_TAIL):]):
        if len(t) > _REPEAT_MAX:
            break
        core = _compact(t)
        cut = _TRUNCATED.sub("", core) if core.endswith(("…", "..")) else core
        if len(cut) < _REPEAT_MIN or not (core in head or cut in opening):
            break
        found += 1
    return found


def _is_edge_furniture(text: str) -> bool:
    """A paragraph at the start or the end that is no text: no Chinese character, or one character alone."""
    return len(text) == 1 or (len(text) <= _EDGE_MAX and not _HAN_CHAR.search(text))


def _paragraph_rules(texts: list[str]) -> list[str | None]:
    """Rules ``repeated-title`` and ``edge-short-line`` over the paragraphs (None: kept)."""
    rule: list[str | None] = [None] * len(texts)
    if not any(_HAN_CHAR.search(t) and not _is_edge_furniture(t) for t in texts):
        return rule  # no Chinese text to hold on to: nothing is furniture by these rules
    lo, hi = 0, len(texts)
    while True:
        before = (lo, hi)
        while lo < hi and _is_edge_furniture(texts[lo]):
            rule[lo] = "edge-short-line"
            lo += 1
        while hi > lo and _is_edge_furniture(texts[hi - 1]):
            hi -= 1
            rule[hi] = "edge-short-line"
        repeats = _repeated_at_end(texts[lo:hi])
        for k in range(hi - repeats, hi):
            rule[k] = "repeated-title"
        hi -= repeats
        if (lo, hi) == before:
            return rule


# --- the pipeline --------------------------------------------------------------------


def make_pipeline(*steps: Callable[[str], str]) -> Callable[[str], str]:
    """Chain ``str -> str`` functions left to right."""

    def pipeline(text: str) -> str:
        for step in steps:
            text = step(text)
        return text

    return pipeline


def clean_document(text: str, *, patterns: Iterable | None = None, comparable: str | None = None) -> Cleaned:
    """Clean a document and list every stretch of it that cleaning removed.

    Steps, all on the whole text or on its lines, in one pass each:

    1. the text is split at its line breaks (``\\r\\n``, ``\\r``, ``\\n``, U+2028/2029; a
       form feed also ends a paragraph) and each line is converted to simplified script
       (:func:`to_simplified`) and normalised width (:func:`normalize_width`);
    2. furniture lines go: those matching a pattern (``furniture.tsv`` and
       ``boilerplate.txt`` by default, see :func:`parse_patterns` for the scopes), a
       leading or trailing block of them, the trailing run of short lines around one;
    3. the lines left are joined into paragraphs (:func:`rejoin_broken_lines`);
    4. at the end, paragraphs repeating the title or the opening go (``repeated-title``),
       and at both edges paragraphs without any Chinese character or of one character
       (``edge-short-line``);
    5. very long lines are split (:func:`split_long_lines`) and white space normalised
       (:func:`normalize_spaces`, which also drops zero-width characters).

    Parameters
    ----------
    text : str
        The document as read from its file.
    patterns : iterable of FurniturePattern, optional
        The patterns to use (default :func:`default_patterns`); bare compiled
        expressions are accepted too (rule ``boilerplate:<n>``).
    comparable : str, optional
        ``text`` already in simplified script and normalised width, character for
        character (the second value of :func:`workbench.align.normalized_and_comparable`),
        when the caller has it: the script is then not converted again.

    Returns
    -------
    Cleaned
        ``text``: one paragraph per line; ``removed``: :class:`Removal` records in input
        order, with ``start``/``end`` offsets into ``text`` as given (before any newline
        normalisation) and the rule that removed them.

    Examples
    --------
    >>> cleaned = clean_document("您的位置： > 云南要闻\\r\\n今年加大投入。\\r\\n责任编辑：\\r\\n王五")
    >>> cleaned.text
    '今年加大投入。'
    >>> [(r.start, r.end, r.text, r.rule) for r in cleaned.removed]
    [(0, 12, '您的位置： > 云南要闻', 'breadcrumb'), (23, 28, '责任编辑：', 'editor'), (30, 32, '王五', 'editor')]
    """
    patterns = default_patterns() if patterns is None else _as_patterns(patterns)
    lines = _Lines(text, comparable)
    del comparable
    rule = _find_furniture(lines, patterns)
    paragraphs = _paragraphs(lines, rule)
    texts = [lines.text[p[0]] if len(p) == 1 else _paragraph_text(lines, p) for p in paragraphs]
    para_rule = _paragraph_rules(texts)
    removed = [Removal(lines.start[i], lines.end[i], text[lines.start[i]:lines.end[i]], rule[i])
               for i in itertools.compress(range(len(rule)), map(operator.is_not, rule, itertools.repeat(None)))]
    for para, r in zip(paragraphs, para_rule):
        if r is not None:
            a, b = lines.start[para[0]], lines.end[para[-1]]
            removed.append(Removal(a, b, text[a:b], r))
    removed.sort(key=lambda r: r.start)
    kept = [t for t, r in zip(texts, para_rule) if r is None]
    del lines, rule, paragraphs, texts  # the lines are no longer needed: free them before the last steps
    # width again: joining lines makes new neighbours (",\n、" becomes "，、"); (kept is emptied)
    return Cleaned(_last_steps(kept), removed)


_LAST_STEPS_CHUNK = 1 << 20


def _last_steps(paragraphs: list[str]) -> str:
    """``normalize_width(normalize_spaces(split_long_lines("\\n".join(paragraphs))))``, about 1 M characters
    of paragraphs at a time: each step works line by line (a line's neighbours are its own
    characters), so the pieces can be done apart, and the copies each step makes stay small.

    The list is emptied as its paragraphs are taken: a stretch's paragraphs are freed once it
    is done, so memory holds each paragraph or its result, not both.

    >>> paragraphs = ["增长 ,", "(一)"]
    >>> _last_steps(paragraphs), paragraphs
    ('增长 ,\\n（一）', [])
    """
    done, chunk, size = [], [], 0
    paragraphs.reverse()  # (taken from the end: no list shifted)
    while paragraphs:
        chunk.append(paragraphs.pop())
        size += len(chunk[-1]) + 1
        if size >= _LAST_STEPS_CHUNK or not paragraphs:
            piece = normalize_width(normalize_spaces(split_long_lines("\n".join(chunk))))
            if piece:
                done.append(piece)
            chunk, size = [], 0
    return "\n".join(done) if len(done) != 1 else done[0]


def clean_text(text: str, *, boilerplate: str | Path | None = None) -> str:
    """The default cleaning pipeline (:func:`clean_document`); returns one paragraph per line.

    ``boilerplate`` is a file of extra line patterns (one regular expression per line)
    used instead of the shipped ``boilerplate.txt``; ``furniture.tsv`` always applies.

    >>> clean_text("搜索\\n到２０２５年，城鎮化率突破60%。\\n給領導留言")
    '到2025年，城镇化率突破60%。'
    """
    return clean_document(text, patterns=default_patterns(boilerplate)).text
