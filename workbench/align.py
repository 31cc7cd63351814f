"""Map spans of the clean text back to the original text.

Cleaning converts script and width (both length-preserving, character for
character) and removes or adds white space and line breaks. So a clean
fragment is found in the original by searching the *normalised* original
(same length as the original) for its characters with optional white space
between them.
"""
from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right

import numpy as np

from .clean import code_points, normalize_width, to_simplified


_LINE_BREAK = re.compile(r"\r\n?|[\u2028\u2029\f]")
_STRAY_BAR = re.compile(r"(?<!\S)\|(?!\S)")


def normalized_original(original: str) -> str:
    r"""The original with script and width normalised, the same length as the original.

    Line breaks become ``\n`` without changing the length (``\r\n`` becomes `` \n``; a
    form feed ``\n``), and a stray ``|`` between spaces (a table rule that cleaning drops)
    becomes a space, so that clean text is found in files with CRLF line endings, form
    feeds or ``|`` separators.

    >>> normalized_original("增长5%,达到\r\n | 億元")
    '增长5%，达到 \n   亿元'
    """
    return normalized_and_comparable(original)[0]


def normalized_and_comparable(original: str) -> tuple[str, str | None]:
    r""":func:`normalized_original` and the text cleaning compares, from one script conversion.

    The second is the original in simplified script and normalised width, line breaks and
    ``|`` kept (``normalize_width(to_simplified(original))``, what
    :func:`workbench.clean.clean_document` takes as ``comparable``), or None when a phrase
    conversion changed the length (each is then converted character by character, as
    before). Line breaks, white space and ``|`` are no part of any conversion, so the
    normalised original is that text with its line breaks and stray bars replaced.

    >>> normalized_and_comparable("增长5%,达到\r\n | 億元")
    ('增长5%，达到 \n   亿元', '增长5%，达到\r\n | 亿元')
    """
    comparable = _converted(original)
    if comparable is None:
        return _normalized_by_character(original), None
    normalized = comparable
    if any(ch in normalized for ch in _BREAK_OR_BAR):  # (one scan in C each: faster than a search of a class)
        normalized = _STRAY_BAR.sub(" ", _LINE_BREAK.sub(lambda m: " " * (len(m.group()) - 1) + "\n", normalized))
    return normalized, comparable


def _converted(original: str) -> str | None:
    """``normalize_width(to_simplified(original))``, or None when that changes the length.

    A long text is converted a stretch of whole lines at a time (about 1 M characters; the
    conversions never look across a line break), so that the copies the conversion makes
    in between stay small.
    """
    if len(original) <= _CHUNK:
        converted = normalize_width(to_simplified(original))
        return converted if len(converted) == len(original) else None
    pieces, a = [], 0
    while a < len(original):
        b = original.find("\n", a + _CHUNK)
        b = len(original) if b < 0 else b + 1
        piece = normalize_width(to_simplified(original[a:b]))
        if len(piece) != b - a:
            return None
        pieces.append(piece)
        a = b
    return "".join(pieces)


_BREAK_OR_BAR = "\r\u2028\u2029\f|"  # a line break other than a newline, or a bar


def _normalized_by_character(original: str) -> str:
    """A phrase conversion changed the length: convert character by character."""
    text = _STRAY_BAR.sub(" ", _LINE_BREAK.sub(lambda m: " " * (len(m.group()) - 1) + "\n", original))
    text = normalize_width(to_simplified(text))
    if len(text) == len(original):  # not when the original is converted whole (see normalized_and_comparable)
        return text
    table = {}
    for ch in set(original):
        conv = normalize_width(to_simplified(ch))
        table[ch] = conv if len(conv) == 1 else ch
    return "".join(table[ch] for ch in original)


def fragment_pattern(fragment: str) -> re.Pattern:
    """A regular expression matching ``fragment`` with any white space between its characters."""
    chars = [re.escape(ch) for ch in fragment if not ch.isspace()]
    return re.compile(r"\s*".join(chars))


