"""Rotating the signing key and containing a compromised one. Functions only flush.

Rotation: the new key is published and the old one retired at that moment; the
old public key stays in the JWKS (old certificates need it) with its
``retired_at``, so a signature it makes later fails everywhere. The command
removes the old private key from the instance folder, hence from new backups.

Compromise: an operator who learns that a private key may have leaked marks it
with the moment from which it may have been used by someone else. The JWKS then
carries ``compromised_since``, so offline checks refuse what it signed from
then on; every certificate issued with it since then is re-issued with the
current key and the old one revoked, so the verify page, the API and the
status list say so too, and the learner gets a replacement by email.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from trainer.audit import record_event
from trainer.certificates import services
from trainer.certificates.ids import format_certificate_id
from trainer.certificates.keyring import register_signing_key
from trainer.certificates.keys import SiteKey, iso_utc, kid_thumbprint
from trainer.models import Certificate, SigningKey, utcnow


class KeyLifecycleError(ValueError):
    """A key action that cannot be done; the message says what to do instead."""


def rotate(db: Session, old: SiteKey, new: SiteKey, *, operator: str) -> None:
    """Publish ``new`` and retire ``old`` from now on; audited."""
    register_signing_key(db, old)  # published even if it never signed
    register_signing_key(db, new)  # retires every key before it
    record_event(
        db,
        "signing_key.rotate",
        actor=None,
        target_type="signing_key",
        target_id=new.kid,
        retired=old.kid,
        via="cli",
        operator=operator,
    )
    db.flush()


@dataclass
class Containment:
    kid: str
    since: datetime
    replaced: list[tuple[str, str]] = field(default_factory=list)  # (old id, new id)
    revoked: list[str] = field(default_factory=list)  # already replaced: revoked only


def mark_compromised(
    db: Session, kid: str, since: datetime, issuer: services.Issuer, *, operator: str
) -> Containment:
    """Mark ``kid`` compromised since ``since``; re-issue and revoke what it signed since."""
    kid = kid_thumbprint(kid.strip())
    row = db.get(SigningKey, kid, with_for_update=True)
    if row is None:
        raise KeyLifecycleError(f"No signing key {kid} was ever published here.")
    if kid == issuer.site_key.kid:
        raise KeyLifecycleError(
            "This is the key the site signs with now. Run `trainer certificates rotate-key` "
            "first, restart every process, then mark the old key."
        )
    now = utcnow()
    if since > now:
        raise KeyLifecycleError(f"--since {iso_utc(since)} is in the future.")
    earliest = since if row.compromised_since is None else min(row.compromised_since, since)
    row.compromised_since = earliest
    row.retired_at = row.retired_at or now
    result = Containment(kid=kid, since=earliest)
    # Read by boards on the verify page: what happened, without the key's long id
    # (it is in the audit event).
    reason = (
        f"The key that signed it may have been used by someone else since "
        f"{earliest:%Y-%m-%d %H:%M} UTC."
    )
    for certificate in _signed_since(db, kid, earliest):
        if certificate.superseded_at is None:
            replacement = services.reissue_certificate(db, certificate, issuer, None, reason)
            result.replaced.append((certificate.id, replacement.id))
        else:
            result.revoked.append(certificate.id)
        services.revoke_certificate(db, certificate, reason, None)
    record_event(
        db,
        "signing_key.compromised",
        actor=None,
        target_type="signing_key",
        target_id=kid,
        since=iso_utc(earliest),
        reissued=[format_certificate_id(new) for _old, new in result.replaced],
        revoked=[format_certificate_id(old) for old, _new in result.replaced] + result.revoked,
        via="cli",
        operator=operator,
    )
    db.flush()
    return result


def _signed_since(db: Session, kid: str, since: datetime) -> list[Certificate]:
    return list(
        db.scalars(
            select(Certificate)
            .where(
                Certificate.key_id == kid,
                Certificate.issued_at >= since,
                Certificate.revoked_at.is_(None),
            )
            .order_by(Certificate.issued_at)
        )
    )
