"""Backup and restore as the README describes them: seed a site, back it up while it
serves, wipe it, restore into a fresh database and instance folder, and check that
certificates still verify and progress is intact. On SQLite, and on PostgreSQL
(with the real pg_dump and pg_restore) when the test database is PostgreSQL.
"""

from __future__ import annotations

import io
import json
import shutil
import stat
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from flask import Flask
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from tests.conftest import PASSWORD, app_settings
from tests.databases import scratch_database
from tests.progress import complete_modules, finish_and_issue, passed_attempt
from trainer import create_app
from trainer import db as trainer_db
from trainer.accounts.services import Profile, authenticate, create_user, find_user_by_email
from trainer.certificates import services
from trainer.certificates.printing import certificate_pdf
from trainer.cli import main
from trainer.content.catalogue import catalogue
from trainer.db import make_engine
from trainer.migrate import upgrade
from trainer.models import Certificate

BASE = "http://trainer.test"
COURSE = "licensed"


@dataclass
class Site:
    app: Flask
    url: str
    instance: Path
    certificate: Certificate
    pdf: bytes

    @property
    def kid(self) -> str:
        return services.issuer_of(self.app).site_key.kid


@pytest.fixture
def urls(database_url: str, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """The site's database and an empty one to restore into."""
    if not database_url.startswith("sqlite") and shutil.which("pg_dump") is None:
        pytest.skip("pg_dump and pg_restore are needed: install postgresql-client")
    with (
        scratch_database(database_url, "backup", tmp_path / "site") as source,
        scratch_database(database_url, "restore", tmp_path / "restored") as target,
    ):
        yield source, target


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Point the ``trainer`` command at a site, as an operator's shell would."""
    monkeypatch.delenv("TRAINER_SIGNING_KEY", raising=False)
    monkeypatch.delenv("TRAINER_SECRET_KEY", raising=False)

    def point(instance: Path, url: str) -> None:
        monkeypatch.setenv("TRAINER_INSTANCE_PATH", str(instance))
        monkeypatch.setenv("TRAINER_DATABASE_URL", url)

    return point


def trainer(*args: str, app: Flask | None = None) -> Result:
    return CliRunner().invoke(main, list(args), obj=app)


def start(instance: Path, url: str) -> Flask:
    app = create_app(app_settings(instance, url))
    upgrade(trainer_db.database(app).engine)
    return app


def seed(instance: Path, url: str) -> Site:
    """A nurse with a certificate, and a second learner part-way through the course."""
    app = start(instance, url)
    with app.app_context():
        session = trainer_db.session()
        course = catalogue().courses[COURSE]
        nurse = create_user(
            session,
            email="ama@example.org",
            password=PASSWORD,
            profile=Profile("Ama Mensah", "licensed", "GH", "nurse", "RN-4410021", "GNMC"),
        )
        complete_modules(session, nurse, course)
        passed_attempt(session, nurse, course, {"item": 1.0})
        session.flush()
        certificate = services.issue_if_complete(
            session, nurse, course, catalogue(), services.issuer_of(app)
        )
        assert certificate is not None
        learner = create_user(
            session,
            email="kofi@example.org",
            password=PASSWORD,
            profile=Profile("Kofi Boateng", "licensed", "GH"),
        )
        complete_modules(session, learner, course, 2)
        session.commit()
        pdf = certificate_pdf(certificate, catalogue(), BASE, "A4")
    return Site(app, url, instance, certificate, pdf)


def records(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """What a restore must bring back: accounts, progress, attempts, certificates, keys."""
    queries = {
        "users": "SELECT email, full_name, password_hash, licence_number FROM users",
        "progress": "SELECT u.email, course_slug, module_slug FROM module_completions m "
        "JOIN users u ON u.id = m.user_id",
        "attempts": "SELECT id, score, passed, submitted_at FROM attempts",
        "certificates": "SELECT id, name, hours, key_id, credential FROM certificates",
        "keys": "SELECT kid FROM signing_keys",
    }
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return {k: sorted(map(tuple, connection.execute(text(q)))) for k, q in queries.items()}
    except DBAPIError:  # no tables at all
        return {}
    finally:
        engine.dispose()


def wipe(site: Site) -> None:
    """Lose the site: its instance folder and everything in its database."""
    trainer_db.database(site.app).engine.dispose()
    shutil.rmtree(site.instance)
    if site.url.startswith("postgresql"):
        engine = make_engine(site.url)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()


def back_up_and_restore(site: Site, target_url: str, tmp_path: Path, env: Any) -> Path:
    archive = tmp_path / "trainer-backup.tar.gz"
    env(site.instance, site.url)
    result = trainer("db", "backup", str(archive), app=site.app)  # the site is still serving
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    before = records(site.url)
    wipe(site)
    restored = tmp_path / "restored-instance"
    env(restored, target_url)
    result = trainer("db", "restore", str(archive))
    assert result.exit_code == 0, result.output
    assert "Restored instance/signing-key.pem" in result.output
    assert records(target_url) == before
    return restored


def test_a_backup_taken_while_serving_restores_certificates_and_progress(urls, tmp_path, env):
    source, target = urls
    site = seed(tmp_path / "site", source)
    if source.startswith("sqlite"):
        # Why never cp: what the site committed still sits in the WAL, not in trainer.db.
        plain = tmp_path / "plain-copy.db"
        shutil.copy(tmp_path / "site" / "trainer.db", plain)
        assert records(f"sqlite:///{plain}").get("certificates", []) == []
    kid, certificate_id = site.kid, site.certificate.id
    (tmp_path / "certificate.pdf").write_bytes(site.pdf)

    instance = back_up_and_restore(site, target, tmp_path, env)

    app = start(instance, target)
    assert services.issuer_of(app).site_key.kid == kid  # the same key signs from now on
    checked = trainer("certificates", "verify", str(tmp_path / "certificate.pdf"), app=app)
    assert checked.exit_code == 0 and "VALID" in checked.output, checked.output
    answer = app.test_client().get(f"/api/v1/verify/{certificate_id}")
    assert answer.status_code == 200
    assert answer.json["certificate"]["status"] == "valid"
    assert answer.json["certificate"]["name"] == "Ama Mensah"
    with app.app_context():
        session = trainer_db.session()
        assert authenticate(session, "ama@example.org", PASSWORD) is not None
        fresh = _finish(app, session, "kofi@example.org")
        assert fresh.key_id == kid
    trainer_db.database(app).engine.dispose()


def _finish(app: Flask, session: Any, email: str) -> Certificate:
    """Complete the part-way learner's course on the restored site: a new certificate."""
    learner = find_user_by_email(session, email)
    return finish_and_issue(app, session, learner, catalogue().courses[COURSE])


def test_without_the_signing_key_old_certificates_still_verify(urls, tmp_path, env):
    """The README's claim: the public keys live in the database, so only new certificates
    change key. Restored without signing-key.pem, the site makes a new key on start."""
    source, target = urls
    site = seed(tmp_path / "site", source)
    old_kid, pdf = site.kid, tmp_path / "certificate.pdf"
    pdf.write_bytes(site.pdf)
    instance = back_up_and_restore(site, target, tmp_path, env)
    (instance / "signing-key.pem").unlink()

    app = start(instance, target)
    new_kid = services.issuer_of(app).site_key.kid
    assert new_kid != old_kid
    checked = trainer("certificates", "verify", str(pdf), app=app)
    assert checked.exit_code == 0 and "VALID" in checked.output, checked.output
    with app.app_context():
        fresh = _finish(app, trainer_db.session(), "kofi@example.org")
        assert fresh.key_id == new_kid
        new_pdf = tmp_path / "new.pdf"
        new_pdf.write_bytes(certificate_pdf(fresh, catalogue(), BASE, "A4"))
    keys = app.test_client().get("/.well-known/jwks.json").json["keys"]
    published = {k["kid"].rsplit("/", 1)[-1] for k in keys}  # kid URLs end in the thumbprint
    assert {old_kid, new_kid} <= published
    assert trainer("certificates", "verify", str(new_pdf), app=app).exit_code == 0
    trainer_db.database(app).engine.dispose()


def test_restore_refuses_to_write_over_data_or_other_keys(urls, tmp_path, env):
    source, target = urls
    site = seed(tmp_path / "site", source)
    archive = tmp_path / "backup.tar.gz"
    env(site.instance, source)
    assert trainer("db", "backup", str(archive), app=site.app).exit_code == 0
    refused = trainer("db", "backup", str(archive), app=site.app)
    assert refused.exit_code == 1 and "exists; choose a new file name" in refused.output
    inside = trainer("db", "backup", str(site.instance / "b.tar.gz"), app=site.app)
    assert inside.exit_code == 1 and "outside the instance folder" in inside.output

    result = trainer("db", "restore", str(archive))  # over the live site's own database
    assert result.exit_code == 1 and "already has tables" in result.output

    other = tmp_path / "other-instance"
    other.mkdir()
    (other / "secret_key").write_text("another site's key")
    env(other, target)
    result = trainer("db", "restore", str(archive))
    assert result.exit_code == 1 and "already holds different secret_key" in result.output
    assert records(target) == {}  # nothing was written

    result = trainer("db", "restore", "--force", str(archive))
    assert result.exit_code == 0, result.output
    assert (other / "secret_key.before-restore").read_text() == "another site's key"
    assert (other / "secret_key").read_bytes() == (site.instance / "secret_key").read_bytes()
    assert records(target) == records(source)
    trainer_db.database(site.app).engine.dispose()


def test_a_damaged_backup_is_refused(tmp_path, env):
    site = seed(tmp_path / "site", f"sqlite:///{tmp_path / 'site' / 'trainer.db'}")
    archive = tmp_path / "backup.tar.gz"
    env(site.instance, site.url)
    assert trainer("db", "backup", str(archive), app=site.app).exit_code == 0
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(archive) as original, tarfile.open(tampered, "w:gz") as copy:
        for member in original.getmembers():
            data = original.extractfile(member).read()  # type: ignore[union-attr]
            if member.name == "instance/secret_key":
                data = b"0" * len(data)
            copy.addfile(member, io.BytesIO(data))
    env(tmp_path / "restored", f"sqlite:///{tmp_path / 'restored' / 'trainer.db'}")
    result = trainer("db", "restore", str(tampered))
    assert result.exit_code == 1
    assert "instance/secret_key is missing or damaged" in result.output
    assert not (tmp_path / "restored" / "trainer.db").exists()
    with tarfile.open(archive) as original:
        manifest = json.load(original.extractfile("manifest.json"))  # type: ignore[arg-type]
    assert manifest["database"]["counts"]["certificates"] == 1
    trainer_db.database(site.app).engine.dispose()
