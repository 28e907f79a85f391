"""A durable certificate: PDF/A-3b structures, tagging, text that survives a re-save.

veraPDF cannot be installed here (Maven Central is not reachable), so PDF/A-3b is
checked part by part: qpdf --check for the file's syntax, and pypdf for what ISO
19005-3 requires of this document — XMP identifying PDF/A-3b and agreeing with the
document information, an output intent with an ICC profile, fonts embedded, the
credential as an associated file with its relationship, a print-flagged signature
widget — plus the tagged structure a screen reader follows.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree

import pytest
from pypdf import PdfReader

from tests.certificates.test_pdf import NAMES, make_certificate, pdftotext
from trainer.certificates.pdf import render_certificate_pdf
from trainer.certificates.seal import PRODUCER, load_signer, seal_pdf
from trainer.certificates.typesetting import CMAP_BLOCK
from trainer.config import new_signing_key_pem

CREATED = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
NS = {
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
#: More than 100 different letters in one font: the map must still come in small blocks.
MANY_LETTERS = "".join(chr(c) for c in range(0x100, 0x17F) if chr(c).isalpha())[:120]


@pytest.fixture(scope="module")
def sealed() -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        signer = load_signer(
            new_signing_key_pem().decode(), Path(folder), provider="Demo", base_url="https://t"
        )
    cert = make_certificate(name=NAMES["arabic"])
    pdf = render_certificate_pdf(cert, credential="a.b.c", created=CREATED, producer=PRODUCER)
    return seal_pdf(pdf, signer)


def xmp_fields(reader: PdfReader) -> dict[str, str]:
    """Every simple XMP property (attribute or element) as prefix:name -> text."""
    data = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    root = ElementTree.fromstring(data)  # noqa: S314 (our own PDF's metadata)
    found: dict[str, str] = {}
    for description in root.iter(f"{RDF}Description"):
        for key, value in description.attrib.items():
            found[_short(key)] = value
        for child in description:
            items = list(child.iter(f"{RDF}li"))
            found[_short(child.tag)] = items[0].text if items else (child.text or "")
    return found


def _short(tag: str) -> str:
    for prefix, uri in NS.items():
        tag = tag.replace("{" + uri + "}", prefix + ":")
    return tag


def _xmp_date(pdf_date: str) -> str:
    digits = re.sub(r"\D", "", pdf_date)[:14]
    return datetime.strptime(digits, "%Y%m%d%H%M%S").strftime("%Y-%m-%dT%H:%M:%S")


def test_qpdf_finds_no_errors(sealed, tmp_path):
    qpdf = shutil.which("qpdf")
    if qpdf is None:
        pytest.skip("qpdf (Debian package qpdf) is not installed")
    (tmp_path / "c.pdf").write_bytes(sealed)
    command = [qpdf, "--check", str(tmp_path / "c.pdf")]
    result = subprocess.run(command, capture_output=True, text=True)  # noqa: S603 (ours)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors" in result.stdout


def test_xmp_says_pdfa_3b_and_agrees_with_the_document_information(sealed):
    reader = PdfReader(io.BytesIO(sealed))
    xmp, info = xmp_fields(reader), reader.metadata
    assert (xmp["pdfaid:part"], xmp["pdfaid:conformance"]) == ("3", "B")
    assert xmp["dc:title"] == info["/Title"]
    assert xmp["dc:creator"] == info["/Author"]
    assert xmp["dc:description"] == info["/Subject"]
    assert xmp["xmp:CreatorTool"] == info["/Creator"]
    assert xmp["pdf:Producer"] == info["/Producer"]  # pyHanko writes last, in both
    assert xmp["xmp:CreateDate"].startswith(_xmp_date(info["/CreationDate"]))
    assert xmp["xmp:CreateDate"].startswith("2026-11-23T09:30:00")  # the real date, not 2000
    assert xmp["xmp:ModifyDate"].startswith(_xmp_date(info["/ModDate"]))
    assert "/Filter" not in reader.trailer["/Root"]["/Metadata"].get_object()


def test_an_srgb_output_intent_and_an_associated_credential(sealed):
    reader = PdfReader(io.BytesIO(sealed))
    root = reader.trailer["/Root"]
    (intent,) = root["/OutputIntents"]
    intent = intent.get_object()
    assert intent["/S"] == "/GTS_PDFA1" and "sRGB" in intent["/OutputConditionIdentifier"]
    profile = intent["/DestOutputProfile"].get_object()
    assert profile["/N"] == 3 and profile.get_data()[36:40] == b"acsp"  # an ICC profile
    filespec = root["/AF"][0].get_object()
    assert filespec["/AFRelationship"] == "/Source" and filespec["/UF"] == "credential.jwt"
    stream = filespec["/EF"]["/F"].get_object()
    assert stream["/Subtype"] == "/application/vc+jwt" and "/ModDate" in stream["/Params"]
    widget = reader.pages[0]["/Annots"][0].get_object()
    assert widget["/FT"] == "/Sig" and int(widget["/F"]) & 4  # printable, as PDF/A asks


def test_fonts_are_embedded_with_small_to_unicode_blocks():
    pdf = render_certificate_pdf(make_certificate(name=MANY_LETTERS + " " + NAMES["arabic"]))
    reader = PdfReader(io.BytesIO(pdf))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    largest = 0
    for font in fonts.values():
        font = font.get_object()
        assert "/FontFile2" in font["/FontDescriptor"]
        cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
        counts = [int(n) for n in re.findall(r"(\d+) beginbf(?:char|range)", cmap)]
        blocks = re.findall(r"beginbf(?:char|range)(.*?)endbf", cmap, re.S)
        entries = sum(len(re.findall(r"^<[0-9A-F]+> <", b, re.M)) for b in blocks)
        assert sum(counts) == entries and all(n <= CMAP_BLOCK for n in counts)
        largest = max(largest, entries)
    assert largest > CMAP_BLOCK  # one font did need more than one block


@pytest.mark.skipif(shutil.which("gs") is None, reason="needs Ghostscript (apt ghostscript)")
def test_a_ghostscript_re_save_keeps_the_text_layer(sealed, tmp_path):
    (tmp_path / "in.pdf").write_bytes(sealed)
    out = tmp_path / "out.pdf"
    gs = shutil.which("gs") or "gs"
    command = [gs, "-q", "-dNOPAUSE", "-dBATCH", "-sDEVICE=pdfwrite", f"-sOutputFile={out}"]
    subprocess.run([*command, str(tmp_path / "in.pdf")], check=True, capture_output=True)  # noqa: S603
    text = pdftotext(out.read_bytes())
    assert NAMES["arabic"] in re.sub("[\u202a-\u202e]", "", text)
    for printed in (
        "Certificate of completion",
        "Credit hours",
        "1.25",
        "7QF3-KD9M-2XHW-P8RT-4NCE-Y6VB-J",
    ):
        assert printed in text


def test_the_page_is_tagged_in_reading_order(sealed):
    reader = PdfReader(io.BytesIO(sealed))
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"].value is True and root["/Lang"] == "en"
    document = root["/StructTreeRoot"]["/K"].get_object()
    assert document["/S"] == "/Document"
    kids = [k.get_object() for k in document["/K"]]
    assert [k["/K"] for k in kids] == list(range(len(kids)))  # one element per MCID, in order
    assert {k["/S"] for k in kids} == {"/P", "/H1", "/Figure"}
    figure = next(k for k in kids if k["/S"] == "/Figure")
    assert figure["/Alt"].startswith("QR code: https://")
    content = reader.pages[0].get_contents().get_data().decode("latin-1")
    mcid_of = {
        field: int(n) for n, field in re.findall(r"/MCID (\d+) /TrainerField /(\w+)", content)
    }
    assert mcid_of["name"] < mcid_of["course_title"] < mcid_of["hours"]
    assert reader.pages[0]["/StructParents"] == 0
    parents = root["/StructTreeRoot"]["/ParentTree"]["/Nums"][1]
    assert [p.get_object()["/K"] for p in parents] == list(range(len(kids)))
    assert content.count("/Artifact BMC") == 2  # the border and the rule: not read aloud
