"""How much JSON a request may send, and how deeply nested, checked before anything parses it.

Flask would parse any JSON body up to the site's upload limit (16 MB, seconds of
CPU each, for anyone who asks), and a body nested a few thousand levels deep
made the parser, or the first code to walk the result, raise RecursionError: a
500. Here every JSON request meets its route's size limit first (413, checked
against Content-Length before a byte is read, and against the bytes themselves
for a chunked body), then the parse runs once with its depth bounded (400). The
parsed value is cached on the request, so views and rate-limit keys that call
``request.get_json`` later do not parse again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from flask import Flask, current_app, request
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge

if TYPE_CHECKING:
    from trainer.api.errors import ApiError

F = TypeVar("F", bound=Callable[..., object])

#: A route's JSON body, unless it says otherwise: room for any ordinary request.
DEFAULT_JSON_LIMIT = 32 * 1024
#: Arrays and objects inside one another; no request of this API needs more than five.
MAX_JSON_DEPTH = 16


def json_limit(max_bytes: int) -> Callable[[F], F]:
    """Let this view accept a JSON body of up to ``max_bytes`` (put it under the route line)."""

    def mark(view: F) -> F:
        view.json_limit = max_bytes  # type: ignore[attr-defined]
        return view

    return mark


def route_json_limit() -> int:
    view = current_app.view_functions.get(request.endpoint or "")
    return getattr(view, "json_limit", None) or current_app.config["JSON_BODY_LIMIT"]


def json_depth(value: Any) -> int:
    """How deeply arrays and objects nest in ``value`` (a scalar is 0), without recursion."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        current, depth = stack.pop()
        if isinstance(current, dict):
            children: Any = current.values()
        elif isinstance(current, list):
            children = current
        else:
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children)
    return deepest


def _too_large(limit: int) -> ApiError:
    from trainer.api.errors import ApiError  # the API package imports this module

    return ApiError(
        413,
        "too_large",
        _(
            "The JSON body is too large: this address accepts at most %(kilobytes)d KB. "
            "Send less in each request, or split it into several.",
            kilobytes=limit // 1024,
        ),
    )


def _too_deep() -> ApiError:
    from trainer.api.errors import ApiError

    return ApiError(
        400,
        "too_deep",
        _(
            "The JSON body nests arrays and objects more than %(depth)d levels deep. "
            "No request needs that many: send a flatter body.",
            depth=MAX_JSON_DEPTH,
        ),
    )


def check_json_body() -> None:
    """Refuse a JSON body over the route's limit (413) or nested too deeply (400)."""
    if not request.is_json:
        return
    limit = route_json_limit()
    if request.content_length is not None and request.content_length > limit:
        raise _too_large(limit)
    request.max_content_length = limit  # a chunked body stops being read at the limit
    try:
        request.get_data(cache=True)
    except RequestEntityTooLarge:
        raise _too_large(limit) from None
    try:
        body = request.get_json(silent=True)
    except RecursionError:
        raise _too_deep() from None
    if json_depth(body) > MAX_JSON_DEPTH:
        raise _too_deep()


def init_json_limits(app: Flask) -> None:
    """Register before every hook that reads the body (the NUL check, CSRF, rate-limit keys)."""
    app.config.setdefault("JSON_BODY_LIMIT", DEFAULT_JSON_LIMIT)
    app.before_request(check_json_body)
