"""Rate limits shared between routes, and the message a client gets when one is hit.

Signing in through the form and asking the API for a token are one door: they
share a count per client address and a count per account, so an attacker
cannot double the guesses by using both. Likewise, the verify page and the
verify API share one count per client address.
"""

from __future__ import annotations

import time

from flask import current_app, request
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_limiter import RateLimitExceeded

from trainer.extensions import limiter


def _normalised_email(value: object) -> str:
    return value.strip().lower() if isinstance(value, str) else ""


def signing_in_account() -> str:
    """The account a sign-in attempt names, from the form or the JSON body alike."""
    email = request.form.get("email") if request.form else None
    if email is None:
        body = request.get_json(silent=True)
        email = body.get("email") if isinstance(body, dict) else None
    return "account:" + _normalised_email(email)


sign_in_per_client = limiter.shared_limit(
    lambda: current_app.config["LOGIN_RATE_LIMIT"], scope="sign-in", methods=["POST"]
)
sign_in_per_account = limiter.shared_limit(
    lambda: current_app.config["LOGIN_PER_ACCOUNT_RATE_LIMIT"],
    scope="sign-in-account",
    methods=["POST"],
    key_func=signing_in_account,
)
verify_per_client = limiter.shared_limit(
    lambda: current_app.config["VERIFY_RATE_LIMIT"], scope="verify"
)


def _period(seconds: int) -> str:
    """A limit's window in words: "minute", "2 seconds", "hour"."""
    if seconds % 86400 == 0:
        days = seconds // 86400
        return _("day") if days == 1 else ngettext("%(num)d day", "%(num)d days", days)
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return _("hour") if hours == 1 else ngettext("%(num)d hour", "%(num)d hours", hours)
    if seconds % 60 == 0:
        minutes = seconds // 60
        return (
            _("minute") if minutes == 1 else ngettext("%(num)d minute", "%(num)d minutes", minutes)
        )
    return _("second") if seconds == 1 else ngettext("%(num)d second", "%(num)d seconds", seconds)


def rate_limit_message(error: RateLimitExceeded) -> str:
    """Which limit was hit and how long to wait, in words (Retry-After says it to machines)."""
    item = error.limit.limit
    current = limiter.current_limit
    wait = max(1, int(current.reset_at - time.time())) if current is not None else 0
    message = _(
        "Too many attempts: at most %(amount)d per %(period)s.",
        amount=item.amount,
        period=_period(item.get_expiry()),
    )
    if wait:
        message += " " + ngettext(
            "Try again in %(num)d second.", "Try again in %(num)d seconds.", wait
        )
    return message
