"""Serving the app with gunicorn from ``trainer serve``."""

from __future__ import annotations

from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger

from trainer.redaction import redact_secrets


class RedactingLogger(Logger):  # type: ignore[misc]
    """Gunicorn's logger, with reset links and secret parameters redacted from the access log.

    The request line, path, query and referrer all can carry a reset token (the
    reset page's own requests send it as their referrer).
    """

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        for key, value in atoms.items():
            if isinstance(value, str):
                atoms[key] = redact_secrets(value)
        return atoms


class GunicornServer(BaseApplication):  # type: ignore[misc]
    """Run an already-built Flask app under gunicorn with the given settings."""

    def __init__(self, app: Flask, options: dict[str, Any]) -> None:
        self.application = app
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        self.cfg.set("logger_class", RedactingLogger)
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        return self.application
