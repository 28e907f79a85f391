"""The printed certificate: one landscape page a licensing board can read and check.

Pure rendering: a `PrintedCertificate` in, PDF bytes out; no Flask, no database.
Names print exactly as the learner gave them, in any script. Each run of text gets
the first font of a Noto fallback chain that has its characters; Arabic and
Devanagari runs are shaped with HarfBuzz and laid out right to left where needed.

Fields a verifier reads back (`pdfread.printed_fields`) are wrapped in marked content
tagged with their field name, and any shaped or reordered text carries an
``/ActualText`` with the name in logical order, so text extraction gives it back.
"""

from __future__ import annotations

import functools
import io
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, LETTER, landscape
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

from trainer.certificates.pdfa import (
    PRODUCER,
    allow_keys,
    attach_credential,
    make_archival,
    start_structure,
    structure_of,
    write_structure,
)
from trainer.certificates.typesetting import (
    Line,
    face_name,
    fit,
    layout_line,
    registered_fonts,
    wrap,
)
from trainer.content.languages import language_label

PAPER = {"A4": landscape(A4), "Letter": landscape(LETTER)}
#: Marked-content property naming the field a piece of text prints (pdfread.FIELD_KEY).
FIELD_KEY = "TrainerField"


#: Detail columns as (start, width), in parts of the width left of the QR code.
COLUMNS = ((0, 0.24), (0.26, 0.34), (0.62, 0.38))
INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#52606d")
RULE = colors.HexColor("#3e4c59")


@dataclass(frozen=True)
class PrintedCertificate:
    """Everything the page shows, already in display form."""

    id: str
    name: str
    course_title: str
    course_version: str
    content_areas: tuple[str, ...]
    hours: float
    completed_on: date
    issued_on: date
    provider_name: str
    provider_approval: str
    requirements: tuple[str, ...]
    verify_url: str
    licence_type: str | None = None
    licence_number: str | None = None
    licence_board: str | None = None
    valid_until: date | None = None
    language: str = "en"


def format_hours(hours: float) -> str:
    """Hours as printed: two decimals, the form a board's form asks for ("1.25")."""
    return f"{hours:.2f}"


def format_date(day: date) -> str:
    """An unambiguous date in any country: "22 November 2026"."""
    return f"{day.day} {day:%B %Y}"


# Drawing ------------------------------------------------------------------------------


