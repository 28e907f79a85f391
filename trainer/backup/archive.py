"""The backup archive: a gzipped tar of named files with a manifest of their checksums.

Layout::

    manifest.json          what is inside, and the counts to compare after a restore
    database.sqlite3       or database.pgdump (pg_dump's custom format)
    instance/secret_key    every file of the instance folder but the database
    instance/signing-key.pem
    ...

The archive holds the site's private keys, so it is written with mode 0600
and should be stored like any other secret.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
from pathlib import Path, PurePosixPath
from typing import Any

FORMAT = 1
MANIFEST = "manifest.json"


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says what to do."""


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def write_archive(target: Path, files: dict[str, Path], manifest: dict[str, Any]) -> None:
    """Write ``files`` (archive name -> file) and the manifest; never a half-written archive."""
    if target.exists():
        raise BackupError(f"{target} exists; choose a new file name for the backup.")
    manifest = {
        **manifest,
        "format": FORMAT,
        "files": {name: sha256(path) for name, path in files.items()},
    }
    partial = target.with_name(f".{target.name}.partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            data = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode = len(data), 0o600
            tar.addfile(info, io.BytesIO(data))
            for name, path in files.items():
                tar.add(path, arcname=name, recursive=False)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def read_archive(source: Path, into: Path) -> dict[str, Any]:
    """Unpack ``source`` into the folder ``into`` and return its manifest, checksums verified."""
    try:
        with tarfile.open(source, mode="r:gz") as tar:
            members = tar.getmembers()
            for member in members:
                _check_member(member)
            tar.extractall(into, filter="data")
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"{source} is not a readable Trainer backup: {error}") from error
    manifest_path = into / MANIFEST
    if not manifest_path.is_file():
        raise BackupError(f"{source} has no {MANIFEST}: it is not a Trainer backup.")
    manifest = json.loads(manifest_path.read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{source} is backup format {manifest.get('format')}; this is {FORMAT}.")
    for name, expected in manifest["files"].items():
        path = into / name
        if not path.is_file() or sha256(path) != expected:
            raise BackupError(f"{source}: {name} is missing or damaged (checksum differs).")
    return manifest


def _check_member(member: tarfile.TarInfo) -> None:
    path = PurePosixPath(member.name)
    if path.is_absolute() or ".." in path.parts or not (member.isfile() or member.isdir()):
        raise BackupError(f"unexpected entry {member.name!r} in the archive: refusing it.")
