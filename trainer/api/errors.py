"""JSON errors for the API: ``{"error": {"code": ..., "message": ...}}``."""

from __future__ import annotations

from flask import Response, jsonify


class ApiError(Exception):
    """Raise from an API view to answer a JSON error with ``status``."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def error_response(status: int, code: str, message: str) -> Response:
    response = jsonify({"error": {"code": code, "message": message}})
    response.status_code = status
    return response
