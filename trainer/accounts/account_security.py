"""The account page's security sections: devices, second factor, tokens, recent events.

Kept apart from the profile sections (name, licence, region) that other work extends.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy.orm import Session

from trainer.accounts import mfa
from trainer.accounts.auth_events import ACTIONS, LABELS, events_for
from trainer.accounts.devices import describe_user_agent, device_name
from trainer.accounts.forms import TokenForm
from trainer.accounts.scopes import scopes_for
from trainer.models import AuditEvent, User

#: Roles whose work needs the JSON API; learners use the site and see no token form.
TOKEN_ROLES = ("org_admin", "verifier", "admin")
RECENT_EVENTS = 20


SCOPE_LABELS = {
    "full": _l("Everything your role allows"),
    "read": _l("Read only"),
    "learner": _l("Learn and take assessments"),
    "org_admin": _l("Manage your organisation: enrol, assign, reports"),
    "verifier": _l("Verify certificates in bulk"),
}


def token_form(user: User, **kwargs: Any) -> TokenForm:
    """The token form with the scopes ``user``'s role may give and the longest lifetime."""
    form = TokenForm(**kwargs)
    form.scope.choices = [(s, SCOPE_LABELS[s]) for s in scopes_for(user.role)]
    if form.days.data is None:
        form.days.data = current_app.config["API_TOKEN_DAYS"]
    return form


def needs_api_tokens(user: User) -> bool:
    return user.role in TOKEN_ROLES


def session_device(user_agent: str) -> str:
    return device_name(describe_user_agent(user_agent or ""))


def event_row(event: AuditEvent) -> dict[str, Any]:
    """One event as the account and admin pages show it: when, what, from where."""
    detail = event.detail or {}
    device = detail.get("device")
    return {
        "at": event.at,
        "action": event.action,
        "label": LABELS.get(event.action, event.action),
        "warning": ACTIONS.get(event.action, False),
        "device": device_name(device) if isinstance(device, dict) else "",
        "network": detail.get("network", ""),
        "target_id": event.target_id,
        "actor_id": event.actor_id,
    }


def security_context(db: Session, user: User) -> dict[str, Any]:
    from trainer.accounts.mfa_views import DisableForm

    return {
        "session_device": session_device,
        "show_tokens": needs_api_tokens(user),
        "mfa_enabled": mfa.enabled(user),
        "mfa_required": mfa.required_for(user),
        "recovery_codes_left": mfa.recovery_codes_left(db, user) if mfa.enabled(user) else 0,
        "mfa_disable_form": DisableForm(formdata=None),
        "plain_form": FlaskForm(formdata=None),
        "security_events": [event_row(e) for e in events_for(db, user.id, limit=RECENT_EVENTS)],
        "token_form": token_form(user, formdata=None),
        "scope_labels": SCOPE_LABELS,
    }
