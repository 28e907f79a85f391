"""The signed credential: an Open Badges 3.0 VC-JWT that cannot be altered or forged."""

from __future__ import annotations

import base64
import json
from datetime import UTC, date, datetime

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from trainer.certificates.credential import (
    CredentialError,
    build_credential,
    sign_credential,
    verify_credential,
)
from trainer.certificates.keys import (
    SigningKeyError,
    key_set,
    load_site_key,
    new_site_key,
    published_jwk,
)
from trainer.models import Certificate

BASE = "https://trainer.example"


def certificate(**changes) -> Certificate:
    fields = {
        "id": "0ABCDEFGHJKMNPQRSTVWXYZ0123",
        "course_slug": "health",
        "course_version": "abc123",
        "course_title": "Health: recognise, respond, refer",
        "language": "en",
        "name": "فاطمة الزهراء",
        "licence_type": "nurse",
        "licence_number": "RN-4410021",
        "licence_board": "Michigan Board of Nursing",
        "hours": 1.25,
        "content_areas": ["indicators", "reporting"],
        "requirements": [
            {
                "slug": "us-mi",
                "title": "Michigan",
                "authority": "LARA",
                "citation": "MCL 333.16148",
                "valid_until": None,
            }
        ],
        "completed_on": date(2026, 11, 20),
        "issued_at": datetime(2026, 11, 21, 9, 30, tzinfo=UTC),
        "valid_until": None,
        "provider_name": "Trainer",
        "provider_approval": "MI-CE-0042",
        "status_list": 1,
        "status_list_index": 90210,
    }
    fields.update(changes)
    return Certificate(**fields)


@pytest.fixture(scope="module")
def site_key():
    return new_site_key()[1]


def jwks(*keys):
    return key_set({"keys": [k.public_jwk for k in keys]})


def test_the_credential_is_an_open_badge_with_what_a_board_needs(site_key):
    credential = build_credential(certificate(), BASE)
    assert credential["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert "ob/v3p0" in credential["@context"][1]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    subject = credential["credentialSubject"]
    assert subject["identifier"][0]["identityHash"] == "فاطمة الزهراء"
    assert subject["creditsEarned"] == 1.25
    assert subject["licenseNumber"] == "RN-4410021"
    assert subject["achievement"]["version"] == "abc123"
    assert subject["achievement"]["tag"] == ["indicators", "reporting"]
    assert subject["achievement"]["alignment"][0]["targetCode"] == "us-mi"
    assert credential["issuer"]["otherIdentifier"][0]["identifier"] == "MI-CE-0042"
    assert credential["credentialStatus"] == {
        "id": f"{BASE}/status/revocation/1#90210",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "90210",
        "statusListCredential": f"{BASE}/status/revocation/1",
    }
    assert credential["issuer"]["id"] == f"{BASE}/issuer"
    assert (
        subject["id"].startswith("urn:uuid:")
        and subject["id"]
        == build_credential(certificate(name="Someone Else"), BASE)["credentialSubject"]["id"]
    )  # stable for the certificate, nothing personal in it
    assert (
        build_credential(certificate(id="1" * 27), BASE)["credentialSubject"]["id"]
        != (subject["id"])
    )
    assert "validUntil" not in credential


def test_valid_until_appears_when_the_rules_renew(site_key):
    credential = build_credential(certificate(valid_until=date(2028, 11, 20)), BASE)
    assert credential["validUntil"] == "2028-11-20T23:59:59Z"
    token = sign_credential(credential, site_key)
    claims = json.loads(_part(token, 1))
    assert claims["exp"] > claims["nbf"]
    assert claims["jti"] == credential["id"] and claims["iss"] == f"{BASE}/issuer"
    assert claims["sub"] == credential["credentialSubject"]["id"]
    assert claims["iat"] == claims["nbf"]


def test_a_signed_credential_verifies_and_says_what_is_printed(site_key):
    token = sign_credential(build_credential(certificate(), BASE), site_key)
    header = json.loads(_part(token, 0))
    assert header == {
        "alg": "ES256",
        "kid": f"{BASE}/keys/{site_key.kid}",
        "typ": "vc+jwt",
        "cty": "vc",
    }
    facts = verify_credential(token, jwks(site_key))
    assert (facts.certificate_id, facts.name, facts.hours) == (
        certificate().id,
        "فاطمة الزهراء",
        1.25,
    )


def test_an_altered_payload_fails(site_key):
    token = sign_credential(build_credential(certificate(), BASE), site_key)
    claims = json.loads(_part(token, 1))
    claims["credentialSubject"]["creditsEarned"] = 20
    forged = ".".join([token.split(".")[0], _b64(json.dumps(claims)), token.split(".")[2]])
    with pytest.raises(CredentialError, match="altered"):
        verify_credential(forged, jwks(site_key))


def test_a_credential_signed_by_another_key_fails(site_key):
    other = new_site_key()[1]
    token = sign_credential(build_credential(certificate(), BASE), other)
    with pytest.raises(CredentialError, match="not in the JWKS"):
        verify_credential(token, jwks(site_key))


def test_another_key_claiming_our_kid_fails(site_key):
    other = new_site_key()[1]
    impostor = type(other)(key=other.key, kid=site_key.kid, alg=other.alg)
    token = sign_credential(build_credential(certificate(), BASE), impostor)
    with pytest.raises(CredentialError, match="altered"):
        verify_credential(token, jwks(site_key))


def test_garbage_is_refused_with_a_reason(site_key):
    with pytest.raises(CredentialError, match="compact JWT"):
        verify_credential("not a token", jwks(site_key))


def test_es256_keys_work_too():
    pem = (
        ec.generate_private_key(ec.SECP256R1())
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )
    es_key = load_site_key(pem)
    assert es_key.alg == "ES256"
    token = sign_credential(build_credential(certificate(), BASE), es_key)
    assert verify_credential(token, jwks(es_key)).name == "فاطمة الزهراء"


def test_unusable_keys_are_refused_with_a_reason():
    with pytest.raises(SigningKeyError, match="PEM"):
        load_site_key("not a key")
    rsa_pem = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )
    with pytest.raises(SigningKeyError, match="Ed25519 or EC P-256"):
        load_site_key(rsa_pem)
    with pytest.raises(SigningKeyError, match="keys"):
        key_set({"keys": []})


