"""Fixtures for tests in a real browser: Debian's Chromium, driven by Playwright for Python,
against the real app served on 127.0.0.1 with a database of its own (``server.py``).

Tests select elements by stable attributes (``id``, ``name``, ``href``, roles and
``data-testid``), never by English text, and take the interface language as the
``locale`` fixture, so every journey can run in another language: parametrise
``locale`` over :data:`LOCALES`.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.axe import Axe, load_axe
from tests.browser.data import Seeder
from tests.browser.server import LiveServer, serve
from tests.conftest import PASSWORD

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Response

CHROMIUM = Path(os.environ.get("TRAINER_TEST_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
#: Interface languages the journeys run in.
LOCALES = ["en"]
#: Where step screenshots and accessibility results go (gitignored).
ARTIFACTS = Path(os.environ.get("TRAINER_TEST_ARTIFACTS") or Path(__file__).parent / "artifacts")
#: A phone, as in the README's screenshots; and a laptop for the admin pages.
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 900}
#: How long an action or an expectation may wait, in milliseconds.
TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with serve(tmp_path_factory.mktemp("live")) as live:
        yield live


@pytest.fixture(scope="session")
def seed(live_server: LiveServer) -> Seeder:
    """Committed data in the live server's database (users, organisations, certificates)."""
    return Seeder(live_server)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip(
            f"Chromium is not installed at {CHROMIUM}: apt-get install chromium "
            "(or point TRAINER_TEST_CHROMIUM at it)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # Debian's Chromium, never a downloaded one (`playwright install` is not needed).
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


#: Every axe report of the session, for the summary at the end.
AXE_REPORTS: list[Axe] = []


@pytest.fixture(scope="session")
def axe() -> Iterator[Axe]:
    """axe-core, loaded once; its results go to artifacts/accessibility/axe-results.json."""
    checker = load_axe()
    AXE_REPORTS.append(checker)
    yield checker
    checker.write(ARTIFACTS / "accessibility" / "axe-results.json")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for checker in AXE_REPORTS:
        lines = checker.summary()
        if lines:
            terminalreporter.section("axe-core results per page type")
            for line in lines:
                terminalreporter.write_line(line)


@pytest.fixture
def locale() -> str:
    """The interface language; journeys parametrise it over LOCALES."""
    return "en"


NewPage = Callable[..., "Page"]


@pytest.fixture
def new_page(browser: Browser, live_server: LiveServer, locale: str) -> Iterator[NewPage]:
    """Open pages in fresh browser contexts (no shared cookies); each checked when closed.

    A page fails its test if the browser logged an error (a blocked resource, a
    script error, a Content-Security-Policy violation) or the server raised one.
    """
    contexts: list[BrowserContext] = []
    problems: list[str] = []
    errors_before = len(live_server.errors)

    def open_page(viewport: dict[str, int] | None = None, **options: object) -> Page:
        context = browser.new_context(
            base_url=live_server.url,
            locale=locale,  # sets Accept-Language, which picks the interface language
            viewport=viewport or PHONE,  # type: ignore[arg-type]
            accept_downloads=True,
            **options,  # type: ignore[arg-type]
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda message: _note_console(message, problems))
        page.on("response", lambda response: _note_response(response, problems))
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        return page

    yield open_page
    for context in contexts:
        context.close()
    server_errors = live_server.errors[errors_before:]
    assert not server_errors, f"the server raised: {server_errors!r}"
    assert not problems, "the browser reported:\n" + "\n".join(problems)


def _note_console(message: ConsoleMessage, problems: list[str]) -> None:
    # A page answered with an error status (a form with errors answers 400) is
    # logged too; failed resources are caught by _note_response instead.
    if message.type == "error" and not message.text.startswith("Failed to load resource"):
        problems.append(f"console error: {message.text} ({message.location.get('url')})")


def _note_response(response: Response, problems: list[str]) -> None:
    """A style sheet, image or font the page needs that did not load."""
    kind = response.request.resource_type
    # The site has no icon; Chromium asks for one anyway.
    if kind != "document" and response.status >= 400 and not response.url.endswith("/favicon.ico"):
        problems.append(f"{kind} {response.url} answered {response.status}")


@pytest.fixture
def page(new_page: NewPage) -> Page:
    return new_page()


def artifact_folder(test_name: str) -> Path:
    """``artifacts/<test>/``, emptied: each run leaves only its own images."""
    folder = ARTIFACTS / re.sub(r"[^A-Za-z0-9_.-]+", "-", test_name).strip("-")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


class Screenshots:
    """Numbered step images: ``artifacts/<test>/NN-step.png``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.count = 0

    def __call__(self, page: Page, step: str, *, full_page: bool = True) -> Path:
        self.count += 1
        path = self.folder / f"{self.count:02d}-{step}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path


@pytest.fixture
def screenshot(request: pytest.FixtureRequest) -> Screenshots:
    return Screenshots(artifact_folder(request.node.name))


def sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    """Sign in through the real form, as a person would."""
    from playwright.sync_api import expect

    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.locator("main form button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/login"))
    expect(page.locator("form[action='/logout']")).to_have_count(1)
