"""The app factory: settings, generated keys, headers, cookies, error pages."""

from __future__ import annotations

import stat

from alembic import command
from sqlalchemy import select, text

from tests.conftest import app_settings
from trainer import create_app
from trainer.db import make_engine
from trainer.migrate import alembic_config
from trainer.models import Organisation, utcnow


def test_keys_are_generated_once_into_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("TRAINER_SECRET_KEY", raising=False)
    monkeypatch.delenv("TRAINER_SIGNING_KEY", raising=False)
    settings = app_settings(tmp_path, "sqlite://")
    first, second = create_app(dict(settings)), create_app(dict(settings))
    assert first.secret_key == second.secret_key
    assert len(first.secret_key) == 64
    assert first.config["SIGNING_KEY_PEM"] == second.config["SIGNING_KEY_PEM"]
    assert "PRIVATE KEY" in first.config["SIGNING_KEY_PEM"]
    for name in ("secret_key", "signing-key.pem"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600
    other = create_app(app_settings(tmp_path / "elsewhere", "sqlite://"))
    assert other.secret_key != first.secret_key


def test_settings_come_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("TRAINER_SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("TRAINER_PROVIDER_NAME", "Ministry Academy")
    monkeypatch.setenv("TRAINER_BASE_URL", "https://train.example.gov/")
    app = create_app({"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": "sqlite://"})
    assert app.secret_key == "from-the-environment"
    assert app.config["PROVIDER_NAME"] == "Ministry Academy"
    assert app.config["BASE_URL"] == "https://train.example.gov"
    # Served over HTTPS, so cookies are marked Secure.
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert not (tmp_path / "secret_key").exists()


def test_security_headers(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_session_cookie_is_http_only_and_same_site(client, make, auth):
    make.user()
    auth.login()
    cookie = client.get_cookie("session")
    assert cookie.http_only
    assert cookie.same_site == "Lax"


def test_friendly_error_pages(client):
    page = client.get("/no/such/page")
    assert page.status_code == 404
    assert "Page not found" in page.get_data(as_text=True)
    assert page.mimetype == "text/html"


def test_pages_have_language_skip_link_and_landmarks(client):
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in page
    assert 'href="#main"' in page and '<main id="main"' in page
    for profession in (
        "Police and law enforcement",
        "Health worker",
        "Media and journalism",
        "Licensed professional",
    ):
        assert profession in page


def test_migrations_match_the_models(db):
    config = alembic_config()
    config.attributes["connection"] = db.connection()
    command.check(config)  # raises when a model change has no migration


def test_timestamps_come_back_in_utc(db):
    organisation = Organisation(slug="tz", name="Timezones")
    db.add(organisation)
    db.commit()
    db.expire_all()
    loaded = db.scalar(select(Organisation).where(Organisation.slug == "tz"))
    assert loaded.created_at.utcoffset().total_seconds() == 0
    assert abs((utcnow() - loaded.created_at).total_seconds()) < 60


def test_sqlite_runs_with_wal_foreign_keys_and_a_busy_timeout(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'pragmas.db'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 15000
    engine.dispose()


def test_every_setting_is_listed_and_documented():
    import re

    from trainer.config import PROJECT_ROOT, SETTINGS

    source = (PROJECT_ROOT / "trainer" / "config.py").read_text()
    read = set(re.findall(r'_env\("(TRAINER_[A-Z_]+)"', source))
    assert read == set(SETTINGS) - {"TRAINER_INSTANCE_PATH"}  # read in create_app
    readme = (PROJECT_ROOT / "README.md").read_text()
    for name in SETTINGS:
        assert f"| `{name}` |" in readme, f"{name} is missing from the README's settings table"
