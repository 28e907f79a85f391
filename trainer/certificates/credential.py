"""The signed credential: an Open Badges 3.0 ``OpenBadgeCredential`` as a VC-JWT.

Pure: it needs no app and no database. The JWT's payload is the credential
itself (VC Data Model 2.0, as Open Badges 3.0 section 8.2 asks), with the
registered claims ``iss``, ``sub``, ``jti``, ``iat``, ``nbf`` and, when it
expires, ``exp``. The header names the key (``kid``: the URL that answers its
public JWK) and ``typ: vc+jwt``.

The subject is identified by ``urn:uuid:`` derived from the certificate id: one
per certificate, so that two certificates of the same person cannot be linked
through it, and nothing personal in it. Revocation is a W3C Bitstring Status
List entry (see ``statuslist.py``).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from trainer.certificates.keys import (
    ALGORITHMS,
    COMPROMISED_SINCE,
    RETIRED_AT,
    SiteKey,
    key_url,
    kid_thumbprint,
)
from trainer.models import Certificate

CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
TYPES = ["VerifiableCredential", "OpenBadgeCredential"]
#: W3C Bitstring Status List (Recommendation, 2025): revocation readable by any verifier.
STATUS_TYPE = "BitstringStatusListEntry"
#: The official JSON schema a validator may check the credential against.
SCHEMA = {
    "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
    "ob_v3p0_achievementcredential_schema.json",
    "type": "1EdTechJsonSchemaValidator2019",
}
#: Namespace of the subjects' urn:uuid identifiers (a fixed, random UUID of this project).
SUBJECT_NAMESPACE = uuid.UUID("5b0c8f2e-6a1d-4c3e-9f47-2d8a61e0b9c4")


class CredentialError(ValueError):
    """A credential that must not be trusted; the message says why."""


def build_credential(certificate: Certificate, base_url: str) -> dict[str, Any]:
    """The Open Badges credential for ``certificate``, ready to sign."""
    achievement: dict[str, Any] = {
        "id": f"{base_url}/courses/{certificate.course_slug}",
        "type": ["Achievement"],
        "achievementType": "Course",
        "name": certificate.course_title,
        "description": f"The course {certificate.course_title}, version "
        f"{certificate.course_version}.",
        "criteria": {
            "narrative": "Read every module of the course and pass its assessment, "
            "or complete the same course in an approved in-person session."
        },
        "version": certificate.course_version,
        "inLanguage": certificate.language,
        "creditsAvailable": certificate.hours,
        "tag": list(certificate.content_areas),
        "alignment": [_alignment(r, base_url, certificate) for r in certificate.requirements],
    }
    subject: dict[str, Any] = {
        "id": subject_id(certificate.id),
        "type": ["AchievementSubject"],
        "identifier": [
            {
                "type": "IdentityObject",
                "identityType": "name",
                "hashed": False,
                "identityHash": certificate.name,
            }
        ],
        "achievement": achievement,
        "creditsEarned": certificate.hours,
        "activityEndDate": _midnight(certificate.completed_on),
    }
    if certificate.licence_number:
        subject["licenseNumber"] = certificate.licence_number
    issuer = issuer_profile(base_url, certificate.provider_name, certificate.provider_approval)
    credential: dict[str, Any] = {
        "@context": CONTEXT,
        "id": f"{base_url}/verify/{certificate.id}",
        "type": TYPES,
        "issuer": issuer,
        "name": f"Certificate of completion: {certificate.course_title}",
        "validFrom": _iso(certificate.issued_at),
        "credentialSubject": subject,
        "credentialSchema": [SCHEMA],
    }
    status = status_entry(certificate, base_url)
    if status is not None:
        credential["credentialStatus"] = status
    if certificate.valid_until is not None:
        credential["validUntil"] = _end_of_day(certificate.valid_until)
    return credential


def issuer_profile(base_url: str, name: str, approval: str | None) -> dict[str, Any]:
    """The issuer as an Open Badges Profile: embedded in credentials, published at its id."""
    profile: dict[str, Any] = {
        "id": issuer_id(base_url),
        "type": ["Profile"],
        "name": name,
        "url": base_url,
    }
    if approval:
        profile["otherIdentifier"] = [
            {"type": "IdentifierEntry", "identifier": approval, "identifierType": "identifier"}
        ]
    return profile


def issuer_id(base_url: str) -> str:
    """The issuer's id: the address of its Open Badges Profile document."""
    return f"{base_url}/issuer"


