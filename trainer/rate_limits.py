"""Rate limits shared between routes, and the message a client gets when one is hit.

Signing in through the form and asking the API for a token are one door: they
share a count per client address and a count per account, so an attacker
cannot double the guesses by using both. Likewise, the verify page and the
verify API share one count per client address.
"""

from __future__ import annotations

import ipaddress
import time

from flask import current_app, request
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_limiter import RateLimitExceeded
from flask_login import current_user
from limits import parse_many

from trainer.extensions import limiter


def client_address_key() -> str:
    """Who a per-address limit counts: the IPv4 address, or the IPv6 /64 network.

    One IPv6 subscriber is usually given a whole /64 (RFC 6177), 2^64 addresses
    to rotate through, so counting each address alone would count nothing. An
    IPv4 address written as IPv6 (``::ffff:192.0.2.1``) counts as itself. The
    address is the one Werkzeug reports, after ProxyFix when
    ``TRAINER_TRUSTED_PROXIES`` is set. Every per-address limit uses this key;
    its name is part of the module's interface.
    """
    address = request.remote_addr or "127.0.0.1"
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{parsed}/64", strict=False))
    return str(parsed)


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
# Registration runs argon2 (a fraction of a second of CPU) for anyone who asks.
# Per address (IPv6 /64), high enough for a classroom registering behind one NAT.
register_per_client = limiter.shared_limit(
    lambda: current_app.config["REGISTER_RATE_LIMIT"], scope="register", methods=["POST"]
)
verify_per_client = limiter.shared_limit(
    lambda: current_app.config["VERIFY_RATE_LIMIT"], scope="verify"
)


def verifier_key() -> str:
    """The verifier making a batch check: by API token or by the signed-in page alike."""
    from trainer.api.auth import bearer_user  # the API package imports this module

    user = bearer_user() if "Authorization" in request.headers else None
    if user is None and current_user.is_authenticated:
        user = current_user
    return f"verifier:{user.id}" if user is not None else "anonymous"


# Batch verification, by the CSV page and the API together: per verifier, and
# per client address (several verifier accounts on one machine count once).
batch_per_verifier = limiter.shared_limit(
    lambda: current_app.config["VERIFICATIONS_RATE_LIMIT"],
    scope="verifications",
    key_func=verifier_key,
    methods=["POST"],
)
batch_per_client = limiter.shared_limit(
    lambda: current_app.config["VERIFICATIONS_PER_CLIENT_RATE_LIMIT"],
    scope="verifications-client",
    methods=["POST"],
)


def charge_licence_lookups(count: int) -> str | None:
    """Count ``count`` licence lookups against the verifier's allowance; why not, or None.

    A licence lookup answers with the licensee's name, and licence numbers are
    short and often sequential: 50,000 guesses in one batch found names. Looking
    up certificate ids (128 random bits) costs nothing here; licence numbers
    cost one each, all or none of a batch.
    """
    if count == 0:
        return None
    key = f"licence-lookups/{verifier_key()}"
    limits = parse_many(current_app.config["LICENCE_LOOKUP_RATE_LIMIT"])
    strategy = limiter.limiter
    for item in limits:
        if not strategy.test(item, key, cost=count):
            remaining = strategy.get_window_stats(item, key).remaining
            return ngettext(
                "Too many licence lookups: at most %(limit)d per %(period)s for each verifier, "
                "and %(num)d is left. Send fewer licence numbers, or look up certificate ids, "
                "which have no such limit.",
                "Too many licence lookups: at most %(limit)d per %(period)s for each verifier, "
                "and %(num)d are left. Send fewer licence numbers, or look up certificate ids, "
                "which have no such limit.",
                remaining,
                limit=item.amount,
                period=_period(item.get_expiry()),
            )
    for item in limits:
        strategy.hit(item, key, cost=count)
    return None


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
