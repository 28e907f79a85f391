"""Sign-in limits that count failures only, and keep the account's owner able to sign in.

The design (README "Sign-in, second factor and sessions"):

- Only failed sign-ins are counted: per client network (an IPv4 address, or the
  /64 an IPv6 address belongs to, since one home or phone gets a whole /64) and
  per account. A correct password never adds to a count.
- A client network over its limit is refused outright: it is the one guessing.
- An account over its limit is refused only to clients *not in good standing*.
  A client is in good standing for an account when this browser carries a
  device cookie from an earlier successful sign-in to it, or when its network
  signed in to it successfully within :data:`GOOD_STANDING`. So guesses from
  many addresses stop the guessers, but not the nurse on her usual laptop or
  the script on its usual server.
- The moment an account reaches its limit is a lock-out: it is logged and
  written to the audit trail, which the owner sees on the account page.

Form and API share these counts: they are one door. The counts live in the
rate limiter's storage (memory, or Redis shared by every process).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import time
from datetime import timedelta

from flask import Response, current_app, request
from flask_babel import gettext as _
from flask_babel import ngettext
from itsdangerous import BadSignature, URLSafeTimedSerializer
from limits import RateLimitItem, parse_many

from trainer.extensions import limiter
from trainer.rate_limits import _period

log = logging.getLogger("trainer.auth")

#: How long a network that signed in to an account stays in good standing for it.
GOOD_STANDING = timedelta(days=30)
DEVICE_COOKIE = "trainer_device"
#: A browser remembers the accounts that signed in on it for this long.
DEVICE_COOKIE_AGE = timedelta(days=90)
_DEVICE_ACCOUNTS = 5  # a shared computer: the last few accounts, not a growing list


class SignInLimited(Exception):
    """A sign-in refused by a failure limit, with how long to wait."""

    def __init__(self, item: RateLimitItem, wait: int) -> None:
        super().__init__(str(item))
        self.item = item
        self.wait = wait

    def message(self) -> str:
        text = _(
            "Too many attempts: at most %(amount)d per %(period)s.",
            amount=self.item.amount,
            period=_period(self.item.get_expiry()),
        )
        return (
            text
            + " "
            + ngettext("Try again in %(num)d second.", "Try again in %(num)d seconds.", self.wait)
        )


def client_network(address: str | None) -> str:
    """The network a client is counted by: its IPv4 address, or its IPv6 /64."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return address or "unknown"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


def request_network() -> str:
    return client_network(request.remote_addr)


def account_key(email: str) -> str:
    """A keyed digest of the normalised address: counts and cookies never hold the address."""
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, email.strip().lower().encode(), hashlib.sha256).hexdigest()[:32]


def _items(setting: str) -> list[RateLimitItem]:
    return parse_many(current_app.config[setting])


def _over(setting: str, *keys: str) -> SignInLimited | None:
    strategy = limiter.limiter
    for item in _items(setting):
        if not strategy.test(item, *keys):
            reset = strategy.get_window_stats(item, *keys).reset_time
            return SignInLimited(item, max(1, int(reset - time.time()) + 1))
    return None


def _prefix() -> str:
    # Flask-Limiter's own prefix (RATELIMIT_KEY_PREFIX), so that sites sharing
    # one Redis, or parallel test runs, never count each other's failures.
    return current_app.config.get("RATELIMIT_KEY_PREFIX") or "trainer"


def _client_keys() -> tuple[str, str, str]:
    return (_prefix(), "sign-in-failures-client", request_network())


def _account_keys(email: str) -> tuple[str, str, str]:
    return (_prefix(), "sign-in-failures-account", account_key(email))


def _enabled() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


def check(email: str) -> None:
    """Refuse (raise :class:`SignInLimited`) before the password is even checked."""
    if not _enabled():
        return
    refused = _over("LOGIN_RATE_LIMIT", *_client_keys())
    if refused is None and not in_good_standing(email):
        refused = _over("LOGIN_PER_ACCOUNT_RATE_LIMIT", *_account_keys(email))
    if refused is not None:
        raise refused


def record_failure(email: str) -> bool:
    """Count a failed sign-in; True when this failure started a lock-out of the account."""
    if not _enabled():
        return False
    strategy = limiter.limiter
    for item in _items("LOGIN_RATE_LIMIT"):
        strategy.hit(item, *_client_keys())
    started = False
    for item in _items("LOGIN_PER_ACCOUNT_RATE_LIMIT"):
        keys = _account_keys(email)
        was_open = strategy.test(item, *keys)
        strategy.hit(item, *keys)
        started = started or (was_open and not strategy.test(item, *keys))
    return started


def _standing_key(email: str) -> str:
    return f"{_prefix()}/sign-in-standing/{account_key(email)}/{request_network()}"


def record_success(email: str) -> None:
    """Put this client's network in good standing for the account."""
    if not _enabled():
        return
    limiter.storage.incr(_standing_key(email), int(GOOD_STANDING.total_seconds()))


def in_good_standing(email: str) -> bool:
    if account_key(email) in device_accounts():
        return True
    return limiter.storage.get(_standing_key(email)) > 0


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="trainer.device")


def device_accounts() -> list[str]:
    """The accounts (as keyed digests) that signed in on this browser recently."""
    cookie = request.cookies.get(DEVICE_COOKIE)
    if not cookie:
        return []
    try:
        accounts = _serializer().loads(cookie, max_age=int(DEVICE_COOKIE_AGE.total_seconds()))
    except BadSignature:
        return []
    return [a for a in accounts if isinstance(a, str)] if isinstance(accounts, list) else []


def remember_device(response: Response, email: str) -> None:
    """Mark this browser as one the account signed in on (a signed, HttpOnly cookie)."""
    key = account_key(email)
    accounts = [key, *(a for a in device_accounts() if a != key)][:_DEVICE_ACCOUNTS]
    response.set_cookie(
        DEVICE_COOKIE,
        _serializer().dumps(accounts),
        max_age=int(DEVICE_COOKIE_AGE.total_seconds()),
        httponly=True,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        samesite="Lax",
    )
