"""Shared fixtures: one app per test session, each test inside a rolled-back transaction.

The suite runs on SQLite, and on PostgreSQL when ``TRAINER_TEST_DATABASE_URL``
is set (its schema is dropped and migrated afresh at the start).
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete, text
from sqlalchemy.orm import Session

from trainer import create_app
from trainer import db as trainer_db
from trainer.accounts.services import Profile, create_api_token, create_user
from trainer.extensions import limiter
from trainer.migrate import upgrade
from trainer.models import Base, Certificate, Organisation, User

PASSWORD = "correct horse battery staple"
CSRF_PATTERN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def app_settings(instance_path: Path, database_url: str, **extra: Any) -> dict[str, Any]:
    """Settings for a test app: cheap password hashing, everything else as in production."""
    return {
        "INSTANCE_PATH": str(instance_path),
        "DATABASE_URL": database_url,
        "TESTING": True,
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 1024,
        "BASE_URL": "http://trainer.test",
        # Tests that are not about the second factor sign admins in with a password
        # alone; tests/accounts/test_mfa.py and the matrix turn the requirement on.
        "MFA_REQUIRED_ROLES": (),
        # Time on task is off where it is not the point; tests/licensing turns it on.
        "READING_TIME_SHARE": 0.0,
        # Jobs run in the request's thread; tests/test_jobs.py runs real consumers.
        "QUEUE_URL": "immediate",
        **extra,
    }


def _reset_schema(app: Flask) -> None:
    engine = trainer_db.database(app).engine
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            Base.metadata.drop_all(connection)
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    upgrade(engine)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """In CI (``CI=true``) a skipped test fails: a missing tool must not hide a check."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") == "true" and report.skipped:
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, which counts as a failure: {report.longrepr}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("TRAINER_TEST_DATABASE_URL")
    return url or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    app = create_app(app_settings(tmp_path_factory.mktemp("instance"), database_url))
    _reset_schema(app)
    yield app
    trainer_db.database(app).engine.dispose()


@pytest.fixture
def db(app: Flask) -> Iterator[Session]:
    """A session for the test, sharing one connection with the app's requests.

    Everything happens inside an outer transaction that is rolled back at the
    end; the app's commits only release savepoints inside it.
    """
    database = trainer_db.database(app)
    connection = database.engine.connect()
    transaction = connection.begin()
    with app.app_context():  # the registry is keyed by app context
        database.sessions.configure(bind=connection, join_transaction_mode="create_savepoint")
    session = Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    try:
        yield session
    finally:
        session.close()
        with app.app_context():
            database.sessions.configure(
                bind=database.engine, join_transaction_mode="conditional_savepoint"
            )
        transaction.rollback()
        connection.close()


@pytest.fixture(autouse=True)
def _fresh_rate_limits(app: Flask) -> None:
    with app.app_context():
        limiter.reset()


@pytest.fixture
def client(app: Flask, db: Session) -> FlaskClient:
    return app.test_client()


def csrf_token(client: FlaskClient, path: str) -> str:
    """The CSRF token from the form at ``path``, as a browser would read it."""
    match = CSRF_PATTERN.search(client.get(path).get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)


@dataclass
class Factories:
    app: Flask
    db: Session

    def user(
        self,
        email: str = "learner@example.org",
        *,
        password: str | None = PASSWORD,
        role: str = "learner",
        organisation: Organisation | None = None,
        **profile: Any,
    ) -> User:
        profile.setdefault("full_name", "Test Learner")
        profile.setdefault("profession", "health")
        profile.setdefault("country", "US")
        with self.app.app_context():  # password hashing reads the app's settings
            user = create_user(
                self.db,
                email=email,
                password=password,
                role=role,
                organisation_id=organisation.id if organisation else None,
                profile=Profile(**profile),
            )
        self.db.commit()
        return user

    def api_headers(self, user: User) -> dict[str, str]:
        """Headers that authenticate as ``user`` with a new API token."""
        _record, token = create_api_token(self.db, user)
        self.db.commit()
        return {"Authorization": f"Bearer {token}"}

    def organisation(
        self, slug: str = "moh", name: str = "Ministry of Health", kind: str = "ministry"
    ) -> Organisation:
        organisation = Organisation(slug=slug, name=name, kind=kind)
        self.db.add(organisation)
        self.db.commit()
        return organisation


@pytest.fixture
def make(app: Flask, db: Session) -> Factories:
    return Factories(app, db)


class AuthActions:
    """Sign in and out through the real forms, CSRF included."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def login(
        self,
        email: str = "learner@example.org",
        password: str = PASSWORD,
        remember: bool = False,
        next_url: str | None = None,
    ) -> Any:
        path = "/login" + (f"?next={next_url}" if next_url else "")
        data = {
            "csrf_token": csrf_token(self.client, "/login"),
            "email": email,
            "password": password,
        }
        if remember:
            data["remember"] = "y"
        return self.client.post(path, data=data)

    def logout(self) -> Any:
        return self.client.post("/logout", data={"csrf_token": csrf_token(self.client, "/account")})


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)


@dataclass(frozen=True)
class CommittedLearner:
    id: int
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@pytest.fixture
def committed_learner(app: Flask) -> Iterator[CommittedLearner]:
    """A learner whose rows are really committed, for tests that run threads; removed after.

    Threads use their own connections, so they cannot see the rolled-back test transaction.
    """
    with app.app_context():
        session = trainer_db.session()
        user = create_user(
            session,
            email="threads@example.org",
            password=PASSWORD,
            profile=Profile("Thread Learner", "health", "US"),
        )
        _record, token = create_api_token(session, user)
        session.commit()
        learner = CommittedLearner(user.id, token)
    yield learner
    with app.app_context():
        session = trainer_db.session()
        # Certificates are records and do not cascade; everything else does.
        session.execute(delete(Certificate).where(Certificate.user_id == learner.id))
        session.execute(delete(User).where(User.id == learner.id))
        session.commit()


def run_together(count: int, action: Any) -> None:
    """Run ``action`` in ``count`` threads released at the same instant."""
    barrier = threading.Barrier(count)

    def run() -> None:
        barrier.wait()
        action()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
