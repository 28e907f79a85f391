"""The site's signing key and the public key set (JWKS) that verifiers use.

The private key comes from ``TRAINER_SIGNING_KEY`` or the instance folder; a new
one is EC P-256 (ES256), which every JOSE library and the 1EdTech validator
accept. An operator's Ed25519 key still signs and verifies. Every public key that
has ever signed is kept in the ``signing_keys`` table and published, so
certificates signed before a rotation still verify.

A credential's ``kid`` is a URL, ``{base}/keys/{thumbprint}``, that answers the
one public JWK (what Open Badges 3.0 asks of ``kid`` and what the 1EdTech
validator fetches); the JWKS lists the same key under the same ``kid``. Each
published key also says when it was retired and, if ever, since when it is
considered compromised, so that an offline check refuses what the key signed
after those moments.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from joserfc.jwk import ECKey, KeySet, OKPKey

from trainer.config import new_signing_key_pem

#: JOSE algorithm per key type: Ed25519 (RFC 9864's fully specified name) or ES256.
ALGORITHMS = ("Ed25519", "ES256")
#: Key metadata published beside each JWK (ISO 8601 UTC times); verifiers that
#: do not know them ignore them, as RFC 7517 section 4 requires.
RETIRED_AT = "retired_at"
COMPROMISED_SINCE = "compromised_since"


class SigningKeyError(ValueError):
    """The configured signing key cannot be used; the message says why."""


@dataclass(frozen=True)
class SiteKey:
    """The private signing key with what a signature's header needs."""

    key: OKPKey | ECKey
    kid: str
    alg: str

    @property
    def public_jwk(self) -> dict[str, Any]:
        return public_jwk(self.key, self.alg)


def load_site_key(pem: str) -> SiteKey:
    """Read a PEM private key: Ed25519, or EC P-256 for ES256."""
    try:
        private = serialization.load_pem_private_key(pem.encode(), password=None)
    except ValueError as error:
        raise SigningKeyError(
            f"The signing key is not a readable PEM private key: {error}"
        ) from error
    if isinstance(private, ed25519.Ed25519PrivateKey):
        key: OKPKey | ECKey = OKPKey.import_key(pem)
        alg = "Ed25519"
    elif isinstance(private, ec.EllipticCurvePrivateKey) and private.curve.name == "secp256r1":
        key, alg = ECKey.import_key(pem), "ES256"
    else:
        raise SigningKeyError("The signing key must be Ed25519 or EC P-256 (ES256).")
    return SiteKey(key=key, kid=key.thumbprint(), alg=alg)


def new_site_key() -> tuple[str, SiteKey]:
    """A new P-256 (ES256) key: its PEM and the loaded key."""
    pem = new_signing_key_pem().decode()
    return pem, load_site_key(pem)


def public_jwk(key: OKPKey | ECKey, alg: str) -> dict[str, Any]:
    jwk = key.as_dict(private=False)
    return {**jwk, "kid": key.thumbprint(), "alg": alg, "use": "sig"}


def key_url(base_url: str, thumbprint: str) -> str:
    """The ``kid`` of a credential: where its public key can be fetched, alone."""
    return f"{base_url}/keys/{thumbprint}"


def kid_thumbprint(kid: str) -> str:
    """The RFC 7638 thumbprint named by a ``kid``: a bare thumbprint or a key URL."""
    return kid.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def published_jwk(
    jwk: dict[str, Any],
    base_url: str | None,
    retired_at: datetime | None = None,
    compromised_since: datetime | None = None,
) -> dict[str, Any]:
    """A public JWK as the JWKS publishes it: ``kid`` as a URL, and its lifecycle."""
    published = dict(jwk)
    thumbprint = kid_thumbprint(str(jwk["kid"]))
    published["kid"] = key_url(base_url, thumbprint) if base_url else thumbprint
    for name, moment in ((RETIRED_AT, retired_at), (COMPROMISED_SINCE, compromised_since)):
        if moment is not None:
            published[name] = iso_utc(moment)
    return published


def iso_utc(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def key_set(jwks: dict[str, Any]) -> KeySet:
    """A joserfc key set from a JWKS document; raises SigningKeyError when malformed."""
    keys = jwks.get("keys") if isinstance(jwks, dict) else None
    if not isinstance(keys, list) or not keys:
        raise SigningKeyError('A JWKS is a JSON object with a non-empty "keys" list.')
    try:
        return KeySet.import_key_set({"keys": keys})
    except (ValueError, TypeError, KeyError) as error:
        raise SigningKeyError(f"The JWKS holds a key that cannot be read: {error}") from error
