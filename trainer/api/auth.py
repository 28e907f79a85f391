"""Bearer-token authentication for the JSON API."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import Response, g, request

from trainer import db
from trainer.accounts import scopes
from trainer.accounts.services import TokenUse, record_token_use, user_for_api_token
from trainer.api import bp
from trainer.api.errors import ApiError
from trainer.models import User

P = ParamSpec("P")
R = TypeVar("R")


def bearer_token() -> str | None:
    """The token of the request's ``Authorization: Bearer`` header, if it has one."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def bearer_user() -> User | None:
    """The user of the request's ``Authorization: Bearer`` token, or None."""
    if "api_user" not in g:
        token = bearer_token()
        user = None
        if token is not None:
            user, use = user_for_api_token(db.session(), token)
            if user is None:
                raise ApiError(
                    401, "invalid_token", "The API token is unknown, expired or revoked."
                )
            signed_in_with_token(user, use)
        g.api_user = user
    return g.api_user


def signed_in_with_token(user: User, use: TokenUse | None) -> None:
    """Make ``user`` the request's API user, and record the token's use if due.

    The use is written in the request's transaction, which costs nothing more
    when the view commits; :func:`keep_token_use` writes it on its own when the
    view answered without committing (a read).
    """
    if not any(scopes.allows(s, request.endpoint) for s in scopes.scopes_for(user.role)):
        # No token of this role could do it: the role is what is missing.
        raise ApiError(403, "forbidden", "Your role does not allow this.")
    if not scopes.allows(user.token_scope or scopes.FULL, request.endpoint):
        message = (
            f"This token's scope ({user.token_scope}) does not allow this; "
            f"it needs {scopes.needed(request.endpoint)}."
        )
        raise ApiError(403, "insufficient_scope", message)
    g.api_user = user
    if use is not None:
        record_token_use(db.session(), use)
        g.api_token_use = use


@bp.after_app_request
def keep_token_use(response: Response) -> Response:
    use = g.pop("api_token_use", None)
    if use is not None and db.session().in_transaction():
        # The view's own work is dropped as the request ends, as always without
        # a commit; the token's use is kept.
        session = db.session()
        session.rollback()
        record_token_use(session, use)
        session.commit()
    return response


def require_bearer_user() -> User:
    """The request's API user; a JSON 401 without a token."""
    user = bearer_user()
    if user is None:
        message = "Send an API token: 'Authorization: Bearer <token>'."
        raise ApiError(401, "unauthenticated", message)
    return user


def api_login_required(view: Callable[P, R]) -> Callable[P, R]:
    """Require a valid bearer token."""

    @wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        require_bearer_user()
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
