"""Fixtures for tests in a real browser: Debian's Chromium, driven by Playwright for Python,
against the real app served on 127.0.0.1 with a database of its own (``server.py``).

Tests select elements by stable attributes (``id``, ``name``, ``href``, roles and
``data-testid``), never by English text, and take the interface language as the
``locale`` fixture, so every journey can run in another language: parametrise
``locale`` over ``LOCALES``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from tests.browser.axe import Axe, load_axe
from tests.browser.browsing import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    PHONE,
    TIMEOUT_MS,
    NewPage,
    OpenPage,
    Screenshots,
    artifact_folder,
    context_options,
    sign_in,
    watch_for_problems,
)
from tests.browser.data import Account, Seeder
from tests.browser.server import LiveServer, serve
from tests.browser.site import Site, build_site

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with serve(tmp_path_factory.mktemp("live")) as live:
        yield live


@pytest.fixture(scope="session")
def seed(live_server: LiveServer) -> Seeder:
    """Committed data in the live server's database (users, organisations, certificates)."""
    return Seeder(live_server)


@pytest.fixture(scope="session")
def site(seed: Seeder) -> Site:
    """Something on every page, for the accessibility checks (``site.py``)."""
    return build_site(seed)


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


#: Every axe checker of the session, for the summary at the end.
AXE_CHECKERS: list[Axe] = []


@pytest.fixture(scope="session")
def axe() -> Iterator[Axe]:
    """axe-core, loaded once; its results go to artifacts/accessibility/axe-results.json."""
    checker = load_axe()
    AXE_CHECKERS.append(checker)
    yield checker
    checker.write(ARTIFACTS / "accessibility" / "axe-results.json")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for checker in AXE_CHECKERS:
        lines = checker.summary()
        if lines:
            terminalreporter.section("axe-core results per page type")
            for line in lines:
                terminalreporter.write_line(line)


@pytest.fixture
def locale() -> str:
    """The interface language; journeys parametrise it over LOCALES."""
    return "en"


class Problems:
    """What went wrong during one test: in the browser, and on the server."""

    def __init__(self, live: LiveServer) -> None:
        self.live = live
        self.browser: list[str] = []
        self.server_errors_before = len(live.errors)

    def check(self) -> None:
        server_errors = self.live.errors[self.server_errors_before :]
        assert not server_errors, f"the server raised: {server_errors!r}"
        assert not self.browser, "the browser reported:\n" + "\n".join(self.browser)


class Contexts:
    """Browser contexts for the run: fresh ones, signed in or not, and kept pages."""

    def __init__(self, browser: Browser, base_url: str) -> None:
        self.browser = browser
        self.base_url = base_url
        self.signed_in: dict[tuple[str, str], Any] = {}
        self.kept: dict[tuple[str | None, str], Page] = {}

    def new(
        self, locale: str, viewport: dict[str, int] | None, as_user: Account | None, **options: Any
    ) -> BrowserContext:
        if as_user is not None:
            options["storage_state"] = self.signed_in_state(as_user, locale)
        context = self.browser.new_context(
            **context_options(self.base_url, locale, viewport), **options
        )
        context.set_default_timeout(TIMEOUT_MS)
        return context

    def signed_in_state(self, account: Account, locale: str) -> Any:
        """The account's cookies after one sign-in through the form, reused afterwards."""
        key = (account.email, locale)
        if key not in self.signed_in:
            context = self.new(locale, None, None)
            sign_in(context.new_page(), account.email, account.password)
            self.signed_in[key] = context.storage_state()
            context.close()
        return self.signed_in[key]

    def kept_page(self, account: Account | None, locale: str) -> Page:
        key = (account.email if account else None, locale)
        if key not in self.kept:
            self.kept[key] = self.new(locale, None, account).new_page()
        return self.kept[key]

    def close(self) -> None:
        for page in self.kept.values():
            page.context.close()


@pytest.fixture(scope="session")
def contexts(browser: Browser, live_server: LiveServer) -> Iterator[Contexts]:
    made = Contexts(browser, live_server.url)
    yield made
    made.close()


@pytest.fixture
def new_page(contexts: Contexts, live_server: LiveServer, locale: str) -> Iterator[NewPage]:
    """Open pages in fresh browser contexts; ``as_user`` starts them signed in.

    A page fails its test if the browser logged an error (a blocked resource, a
    script error, a Content-Security-Policy violation) or the server raised one.
    Signed-in tests must not sign out: the session's cookies are reused.
    """
    opened: list[BrowserContext] = []
    problems = Problems(live_server)

    def open_new(
        viewport: dict[str, int] | None = None, as_user: Account | None = None, **options: Any
    ) -> Page:
        context = contexts.new(locale, viewport, as_user, **options)
        opened.append(context)
        page = context.new_page()
        watch_for_problems(page, problems.browser)
        return page

    yield open_new
    for context in opened:
        context.close()
    problems.check()


@pytest.fixture
def open_page(contexts: Contexts, live_server: LiveServer, locale: str) -> Iterator[OpenPage]:
    """The account's page kept open between tests, resized to ``viewport``.

    Opening a page costs far more than going to another address in one, so
    checks that only read pages share one per account. Tests that use it must
    leave the account as they found it (and not sign out).
    """
    problems = Problems(live_server)
    stops = []

    def reuse(as_user: Account | None = None, viewport: dict[str, int] | None = None) -> Page:
        page = contexts.kept_page(as_user, locale)
        page.set_viewport_size(viewport or PHONE)  # type: ignore[arg-type]
        stops.append(watch_for_problems(page, problems.browser))
        return page

    yield reuse
    for stop in stops:
        stop()
    problems.check()


@pytest.fixture
def page(new_page: NewPage) -> Page:
    return new_page()


@pytest.fixture
def screenshot(request: pytest.FixtureRequest) -> Screenshots:
    return Screenshots(artifact_folder(request.node.name))
