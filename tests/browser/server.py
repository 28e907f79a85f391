"""The real app served on 127.0.0.1 for a real browser, with its own committed database.

The rest of the suite runs each test inside a transaction that is rolled back,
in the database ``TRAINER_TEST_DATABASE_URL`` names (or a temporary SQLite
file). A browser talks to a server thread over TCP, so its requests commit for
real: they get a database of their own, created here and dropped at the end.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask, got_request_exception
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session
from werkzeug.serving import BaseWSGIServer, make_server

from tests.conftest import app_settings
from trainer import create_app
from trainer import db as trainer_db
from trainer.migrate import upgrade

#: Browser tests sign in and look up certificates far more often from one address
#: than a person would; the limits themselves are tested in tests/accounts and
#: tests/certificates.
GENEROUS_LIMITS = {
    "LOGIN_RATE_LIMIT": "1000 per minute",
    "LOGIN_PER_ACCOUNT_RATE_LIMIT": "1000 per minute",
    "VERIFY_RATE_LIMIT": "1000 per minute",
    "VERIFICATIONS_RATE_LIMIT": "1000 per minute",
}


def live_database_url(tmp: Path) -> str:
    """A database for the live server alone: beside the test database, never inside it."""
    test_url = os.environ.get("TRAINER_TEST_DATABASE_URL")
    if not test_url:
        return f"sqlite:///{tmp / 'live.db'}"
    url = make_url(test_url)
    name = f"{url.database}_live"
    if not re.fullmatch(r"[A-Za-z0-9_]{1,63}", name):
        raise ValueError(f"cannot derive a database name from {url.database!r}")
    return url.set(database=name).render_as_string(hide_password=False)


def _postgres_admin(url: str, action: str) -> None:
    """Create (afresh) or drop the live PostgreSQL database."""
    import psycopg
    from psycopg import sql

    parsed = make_url(url)
    admin = parsed.set(drivername="postgresql", database="postgres")
    name = sql.Identifier(parsed.database or "")
    conninfo = admin.render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True, connect_timeout=5) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        if action == "create":
            connection.execute(sql.SQL("CREATE DATABASE {}").format(name))


def _ports() -> list[int]:
    """Ports to try: ``TRAINER_TEST_PORTS`` (``5300-5349``), or any free one (0)."""
    wanted = os.environ.get("TRAINER_TEST_PORTS", "").strip()
    if not wanted:
        return [0]
    low, _, high = wanted.partition("-")
    return list(range(int(low), int(high or low) + 1))


def _bind() -> BaseWSGIServer:
    for port in _ports():
        try:
            # The app is attached once its base URL (with the port) is known.
            return make_server("127.0.0.1", port, _not_ready, threaded=True)
        except OSError:
            continue
    raise RuntimeError(f"no free port in TRAINER_TEST_PORTS={os.environ['TRAINER_TEST_PORTS']}")


def _not_ready(_environ: Any, start_response: Any) -> list[bytes]:
    start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
    return [b"starting"]


@dataclass
class LiveServer:
    """A running server: its address, its app, and the errors its requests raised."""

    url: str
    app: Flask
    errors: list[BaseException] = field(default_factory=list)

    def record_error(self, _sender: Flask, exception: BaseException, **_extra: Any) -> None:
        self.errors.append(exception)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A database session in the live app's context; committed when the block ends."""
        with self.app.app_context():
            session = trainer_db.session()
            yield session
            session.commit()


@contextmanager
def serve(tmp: Path) -> Iterator[LiveServer]:
    """Start the server on a fresh database; stop it and drop the database afterwards."""
    database_url = live_database_url(tmp)
    postgres = database_url.startswith("postgresql")
    if postgres:
        _postgres_admin(database_url, "create")
    server = _bind()
    url = f"http://127.0.0.1:{server.server_port}"
    settings = app_settings(tmp / "instance", database_url, BASE_URL=url, **GENEROUS_LIMITS)
    # Errors go through the app's own error pages, as in production.
    settings["TESTING"] = False
    app = create_app(settings)
    upgrade(trainer_db.database(app).engine)
    live = LiveServer(url, app)
    got_request_exception.connect(live.record_error, app, weak=False)
    server.app = app
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield live
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        trainer_db.database(app).engine.dispose()
        if postgres:
            _postgres_admin(database_url, "drop")
