"""The PDF's own signature (PAdES): any change after issue shows as "modified after signing".

The credential inside the PDF is signed too, but that protects the credential, not
the page. The PAdES signature covers every byte of the file as issued: Acrobat,
pyHanko or any PAdES validator reports a later edit, and `offline` refuses it.

The signing key is the site's credential-signing key when it is P-256 or RSA (PDF
readers validate those); when the site key is Ed25519, which PDF readers do not
validate, a P-256 *document-signing key* is generated once into the instance folder
(mode 0600). The certificate is self-signed by default (subject: the provider's name
and base URL), kept in the instance folder so that every process and every later
certificate uses the same one; an operator may give a chain from their own CA
(``TRAINER_PDF_SIGNING_CERT``, with ``TRAINER_PDF_SIGNING_KEY`` when the CA certified
another key).
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import io
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from flask import Flask
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.metadata.model import VENDOR
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from trainer.config import write_once

T = TypeVar("T")

# pyHanko logs every untrusted or broken signature with a traceback; check_seal
# returns the reason instead, so only its errors are worth a log line.
logging.getLogger("pyhanko").setLevel(logging.ERROR)

EXTENSION_KEY = "trainer.pdf_signer"
#: The producer a sealed PDF names: pyHanko writes last, and names itself in the XMP.
PRODUCER = VENDOR
DOCUMENT_KEY_FILE = "pdf-signing-key.pem"
#: Self-signed certificates, one per key: ``pdf-signing-cert-<key fingerprint>.pem``.
CERT_PATTERN = "pdf-signing-cert-*.pem"
FIELD_NAME = "Trainer certificate seal"
#: id-kp-documentSigning (RFC 9336): what the certificate is for.
DOCUMENT_SIGNING = x509.ObjectIdentifier("1.3.6.1.5.5.7.3.36")
CERT_YEARS = 20

SigningPrivateKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey


class SealError(ValueError):
    """The PDF-signing key or certificate cannot be used; the message says what to fix."""


@dataclass(frozen=True)
class DocumentSigner:
    """The key that seals certificate PDFs and its certificate chain (leaf first)."""

    key: SigningPrivateKey
    chain: tuple[x509.Certificate, ...]

    @property
    def certificate(self) -> x509.Certificate:
        return self.chain[0]

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the leaf certificate, as Acrobat shows it (hex, upper case)."""
        return self.certificate.fingerprint(hashes.SHA256()).hex().upper()

    def pem(self) -> str:
        return "".join(c.public_bytes(serialization.Encoding.PEM).decode() for c in self.chain)


def _load_key(pem: str, what: str) -> SigningPrivateKey | None:
    """A P-256 or RSA private key from PEM; None for another kind (Ed25519)."""
    try:
        key = serialization.load_pem_private_key(pem.encode(), password=None)
    except ValueError as error:
        raise SealError(f"{what} is not a readable PEM private key: {error}") from error
    if isinstance(key, ec.EllipticCurvePrivateKey) and key.curve.name == "secp256r1":
        return key
    if isinstance(key, rsa.RSAPrivateKey) and key.key_size >= 2048:
        return key
    return None


def _new_document_key() -> bytes:
    return ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def signing_key(site_key_pem: str, instance: Path, key_setting: str | None) -> SigningPrivateKey:
    """The key that seals PDFs: the operator's, else the site key, else the instance's P-256."""
    if key_setting:
        pem = key_setting if key_setting.lstrip().startswith("-----BEGIN") else _read(key_setting)
        key = _load_key(pem, "TRAINER_PDF_SIGNING_KEY")
        if key is None:
            raise SealError("TRAINER_PDF_SIGNING_KEY must be an EC P-256 or RSA (2048+) key.")
        return key
    key = _load_key(site_key_pem, "The site signing key")
    if key is not None:
        return key
    pem = write_once(instance / DOCUMENT_KEY_FILE, _new_document_key()).decode()
    key = _load_key(pem, str(instance / DOCUMENT_KEY_FILE))
    if key is None:
        raise SealError(f"{instance / DOCUMENT_KEY_FILE} must hold an EC P-256 key.")
    return key


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError as error:
        raise SealError(f"Cannot read {path}: {error}") from error


def key_fingerprint(key: SigningPrivateKey) -> str:
    der = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(der).hexdigest()[:16]


