"""Flask extensions, created once and bound to each app by ``create_app``."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask
from flask.globals import request_ctx
from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()
login_manager = LoginManager()
babel = Babel()
# The storage comes from RATELIMIT_STORAGE_URI: memory for one process,
# Redis when several processes must share the counts.
limiter = Limiter(key_func=lambda: _client_address_key(), default_limits=[], headers_enabled=True)


def _client_address_key() -> str:
    from trainer.rate_limits import client_address_key  # IPv6 by /64; it imports this module

    return client_address_key()


T = TypeVar("T")


def init_rate_limits(app: Flask) -> None:
    """Rate limits on the routes that declare them (sign-in, tokens, verification, resets).

    Flask-Limiter also runs hooks around every request, for application-wide
    and default limits and for its headers. Trainer sets no such limits, so on
    every other route the hooks only cost time (about a tenth of a millisecond
    a request, see bench/RESULTS.md); they are left out, or run only after a
    limit was checked. Route limits do not need them: each is checked by its
    decorator as the route runs.
    """
    limiter.init_app(app)
    manager = limiter.limit_manager
    if manager.application_limits or manager.default_limits or app.config.get("RATELIMIT_META"):
        return
    before = app.before_request_funcs.get(None, [])
    before[:] = [hook for hook in before if hook != limiter._check_request_limit]
    # Its response and tear-down hooks (rate-limit headers, Retry-After) have
    # work only when a limit was checked, which leaves its state on the request.
    after = app.after_request_funcs.get(None, [])
    after[:] = [_when_rate_limited(hook) if _is_limiter_hook(hook) else hook for hook in after]
    teardown = app.teardown_request_funcs.get(None, [])
    teardown[:] = [_when_rate_limited(h) if _is_limiter_hook(h) else h for h in teardown]


def _is_limiter_hook(hook: Any) -> bool:
    function = getattr(hook, "func", hook)  # the response hook is a functools.partial
    return getattr(function, "__module__", "").startswith("flask_limiter")


def _when_rate_limited(hook: Callable[[T], T]) -> Callable[[T], T]:
    @wraps(getattr(hook, "func", hook))
    def run(value: T) -> T:
        if hasattr(request_ctx._get_current_object(), "_limiter_request_context"):
            return hook(value)
        return value

    return run
