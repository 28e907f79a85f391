"""Pages reflow at 320 CSS pixels and at 200% zoom (WCAG 2.1 AA, 1.4.10 and 1.4.4).

200% zoom on a 1280-pixel screen is a 640-pixel viewport at device scale 2: what
the browser lays out when a person zooms, without touching the page's CSS.
At both sizes the page never scrolls sideways, no text is cut off at the edge
or by an overflowing box, wide tables scroll inside their own box, and every
link of the navigation is on screen and not covered.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.browsing import NewPage, Screenshots
from tests.browser.pages import PAGE_TYPES, PageType
from tests.browser.site import Site

SIZES = {
    "320px": {"viewport": {"width": 320, "height": 640}},
    "200% zoom": {"viewport": {"width": 640, "height": 450}, "device_scale_factor": 2},
}

#: A function that lists what does not reflow, in words a person can act on.
REFLOW_PROBLEMS = (Path(__file__).parent / "reflow.js").read_text()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("page_type", PAGE_TYPES, ids=[p.name for p in PAGE_TYPES])
def test_reflows(
    new_page: NewPage, site: Site, screenshot: Screenshots, page_type: PageType, size: str
) -> None:
    page = new_page(as_user=getattr(site, page_type.who) if page_type.who else None, **SIZES[size])
    page_type.visit(page, site)
    page.wait_for_load_state()
    screenshot(page, "page")
    problems = page.evaluate(REFLOW_PROBLEMS)
    assert not problems, "\n".join(problems)
