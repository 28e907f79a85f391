"""Recording audit events. Callers flush; the view commits with its other changes."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from trainer.models import AuditEvent, User


def record_event(
    db: Session,
    action: str,
    *,
    actor: User | None,
    target_type: str | None = None,
    target_id: object = None,
    organisation_id: int | None = None,
    **detail: Any,
) -> AuditEvent:
    """Add an audit event (``action`` like ``"certificate.revoke"``) to the session."""
    event = AuditEvent(
        action=action,
        actor_id=actor.id if actor else None,
        target_type=target_type,
        target_id=None if target_id is None else str(target_id),
        organisation_id=organisation_id,
        detail=detail,
    )
    db.add(event)
    return event
