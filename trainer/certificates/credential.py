"""The signed credential: an Open Badges 3.0 ``OpenBadgeCredential`` as a VC-JWT.

Pure: it needs no app and no database. The JWT's payload is the credential
itself (VC Data Model 2.0, as Open Badges 3.0 section 8.2 asks), with the
registered claims ``iss``, ``jti``, ``nbf`` and, when it expires, ``exp``. The
header names the key (``kid``, its RFC 7638 thumbprint) and ``typ: vc+jwt``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from trainer.certificates.keys import ALGORITHMS, SiteKey
from trainer.models import Certificate

CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
TYPES = ["VerifiableCredential", "OpenBadgeCredential"]
#: Not an Open Badges status list: a link to this site's verification API,
#: which answers valid, revoked, expired or superseded.
STATUS_TYPE = "TrainerVerification"


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
    issuer: dict[str, Any] = {
        "id": base_url,
        "type": ["Profile"],
        "name": certificate.provider_name,
    }
    if certificate.provider_approval:
        issuer["otherIdentifier"] = [
            {
                "type": "IdentifierEntry",
                "identifier": certificate.provider_approval,
                "identifierType": "identifier",
            }
        ]
    credential: dict[str, Any] = {
        "@context": CONTEXT,
        "id": f"{base_url}/verify/{certificate.id}",
        "type": TYPES,
        "issuer": issuer,
        "name": f"Certificate of completion: {certificate.course_title}",
        "validFrom": _iso(certificate.issued_at),
        "credentialSubject": subject,
        "credentialStatus": {
            "id": f"{base_url}/api/v1/verify/{certificate.id}",
            "type": STATUS_TYPE,
        },
    }
    if certificate.valid_until is not None:
        credential["validUntil"] = _end_of_day(certificate.valid_until)
    return credential


def _alignment_description(requirement: dict[str, Any]) -> str:
    """Authority and citation, and the provider approval the rule was satisfied under."""
    text = f"{requirement['authority']}: {requirement['citation']}"
    approval = requirement.get("approval")
    if approval:
        text += f"; provider approval {approval['number']} ({approval['body']})"
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
    claims["jti"] = credential["id"]
    claims["nbf"] = _epoch(credential["validFrom"])
    if "validUntil" in credential:
        claims["exp"] = _epoch(credential["validUntil"])
    header = {"alg": site_key.alg, "kid": site_key.kid, "typ": "vc+jwt", "cty": "vc"}
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
    kid = header.get("kid")
    if header.get("alg") not in ALGORITHMS:
        raise CredentialError(f"The credential is signed with {header.get('alg')!r}, not allowed.")
    if not any(key.kid == kid for key in keys.keys):
        raise CredentialError(
            f"The credential was signed by a key that is not in the JWKS (kid {kid!r})."
        )
    try:
        payload = jws.deserialize_compact(token, keys, algorithms=list(ALGORITHMS)).payload
    except JoseError as error:
        raise CredentialError(
            "The credential's signature does not match its content: it was altered."
        ) from error
    try:
        return _facts(json.loads(payload), kid)
    except (ValueError, KeyError, TypeError, IndexError) as error:
        raise CredentialError(f"The credential is not an OpenBadgeCredential: {error}") from error


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
