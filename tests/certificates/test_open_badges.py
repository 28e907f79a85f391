"""What a standard verifier sees: schema, signature, kid, issuer profile, revocation list.

Everything here is checked as an outside verifier would check it: the official
Open Badges 3.0 JSON schema (shipped in ``schemas/``), PyJWT for the signatures
(a JOSE library Trainer itself does not use), keys fetched from the URL in
``kid``, and the status list decoded by hand from the published VC-JWT.
"""

from __future__ import annotations

import base64
import gzip
import json
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import jwt
import pytest

from tests.certificates.helpers import finish_course
from trainer.certificates import services

SCHEMA = json.loads(
    (Path(__file__).parent / "schemas" / "ob_v3p0_achievementcredential_schema.json").read_text()
)
BASE = "http://trainer.test"


def fetch(client, url: str):
    """GET a URL of this site through the test client, as a verifier would over HTTP."""
    assert url.startswith(BASE + "/"), url
    parts = urlsplit(url)
    return client.get(parts.path)


def verify_with_pyjwt(client, token: str) -> dict:
    """Resolve the key from ``kid`` and check the signature with PyJWT only."""
    header = jwt.get_unverified_header(token)
    response = fetch(client, header["kid"])
    assert response.status_code == 200 and response.mimetype == "application/jwk+json"
    key = jwt.PyJWK(response.json)
    return jwt.decode(
        token,
        key=key,
        algorithms=["ES256"],
        options={"verify_aud": False},
        leeway=0,
    )


@pytest.fixture
def issued(app, make, db):
    learner = make.user(full_name="Ana María Pérez", licence_number="RN-4410021")
    return finish_course(app, db, learner)


def test_the_credential_passes_the_official_open_badges_schema(issued):
    payload = jwt.decode(issued.credential, options={"verify_signature": False})
    validator = jsonschema.Draft201909Validator(
        SCHEMA, format_checker=jsonschema.Draft201909Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(payload), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]
    assert "OpenBadgeCredential" in payload["type"]


def test_pyjwt_verifies_the_credential_with_the_key_its_kid_names(client, issued):
    header = jwt.get_unverified_header(issued.credential)
    assert header["alg"] == "ES256" and header["typ"] == "vc+jwt"
    assert header["kid"] == f"{BASE}/keys/{issued.key_id}"
    claims = verify_with_pyjwt(client, issued.credential)
    subject = claims["credentialSubject"]
    assert claims["sub"] == subject["id"] and subject["id"].startswith("urn:uuid:")
    assert "@" not in subject["id"] and "Pérez" not in json.dumps(subject["id"])
    assert claims["iss"] == claims["issuer"]["id"] == f"{BASE}/issuer"
    assert claims["iat"] == claims["nbf"]
    assert subject["identifier"][0]["identityHash"] == "Ana María Pérez"


def test_pyjwks_client_style_lookup_finds_the_key_in_the_jwks(client, issued):
    """A verifier that reads the JWKS and matches ``kid`` (as PyJWKClient does)."""
    keys = jwt.PyJWKSet.from_dict(client.get("/.well-known/jwks.json").json)
    kid = jwt.get_unverified_header(issued.credential)["kid"]
    key = next(k for k in keys.keys if k.key_id == kid)
    claims = jwt.decode(issued.credential, key=key, algorithms=["ES256"])
    assert claims["jti"] == f"{BASE}/verify/{issued.id}"


def test_an_altered_credential_fails_the_independent_check(client, issued):
    head, body, signature = issued.credential.split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    claims["credentialSubject"]["creditsEarned"] = 40
    forged_body = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    with pytest.raises(jwt.InvalidSignatureError):
        verify_with_pyjwt(client, f"{head}.{forged_body}.{signature}")


