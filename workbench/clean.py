"""Cleaning: small ``str -> str`` functions and the pipeline that chains them.

Every step is a pure function with its own tests. The original text is always
kept beside the clean one (see :mod:`workbench.corpus`); masked numbers such as
``XX`` or ``X万标箱`` pass through every step unchanged.

The clean text has one paragraph per line.
"""
from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

from .resources import data_path

# --- character classes -------------------------------------------------------
HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_CHAR = re.compile(rf"[{HAN}\u3000-\u303f\uff00-\uffef\u2018-\u201d\u2014\u2026]")
_NOT_HAN = re.compile(rf"[^{HAN}]+")
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
_HALF_TO_CJK_PUNCT = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）"}
_PUNCT_RE = re.compile(r"[,;:!?()]")


def normalize_newlines(text: str) -> str:
    """Unify line endings (``\\r\\n``, ``\\r``, U+2028/2029) to ``\\n``; a form feed becomes a blank line."""
    return re.sub(r"\r\n?|[\u2028\u2029]", "\n", text).replace("\f", "\n\n")


def normalize_width(text: str) -> str:
    """Full-width digits and letters to ASCII; punctuation in Chinese context to full-width.

    ``２０２５年`` becomes ``2025年`` and ``％`` becomes ``%``; a half-width ``,;:!?()``
    next to a Chinese character becomes ``，；：！？（）`` unless it sits between two
    digits (``1,200``, ``15:59``). The result has the same length as the input.

    >>> normalize_width("增长６．５％,达到")
    '增长6.5%，达到'
    """
    text = _FOLDABLE.sub(lambda m: m.group().translate(_FULL_TO_HALF), text)  # faster than one translate
    while True:  # a run like "))中" converts from the Chinese side outwards: repeat until stable
        changed = _cjk_punctuation(text)
        if changed == text:
            return text
        text = changed


def _cjk_punctuation(text: str) -> str:
    def repl(m: re.Match) -> str:
        i, ch = m.start(), m.group()
        before = text[i - 1] if i else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        if before.isdigit() and after.isdigit():
            return ch
        if _CJK_CHAR.match(before or " ") or _CJK_CHAR.match(after or " "):
            return _HALF_TO_CJK_PUNCT[ch]
        return ch

    return _PUNCT_RE.sub(repl, text)


@lru_cache(maxsize=1)
def _t2s():
    from opencc import OpenCC

    return OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional to simplified characters with OpenCC's ``t2s`` conversion.

    >>> to_simplified("泗洪將改革創新進行到底")
    '泗洪将改革创新进行到底'
    """
    return _t2s().convert(text)


def code_points(text: str):
    """The text as a numpy array of its Unicode code points (uint32)."""
    import numpy as np

    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def detect_script(text: str) -> str:
    """``"traditional"``, ``"simplified"`` or ``"none"`` (no Han characters).

    A text is traditional when at least 5% of its Han characters change under
    OpenCC's traditional-to-simplified conversion.
    """
    sample, prefix = "", 40000
    while True:  # the first 20,000 Han characters, from a prefix long enough to hold them
        sample = _NOT_HAN.sub("", text[:prefix])
        if len(sample) >= 20000 or prefix >= len(text):
            break
        prefix *= 2
    if not sample:
        return "none"
    sample = sample[:20000]
    converted = to_simplified(sample)
    if len(converted) == len(sample):  # the usual case: compare code points as arrays
        changed = int((code_points(sample) != code_points(converted)).sum())
    else:
        changed = sum(a != b for a, b in zip(sample, converted))
    return "traditional" if changed / len(sample) >= 0.05 else "simplified"


# --- boilerplate -----------------------------------------------------------------
BOILERPLATE_MAX_LINE = 80


def parse_boilerplate(text: str) -> tuple[re.Pattern, ...]:
    """Compile the patterns of a boilerplate file's text: one regular expression per line, ``#`` comments."""
    patterns = []
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            patterns.append(re.compile(line))
        except re.error as exc:
            raise ValueError(f"line {n}: not a regular expression: {exc}") from exc
    return tuple(patterns)


