"""The site's signing key and the public key set (JWKS) that verifiers use.

The private key comes from ``TRAINER_SIGNING_KEY`` or the instance folder.
Every public key that has ever signed is kept in the ``signing_keys`` table and
published, so certificates signed before a rotation still verify.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from joserfc.jwk import ECKey, KeySet, OKPKey

from trainer.config import new_signing_key_pem

#: JOSE algorithm per key type: Ed25519 (RFC 9864's fully specified name) or ES256.
ALGORITHMS = ("Ed25519", "ES256")


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
    """A new Ed25519 key: its PEM and the loaded key."""
    pem = new_signing_key_pem().decode()
    return pem, load_site_key(pem)


def public_jwk(key: OKPKey | ECKey, alg: str) -> dict[str, Any]:
    jwk = key.as_dict(private=False)
    return {**jwk, "kid": key.thumbprint(), "alg": alg, "use": "sig"}


def key_set(jwks: dict[str, Any]) -> KeySet:
    """A joserfc key set from a JWKS document; raises SigningKeyError when malformed."""
    keys = jwks.get("keys") if isinstance(jwks, dict) else None
    if not isinstance(keys, list) or not keys:
        raise SigningKeyError('A JWKS is a JSON object with a non-empty "keys" list.')
    try:
        return KeySet.import_key_set({"keys": keys})
    except (ValueError, TypeError, KeyError) as error:
        raise SigningKeyError(f"The JWKS holds a key that cannot be read: {error}") from error
