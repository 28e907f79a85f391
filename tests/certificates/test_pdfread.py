"""Reading a certificate back: the embedded credential, the printed fields, and tampering."""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Callable

import pytest
from bidi import get_display
from pypdf import PdfReader, PdfWriter

from tests.certificates.test_pdf import NAMES, make_certificate
from trainer.certificates.pdf import render_certificate_pdf
from trainer.certificates.pdfread import (
    UnreadablePdf,
    extract_credential,
    printed_fields,
    printed_text,
    same_name,
)

CREDENTIAL = "eyJhbGciOiJFZERTQSIsInR5cCI6InZjK2p3dCJ9.eyJzdWIiOiJkaWQ6ZXhhbXBsZSJ9.c2lnbmF0dXJl"


def with_content(pdf: bytes, edit: Callable[[bytes], bytes]) -> bytes:
    """A copy of ``pdf`` whose page content stream went through ``edit``, as an editor would."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    page = writer.pages[0]
    contents = page.get_contents()
    contents.set_data(edit(contents.get_data()))
    page.replace_contents(contents)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _drop_first_glyph_of_name(content: bytes) -> bytes:
    """Delete the first glyph code drawn for the name, leaving its /ActualText alone."""
    start = content.index(b"/TrainerField /name")
    string = content.index(b"(", start) + 1
    code = re.match(rb"\\[0-7]{3}|\\.|.", content[string:], re.S)
    return content[:string] + content[string + code.end() :]


# The embedded credential ---------------------------------------------------------------


def test_credential_round_trips():
    pdf = render_certificate_pdf(make_certificate(), credential=CREDENTIAL)
    assert extract_credential(pdf) == CREDENTIAL


def test_credential_is_an_associated_file_with_its_media_type():
    pdf = render_certificate_pdf(make_certificate(), credential=CREDENTIAL)
    reader = PdfReader(io.BytesIO(pdf))
    filespec = reader.trailer["/Root"]["/AF"][0].get_object()
    assert filespec["/F"] == "credential.jwt"
    assert filespec["/AFRelationship"] == "/Source"  # the page is a rendering of it
    assert filespec["/EF"]["/F"].get_object()["/Subtype"] == "/application/vc+jwt"


def test_no_credential_reads_as_none():
    assert extract_credential(render_certificate_pdf(make_certificate())) is None


@pytest.mark.parametrize("data", [b"", b"not a pdf", b"%PDF-1.4\n%%EOF"])
def test_garbage_is_refused(data):
    with pytest.raises(UnreadablePdf):
        printed_fields(data)


# Printed fields ----------------------------------------------------------------------


def test_printed_fields_give_id_name_and_hours():
    pdf = render_certificate_pdf(make_certificate(hours=0.75))
    fields = printed_fields(pdf)
    assert fields.id == "7QF3-KD9M-2XHW-P8RT-4NCE-Y6VB-J"
    assert fields.name == NAMES["latin"]
    assert fields.hours == "0.75"
    assert fields.fields["course_title"] == (
        "Recognise, respond, refer: human trafficking for health workers",
    )
    assert fields.fields["requirement"][1] == "Florida: human trafficking education"


@pytest.mark.parametrize("paper", ["A4", "Letter"])
@pytest.mark.parametrize("script", NAMES)
def test_printed_name_matches_in_every_script(script, paper):
    pdf = render_certificate_pdf(make_certificate(name=NAMES[script]), paper=paper)
    assert same_name(printed_fields(pdf).name, NAMES[script])


def test_printed_text_reads_the_page_in_order():
    lines = printed_text(render_certificate_pdf(make_certificate())).splitlines()
    assert lines[:4] == [
        "Trainer Demo Provider",
        "Certificate of completion",
        "This certifies that",
        NAMES["latin"],
    ]
    assert lines[lines.index("Certificate ID") + 1] == "7QF3-KD9M-2XHW-P8RT-4NCE-Y6VB-J"


def test_fields_are_found_by_their_labels_when_the_tags_are_gone():
    def untag(content: bytes) -> bytes:
        return re.sub(rb"/TrainerField /\w+ ?", b"", content)

    pdf = with_content(render_certificate_pdf(make_certificate()), untag)
    assert b"TrainerField" not in PdfReader(io.BytesIO(pdf)).pages[0].get_contents().get_data()
    fields = printed_fields(pdf)
    assert (fields.id, fields.name, fields.hours) == (
        "7QF3-KD9M-2XHW-P8RT-4NCE-Y6VB-J",
        NAMES["latin"],
        "1.25",
    )


# Tampering ---------------------------------------------------------------------------


def test_edited_hours_read_back_as_edited():
    pdf = render_certificate_pdf(make_certificate(hours=1.25))
    tampered = with_content(pdf, lambda c: c.replace(b"(1.25) Tj", b"(9.25) Tj"))
    assert printed_fields(pdf).hours == "1.25"
    assert printed_fields(tampered).hours == "9.25"


def test_edited_latin_name_reads_back_as_edited():
    pdf = render_certificate_pdf(make_certificate(name="Jane Doe"))
    tampered = with_content(pdf, lambda c: c.replace(b"(Jane Doe) Tj", b"(Jane Roe) Tj"))
    assert printed_fields(tampered).name == "Jane Roe"
    assert not same_name(printed_fields(tampered).name, "Jane Doe")


@pytest.mark.parametrize("script", ["arabic", "devanagari", "mixed", "latin"])
def test_edited_glyphs_under_an_actual_text_are_caught(script):
    """An editor changes the glyphs but keeps the logical /ActualText: the glyphs win."""
    name = NAMES[script]
    pdf = render_certificate_pdf(make_certificate(name=name))
    if script == "latin":  # a Latin name needs no ActualText unless it wraps
        name = "Maria-Josefina Alejandra de los Santos " * 5
        pdf = render_certificate_pdf(make_certificate(name=name))
    tampered = with_content(pdf, _drop_first_glyph_of_name)
    assert same_name(printed_fields(pdf).name, name)
    assert not same_name(printed_fields(tampered).name, name)


def test_edited_actual_text_over_unchanged_glyphs_is_caught():
    name = NAMES["devanagari"]
    pdf = render_certificate_pdf(make_certificate(name=name))
    forged = "प्रिया शर्मा"

    def swap_actual_text(content: bytes) -> bytes:
        old = "<FEFF" + name.encode("utf-16-be").hex().upper() + ">"
        new = "<FEFF" + forged.encode("utf-16-be").hex().upper() + ">"
        return content.replace(old.encode(), new.encode())

    assert not same_name(printed_fields(with_content(pdf, swap_actual_text)).name, forged)


# same_name ---------------------------------------------------------------------------


@pytest.mark.parametrize("script", NAMES)
def test_same_name_accepts_the_name_itself_and_spacing_changes(script):
    name = NAMES[script]
    assert same_name(name, name)
    assert same_name(f"  {name.replace(' ', '   ')} ", name)
    assert same_name(unicodedata.normalize("NFD", name), name)


@pytest.mark.parametrize("script", NAMES)
def test_same_name_rejects_another_name(script):
    name = NAMES[script]
    assert not same_name(name[:-1], name)
    assert not same_name(name + name[-1], name)
    assert not same_name(NAMES["latin"] if script != "latin" else NAMES["greek"], name)


@pytest.mark.parametrize("script", ["arabic", "mixed"])
def test_same_name_accepts_right_to_left_visual_order(script):
    name = NAMES[script]
    assert same_name(get_display(name), name)


def test_same_name_folds_arabic_presentation_forms():
    # "محمد" as contextual glyph forms, in visual order, as some extractors give it
    assert same_name("\ufeaa\ufee4\ufea4\ufee3", "محمد")
    assert same_name("\ufee3\ufea4\ufee4\ufeaa", "محمد")
    assert not same_name("\ufee3\ufea4\ufee4", "محمد")


def test_same_name_folds_compatibility_forms():
    assert same_name(
        "\uff39\uff55\uff4b\uff49", "Yuki"
    )  # full-width Latin, as some CJK input methods give
    assert not same_name("yuki", "Yuki")  # case is part of the name
