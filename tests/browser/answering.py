"""Answering assessment items through the pages, right, from the item bank's keys.

The item on screen is found from the attempt in the database (as
``tests/certificates/helpers.py`` finds the keys of an API attempt); the answer
is then given through the form: choices checked, positions selected, a branching
scenario walked one choice at a time.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tests.browser.data import Seeder, correct_answer
from trainer.quizzes.items import Item

if TYPE_CHECKING:
    from playwright.sync_api import Page

ITEM_URL = re.compile(r"/attempts/([^/]+)/items/(\d+)$")


@dataclass(frozen=True)
class OnScreen:
    """The item a page shows, its number in the attempt, and the right answer."""

    item: Item
    number: int
    total: int
    key: Any

    @property
    def last(self) -> bool:
        return self.number == self.total

    @property
    def next_button(self) -> str:
        """The button that saves the item and moves on (from the last: to the overview)."""
        return f"button[name=action][value={'overview' if self.last else 'next'}]"


def item_on_screen(page: Page, seed: Seeder) -> OnScreen:
    match = ITEM_URL.search(page.url)
    assert match, f"not an assessment item page: {page.url}"
    course, item_ids = seed.attempt(match.group(1))
    number = int(match.group(2))
    item = course.item(item_ids[number - 1])
    assert item is not None
    return OnScreen(item, number, len(item_ids), correct_answer(course, item.id))


Shot = Callable[["Page", str], object]


def _no_shot(_page: Page, _step: str) -> None:
    return None


def answer_with_pointer(page: Page, shown: OnScreen, shot: Shot = _no_shot) -> None:
    """Give the right answer with the form's controls (clicks and selects)."""
    item, key = shown.item, shown.key
    if item.type in ("single", "multiple"):
        for option_id in [key] if item.type == "single" else key:
            page.check(f"#opt-{option_id}")
    elif item.type == "classification":
        page.check(f"#label-{key}")
    elif item.type == "ordering":
        for position, step_id in enumerate(key, 1):
            page.select_option(f"#pos-{step_id}", str(position))
    else:  # branching: each choice is sent, and the scenario goes on from there
        for step, choice_id in enumerate(key, 1):
            page.check(f"#choice-{choice_id}")
            shot(page, f"item-{shown.number:02d}-branching-choice-{step}")
            page.click("button[name=action][value=choose]")
            page.wait_for_load_state()
    shot(page, f"item-{shown.number:02d}-{item.type}")


def answer_every_item(page: Page, seed: Seeder, shot: Shot = _no_shot) -> list[str]:
    """From the first item page to the overview, every item answered right; their types."""
    types = []
    while True:
        shown = item_on_screen(page, seed)
        types.append(shown.item.type)
        answer_with_pointer(page, shown, shot)
        page.click(shown.next_button)
        page.wait_for_load_state()
        if shown.last:
            return types