def _part(token: str, index: int) -> str:
    part = token.split(".")[index]
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)).decode()


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).rstrip(b"=").decode()


def _ed25519_key():
    from cryptography.hazmat.primitives.asymmetric import ed25519

    pem = (
        ed25519.Ed25519PrivateKey.generate()
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )
    return load_site_key(pem)


def test_an_operators_ed25519_key_still_signs_and_verifies():
    ed_key = _ed25519_key()
    token = sign_credential(build_credential(certificate(), BASE), ed_key)
    assert json.loads(_part(token, 0))["alg"] == "Ed25519"
    published = [published_jwk(ed_key.public_jwk, BASE)]
    assert verify_credential(token, key_set({"keys": published})).hours == 1.25


def test_credentials_from_before_kid_urls_still_verify_against_todays_jwks():
    """Issued by an earlier version: Ed25519, a bare thumbprint as kid, no iat, no sub."""
    from joserfc import jws

    ed_key = _ed25519_key()
    claims = build_credential(certificate(), BASE)
    claims.update(iss=BASE, jti=claims["id"], nbf=1_795_000_000)
    header = {"alg": "Ed25519", "kid": ed_key.kid, "typ": "vc+jwt", "cty": "vc"}
    old_token = jws.serialize_compact(
        header, json.dumps(claims).encode(), ed_key.key, algorithms=["Ed25519"]
    )
    retired = datetime.fromtimestamp(1_795_000_100, UTC)  # retired after it signed
    today = key_set({"keys": [published_jwk(ed_key.public_jwk, BASE, retired_at=retired)]})
    assert verify_credential(old_token, today).name == "فاطمة الزهراء"
    later = datetime.fromtimestamp(1_794_999_000, UTC)  # retired before: refused
    refused = key_set({"keys": [published_jwk(ed_key.public_jwk, BASE, retired_at=later)]})
    with pytest.raises(CredentialError, match="retired"):
        verify_credential(old_token, refused)


def test_a_compromised_key_refuses_what_it_signed_from_that_moment(site_key):
    credential = build_credential(certificate(), BASE)
    token = sign_credential(credential, site_key)
    signed_at = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)
    for since, refused in ((signed_at, True), (signed_at.replace(hour=10), False)):
        jwk = published_jwk(site_key.public_jwk, BASE, compromised_since=since)
        if refused:
            with pytest.raises(CredentialError, match="compromised since 2026-11-21T09:30:00Z"):
                verify_credential(token, key_set({"keys": [jwk]}))
        else:
            assert verify_credential(token, key_set({"keys": [jwk]})).name


def test_an_unreadable_key_time_in_the_jwks_refuses_rather_than_crashes(site_key):
    token = sign_credential(build_credential(certificate(), BASE), site_key)
    jwk = {**published_jwk(site_key.public_jwk, BASE), "retired_at": "last Tuesday"}
    with pytest.raises(CredentialError, match="unreadable time"):
        verify_credential(token, key_set({"keys": [jwk]}))
