"""A font that draws Chinese: the user's, an installed CJK font, or the one the project ships.

Order of choice (:func:`cjk_font_path`): an explicit ``font_path`` argument, then the
``WORKBENCH_FONT`` environment variable, then an installed single-face Simplified
Chinese font (``.ttf``/``.otf``; wordcloud cannot pick a face inside a ``.ttc``), and
finally the bundled subset of Noto Sans CJK SC (SIL Open Font License 1.1,
``workbench/data/fonts``), so a fresh machine never draws boxes.

Coverage is checked against the font's character map with fontTools, the library
matplotlib itself uses: :func:`missing_glyphs` names the characters a font lacks.
"""
from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from .resources import data_path

log = logging.getLogger("workbench")

BUNDLED_FONT = "fonts/NotoSansCJKsc-Regular-subset.otf"
CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
                "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", "SimHei")


def bundled_font_path() -> Path:
    """The font shipped with workbench (a subset of Noto Sans CJK SC: ASCII, GB2312 and jieba's characters)."""
    return data_path(BUNDLED_FONT)


@lru_cache(maxsize=16)
def _charset(path: str) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    try:
        with open(path, "rb") as fh, TTFont(fh, fontNumber=0, lazy=True) as font:
            return frozenset(font.getBestCmap() or {})
    except Exception as exc:  # fontTools raises many kinds of errors on a bad file
        raise ValueError(f"{path}: not a readable font file ({exc})") from exc


def missing_glyphs(font_path: str | Path, text: str | Iterable[str]) -> set[str]:
    """Characters of ``text`` (a string or several) that the font at ``font_path`` cannot draw.

    White space is ignored.

    >>> sorted(missing_glyphs(bundled_font_path(), "高质量发展 GDP"))
    []
    """
    chars = set(text) if isinstance(text, str) else {c for t in text for c in t}
    cmap = _charset(str(font_path))
    return {c for c in chars if not c.isspace() and ord(c) not in cmap}


def _installed_candidates() -> list[str]:
    from matplotlib import font_manager

    by_family: dict[str, list[str]] = {}
    for entry in font_manager.fontManager.ttflist:
        if Path(entry.fname).suffix.lower() in (".ttf", ".otf"):
            by_family.setdefault(entry.name, []).append(entry.fname)
    return [path for family in CJK_FAMILIES for path in sorted(by_family.get(family, []))]


def cjk_font_path(font_path: str | Path | None = None, *, text: str | Iterable[str] = "") -> Path:
    """The font file to draw Chinese with (see the module docstring for the order of choice).

    An installed font is taken only if it covers every character of ``text``. An
    explicit ``font_path`` (or ``$WORKBENCH_FONT``) is always honoured, with a warning
    when it lacks characters of ``text``.
    """
    chosen = font_path or os.environ.get("WORKBENCH_FONT")
    if chosen:
        path = Path(chosen).expanduser()
        if not path.is_file():
            raise ValueError(f"font file {path} does not exist")
        missing = missing_glyphs(path, text)
        if missing:
            log.warning("font %s lacks %d characters (%s): they will show as boxes",
                        path, len(missing), "".join(sorted(missing))[:20])
        return path
    for candidate in _installed_candidates():
        try:
            if not missing_glyphs(candidate, text or "中文"):
                return Path(candidate)
        except ValueError:
            continue
    return bundled_font_path()


@lru_cache(maxsize=8)
def _register(path: str) -> str:
    from matplotlib import font_manager

    font_manager.fontManager.addfont(path)
    return font_manager.FontProperties(fname=path).get_name()


def apply_cjk_font(font_path: str | Path | None = None) -> str:
    """Put a Chinese-capable font first in matplotlib's sans-serif list; return its family name."""
    import matplotlib

    family = _register(str(cjk_font_path(font_path)))
    fonts = matplotlib.rcParams["font.sans-serif"]
    if fonts[:1] != [family]:
        matplotlib.rcParams["font.sans-serif"] = [family, *[f for f in fonts if f != family]]
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["axes.unicode_minus"] = False
    return family