def load_boilerplate_patterns(path: str | Path | None = None) -> tuple[re.Pattern, ...]:
    """Compile the boilerplate patterns of a file (default: the shipped ``boilerplate.txt``), read by content."""
    from . import datafiles

    return datafiles.parsed(datafiles.read(path if path is not None else data_path("boilerplate.txt"),
                                           what="boilerplate file"), parse_boilerplate)


def is_boilerplate(line: str, patterns: Iterable[re.Pattern] | None = None) -> bool:
    """True when a (short) line matches one of the boilerplate patterns.

    >>> is_boilerplate("给领导留言"), is_boilerplate("全年实现地区生产总值623.2亿元。")
    (True, False)
    """
    line = line.strip()
    if not line or len(line) > BOILERPLATE_MAX_LINE:
        return False
    patterns = load_boilerplate_patterns() if patterns is None else patterns
    return any(p.search(line) for p in patterns)


def _blocks(lines: list[str]) -> list[tuple[int, int]]:
    """Half-open ranges of lines separated by runs of two or more blank lines."""
    blocks, start, blanks = [], 0, 0
    for i, line in enumerate(lines):
        if line.strip():
            if blanks >= 2 and i - blanks > start:
                blocks.append((start, i - blanks))
                start = i
            elif blanks >= 2:
                start = i
            blanks = 0
        else:
            blanks += 1
    blocks.append((start, len(lines)))
    return [b for b in blocks if any(lines[j].strip() for j in range(*b))]


def remove_boilerplate(text: str, patterns: Iterable[re.Pattern] | None = None) -> str:
    """Drop navigation, footer, byline and advertising lines.

    Three rules, all driven by the pattern list:

    1. a line that matches a pattern is dropped;
    2. a leading or trailing block (set off by two blank lines) of short lines in
       which at least two lines, and 40% of all, match is dropped whole (an
       advertising header: ``仅供学习 禁止外传``, QQ groups, subscription offers);
    3. the trailing run of short lines without sentence punctuation that holds a
       matching line is dropped (site footers: ``江苏要闻 / 给领导留言``).
    """
    patterns = tuple(load_boilerplate_patterns() if patterns is None else patterns)
    lines = text.split("\n")
    drop = [is_boilerplate(line, patterns) for line in lines]
    blocks = _blocks(lines)
    for k, (a, b) in enumerate(blocks):
        if k not in (0, len(blocks) - 1) or len(blocks) < 2:
            continue
        body = [j for j in range(a, b) if lines[j].strip()]
        hits = sum(drop[j] for j in body)
        if hits >= 2 and hits / len(body) >= 0.4 and all(len(lines[j].strip()) <= BOILERPLATE_MAX_LINE for j in body):
            for j in range(a, b):
                drop[j] = True
    tail, hit = [], False
    for j in range(len(lines) - 1, -1, -1):
        line = lines[j].strip()
        if not line:
            tail.append(j)
            continue
        if len(line) > 20 or (line[-1] in TERMINAL_PUNCT + "。" and not drop[j]):
            break
        tail.append(j)
        hit = hit or drop[j]
    if hit:
        for j in tail:
            drop[j] = True
    return "\n".join(line for line, d in zip(lines, drop) if not d)


# --- broken lines and paragraphs ----------------------------------------------------


def display_width(line: str) -> float:
    """Width of a line in Chinese character cells: ASCII counts one half."""
    line = line.strip()
    return len(line) - 0.5 * len(line.encode("ascii", "ignore"))


