"""The registration form's choices, in a real browser: nothing preselected but the
country the browser's language names, regions grouped by country in a plain select
(no script), each skipped question named, and a Michigan nurse getting through.

Screenshots at 1366 and 390 px, in English and Spanish:
``artifacts/test_registration_choices-<locale>-<width>/``.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.browsing import (
    LOCALES,
    PHONE,
    TIMEOUT_MS,
    Screenshots,
    context_options,
    sign_in,
    watch_for_problems,
)
from tests.browser.data import suffix
from tests.browser.server import LiveServer
from tests.conftest import PASSWORD

#: Every profession a learner can choose: the form explains each one.
PROFESSIONS = tomllib.loads(
    (Path(__file__).parents[2] / "courses" / "professions.toml").read_text(encoding="utf-8")
)["professions"]

WIDE = {"width": 1366, "height": 900}
#: A browser whose language names a region: the country it gives is preselected.
LANGUAGE_WITH_REGION = {"en": ("en-US", "US"), "es": ("es-MX", "MX")}


def fill_account(page: Page) -> str:
    """Fill the account fields; the address used."""
    email = f"choices-{suffix()}@example.org"
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    page.fill("#full_name", "Amina Haddad")
    return email


def error_links(page: Page) -> list[str]:
    """The fields the error summary at the top links to."""
    links = page.locator(".error-summary a").all()
    return [link.get_attribute("href") or "" for link in links]


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1366", "390"])
@pytest.mark.parametrize("locale", LOCALES)
def test_registration_choices(
    browser: Browser,
    live_server: LiveServer,
    screenshot: Screenshots,
    locale: str,
    viewport: dict[str, int],
) -> None:
    language, country = LANGUAGE_WITH_REGION[locale]
    # A browser set to es-MX (or en-US) sends it as Accept-Language.
    context = browser.new_context(**context_options(live_server.url, language, viewport))
    context.set_default_timeout(TIMEOUT_MS)
    problems: list[str] = []
    try:
        page = context.new_page()
        watch_for_problems(page, problems)
        register_step_by_step(page, screenshot, country)
    finally:
        context.close()
    assert not problems, problems


def register_step_by_step(page: Page, screenshot: Screenshots, country: str) -> None:
    page.goto("/register")
    for question in ("#profession", "#region", "#licence_type"):
        expect(page.locator(question)).to_have_value("")  # "Choose…", not a guess
    expect(page.locator("#country")).to_have_value(country)
    # States and provinces of the United States and Canada, grouped, in a plain select.
    groups = page.locator("#region optgroup")
    expect(groups).to_have_count(2)
    expect(page.locator("#region optgroup option[value='US-MI']")).to_have_count(1)
    expect(page.locator("#region optgroup option[value='CA-ON']")).to_have_count(1)
    # The profession question explains each choice.
    expect(page.locator("#profession-help dt")).to_have_count(len(PROFESSIONS))
    screenshot(page, "choices")

    # Skipping the questions: each one is named, nothing is assumed.
    email = fill_account(page)
    page.select_option("#country", "US")
    page.click("main form button[type=submit]")
    expect(page.locator(".error-summary")).to_be_visible()
    assert error_links(page) == ["#profession", "#region"], error_links(page)
    page.select_option("#profession", "licensed")
    page.select_option("#country", "CA")
    page.select_option("#region", "US-MI")
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    page.click("main form button[type=submit]")
    assert error_links(page) == ["#region", "#licence_type"], error_links(page)
    expect(page.locator("#region")).to_have_attribute("aria-invalid", "true")
    screenshot(page, "errors")

    # A Michigan nurse answers everything and gets in.
    page.select_option("#country", "US")
    page.select_option("#region", "US-MI")
    page.select_option("#licence_type", "nurse")
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    page.click("main form button[type=submit]")
    # The same answer for a new or a taken address (no account enumeration): sign in next.
    expect(page).to_have_url(re.compile(r"/login$"))
    sign_in(page, email)
    expect(page).to_have_url(re.compile(r"/dashboard$"))
