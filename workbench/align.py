"""Map spans of the clean text back to the original text.

Cleaning converts script and width (both length-preserving, character for
character) and removes or adds white space and line breaks. So a clean
fragment is found in the original by searching the *normalised* original
(same length as the original) for its characters with optional white space
between them.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from .clean import normalize_newlines, normalize_width, to_simplified


def normalized_original(original: str) -> str:
    """The original with script and width normalised, the same length as the original."""
    text = normalize_width(to_simplified(normalize_newlines(original)))
    if len(text) == len(original):
        return text
    # A phrase conversion changed the length (or \r\n was folded): convert character by character.
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
        self.positions = [i for i, ch in enumerate(normalized) if not ch.isspace()]
        self.compact = "".join(normalized[i] for i in self.positions)

    def locate(self, fragment: str, start: int = 0) -> tuple[int, int] | None:
        stripped = "".join(ch for ch in fragment if not ch.isspace())
        if not stripped:
            return None
        j = self.compact.find(stripped, bisect_left(self.positions, start))
        if j < 0 and start:
            j = self.compact.find(stripped)
        if j < 0:
            return None
        return self.positions[j], self.positions[j + len(stripped) - 1] + 1


@lru_cache(maxsize=4)
def aligner(normalized: str) -> Aligner:
    """The :class:`Aligner` of a normalised original (the last few are kept)."""
    return Aligner(normalized)


def locate(fragment: str, normalized: str, start: int = 0) -> tuple[int, int] | None:
    """``(start, end)`` of ``fragment`` in the normalised original at or after ``start``, else None."""
    return aligner(normalized).locate(fragment, start)
