"""No template shows English that the catalogues cannot translate.

Each template's literal text (Jinja's TemplateData nodes) is laid out with every
``{{ … }}`` replaced by a placeholder, then read as HTML: any text node or
user-facing attribute that still has letters is English outside ``_()``.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from jinja2 import Environment, nodes

TEMPLATES = Path(__file__).resolve().parents[2] / "trainer" / "templates"
#: Where letters are not words: code, and the names of the site and its languages.
ALLOWED = {"Trainer", "English", "Français", "Español", "العربية"}
SILENT_ELEMENTS = {"code", "script", "style"}
#: Attributes a person reads or hears (screen readers announce them).
READ_ATTRIBUTES = {"title", "alt", "aria-label", "placeholder"}
PLACEHOLDER = "\ue000"
LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)


def literal_text(node: nodes.Node) -> str:
    """The template's literal markup in order, each expression output as PLACEHOLDER."""
    if isinstance(node, nodes.TemplateData):
        return node.data
    if isinstance(node, nodes.Output):
        return "".join(
            child.data if isinstance(child, nodes.TemplateData) else PLACEHOLDER
            for child in node.nodes
        )
    if isinstance(node, nodes.Expr):
        return ""
    return "".join(literal_text(child) for child in node.iter_child_nodes())


class EnglishFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        read = set(READ_ATTRIBUTES)
        if tag == "input" and values.get("type") in ("submit", "button", "reset"):
            read.add("value")  # shown as the button's text (a <button>'s value is not)
        for name, value in attrs:
            if name in read and value:
                self._check(f"{name}={value!r}", value)
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            while self.open.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if not SILENT_ELEMENTS.intersection(self.open):
            self._check(" ".join(data.replace(PLACEHOLDER, "{…}").split()), data)

    def _check(self, shown: str, text: str) -> None:
        words = text.replace(PLACEHOLDER, " ").split()
        if any(LETTERS.search(word) and word not in ALLOWED for word in words):
            self.found.append(shown)


def english_in(source: str) -> list[str]:
    finder = EnglishFinder()
    finder.feed(
        literal_text(Environment(autoescape=True, extensions=["jinja2.ext.i18n"]).parse(source))
    )
    finder.close()
    return finder.found


@pytest.mark.parametrize(
    "path", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES))
)
def test_every_word_a_template_shows_goes_through_the_catalogue(path: Path) -> None:
    assert english_in(path.read_text(encoding="utf-8")) == []


def test_the_scan_finds_english_in_text_and_in_attributes_people_read() -> None:
    source = (
        '<p>{{ _("Fine") }} Not fine</p><img alt="A chart" src="{{ src }}">'
        '<input type="submit" value="Go"><button value="go">{{ _("Go") }}</button>'
        "<code>licence_number</code>"
        '<a title="{{ _("Fine") }}" class="plain words">Trainer</a>'
        "{% if x %}<span>Hidden branch</span>{% endif %}"
    )
    assert english_in(source) == ["{…} Not fine", "alt='A chart'", "value='Go'", "Hidden branch"]
