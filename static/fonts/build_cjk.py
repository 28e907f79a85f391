"""Rebuild NotoSansCJKsc-Regular-subset.ttf: Noto Sans CJK SC, subset, with TrueType outlines.

reportlab embeds only TrueType (glyf) outlines, and Noto Sans CJK ships CFF only,
so this script subsets the Debian font to the common CJK repertoire and converts
its cubic curves to quadratic ones (fontTools cu2qu, max error 1 unit in 1000).

Run from the repository root (needs fontTools: pip install fonttools):

    apt-get download fonts-noto-cjk && dpkg -x fonts-noto-cjk_*.deb /tmp/noto-cjk
    .venv/bin/python static/fonts/build_cjk.py \
        /tmp/noto-cjk/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "NotoSansCJKsc-Regular-subset.ttf"
SC_INDEX = 2  # index of "Noto Sans CJK SC" in NotoSansCJK-Regular.ttc
MAX_ERROR = 1.0  # font units (1000 per em)


def _double_byte(codec: str, lead: range, trail: range) -> set[int]:
    """Every character a two-byte legacy encoding can represent in the given byte ranges."""
    found = set()
    for first in lead:
        for second in trail:
            try:
                text = bytes((first, second)).decode(codec)
            except UnicodeDecodeError:
                continue
            found.update(ord(c) for c in text)
    return found


def repertoire() -> set[int]:
    """Common ideographs (GB 2312, JIS X 0208, Big5 level 1, KS X 1001 hanja), kana, hangul.

    Hangul: the 2,350 syllables of KS X 1001, which cover Korean names in practice;
    all 11,172 would add about 2 MB.
    """
    chars = set(range(0x3000, 0x3040))  # CJK symbols and punctuation
    chars |= set(range(0x3040, 0x3100)) | set(range(0x31F0, 0x3200))  # kana
    chars |= set(range(0x3130, 0x3190))  # hangul compatibility jamo
    chars |= _double_byte("euc_kr", range(0xB0, 0xC9), range(0xA1, 0xFF))  # 2,350 hangul
    chars |= set(range(0xFF01, 0xFFA0))  # full- and half-width forms
    chars |= set(range(0x20, 0x7F))
    chars |= _double_byte("gb2312", range(0xB0, 0xF8), range(0xA1, 0xFF))
    chars |= _double_byte("euc_jp", range(0xB0, 0xF5), range(0xA1, 0xFF))
    chars |= _double_byte("euc_kr", range(0xCA, 0xFE), range(0xA1, 0xFF))
    chars |= _double_byte("big5", range(0xA4, 0xC7), range(0x40, 0xFF))
    return chars


def to_truetype(font: TTFont) -> None:
    """Replace the CFF table by glyf/loca with quadratic outlines."""
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = font.getGlyphOrder()
    glyf.glyphs = {}
    for name in glyf.glyphOrder:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, MAX_ERROR, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    del font["CFF "]
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    font["maxp"].tableVersion = 0x00010000
    for field in (
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
        "maxPoints",
        "maxContours",
        "maxCompositePoints",
        "maxCompositeContours",
        "maxComponentDepth",
    ):
        setattr(font["maxp"], field, 0)
    font["maxp"].maxZones = 1
    font["head"].indexToLocFormat = 0
    font["head"].glyphDataFormat = 0
    font["post"].formatType = 3.0  # no glyph names: smaller, and not needed for PDF
    font.sfntVersion = "\x00\x01\x00\x00"


def main(source: str) -> None:
    font = TTCollection(source).fonts[SC_INDEX]
    options = subset.Options()
    options.layout_features = []  # names need no CJK layout features (vert, locl …)
    options.drop_tables += ["vhea", "vmtx", "VORG", "BASE", "GSUB", "GPOS", "GDEF"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=repertoire())
    subsetter.subset(font)
    to_truetype(font)
    font.save(OUTPUT)
    print(f"{OUTPUT.name}: {len(font.getGlyphOrder())} glyphs, {OUTPUT.stat().st_size} bytes")


if __name__ == "__main__":
    main(sys.argv[1])
