"""Registration: the name exactly as printed, unique emails, strong passwords, CSRF."""

from __future__ import annotations

import unicodedata

import pytest
from sqlalchemy import delete, select

from tests.conftest import PASSWORD, csrf_token, run_together
from trainer import db as trainer_db
from trainer.accounts.services import AccountError, Profile, create_user
from trainer.models import User


def register(client, **fields):
    data = {
        "csrf_token": csrf_token(client, "/register"),
        "email": "nurse@example.org",
        "password": PASSWORD,
        "confirm": PASSWORD,
        "full_name": "Amina Haddad",
        "profession": "licensed",
        "country": "US",
        "region": "US-MI",
        "licence_type": "nurse",
        "licence_number": "RN-4412093",
        "licensing_board": "Michigan Board of Nursing",
    }
    data.update(fields)
    return client.post("/register", data=data)


def test_registration_keeps_licence_data_and_sends_to_sign_in(client, db, auth):
    response = register(client)
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    user = db.scalar(select(User).where(User.email == "nurse@example.org"))
    assert (user.full_name, user.role, user.profession, user.country) == (
        "Amina Haddad",
        "learner",
        "licensed",
        "US",
    )
    assert (user.licence_type, user.licence_number, user.licensing_board) == (
        "nurse",
        "RN-4412093",
        "Michigan Board of Nursing",
    )
    assert user.password_hash.startswith("$argon2id$")
    assert "We have sent a message to nurse@example.org" in client.get("/login").get_data(
        as_text=True
    )
    assert auth.login("nurse@example.org").headers["Location"] == "/dashboard"
    assert "Welcome, Amina Haddad" in client.get("/dashboard").get_data(as_text=True)


@pytest.mark.parametrize(
    "name",
    [
        "أمينة حداد",
        "Σοφία Παπαδοπούλου",
        "Анна Кузнецова",
        "अनीता शर्मा",
        "王小明",
        "Nguyễn Thị Hồng",
        "José Ñúñez-O'Brien",
    ],
)
def test_names_in_any_script_are_kept_exactly(client, db, name):
    assert register(client, full_name=f"  {name}  ").status_code == 302
    user = db.scalar(select(User).where(User.email == "nurse@example.org"))
    assert user.full_name == unicodedata.normalize("NFC", name)


def test_a_taken_address_gets_the_same_answer_and_its_owner_a_mail(client, make, db, caplog):
    """Registration does not reveal which addresses have accounts (issue 17)."""
    owner = make.user("Nurse@Example.org", full_name="Amina Haddad")
    with caplog.at_level("INFO", logger="trainer.mail"):
        taken = register(client, email="NURSE@example.ORG", full_name="Someone Else")
        taken_page = client.get("/login").get_data(as_text=True)
        new = register(client, email="new@example.org")
        new_page = client.get("/login").get_data(as_text=True)
    assert taken.status_code == new.status_code == 302
    assert taken.headers["Location"] == new.headers["Location"] == "/login"
    assert "We have sent a message to nurse@example.org" in taken_page
    assert "We have sent a message to new@example.org" in new_page
    assert "already exists" not in taken_page
    # One account for the address, unchanged; its owner is told by mail.
    assert db.scalars(select(User).where(User.email == "nurse@example.org")).all() == [owner]
    db.refresh(owner)
    assert owner.full_name == "Amina Haddad"
    assert "Someone tried to register with your address" in caplog.text
    assert "Your Trainer account is ready" in caplog.text


def test_a_weak_password_is_refused_for_a_taken_address_too(client, make):
    """The form's answer depends on what was typed, never on whether the address exists."""
    make.user("nurse@example.org")
    taken = register(client, password="1234567890", confirm="1234567890")
    assert taken.status_code == 400
    assert "too common" in taken.get_data(as_text=True)


def test_registration_is_rate_limited(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "REGISTER_RATE_LIMIT", "2 per minute")
    codes = [register(client, email=f"n{n}@example.org").status_code for n in range(3)]
    assert codes == [302, 302, 429]


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short", "Use at least 10 characters."),
        ("1234567890", "too common"),
        ("aaaaaaaaaaaa", "too common"),
        ("nurse-password!", "Do not use your email address"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(client, db, password, message):
    response = register(client, password=password, confirm=password)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.scalar(select(User)) is None


def test_passwords_must_match(client):
    response = register(client, confirm=PASSWORD + "x")
    assert response.status_code == 400
    assert "The passwords differ." in response.get_data(as_text=True)


def test_errors_are_tied_to_their_fields(client):
    page = register(client, email="not-an-email", full_name="").get_data(as_text=True)
    assert 'aria-describedby="email-error"' in page
    assert 'id="email-error"' in page
    assert 'aria-invalid="true"' in page
    assert 'href="#full_name"' in page  # the summary links to the field


def test_control_characters_in_a_name_are_refused(client):
    response = register(client, full_name="Amina\u202eHaddad")
    assert response.status_code == 400
    assert (
        "Full name: character 6 is invisible (U+202E RIGHT-TO-LEFT OVERRIDE)"
        in response.get_data(as_text=True)
    )


def test_unknown_profession_is_refused(client):
    assert register(client, profession="astronaut").status_code == 400


def test_missing_csrf_token_is_refused(client, db):
    response = client.post(
        "/register",
        data={
            "email": "x@example.org",
            "password": PASSWORD,
            "confirm": PASSWORD,
            "full_name": "X",
            "profession": "health",
            "country": "US",
        },
    )
    assert response.status_code == 400
    assert "The form expired" in response.get_data(as_text=True)
    assert db.scalar(select(User)) is None


def test_two_registrations_of_one_address_at_once_make_one_account(app):
    """A double-clicked form: one account, and the other request gets the usual message."""
    outcomes: list[str] = []

    def register() -> None:
        with app.test_request_context("/register", method="POST"):
            session = trainer_db.session()
            try:
                create_user(
                    session,
                    email="twice@example.org",
                    password=PASSWORD,
                    profile=Profile("Twice Clicked", "health", "US"),
                )
                session.commit()
                outcomes.append("created")
            except AccountError as error:
                session.rollback()
                outcomes.append(str(error))

    run_together(4, register)
    with app.app_context():
        session = trainer_db.session()
        session.execute(delete(User).where(User.email == "twice@example.org"))
        session.commit()
    taken = "An account with this email address already exists."
    assert sorted(outcomes) == sorted(["created", taken, taken, taken])
