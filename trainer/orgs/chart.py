"""A horizontal bar chart laid out for server-rendered SVG. Pure: no app, no database.

Each bar shows its value as text too (worded by the template, in the reader's
language), and the completed part is drawn with a hatch pattern as well as a
colour, so nothing depends on colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass

LABEL_WIDTH = 220
BAR_WIDTH = 300
VALUE_WIDTH = 240
ROW_HEIGHT = 28
BAR_HEIGHT = 18


@dataclass(frozen=True)
class Bar:
    label: str
    done: int
    total: int
    y: int
    width: int  # of the completed part, in pixels

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


@dataclass(frozen=True)
class BarChart:
    bars: tuple[Bar, ...]
    width: int = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    label_width: int = LABEL_WIDTH
    bar_width: int = BAR_WIDTH
    bar_height: int = BAR_HEIGHT

    @property
    def height(self) -> int:
        return max(1, len(self.bars)) * ROW_HEIGHT + 8


def bar_chart(values: list[tuple[str, int, int]]) -> BarChart:
    """Lay out one bar per ``(label, done, total)``: the share done, out of 100%."""
    bars = tuple(
        Bar(
            label=label if len(label) <= 32 else "…" + label[-31:],
            done=done,
            total=total,
            y=4 + index * ROW_HEIGHT,
            width=round(BAR_WIDTH * done / total) if total else 0,
        )
        for index, (label, done, total) in enumerate(values)
    )
    return BarChart(bars)
