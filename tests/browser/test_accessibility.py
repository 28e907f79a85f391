"""axe-core over every page type (WCAG 2.1 A and AA): no serious or critical violation.

Each page type's results (violations by impact, rules passed) are written to
``artifacts/accessibility/axe-results.json`` and summed up at the end of the run.
"""

from __future__ import annotations

from itertools import pairwise

import pytest
from playwright.sync_api import Page

from tests.browser.axe import Axe
from tests.browser.browsing import OpenPage, Screenshots
from tests.browser.pages import PAGE_TYPES, PageType
from tests.browser.site import Site


@pytest.mark.parametrize("page_type", PAGE_TYPES, ids=[p.name for p in PAGE_TYPES])
def test_no_serious_violation(
    open_page: OpenPage, site: Site, axe: Axe, screenshot: Screenshots, page_type: PageType
) -> None:
    page = open_page(site.account(page_type.who))
    page_type.visit(page, site)
    page.wait_for_load_state()
    screenshot(page, "page", full_page=False)
    title = page.title()
    assert title.strip() and "<" not in title, f"the page's title: {title!r}"
    assert_headings_in_order(page)
    axe.check(page, page_type.name)


def assert_headings_in_order(page: Page) -> None:
    """One h1, and no level skipped on the way down (h2 then h4), for heading navigation."""
    levels = page.eval_on_selector_all(
        "body :is(h1, h2, h3, h4, h5, h6)", "hs => hs.map(h => Number(h.tagName[1]))"
    )
    assert levels.count(1) == 1, f"headings {levels}: one h1 is needed"
    skips = [(a, b) for a, b in pairwise(levels) if b > a + 1]
    assert not skips, f"headings {levels} skip a level: {skips}"
