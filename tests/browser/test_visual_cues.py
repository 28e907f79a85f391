"""Focus is always visible, with enough contrast; colour is never the only signal.

Focus: on key pages, Tab visits every stop in turn; each focused element must
show an outline or a box-shadow that it does not show unfocused, whose colours
reach 3:1 against what lies behind (WCAG 2.1 AA, 1.4.11 and 2.4.7).

Colour: where a colour means something (right and wrong answers, a
certificate's status, overdue training, the report chart), words or a mark
say it too. The checks compare texts with each other, not with English words,
so they hold in any interface language.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.browsing import OpenPage, Screenshots
from tests.browser.pages import PAGE_TYPES, PageType
from tests.browser.site import Site
from tests.browser.styles import has_ring, ring_contrast, tab_through

KEY_PAGES = [
    "home",
    "login with error",
    "register with errors",
    "course",
    "module",
    "dashboard",
    "certificate list",
    "assessment: multiple select",
    "assessment: ordering",
    "assessment: branching under way",
    "review",
    "verify: valid",
    "batch verify with error",
    "org report",
    "enrolment with row errors",
    "admin certificate",
]
FOCUS_PAGES = [p for p in PAGE_TYPES if p.name in KEY_PAGES]


@pytest.mark.parametrize("page_type", FOCUS_PAGES, ids=[p.name for p in FOCUS_PAGES])
def test_focus_is_always_visible(open_page: OpenPage, site: Site, page_type: PageType) -> None:
    page = open_page(site.account(page_type.who))
    page_type.visit(page, site)
    page.wait_for_load_state()
    stops, unfocused = tab_through(page)
    assert len(stops) >= 3, f"Tab reached only {len(stops)} elements"
    problems = []
    for stop in stops:
        before = unfocused[stop["probe"]]
        changed = (
            f"{stop['outlineStyle']} {stop['outlineWidth']}px {stop['outlineColor']}"
            != before["outline"]
            or stop["shadow"] != before["shadow"]
        )
        if not (has_ring(stop) and changed):
            problems.append(f"no visible focus: {stop['html']}")
        elif ring_contrast(stop) < 3:
            problems.append(f"focus ring below 3:1 ({ring_contrast(stop):.2f}): {stop['html']}")
        if not stop["inView"]:
            problems.append(f"focused but not on screen: {stop['html']}")
    assert not problems, "\n".join(problems)


def texts(page: Page, selector: str) -> list[str]:
    return [t.strip() for t in page.locator(selector).all_inner_texts()]


def test_answers_are_marked_in_words_not_colour_alone(
    open_page: OpenPage, site: Site, screenshot: Screenshots
) -> None:
    page = open_page(site.reviewer)
    page.goto(f"/attempts/{site.review_attempt_id}/review")
    screenshot(page, "review", full_page=False)
    right = set(texts(page, ".review-title .done"))
    wrong = set(texts(page, ".review-title .wrong"))
    assert right and wrong, "the review shows both right and wrong answers"
    assert len(right) == 1 and len(wrong) == 1 and right != wrong, (right, wrong)
    assert next(iter(right)).startswith("✓") and next(iter(wrong)).startswith("✗")

    # A wrong choice and the right one are told apart by a word, not only by their border.
    chosen_wrong = page.locator(".review-options li.chosen:not(.key)").first
    key = page.locator(".review-options li.key:not(.chosen)").first
    chosen_words, key_words = chosen_wrong.locator("strong"), key.locator("strong")
    expect(chosen_words).to_have_count(1)
    expect(key_words).to_have_count(1)
    assert chosen_words.inner_text().strip() != key_words.inner_text().strip()
    expect(page.locator(".result strong")).not_to_have_text("")


def test_certificate_status_is_a_word_and_a_mark(open_page: OpenPage, site: Site) -> None:
    page = open_page()
    page.goto(f"/verify/{site.valid_certificate}")
    valid = page.locator(".verdict .status").inner_text().strip()
    page.goto(f"/verify/{site.revoked_certificate}")
    revoked = page.locator(".verdict .status").inner_text().strip()
    assert valid.startswith("✓") and revoked.startswith("✗")
    assert valid[1:].strip() and revoked[1:].strip() and valid[1:] != revoked[1:]


def test_overdue_training_is_said_in_words(open_page: OpenPage, site: Site) -> None:
    learner = open_page(site.learner)
    learner.goto("/dashboard")
    overdue = learner.locator(".card--overdue")
    expect(overdue).to_have_count(1)
    assert overdue.locator("strong").inner_text().strip()

    admin = open_page(site.org_admin)
    admin.goto(f"/orgs/{site.ministry.slug}/reports/learners?status=overdue")
    rows = admin.locator("main table tbody tr")
    expect(rows.first).to_be_visible()
    for row in rows.all():
        assert row.locator("strong").inner_text().strip(), row.inner_text()


def test_the_report_chart_has_words_and_hatching(open_page: OpenPage, site: Site) -> None:
    page = open_page(site.org_admin)
    page.goto(f"/orgs/{site.ministry.slug}/reports")
    chart = page.locator("svg.chart")
    bars = chart.locator("g")
    expect(bars).not_to_have_count(0)
    for bar in bars.all():
        labels = [t.strip() for t in bar.locator("text").all_text_contents()]
        assert len(labels) == 2 and all(labels), labels  # the unit, and "n% (done of all)"
    assert chart.locator("pattern#chart-hatch line").count() == 1
    assert (chart.locator("desc").text_content() or "").strip()