class Gaps:
    """The runs of white space of a text, and the offsets between the text and the text without them.

    Memory follows the number of runs, not the length of the text. ``zero_width``: the
    zero-width characters (U+200B–U+200D, U+2060, U+FEFF) count as white space, as for
    the aligner; without it only ``str.isspace`` characters do (what ``str.strip`` removes).

    >>> gaps = Gaps("推进 高质量\\n\\n发展")
    >>> gaps.start.tolist(), gaps.end.tolist(), gaps.kept_before([0, 3, 7, 9]).tolist(), gaps.original([0, 2, 5]).tolist()
    ([2, 6], [3, 8], [0, 2, 5, 6], [0, 3, 8])
    """

    def __init__(self, text: str, *, zero_width: bool = True, keep_text: bool = False):
        starts, ends, kept = [], [], []
        for a in range(0, len(text), _CHUNK):  # a stretch at a time: no array of every character at once
            codes = code_points(text[a:a + _CHUNK] if len(text) > _CHUNK else text)
            space = is_white_space(codes, zero_width=zero_width)
            if keep_text:
                kept.append(codes[~space].tobytes().decode("utf-32-le", "surrogatepass"))
            where = np.flatnonzero(space)
            del codes, space
            if a:
                where += a
            cut = np.flatnonzero(where[1:] - where[:-1] != 1)  # the last white space of each run but the last
            starts.append(where[np.concatenate(([0], cut + 1))] if len(where) else where)
            ends.append(where[np.concatenate((cut, [len(where) - 1]))] + 1 if len(where) else where)
        if len(starts) == 1:
            start, end = starts[0], ends[0]
        else:
            start, end = np.concatenate(starts or [np.zeros(0, np.int64)]), np.concatenate(ends or [np.zeros(0, np.int64)])
            split = start[1:] == end[:-1]  # a run cut where two stretches meet: one run
            if split.any():
                start, end = start[np.concatenate(([True], ~split))], end[np.concatenate((~split, [True]))]
        self.start, self.end = start, end
        self.length = len(text)
        self.kept_text = "".join(kept) if keep_text else None  #: the text without its runs (``keep_text``)
        self._skipped = np.concatenate(([0], np.cumsum(self.end - self.start)))  # before each run, and in all
        # the kept stretches between the runs: where each starts in the text and in the text without runs
        self._orig = np.concatenate(([0], self.end))
        self._kept = self._orig - self._skipped
        self._as_lists = None  # the tables as plain lists (:meth:`_lists`)

    @property
    def kept_length(self) -> int:
        """The length of the text without its runs of white space."""
        return self.length - int(self._skipped[-1])

    def kept_before(self, offsets) -> np.ndarray:
        """How many characters outside the runs lie before each offset of the text."""
        o = np.asarray(offsets, dtype=np.int64)
        k = np.searchsorted(self.start, o, side="left")  # the runs that start before each offset
        if not len(self.start):
            return o
        inside = np.maximum(0, self.end[np.maximum(k - 1, 0)] - o) * (k > 0)  # the part of a run at or after o
        return o - (self._skipped[k] - inside)

    def original(self, kept) -> np.ndarray:
        """Where characters of the text without runs (given by their indexes there) sit in the text."""
        j = np.asarray(kept, dtype=np.int64)
        k = np.searchsorted(self._kept, j, side="right") - 1
        return self._orig[k] + (j - self._kept[k])

    def next_kept(self, offsets) -> np.ndarray:
        """Each offset, or the end of the run it falls in (the first character outside the runs at or after it)."""
        o = np.asarray(offsets, dtype=np.int64)
        k = np.searchsorted(self.start, o, side="right") - 1
        if not len(self.start):
            return o
        run_end = self.end[np.maximum(k, 0)]
        return np.where((k >= 0) & (o < run_end), run_end, o)

    def kept_end(self, offsets) -> np.ndarray:
        """The end of the last character outside the runs before each offset (the offset itself, or the start
        of the run that the character before it falls in)."""
        o = np.asarray(offsets, dtype=np.int64)
        k = np.searchsorted(self.start, o - 1, side="right") - 1
        if not len(self.start):
            return o
        kk = np.maximum(k, 0)
        return np.where((k >= 0) & (o - 1 < self.end[kk]), self.start[kk], o)

    def kept_before_one(self, offset: int) -> int:
        """:meth:`kept_before` of one offset, as a Python int (a bisection of plain lists: one value
        costs less than through NumPy)."""
        start, end, skipped, _, _ = self._lists()
        k = bisect_left(start, offset)
        if not k:
            return offset
        return offset - (skipped[k] - max(0, end[k - 1] - offset))

    def original_one(self, kept: int) -> int:
        """:meth:`original` of one index of the text without runs, as a Python int."""
        *_, orig, kept_at = self._lists()
        k = bisect_right(kept_at, kept) - 1
        return orig[k] + (kept - kept_at[k])

    def _lists(self) -> tuple[list, list, list, list, list]:
        """The tables as plain lists, made at the first call of a ``*_one`` method."""
        if self._as_lists is None:
            self._as_lists = tuple(a.tolist() for a in (self.start, self.end, self._skipped, self._orig, self._kept))
        return self._as_lists