def subject_id(certificate_id: str) -> str:
    """The learner's identifier in one certificate: stable, and personal to nothing."""
    return f"urn:uuid:{uuid.uuid5(SUBJECT_NAMESPACE, certificate_id)}"


def status_list_url(base_url: str, list_number: int) -> str:
    return f"{base_url}/status/revocation/{list_number}"


def status_entry(certificate: Certificate, base_url: str) -> dict[str, Any] | None:
    """The certificate's place in a revocation status list; None before it has one."""
    if certificate.status_list is None or certificate.status_list_index is None:
        return None
    list_url = status_list_url(base_url, certificate.status_list)
    return {
        "id": f"{list_url}#{certificate.status_list_index}",
        "type": STATUS_TYPE,
        "statusPurpose": "revocation",
        "statusListIndex": str(certificate.status_list_index),
        "statusListCredential": list_url,
    }


#: Joins a rule's citation and the provider approval it was met under, in an alignment's
#: description; the offline check reads it back (``pagecheck.rule_texts``).
APPROVAL_IN_ALIGNMENT = "; provider approval "


def _alignment_description(requirement: dict[str, Any]) -> str:
    """Authority and citation, and the provider approval the rule was satisfied under."""
    text = f"{requirement['authority']}: {requirement['citation']}"
    approval = requirement.get("approval")
    if approval:
        text += f"{APPROVAL_IN_ALIGNMENT}{approval['number']} ({approval['body']})"
    return text


def _alignment(requirement: dict[str, Any], base_url: str, certificate: Certificate) -> dict:
    return {
        "type": ["Alignment"],
        "targetType": "ext:RequirementSet",
        "targetCode": requirement["slug"],
        "targetName": requirement["title"],
        "targetDescription": _alignment_description(requirement),
        "targetUrl": f"{base_url}/courses/{certificate.course_slug}#requirement-"
        f"{requirement['slug']}",
    }


def sign_credential(credential: dict[str, Any], site_key: SiteKey) -> str:
    """The compact VC-JWT of ``credential``, signed with the site key."""
    claims = dict(credential)
    claims["iss"] = credential["issuer"]["id"]
    subject = credential["credentialSubject"].get("id")
    if subject:
        claims["sub"] = subject
    claims["jti"] = credential["id"]
    claims["iat"] = claims["nbf"] = _epoch(credential["validFrom"])
    if "validUntil" in credential:
        claims["exp"] = _epoch(credential["validUntil"])
    return sign_claims(claims, site_key, base_url=credential["issuer"].get("url"))


def sign_claims(claims: dict[str, Any], site_key: SiteKey, *, base_url: str | None) -> str:
    """A compact VC-JWT of ``claims``; ``kid`` is the key's URL under ``base_url``."""
    kid = key_url(base_url, site_key.kid) if base_url else site_key.kid
    header = {"alg": site_key.alg, "kid": kid, "typ": "vc+jwt", "cty": "vc"}
    payload = json.dumps(claims, ensure_ascii=False, separators=(",", ":")).encode()
    return jws.serialize_compact(header, payload, site_key.key, algorithms=list(ALGORITHMS))


def credential_payload(token: str) -> dict[str, Any]:
    """The claims of a token this site signed, read without checking (it is our own)."""
    payload: dict[str, Any] = json.loads(jws.extract_compact(token.encode()).payload)
    return payload


@dataclass(frozen=True)
class CredentialFacts:
    """What a signed credential says, in the terms printed on the certificate."""

    certificate_id: str
    name: str
    hours: float
    course_title: str
    completed_on: str
    issuer_name: str
    kid: str
    credential: dict[str, Any]


