"""The validated catalogue kept on disk, so that a start with unchanged content skips parsing.

Reading and checking every TOML and Markdown file of ``courses/`` costs about a
second and grows with each course and language; unpickling the result costs a
few hundredths. The file is keyed by a digest of every content file (names and
bytes) and of the code that reads them (every ``.py`` file of the package, the
Python version), so any change to either reads everything afresh. A file that
cannot be read back, for whatever reason, is ignored and replaced.

The cache lives in the instance folder, beside the secret key and the signing
key: whoever can write there can already run code as the app, so unpickling a
file from it trusts nothing new. ``trainer content check`` never uses it.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
import tempfile
from functools import cache
from pathlib import Path

from trainer.content.model import Catalogue

log = logging.getLogger(__name__)

#: Bump when the file's layout changes in a way the code digest would not notice.
CACHE_FORMAT = 1
PACKAGE = Path(__file__).resolve().parents[1]
PREFIX = "catalogue-"
SUFFIX = ".pickle"


@cache
def code_version() -> str:
    """A digest of the code that reads content: every module of the package, and Python's version.

    Read once per process; a deployment of new code is a new process.
    """
    digest = hashlib.sha256(f"{CACHE_FORMAT}\0{sys.version}\0".encode())
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def content_digest(root: Path) -> str:
    """A digest of every file under ``root``: its path and its bytes."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def cache_key(root: Path) -> str:
    """The key of ``root``'s catalogue: its content and the code version together."""
    return hashlib.sha256(f"{code_version()}\0{content_digest(root)}".encode()).hexdigest()[:32]


def cache_file(folder: Path, key: str) -> Path:
    return folder / f"{PREFIX}{key}{SUFFIX}"


def read_cached(folder: Path, key: str) -> Catalogue | None:
    """The catalogue stored under ``key``, or None when there is none or it cannot be used."""
    path = cache_file(folder, key)
    try:
        with path.open("rb") as stored:
            catalogue = pickle.load(stored)  # noqa: S301 - written by this app, in its instance folder
    except FileNotFoundError:
        return None
    except Exception as error:  # a truncated, corrupt or foreign file: read the content again
        log.warning("ignoring the content cache %s, which cannot be read: %r", path, error)
        return None
    if not isinstance(catalogue, Catalogue):
        log.warning("ignoring the content cache %s, which holds no catalogue", path)
        return None
    return catalogue


def write_cached(folder: Path, key: str, catalogue: Catalogue) -> None:
    """Store ``catalogue`` under ``key`` (atomically) and remove older versions.

    A cache that cannot be written only costs the next start its speed: logged, not raised.
    """
    temporary: str | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".catalogue-", suffix=".tmp")
        with os.fdopen(handle, "wb") as out:  # mkstemp makes it readable by the owner only
            pickle.dump(catalogue, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, cache_file(folder, key))
    except (OSError, pickle.PicklingError) as error:
        log.warning("could not write the content cache in %s: %r", folder, error)
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        return
    for old in folder.glob(f"{PREFIX}*{SUFFIX}"):
        if old.name != cache_file(folder, key).name:
            old.unlink(missing_ok=True)
