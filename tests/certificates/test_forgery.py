"""Forged certificates, each made the way a forger would, and what `verify` says of each.

Every forgery starts from a genuine, sealed PDF. Most are rewritten without the seal
(a forger cannot re-seal; a rewrite that keeps the old signature dictionary is also
shown), so what catches them is the page check itself: the answer must name the
forgery, and exit 1.
"""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import subprocess

import pytest
from click.testing import CliRunner
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import FreeText

from tests.certificates.helpers import finish_course
from trainer.certificates import services
from trainer.certificates.credential import build_credential, sign_credential
from trainer.certificates.pdf import qr_modules, render_certificate_pdf
from trainer.certificates.pdfread import drawing
from trainer.certificates.printing import certificate_pdf, printed_certificate
from trainer.certificates.seal import seal_pdf, signer_of
from trainer.cli import main
from trainer.content.catalogue import catalogue

BASE = "http://trainer.test"


@pytest.fixture
def issued(app, make, db):
    learner = make.user(full_name="Jane Doe", licence_number="RN-4410021")
    return finish_course(app, db, learner)


@pytest.fixture
def genuine(app, issued):
    with app.app_context():
        return certificate_pdf(issued, catalogue(), BASE, "A4")


@pytest.fixture
def verify(app, tmp_path):
    def verify(pdf: bytes):
        path = tmp_path / "certificate.pdf"
        path.write_bytes(pdf)
        return CliRunner().invoke(main, ["certificates", "verify", str(path)], obj=app)

    return verify


def rewrite(pdf: bytes, edit=None, keep_seal: bool = False, annotate=None) -> bytes:
    """The file saved again by a PDF library, its page content through ``edit``.

    Without ``keep_seal`` the signature field goes too, as a forger who cannot
    re-sign would leave it.
    """
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    page = writer.pages[0]
    if not keep_seal:
        del writer._root_object["/AcroForm"]
        del page["/Annots"]
    if edit is not None:
        contents = page.get_contents()
        contents.set_data(edit(contents.get_data()))
        page.replace_contents(contents)
    if annotate is not None:
        writer.add_annotation(0, annotate)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def name_box(pdf: bytes) -> tuple[float, float, float, float]:
    return next(s.box for s in drawing(pdf).segments if s.field == "name")


def name_font(content: bytes) -> bytes:
    start = content.index(b"/TrainerField /name")
    return re.search(rb"(/F[\w+]+) [\d.]+ Tf", content[start:]).group(1)


def new_text(content: bytes, text: bytes, x: float, y: float) -> bytes:
    return content + b"\nBT %s 32 Tf %.1f %.1f Td (%s) Tj ET\n" % (name_font(content), x, y, text)


def assert_rejected(result, reason: str) -> None:
    assert result.exit_code == 1, result.output
    assert "INVALID" in result.output
    assert reason in result.output, result.output


# The genuine certificate -----------------------------------------------------------


def test_a_genuine_certificate_is_valid(genuine, verify):
    result = verify(genuine)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("VALID") and "Sealed by" in result.output
    assert "Jane Doe" in result.output


@pytest.mark.skipif(shutil.which("gs") is None, reason="needs Ghostscript (apt ghostscript)")
def test_a_ghostscript_re_save_gets_the_honest_answer(genuine, verify, issued, tmp_path):
    source, target = tmp_path / "in.pdf", tmp_path / "gs.pdf"
    source.write_bytes(genuine)
    subprocess.run(  # noqa: S603 (a fixed command on our own temporary files)
        [
            shutil.which("gs") or "gs",
            "-q",
            "-dNOPAUSE",
            "-dBATCH",
            "-sDEVICE=pdfwrite",
            f"-sOutputFile={target}",
            str(source),
        ],
        check=True,
        capture_output=True,
    )
    result = verify(target.read_bytes())
    assert result.exit_code == 1, result.output
    assert result.output.startswith("RESAVED") and "re-saved after signing" in result.output
    assert f"check online at {BASE}/verify/{issued.id}" in result.output


# What is drawn, not what is extracted ----------------------------------------------


def test_a_white_box_with_a_new_name_is_caught(genuine, verify):
    x0, y0, x1, y1 = name_box(genuine)

    def paint_over(content: bytes) -> bytes:
        box = b"\nq 1 1 1 rg %.1f %.1f %.1f %.1f re f Q" % (
            x0 - 2,
            y0 - 2,
            x1 - x0 + 4,
            y1 - y0 + 4,
        )
        return new_text(content + box, b"Joan Dee", x0, y0 + 8)

    result = verify(rewrite(genuine, paint_over))
    assert_rejected(result, "Something is painted over the printed name: a filled shape.")
    assert "Other text (" in result.output and "is drawn over the printed name" in result.output


def test_an_annotation_over_the_name_is_caught(genuine, verify):
    x0, y0, x1, y1 = name_box(genuine)
    note = FreeText(
        text="Joan Dee", rect=(x0, y0, x1, y1), font_size="32pt", background_color="ffffff"
    )
    assert_rejected(
        verify(rewrite(genuine, annotate=note)), "The page carries a FreeText annotation"
    )


