"""axe-core over every page type (WCAG 2.1 A and AA): no serious or critical violation.

Each page type's results (violations by impact, rules passed) are written to
``artifacts/accessibility/axe-results.json`` and summed up at the end of the run.
"""

from __future__ import annotations

import pytest

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
    axe.check(page, page_type.name)
