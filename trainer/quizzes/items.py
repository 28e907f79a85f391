"""Quiz items and the registry of item types.

Each type (see ``types.py``) validates its own spec from the content files,
presents an item to a learner without anything that gives the answer away,
and grades an answer with a pure function into an :class:`ItemResult`.
Every item counts one point; partial credit is a fraction of it.
"""

from __future__ import annotations

import random
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

import markdown

from trainer.content.render import sanitise

#: The labels of a classification item unless it sets its own.
DEFAULT_LABELS = ("trafficking", "smuggling", "both", "neither", "not-enough-information")


class AnswerError(ValueError):
    """An answer that does not fit the item (an unknown option, a repeated step…)."""


@dataclass(frozen=True)
class ItemResult:
    """The grade of one answer. ``feedback`` explains the parts of the answer given."""

    score: float
    max_score: float
    feedback: tuple[str, ...] = ()

    @property
    def correct(self) -> bool:
        return self.score >= self.max_score


@dataclass(frozen=True)
class Item:
    id: str
    type: str
    difficulty: int
    stem: str  # sanitised HTML
    explanation: str  # sanitised HTML
    content_areas: tuple[str, ...]
    indicators: tuple[str, ...]
    professions: tuple[str, ...]
    spec: Any  # the type's own frozen dataclass
    version: str = ""  # a hash of the item's source: a graded record keeps it

    @property
    def item_type(self) -> ItemType:
        return ITEM_TYPES[self.type]

    @property
    def tags(self) -> frozenset[str]:
        return frozenset(self.content_areas) | frozenset(self.indicators)

    def present(self, rng: random.Random) -> dict[str, Any]:
        return self.item_type.present(self, rng)

    def grade(self, answer: Any) -> ItemResult:
        return self.item_type.grade(self, answer)


@dataclass
class SpecContext:
    """What a type needs to validate its spec: the data, and a way to report problems."""

    item_id: str
    data: dict[str, Any]
    report: Callable[[str, str], None]  # (key near the problem, message)
    problems: list[str] = field(default_factory=list)

    def problem(self, key: str, message: str) -> None:
        self.problems.append(message)
        self.report(key, message)

    def text(self, value: Any, key: str, what: str) -> str | None:
        if not isinstance(value, str) or not value.strip():
            self.problem(key, f"{what} must be non-empty text")
            return None
        return value


class ItemType:
    """One kind of item. Subclasses are registered by ``name`` with :func:`register`."""

    name: ClassVar[str]
    #: The keys of an item of this type beyond the common ones.
    keys: ClassVar[frozenset[str]] = frozenset()

    def parse(self, context: SpecContext) -> Any | None:
        """Validate the type-specific fields; return the spec, or None after reporting."""
        raise NotImplementedError

    def present(self, item: Item, rng: random.Random) -> dict[str, Any]:
        """What the learner sees: shuffled choices, and no keys, scores or feedback."""
        raise NotImplementedError

    def grade(self, item: Item, answer: Any) -> ItemResult:
        """Grade ``answer`` (``None`` when unanswered: it scores 0)."""
        raise NotImplementedError

    def check_answer(self, item: Item, answer: Any) -> Any:
        """The answer in its canonical form, or :class:`AnswerError` saying what is wrong."""
        raise NotImplementedError

    def key(self, item: Item) -> Any:
        """The correct answer, for the review page after submission."""
        raise NotImplementedError


ITEM_TYPES: dict[str, ItemType] = {}


def register(cls: type[ItemType]) -> type[ItemType]:
    ITEM_TYPES[cls.name] = cls()
    return cls


_parsers = threading.local()


def _parser() -> markdown.Markdown:
    """One Markdown parser per thread, reset for each text: building one costs more than
    converting a short text, and a course in several languages has thousands of them."""
    parser: markdown.Markdown | None = getattr(_parsers, "parser", None)
    if parser is None:
        parser = _parsers.parser = markdown.Markdown(extensions=["sane_lists"])
    return parser


#: Text Markdown would leave as it is: one line, no markup, entity or list marker.
#: Nine texts in ten are such (options, feedback), and the parser is a good part
#: of start-up; tests/quizzes/test_item_types.py checks that both ways agree.
_PLAIN = re.compile(r"(?![#>=+\-]|\d+[.)])[^\n*_`\[\]<>&\\\u00a0]*")


def render_text(text: str) -> str:
    """Markdown to sanitised HTML; a single paragraph loses its <p> to sit inline."""
    text = text.strip()
    return text if _PLAIN.fullmatch(text) else markdown_html(text)


def markdown_html(text: str) -> str:
    """``render_text`` through the Markdown parser and the sanitiser, whatever the text."""
    html = sanitise(_parser().reset().convert(text.strip()))
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return html


def shuffled(ids: list[str], rng: random.Random) -> list[str]:
    ids = list(ids)
    rng.shuffle(ids)
    return ids
