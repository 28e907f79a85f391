"""JSON API v1. Views are thin: they call the same services as the HTML pages."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from trainer.api import certificates, learning, manage, openapi, orgs, quizzes, views  # noqa: E402,F401  (registers the routes)
