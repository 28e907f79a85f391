"""Typesetting names in any script: the font chain, shaping, right-to-left order, fitting.

Pure: text in, laid-out lines out. Each run of text gets the first font of a
Noto fallback chain that has its characters; Arabic and Devanagari runs are
shaped with HarfBuzz and laid out right to left where needed. Shaped glyphs map
back to the letters they show, so the printed name can be read back and checked.
"""

from __future__ import annotations

import functools
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from fontTools.ttLib import TTFont as FontToolsFont
from reportlab.lib.abag import ABag
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import SUBSETN, ShapedStr, TTFont, shapeFragWord, shapeStr

FONT_DIR = Path(__file__).resolve().parents[2] / "static" / "fonts"

#: (reportlab name, file, shaped with HarfBuzz). Order within a chain is fallback order.
_FACES = {
    "serif": ("TrainerSerif", "NotoSerif-Regular.ttf", False),
    "serif-bold": ("TrainerSerifBold", "NotoSerif-Bold.ttf", False),
    "arabic": ("TrainerNaskhArabic", "NotoNaskhArabic-Regular.ttf", True),
    "devanagari": ("TrainerSerifDevanagari", "NotoSerifDevanagari-Regular.ttf", True),
    "cjk": ("TrainerSansCJK", "NotoSansCJKsc-Regular-subset.ttf", False),
}


def face_name(face: str) -> str:
    """The name reportlab knows a face by, e.g. for a canvas's initial font."""
    return _FACES[face][0]


REGULAR = ("serif", "arabic", "devanagari", "cjk")
BOLD = ("serif-bold", "arabic", "devanagari", "cjk")


# Fonts -------------------------------------------------------------------------------


def glyph_texts(path: Path) -> dict[str, str]:
    """The text each glyph stands for, following the font's substitutions (GSUB).

    Shaping draws glyphs no character maps to: contextual forms, ligatures, Devanagari
    half forms and conjuncts. Knowing that ``ka_ssa`` is "क्ष" lets the PDF's ToUnicode
    map give letters back instead of private-use codes.
    """
    with FontToolsFont(str(path)) as font:
        cmap = sorted(font.getBestCmap().items(), reverse=True)  # lowest code wins
        lookups = font["GSUB"].table.LookupList.Lookup if "GSUB" in font else []
    subtables = [
        table.ExtSubTable if lookup.LookupType == 7 else table
        for lookup in lookups
        for table in lookup.SubTable
    ]
    texts: dict[str, str] = {}
    # Letters sharing a shape (heh and heh goal in "الله") resolve to the commoner letter:
    # core letters seed the derivation first, extended letters and presentation forms after.
    for tier in (0, 1, 2):
        for code, glyph in cmap:
            if _tier(code) == tier:
                texts.setdefault(glyph, chr(code))
        for _ in range(8):  # substitutions feed each other; a few passes reach the fixpoint
            before = len(texts)
            for table in subtables:
                for target, text in _substitutions(table, texts):
                    texts.setdefault(target, text)
            if len(texts) == before:
                break
    return texts


def _tier(code: int) -> int:
    if _presentation_form(code):
        return 2
    return 1 if 0x0660 <= code <= 0x08FF else 0


def _presentation_form(code: int) -> bool:
    """Arabic presentation forms: the font maps them, but they are shapes, not letters."""
    return 0xFB50 <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFF


def _substitutions(table, texts: dict[str, str]):
    kind = table.LookupType
    if kind == 1:
        yield from ((dst, texts[src]) for src, dst in table.mapping.items() if src in texts)
    elif kind == 2:
        yield from (
            (seq[0], texts[src]) for src, seq in table.mapping.items() if src in texts and seq
        )
    elif kind == 3:
        for src, alternates in table.alternates.items():
            yield from ((alt, texts[src]) for alt in alternates if src in texts)
    elif kind == 4:
        for first, ligatures in table.ligatures.items():
            for ligature in ligatures:
                parts = [first, *ligature.Component]
                if all(p in texts for p in parts):
                    yield ligature.LigGlyph, "".join(texts[p] for p in parts)


#: Ghostscript (and other PDF rewriters) drop a ToUnicode map with a bfchar block of
#: more than 100 entries, the limit the CMap format sets (Adobe TN 5014).
CMAP_BLOCK = 100