def self_signed(key: SigningPrivateKey, provider: str, base_url: str) -> x509.Certificate:
    """A certificate for ``key`` naming the provider and its site, valid for 20 years."""
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, f"{provider} certificate seal"[:64]),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, provider[:64] or "Trainer"),
        ]
    )
    now = datetime.now(UTC).replace(microsecond=0)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365 * CERT_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([DOCUMENT_SIGNING, ExtendedKeyUsageOID.EMAIL_PROTECTION]),
            critical=False,
        )
        .add_extension(
            x509.SubjectAlternativeName([x509.UniformResourceIdentifier(base_url)]),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    return builder.sign(key, hashes.SHA256())


def _chain_from(pem: str, key: SigningPrivateKey) -> tuple[x509.Certificate, ...]:
    try:
        chain = tuple(x509.load_pem_x509_certificates(pem.encode()))
    except ValueError as error:
        raise SealError(
            f"TRAINER_PDF_SIGNING_CERT is not a PEM certificate chain: {error}"
        ) from error
    if _public(chain[0].public_key()) != _public(key.public_key()):
        raise SealError(
            "The first certificate in TRAINER_PDF_SIGNING_CERT does not certify the PDF-signing "
            "key: put the leaf first, and set TRAINER_PDF_SIGNING_KEY to the key it certifies."
        )
    return chain


def _public(public_key) -> bytes:
    return public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def load_signer(
    site_key_pem: str,
    instance: Path,
    *,
    provider: str,
    base_url: str,
    cert_setting: str | None = None,
    key_setting: str | None = None,
) -> DocumentSigner:
    """The PDF signer of an installation; creates its key and certificate on first use."""
    key = signing_key(site_key_pem, instance, key_setting)
    if cert_setting:
        pem = cert_setting if "-----BEGIN" in cert_setting else _read(cert_setting)
        return DocumentSigner(key, _chain_from(pem, key))
    path = instance / f"pdf-signing-cert-{key_fingerprint(key)}.pem"
    fresh = self_signed(key, provider, base_url).public_bytes(serialization.Encoding.PEM)
    return DocumentSigner(key, _chain_from(write_once(path, fresh).decode(), key))


def signer_of(app: Flask) -> DocumentSigner:
    """The app's PDF signer, loaded once per process."""
    signer = app.extensions.get(EXTENSION_KEY)
    if signer is None:
        config = app.config
        signer = load_signer(
            config["SIGNING_KEY_PEM"],
            Path(app.instance_path),
            provider=config["PROVIDER_NAME"],
            base_url=config["BASE_URL"],
            cert_setting=config.get("PDF_SIGNING_CERT"),
            key_setting=config.get("PDF_SIGNING_KEY"),
        )
        app.extensions[EXTENSION_KEY] = signer
    return signer


def installation_certificates(instance: Path) -> list[x509.Certificate]:
    """Every self-signed sealing certificate this installation has made (old ones too)."""
    found = []
    for path in sorted(instance.glob(CERT_PATTERN)):
        found.extend(x509.load_pem_x509_certificates(path.read_bytes()))
    return found


@functools.lru_cache(maxsize=8)
def _pyhanko_signer(signer: DocumentSigner) -> signers.SimpleSigner:
    """pyHanko's signer for ``signer``, made once: parsing the chain is not free."""
    der_key = signer.key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    chain = [
        asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in signer.chain
    ]
    return signers.SimpleSigner(
        signing_cert=chain[0],
        signing_key=asn1_keys.PrivateKeyInfo.load(der_key),
        cert_registry=SimpleCertificateStore.from_certs(chain),
    )


def seal_pdf(pdf: bytes, signer: DocumentSigner) -> bytes:
    """``pdf`` with a certifying PAdES signature (B-B) that allows no later change.

    Written as an incremental update after everything else, so the signature's byte
    range is the whole file; DocMDP "no changes" tells readers that any later
    revision, even an added comment, breaks the certification.
    """
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        certify=True,
        docmdp_permissions=fields.MDPPerm.NO_CHANGES,
        reason="Issued certificate: any later change is an alteration",
        location=None,
    )
    # Room for the CMS signature (hex: two characters a byte): the chain, signed attributes,
    # the signature value. Given, pyHanko signs once, not twice (first to measure).
    room = sum(len(c.public_bytes(serialization.Encoding.DER)) for c in signer.chain) * 2 + 4096
    out = outside_event_loop(
        signers.sign_pdf,
        writer,
        meta,
        signer=_pyhanko_signer(signer),
        output=io.BytesIO(),
        bytes_reserved=room,
    )
    return out.getvalue()


def outside_event_loop(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call one of pyHanko's blocking functions, even from a thread running an event loop.

    They run ``asyncio.run`` inside, which refuses to start in a thread whose loop
    is already running (an async server, or a test session driving a browser);
    there the call goes to a short-lived worker thread of its own.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as worker:
        return worker.submit(function, *args, **kwargs).result()


# Checking a seal -------------------------------------------------------------------


@dataclass(frozen=True)
class SealStatus:
    """What the PDF's seal says about the file.

    ``state``: "sealed" (intact, whole file, a trusted signer), "absent" (no signature:
    never sealed, or re-saved by a program that drops signatures), "untrusted"
    (intact, but by a certificate not known to be this issuer's), "changed" (an
    update after the seal), "broken" (the signed bytes were altered).
    """

    state: str
    detail: str = ""
    signer: str = ""


def public_key_der(public_key) -> bytes:
    """A public key (cryptography) as DER SubjectPublicKeyInfo, for comparison."""
    return _public(public_key)


def check_seal(pdf: bytes, anchors: list[x509.Certificate], known_keys: list[bytes]) -> SealStatus:
    """Validate the PAdES signature with pyHanko: intact, covering the whole file, trusted.

    The signer is trusted when its certificate chains to one of ``anchors`` or its
    public key is one of ``known_keys`` (DER; e.g. the issuer's P-256 key in its JWKS).
    """
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except (PdfError, ValueError, KeyError, TypeError) as error:
        if b"/ByteRange" in pdf:
            return SealStatus("broken", f"its signature cannot be read ({error})")
        return SealStatus("absent")
    if not signatures:
        return SealStatus("absent")
    roots = [
        asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in anchors
    ]
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    try:
        status = outside_event_loop(validate_pdf_signature, signatures[0], context)
    except (SignatureValidationError, PdfError, ValueError) as error:
        return SealStatus("broken", str(error))
    signer = status.signing_cert.subject.human_friendly
    if not status.intact or not status.valid:
        return SealStatus("broken", "the signed bytes no longer match the signature", signer)
    if len(signatures) > 1 or status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        level = (
            status.modification_level.name.lower().replace("_", " ")
            if status.modification_level
            else "unknown"
        )
        return SealStatus(
            "changed", f"an update was appended after the seal (changes: {level})", signer
        )
    spki = status.signing_cert.public_key.dump()
    if status.trusted or spki in known_keys:
        return SealStatus("sealed", "", signer)
    return SealStatus("untrusted", "its certificate is not a trust anchor you gave", signer)
