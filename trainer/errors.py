"""Error pages: friendly HTML for people, JSON for API clients."""

from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_limiter import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError, RequestEntityTooLarge

from trainer.api.errors import ApiError, error_response
from trainer.rate_limits import rate_limit_message
from trainer.request_limits import too_large_message

log = logging.getLogger("trainer")

_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    429: "rate_limited",
    500: "internal_error",
}


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path.endswith(".json")


def init_error_handlers(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(error: ApiError) -> ResponseReturnValue:
        return error_response(error.status, error.code, error.message)

    @app.errorhandler(CSRFError)
    def _csrf_error(error: CSRFError) -> ResponseReturnValue:
        message = _("The form expired or was sent from elsewhere. Go back, reload and try again.")
        return _render(400, "bad_request", message)

    @app.errorhandler(RateLimitExceeded)
    def _rate_limited(error: RateLimitExceeded) -> ResponseReturnValue:
        # Flask-Limiter adds Retry-After (seconds) to the response after this.
        return _render(429, "rate_limited", rate_limit_message(error))

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> ResponseReturnValue:
        status = error.code or 500
        message = error.description or ""
        if status == 413 and message == RequestEntityTooLarge.description:
            message = too_large_message()  # Werkzeug's own words do not say what to do
        elif not wants_json() and message == type(error).description:
            # Werkzeug's stock wording is English only; the page's own title says it.
            message = ""
        return _render(status, _CODES.get(status, "error"), message)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> ResponseReturnValue:
        log.exception("Unhandled error on %s %s", request.method, request.path)
        return _render(500, "internal_error", InternalServerError.description)


def _render(status: int, code: str, message: str) -> tuple:
    if wants_json():
        return error_response(status, code, message), status
    return render_template("errors/error.html", status=status, message=message), status
