"""Authentication events: written to the audit trail and to the ``trainer.auth`` log.

Every event names the account it concerns (``target_type="user"``), so its
owner sees it on the account page and site admins on ``/admin/security-events``.
Only facts go in: never a password, token, reset link, TOTP or recovery code.
The detail holds the client's network (see :mod:`trainer.accounts.signin_limits`)
and a readable device name, nothing the client typed.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import has_request_context, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from trainer.accounts.devices import describe_user_agent
from trainer.accounts.signin_limits import client_network
from trainer.audit import record_event
from trainer.models import AuditEvent, User

log = logging.getLogger("trainer.auth")

#: Every authentication event, and whether its owner should take it as a warning.
ACTIONS: dict[str, bool] = {
    "auth.sign_in": False,
    "auth.sign_in_failed": True,
    "auth.lockout": True,
    "auth.mfa_failed": True,
    "auth.mfa_enabled": False,
    "auth.mfa_disabled": True,
    "auth.recovery_code_used": True,
    "auth.password_changed": False,
    "auth.password_reset_requested": False,
    "auth.password_reset": False,
    "auth.token_created": False,
    "auth.token_revoked": False,
    "auth.role_changed": False,
    "auth.account_disabled": True,
    "auth.account_enabled": False,
    "auth.registration_repeated": True,
}


#: What each event is called on the account page and the admin page.
LABELS = {
    "auth.sign_in": _l("Signed in"),
    "auth.sign_in_failed": _l("Failed sign-in"),
    "auth.lockout": _l("Sign-in blocked after repeated failures"),
    "auth.mfa_failed": _l("Wrong second-factor code"),
    "auth.mfa_enabled": _l("Second factor turned on"),
    "auth.mfa_disabled": _l("Second factor turned off"),
    "auth.recovery_code_used": _l("Recovery code used"),
    "auth.password_changed": _l("Password changed"),
    "auth.password_reset_requested": _l("Password reset asked for"),
    "auth.password_reset": _l("Password set with a reset link"),
    "auth.token_created": _l("API token created"),
    "auth.token_revoked": _l("API token revoked"),
    "auth.role_changed": _l("Role changed"),
    "auth.account_disabled": _l("Account disabled"),
    "auth.account_enabled": _l("Account enabled"),
    "auth.registration_repeated": _l("Someone tried to register with this address"),
}


def record_auth_event(
    db: Session,
    action: str,
    user: User | None,
    *,
    actor: User | None = None,
    network: str | None = None,
    user_agent: str | None = None,
    **detail: Any,
) -> AuditEvent | None:
    """Record ``action`` about ``user`` (the actor defaults to the user themselves)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown authentication event {action!r}")
    facts = dict(detail)
    if has_request_context():  # the CLI has no client to name
        network = network or client_network(request.remote_addr)
        user_agent = request.user_agent.string if user_agent is None else user_agent
    if network:
        facts["network"] = network
    if user_agent is not None:
        facts["device"] = describe_user_agent(user_agent)
    log.log(
        logging.WARNING if ACTIONS[action] else logging.INFO,
        "%s user=%s %s",
        action,
        user.id if user is not None else "-",
        " ".join(f"{key}={value}" for key, value in sorted(facts.items())),
    )
    if user is None:
        return None  # an unknown address: logged, but there is no account to file it under
    actor = actor if actor is not None else user
    event = record_event(
        db,
        action,
        actor=actor,
        target_type="user",
        target_id=user.id,
        organisation_id=user.organisation_id,
        **facts,
    )
    db.flush()
    return event


def events_for(db: Session, user_id: int | None = None, *, limit: int = 50) -> list[AuditEvent]:
    """The newest authentication events, of one account or of all."""
    query = (
        select(AuditEvent)
        .where(AuditEvent.action.in_(list(ACTIONS)))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(limit)
    )
    if user_id is not None:
        query = query.where(AuditEvent.target_type == "user", AuditEvent.target_id == str(user_id))
    return list(db.scalars(query))