_CHUNK = 1 << 20


class Aligner:
    """Find clean fragments in one normalised original, fast.

    The original without its white space is searched with ``str.find``; a map from
    those characters back to their positions gives the span in the original. This
    finds exactly what :func:`fragment_pattern` would (the fragment's characters with
    any white space between them, earliest match first) without compiling a regular
    expression per fragment. The map is kept as the runs of white space (:class:`Gaps`):
    its memory follows the number of lines, not of characters.
    """

    def __init__(self, normalized: str):
        self.gaps = Gaps(normalized, keep_text=True)
        self.compact = self.gaps.kept_text  # the original without white space
        self._positions = None

    @property
    def positions(self) -> np.ndarray:
        """Where each character of ``compact`` sits in the original (int32 below 2**31 characters)."""
        if self._positions is None:
            n = self.gaps.length
            self._positions = self.gaps.original(np.arange(len(self.compact))).astype(np.int32 if n < 2**31 else np.int64)
        return self._positions

    def original_spans(self, at, lengths) -> tuple:
        """``(starts, ends)`` in the original of pieces of the white-space-free text, given by their
        index ``at`` there (-1: not found, giving None) and their ``lengths`` (at least 1).

        Lists, or ``array("q")`` (8 bytes a value, iterating as Python ints) when every piece
        was found: no None to hold.

        >>> aligner = Aligner("推进 高质量\\n发展")
        >>> [list(column) for column in aligner.original_spans([0, 2], [2, 5])]
        [[0, 3], [2, 9]]
        >>> aligner.original_spans([0, -1], [2, 5])
        ([0, None], [2, None])
        """
        at_arr, len_arr = np.asarray(at, dtype=np.int64), np.asarray(lengths, dtype=np.int64)
        found = (at_arr >= 0) & (len_arr > 0)
        if found.all():  # the usual case: every piece found, no None to put in
            return (int_array(self.gaps.original(at_arr)), int_array(self.gaps.original(at_arr + len_arr - 1) + 1))
        starts = np.where(found, self.gaps.original(np.where(found, at_arr, 0)), -1)
        ends = np.where(found, self.gaps.original(np.where(found, at_arr + len_arr - 1, 0)) + 1, -1)
        return ([None if v < 0 else v for v in starts.tolist()], [None if v < 0 else v for v in ends.tolist()])

    def locate(self, fragment: str, start: int = 0) -> tuple[int, int] | None:
        """``(start, end)`` of ``fragment`` in the original: its first match at or after ``start``,
        else its first anywhere, else None.

        >>> Aligner("推进 高质量\\n发展，高质量").locate("高质量发展")
        (3, 9)
        """
        stripped = without_white_space(fragment)
        if not stripped:
            return None
        j = self.compact.find(stripped, self.gaps.kept_before_one(max(start, 0)))
        if j < 0 and start:
            j = self.compact.find(stripped)
        if j < 0:
            return None
        return self.gaps.original_one(j), self.gaps.original_one(j + len(stripped) - 1) + 1

    def locate_in(self, fragment: str, span: tuple[int, int]) -> tuple[int, int] | None:
        """:meth:`locate` from ``span[0]``, for a ``span`` that :meth:`locate` returned: the fragment is
        first sought inside that span only (without searching the rest of the original), which
        gives the same answer when it is there.

        >>> found = Aligner("全市 增长6.5%，\\n另增长6.5%")
        >>> quote = found.locate("增长6.5%，")
        >>> found.locate_in("6.5%", quote), found.locate_in("另", quote) == found.locate("另", quote[0])
        ((5, 9), True)
        """
        stripped = without_white_space(fragment)
        if stripped:
            a, b = self.gaps.kept_before_one(span[0]), self.gaps.kept_before_one(span[1])
            j = self.compact.find(stripped, a, b)
            if j >= 0:  # the first match at or after span[0] (a match starting earlier in the span would end in it)
                return self.gaps.original_one(j), self.gaps.original_one(j + len(stripped) - 1) + 1
        return self.locate(fragment, span[0])


