"""Rebuild workbench/data/fonts/NotoSansCJKsc-Regular-subset.otf (run by hand, not by the tests).

Source: the Simplified Chinese face of Noto Sans CJK (SIL Open Font License 1.1), as shipped
by Debian's fonts-noto-cjk (NotoSansCJK-Regular.ttc, face 2). The subset keeps ASCII,
Latin-1, general and CJK punctuation, full-width forms, all of GB2312 and every character of
jieba's dictionary (about 12,000 hanzi, simplified and traditional), with hinting dropped.

    python scripts/make-font-subset.py [/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc]
"""
import os
import sys
from pathlib import Path

import jieba
from fontTools import subset
from fontTools.ttLib import TTCollection

SOURCE = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
OUT = Path(__file__).resolve().parent.parent / "workbench" / "data" / "fonts" / "NotoSansCJKsc-Regular-subset.otf"


def wanted_characters() -> set[str]:
    chars = {chr(c) for c in range(0x20, 0x7F)} | {chr(c) for c in range(0xA0, 0x100)}
    chars |= {chr(c) for c in range(0x2000, 0x2070)} | {chr(c) for c in range(0x3000, 0x3040)}
    chars |= {chr(c) for c in range(0xFF00, 0xFFF0)} | {chr(c) for c in range(0x2460, 0x24A0)}
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    with open(os.path.join(os.path.dirname(jieba.__file__), "dict.txt"), encoding="utf-8") as fh:
        for line in fh:
            chars.update(line.split(" ", 1)[0])
    return chars


def main() -> None:
    face = [f for f in TTCollection(SOURCE).fonts if f["name"].getDebugName(4) == "Noto Sans CJK SC"][0]
    options = subset.Options()
    options.hinting = False
    options.desubroutinize = False
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    sub = subset.Subsetter(options)
    sub.populate(unicodes=sorted(ord(c) for c in wanted_characters()))
    sub.subset(face)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    face.save(str(OUT))
    print(OUT, OUT.stat().st_size)


if __name__ == "__main__":
    main()
