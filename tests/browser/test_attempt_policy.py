"""No dead ends in the assessment, in a real browser at a laptop's and a phone's width:
the confirmation before submitting unanswered questions, and the result page that says
what happens next (attempts left and when, a new set after the wait, the certificate).

Elements are found by id, href and ``data-testid``, never by their words.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.browser.browsing import PHONE, NewPage, Screenshots
from tests.browser.data import Account, Seeder
from trainer.models import Attempt, utcnow

WIDE = {"width": 1366, "height": 900}
VIEWPORTS = {"1366": WIDE, "390": PHONE}
COURSE = "police"


def attempts_of(seed: Seeder, account: Account) -> list[Attempt]:
    with seed.live.session() as db:
        found = db.query(Attempt).filter(Attempt.user_id == account.id).all()
        return sorted(found, key=lambda a: a.started_at)


def as_if_days_ago(seed: Seeder, account: Account, days: float) -> None:
    """Move the learner's attempts back in time, past the cool-down."""
    with seed.live.session() as db:
        for attempt in db.query(Attempt).filter(Attempt.user_id == account.id):
            attempt.started_at = utcnow() - timedelta(days=days, hours=1)
            if attempt.submitted_at is not None:
                attempt.submitted_at = utcnow() - timedelta(days=days)


def no_horizontal_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"the page scrolls sideways ({width}px)"


@pytest.mark.parametrize("width", sorted(VIEWPORTS))
def test_submitting_with_unanswered_questions_asks_first(
    new_page: NewPage, seed: Seeder, screenshot: Screenshots, width: str
) -> None:
    learner = seed.user("Nadia Karim", profession="police")
    page = new_page(viewport=VIEWPORTS[width], as_user=learner)
    page.goto(f"/courses/{COURSE}/assessment")
    page.click("main form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/attempts/[^/]+/items/1$"))
    attempt_id = page.url.split("/")[-3]
    page.goto(f"/attempts/{attempt_id}")
    page.click("form[action$='/submit'] button[type=submit]")

    expect(page).to_have_url(re.compile(rf"/attempts/{attempt_id}/confirm$"))
    total = len(seed.attempt(attempt_id)[1])
    expect(page.locator("[data-testid=unanswered] li")).to_have_count(total)
    no_horizontal_scroll(page)
    screenshot(page, f"confirm-{width}")

    # "Answer them first" leads to the first unanswered question; nothing was graded.
    page.click("[data-testid=answer-them]")
    expect(page).to_have_url(re.compile(rf"/attempts/{attempt_id}/items/1$"))
    assert attempts_of(seed, learner)[-1].submitted_at is None

    page.goto(f"/attempts/{attempt_id}/confirm")
    page.click("[data-testid=submit-anyway]")
    expect(page).to_have_url(re.compile(rf"/attempts/{attempt_id}/review$"))
    step = page.locator("[data-testid=next-step]")
    expect(step).to_have_attribute("data-next", "cool_down")
    expect(step.locator("strong")).to_contain_text("UTC")
    no_horizontal_scroll(page)
    screenshot(page, f"result-cool-down-{width}", full_page=False)


@pytest.mark.parametrize("width", sorted(VIEWPORTS))
def test_after_the_last_attempt_a_new_set_opens_after_a_wait(
    new_page: NewPage, seed: Seeder, screenshot: Screenshots, width: str
) -> None:
    learner = seed.user("Tomás Rivera", profession="police")
    for _ in range(3):
        seed.submitted_attempt(learner, COURSE, wrong=10)
        as_if_days_ago(seed, learner, 1)
    last = attempts_of(seed, learner)[-1]
    page = new_page(viewport=VIEWPORTS[width], as_user=learner)
    page.goto(f"/attempts/{last.id}/review")
    step = page.locator("[data-testid=next-step]")
    expect(step).to_have_attribute("data-next", "new_set")
    expect(step.locator("a.button")).to_have_count(0)  # nothing to press yet: a date
    no_horizontal_scroll(page)
    screenshot(page, f"result-new-set-{width}", full_page=False)

    page.goto(f"/courses/{COURSE}/assessment")
    expect(page.locator("main form button[type=submit]")).to_have_count(0)
    screenshot(page, f"assessment-waiting-{width}")

    as_if_days_ago(seed, learner, 8)  # the week is over: a new set
    page.reload()
    page.click("main form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/attempts/[^/]+/items/1$"))


@pytest.mark.parametrize("width", sorted(VIEWPORTS))
def test_passing_says_the_certificate_is_ready(
    new_page: NewPage, seed: Seeder, screenshot: Screenshots, width: str
) -> None:
    learner = seed.user("Grace Mwangi", profession="police")
    seed.certificate(learner, COURSE)
    passed = attempts_of(seed, learner)[-1]
    page = new_page(viewport=VIEWPORTS[width], as_user=learner)
    page.goto(f"/attempts/{passed.id}/review")
    step = page.locator("[data-testid=next-step]")
    expect(step).to_have_attribute("data-next", "certificate")
    link = step.locator("[data-testid=certificate-link]")
    expect(link).to_have_attribute(
        "href", re.compile(r"^/certificates/[0-9A-Z]+[0-9A-Z*~$=]\.pdf$")
    )
    no_horizontal_scroll(page)
    screenshot(page, f"result-certificate-{width}", full_page=False)
    with page.expect_download() as download:
        link.click()
    assert download.value.path().read_bytes().startswith(b"%PDF-")
