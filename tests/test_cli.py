"""The `trainer` command, run against the test database."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from tests.conftest import PASSWORD
from trainer.cli import main
from trainer.models import AuditEvent, Organisation, User


@pytest.fixture
def run(app, db):
    def run(*args: str, input: str | None = None):
        return CliRunner().invoke(main, list(args), obj=app, input=input)

    return run


def test_create_organisation_and_org_admin_with_password_from_stdin(run, db, client, auth):
    result = run(
        "orgs", "create", "--slug", "moh-gh", "--name", "Ministry of Health", "--kind", "ministry"
    )
    assert result.exit_code == 0, result.output
    result = run(
        "users",
        "create",
        "--email",
        "Admin@MOH.example",
        "--name",
        "Kwame Mensah",
        "--role",
        "org_admin",
        "--org",
        "moh-gh",
        "--profession",
        "health",
        "--password-stdin",
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    user = db.scalar(select(User).where(User.email == "admin@moh.example"))
    assert user.role == "org_admin"
    assert user.organisation.slug == "moh-gh"
    assert auth.login("admin@moh.example").status_code == 302
    actions = db.scalars(select(AuditEvent.action)).all()
    assert {"organisation.create", "user.create"} <= set(actions)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "org_admin"], "add --org SLUG"),
        (["--org", "missing"], "No organisation with slug 'missing'"),
        (["--profession", "astronaut"], "Unknown profession 'astronaut'"),
    ],
)
def test_users_create_explains_what_to_fix(run, args, message):
    result = run("users", "create", "--email", "x@example.org", "--name", "X", *args)
    assert result.exit_code == 1
    assert message in result.output


def test_users_create_refuses_duplicates_and_weak_passwords(run, make):
    make.user("taken@example.org")
    duplicate = run("users", "create", "--email", "TAKEN@example.org", "--name", "X")
    assert duplicate.exit_code == 1
    assert "already exists" in duplicate.output
    weak = run(
        "users",
        "create",
        "--email",
        "new@example.org",
        "--name",
        "X",
        "--password-stdin",
        input="short\n",
    )
    assert weak.exit_code == 1
    assert "at least 10 characters" in weak.output


def test_orgs_create_validates_the_slug_and_uniqueness(run, make):
    make.organisation("moh")
    assert "already exists" in run("orgs", "create", "--slug", "moh", "--name", "X").output
    bad = run("orgs", "create", "--slug", "Bad Slug", "--name", "X")
    assert bad.exit_code == 1
    assert "lower-case letters" in bad.output


def test_tokens_create_prints_a_working_token(run, make, client):
    make.user()
    result = run("tokens", "create", "--email", "learner@example.org")
    assert result.exit_code == 0
    token = result.output.strip()
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert run("tokens", "create", "--email", "nobody@example.org").exit_code == 1


def test_demo_prints_working_accounts_for_every_role(run, db, app):
    result = run("demo")
    assert result.exit_code == 0, result.output
    rows = [line.split() for line in result.output.splitlines() if "@demo.trainer" in line]
    lines = [(row[0], row[1], row[-1]) for row in rows]
    assert {role for role, _email, _password in lines} == {
        "learner",
        "org_admin",
        "verifier",
        "admin",
    }
    # An administrator for each demo organisation, named in the table.
    admins = [line for line in result.output.splitlines() if "org_admin" in line]
    assert any("Ministry of Health (demo)" in line for line in admins)
    assert any("National Police Academy (demo)" in line for line in admins)
    # No raw e-mail in the output: the demo certificate's notice is in a readable file.
    assert "Content-Transfer-Encoding" not in result.output and "=3D" not in result.output
    assert "it is saved in" in result.output
    assert db.scalar(select(Organisation).where(Organisation.slug == "demo-health-ministry"))
    for _role, email, password in lines:
        client = app.test_client()
        from tests.conftest import csrf_token

        response = client.post(
            "/login",
            data={"csrf_token": csrf_token(client, "/login"), "email": email, "password": password},
        )
        assert response.status_code == 302, email
    # Seeding again gives new passwords and creates no duplicates.
    again = run("demo")
    assert again.exit_code == 0
    from trainer.orgs.demo import DEMO_STAFF

    staff_without_login = [email for email, *_rest, profile in DEMO_STAFF if profile]
    assert len(db.scalars(select(User)).all()) == len(lines) + len(staff_without_login)


def test_serve_refuses_invalid_content_with_the_same_lines(tmp_path, monkeypatch):
    from tests.content.fixtures import FILES, write_content

    broken = FILES["basics/modules/01-what.md"].replace("minutes = 20", "minutes = 0")
    root = write_content(tmp_path, **{"basics/modules/01-what.md": broken})
    monkeypatch.setenv("TRAINER_COURSES_DIR", str(root))
    monkeypatch.setenv("TRAINER_INSTANCE_PATH", str(tmp_path / "instance"))
    result = CliRunner().invoke(main, ["serve", "--port", "5999"])
    assert result.exit_code == 1
    assert "courses/basics/modules/01-what.md:4: `minutes` must be more than 0" in result.output
    assert "fix them and start again" in result.output


def test_users_create_a_michigan_nurse_with_her_licence(run, db):
    result = run(
        "users", "create", "--email", "rn@example.org", "--name", "Amina Haddad",
        "--profession", "licensed", "--country", "US", "--region", "us-mi",
        "--licence-type", "nurse", "--licence-number", "RN-4412093",
        "--board", "Michigan Board of Nursing",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    user = db.scalar(select(User).where(User.email == "rn@example.org"))
    assert (user.country, user.region, user.licence_type, user.licence_number) == (
        "US",
        "US-MI",
        "nurse",
        "RN-4412093",
    )
    assert user.licensing_board == "Michigan Board of Nursing"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--country", "CA", "--region", "US-MI"],
            "--region: US-MI is not in Canada; choose a state or province of that country.",
        ),
        (["--country", "US", "--region", "US-ZZ"], "--region: Unknown state or province code"),
        (
            ["--country", "US"],
            "--region: a learner in US needs a state or province, e.g. --region US-MI",
        ),
        (["--country", "XX"], "--country: Unknown country code"),
        (
            ["--profession", "licensed", "--licence-type", "astronaut"],
            "--licence-type: Unknown licence type; choose one from the list. Known: none, nurse",
        ),
        (
            ["--profession", "police", "--licence-type", "nurse"],
            "--licence-type: A Nurse (registered, practical or advanced practice) licence does "
            "not go with the profession Police and law enforcement.",
        ),
    ],
)
def test_users_create_checks_the_jurisdiction_and_licence(run, db, args, message):
    result = run("users", "create", "--email", "x@example.org", "--name", "X Y", *args)
    assert result.exit_code == 1
    assert message in result.output
    assert db.scalar(select(User).where(User.email == "x@example.org")) is None


def test_users_create_a_region_alone_gives_the_country(run, db):
    result = run(
        "users", "create", "--email", "on@example.org", "--name", "Claire Roy",
        "--region", "CA-ON", "--profession", "health", "--licence-type", "none",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    user = db.scalar(select(User).where(User.email == "on@example.org"))
    assert (user.country, user.region, user.licence_type) == ("CA", "CA-ON", None)
