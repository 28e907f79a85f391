"""The instance folder is 0700; the SQLite database, its WAL and SHM, and the keys are 0600.

The penetration test found the SQLite file readable by every account on the machine.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import text

from tests.conftest import app_settings
from trainer import create_app
from trainer import db as trainer_db
from trainer.extensions import limiter
from trainer.file_modes import private_sqlite_file
from trainer.migrate import upgrade


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def usual_umask():
    previous = os.umask(0o022)  # what most systems give a service: files 0644, folders 0755
    yield
    os.umask(previous)


def test_a_new_instance_is_private(tmp_path, usual_umask, app: Flask):
    instance = tmp_path / "site" / "instance"
    database = instance / "trainer.db"
    fresh = create_app(app_settings(instance, f"sqlite:///{database}"))
    try:
        engine = trainer_db.database(fresh).engine
        upgrade(engine)
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE probe (x INTEGER)"))
            connection.execute(text("INSERT INTO probe VALUES (1)"))
            # While a connection is open, the WAL and shared-memory files exist.
            files = {p.name: mode(p) for p in instance.iterdir() if p.is_file()}
    finally:
        trainer_db.database(fresh).engine.dispose()
        limiter.init_app(app)  # one limiter per process: give it back to the suite's app
    assert mode(instance) == 0o700
    assert {"trainer.db", "trainer.db-wal", "trainer.db-shm", "secret_key",
            "signing-key.pem"} <= set(files)  # fmt: skip
    assert files == dict.fromkeys(files, 0o600), files


def test_an_existing_readable_database_is_reported(tmp_path, usual_umask, caplog):
    database = tmp_path / "old.db"
    database.write_bytes(b"")
    database.chmod(0o644)
    private_sqlite_file(f"sqlite:///{database}")
    assert f"The database {database} can be read by other accounts" in caplog.text
    assert f"chmod 600 {database}" in caplog.text
