"""Build events/fonts/NotoSansJP-Kizuna.ttf, the font of the PDF agendas, from Debian's Noto Sans CJK JP.

reportlab embeds TrueType fonts only (glyf outlines), and Noto Sans CJK ships as OpenType/CFF
(fonts-noto-cjk: NotoSansCJK-Regular.ttc). This script takes the Japanese face, keeps the
characters agendas need (Latin with the accents of EU languages, punctuation, kana, the JIS X
0208 kanji, full-width forms), turns its cubic outlines into quadratic ones and writes a
TrueType file. Run it again only to change the character set (docs/operations.md, "Fonts"):

    apt-get install fonts-noto-cjk && pip install fonttools==4.68.0
    python scripts/build_pdf_font.py [/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc]
"""

import sys
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

SOURCE = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
TARGET = Path(__file__).resolve().parent.parent / "events" / "fonts" / "NotoSansJP-Kizuna.ttf"
FAMILY = "Noto Sans JP Kizuna"  # a renamed subset (the OFL asks for another name when the font is modified)


def _jis_x_0208() -> set[int]:
    """Every character of JIS X 0208 (kana, symbols, level 1 and 2 kanji), through its EUC-JP encoding."""
    chars = set()
    for row in range(0xA1, 0xFF):
        for cell in range(0xA1, 0xFF):
            try:
                chars.add(ord(bytes([row, cell]).decode("euc_jp")))
            except UnicodeDecodeError:
                continue
    return chars


def _wanted() -> set[int]:
    ranges = [
        (0x20, 0x7E), (0xA0, 0x24F),  # Latin, Latin-1, Latin Extended-A and B: every EU language
        (0x2000, 0x206F), (0x20A0, 0x20BF), (0x2100, 0x214F), (0x2190, 0x21FF), (0x2460, 0x24FF),
        (0x3000, 0x30FF), (0x31F0, 0x31FF), (0xFF00, 0xFFEF),  # CJK punctuation, kana, full-width forms
        (0x25A0, 0x25FF), (0x2600, 0x26FF),
    ]  # fmt: skip
    chars = {c for low, high in ranges for c in range(low, high + 1)}
    return chars | _jis_x_0208() | {ord(c) for c in "髙﨑德"}  # common name variants outside JIS X 0208


def _japanese_face(path: str) -> TTFont:
    for font in TTCollection(path).fonts:
        if "JP" in font["name"].getDebugName(1):
            return font
    raise SystemExit(f"No Japanese face in {path}")


def _to_truetype(font: TTFont) -> None:
    """Replace the CFF table by glyf/loca (max error 1 unit of the 1000-unit em)."""
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    font["maxp"].tableVersion = 0x00010000
    for attr in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):  # fmt: skip
        setattr(font["maxp"], attr, 0)
    font["maxp"].maxZones = 1
    font["head"].glyphDataFormat = 0
    font["post"].formatType = 3.0  # no glyph names: smaller, and reportlab does not need them
    font.sfntVersion = "\x00\x01\x00\x00"


def _rename(font: TTFont) -> None:
    for record in font["name"].names:
        if record.nameID in (1, 16):
            record.string = FAMILY
        elif record.nameID == 4:
            record.string = f"{FAMILY} Regular"
        elif record.nameID == 6:
            record.string = FAMILY.replace(" ", "") + "-Regular"


def main() -> None:
    font = _japanese_face(sys.argv[1] if len(sys.argv) > 1 else SOURCE)
    options = subset.Options()
    options.layout_features = ["kern", "palt", "vert"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=_wanted())
    subsetter.subset(font)
    _to_truetype(font)
    _rename(font)
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    font.save(TARGET)
    print(f"{TARGET}: {TARGET.stat().st_size / 1e6:.1f} MB, {len(font.getGlyphOrder())} glyphs")


if __name__ == "__main__":
    main()