def test_the_issuer_id_resolves_to_its_profile(client, issued):
    claims = jwt.decode(issued.credential, options={"verify_signature": False})
    response = fetch(client, claims["issuer"]["id"])
    assert response.status_code == 200 and response.mimetype == "application/ld+json"
    profile = response.json
    assert profile["id"] == claims["issuer"]["id"] and "Profile" in profile["type"]
    assert profile["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert profile["name"] == claims["issuer"]["name"]
    profile_schema = {"$defs": SCHEMA["$defs"], **SCHEMA["$defs"]["Profile"]}
    jsonschema.Draft201909Validator(profile_schema).validate(profile)


def status_bit(client, credential_token: str) -> tuple[bool, int]:
    """Read the credential's revocation bit as an independent verifier would."""
    claims = jwt.decode(credential_token, options={"verify_signature": False})
    entry = claims["credentialStatus"]
    assert entry["type"] == "BitstringStatusListEntry"
    assert entry["statusPurpose"] == "revocation"
    response = fetch(client, entry["statusListCredential"])
    assert response.status_code == 200 and response.mimetype == "application/vc+jwt"
    status_list = verify_with_pyjwt(client, response.get_data(as_text=True))
    assert status_list["id"] == entry["statusListCredential"]
    assert "BitstringStatusListCredential" in status_list["type"]
    subject = status_list["credentialSubject"]
    assert subject["type"] == "BitstringStatusList" and subject["statusPurpose"] == "revocation"
    encoded = subject["encodedList"]
    assert encoded[0] == "u"  # multibase: base64url without padding
    bits = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    index = int(entry["statusListIndex"])
    return bool((bits[index // 8] >> (7 - index % 8)) & 1), len(bits) * 8


def test_a_revoked_certificate_reads_as_revoked_in_the_published_status_list(
    app, client, db, make, issued
):
    other = finish_course(app, db, make.user("other@example.org"))
    revoked, size = status_bit(client, issued.credential)
    assert not revoked and size >= 131_072
    with app.app_context():
        services.revoke_certificate(db, issued, "Issued in error", None)
        db.commit()
    assert status_bit(client, issued.credential)[0] is True
    assert status_bit(client, other.credential)[0] is False  # its neighbour untouched


def test_each_certificate_has_its_own_place_in_the_list(app, db, make, issued):
    other = finish_course(app, db, make.user("other@example.org"))
    assert issued.status_list == other.status_list == 1
    assert issued.status_list_index != other.status_list_index
    assert 0 <= issued.status_list_index < 131_072


def test_unknown_lists_and_keys_answer_404(client, issued):
    assert client.get("/status/revocation/0").status_code == 404
    assert client.get("/status/revocation/2").status_code == 404
    assert client.get("/keys/not-a-key").status_code == 404


@pytest.mark.parametrize(
    "path",
    ["/.well-known/jwks.json", "/issuer", "/status/revocation/1", "KEY", "/api/v1/verify/ID"],
)
def test_public_documents_answer_cross_origin_gets_without_credentials(client, issued, path):
    path = path.replace("KEY", f"/keys/{issued.key_id}").replace("ID", issued.id)
    response = client.get(path, headers={"Origin": "https://wallet.example"})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Access-Control-Allow-Methods"] == "GET"
    assert "Access-Control-Allow-Credentials" not in response.headers
    preflight = client.options(path, headers={"Origin": "https://wallet.example"})
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"


def test_private_pages_send_no_cors_header(client, issued):
    response = client.get("/verify", headers={"Origin": "https://wallet.example"})
    assert "Access-Control-Allow-Origin" not in response.headers
    assert (
        "Access-Control-Allow-Origin" not in client.get(f"/certificates/{issued.id}.json").headers
    )


def test_a_replaced_certificate_reads_as_revoked_and_its_replacement_as_good(
    app, client, db, issued
):
    with app.app_context():
        replacement = services.reissue_certificate(
            db, issued, services.issuer_of(app), None, "Name corrected"
        )
        db.commit()
    assert status_bit(client, issued.credential)[0] is True
    assert status_bit(client, replacement.credential)[0] is False
