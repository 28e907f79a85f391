"""Rate limits shared between routes, and the message a client gets when one is hit.

Signing in through the form and asking the API for a token are one door: they
share a count per client address and a count per account, so an attacker
cannot double the guesses by using both. Likewise, the verify page and the
verify API share one count per client address.
"""

from __future__ import annotations

import time

from flask import current_app, request
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
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds % size == 0:
            count = seconds // size
            return unit if count == 1 else f"{count} {unit}s"
    return "second" if seconds == 1 else f"{seconds} seconds"


def rate_limit_message(error: RateLimitExceeded) -> str:
    """Which limit was hit and how long to wait, in words (Retry-After says it to machines)."""
    item = error.limit.limit
    current = limiter.current_limit
    wait = max(1, int(current.reset_at - time.time())) if current is not None else 0
    message = f"Too many attempts: at most {item.amount} per {_period(item.get_expiry())}."
    if wait:
        message += f" Try again in {wait} second{'s' if wait != 1 else ''}."
    return message
