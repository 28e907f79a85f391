"""An Arabic reader gets the interface laid out right to left, and in English the
same page runs left to right: the brand, the navigation and the text all mirror."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe import Axe
from tests.browser.browsing import LAPTOP, NewPage, Screenshots

SCREENSHOTS = Path(__file__).parents[2] / "docs" / "screenshots"


def layout(page: Page) -> dict[str, Any]:
    """Where the brand and the navigation sit, the text direction, the page's width."""
    return page.evaluate(
        """() => {
            const brand = document.querySelector('.site-header .brand').getBoundingClientRect();
            const links = [...document.querySelectorAll('.site-header nav a')];
            return {
                brand_left: brand.left, brand_right: brand.right,
                first_link: links[0].getBoundingClientRect().left,
                last_link: links[links.length - 1].getBoundingClientRect().left,
                direction: getComputedStyle(document.querySelector('main')).direction,
                width: document.documentElement.clientWidth,
                scroll_width: document.documentElement.scrollWidth,
            };
        }"""
    )


@pytest.mark.parametrize("locale", ["ar"])
def test_the_arabic_interface_reads_right_to_left(
    new_page: NewPage, axe: Axe, screenshot: Screenshots, locale: str
) -> None:
    page = new_page(viewport=LAPTOP)
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    arabic = layout(page)
    shot = screenshot(page, "home-ar", full_page=False)

    # The brand sits at the right edge, the navigation runs leftwards, text right to left.
    assert arabic["brand_left"] > arabic["width"] / 2
    assert arabic["first_link"] > arabic["last_link"]
    assert arabic["direction"] == "rtl"
    assert arabic["scroll_width"] <= arabic["width"]  # nothing pushed off the side
    axe.check(page, "home (Arabic, right to left)")

    page.goto("/login")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    axe.check(page, "sign-in (Arabic, right to left)")
    screenshot(page, "login-ar", full_page=False)

    # The picker switches the same reader to English: the brand goes back to the left.
    page.goto("/")
    page.click("form.language-picker button[value='en']")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    english = layout(page)
    assert english["brand_right"] < english["width"] / 2
    assert english["first_link"] < english["last_link"]

    shutil.copyfile(shot, SCREENSHOTS / "home-arabic-rtl.png")
