"""The PDF's PAdES seal: which key signs, which certificate, and what a validator sees."""

from __future__ import annotations

import io
import stat
from datetime import UTC, datetime, timedelta

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.x509.oid import NameOID
from joserfc.jwk import KeySet
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfWriter
from pypdf.annotations import FreeText

from tests.certificates.test_pdf import make_certificate
from trainer.certificates.credential import build_credential, sign_credential
from trainer.certificates.keys import load_site_key
from trainer.certificates.offline import RESAVED, VALID, check_certificate_pdf
from trainer.certificates.pdf import render_certificate_pdf
from trainer.certificates.printing import printed_certificate
from trainer.certificates.seal import (
    DOCUMENT_KEY_FILE,
    SealError,
    check_seal,
    load_signer,
    outside_event_loop,
    public_key_der,
    seal_pdf,
)
from trainer.content.catalogue import catalogue

BASE = "http://trainer.test"


def ed25519_pem() -> str:
    """A site key of the kind older installations made: not one a PDF reader validates."""
    return (
        ed25519.Ed25519PrivateKey.generate()
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )


def p256_pem() -> str:
    return (
        ec.generate_private_key(ec.SECP256R1())
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )


def sealed(signer) -> bytes:
    return seal_pdf(render_certificate_pdf(make_certificate(), credential="a.b.c"), signer)


def pyhanko_status(pdf: bytes, signer):
    root = asn1_x509.Certificate.load(signer.chain[-1].public_bytes(serialization.Encoding.DER))
    signature = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0]
    context = ValidationContext(trust_roots=[root])
    return outside_event_loop(validate_pdf_signature, signature, context)


def test_an_ed25519_site_key_gets_a_p256_document_key_in_the_instance(tmp_path):
    signer = load_signer(ed25519_pem(), tmp_path, provider="Demo", base_url=BASE)
    assert isinstance(signer.key, ec.EllipticCurvePrivateKey)
    assert stat.S_IMODE((tmp_path / DOCUMENT_KEY_FILE).stat().st_mode) == 0o600
    again = load_signer(ed25519_pem(), tmp_path, provider="Demo", base_url=BASE)
    assert again.certificate == signer.certificate  # made once, kept for every process
    subject = signer.certificate.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    assert subject[0].value == "Demo"
    names = signer.certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    assert names.value.get_values_for_type(x509.UniformResourceIdentifier) == [BASE]


def test_a_p256_site_key_signs_the_pdf_itself(tmp_path):
    pem = p256_pem()
    signer = load_signer(pem, tmp_path, provider="Demo", base_url=BASE)
    site = serialization.load_pem_private_key(pem.encode(), password=None)
    assert public_key_der(signer.key.public_key()) == public_key_der(site.public_key())
    assert not (tmp_path / DOCUMENT_KEY_FILE).exists()


def test_pyhanko_reports_a_genuine_pdf_intact_and_an_edited_one_not(tmp_path):
    signer = load_signer(p256_pem(), tmp_path, provider="Demo", base_url=BASE)
    pdf = sealed(signer)
    status = pyhanko_status(pdf, signer)
    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.docmdp_ok

    flipped = pdf.replace(b"/Creator (Trainer)", b"/Creator (Trainor)", 1)  # same length
    assert flipped != pdf
    assert not pyhanko_status(flipped, signer).intact

    writer = PdfWriter(io.BytesIO(pdf), incremental=True)
    writer.add_annotation(0, FreeText(text="edited", rect=(100, 100, 300, 140)))
    out = io.BytesIO()
    writer.write(out)
    status = pyhanko_status(out.getvalue(), signer)
    assert status.coverage != SignatureCoverageLevel.ENTIRE_FILE
    assert not status.docmdp_ok and not status.bottom_line


def test_an_operators_own_ca_certificate_is_used_and_trusted(tmp_path):
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Ministry Root CA")])
    now = datetime.now(UTC)
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(1)
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )
    pem = p256_pem()
    document_key = serialization.load_pem_private_key(pem.encode(), password=None)
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Trainer seal")]))
        .issuer_name(ca_name)
        .public_key(document_key.public_key())
        .serial_number(2)
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )
    chain = tmp_path / "chain.pem"
    chain.write_bytes(b"".join(c.public_bytes(serialization.Encoding.PEM) for c in (leaf, ca)))
    site = ed25519_pem()
    options = {"provider": "Demo", "base_url": BASE, "cert_setting": str(chain)}
    signer = load_signer(site, tmp_path, key_setting=pem, **options)
    assert signer.certificate == leaf
    pdf = sealed(signer)
    assert check_seal(pdf, [ca], []).state == "sealed"
    assert check_seal(pdf, [], []).state == "untrusted"
    with pytest.raises(SealError, match="does not certify the PDF-signing key"):
        load_signer(site, tmp_path, key_setting=p256_pem(), **options)


@pytest.mark.parametrize("site_key", ["ed25519", "p256"])
def test_offline_check_with_either_kind_of_site_key(app, make, db, tmp_path, site_key):
    """ES256 sites seal with the credential key (the JWKS vouches for the seal);
    Ed25519 sites with the document key (its certificate is the trust anchor)."""
    from tests.certificates.helpers import finish_course

    pem = p256_pem() if site_key == "p256" else ed25519_pem()
    key = load_site_key(pem)
    signer = load_signer(pem, tmp_path, provider="Demo", base_url=BASE)
    certificate = finish_course(app, db, make.user(full_name="Jane Doe"))
    with app.app_context():
        token = sign_credential(build_credential(certificate, BASE), key)
        page = printed_certificate(certificate, catalogue(), BASE)
    pdf = seal_pdf(render_certificate_pdf(page, credential=token), signer)
    keys = KeySet.import_key_set({"keys": [key.public_jwk]})
    with_jwks_only = check_certificate_pdf(pdf, keys, [])
    assert with_jwks_only.problems == []
    assert with_jwks_only.status == (VALID if site_key == "p256" else RESAVED)
    assert check_certificate_pdf(pdf, keys, [signer.certificate]).status == VALID
    unsealed = render_certificate_pdf(page, credential=token)
    assert check_certificate_pdf(unsealed, keys, [signer.certificate]).status == RESAVED


def test_the_seal_certificate_is_published_for_boards(app, client):
    answer = client.get("/pdf-signing-certificate.pem")
    assert answer.status_code == 200 and answer.mimetype == "application/x-pem-file"
    (published,) = x509.load_pem_x509_certificates(answer.data)
    fingerprint = published.fingerprint(hashes.SHA256()).hex().upper()
    assert answer.headers["X-Certificate-SHA256"] == fingerprint
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    names = published.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    assert names.value.get_values_for_type(x509.UniformResourceIdentifier) == [BASE]
