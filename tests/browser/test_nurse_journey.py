"""The nurse, in a real browser: register, read the health course, pass its assessment
(a branching scenario included), download the certificate and see it verified.

Elements are found by id, name, href and role, never by their words, so the same
journey runs in any interface language (``LOCALES``).
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from playwright.sync_api import Page, expect

from tests.browser.answering import answer_every_item
from tests.browser.browsing import LOCALES, NewPage, Screenshots
from tests.browser.data import Seeder, suffix
from tests.conftest import PASSWORD

NAME = "Amina Haddad-Okafor"
LICENCE = "RN-4412093"
BOARD = "Michigan Board of Nursing"


def register_nurse(page: Page, email: str) -> None:
    page.goto("/register")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    page.fill("#full_name", NAME)
    page.select_option("#profession", "health")
    page.select_option("#country", "US")
    page.select_option("#region", "US-MI")
    page.select_option("#licence_type", "nurse")
    page.fill("#licence_number", LICENCE)
    page.fill("#licensing_board", BOARD)


def read_every_module(page: Page, seed: Seeder, shot: Screenshots) -> None:
    """From the course page, each module in turn, marked complete."""
    modules = seed.course("health").modules
    page.click(f"main a.button[href='/courses/health/modules/{modules[0].slug}']")
    for number, module in enumerate(modules, 1):
        expect(page).to_have_url(re.compile(f"/courses/health/modules/{module.slug}$"))
        expect(page.locator("article.module h1")).to_have_count(1)
        shot(page, f"module-{number}", full_page=False)
        page.click("form[action$='/complete'] button[type=submit]")
    expect(page).to_have_url(re.compile(r"/courses/health$"))


def pdf_text(path: str) -> str:
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (Debian's poppler-utils) is needed to read the PDF")
    return subprocess.run(  # noqa: S603 (a fixed program on our own file)
        [pdftotext, "-layout", path, "-"], capture_output=True, text=True, check=True
    ).stdout


def pass_the_assessment(page: Page, seed: Seeder, shot: Screenshots) -> None:
    """From the course page: start, answer every item right, submit; the review says passed."""
    page.click("main a.button[href='/courses/health/assessment']")
    shot(page, "assessment")
    page.click("main form button[type=submit]")
    types = answer_every_item(page, seed, lambda p, step: shot(p, step, full_page=False))
    assert "branching" in types and "ordering" in types, types
    expect(page).to_have_url(re.compile(r"/attempts/[^/]+$"))
    shot(page, "answers-before-submitting")
    page.click("form[action$='/submit'] button[type=submit]")
    expect(page).to_have_url(re.compile(r"/attempts/[^/]+/review$"))
    expect(page.locator(".result.result--pass")).to_have_count(1)
    shot(page, "passed", full_page=False)


def download_the_certificate(page: Page, shot: Screenshots) -> str:
    """From the dashboard to the certificate list and its PDF; the id printed on it."""
    page.goto("/dashboard")
    page.click("section[aria-labelledby=certificates-title] a[href='/certificates']")
    card = page.locator("main article.card")
    expect(card).to_have_count(1)
    expect(card.locator(".status--valid")).to_have_count(1)
    shot(page, "certificates")
    with page.expect_download() as download:
        card.locator("a[href$='.pdf']").click()
    pdf = shot.folder / "certificate.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF-")
    text = pdf_text(str(pdf))
    certificate_id = card.locator("dd.cert-id").inner_text().strip()
    assert NAME in text and LICENCE in text and certificate_id in text, text
    return certificate_id


@pytest.mark.parametrize("locale", LOCALES)
def test_nurse_from_registration_to_a_verified_certificate(
    new_page: NewPage, seed: Seeder, screenshot: Screenshots, locale: str
) -> None:
    page = new_page()
    email = f"nurse-{locale}-{suffix()}@example.org"
    register_nurse(page, email)
    screenshot(page, "register")
    page.click("main form button[type=submit]")
    # Registration answers alike for new and taken addresses (nothing to enumerate),
    # so it does not sign in: the nurse signs in with the password she chose.
    expect(page).to_have_url(re.compile(r"/login$"))
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("main form button[type=submit]")

    # The dashboard offers the health curriculum: the core course and the health course.
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    curriculum = page.locator("section[aria-labelledby=curriculum-title]")
    expect(curriculum.locator("a[href='/courses/core']")).to_have_count(1)
    expect(curriculum.locator("a[href='/courses/health']")).to_have_count(1)
    screenshot(page, "dashboard")

    curriculum.locator("a[href='/courses/health']").click()
    expect(page.locator("h1")).to_have_count(1)
    screenshot(page, "course")
    read_every_module(page, seed, screenshot)
    expect(page.locator("progress#course-progress")).to_have_attribute("value", "5")
    screenshot(page, "modules-done")
    pass_the_assessment(page, seed, screenshot)
    certificate_id = download_the_certificate(page, screenshot)

    # Its verify page says valid, to anyone.
    anyone = new_page()
    anyone.goto(f"/verify/{certificate_id}")
    expect(anyone.locator(".verdict.verdict--valid .status--valid")).to_have_count(1)
    expect(anyone.locator("dl.record")).to_contain_text(NAME)
    expect(anyone.locator("dl.record")).to_contain_text("******2093")
    screenshot(anyone, "verified")
