"""Checking a certificate PDF with nothing but the file and the issuer's public keys.

Pure: no app, no database. Everything must hold for VALID: the PDF's PAdES seal is
intact, covers the whole file and is the issuer's; the embedded credential is signed
by a key in the JWKS and within its validity; every fact the page shows is the signed
one, visible and uncovered; the QR code leads to this credential's verify address.
Each failure is a reason of its own.

A genuine certificate re-saved by another program (Ghostscript, LibreOffice) loses
its seal but keeps its text and credential; it is neither VALID nor forged: the
answer is RESAVED, with the credential's verify address to check online.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.request import HTTPRedirectHandler, build_opener

from cryptography import x509
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from joserfc.jwk import KeySet

from trainer.certificates.credential import CredentialError, CredentialFacts, verify_credential
from trainer.certificates.keys import SigningKeyError, key_set
from trainer.certificates.pagecheck import page_problems
from trainer.certificates.pdfread import UnreadablePdf, extract_credential
from trainer.certificates.qrread import QrUnavailable, qr_codes
from trainer.certificates.seal import SealStatus, check_seal, public_key_der

VALID, RESAVED, INVALID = "valid", "resaved", "invalid"


@dataclass
class PdfCheck:
    facts: CredentialFacts | None = None
    problems: list[str] = field(default_factory=list)
    seal: SealStatus = field(default_factory=lambda: SealStatus("absent"))

    @property
    def valid(self) -> bool:
        return self.status == VALID

    @property
    def status(self) -> str:
        """VALID, RESAVED (no seal of the issuer's, nothing else wrong) or INVALID."""
        if self.facts is None or self.problems:
            return INVALID
        return VALID if self.seal.state == "sealed" else RESAVED

    @property
    def verify_url(self) -> str | None:
        return self.facts.credential["id"] if self.facts else None


def check_certificate_pdf(
    pdf: bytes,
    keys: KeySet,
    anchors: list[x509.Certificate] | None = None,
    now: datetime | None = None,
) -> PdfCheck:
    """Check the seal, the credential, its validity, the page and the QR code.

    ``anchors`` are the certificates trusted to seal PDFs (the issuer's self-signed
    one or its CA); a seal by a key in ``keys`` is trusted too.
    """
    result = PdfCheck()
    try:
        token = extract_credential(pdf)
    except UnreadablePdf as error:
        result.problems.append(f"The file cannot be read as a PDF: {error}")
        return result
    if token is None:
        result.problems.append("The PDF has no embedded credential (credential.jwt).")
        return result
    try:
        result.facts = verify_credential(token, keys)
    except CredentialError as error:
        result.problems.append(str(error))
        return result
    result.seal = check_seal(pdf, anchors or [], _key_ders(keys))
    result.problems += _seal_problems(result.seal)
    result.problems += validity_problems(result.facts.credential, now or datetime.now(UTC))
    try:
        result.problems += page_problems(pdf, result.facts.credential)
    except (UnreadablePdf, ValueError, KeyError, TypeError, IndexError) as error:
        result.problems.append(f"The page cannot be compared with the credential: {error}")
    result.problems += qr_problems(pdf, result.facts.credential["id"])
    return result


def _seal_problems(seal: SealStatus) -> list[str]:
    if seal.state == "broken":
        return [f"The PDF's signature is broken: it was altered after signing ({seal.detail})."]
    if seal.state == "changed":
        return [f"The PDF was modified after signing: {seal.detail}."]
    return []


def validity_problems(credential: dict, now: datetime) -> list[str]:
    """Whether ``now`` is within the credential's validFrom … validUntil."""
    problems = []
    start, until = credential.get("validFrom"), credential.get("validUntil")
    if start and now < _moment(start):
        problems.append(f"The credential is not valid before {start}.")
    if until and now > _moment(until):
        problems.append(f"The credential expired on {until[:10]}.")
    return problems


def _moment(iso: str) -> datetime:
    return datetime.fromisoformat(iso.replace("Z", "+00:00"))


def qr_problems(pdf: bytes, verify_url: str) -> list[str]:
    """The page shows exactly one QR code, and it leads to ``verify_url``."""
    try:
        codes = qr_codes(pdf)
    except QrUnavailable as error:
        return [f"The QR code could not be checked: {error}."]
    if not codes:
        return ["No readable QR code is visible on the page."]
    wrong = [code for code in codes if code != verify_url]
    if wrong:
        return [f"The QR code leads to {wrong[0]}, not to this credential's address {verify_url}."]
    if len(codes) > 1:
        return [f"The page shows {len(codes)} QR codes; a certificate shows one."]
    return []


def _key_ders(keys: KeySet) -> list[bytes]:
    found = []
    for key in keys.keys:
        try:
            found.append(public_key_der(load_pem_public_key(key.as_pem(private=False))))
        except (ValueError, TypeError):
            continue
    return found


def load_anchors(paths: list[Path]) -> list[x509.Certificate]:
    """Trust anchors from PEM files; raise SigningKeyError with the file at fault."""
    anchors = []
    for path in paths:
        try:
            anchors += x509.load_pem_x509_certificates(path.read_bytes())
        except (OSError, ValueError) as error:
            raise SigningKeyError(f"Cannot read a PEM certificate from {path}: {error}") from error
    return anchors


#: A JWKS is a few keys; anything larger is not one.
MAX_JWKS_BYTES = 1024 * 1024


class _HttpsOnlyRedirects(HTTPRedirectHandler):
    """Follow a redirect only to another ``https://`` address."""

    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any,
                         newurl: str) -> Any:  # fmt: skip
        if not newurl.lower().startswith("https://"):
            raise SigningKeyError(f"The JWKS address redirects to {newurl}, which is not https://.")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def load_jwks(source: str) -> KeySet:
    """A JWKS from a file, or from an ``https://`` address; raise SigningKeyError.

    Plain ``http://`` is refused: a key fetched without TLS can be swapped on the
    way, and a forged certificate would then check as valid. So is any other
    scheme (``file://``, ``ftp://``), and a redirect away from https.
    """
    scheme = source.split("://", 1)[0].lower() if "://" in source else ""
    if scheme and scheme != "https":
        raise SigningKeyError(
            f"--jwks takes a file or an https:// address, not {scheme}://. Keys fetched "
            "without TLS could be swapped on the way."
        )
    try:
        if scheme == "https":
            opener = build_opener(_HttpsOnlyRedirects())
            with opener.open(source, timeout=20) as response:
                raw = response.read(MAX_JWKS_BYTES + 1)
            if len(raw) > MAX_JWKS_BYTES:
                raise SigningKeyError(f"The JWKS at {source} is larger than 1 MB: not a key set.")
            document = json.loads(raw)
        else:
            document = json.loads(Path(source).read_text())
    except (OSError, ValueError) as error:
        raise SigningKeyError(f"Cannot read the JWKS from {source}: {error}") from error
    return key_set(document)
