"""Engine and session setup.

One request, one session, one commit: views call :func:`session` and commit
once at the end; services only ``flush()``. The session is removed when the
application context ends, which rolls back anything left uncommitted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import Engine, Select, create_engine, event
from sqlalchemy.orm import Session, scoped_session, sessionmaker

from trainer.file_modes import private_sqlite_file

EXTENSION_KEY = "trainer.db"
F = TypeVar("F", bound=Callable[..., Any])


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine with the settings each backend needs to be safe under load."""
    if url.startswith("sqlite"):
        return _sqlite_engine(url, **kwargs)
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _sqlite_engine(url: str, **kwargs: Any) -> Engine:
    private_sqlite_file(url)  # mode 0600 before SQLite creates it with the umask's
    # The busy timeout makes a writer wait for the lock instead of failing.
    engine = create_engine(url, connect_args={"timeout": 15}, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin,
        # so that savepoints work and BEGIN can be IMMEDIATE (below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if ":memory:" not in url:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A transaction that may write takes the write lock at BEGIN, so it never
        # has to upgrade a read lock later, which SQLite refuses with "database
        # is locked" instead of waiting. Page views only read: they begin
        # deferred and never queue behind writers (WAL lets them read meanwhile).
        # Straight to the driver: this runs on every request, and going through
        # SQLAlchemy's statement execution would cost as much as the query after it.
        connection.connection.driver_connection.execute(
            "BEGIN IMMEDIATE" if _may_write() else "BEGIN"
        )

    return engine


def _may_write() -> bool:
    """False only for transactions that cannot write.

    Those are: requests with a safe method and no API token (a token's last use
    is recorded, so token requests count as writes), and the first transaction
    of a view marked :func:`reads_first`.
    """
    if not has_request_context():
        return True  # commands, services and tests outside a request
    if g.get("trainer_writing"):
        return True
    view = current_app.view_functions.get(request.endpoint or "")
    if getattr(view, "reads_first", False):
        return False
    if request.method not in ("GET", "HEAD", "OPTIONS") or "Authorization" in request.headers:
        return True
    return getattr(view, "writes_on_get", False)


def writes_on_get(view: F) -> F:
    """Mark a GET view that writes (an audit record), so its transaction begins IMMEDIATE.

    Put it directly under the route decorator, above any other decorator.
    """
    view.writes_on_get = True  # type: ignore[attr-defined]
    return view


def reads_first(view: F) -> F:
    """Mark a view that reads, then does slow work, then writes: a sign-in.

    Checking a password with argon2 takes a good part of a second. Inside a
    transaction begun IMMEDIATE it would hold SQLite's write lock all that time,
    and under load every other writer would queue behind it until some gave up
    with "database is locked". So the view's first transaction begins deferred
    (a WAL reader blocks no one), and the view calls :func:`end_reading` before
    it writes. Put it directly under the route decorator, like :func:`writes_on_get`.
    """
    view.reads_first = True  # type: ignore[attr-defined]
    return view


def end_reading(session: Session) -> None:
    """End a :func:`reads_first` view's reading; the transaction that follows may write."""
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("end_reading() after a change: write after it, not before")
    session.commit()  # nothing to write: this only ends the read transaction
    g.trainer_writing = True


class Database:
    """The engine and the request-scoped session registry of one app."""

    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)
        self.sessions = scoped_session(
            sessionmaker(bind=self.engine, expire_on_commit=False),
            scopefunc=_app_context_id,
        )

    def init_app(self, app: Flask) -> None:
        app.extensions[EXTENSION_KEY] = self
        app.teardown_appcontext(self._remove_session)

    def _remove_session(self, _exc: BaseException | None) -> None:
        self.sessions.remove()


def _app_context_id() -> int:
    # `g` is unique per application context, so each request gets its own session.
    return id(g._get_current_object())


class DriverQuery:
    """A hot, simple read: compiled once per database, run on the driver's own cursor.

    Going through SQLAlchemy's statement execution costs ten times what a small
    indexed query costs SQLite itself, about a tenth of a millisecond, which
    matters on the pages everyone reads. The query still runs in the session's
    transaction, on its connection. Only for columns the driver returns as they
    are (text, integers): no SQLAlchemy type converts the results.
    """

    def __init__(self, statement: Select[Any]) -> None:
        self.statement = statement
        self._compiled: dict[str, tuple[str, tuple[str, ...] | None]] = {}

    def rows(self, db: Session, **params: Any) -> list[tuple[Any, ...]]:
        connection = db.connection()
        sql, order = self._compiled.get(connection.dialect.name) or self._compile(connection)
        cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(sql, params if order is None else tuple(params[k] for k in order))
            return list(cursor.fetchall())
        finally:
            cursor.close()

    def _compile(self, connection: Any) -> tuple[str, tuple[str, ...] | None]:
        compiled = self.statement.compile(dialect=connection.dialect)
        order = tuple(compiled.positiontup) if compiled.positional else None  # type: ignore[arg-type]
        self._compiled[connection.dialect.name] = (str(compiled), order)
        return str(compiled), order


def database(app: Flask | None = None) -> Database:
    """The :class:`Database` of ``app`` (default: the current app)."""
    return (app or current_app).extensions[EXTENSION_KEY]


def session() -> Session:
    """The session of the current request or CLI command."""
    return database().sessions()
