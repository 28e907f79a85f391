"""Reading a certificate PDF back, offline and in pure Python (pypdf), for verification.

`printed_fields` reads the id, name and hours *as drawn on the page*, so a PDF whose
visible text was edited no longer matches its signed credential. Text is decoded
from the glyphs through each font's ToUnicode map (the renderer maps shaped glyphs,
such as Devanagari conjuncts, to the letters they show). Where the page gives a
logical ``/ActualText`` for shaped or right-to-left text, it is used only when the
glyphs under it show exactly the same letters; otherwise the glyphs win.
"""

from __future__ import annotations

import io
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from bidi import get_display
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from trainer.certificates.pagedraw import Drawing, Segment, page_drawing, union

CREDENTIAL_FILENAME = "credential.jwt"
FIELD_KEY = "/TrainerField"
#: Labels printed before the fields, for pages whose field tags an editor dropped.
LABELS = {"id": "Certificate ID", "hours": "Credit hours", "name": "This certifies that"}
_BIDI_CONTROLS = dict.fromkeys(
    map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)


class UnreadablePdf(ValueError):
    """The bytes are not a PDF this module can read."""


@dataclass(frozen=True)
class PrintedFields:
    """What the page shows, as read back: text as printed, ``None`` when not found.

    ``hours`` is the printed figure, e.g. "1.25" (compare with ``float``).
    """

    id: str | None
    name: str | None
    hours: str | None
    fields: dict[str, tuple[str, ...]] = field(default_factory=dict)  # every tagged field


def _reader(pdf: bytes) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(pdf))
        if not reader.pages:
            raise UnreadablePdf("the PDF has no pages")
        return reader
    except (PdfReadError, ValueError, KeyError, TypeError) as error:
        if isinstance(error, UnreadablePdf):
            raise
        raise UnreadablePdf(f"not a readable PDF: {error}") from error


def extract_credential(pdf: bytes) -> str | None:
    """The embedded ``credential.jwt`` (a compact VC-JWT), or None when there is none."""
    reader = _reader(pdf)
    attached = reader.attachments.get(CREDENTIAL_FILENAME)
    if not attached:
        return None
    try:
        return attached[0].decode("ascii").strip()
    except UnicodeDecodeError:
        return None


def printed_text(pdf: bytes) -> str:
    """The text of page 1, one line per line of text drawn, in drawing order."""
    return "\n".join(s.text for s in _segments(pdf))


def printed_fields(pdf: bytes) -> PrintedFields:
    """The certificate id, name and credit hours shown on page 1."""
    segments = _segments(pdf)
    tagged: dict[str, list[str]] = {}
    for segment in segments:
        if segment.field:
            tagged.setdefault(segment.field, []).append(segment.text)
    fields = {name: tuple(texts) for name, texts in tagged.items()}
    found = {
        key: ("\n" if key == "name" else " ").join(fields[key])
        if key in fields
        else _after_label(segments, label)
        for key, label in LABELS.items()
    }
    return PrintedFields(
        id=found["id"],
        name=found["name"],
        hours=found["hours"],
        fields=fields,
    )


def normalise_name(name: str) -> str:
    """A name in comparable form: NFKC (folds Arabic presentation forms), single spaces."""
    text = unicodedata.normalize("NFKC", name).translate(_BIDI_CONTROLS)
    return " ".join(text.split())


def same_name(printed: str, credential_name: str) -> bool:
    """Whether the name read off the page is the credential's name.

    Accepts the name in logical order or in right-to-left visual order (as some
    extractors give Arabic), after NFKC and whitespace normalisation.
    """
    seen = normalise_name(printed)
    expected = normalise_name(credential_name)
    if seen in (expected, normalise_name(get_display(expected))):
        return True
    # a name on several lines (one per line, as drawn), each right to left in visual order
    lines = [line for line in printed.splitlines() if line.strip()]
    return len(lines) > 1 and normalise_name(" ".join(map(get_display, lines))) == expected


def _after_label(segments: list[Segment], label: str) -> str | None:
    for index, segment in enumerate(segments[:-1]):
        if segment.text.strip() == label:
            return segments[index + 1].text.strip()
    return None


# Content stream decoding --------------------------------------------------------------


def drawing(pdf: bytes) -> Drawing:
    """What page 1 draws, with shaped or reordered text replaced by its /ActualText
    wherever the visible glyphs under it show exactly the same letters."""
    reader = _reader(pdf)
    try:
        drawn = page_drawing(reader)
    except (PdfReadError, ValueError, KeyError, TypeError, IndexError) as error:
        raise UnreadablePdf(f"the page cannot be read: {error}") from error
    segments = drawn.segments
    for actual, start, end in sorted(drawn.actual_texts, key=lambda span: -span[1]):
        part = segments[start:end]
        if part and _glyphs_show("".join(s.text for s in part), actual):
            merged = Segment(part[0].order, part[0].field, actual, None)
            merged.shown_all = "".join(s.shown_all for s in part)
            merged.hidden = next((s.hidden for s in part if s.hidden), None)
            for piece in part:
                if piece.box is not None:
                    merged.box = union(merged.box, piece.box)
            segments[start:end] = [merged]
    return drawn


def _segments(reader_pdf: bytes) -> list[Segment]:
    return [s for s in drawing(reader_pdf).segments if s.text]


def _letters(text: str) -> Counter[str]:
    return Counter(c for c in normalise_name(text) if not c.isspace())


def _reorders(char: str) -> bool:
    """Characters whose glyphs a shaper may draw out of logical order (RTL, Indic)."""
    return unicodedata.bidirectional(char) in ("R", "AL") or 0x0900 <= ord(char) <= 0x0DFF


def _glyphs_show(glyphs: str, actual: str) -> bool:
    """Whether the glyphs drawn are ``actual``, allowing only for shaping.

    Text in scripts drawn in logical order must match character for character.
    Right-to-left and Indic text may come out reordered, so there the glyphs must
    show exactly the same letters (a multiset). A glyph still in the private use
    area (one whose letters the font could not tell) may stand for up to four.
    """
    shown, expected = _letters(glyphs), _letters(actual)
    if not any(_reorders(c) for c in expected):
        return "".join(normalise_name(glyphs).split()) == "".join(normalise_name(actual).split())
    made_up = sum(n for c, n in shown.items() if unicodedata.category(c) == "Co")
    known = Counter({c: n for c, n in shown.items() if unicodedata.category(c) != "Co"})
    if known - expected:
        return False
    left_over = sum((expected - known).values())
    return made_up <= left_over <= 4 * made_up
