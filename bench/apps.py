"""The baseline: a bare Flask endpoint, served by the same server with the same settings."""

from flask import Flask

bare = Flask(__name__)


@bare.get("/")
def hello() -> str:
    return "ok"


def trainer_without_rate_limits():  # a gunicorn app factory
    """The real app with rate limits off, for benchmarks that send thousands of lookups."""
    from trainer import create_app

    return create_app({"RATELIMIT_ENABLED": False})
