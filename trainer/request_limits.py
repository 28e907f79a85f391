"""How large a request body may be: the site's limit, or a view's own for its uploads.

A view's limit is applied before anything reads the body (CSRF protection reads
every form), so an upload over it is refused with 413 and the view's message
without being read or stored.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Flask, current_app, request
from flask_babel import gettext as _

F = TypeVar("F", bound=Callable[..., object])

#: Room for the multipart envelope (boundaries, the CSRF field) around an uploaded file.
MULTIPART_OVERHEAD = 64 * 1024


def upload_limit(max_bytes: int, message: Callable[[], str]) -> Callable[[F], F]:
    """Let this view's requests be up to ``max_bytes``; larger ones get 413 with ``message()``.

    Put it directly under the route decorator, like :func:`trainer.db.writes_on_get`.
    """

    def mark(view: F) -> F:
        view.upload_limit = (max_bytes, message)  # type: ignore[attr-defined]
        return view

    return mark


def _view_limit() -> tuple[int, Callable[[], str]] | None:
    view = current_app.view_functions.get(request.endpoint or "")
    return getattr(view, "upload_limit", None)


def too_large_message() -> str:
    """What a 413 says: the view's own message, or the site's limit in megabytes."""
    limit = _view_limit()
    if limit is not None:
        return limit[1]()  # called here, so that it speaks the page's language
    megabytes = (current_app.config["MAX_CONTENT_LENGTH"] or 0) // 2**20
    return _(
        "The request is too large: at most %(megabytes)d MB. Send a smaller file, or split it "
        "into several.",
        megabytes=megabytes,
    )


def init_request_limits(app: Flask) -> None:
    """Register before CSRF protection, so that the limit holds before any form is parsed."""

    @app.before_request
    def _apply_view_limit() -> None:
        limit = _view_limit()
        if limit is not None:
            request.max_content_length = limit[0]
