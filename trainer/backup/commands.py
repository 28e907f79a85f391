"""``trainer db backup PATH`` and ``trainer db restore PATH``.

Why commands rather than a page of shell instructions: a backup must be a
consistent snapshot taken while the site runs (a plain ``cp`` of a SQLite
database in WAL mode is not), it must carry the instance folder's keys with the
data, and a restore must not write over a database or keys that are already
there by mistake. The commands do all three, and check the result against the
row counts recorded at backup time.
"""

from __future__ import annotations

import os
from pathlib import Path

import click
from flask import Flask, current_app

from trainer.backup.archive import BackupError
from trainer.backup.services import create_backup, restore_backup
from trainer.certificates.services import issuer_of
from trainer.cli import db_group, fail, with_app
from trainer.config import database_url


@db_group.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_app
def db_backup(path: Path) -> None:
    """Back up the database and the instance folder's keys into PATH (a .tar.gz) while serving."""
    app = current_app
    try:
        manifest = create_backup(
            app.config["DATABASE_URL"],
            Path(app.instance_path),
            path,
            issuer_of(app).site_key.kid,  # type: ignore[arg-type]
        )
    except BackupError as error:
        fail(str(error))
        return
    database = manifest["database"]
    counts = _counts(database["counts"])
    click.echo(f"Backed up the {database['backend']} database ({counts}) to {path}.")
    click.echo(f"Signing key {manifest['signing_key']['kid']}.")
    for missing, setting in (
        (not manifest["signing_key"]["in_backup"], "TRAINER_SIGNING_KEY"),
        (not manifest["secret_key_in_backup"], "TRAINER_SECRET_KEY"),
    ):
        if missing:
            click.echo(f"Not in the backup: {setting} is set; keep it with your other secrets.")
    click.echo("The archive holds private keys: store it as you store secrets (mode 0600).")


@db_group.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--force",
    is_flag=True,
    help="Replace a database that has tables, and different keys (kept as *.before-restore).",
)
def db_restore(path: Path, force: bool) -> None:
    """Restore a backup into TRAINER_DATABASE_URL and the instance folder. Stop the site first."""
    # Not inside the app: starting it would generate new keys before the old ones are back.
    folder = os.environ.get("TRAINER_INSTANCE_PATH") or Flask("trainer").instance_path
    instance = Path(folder).resolve()
    url = database_url(instance)
    try:
        restored = restore_backup(path, url, instance, force=force)
    except BackupError as error:
        fail(str(error))
        return
    click.echo(f"Restored {_counts(restored.counts)} from {path}.")
    for name in restored.keys_written:
        click.echo(f"Restored instance/{name} into {instance}.")
    for warning in restored.warnings:
        click.echo(f"Warning: {warning}", err=True)
    click.echo("Next: trainer db upgrade (if this release is newer), then start the site.")


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {table.replace('_', ' ')}" for table, n in counts.items())
