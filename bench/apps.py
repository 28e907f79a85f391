"""The baseline: a bare Flask endpoint, served by the same server with the same settings."""

from flask import Flask

bare = Flask(__name__)


@bare.get("/")
def hello() -> str:
    return "ok"
