"""What makes the certificate an archival, accessible PDF: PDF/A-3b and a tagged structure.

Pure, on a reportlab canvas before it is saved. Archives and screen readers need
what reportlab does not write by itself: XMP metadata that agrees with the document
information (PDF/A-3b, ISO 19005-3), an sRGB output intent, the credential as an
associated file, and a structure tree (StructTreeRoot, /MarkInfo) whose elements
point at the marked content of the page, in reading order.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import UTC, datetime
from xml.sax.saxutils import escape

from PIL import ImageCms
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

PRODUCER = "Trainer (ReportLab)"
CREDENTIAL_FILENAME = "credential.jwt"
CREDENTIAL_MIME = "application/vc+jwt"
SRGB = "sRGB IEC61966-2.1"


@dataclass
class Structure:
    """The page's structure elements, in reading order: (type, alternative text)."""

    elements: list[tuple[str, str | None]] = field(default_factory=list)

    def next_mcid(self, kind: str, alt: str | None = None) -> int:
        self.elements.append((kind, alt))
        return len(self.elements) - 1


def structure_of(canvas: Canvas) -> Structure | None:
    """The structure being built on ``canvas`` (None when the page is not tagged)."""
    return getattr(canvas, "_trainer_structure", None)


def start_structure(canvas: Canvas) -> Structure:
    structure = Structure()
    canvas._trainer_structure = structure  # type: ignore[attr-defined]
    return structure


@functools.cache
def srgb_profile() -> bytes:
    """An sRGB ICC profile, made by LittleCMS (through Pillow): "No copyright, use freely"."""
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def pdf_date(moment: datetime) -> str:
    """A PDF date string in UTC: D:YYYYMMDDHHmmSS+00'00'."""
    return moment.astimezone(UTC).strftime("D:%Y%m%d%H%M%S+00'00'")


