"""A Chinese-capable font for matplotlib: the user's choice or an installed CJK font."""
from __future__ import annotations

import logging
from functools import lru_cache

log = logging.getLogger("workbench")

CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei",
                "SimHei", "Microsoft YaHei", "PingFang SC", "Heiti SC", "Noto Sans CJK JP", "AR PL UMing CN")


@lru_cache(maxsize=1)
def find_cjk_font() -> str | None:
    """The family name of an installed font with Chinese glyphs, or None."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in installed:
            return family
    return None


def apply_cjk_font() -> str | None:
    """Put a CJK font first in matplotlib's sans-serif list for the plots that follow."""
    import matplotlib

    family = find_cjk_font()
    if family is None:
        log.warning("no Chinese font found: Chinese labels may show as boxes (install fonts-noto-cjk)")
        return None
    fonts = matplotlib.rcParams["font.sans-serif"]
    if fonts[:1] != [family]:
        matplotlib.rcParams["font.sans-serif"] = [family, *[f for f in fonts if f != family]]
        matplotlib.rcParams["font.family"] = "sans-serif"
    return family
