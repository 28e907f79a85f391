"""Consistent copies of a live database, and putting them back.

SQLite: never ``cp`` a database in WAL mode while it runs. Committed
transactions may still sit in ``trainer.db-wal``; a copy of the main file alone
misses them, and copying the two files one after the other can catch them in
different states. SQLite's online backup API copies a consistent snapshot
through SQLite itself while writers carry on, and writes a restore through
SQLite too, so a stale ``-wal`` file beside the target cannot be replayed
over the restored data.

PostgreSQL: ``pg_dump`` reads one snapshot inside a transaction, so its dump
is consistent while the site runs; ``pg_restore`` loads it in one transaction.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import Connection, inspect, text
from sqlalchemy.engine import make_url

from trainer.backup.archive import BackupError
from trainer.db import make_engine

#: Tables whose row counts go into the manifest and are compared after a restore.
COUNTED_TABLES = ("users", "module_completions", "attempts", "certificates", "signing_keys")


def sqlite_file(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up.")
    return Path(database)


def snapshot_sqlite(database: Path, target: Path) -> None:
    """Copy a consistent snapshot of a live database into the new file ``target``."""
    if not database.is_file():
        raise BackupError(f"There is no database at {database}.")
    source = sqlite3.connect(database, timeout=30)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)  # all pages in one step: one snapshot, writers not blocked
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        _check_integrity(copy, target)
    finally:
        copy.close()
        source.close()


def restore_sqlite(snapshot: Path, database: Path) -> None:
    """Write ``snapshot`` into ``database`` through SQLite (the site must be stopped)."""
    database.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{snapshot}?mode=ro", uri=True)
    target = sqlite3.connect(database, timeout=30)
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode=WAL")
        _check_integrity(target, database)
    finally:
        target.close()
        source.close()
    os.chmod(database, 0o600)


def _check_integrity(connection: sqlite3.Connection, path: Path) -> None:
    result = connection.execute("PRAGMA integrity_check").fetchone()[0]
    if result != "ok":
        raise BackupError(f"{path} failed SQLite's integrity check: {result}")


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """A libpq address without the password, and an environment that carries it."""
    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    plain = parsed.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} is not installed. Install the PostgreSQL client tools of the server's "
            "major version (Debian: postgresql-client)."
        )
    return path


def dump_postgres(url: str, target: Path) -> dict[str, int]:
    """Dump with pg_dump; return the row counts of the very snapshot it dumped.

    A repeatable-read transaction exports its snapshot; pg_dump reads the same
    one (``--snapshot``), so the counts in the manifest match the dump exactly
    even while the site keeps writing.
    """
    address, env = _libpq(url)
    command = [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges"]
    engine = make_engine(url)
    try:
        with engine.connect().execution_options(
            isolation_level="REPEATABLE READ", postgresql_readonly=True
        ) as connection:
            snapshot = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            counts = _counts(connection)
            _run(
                [*command, f"--snapshot={snapshot}", f"--file={target}", f"--dbname={address}"],
                env,
                "pg_dump",
            )
            connection.rollback()
    finally:
        engine.dispose()
    return counts


def restore_postgres(dump: Path, url: str, *, clean: bool) -> None:
    address, env = _libpq(url)
    command = [_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error"]
    if clean:
        command += ["--clean", "--if-exists"]
    _run([*command, "--single-transaction", f"--dbname={address}", str(dump)], env, "pg_restore")


def _run(command: list[str], env: dict[str, str], name: str) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{name} failed: {result.stderr.strip() or result.returncode}")


def table_counts(url: str) -> dict[str, int]:
    """Rows in the tables that matter most, for the manifest and the check after a restore."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return _counts(connection)
    finally:
        engine.dispose()


def _counts(connection: Connection) -> dict[str, int]:
    present = set(inspect(connection).get_table_names())
    return {
        table: connection.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one()  # noqa: S608
        for table in COUNTED_TABLES
        if table in present
    }


def has_tables(url: str) -> bool:
    """Does the database already hold a schema (restoring over it needs --force)?"""
    if url.startswith("sqlite") and not sqlite_file(url).exists():
        return False
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return bool(inspect(connection).get_table_names())
    finally:
        engine.dispose()


def schema_revision(url: str) -> str | None:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            if "alembic_version" not in inspect(connection).get_table_names():
                return None
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    finally:
        engine.dispose()
