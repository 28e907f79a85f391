"""Registration and the account page ask what a certificate depends on, and assume nothing.

Profession, country, state or province and licence type start at "Choose…";
the server checks them together (CSRF on), and says what to fix.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD, csrf_token
from trainer.models import User

SPANISH = {"Accept-Language": "es-MX,es;q=0.9"}


def selected(page: str, name: str) -> str | None:
    """The value of the selected option of the ``<select name=…>`` in ``page``."""
    select_html = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select_html, name
    found = re.search(
        r'<option selected value="([^"]*)"|<option value="([^"]*)" selected', select_html.group(1)
    )
    return next(v for v in found.groups() if v is not None) if found else None


def first_option(page: str, name: str) -> tuple[str, str]:
    select_html = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)
    value, label = re.search(
        r'<option[^>]*value="([^"]*)"[^>]*>([^<]*)</option>', select_html.group(1)
    ).groups()
    return value, label


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
    }
    data.update(fields)
    return client.post("/register", data=data)


def stored(db) -> User | None:
    return db.scalar(select(User).where(User.email == "nurse@example.org"))


def test_every_question_starts_at_choose_and_nothing_is_preselected(client):
    page = client.get("/register", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    for name in ("profession", "country", "region", "licence_type"):
        assert first_option(page, name)[0] == ""
        assert selected(page, name) in (None, "")
    assert "Choisir…" in page or "Choose…" in page
    # Neither Afghanistan nor Police as a silent default.
    assert selected(page, "country") != "AF"
    assert selected(page, "profession") != "police"


@pytest.mark.parametrize(
    ("header", "country"),
    [("es-MX,es;q=0.9", "MX"), ("en-US,en;q=0.9", "US"), ("fr-CA", "CA"), ("fr", None)],
)
def test_the_country_is_preselected_from_the_browser_language_region(client, header, country):
    page = client.get("/register", headers={"Accept-Language": header}).get_data(as_text=True)
    assert selected(page, "country") == country


def test_regions_are_grouped_by_country_in_a_plain_select(client):
    page = client.get("/register", headers=SPANISH).get_data(as_text=True)
    region = re.search(r'<select[^>]*name="region"[^>]*>(.*?)</select>', page, re.S).group(1)
    assert '<optgroup label="Estados Unidos">' in region
    assert '<optgroup label="Canadá">' in region
    assert '<option value="US-MI">Míchigan</option>' in region
    assert '<option value="CA-ON">Ontario</option>' in region
    # The profession question explains itself, in the page's language.
    assert "Profesional con licencia" in page
    assert "Elija esta opción si una junta de licencias exige" in page


def test_a_michigan_nurse_registers_with_her_region_and_licence(client, db):
    assert register(client).status_code == 302
    user = stored(db)
    assert (user.profession, user.country, user.region, user.licence_type) == (
        "licensed",
        "US",
        "US-MI",
        "nurse",
    )
    assert user.timezone is None  # follows her state until she chooses


def test_skipping_the_questions_is_refused_with_a_message_per_question(client, db):
    response = register(client, profession="", country="", region="", licence_type="")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Choose your profession: it decides your courses." in page
    assert "Choose the country where you work." in page
    assert stored(db) is None


def test_a_us_learner_must_give_her_state(client, db):
    page = register(client, region="").get_data(as_text=True)
    assert "Choose your state or province: the licensing rules that apply follow it." in page
    assert stored(db) is None


def test_a_region_of_another_country_is_refused(client, db):
    page = register(client, country="CA", region="US-MI").get_data(as_text=True)
    assert "US-MI is not in Canada; choose a state or province of that country." in page
    assert stored(db) is None


def test_a_country_without_asked_regions_needs_none(client, db):
    response = register(client, country="KE", region="", profession="health", licence_type="none")
    assert response.status_code == 302
    user = stored(db)
    assert (user.country, user.region, user.licence_type) == ("KE", None, None)


def test_health_and_licensed_people_answer_the_licence_question(client, db):
    page = register(client, profession="health", licence_type="").get_data(as_text=True)
    assert "Choose your licence type, or “I hold no licence”." in page
    assert stored(db) is None


def test_a_licence_that_does_not_go_with_the_profession_is_refused(client, db):
    page = register(client, profession="health", licence_type="cosmetologist").get_data(
        as_text=True
    )
    assert "A Cosmetologist licence does not go with the profession Health worker." in page
    assert stored(db) is None


def test_no_licence_with_a_licence_number_is_refused(client, db):
    page = register(client, licence_type="none", licence_number="RN 1").get_data(as_text=True)
    assert "You chose “I hold no licence”" in page
    assert stored(db) is None


def test_police_need_no_licence_answer(client, db):
    response = register(client, profession="police", country="KE", region="", licence_type="")
    assert response.status_code == 302


def test_registration_without_the_csrf_token_is_refused(client, db):
    response = register(client, csrf_token="")
    assert response.status_code == 400
    assert stored(db) is None


def test_the_account_page_shows_and_saves_region_and_time_zone(client, make, auth, db):
    user = make.user(profession="licensed", country="US", region="US-MI", licence_type="nurse")
    auth.login()
    page = client.get("/account").get_data(as_text=True)
    assert selected(page, "region") == "US-MI"
    assert "Automatic: America/Detroit, from where you work" in page
    response = client.post(
        "/account",
        data={
            "csrf_token": csrf_token(client, "/account"),
            "full_name": "Amina Haddad",
            "profession": "licensed",
            "country": "CA",
            "region": "CA-ON",
            "licence_type": "nurse",
            "timezone": "America/Toronto",
        },
    )
    assert response.status_code == 302
    db.refresh(user)
    assert (user.country, user.region, user.timezone) == ("CA", "CA-ON", "America/Toronto")


def test_the_account_page_refuses_an_unknown_time_zone(client, make, auth, db):
    user = make.user(profession="police", country="KE")
    auth.login()
    response = client.post(
        "/account",
        data={
            "csrf_token": csrf_token(client, "/account"),
            "full_name": "Jane Wanjiru",
            "profession": "police",
            "country": "KE",
            "timezone": "Mars/Olympus_Mons",
        },
    )
    assert response.status_code == 400
    db.refresh(user)
    assert user.timezone is None


def test_the_messages_name_the_country_in_the_page_language(client, db):
    client.set_cookie("trainer_locale", "es")
    page = register(client, country="CA", region="US-MI").get_data(as_text=True)
    assert "US-MI no está en Canadá; elija un estado o una provincia de ese país." in page
