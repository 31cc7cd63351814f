"""Map spans of the clean text back to the original text.

Cleaning converts script and width (both length-preserving, character for
character) and removes or adds white space and line breaks. So a clean
fragment is found in the original by searching the *normalised* original
(same length as the original) for its characters with optional white space
between them.
"""
from __future__ import annotations

import re
from functools import lru_cache

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
    comparable = normalize_width(to_simplified(original))
    if len(comparable) != len(original):
        return _normalized_by_character(original), None
    normalized = comparable
    if _BREAK_OR_BAR.search(normalized):
        normalized = _STRAY_BAR.sub(" ", _LINE_BREAK.sub(lambda m: " " * (len(m.group()) - 1) + "\n", normalized))
    return normalized, comparable


_BREAK_OR_BAR = re.compile(r"[\r\u2028\u2029\f|]")


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


class Aligner:
    """Find clean fragments in one normalised original, fast.

    The original without its white space is searched with ``str.find``; a map from
    those characters back to their positions gives the span in the original. This
    finds exactly what :func:`fragment_pattern` would (the fragment's characters with
    any white space between them, earliest match first) without compiling a regular
    expression per fragment.
    """

    def __init__(self, normalized: str):
        codes = code_points(normalized)
        keep = ~_is_space(codes)
        # 4 bytes a character where a document has fewer than 2**31 of them: memory follows the text
        # (searched with a scalar of the same type: a Python int would make numpy copy the array)
        self.positions = np.flatnonzero(keep).astype(np.int32 if len(codes) < 2**31 else np.int64)
        self.compact = codes[keep].tobytes().decode("utf-32-le", "surrogatepass")
        del codes, keep

    def original_spans(self, at: list[int], lengths: list[int]) -> tuple[list, list]:
        """``(starts, ends)`` in the original of pieces of the white-space-free text, given by their
        index ``at`` there (-1: not found, giving None) and their ``lengths`` (at least 1)."""
        at_arr, len_arr = np.asarray(at, dtype=np.int64), np.asarray(lengths, dtype=np.int64)
        found = (at_arr >= 0) & (len_arr > 0)
        starts = np.where(found, self.positions[np.where(found, at_arr, 0)] if len(self.positions) else 0, -1)
        last = np.where(found, at_arr + len_arr - 1, 0)
        ends = np.where(found, self.positions[last] + 1 if len(self.positions) else 0, -1)
        return ([None if v < 0 else v for v in starts.tolist()], [None if v < 0 else v for v in ends.tolist()])

    def locate(self, fragment: str, start: int = 0) -> tuple[int, int] | None:
        stripped = _SPACE.sub("", fragment)
        if not stripped:
            return None
        j = self.compact.find(stripped, int(np.searchsorted(self.positions, self.positions.dtype.type(start))))
        if j < 0 and start:
            j = self.compact.find(stripped)
        if j < 0:
            return None
        return int(self.positions[j]), int(self.positions[j + len(stripped) - 1]) + 1


# White space, and the zero-width characters that cleaning treats as white space
# (U+200B–U+200D, U+2060, U+FEFF): skipped when clean fragments are found in the original.
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
WHITE_SPACE = _SPACE = re.compile(rf"[\s{_ZERO_WIDTH}]+")
# str.isspace() over all of Unicode: every such code point is at most U+3000
_SPACE_TABLE = np.array([chr(c).isspace() or chr(c) in _ZERO_WIDTH for c in range(0x3001)] + [False])


_ISSPACE_TABLE = np.array([chr(c).isspace() for c in range(0x3001)] + [False])


def is_white_space(codes: np.ndarray, *, zero_width: bool = True) -> np.ndarray:
    """Which code points (:func:`~workbench.clean.code_points`) are white space (``str.isspace``), and
    with ``zero_width`` also the zero-width characters that cleaning treats as white space.

    >>> is_white_space(code_points("a \u200bb")).tolist(), is_white_space(code_points("a \u200b"), zero_width=False).tolist()
    ([False, True, True, False], [False, True, False])
    """
    if not zero_width:
        return _ISSPACE_TABLE[np.minimum(codes, 0x3001)]
    return _SPACE_TABLE[np.minimum(codes, 0x3001)] | (codes == 0xFEFF)


_is_space = is_white_space


@lru_cache(maxsize=4)
def aligner(normalized: str) -> Aligner:
    """The :class:`Aligner` of a normalised original (the last few are kept)."""
    return Aligner(normalized)


def locate(fragment: str, normalized: str, start: int = 0) -> tuple[int, int] | None:
    """``(start, end)`` of ``fragment`` in the normalised original at or after ``start``, else None."""
    return aligner(normalized).locate(fragment, start)