def to_unicode_cmap(base: str, texts: list[str]) -> str:
    """A ToUnicode CMap for one-byte codes 0..n-1 showing ``texts``, in blocks of <= 100."""
    entries = [
        f"<{code:02X}> <{text.encode('utf-16-be').hex().upper()}>"
        for code, text in enumerate(texts)
    ]
    blocks = []
    for start in range(0, len(entries), CMAP_BLOCK):
        chunk = entries[start : start + CMAP_BLOCK]
        blocks += [f"{len(chunk)} beginbfchar", *chunk, "endbfchar"]
    return "\n".join(
        [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            f"/CIDSystemInfo << /Registry ({base}) /Ordering ({base}) /Supplement 0 >> def",
            f"/CMapName /{base} def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            f"<00> <{max(len(texts) - 1, 0):02X}>",
            "endcodespacerange",
            *blocks,
            "endcmap",
            "CMapName currentdict /CMap defineresource pop",
            "end",
            "end",
        ]
    )


class MappedTTFont(TTFont):
    """A TrueType font whose ToUnicode map comes in blocks a PDF rewriter keeps.

    reportlab writes each subset's map as one block of up to 256 entries, which
    Ghostscript's pdfwrite drops, losing the text layer; this rewrites it.
    """

    def addObjects(self, doc) -> None:
        state = self.state.get(doc)
        subsets = [list(subset) for subset in state.subsets] if state else []
        super().addObjects(doc)
        suffix = b"+" + self.face.name + self.face.subfontNameX
        for number, subset in enumerate(subsets):
            base = (SUBSETN(number) + suffix).decode("pdfdoc")
            stream = doc.idToObject.get("toUnicodeCMap:" + base)
            if stream is not None:
                stream.content = to_unicode_cmap(base, [self.text_of(c) for c in subset])

    def text_of(self, char: int) -> str:
        """The text a subset code shows."""
        return chr(char)


class ShapingTTFont(MappedTTFont):
    """A shaped TrueType font whose ToUnicode map says which letters each glyph shows."""

    def __init__(self, name: str, path: Path) -> None:
        super().__init__(name, str(path), shapable=True)
        self.glyph_texts = glyph_texts(path)
        with FontToolsFont(str(path)) as font:
            self.glyph_order = font.getGlyphOrder()

    def text_of(self, char: int) -> str:
        # a glyph reportlab numbered in the private use area, or a presentation form
        if 0xE000 <= char <= 0xF8FF or _presentation_form(char):
            glyph = self.glyph_order[self.face.charToGlyph[char]]
            text = self.glyph_texts.get(glyph, chr(char))
            # A right-to-left ligature ("لله") is read in visual order, like the glyphs
            # around it: extractors reverse the line, so its letters go in reversed.
            if len(text) > 1 and all(_is_rtl(c) or not _is_strong(c) for c in text):
                return text[::-1]
            return text
        return chr(char)


_SHAPING = threading.Lock()


@functools.cache
def registered_fonts() -> dict[str, TTFont]:
    """Register the Noto faces once per process; later renders reuse them."""
    fonts: dict[str, TTFont] = {}
    with _SHAPING:
        for role, (name, filename, shaped) in _FACES.items():
            path = FONT_DIR / filename
            font = (
                ShapingTTFont(name, path)
                if shaped
                else MappedTTFont(name, str(path), shapable=False)
            )
            pdfmetrics.registerFont(font)
            fonts[role] = font
    return fonts


def _font_for(char: str, chain: tuple[str, ...]) -> str:
    fonts = registered_fonts()
    for role in chain:
        if ord(char) in fonts[role].face.charToGlyph:
            return role
    return chain[0]


