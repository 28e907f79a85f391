"""Throw-away databases beside the test database, for tests that need a site of their own.

On PostgreSQL a new database on the same server is named after the test database
with a suffix, created empty and dropped at the end; on SQLite it is a file in
the test's temporary folder.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.engine import make_url


def _admin(url: str) -> str:
    return make_url(url).set(drivername="postgresql", database="postgres").render_as_string(False)


@contextmanager
def scratch_database(test_url: str, suffix: str, folder: Path) -> Iterator[str]:
    """The address of a new, empty database; dropped (PostgreSQL) when the block ends."""
    if test_url.startswith("sqlite"):
        folder.mkdir(parents=True, exist_ok=True)
        yield f"sqlite:///{folder / 'trainer.db'}"
        return
    import psycopg  # only the PostgreSQL run needs the driver (the ``postgres`` extra)

    parsed = make_url(test_url)
    name = f"{parsed.database}_{suffix}"
    with psycopg.connect(_admin(test_url), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield parsed.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(_admin(test_url), autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
