"""Reading computed styles and colours out of a page, for the focus and colour checks."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Page

#: Marks every element that can take focus, and notes how it looks unfocused.
MARK_FOCUSABLE = """() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary,'
    + ' [tabindex]:not([tabindex="-1"])';
  const looks = [];
  document.querySelectorAll(selector).forEach((element, index) => {
    element.dataset.focusProbe = String(index);
    const s = getComputedStyle(element);
    looks.push({outline: s.outlineStyle + ' ' + s.outlineWidth + ' ' + s.outlineColor,
                shadow: s.boxShadow});
  });
  return looks;
}"""

#: The focused element: its mark, how it looks, where it is, and what lies behind it.
FOCUSED = """() => {
  const element = document.activeElement;
  if (!element || element === document.body || !element.dataset.focusProbe) return null;
  const s = getComputedStyle(element);
  let behind = 'rgba(0, 0, 0, 0)';
  for (let e = element.parentElement; e; e = e.parentElement) {
    const colour = getComputedStyle(e).backgroundColor;
    if (colour !== 'rgba(0, 0, 0, 0)' && colour !== 'transparent') { behind = colour; break; }
  }
  const box = element.getBoundingClientRect();
  return {
    probe: Number(element.dataset.focusProbe),
    html: element.outerHTML.slice(0, 100),
    outlineStyle: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth),
    outlineColor: s.outlineColor, shadow: s.boxShadow, behind: behind,
    inView: box.width > 0 && box.height > 0 && box.right > 0 && box.left < innerWidth,
  };
}"""

RGB = re.compile(r"rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)")


@dataclass(frozen=True)
class Colour:
    red: float
    green: float
    blue: float
    alpha: float = 1.0

    @classmethod
    def parse(cls, text: str) -> Colour | None:
        match = RGB.search(text)
        if match is None:
            return None
        r, g, b, a = match.groups()
        return cls(float(r), float(g), float(b), float(a) if a is not None else 1.0)

    def luminance(self) -> float:
        """Relative luminance, as WCAG 2.1 defines it."""

        def channel(value: float) -> float:
            c = value / 255
            return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

        return (
            0.2126 * channel(self.red) + 0.7152 * channel(self.green) + 0.0722 * channel(self.blue)
        )

    def contrast(self, other: Colour) -> float:
        light, dark = sorted((self.luminance(), other.luminance()), reverse=True)
        return (light + 0.05) / (dark + 0.05)


WHITE = Colour(255, 255, 255)


def shadow_colours(shadow: str) -> list[Colour]:
    """The colours of a computed ``box-shadow`` (``none`` has none)."""
    return [c for c in (Colour.parse(m.group(0)) for m in RGB.finditer(shadow)) if c]


def ring_contrast(focused: dict[str, Any]) -> float:
    """The best contrast of the focus ring's colours against what lies behind the element."""
    behind = Colour.parse(focused["behind"])
    background = behind if behind is not None and behind.alpha > 0 else WHITE
    colours = shadow_colours(focused["shadow"])
    if focused["outlineStyle"] not in ("none", "hidden") and focused["outlineWidth"] >= 1:
        outline = Colour.parse(focused["outlineColor"])
        colours += [outline] if outline else []
    return max((c.contrast(background) for c in colours if c.alpha > 0), default=1.0)


def has_ring(focused: dict[str, Any]) -> bool:
    outline = focused["outlineStyle"] not in ("none", "hidden") and focused["outlineWidth"] >= 2
    return outline or focused["shadow"] != "none"


def tab_through(page: Page, limit: int = 200) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """Tab from the top of the page until focus leaves it; how each stop looked, focused
    and not."""
    unfocused = page.evaluate(MARK_FOCUSABLE)
    stops: list[dict[str, Any]] = []
    seen: set[int] = set()
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None or focused["probe"] in seen:
            break
        seen.add(focused["probe"])
        stops.append(focused)
    return stops, unfocused