def _is_rtl(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("R", "AL")


def _is_strong(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("L", "R", "AL")


@dataclass(frozen=True)
class _Run:
    text: str
    role: str
    rtl: bool


def _itemize(text: str, chain: tuple[str, ...]) -> list[_Run]:
    """Split ``text`` into runs of one font and one direction, in logical order.

    Letters choose the first font of ``chain`` that has them; marks, spaces,
    digits and punctuation stay with the run they follow when its font has them.
    """
    pieces: list[list] = []  # [text, role, rtl or None while only neutrals]
    fonts = registered_fonts()
    for char in text:
        strong = _is_strong(char)
        if pieces:
            last = pieces[-1]
            same_font = ord(char) in fonts[last[1]].face.charToGlyph
            joins = unicodedata.category(char).startswith("M") or (not strong and same_font)
            if joins or (
                strong and _font_for(char, chain) == last[1] and last[2] in (None, _is_rtl(char))
            ):
                last[0] += char
                if strong and last[2] is None:
                    last[2] = _is_rtl(char)
                continue
        pieces.append([char, _font_for(char, chain), _is_rtl(char) if strong else None])
    return [_Run(t, role, bool(rtl)) for t, role, rtl in pieces]


def _visual_order(runs: list[_Run]) -> list[_Run]:
    """Reorder runs for display (the run level of the Unicode bidi algorithm).

    The base direction is that of the first strong character. Spaces at the edges of
    a run against the base direction are split off so they stay between words.
    """
    base_rtl = next((r.rtl for r in runs if any(_is_strong(c) for c in r.text)), False)
    split: list[_Run] = []
    for run in runs:
        if run.rtl == base_rtl:
            split.append(run)
            continue
        core = run.text.strip()
        head, tail = run.text[: run.text.find(core)], run.text[run.text.find(core) + len(core) :]
        split += [
            _Run(t, run.role, r)
            for t, r in ((head, base_rtl), (core, run.rtl), (tail, base_rtl))
            if t
        ]
    groups: list[list[_Run]] = []
    for run in split:
        if groups and groups[-1][0].rtl == run.rtl:
            groups[-1].append(run)
        else:
            groups.append([run])
    ordered = [list(reversed(g)) if g[0].rtl else g for g in groups]
    if base_rtl:
        ordered.reverse()
    return [run for group in ordered for run in group]


#: Optional ligatures off for Arabic: a ligature of three letters (the "الله" of
#: "عبد الله") maps to three characters, which Ghostscript's re-save garbles. The
#: letters then join one by one, as required (lam-alef stays: it is required, 'rlig').
_FEATURES = {"arabic": {"kern": True, "liga": False, "dlig": False}}


def _shape(text: str, font_name: str, role: str):
    """HarfBuzz shaping through reportlab, with the features chosen for the script."""
    features = _FEATURES.get(role)
    if features is None:
        return shapeStr(text, font_name, 1000)
    word = [
        pdfmetrics.stringWidth(text, font_name, 1000),
        (ABag(fontName=font_name, fontSize=1000), text),
    ]
    return shapeFragWord(word, features=features)[1][1]


@functools.lru_cache(maxsize=4096)
def _shaped(text: str, role: str) -> tuple[str, float]:
    """The glyph string to draw for a run and its width at 1 pt."""
    font = registered_fonts()[role]
    if font.shapable:
        with _SHAPING:  # shaping numbers new glyphs in the shared font object
            shaped = _shape(text, font.fontName, role)
        if isinstance(shaped, ShapedStr):
            return shaped, sum(d.x_advance for d in shaped.__shapeData__) / 1000
    return text, pdfmetrics.stringWidth(text, font.fontName, 1)


@dataclass(frozen=True)
class Line:
    """One line of text laid out for display: runs in visual order."""

    text: str
    runs: tuple[tuple[str, str, float], ...]  # (glyphs, role, width at 1 pt)
    needs_actual_text: bool

    def width(self, size: float) -> float:
        return sum(w for _, _, w in self.runs) * size


@functools.lru_cache(maxsize=1024)
def layout_line(text: str, bold: bool = False) -> Line:
    """Lay out one line of ``text`` with the regular or bold fallback chain."""
    display = unicodedata.normalize("NFC", text)
    runs = _visual_order(_itemize(display, BOLD if bold else REGULAR))
    laid_out = []
    for run in runs:
        glyphs, width = _shaped(run.text, run.role)
        laid_out.append((glyphs, run.role, width))
    needs = display != text or any(r.rtl or registered_fonts()[r.role].shapable for r in runs)
    return Line(text, tuple(laid_out), needs)


# Fitting text into a box --------------------------------------------------------------


def _break_points(text: str) -> list[int]:
    """Where a line may break: after spaces, or between ideographs (no spaces in CJK)."""
    points = [i + 1 for i, c in enumerate(text) if c == " "]
    if not points:
        points = [
            i for i in range(1, len(text)) if not unicodedata.category(text[i]).startswith("M")
        ]
    return points


def wrap(text: str, size: float, width: float, bold: bool = False) -> list[Line]:
    """Greedy wrap of ``text`` into lines no wider than ``width`` at ``size``."""
    lines: list[Line] = []
    start = 0
    points = [*_break_points(text), len(text)]
    while start < len(text):
        end = next((p for p in points if p > start), len(text))
        for p in points:
            if p <= end:
                continue
            if layout_line(text[start:p].strip(), bold).width(size) > width:
                break
            end = p
        lines.append(layout_line(text[start:end].strip(), bold))
        start = end
    return lines


def fit(
    text: str, width: float, largest: float, smallest: float, max_lines: int, bold: bool = False
) -> tuple[float, list[Line]]:
    """The largest size at which ``text`` fits on one line, then on up to ``max_lines``.

    Shrinks from ``largest`` to ``smallest`` on one line, then wraps at ``smallest``;
    if even that overflows, shrinks further until the wrapped text fits.
    """
    one = layout_line(text, bold)
    natural = one.width(1)
    if natural * smallest <= width:
        return min(largest, width / natural if natural else largest), [one]
    size = smallest
    while True:
        lines = wrap(text, size, width, bold)
        if len(lines) <= max_lines and all(line.width(size) <= width for line in lines):
            return size, lines
        size *= 0.94