def wrap_width(lines: list[str]) -> float | None:
    """The hard-wrap width of a document whose lines were broken at a fixed width, else None.

    A document is hard-wrapped when at least half of its (five or more) non-blank
    lines are within 3 cells of the most common width, and that width is at least 20.
    """
    widths = [display_width(line) for line in lines if line.strip()]
    if len(widths) < 5:
        return None
    common = Counter(round(w) for w in widths if w >= 20).most_common(1)
    if not common:
        return None
    width = common[0][0]
    near = [w for w in widths if abs(w - width) <= 3]
    if len(near) / len(widths) < 0.5:
        return None
    return statistics.median(near + [width])


def rejoin_broken_lines(text: str) -> str:
    """Rejoin lines broken mid-paragraph and drop the blank lines between them.

    In a hard-wrapped document (see :func:`wrap_width`, typical of PDF copies) a
    line that reaches the wrap width continues on the next line; a shorter line
    ends its paragraph, so headings are never joined to what follows. In other
    documents every non-blank line is a paragraph, except that a line ending in
    ``，`` or ``、`` (mid-sentence) is joined to the next one.
    """
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    width = wrap_width(lines)
    out: list[str] = []
    joining = False
    for line in lines:
        if joining and out and not NUMBERING.match(line):
            out[-1] = _join(out[-1], line)
        else:
            out.append(line)
        if width is not None:
            joining = display_width(line) >= width - 4
        else:
            joining = line[-1] in "，、"
    return "\n".join(out)


def _join(left: str, right: str) -> str:
    """Join two pieces of a broken line; keep a space only between ASCII word characters."""
    if left[-1:].isascii() and left[-1:].isalnum() and right[:1].isascii() and right[:1].isalnum():
        return f"{left} {right}"
    return left + right


_LONG_LINE = 200
_SPLIT_AT_SPACE = re.compile(r"(?<=[^\sA-Za-z0-9%.,])\s+(?=[^\sA-Za-z0-9%.,])")
_SPLIT_AT_NUMBERING = re.compile(rf"(?<=[{TERMINAL_PUNCT}{CLOSING_QUOTES}])\s*(?={NUMBERING.pattern})")


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
        for piece in _SPLIT_AT_SPACE.split(line):
            out.extend(p for p in _SPLIT_AT_NUMBERING.split(piece) if p)
    return "\n".join(out)


_STRAY_BARS = re.compile(r"(^|\s)\|(?=\s|$)")


def normalize_spaces(text: str) -> str:
    """Strip each line, collapse runs of spaces, drop stray ``|`` table rules and empty lines."""
    lines = []
    for line in text.split("\n"):
        line = re.sub(r"[ \t\u00a0\u3000]+", " ", _STRAY_BARS.sub(r"\1", line)).strip()
        if line:
            lines.append(line)
    return "\n".join(lines)


_SENTENCE_END = re.compile(rf"[{TERMINAL_PUNCT}]+[{CLOSING_QUOTES}]*")


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


# --- pipeline --------------------------------------------------------------------


def make_pipeline(*steps: Callable[[str], str]) -> Callable[[str], str]:
    """Chain ``str -> str`` functions left to right."""

    def pipeline(text: str) -> str:
        for step in steps:
            text = step(text)
        return text

    return pipeline


def clean_text(text: str, *, boilerplate: str | Path | tuple[re.Pattern, ...] | None = None) -> str:
    """The default cleaning pipeline; returns one paragraph per line.

    Steps: :func:`normalize_newlines`, :func:`to_simplified`, :func:`normalize_width`,
    :func:`remove_boilerplate`, :func:`rejoin_broken_lines`, :func:`split_long_lines`,
    :func:`normalize_spaces`.

    >>> clean_text("搜索\\n到２０２５年，城鎮化率突破60%。\\n給領導留言")
    '到2025年，城镇化率突破60%。'
    """
    patterns = boilerplate if isinstance(boilerplate, tuple) else load_boilerplate_patterns(boilerplate)
    return make_pipeline(
        normalize_newlines,
        to_simplified,
        normalize_width,
        lambda t: remove_boilerplate(t, patterns),
        rejoin_broken_lines,
        split_long_lines,
        normalize_spaces,
    )(text)
