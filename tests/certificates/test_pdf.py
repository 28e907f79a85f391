"""The printed certificate: what a licensing board sees on the page, in any script."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import unicodedata
from dataclasses import replace
from datetime import date

import pytest
from pypdf import PdfReader

from trainer.certificates.pdf import PrintedCertificate, render_certificate_pdf
from trainer.certificates.pdfread import printed_fields, same_name

#: Names in every script the page supports, as a learner would type them.
NAMES = {
    "latin": "Zoë Ångström-Núñez",
    "vietnamese": "Nguyễn Thị Minh Khai",
    "cyrillic": "Анна Сергеевна Кузнецова",
    "greek": "Ελευθερία Παπαδοπούλου",
    "arabic": "محمد عبد الله الأحمد",
    "devanagari": "प्रिया क्षत्रिय",
    "chinese": "王小明",
    "japanese": "山田 はなこ",
    "korean": "김민준",
    "mixed": "Amira أميرة Kato 加藤",
}
LONG_NAMES = {
    "latin": ("Maria-Josefina Alejandra de los Santos " * 6)[:200],
    "cjk": ("王小明山田花子김민준" * 20)[:200],
    "arabic": ("محمد عبد الله الأحمد " * 10)[:200],
}


def make_certificate(**overrides) -> PrintedCertificate:
    """A certificate with every field a board asks for; override any of them."""
    fields = {
        "id": "7QF3-KD9M-2XHW-P8RT-4NCE-Y6VB-J",
        "name": NAMES["latin"],
        "course_title": "Recognise, respond, refer: human trafficking for health workers",
        "course_version": "2026.1",
        "content_areas": ("Indicators of trafficking", "Trauma-informed response"),
        "hours": 1.25,
        "completed_on": date(2026, 11, 22),
        "issued_on": date(2026, 11, 23),
        "provider_name": "Trainer Demo Provider",
        "provider_approval": "MI-CE-0042",
        "requirements": (
            "Michigan: human trafficking training for licensees",
            "Florida: human trafficking education",
        ),
        "verify_url": "https://trainer.example/verify/7QF3KD9M2XHWP8RT4NCEY6VBJ",
        "licence_type": "Registered Nurse",
        "licence_number": "RN-4701234567",
        "licence_board": "Michigan Board of Nursing",
        "valid_until": date(2028, 11, 22),
    }
    return PrintedCertificate(**{**fields, **overrides})


def pdftotext(pdf: bytes, *options: str) -> str:
    """The page text as poppler extracts it; skips the test when poppler is absent."""
    program = shutil.which("pdftotext")
    if program is None:
        pytest.skip("pdftotext (Debian package poppler-utils) is not installed")
    result = subprocess.run(  # noqa: S603 (fixed program, our own PDF on stdin)
        [program, *options, "-", "-"], input=pdf, capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


def _plain(text: str) -> str:
    """Extracted text without bidi controls, in NFKC, with single spaces."""
    text = re.sub("[\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", text)
    return " ".join(unicodedata.normalize("NFKC", text).split())


def test_the_page_shows_what_a_board_checks():
    lines = pdftotext(render_certificate_pdf(make_certificate())).splitlines()
    labels = ("Certificate ID", "Credit hours", "Completed on", "Issued on", "Valid until")
    labels += ("Provider", "Approval number", "Content areas covered", "Requirement sets satisfied")
    for label in labels:
        assert label in lines
    text = _plain(" ".join(lines))
    for expected in (
        "Certificate of completion",
        NAMES["latin"],
        "7QF3-KD9M-2XHW-P8RT-4NCE-Y6VB-J",
        "1.25",
        "Recognise, respond, refer: human trafficking for health workers",
        "Version 2026.1",
        "22 November 2026",
        "23 November 2026",
        "22 November 2028",
        "Trainer Demo Provider",
        "MI-CE-0042",
        "Registered Nurse",
        "RN-4701234567",
        "Michigan Board of Nursing",
        "Indicators of trafficking",
        "Michigan: human trafficking training for licensees",
        "Florida: human trafficking education",
        "Verify at https://trainer.example/verify/7QF3KD9M2XHWP8RT4NCEY6VBJ",
    ):
        assert expected in text


def test_optional_fields_are_left_out_when_empty():
    cert = make_certificate(
        provider_approval="",
        requirements=(),
        licence_type=None,
        licence_number=None,
        licence_board=None,
        valid_until=None,
    )
    text = _plain(pdftotext(render_certificate_pdf(cert)))
    assert "Approval number" not in text
    assert "Valid until" not in text
    assert "licence" not in text.lower()
    assert "None of the listed rules" in text


def test_hours_print_with_two_decimals():
    assert printed_fields(render_certificate_pdf(make_certificate(hours=1.0))).hours == "1.00"
    lines = pdftotext(render_certificate_pdf(make_certificate(hours=1.0))).splitlines()
    assert "1.00" in lines


@pytest.mark.parametrize("script", NAMES)
def test_names_in_every_script_come_back(script):
    name = NAMES[script]
    pdf = render_certificate_pdf(make_certificate(name=name))
    text = _plain(pdftotext(pdf))
    # In logical order, as typed: right-to-left names too (what a copy and paste gives).
    # In a mixed-direction name poppler may move a space at a direction change.
    assert _plain(name) in text or _plain(name).replace(" ", "") in text.replace(" ", "")
    assert same_name(printed_fields(pdf).name, name)


def test_an_arabic_name_extracts_in_logical_order_with_its_spaces():
    name = NAMES["arabic"]
    assert name in _plain(pdftotext(render_certificate_pdf(make_certificate(name=name))))


@pytest.mark.parametrize("script", LONG_NAMES)
@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_a_very_long_name_wraps_inside_the_page_without_overlap(script, paper):
    name = LONG_NAMES[script]
    pdf = render_certificate_pdf(make_certificate(name=name), paper=paper)
    width, height = (float(v) for v in PdfReader(io.BytesIO(pdf)).pages[0].mediabox[2:])
    words = [
        (float(x0), float(y0), float(x1), float(y1), word)
        for x0, y0, x1, y1, word in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<',
            pdftotext(pdf, "-bbox"),
        )
    ]
    for x0, y0, x1, y1, word in words:
        assert x0 >= 30 and x1 <= width - 30 and y0 >= 30 and y1 <= height - 30, word
    # the name is drawn between "This certifies that" and the licence line
    first = next(i for i, w in enumerate(words) if w[4] == "that") + 1
    last = next(i for i, w in enumerate(words) if w[4] == "Registered")
    name_words, others = words[first:last], words[:first] + words[last:]
    content = PdfReader(io.BytesIO(pdf)).pages[0].get_contents().get_data()
    name_span = re.search(rb"/TrainerField /name.*?EMC", content, re.S).group(0)
    assert name_span.count(b"BT ") == 2  # shrunk, then wrapped onto two lines
    for other in others:
        for word in name_words:
            apart = other[2] <= word[0] or word[2] <= other[0]
            apart = apart or other[3] <= word[1] + 0.5 or word[3] <= other[1] + 0.5
            assert apart, f"{other[4]!r} overlaps the name"
    assert same_name(printed_fields(pdf).name, name)


def _fonts(pdf: bytes) -> list:
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    return [font.get_object() for font in page["/Resources"]["/Font"].values()]


def test_fonts_are_embedded_and_subset():
    pdf = render_certificate_pdf(make_certificate(name=NAMES["mixed"]))
    fonts = _fonts(pdf)
    assert len(fonts) >= 3  # serif, bold, Arabic, CJK at least
    for font in fonts:
        assert re.fullmatch(r"/[A-Z]{6}\+\S+", font["/BaseFont"]), font["/BaseFont"]
        assert "/FontFile2" in font["/FontDescriptor"]
        assert "/ToUnicode" in font


def test_each_script_uses_its_noto_font():
    fonts = {
        str(f["/BaseFont"]).split("+")[1]
        for f in _fonts(render_certificate_pdf(make_certificate(name="Ана أميرة प्रिया 王小明")))
    }
    assert {
        "NotoSerif-Regular",
        "NotoNaskhArabic-Regular",
        "NotoSerifDevanagari-Regular",
        "NotoSansCJKsc-Regular",
    } <= fonts


def test_metadata_names_the_certificate():
    info = PdfReader(io.BytesIO(render_certificate_pdf(make_certificate()))).metadata
    assert info.title == (
        "Certificate of completion — "
        "Recognise, respond, refer: human trafficking for health workers"
    )
    assert info.author == "Trainer Demo Provider"
    assert info.subject == "7QF3-KD9M-2XHW-P8RT-4NCE-Y6VB-J"
    assert info.creator == "Trainer"


@pytest.mark.parametrize(("paper", "size"), [("A4", (841.89, 595.28)), ("Letter", (792, 612))])
def test_paper_is_landscape(paper, size):
    page = PdfReader(io.BytesIO(render_certificate_pdf(make_certificate(), paper=paper))).pages[0]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(
        size, abs=0.01
    )


def test_qr_code_is_drawn_and_its_url_printed():
    cert = make_certificate()
    pdf = render_certificate_pdf(cert)
    content = PdfReader(io.BytesIO(pdf)).pages[0].get_contents().get_data().decode("latin-1")
    figure = re.search(r"/Figure << /MCID \d+ /Alt <([0-9A-F]+)> >> BDC(.*?)EMC", content, re.S)
    assert figure is not None
    assert bytes.fromhex(figure.group(1)).decode("utf-16") == f"QR code: {cert.verify_url}"
    assert figure.group(2).count(" re") > 100  # the dark modules
    assert cert.verify_url in pdftotext(pdf).replace("\n", "")


def test_rendering_is_deterministic():
    assert render_certificate_pdf(make_certificate()) == render_certificate_pdf(make_certificate())


def test_many_content_areas_and_requirements_stay_in_their_columns():
    cert = replace(
        make_certificate(),
        content_areas=tuple(f"Content area number {n} with a long title" for n in range(30)),
        requirements=tuple(f"State {n}: a requirement set with a long name" for n in range(30)),
    )
    text = _plain(pdftotext(render_certificate_pdf(cert)))
    assert "Content area number 0" in text
    assert re.search(r"and \d+ more", text)