def _text_string(text: str) -> str:
    """A PDF text string (UTF-16BE with byte order mark), as a hex literal."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def _needs_actual_text(text: str, lines: list[Line]) -> bool:
    """Whether the glyphs alone would not give ``text`` back in order.

    Not for right-to-left text: poppler and PDFium take an /ActualText for visual
    order and reverse it. Their own bidi handling gives such text back in logical
    order from the glyphs' positions (the Arabic font maps ligatures accordingly).
    """
    if any(unicodedata.bidirectional(c) in ("R", "AL") for c in text):
        return False
    return len(lines) > 1 or any(line.needs_actual_text for line in lines)


def draw_lines(
    canvas: Canvas,
    lines: list[Line],
    x: float,
    y: float,
    size: float,
    *,
    align: str = "left",
    leading: float = 1.2,
    field: str | None = None,
    text: str | None = None,
    colour: colors.Color = INK,
    role: str = "P",
) -> float:
    """Draw laid-out ``lines`` from baseline ``y`` down; return the baseline below the last.

    ``field`` tags the text for `pdfread`; ``text`` (the logical text) becomes the
    ``/ActualText`` when the glyphs alone would not give it back in order; ``role``
    is its structure type (P, H1) on a tagged page.
    """
    properties = []
    structure = structure_of(canvas)
    if structure is not None:
        properties.append(f"/MCID {structure.next_mcid(role)}")
    if field:
        properties.append(f"/{FIELD_KEY} /{field}")
    actual = text is not None and _needs_actual_text(text, lines)
    if actual:
        properties.append(f"/ActualText {_text_string(text or '')}")
    if properties:
        tag = "Span" if actual else role  # poppler reads /ActualText only on a /Span
        canvas.addLiteral(f"/{tag} << {' '.join(properties)} >> BDC")
    fonts = registered_fonts()
    canvas.setFillColor(colour)
    for line in lines:
        width = line.width(size)
        cursor = {"left": x, "center": x - width / 2, "right": x - width}[align]
        text_object = canvas.beginText()
        for glyphs, role, run_width in line.runs:
            text_object.setTextOrigin(cursor, y)
            text_object.setFont(fonts[role].fontName, size)
            text_object.textOut(glyphs)
            cursor += run_width * size
        canvas.drawText(text_object)
        y -= size * leading
    if properties:
        canvas.addLiteral("EMC")
    return y


def draw_text(
    canvas: Canvas,
    text: str,
    x: float,
    y: float,
    width: float,
    size: float,
    *,
    smallest: float | None = None,
    max_lines: int = 1,
    bold: bool = False,
    **options,
) -> float:
    """Fit ``text`` into ``width`` (shrinking, then wrapping) and draw it; return next baseline."""
    size, lines = fit(text, width, size, smallest or size, max_lines, bold)
    return draw_lines(canvas, lines, x, y, size, text=text, **options)


def draw_labelled(
    canvas: Canvas, label: str, value: str, x: float, y: float, width: float, **options
) -> float:
    """A small grey label over its value, as on a form; return the next free baseline."""
    draw_lines(canvas, [layout_line(label)], x, y, 7.5, colour=MUTED)
    size = options.pop("size", 11)
    below = draw_text(canvas, value, x, y - size - 4, width, size, smallest=7, **options)
    return below - 10


def draw_list(
    canvas: Canvas,
    label: str,
    items: tuple[str, ...],
    x: float,
    y: float,
    width: float,
    bottom: float,
    field: str,
) -> float:
    """A labelled bullet list that shrinks, then truncates with "and N more", above ``bottom``."""
    draw_lines(canvas, [layout_line(label)], x, y, 7.5, colour=MUTED)
    y -= 15
    for size in (10, 9, 8, 7):
        blocks = [wrap(item, size, width - 9) for item in items]
        if y - sum(len(b) for b in blocks) * size * 1.25 >= bottom:
            break
    room = int((y - bottom) / (size * 1.25)) + 1
    shown: list[list[Line]] = []
    for block in blocks:
        reserve = 1 if len(shown) < len(blocks) - 1 else 0
        if sum(len(b) for b in shown) + len(block) > room - reserve:
            break
        shown.append(block)
    for item, block in zip(items, shown, strict=False):
        draw_lines(canvas, [layout_line("•")], x, y, size, colour=MUTED)
        y = draw_lines(canvas, block, x + 9, y, size, leading=1.25, field=field, text=item)
    if len(shown) < len(items):
        more = f"and {len(items) - len(shown)} more"
        line = [layout_line(more)]
        y = draw_lines(canvas, line, x + 9, y, size, colour=MUTED, field=f"{field}_more")
    return y


@functools.lru_cache(maxsize=64)
def qr_modules(url: str, side: float) -> tuple[tuple[float, float, float, float], ...]:
    """The dark modules of the QR code for ``url`` (error correction M), ``side`` points square."""
    widget = QrCodeWidget(url, barLevel="M", barWidth=side, barHeight=side, barBorder=0)
    return tuple(
        (r.x, r.y, r.width, r.height) for r in widget.draw().contents if r.fillColor is not None
    )


def draw_qr(canvas: Canvas, url: str, x: float, y: float, side: float) -> None:
    """Draw the QR code as one filled path (renderPDF would also pull in Helvetica)."""
    alt = "QR code: " + url
    structure = structure_of(canvas)
    mcid = f"/MCID {structure.next_mcid('Figure', alt)} " if structure is not None else ""
    canvas.addLiteral(f"/Figure << {mcid}/Alt {_text_string(alt)} >> BDC")
    canvas.setFillColor(colors.black)
    path = canvas.beginPath()
    for left, bottom, width, height in qr_modules(url, side):
        path.rect(x + left, y + bottom, width, height)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.addLiteral("EMC")


def _licence_line(cert: PrintedCertificate) -> str | None:
    parts = [cert.licence_type or ""]
    if cert.licence_number:
        parts.append(f"licence no. {cert.licence_number}")
    parts.append(cert.licence_board or "")
    shown = [p for p in parts if p]
    return " · ".join(shown) if shown else None


@dataclass(frozen=True)
class _Page:
    canvas: Canvas
    width: float

    def centred(self, text: str, y: float, size: float, smallest: float = 0, **options) -> float:
        """Centred text, shrunk to fit the width between the margins; the next baseline."""
        centre, inner, smallest = self.width / 2, self.width - 160, smallest or size
        options |= {"smallest": smallest, "align": "center"}
        return draw_text(self.canvas, text, centre, y, inner, size, **options)


def _draw_header(page: _Page, cert: PrintedCertificate, top: float) -> float:
    """Provider, title, name, licence and course, centred; return the baseline below."""
    canvas, centre = page.canvas, page.width / 2
    page.centred(cert.provider_name, top, 11, 7, colour=MUTED, field="provider")
    page.centred("Certificate of completion", top - 38, 28, bold=True, role="H1")
    page.centred("This certifies that", top - 64, 11, colour=MUTED)
    size, lines = fit(cert.name, page.width - 160, 32, 18, 2)
    first = top - 104 if len(lines) == 1 else top - 94
    y = draw_lines(canvas, lines, centre, first, size, align="center", field="name", text=cert.name)
    y = min(y + size * 1.2 - 14, top - 118)
    canvas.addLiteral("/Artifact BMC")
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(centre - 170, y, centre + 170, y)
    canvas.addLiteral("EMC")
    y -= 16
    licence = _licence_line(cert)
    if licence:
        y = page.centred(licence, y, 10.5, 7, field="licence") - 4
    page.centred("has completed the course", y, 11, colour=MUTED)
    y = page.centred(
        cert.course_title, y - 22, 16, 11, max_lines=2, bold=True, field="course_title"
    )
    version = f"Version {cert.course_version}"
    y = page.centred(version, y + 2, 10, 7, colour=MUTED, field="course_version")
    language = f"Language: {language_label(cert.language)}"
    return page.centred(language, y + 2, 10, 7, colour=MUTED, field="language")


def _draw_details(page: _Page, cert: PrintedCertificate, top: float) -> None:
    """Three columns of fields above the footer, and the QR code at the right."""
    canvas, left, right, bottom, qr_side = page.canvas, 64, page.width - 64, 104, 96
    usable = right - left - qr_side - 24
    (x1, w1), (x2, w2), (x3, w3) = [(left + usable * a, usable * w) for a, w in COLUMNS]
    hours = format_hours(cert.hours)
    y = draw_labelled(canvas, "Credit hours", hours, x1, top, w1, size=18, bold=True, field="hours")
    for label, day, field in (
        ("Completed on", cert.completed_on, "completed_on"),
        ("Issued on", cert.issued_on, "issued_on"),
        ("Valid until", cert.valid_until, "valid_until"),
    ):
        if day is not None:
            y = draw_labelled(canvas, label, format_date(day), x1, y, w1, field=field)
    provider = cert.provider_name
    y = draw_labelled(canvas, "Provider", provider, x2, top, w2, max_lines=2, field="provider_name")
    if cert.provider_approval:
        approval = cert.provider_approval
        y = draw_labelled(canvas, "Approval number", approval, x2, y, w2, field="approval")
    areas = cert.content_areas
    draw_list(canvas, "Content areas covered", areas, x2, y, w2, bottom, "content_area")
    requirements = cert.requirements or ("None of the listed rules",)
    draw_list(
        canvas, "Requirement sets satisfied", requirements, x3, top, w3, bottom, "requirement"
    )
    qr_x, qr_y = right - qr_side, top - qr_side - 4
    draw_qr(canvas, cert.verify_url, qr_x, qr_y, qr_side)
    url_options = {"smallest": 5.5, "max_lines": 3, "align": "center", "colour": MUTED}
    draw_text(
        canvas, cert.verify_url, qr_x + qr_side / 2, qr_y - 10, qr_side + 24, 6.5, **url_options
    )


def _draw_footer(page: _Page, cert: PrintedCertificate) -> None:
    canvas, left, right = page.canvas, 64, page.width - 64
    half = (right - left) * 0.48
    draw_lines(canvas, [layout_line("Certificate ID")], left, 82, 7.5, colour=MUTED)
    draw_text(canvas, cert.id, left, 64, half, 13, smallest=8, bold=True, field="id")
    verify = f"Verify at {cert.verify_url}"
    draw_text(canvas, verify, right, 64, half, 9.5, smallest=5, align="right", field="verify_url")


def _draw_border(canvas: Canvas, width: float, height: float) -> None:
    canvas.addLiteral("/Artifact BMC")  # decoration: not read aloud, not in the structure
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(1.2)
    canvas.rect(24, 24, width - 48, height - 48)
    canvas.setLineWidth(0.4)
    canvas.rect(29, 29, width - 58, height - 58)
    canvas.addLiteral("EMC")


def render_certificate_pdf(
    cert: PrintedCertificate,
    *,
    paper: str = "A4",
    credential: str | None = None,
    created: datetime | None = None,
    producer: str = PRODUCER,
) -> bytes:
    """The certificate as a one-page landscape PDF (``paper`` "A4" or "Letter").

    ``credential``, a compact VC-JWT, is embedded as ``credential.jwt``
    (application/vc+jwt) so the certificate can be verified offline.
    ``created`` (default: midnight UTC of the issue date) is the document's
    creation date; ``producer``, the program that writes the file last.
    Rendering is deterministic: the same input gives the same bytes.
    """
    created = created or datetime.combine(cert.issued_on, time(0), tzinfo=UTC)
    width, height = PAPER[paper]
    registered_fonts()  # before the canvas, whose initial font is ours
    buffer = io.BytesIO()
    canvas = Canvas(
        buffer,
        pagesize=(width, height),
        invariant=True,
        pageCompression=True,
        initialFontName=face_name("serif"),
    )
    title = f"Certificate of completion — {cert.course_title}"
    author, subject = cert.provider_name, cert.id
    make_archival(
        canvas, title=title, author=author, subject=subject, created=created, producer=producer
    )
    canvas._doc.Catalog.Lang = pdfdoc.PDFString(cert.language)
    structure = start_structure(canvas)
    _draw_border(canvas, width, height)
    page = _Page(canvas, width)
    bottom_of_header = _draw_header(page, cert, height - 66)
    _draw_details(page, cert, min(bottom_of_header - 8, height - 300))
    _draw_footer(page, cert)
    if credential is not None:
        attach_credential(canvas, credential, created)
    canvas.showPage()
    page_object = canvas._doc.Pages.pages[-1]
    page_object.StructParents = 0
    page_object.Tabs = pdfdoc.PDFName("S")
    allow_keys(page_object, "StructParents", "Tabs")
    write_structure(canvas, structure, cert.language)
    canvas.save()
    return buffer.getvalue()
