"""Checking a certificate PDF with nothing but the file and a JWKS. Pure: no app, no database.

Two things must hold: the embedded credential is signed by a key in the JWKS,
and what the page prints (id, name, hours) is what the credential says. An
edited name or number on the page, an altered credential, or one signed by
another key all fail, each with its own reason.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.request import HTTPRedirectHandler, build_opener

from joserfc.jwk import KeySet

from trainer.certificates.credential import CredentialError, CredentialFacts, verify_credential
from trainer.certificates.ids import InvalidCertificateId, parse_certificate_id
from trainer.certificates.keys import SigningKeyError, key_set
from trainer.certificates.pdfread import (
    UnreadablePdf,
    extract_credential,
    printed_fields,
    same_name,
)


@dataclass
class PdfCheck:
    facts: CredentialFacts | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return self.facts is not None and not self.problems


def check_certificate_pdf(pdf: bytes, keys: KeySet) -> PdfCheck:
    """Verify the signature, then compare the printed fields with the signed ones."""
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
    result.problems.extend(_printed_mismatches(pdf, result.facts))
    return result


def _printed_mismatches(pdf: bytes, facts: CredentialFacts) -> list[str]:
    printed = printed_fields(pdf)
    problems = []
    try:
        printed_id = parse_certificate_id(printed.id or "")
    except InvalidCertificateId:
        printed_id = None
    if printed_id != facts.certificate_id:
        problems.append(
            f"The printed certificate id ({printed.id or 'none found'}) is not the signed one."
        )
    if not printed.name or not same_name(printed.name, facts.name):
        problems.append(
            f"The printed name ({printed.name or 'none found'}) is not the signed name "
            f"({facts.name})."
        )
    if _hours(printed.hours) != facts.hours:
        problems.append(
            f"The printed credit hours ({printed.hours or 'none found'}) are not the signed "
            f"hours ({facts.hours:g})."
        )
    return problems


def _hours(text: str | None) -> float | None:
    try:
        return float(text) if text else None
    except ValueError:
        return None


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
