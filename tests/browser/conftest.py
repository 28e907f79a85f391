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
    TIMEOUT_MS,
    NewPage,
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


@pytest.fixture(scope="session")
def signed_in_states() -> dict[tuple[str, str], Any]:
    """Cookies of accounts already signed in, per (email, locale): one sign-in each.

    Tests that use them must not sign out: that ends the session on the server.
    """
    return {}


@pytest.fixture
def new_page(
    browser: Browser,
    live_server: LiveServer,
    locale: str,
    signed_in_states: dict[tuple[str, str], Any],
) -> Iterator[NewPage]:
    """Open pages in fresh browser contexts; ``as_user`` starts them signed in.

    A page fails its test if the browser logged an error (a blocked resource, a
    script error, a Content-Security-Policy violation) or the server raised one.
    """
    contexts: list[BrowserContext] = []
    problems: list[str] = []
    errors_before = len(live_server.errors)

    def open_context(viewport: dict[str, int] | None, **options: Any) -> BrowserContext:
        context = browser.new_context(
            **context_options(live_server.url, locale, viewport), **options
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    def open_page(
        viewport: dict[str, int] | None = None, as_user: Account | None = None, **options: Any
    ) -> Page:
        if as_user is not None:
            key = (as_user.email, locale)
            if key not in signed_in_states:
                first = open_context(viewport).new_page()
                sign_in(first, as_user.email, as_user.password)
                signed_in_states[key] = first.context.storage_state()
            options["storage_state"] = signed_in_states[key]
        page = open_context(viewport, **options).new_page()
        watch_for_problems(page, problems)
        return page

    yield open_page
    for context in contexts:
        context.close()
    server_errors = live_server.errors[errors_before:]
    assert not server_errors, f"the server raised: {server_errors!r}"
    assert not problems, "the browser reported:\n" + "\n".join(problems)


@pytest.fixture
def page(new_page: NewPage) -> Page:
    return new_page()


@pytest.fixture
def screenshot(request: pytest.FixtureRequest) -> Screenshots:
    return Screenshots(artifact_folder(request.node.name))
