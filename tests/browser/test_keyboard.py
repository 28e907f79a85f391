"""The keyboard alone completes an assessment: every item type, the ordering item's
positions and the branching scenario's choices included, then the submission."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.answering import item_on_screen
from tests.browser.browsing import LOCALES, NewPage, Screenshots
from tests.browser.data import Seeder
from tests.browser.keyboard import answer_with_keyboard, press_enter_and_wait, tab_to


@pytest.mark.parametrize("locale", LOCALES)
def test_keyboard_alone_completes_an_assessment(
    new_page: NewPage, seed: Seeder, screenshot: Screenshots, locale: str
) -> None:
    learner = seed.user("Kofi Boateng")
    seed.finish_modules(learner, "health")
    page = new_page(as_user=learner)
    page.goto("/courses/health/assessment")
    tab_to(page, "main form button[type=submit]")
    screenshot(page, "start", full_page=False)
    press_enter_and_wait(page)

    types = []
    while True:
        shown = item_on_screen(page, seed)
        types.append(shown.item.type)
        answer_with_keyboard(page, shown)
        if shown.last:
            break
    assert {"single", "multiple", "classification", "ordering", "branching"} <= set(types)

    expect(page).to_have_url(re.compile(r"/attempts/[^/]+$"))
    tab_to(page, "form[action$='/submit'] button[type=submit]")
    screenshot(page, "submit", full_page=False)
    press_enter_and_wait(page)
    expect(page).to_have_url(re.compile(r"/attempts/[^/]+/review$"))
    expect(page.locator(".result.result--pass")).to_have_count(1)
    screenshot(page, "passed", full_page=False)
