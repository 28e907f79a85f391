"""From a stored certificate to the page a board reads: titles looked up, id grouped."""

from __future__ import annotations

from flask import current_app

from trainer.certificates.ids import format_certificate_id
from trainer.certificates.pdf import PrintedCertificate, render_certificate_pdf
from trainer.certificates.requirements import requirement_line
from trainer.certificates.seal import PRODUCER, DocumentSigner, seal_pdf, signer_of
from trainer.content.model import Catalogue
from trainer.models import Certificate, utcnow


def printed_certificate(
    certificate: Certificate, catalogue: Catalogue, base_url: str
) -> PrintedCertificate:
    # Content areas are named in the language the course was taken in, like its title.
    areas = catalogue.in_language(certificate.language).content_areas
    return PrintedCertificate(
        id=format_certificate_id(certificate.id),
        name=certificate.name,
        course_title=certificate.course_title,
        course_version=certificate.course_version,
        content_areas=tuple(
            areas[slug].title if slug in areas else slug for slug in certificate.content_areas
        ),
        hours=certificate.hours,
        completed_on=certificate.completed_on,
        issued_on=certificate.issued_at.date(),
        provider_name=certificate.provider_name,
        provider_approval=certificate.provider_approval,
        requirements=tuple(requirement_line(r) for r in certificate.requirements),
        verify_url=f"{base_url}/verify/{certificate.id}",
        licence_type=certificate.licence_type,
        licence_number=certificate.licence_number,
        licence_board=certificate.licence_board,
        valid_until=certificate.valid_until,
        language=certificate.language,
    )


def certificate_pdf(
    certificate: Certificate,
    catalogue: Catalogue,
    base_url: str,
    paper: str,
    signer: DocumentSigner | None = None,
) -> bytes:
    """The PDF with the signed credential inside, sealed with a PAdES signature.

    ``signer`` defaults to the current app's (`seal.signer_of`).
    """
    pdf = render_certificate_pdf(
        printed_certificate(certificate, catalogue, base_url),
        paper=paper,
        credential=certificate.credential,
        created=utcnow(),
        producer=PRODUCER,
    )
    return seal_pdf(pdf, signer or signer_of(current_app))
