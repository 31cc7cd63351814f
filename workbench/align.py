"""Map spans of the clean text back to the original text.

Cleaning converts script and width (both length-preserving, character for
character) and removes or adds white space and line breaks. So a clean
fragment is found in the original by searching the *normalised* original
(same length as the original) for its characters with optional white space
between them.
"""
from __future__ import annotations

import re

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


def locate(fragment: str, normalized: str, start: int = 0) -> tuple[int, int] | None:
    """``(start, end)`` of ``fragment`` in the normalised original at or after ``start``, else None."""
    if not fragment.strip():
        return None
    m = fragment_pattern(fragment).search(normalized, start)
    if m is None and start:
        m = fragment_pattern(fragment).search(normalized)
    return (m.start(), m.end()) if m else None