def test_the_original_name_made_invisible_is_caught(genuine, verify):
    def hide(content: bytes) -> bytes:
        start = content.index(b"/TrainerField /name")
        at = content.index(b"BT", start)
        content = content[:at] + b"3 Tr " + content[at:]
        return new_text(content, b"Joan Dee", 260, 520)

    result = verify(rewrite(genuine, hide))
    assert_rejected(result, "The printed name is drawn invisibly (text render mode 3).")


def test_the_name_in_white_ink_is_caught(genuine, verify):
    def whiten(content: bytes) -> bytes:
        start = content.index(b"/TrainerField /name")
        colour = re.compile(rb"[\d.]+ [\d.]+ [\d.]+ rg")
        match = colour.search(content, start)
        return content[: match.start()] + b"1 1 1 rg" + content[match.end() :]

    assert_rejected(verify(rewrite(genuine, whiten)), "The printed name is drawn in white.")


def test_a_swapped_qr_code_is_caught(genuine, verify, issued):
    genuine_url = f"{BASE}/verify/{issued.id}"
    fake_url = f"http://trainer-verify.test/verify/{issued.id}"

    def swap(content: bytes) -> bytes:
        start = content.index(b"/Figure")
        end = content.index(b"EMC", start)
        first = re.search(rb"([\d.]+) ([\d.]+) [\d.]+ [\d.]+ re", content[start:end])
        left, bottom = qr_modules(genuine_url, 96)[0][:2]
        x, y = float(first.group(1)) - left, float(first.group(2)) - bottom
        rects = b" ".join(
            b"%.3f %.3f %.3f %.3f re" % (x + a, y + b, w, h)
            for a, b, w, h in qr_modules(fake_url, 96)
        )
        return content[:start] + b"/Figure BMC 0 0 0 rg n " + rects + b" f " + content[end:]

    result = verify(rewrite(genuine, swap))
    assert_rejected(result, f"The QR code leads to {fake_url}, not to this credential's address")


# Changes to the file -----------------------------------------------------------------


def test_an_incremental_update_adding_an_annotation_is_caught(genuine, verify):
    writer = PdfWriter(io.BytesIO(genuine), incremental=True)
    x0, y0, x1, y1 = name_box(genuine)
    writer.add_annotation(0, FreeText(text="Joan Dee", rect=(x0, y0, x1, y1)))
    out = io.BytesIO()
    writer.write(out)
    assert out.getvalue().startswith(genuine)  # the signed bytes are untouched
    result = verify(out.getvalue())
    assert_rejected(
        result, "The PDF was modified after signing: an update was appended after the seal"
    )
    assert "FreeText annotation" in result.output


def test_a_full_rewrite_with_new_text_is_caught(genuine, verify):
    def new_hours(content: bytes) -> bytes:
        start = content.index(b"/TrainerField /hours")
        shown = re.compile(rb"\(([^)]*)\) Tj").search(content, start)
        return content[: shown.start()] + b"(9.00) Tj" + content[shown.end() :]

    edited = rewrite(genuine, new_hours, keep_seal=True)
    result = verify(edited)
    assert_rejected(result, "The PDF's signature is broken: it was altered after signing")
    assert (
        "The printed credit hours (9.00) are not" in result.output
        or "printed credit hours (9.00)" in result.output
    )


def test_a_swapped_embedded_credential_is_caught(app, make, db, issued, verify):
    other = finish_course(app, db, make.user(full_name="Joan Dee", email="joan@example.org"))
    with app.app_context():
        page = printed_certificate(issued, catalogue(), BASE)
        forged = seal_pdf(render_certificate_pdf(page, credential=other.credential), signer_of(app))
    result = verify(forged)  # sealed by the issuer's own key: the page still disagrees
    assert_rejected(result, "The printed name (Jane Doe) is not the signed name (Joan Dee).")
    assert "The printed certificate id" in result.output
    assert "The QR code leads to" in result.output


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"licence_number": "RN-9999999"}, "The printed licence number"),
        (
            {"course_title": "Advanced forensic nursing"},
            "The printed course (Advanced forensic nursing)",
        ),
        ({"completed_on": "2020-01-02"}, "The printed completion date (2 January 2020)"),
        (
            {"requirements": ("Ohio: human trafficking (OAC 4723-14)",)},
            "The page prints rules",
        ),
        ({"hours": 12.0}, "The printed credit hours (12.00)"),
    ],
)
def test_an_edited_fact_is_caught(app, issued, verify, change, reason):
    with app.app_context():
        page = printed_certificate(issued, catalogue(), BASE)
    if "completed_on" in change:
        from datetime import date

        change = {"completed_on": date.fromisoformat(change["completed_on"])}
    forged = render_certificate_pdf(
        dataclasses.replace(page, **change), credential=issued.credential
    )
    assert_rejected(verify(forged), reason)


def test_an_expired_credential_is_not_valid(app, issued, verify):
    with app.app_context():
        credential = build_credential(issued, BASE)
        credential["validUntil"] = "2025-06-30T23:59:59Z"
        token = sign_credential(credential, services.issuer_of(app).site_key)
        from datetime import date

        page = dataclasses.replace(
            printed_certificate(issued, catalogue(), BASE), valid_until=date(2025, 6, 30)
        )
        pdf = seal_pdf(render_certificate_pdf(page, credential=token), signer_of(app))
    assert_rejected(verify(pdf), "expired")  # "The credential expired on 2025-06-30."
