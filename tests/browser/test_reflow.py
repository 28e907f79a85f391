"""Pages reflow at 320 CSS pixels and at 200% zoom (WCAG 2.1 AA, 1.4.10 and 1.4.4).

200% zoom on a 1280-pixel screen lays the page out in 640 CSS pixels: the test
gives the browser that viewport, as zooming would, and never touches the page's CSS.
At both sizes the page never scrolls sideways, no text is cut off at the edge
or by an overflowing box, wide tables scroll inside their own box, and every
link of the navigation is on screen and not covered.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.browsing import OpenPage, Screenshots
from tests.browser.pages import PAGE_TYPES, PageType
from tests.browser.site import Site

#: 320 CSS pixels; and a 1280-pixel screen at 200% zoom, which lays out 640 CSS pixels.
SIZES = {"320px": {"width": 320, "height": 640}, "200% zoom": {"width": 640, "height": 450}}

#: A function that lists what does not reflow, in words a person can act on.
REFLOW_PROBLEMS = (Path(__file__).parent / "reflow.js").read_text()


@pytest.mark.parametrize("page_type", PAGE_TYPES, ids=[p.name for p in PAGE_TYPES])
def test_reflows(
    open_page: OpenPage, site: Site, screenshot: Screenshots, page_type: PageType
) -> None:
    first, *others = SIZES.items()
    page = open_page(site.account(page_type.who), viewport=first[1])
    page_type.visit(page, site)
    page.wait_for_load_state()
    problems = []
    for size, viewport in [first, *others]:
        page.set_viewport_size(viewport)  # type: ignore[arg-type]
        screenshot(page, size.replace("%", "").replace(" ", "-"), full_page=False)
        problems += [f"{size}: {problem}" for problem in page.evaluate(REFLOW_PROBLEMS)]
    assert not problems, "\n".join(problems)