def _xmp_date(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def xmp_packet(
    *, title: str, author: str, subject: str, creator: str, created: datetime, producer: str
) -> bytes:
    """XMP metadata saying PDF/A-3b, with the same values as the document information."""
    when = _xmp_date(created)
    text = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
   <pdfaid:part>3</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{escape(author)}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt>
    <rdf:li xml:lang="x-default">{escape(subject)}</rdf:li>
   </rdf:Alt></dc:description>
   <pdf:Producer>{escape(producer)}</pdf:Producer>
   <pdf:Keywords></pdf:Keywords>
   <xmp:CreatorTool>{escape(creator)}</xmp:CreatorTool>
   <xmp:CreateDate>{when}</xmp:CreateDate>
   <xmp:ModifyDate>{when}</xmp:ModifyDate>
   <xmp:MetadataDate>{when}</xmp:MetadataDate>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    return text.encode("utf-8")


def make_archival(
    canvas: Canvas,
    *,
    title: str,
    author: str,
    subject: str,
    created: datetime,
    producer: str = PRODUCER,
) -> None:
    """Document information, XMP and the sRGB output intent, all agreeing (PDF/A-3b).

    ``producer`` names the program that writes the file last: pyHanko when the PDF
    is sealed, which then sets the XMP producer to its own name.
    """
    doc = canvas._doc
    canvas.setTitle(title)
    canvas.setAuthor(author)
    canvas.setSubject(subject)
    canvas.setCreator("Trainer")
    doc.info.producer = producer
    stamp = pdf_date(created)
    doc.info._dateFormatter = lambda *_: stamp
    packet = xmp_packet(
        title=title,
        author=author,
        subject=subject,
        creator="Trainer",
        created=created,
        producer=producer,
    )
    # No filter (the document's default is none; page content is compressed on its own):
    # PDF/A wants the XMP readable without decoding.
    metadata = pdfdoc.PDFStream(
        pdfdoc.PDFDictionary(
            {"Type": pdfdoc.PDFName("Metadata"), "Subtype": pdfdoc.PDFName("XML")}
        ),
        content=packet,
    )
    profile = pdfdoc.PDFStream(pdfdoc.PDFDictionary({"N": 3}), content=srgb_profile())
    intent = pdfdoc.PDFDictionary(
        {
            "Type": pdfdoc.PDFName("OutputIntent"),
            "S": pdfdoc.PDFName("GTS_PDFA1"),
            "OutputConditionIdentifier": pdfdoc.PDFString(SRGB),
            "Info": pdfdoc.PDFString(SRGB),
            "DestOutputProfile": doc.Reference(profile),
        }
    )
    catalog = doc.Catalog
    catalog.Metadata = doc.Reference(metadata)
    catalog.OutputIntents = pdfdoc.PDFArray([intent])
    catalog.ViewerPreferences = pdfdoc.PDFDictionary({"DisplayDocTitle": "true"})
    allow_keys(catalog, "Metadata", "OutputIntents", "ViewerPreferences")


def allow_keys(obj, *keys: str) -> None:
    """reportlab writes only the keys it knows; add ``keys`` to the ones it writes."""
    known = list(getattr(obj, "__NoDefault__", type(obj).__NoDefault__))
    obj.__NoDefault__ = [*known, *(k for k in keys if k not in known)]


def write_structure(canvas: Canvas, structure: Structure, language: str) -> None:
    """The structure tree of the page just shown: a Document of its elements in order."""
    doc = canvas._doc
    page_ref = pdfdoc.PDFObjectReference("Page1")
    root_ref = doc.Reference(pdfdoc.PDFDictionary({}), "TrainerStructTreeRoot")
    document = pdfdoc.PDFDictionary(
        {"Type": pdfdoc.PDFName("StructElem"), "S": pdfdoc.PDFName("Document"), "P": root_ref}
    )
    document_ref = doc.Reference(document, "TrainerStructDocument")
    kids = []
    for mcid, (kind, alt) in enumerate(structure.elements):
        element = {
            "Type": pdfdoc.PDFName("StructElem"),
            "S": pdfdoc.PDFName(kind),
            "P": document_ref,
            "Pg": page_ref,
            "K": mcid,
        }
        if alt:
            element["Alt"] = pdfdoc.PDFString(alt)
        kids.append(doc.Reference(pdfdoc.PDFDictionary(element)))
    document.dict["K"] = pdfdoc.PDFArray(kids)
    document.dict["Lang"] = pdfdoc.PDFString(language)
    root = doc.idToObject["TrainerStructTreeRoot"]
    root.dict.update(
        {
            "Type": pdfdoc.PDFName("StructTreeRoot"),
            "K": document_ref,
            "ParentTree": pdfdoc.PDFDictionary(
                {"Nums": pdfdoc.PDFArray([0, pdfdoc.PDFArray(kids)])}
            ),
            "ParentTreeNextKey": 1,
        }
    )
    catalog = doc.Catalog
    catalog.StructTreeRoot = root_ref
    catalog.MarkInfo = pdfdoc.PDFDictionary({"Marked": "true"})  # a str is written as is
    allow_keys(catalog, "StructTreeRoot", "MarkInfo")


def attach_credential(canvas: Canvas, credential: str, created: datetime) -> None:
    """Embed the VC-JWT as ``credential.jwt``, associated with the document (/AF).

    Its relationship is /Source: the page is a rendering of the signed credential.
    """
    doc = canvas._doc
    data = credential.encode("ascii")
    stream = pdfdoc.PDFStream(
        pdfdoc.PDFDictionary(
            {
                "Type": pdfdoc.PDFName("EmbeddedFile"),
                "Subtype": "/" + CREDENTIAL_MIME.replace("/", "#2F"),  # PDFName keeps "/"
                "Params": pdfdoc.PDFDictionary(
                    {"Size": len(data), "ModDate": pdfdoc.PDFString(pdf_date(created))}
                ),
            }
        ),
        content=data,
    )
    stream_ref = doc.Reference(stream)
    name = pdfdoc.PDFString(CREDENTIAL_FILENAME)
    filespec = pdfdoc.PDFDictionary(
        {
            "Type": pdfdoc.PDFName("Filespec"),
            "F": name,
            "UF": name,
            "Desc": pdfdoc.PDFString("Signed credential (Open Badges 3.0, VC-JWT)"),
            "AFRelationship": pdfdoc.PDFName("Source"),
            "EF": pdfdoc.PDFDictionary({"F": stream_ref, "UF": stream_ref}),
        }
    )
    filespec_ref = doc.Reference(filespec)
    catalog = doc.Catalog
    catalog.Names = pdfdoc.PDFDictionary(
        {"EmbeddedFiles": pdfdoc.PDFDictionary({"Names": pdfdoc.PDFArray([name, filespec_ref])})}
    )
    catalog.AF = pdfdoc.PDFArray([filespec_ref])
    allow_keys(catalog, "AF")  # reportlab writes only the catalog keys it knows
