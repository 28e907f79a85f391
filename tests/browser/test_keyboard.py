"""The keyboard alone completes an assessment: every item type, the ordering item's
positions and the branching scenario's choices included, then the submission.
And the first Tab reaches the skip link, which takes focus past the navigation."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.answering import item_on_screen
from tests.browser.browsing import LOCALES, NewPage, OpenPage, Screenshots
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


def test_the_skip_link_is_the_first_stop_and_leads_to_the_content(open_page: OpenPage) -> None:
    page = open_page()
    page.goto("/courses")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    page.keyboard.press("Tab")  # the next stop is inside the content, past the navigation
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)")
