"""The printable protocol card: one A4 page of the learner's own steps and contacts.

Drawn with the certificates' typesetting (Noto font chain, shaping, right to
left), so a card in Arabic or with a Devanagari name prints as well as one in
English. It holds the learner's directory (nearest unit first), then their
country's national contacts; if everything does not fit at the smallest type
it says so on the card rather than dropping lines silently.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import markdown
import nh3
from flask import send_file
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

from trainer.accounts.roles import login_required
from trainer.certificates.pdf import INK, MUTED, draw_lines
from trainer.certificates.typesetting import face_name, registered_fonts, wrap
from trainer.content.catalogue import shown_catalogue
from trainer.i18n.formatting import local_date
from trainer.learning.views import bp
from trainer.referrals.display import learner_levels
from trainer.referrals.labels import role_label
from trainer.referrals.phones import shown_phone

MARGIN = 48.0
#: Large enough to read on a wall when the directory is short; down to 7 pt when it is long.
SIZES = (15.0, 14.0, 13.0, 12.0, 11.0, 10.0, 9.0, 8.0, 7.0)


@dataclass(frozen=True)
class CardLine:
    text: str
    bold: bool = False
    indent: float = 0.0
    gap: float = 0.0  # space before, in lines


def plain(markdown_text: str) -> str:
    """A step's Markdown as plain text for print (links keep their text)."""
    html = markdown.markdown(markdown_text, output_format="html")
    return " ".join(nh3.clean(html, tags=set()).split()).replace("&amp;", "&")


def card_lines(user: object) -> list[CardLine]:
    """Everything the card says, in order."""
    lines: list[CardLine] = []
    for level in learner_levels(user):
        updated = local_date(level.updated) if level.updated else ""
        title = _("%(source)s protocol, updated %(date)s", source=level.label, date=updated)
        lines.append(CardLine(title, bold=True, gap=1))
        for number, step in enumerate(level.steps, 1):
            lines.append(CardLine(f"{number}. {plain(step.body)}", indent=10))
        for contact in level.contacts:
            lines.append(CardLine(_contact_text(contact), indent=10))
    jurisdiction = shown_catalogue().jurisdiction_for(getattr(user, "country", None))
    lines.append(CardLine(_("National contacts: %(place)s", place=jurisdiction.name), True, gap=1))
    for national in jurisdiction.contacts:
        parts = [
            national.name,
            national.phone,
            national.text and _("text %(number)s", number=national.text),
        ]
        lines.append(CardLine(" · ".join(p for p in parts if p), indent=10))
    return lines


def _contact_text(contact: object) -> str:
    c = contact
    parts = [
        f"{c.name} ({role_label(c.role)})",
        shown_phone(c.phone).replace(" ", "\u00a0"),  # a number never breaks across lines
        c.text_number and _("text %(number)s", number=shown_phone(c.text_number)),
        c.email,
        c.hours,
        c.address,
    ]
    return " · ".join(p for p in parts if p)


def render_card(user: object, title: str) -> bytes:
    """The card as PDF bytes: the largest type size at which everything fits one page."""
    width, height = A4
    registered_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True, initialFontName=face_name("serif"))
    canvas.setTitle(title)
    canvas.setCreator("Trainer")
    canvas._doc.Catalog.Lang = pdfdoc.PDFString(str(get_locale()))
    lines = card_lines(user)
    usable = width - 2 * MARGIN
    for size in SIZES:
        laid = [(line, wrap(line.text, size, usable - line.indent, line.bold)) for line in lines]
        needed = sum((len(w) + line.gap) * size * 1.3 for line, w in laid)
        if needed <= height - 2 * MARGIN - 40:
            break
    y = height - MARGIN - 22
    y = draw_lines(canvas, wrap(title, 22, usable, True), MARGIN, y, 22, text=title)
    name = getattr(user, "full_name", "")
    y = draw_lines(canvas, wrap(name, 9, usable), MARGIN, y, 9, colour=MUTED, text=name)
    for line, wrapped in laid:
        y -= line.gap * size * 0.6
        if y - len(wrapped) * size * 1.3 < MARGIN:
            more = _("More on the site: sign in and open any module's reporting contacts.")
            draw_lines(canvas, wrap(more, 8, usable), MARGIN, MARGIN, 8, colour=MUTED, text=more)
            break
        y = draw_lines(
            canvas, wrapped, MARGIN + line.indent, y, size, leading=1.3, text=line.text, colour=INK
        )
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


@bp.get("/dashboard/protocol-card.pdf")
@login_required
def protocol_card() -> ResponseReturnValue:
    """The signed-in learner's own card, in the interface language."""
    title = _("Referral protocol card")
    pdf = render_card(current_user, title)
    response = send_file(
        io.BytesIO(pdf),
        mimetype="application/pdf",
        download_name="protocol-card.pdf",
        as_attachment=True,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
