"""Private files: the instance folder (0700), the SQLite database and its WAL/SHM (0600).

The instance folder holds the session secret, the signing key and, by default,
the SQLite database with every learner's name, email and password hash. The
process's umask (often 022) would leave them readable by every local account.
Keys are written 0600 by :func:`trainer.config.write_once`; the database file is
created here, empty, with mode 0600 before SQLite first opens it, and SQLite
gives its ``-wal`` and ``-shm`` files the mode of the database file.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

from sqlalchemy.engine import make_url

log = logging.getLogger("trainer")

PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600


def private_folder(path: Path) -> None:
    """Create ``path`` (and missing parents) with mode 0700; leave an existing folder alone."""
    if not path.exists():
        path.mkdir(parents=True, mode=PRIVATE_FOLDER, exist_ok=True)
        os.chmod(path, PRIVATE_FOLDER)  # mkdir's mode is narrowed by the umask, never widened


def sqlite_file(url: str) -> Path | None:
    """The database file an ``sqlite:///…`` URL names, or None for an in-memory database."""
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def private_sqlite_file(url: str) -> None:
    """Create the SQLite file 0600 (its folder 0700) if absent; warn if others can read it."""
    path = sqlite_file(url)
    if path is None:
        return
    private_folder(path.parent)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    except FileExistsError:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            log.warning(
                "The database %s can be read by other accounts on this machine (mode %o). "
                "Run: chmod 600 %s %s-wal %s-shm",
                path, mode, path, path, path,
            )  # fmt: skip
