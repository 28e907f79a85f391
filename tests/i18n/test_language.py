"""Which language a page is in: the picker, the account, the cookie, the browser."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.conftest import csrf_token
from trainer.i18n import COOKIE_NAME
from trainer.models import User

PICKER = re.compile(r'<form method="post" action="/language"[^>]*>(.*?)</form>', re.S)


def lang_of(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.get_data(as_text=True)).group(1)


def choose(client, locale: str, next_url: str = "/courses", **extra):
    """Press a language in the footer picker, as a browser without JavaScript does."""
    data = {"csrf_token": csrf_token(client, "/"), "locale": locale, "next": next_url}
    return client.post("/language", data=data, **extra)


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        ("es-MX,es;q=0.9,en;q=0.5", "es"),
        ("fr-CA", "fr"),
        ("de-DE,ar;q=0.8", "ar"),
        ("de-DE", "en"),
        (None, "en"),
    ],
)
def test_the_browser_language_is_used_when_nothing_was_chosen(client, header, lang):
    headers = {"Accept-Language": header} if header else {}
    assert lang_of(client.get("/", headers=headers)) == lang


def test_pages_chosen_by_the_browser_language_say_so_to_caches(client):
    assert "Accept-Language" in client.get("/", headers={"Accept-Language": "fr"}).vary
    client.set_cookie(COOKIE_NAME, "es")
    by_cookie = client.get("/").vary
    assert "Accept-Language" not in by_cookie and "Cookie" in by_cookie


def test_every_page_has_the_picker_with_each_language_in_its_own_name(client):
    for path in ("/", "/login", "/verify", "/no-such-page"):
        picker = PICKER.search(client.get(path).get_data(as_text=True))
        assert picker, f"no language picker on {path}"
        buttons = picker.group(1)
        assert 'name="csrf_token"' in buttons
        assert f'name="next" value="{path}"' in buttons
        for code, name in [("en", "English"), ("fr", "Français"), ("es", "Español")]:
            assert f'value="{code}" lang="{code}" dir="ltr"' in buttons and f">{name}<" in buttons
        assert 'value="ar" lang="ar" dir="rtl"' in buttons and ">العربية<" in buttons


def test_the_picker_shows_which_language_is_in_use(client):
    page = client.get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert re.search(r'value="fr"[^>]*aria-current="true"', page)
    assert not re.search(r'value="en"[^>]*aria-current', page)


def test_choosing_a_language_sets_a_year_long_cookie_and_returns_to_the_page(client):
    response = choose(client, "es", "/courses?profession=health")
    assert response.status_code == 302
    assert response.headers["Location"] == "/courses?profession=health"
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith(f"{COOKIE_NAME}=es;")
    assert "Max-Age=31536000" in cookie and "SameSite=Lax" in cookie and "HttpOnly" in cookie
    assert "Secure" not in cookie  # plain http: a Secure cookie would never come back
    page = client.get("/courses?profession=health", headers={"Accept-Language": "fr"})
    assert lang_of(page) == "es"  # the choice beats the browser
    assert "<h1>Cursos para: " in page.get_data(as_text=True)


def test_over_https_the_cookie_is_secure(client):
    token = csrf_token(client, "/")
    response = client.post(
        "/language",
        data={"csrf_token": token, "locale": "fr", "next": "/"},
        base_url="https://localhost",
        headers={"Referer": "https://localhost/"},
    )
    assert response.status_code == 302
    assert "Secure" in response.headers["Set-Cookie"]


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)", ""],
)
def test_the_picker_never_sends_anyone_to_another_site(client, next_url):
    response = choose(client, "fr", next_url)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert f"{COOKIE_NAME}=fr" in response.headers["Set-Cookie"]


def test_the_picker_needs_its_csrf_token(client):
    response = client.post("/language", data={"locale": "fr", "next": "/"})
    assert response.status_code == 400
    assert "Set-Cookie" not in response.headers or COOKIE_NAME not in response.headers["Set-Cookie"]
    assert "The form expired or was sent from elsewhere" in response.get_data(as_text=True)


def test_an_unknown_language_is_refused_with_the_choices(client):
    response = choose(client, "de")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Choose one of these languages: en (English), fr (Français), es (Español)" in page
    assert COOKIE_NAME not in response.headers.get("Set-Cookie", "")


def test_an_unknown_cookie_value_is_ignored(client):
    client.set_cookie(COOKIE_NAME, "xx")
    assert lang_of(client.get("/", headers={"Accept-Language": "es"})) == "es"


def test_a_signed_in_choice_is_kept_on_the_account(client, make, auth, db):
    user = make.user()
    auth.login()
    choose(client, "fr")
    db.refresh(user)
    assert user.locale == "fr"
    other_browser = client.application.test_client()
    other_browser.post(
        "/login",
        data={
            "csrf_token": csrf_token(other_browser, "/login"),
            "email": user.email,
            "password": "correct horse battery staple",
        },
    )
    # A new browser, asking for Spanish, without the cookie: the account's choice wins.
    page = other_browser.get("/dashboard", headers={"Accept-Language": "es"})
    assert lang_of(page) == "fr"
    assert "Tableau de bord" in page.get_data(as_text=True)


def test_the_account_language_beats_the_cookie(client, make, auth, db):
    user = make.user()
    user.locale = "es"
    db.commit()
    client.set_cookie(COOKIE_NAME, "fr")
    auth.login()
    assert lang_of(client.get("/dashboard")) == "es"
    auth.logout()
    assert lang_of(client.get("/")) == "fr"  # signed out: the cookie again


def test_the_account_page_sets_and_clears_the_language(client, make, auth, db):
    user = make.user()
    auth.login()
    profile = {
        "full_name": "Test Learner",
        "profession": "health",
        "country": "US",
        "region": "US-MI",
        "licence_type": "none",
    }
    page = client.get("/account").get_data(as_text=True)
    assert re.search(r'<select[^>]* id="locale" name="locale"', page)
    assert '<option selected value="">The language my browser asks for</option>' in page
    response = client.post(
        "/account", data={"csrf_token": csrf_token(client, "/account"), "locale": "es", **profile}
    )
    assert response.status_code == 302
    db.refresh(user)
    assert user.locale == "es"
    saved = client.get("/account").get_data(as_text=True)
    assert "Sus datos se han guardado." in saved  # the confirmation already in Spanish
    assert '<option selected value="es">Español</option>' in saved
    client.post(
        "/account", data={"csrf_token": csrf_token(client, "/account"), "locale": "", **profile}
    )
    db.refresh(user)
    assert user.locale is None


def test_the_account_page_refuses_an_unknown_language(client, make, auth, db):
    user = make.user()
    auth.login()
    response = client.post(
        "/account",
        data={
            "csrf_token": csrf_token(client, "/account"),
            "locale": "xx",
            "full_name": "Test Learner",
            "profession": "health",
            "country": "US",
        },
    )
    assert response.status_code == 400
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert db.scalar(select(User.locale).where(User.id == user.id)) is None


def test_content_can_follow_the_browser_apart_from_the_interface(app):
    from trainer.i18n import browser_language

    with app.test_request_context("/api/v1/courses", headers={"Accept-Language": "pt-BR,es;q=0.5"}):
        assert browser_language({"en", "es"}) == "es"
        assert browser_language(["en", "pt-BR"]) == "pt-BR"
        assert browser_language(["en", "de"]) is None
    with app.test_request_context("/api/v1/courses"):
        assert browser_language(["en", "es"]) is None


def test_the_json_api_answers_in_english_whatever_the_browser_says(client):
    response = client.get("/api/v1/verify/0000", headers={"Accept-Language": "fr"})
    assert response.status_code == 400
    assert response.json["error"]["message"].startswith("A certificate id has 27 characters")