def verify_credential(token: str, keys: KeySet) -> CredentialFacts:
    """Check the signature against ``keys`` and read the credential; raise CredentialError."""
    token = token.strip()
    if token.count(".") != 2:
        raise CredentialError("The credential is not a compact JWT (three dot-separated parts).")
    try:
        header = jws.extract_compact(token.encode()).headers()
    except (JoseError, ValueError) as error:
        raise CredentialError(f"The credential cannot be read: {error}") from error
    kid = str(header.get("kid"))
    if header.get("alg") not in ALGORITHMS:
        raise CredentialError(f"The credential is signed with {header.get('alg')!r}, not allowed.")
    # Matched by thumbprint, so that a kid URL, a bare thumbprint (credentials
    # issued before kid URLs) and either form in the JWKS all find the same key.
    wanted = kid_thumbprint(kid)
    key = next((k for k in keys.keys if k.thumbprint() == wanted), None)
    if key is None:
        raise CredentialError(
            f"The credential was signed by a key that is not in the JWKS (kid {kid!r})."
        )
    try:
        payload = jws.deserialize_compact(token, key, algorithms=list(ALGORITHMS)).payload
    except JoseError as error:
        raise CredentialError(
            "The credential's signature does not match its content: it was altered."
        ) from error
    try:
        claims = json.loads(payload)
        facts = _facts(claims, kid)
    except (ValueError, KeyError, TypeError, IndexError) as error:
        raise CredentialError(f"The credential is not an OpenBadgeCredential: {error}") from error
    _check_key_lifecycle(claims, key.get(RETIRED_AT), key.get(COMPROMISED_SINCE))
    return facts


def _check_key_lifecycle(
    claims: dict[str, Any], retired_at: str | None, compromised_since: str | None
) -> None:
    """Refuse what a key signed after it was retired, or after it may have leaked.

    The signing time is the credential's ``iat`` (``nbf`` for credentials from
    before ``iat`` was added). Someone holding a stolen key can backdate it:
    the online check, which answers from the register, stays the authority.
    """
    if retired_at is None and compromised_since is None:
        return
    signed = claims.get("iat", claims.get("nbf"))
    if not isinstance(signed, int | float):
        raise CredentialError("The credential does not say when it was signed (no iat).")
    if compromised_since is not None and signed >= _key_moment(compromised_since):
        raise CredentialError(
            f"The credential was signed with a key reported compromised since "
            f"{compromised_since}: it cannot be trusted."
        )
    if retired_at is not None and signed > _key_moment(retired_at):
        raise CredentialError(
            f"The credential was signed after its key was retired on {retired_at}: "
            "it cannot be genuine."
        )


def _key_moment(text: object) -> int:
    """A time from the JWKS's key metadata; an unreadable one refuses the credential."""
    try:
        return _epoch(str(text))
    except ValueError as error:
        raise CredentialError(
            f"The JWKS gives the key an unreadable time ({text!r}): cannot check it."
        ) from error


def _facts(credential: dict[str, Any], kid: str) -> CredentialFacts:
    if "OpenBadgeCredential" not in credential["type"]:
        raise ValueError("its type does not include OpenBadgeCredential")
    subject = credential["credentialSubject"]
    names = [i for i in subject["identifier"] if i.get("identityType") == "name"]
    return CredentialFacts(
        certificate_id=credential["id"].rsplit("/", 1)[-1],
        name=names[0]["identityHash"],
        hours=float(subject["creditsEarned"]),
        course_title=subject["achievement"]["name"],
        completed_on=subject["activityEndDate"][:10],
        issuer_name=credential["issuer"]["name"],
        kid=kid,
        credential=credential,
    )


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _midnight(day: date) -> str:
    return _iso(datetime.combine(day, time(0), tzinfo=UTC))


def _end_of_day(day: date) -> str:
    return _iso(datetime.combine(day, time(23, 59, 59), tzinfo=UTC))


def _epoch(iso: str) -> int:
    return int(datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp())