class LineAligner(Aligner):
    """:class:`Aligner` of a short normalised text (a few lines), made without NumPy: its
    ``compact`` text and the one-offset maps of its ``gaps`` (``kept_before_one``,
    ``original_one``; what :meth:`~Aligner.locate` and :meth:`~Aligner.locate_in` read) are
    those of :class:`Aligner`, built from one search of its runs of white space, which for a
    few hundred characters costs a fraction of the arrays.

    >>> short, full = LineAligner("　　推进 高质量\\r\\n"), Aligner("　　推进 高质量\\r\\n")
    >>> short.compact == full.compact, short.locate("高质量"), full.locate("高质量")
    (True, (5, 8), (5, 8))
    """

    def __init__(self, normalized: str):
        starts, ends, skipped, orig, kept, pieces = [], [], [0], [0], [0], []
        last = total = 0
        for m in WHITE_SPACE.finditer(normalized):  # the runs of white space (as is_white_space)
            a, b = m.span()
            pieces.append(normalized[last:a])
            total += b - a
            starts.append(a), ends.append(b), skipped.append(total), orig.append(b), kept.append(b - total)
            last = b
        self.compact = "".join(pieces) + normalized[last:] if pieces else normalized
        self.gaps = _ListGaps((starts, ends, skipped, orig, kept), len(normalized))
        self._positions = None


class _ListGaps(Gaps):
    """:class:`Gaps` given as its plain lists (:meth:`Gaps._lists`): only its ``*_one`` methods."""

    def __init__(self, lists: tuple[list, list, list, list, list], length: int):
        self._as_lists = lists
        self.length = length


def int_array(values) -> array:
    """Integers as ``array("q")``: 8 bytes a value, iterating as Python ints (as a list would).

    >>> int_array(np.array([3, 1])).tolist()
    [3, 1]
    """
    column = array("q")
    column.frombytes(memoryview(np.ascontiguousarray(values, dtype=np.int64)).cast("B"))  # (no bytes copy between)
    return column


# White space, and the zero-width characters that cleaning treats as white space
# (U+200B–U+200D, U+2060, U+FEFF): skipped when clean fragments are found in the original.
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
WHITE_SPACE = _SPACE = re.compile(rf"[\s{_ZERO_WIDTH}]+")
# str.isspace() over all of Unicode: every such code point is at most U+3000
_SPACE_TABLE = np.array([chr(c).isspace() or chr(c) in _ZERO_WIDTH for c in range(0x3001)] + [False])
_ISSPACE_TABLE = np.array([chr(c).isspace() for c in range(0x3001)] + [False])


def without_white_space(text: str) -> str:
    """``text`` without its white space and zero-width characters (what the aligner skips).

    A text with none is returned as it is, without a regular expression: ``str.isprintable``
    is false for every white space and zero-width character except the space (a test checks
    all of Unicode), and it costs a fraction of a substitution.

    >>> without_white_space("增长 6.5%\\u200b\\n左右"), without_white_space("增长6.5%")
    ('增长6.5%左右', '增长6.5%')
    """
    if text.isprintable() and " " not in text:
        return text
    return _SPACE.sub("", text)


def is_white_space(codes: np.ndarray, *, zero_width: bool = True) -> np.ndarray:
    """Which code points (:func:`~workbench.clean.code_points`) are white space (``str.isspace``), and
    with ``zero_width`` also the zero-width characters that cleaning treats as white space.

    >>> is_white_space(code_points("a \u200bb")).tolist(), is_white_space(code_points("a \u200b"), zero_width=False).tolist()
    ([False, True, True, False], [False, True, False])
    """
    if not zero_width:
        return _ISSPACE_TABLE[np.minimum(codes, 0x3001)]
    return _SPACE_TABLE[np.minimum(codes, 0x3001)] | (codes == 0xFEFF)
