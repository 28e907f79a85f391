"""Helpers for browser tests: settings, signing in, step screenshots, what counts as a
browser error. The fixtures that use them are in ``conftest.py``."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tests.conftest import PASSWORD

if TYPE_CHECKING:
    from playwright.sync_api import ConsoleMessage, Page, Response

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
LOCALES = ["en", "es"]
#: Where step screenshots and accessibility results go (gitignored).
ARTIFACTS = Path(os.environ.get("TRAINER_TEST_ARTIFACTS") or Path(__file__).parent / "artifacts")
#: A phone, as in the README's screenshots; and a laptop for the admin pages.
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 900}
#: How long an action or an expectation may wait, in milliseconds.
TIMEOUT_MS = 15_000

#: Opens a page in a fresh browser context: ``new_page(viewport=..., as_user=account)``.
NewPage = Callable[..., "Page"]
#: The page kept open for an account (or None), at a viewport: ``open_page(account, PHONE)``.
OpenPage = Callable[..., "Page"]


def sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    """Sign in through the real form, as a person would."""
    from playwright.sync_api import expect

    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.locator("main form button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/login"))
    expect(page.locator("form[action='/logout']")).to_have_count(1)


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


def watch_for_problems(page: Page, problems: list[str]) -> Callable[[], None]:
    """Record what the browser reports: script errors, blocked or missing resources.

    Returns a function that stops watching (for a page kept open between tests).
    """
    handlers: dict[str, Callable[[Any], None]] = {
        "console": lambda message: _note_console(message, problems),
        "response": lambda response: _note_response(response, problems),
        "pageerror": lambda error: problems.append(f"page error: {error}"),
    }
    for event, handler in handlers.items():
        page.on(event, handler)  # type: ignore[call-overload]

    def stop() -> None:
        for event, handler in handlers.items():
            page.remove_listener(event, handler)

    return stop


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


def context_options(base_url: str, locale: str, viewport: dict[str, int] | None) -> dict[str, Any]:
    return {
        "base_url": base_url,
        "locale": locale,  # sets Accept-Language, which picks the interface language
        "viewport": viewport or PHONE,
        "accept_downloads": True,
    }
