"""Backing up a site and restoring it: the database, the instance folder's keys, checks.

Why the keys travel with the data: the secret key signs session cookies (without
it every user is signed out), and the signing key signs certificates' credentials.
Retired private keys are never backed up. Certificates already issued keep
verifying without the private key, because every public key that signed one is
kept in the ``signing_keys`` table and published; but a site restored without
it generates a new key on start, and new certificates then carry a new key id.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from trainer.backup import databases
from trainer.backup.archive import BackupError, read_archive, write_archive
from trainer.certificates.keys import load_site_key

SQLITE_MEMBER = "database.sqlite3"
#: Retired signing keys as older versions archived them in the instance folder.
RETIRED_KEY_PREFIX = "signing-key-retired-"
POSTGRES_MEMBER = "database.pgdump"


def backend(url: str) -> str:
    if url.startswith("sqlite"):
        return "sqlite"
    if url.startswith("postgresql"):
        return "postgresql"
    raise BackupError(f"Backups support SQLite and PostgreSQL, not {url.split(':', 1)[0]}.")


def instance_files(instance: Path, url: str) -> dict[str, Path]:
    """Every file of the instance folder except the live SQLite database and temporary files."""
    skip: set[Path] = set()
    if backend(url) == "sqlite":
        database = databases.sqlite_file(url).resolve()
        skip = {database.with_name(database.name + suffix) for suffix in ("", "-wal", "-shm")}
        skip.add(database.with_name(database.name + "-journal"))
    files = {}
    for path in sorted(instance.rglob("*")):
        if path.name.startswith(RETIRED_KEY_PREFIX):
            continue  # a retired private key must not outlive its retirement in backups
        if path.is_file() and path.resolve() not in skip and not path.name.startswith("."):
            files[f"instance/{path.relative_to(instance).as_posix()}"] = path
    return files


def create_backup(url: str, instance: Path, target: Path, signing_kid: str) -> dict[str, Any]:
    """Snapshot the database and pack it with the instance folder; return the manifest."""
    target = target.resolve()
    if target.is_relative_to(instance.resolve()):
        raise BackupError("Write the backup outside the instance folder, which it copies.")
    kind = backend(url)
    files = instance_files(instance, url)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".trainer-backup-") as work:
        if kind == "sqlite":
            snapshot = Path(work) / SQLITE_MEMBER
            databases.snapshot_sqlite(databases.sqlite_file(url), snapshot)
            snapshot_url = f"sqlite:///{snapshot}"
            counts = databases.table_counts(snapshot_url)
            revision = databases.schema_revision(snapshot_url)
        else:
            snapshot = Path(work) / POSTGRES_MEMBER
            counts = databases.dump_postgres(url, snapshot)
            revision = databases.schema_revision(url)
        manifest = {
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "database": {"backend": kind, "revision": revision, "counts": counts},
            "signing_key": {
                "kid": signing_kid,
                "in_backup": "instance/signing-key.pem" in files,
            },
            "secret_key_in_backup": "instance/secret_key" in files,
        }
        write_archive(target, {snapshot.name: snapshot, **files}, manifest)
    return manifest


@dataclass
class Restored:
    manifest: dict[str, Any]
    counts: dict[str, int]
    keys_written: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def restore_backup(source: Path, url: str, instance: Path, *, force: bool = False) -> Restored:
    """Check everything first, then restore the database and the keys, then compare counts."""
    with tempfile.TemporaryDirectory(prefix="trainer-restore-") as work:
        unpacked = Path(work)
        manifest = read_archive(source, unpacked)
        kind = manifest["database"]["backend"]
        if kind != backend(url):
            raise BackupError(f"This is a {kind} backup; TRAINER_DATABASE_URL is {backend(url)}.")
        if databases.has_tables(url) and not force:
            raise BackupError(
                "The database already has tables. Restore into a new, empty database, "
                "or pass --force to replace what it holds."
            )
        keys = _keys_to_write(unpacked, instance, force)
        if kind == "sqlite":
            databases.restore_sqlite(unpacked / SQLITE_MEMBER, databases.sqlite_file(url))
        else:
            databases.restore_postgres(unpacked / POSTGRES_MEMBER, url, clean=force)
        for name, content in keys.items():
            _write_private(instance / name, content, keep_old=force)
    counts = databases.table_counts(url)
    if counts != manifest["database"]["counts"]:
        raise BackupError(
            f"The restored database holds {counts}, the backup recorded "
            f"{manifest['database']['counts']}. Do not start the site on it."
        )
    return Restored(manifest, counts, sorted(keys), _key_warnings(manifest))


def _keys_to_write(unpacked: Path, instance: Path, force: bool) -> dict[str, bytes]:
    """The instance files to restore; a different file already in place needs --force."""
    files = {}
    conflicts = []
    root = unpacked / "instance"
    for path in sorted(root.rglob("*")) if root.is_dir() else []:
        if not path.is_file():
            continue
        name = path.relative_to(root).as_posix()
        content = path.read_bytes()
        existing = instance / name
        if existing.is_file() and existing.read_bytes() != content:
            conflicts.append(name)
        files[name] = content
    if conflicts and not force:
        raise BackupError(
            f"{instance} already holds different {', '.join(conflicts)}. Restore into an "
            "empty instance folder, or pass --force (the old files are kept as *.before-restore)."
        )
    return files


def _write_private(path: Path, content: bytes, *, keep_old: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and keep_old and path.read_bytes() != content:
        path.replace(path.with_name(path.name + ".before-restore"))
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(content)


def _key_warnings(manifest: dict[str, Any]) -> list[str]:
    """What the operator must know when the signing key that will be used is another one."""
    kid = manifest["signing_key"]["kid"]
    configured = configured_signing_kid()
    if configured is not None and configured != kid:
        return [
            f"TRAINER_SIGNING_KEY is key {configured}, the backup's site signed with {kid}. "
            "Certificates already issued still verify (their key is published from the "
            "database); new ones will be signed with the configured key."
        ]
    if configured is None and not manifest["signing_key"]["in_backup"]:
        return [
            f"The backup has no signing key (it came from TRAINER_SIGNING_KEY): set "
            f"TRAINER_SIGNING_KEY to key {kid} again, or a new key is generated on start."
        ]
    return []


def configured_signing_kid() -> str | None:
    """The key id of ``TRAINER_SIGNING_KEY`` (PEM text or a path), when it is set."""
    value = os.environ.get("TRAINER_SIGNING_KEY")
    if not value:
        return None
    pem = value if value.lstrip().startswith("-----BEGIN") else Path(value).read_text()
    return load_site_key(pem).kid
