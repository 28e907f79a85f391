"""Using the site with the keyboard alone: Tab, Shift+Tab, Space, Enter and arrow keys.

Nothing here clicks: focus moves with Tab until it reaches the control wanted,
radio buttons are chosen with the arrow keys, positions in a list with the
arrow keys on the focused ``<select>``, and buttons are pressed with Enter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.browser.answering import OnScreen

if TYPE_CHECKING:
    from playwright.sync_api import Page

#: Enough presses to cross any page of this site; more means focus is stuck.
MAX_TABS = 120


def focused_matches(page: Page, selector: str) -> bool:
    return page.evaluate(
        "s => !!document.activeElement && document.activeElement.matches(s)", selector
    )


def focused_description(page: Page) -> str:
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return e ? e.outerHTML.slice(0, 120) : 'nothing'; }"
    )


def tab_to(page: Page, selector: str, *, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the focused element matches ``selector``."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        if focused_matches(page, selector):
            return
    raise AssertionError(
        f"{key} never reached {selector}; focus ended on {focused_description(page)}"
    )


def press_enter_and_wait(page: Page) -> None:
    """Enter on the focused button or link, and wait for the page it leads to."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def choose_radio(page: Page, group: str, value: str) -> None:
    """Tab into a radio group, then arrow keys to the option; Space makes sure it is chosen."""
    tab_to(page, f"input[type=radio][name={group}]")
    count = page.locator(f"input[type=radio][name={group}]").count()
    for _ in range(count):
        if focused_matches(page, f"[value='{value}']"):
            page.keyboard.press("Space")
            assert page.locator(f"input[name={group}][value='{value}']").is_checked()
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"the arrow keys never reached {value!r} in {group}")


def tick_checkboxes(page: Page, wanted: set[str]) -> None:
    """Tab through the checkboxes in page order, Space on each one wanted."""
    boxes = page.locator("input[type=checkbox][name=answer]")
    for index in range(boxes.count()):
        box = boxes.nth(index)
        value = box.get_attribute("value")
        tab_to(page, f"input[type=checkbox][value='{value}']")
        if (value in wanted) != box.is_checked():
            page.keyboard.press("Space")
    for value in wanted:
        assert page.locator(f"input[type=checkbox][value='{value}']").is_checked()


def select_positions(page: Page, order: list[str]) -> None:
    """Give each step its position with the arrow keys on its focused ``<select>``."""
    steps = page.locator("select[name^=position-]")
    for index in range(steps.count()):
        step_id = (steps.nth(index).get_attribute("name") or "").removeprefix("position-")
        tab_to(page, f"select[name='position-{step_id}']")
        wanted = str(order.index(step_id) + 1)
        for _ in range(len(order) + 1):
            if steps.nth(index).input_value() == wanted:
                break
            page.keyboard.press("ArrowDown")
        assert steps.nth(index).input_value() == wanted


def walk_scenario(page: Page, path: list[str]) -> None:
    """One choice at a time: choose it, then press the button that sends it."""
    for choice_id in path:
        choose_radio(page, "choice", choice_id)
        tab_to(page, "button[name=action][value=choose]")
        press_enter_and_wait(page)


def answer_with_keyboard(page: Page, shown: OnScreen) -> None:
    """The right answer, given with keys only, then on to the next page."""
    item, key = shown.item, shown.key
    if item.type in ("single", "classification"):
        choose_radio(page, "answer", key)
    elif item.type == "multiple":
        tick_checkboxes(page, set(key))
    elif item.type == "ordering":
        select_positions(page, key)
    else:
        walk_scenario(page, key)
    tab_to(page, shown.next_button)
    press_enter_and_wait(page)
