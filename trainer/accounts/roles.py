"""Access checks, one decorator per check.

HTML views send anonymous users to the login page and answer 403 to the wrong
role. API views (see ``trainer.api.auth``) answer JSON 401 and 403 instead.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import abort
from flask_login import current_user, login_required

P = ParamSpec("P")
R = TypeVar("R")

__all__ = ["login_required", "roles_required"]


def roles_required(*roles: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Allow signed-in users holding one of ``roles`` (site admins hold every role)."""

    def decorator(view: Callable[P, R]) -> Callable[P, R]:
        @wraps(view)
        @login_required
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
