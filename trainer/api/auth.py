"""Bearer-token authentication for the JSON API."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import g, request

from trainer import db
from trainer.accounts.services import user_for_api_token
from trainer.api.errors import ApiError
from trainer.models import User

P = ParamSpec("P")
R = TypeVar("R")


def bearer_user() -> User | None:
    """The user of the request's ``Authorization: Bearer`` token, or None."""
    if "api_user" not in g:
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        user = None
        if scheme.lower() == "bearer" and token.strip():
            user = user_for_api_token(db.session(), token.strip())
            if user is None:
                raise ApiError(401, "invalid_token", "The API token is unknown or revoked.")
        g.api_user = user
    return g.api_user


def api_login_required(view: Callable[P, R]) -> Callable[P, R]:
    """Require a valid bearer token."""

    @wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        if bearer_user() is None:
            raise ApiError(
                401, "unauthenticated", "Send an API token: 'Authorization: Bearer <token>'."
            )
        return view(*args, **kwargs)

    return wrapped


def api_roles_required(*roles: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Require a bearer token whose user holds one of ``roles`` (admins hold every role)."""

    def decorator(view: Callable[P, R]) -> Callable[P, R]:
        @wraps(view)
        @api_login_required
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
            user = bearer_user()
            if user is None or not user.has_role(*roles):
                raise ApiError(403, "forbidden", f"This needs the role {' or '.join(roles)}.")
            return view(*args, **kwargs)

        return wrapped

    return decorator
