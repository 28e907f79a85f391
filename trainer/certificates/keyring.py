"""The signing keys' register: publishing, retiring, and marking a key compromised.

Functions take the session and only flush. A key is never deleted from the
``signing_keys`` table: certificates it signed need its public key. Its private
key is another matter: once retired it must leave the instance (see
``trainer certificates rotate-key``).
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from trainer.certificates.keys import SiteKey, published_jwk
from trainer.models import SigningKey, utcnow


class RetiredSigningKey(ValueError):
    """This process holds a signing key that was retired: it must not sign any more."""


def register_signing_key(db: Session, site_key: SiteKey) -> None:
    """Publish the site key, retiring the keys before it. Old keys stay in the JWKS.

    A key already retired (or marked compromised) is refused: what it would sign
    now fails every verification, so it must not sign at all.
    """
    row = db.get(SigningKey, site_key.kid)
    if row is not None:
        if row.retired_at is not None or row.compromised_since is not None:
            raise RetiredSigningKey(
                _(
                    "The signing key %(kid)s was retired on %(date)s; this process still "
                    "holds it. Restart it so that it loads the current key.",
                    kid=site_key.kid,
                    date=f"{row.retired_at or row.compromised_since:%Y-%m-%d %H:%M} UTC",
                )
            )
        return
    try:
        with db.begin_nested():
            db.execute(
                update(SigningKey)
                .where(SigningKey.retired_at.is_(None))
                .values(retired_at=utcnow())
            )
            db.add(SigningKey(kid=site_key.kid, public_jwk=site_key.public_jwk))
    except IntegrityError:
        pass  # another process published it at the same moment


def published_keys(db: Session, site_key: SiteKey, base_url: str | None = None) -> list[dict]:
    """Every public key that may have signed a certificate, the current one first.

    Each carries its ``retired_at`` and ``compromised_since`` when set, so that
    offline checks refuse what a key signed after those moments; with
    ``base_url`` each ``kid`` is the key's URL, as credentials name it.
    """
    rows = list(db.scalars(select(SigningKey).order_by(SigningKey.created_at.desc())))
    current = next((row for row in rows if row.kid == site_key.kid), None)
    keys = [
        published_jwk(
            site_key.public_jwk,
            base_url,
            current.retired_at if current else None,
            current.compromised_since if current else None,
        )
    ]
    for row in rows:
        if row.kid != site_key.kid:
            keys.append(
                published_jwk(row.public_jwk, base_url, row.retired_at, row.compromised_since)
            )
    return keys
