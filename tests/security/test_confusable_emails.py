"""Look-alike e-mail addresses are refused, saying why; IDNA domains have one spelling."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from tests.conftest import PASSWORD, csrf_token
from trainer.accounts.services import AccountError, Profile, create_user, find_user_by_email
from trainer.cli import main
from trainer.email_safety import canonical_email, email_problem
from trainer.models import User
from trainer.orgs.staff_csv import read_staff

CYRILLIC_A = "\u0430"
LOOK_ALIKES = [
    f"{CYRILLIC_A}dmin@example.org",  # Cyrillic a in the local part
    f"admin@ex{CYRILLIC_A}mple.org",  # in the domain
    "admin@xn--exmple-4nf.org",  # the same domain in punycode
    "p\u0430ypal@example.org",
    "adm\u0456n@example.org",  # Cyrillic i
    "\u03bfscar@example.org",  # Greek omicron
    "\uff41dmin@example.org",  # full-width a
    "\U0001d41admin@example.org",  # mathematical bold a
]


@pytest.mark.parametrize("email", LOOK_ALIKES)
def test_look_alike_addresses_are_refused(app, email):
    with app.test_request_context():
        assert email_problem(email) is not None, email


def test_the_message_says_which_letter_in_which_part(app):
    with app.test_request_context():
        message = email_problem(f"{CYRILLIC_A}dmin@example.org")
    assert message == (
        "The email address mixes alphabets (Cyrillic, Latin) in “\u0430dmin”: U+0430 CYRILLIC "
        "SMALL LETTER A stands among letters of another alphabet, so the address can pass "
        "for a different one. Type it again in one alphabet."
    )


@pytest.mark.parametrize(
    "email",
    [
        "amina.haddad+cert@example.org",
        "пример@почта.рф",  # wholly Cyrillic
        "山田たろう@例え.jp",  # Han with kana, as Japanese is written
        "kim.민준@example.kr",  # Latin with Hangul
        "zoë@bücher.de",
        "o'brien@example.ie",
    ],
)
def test_addresses_in_one_script_or_a_standard_mix_pass(app, email):
    with app.test_request_context():
        assert email_problem(email) is None, email


def test_idna_domains_are_kept_in_ascii_so_both_spellings_are_one_account(app, db):
    assert canonical_email(" Amina@Bücher.DE ") == "amina@xn--bcher-kva.de"
    with app.test_request_context():
        create_user(db, email="amina@bücher.de", password=PASSWORD, profile=Profile("Amina"))
        db.flush()
        stored = db.scalar(select(User).where(User.full_name == "Amina"))
        assert stored.email == "amina@xn--bcher-kva.de"
        assert find_user_by_email(db, "AMINA@xn--bcher-kva.de") is stored
        assert find_user_by_email(db, "amina@bücher.de") is stored
        with pytest.raises(AccountError, match="already exists"):
            create_user(db, email="amina@xn--bcher-kva.de", password=None, profile=Profile("A"))


def test_registration_refuses_a_look_alike_with_the_reason(client):
    form = {
        "csrf_token": csrf_token(client, "/register"),
        "email": f"{CYRILLIC_A}dmin@example.org",
        "full_name": "Not The Admin",
        "profession": "health",
        "country": "US",
        "region": "US-MI",
        "licence_type": "nurse",
        "password": "a long and unusual passphrase",
        "confirm": "a long and unusual passphrase",
    }
    response = client.post("/register", data=form)
    assert response.status_code == 400
    assert "mixes alphabets (Cyrillic, Latin)" in response.get_data(as_text=True)


def test_the_staff_list_and_the_command_line_refuse_them(app, db):
    content = f"email,full_name,profession,unit\n{CYRILLIC_A}dmin@moi.example,A B,police,N\n"
    errors = [str(e) for e in read_staff(content.encode(), ("police",)).errors]
    assert len(errors) == 1 and "mixes alphabets (Cyrillic, Latin)" in errors[0]
    result = CliRunner().invoke(
        main,
        ["users", "create", "--email", f"admin@ex{CYRILLIC_A}mple.org", "--name", "X"],
        obj=app,
    )
    assert result.exit_code == 1
    assert "mixes alphabets (Cyrillic, Latin) in “ex\u0430mple”" in result.output
