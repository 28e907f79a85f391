"""Every link and image that points inside the course is checked (``trainer/content/links.py``).

Each mistake is one ``path:line: message`` that names the address and says what
to write instead.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.content.fixtures import FILES, VARIANT_FILES, write_content, write_variant
from trainer.content.loader import read_catalogue

FIRST = "basics/modules/01-what.md"
SECOND = "basics/modules/02-report.md"
#: The first line after the fixture module's front matter and blank line (line 8).
BODY_LINE = 8


def problems_with(tmp_path: Path, text: str, **extra: str) -> list[str]:
    """The problems after adding ``text`` at the first module's body line 8."""
    source = FILES[FIRST].replace("Read [the next module](module:report) first.\n", text + "\n", 1)
    catalogue, found = read_catalogue(write_content(tmp_path, **{FIRST: source}, **extra))
    assert (catalogue is None) == bool(found)
    return [str(p) for p in found]


def at(line: int = BODY_LINE) -> str:
    return f"courses/{FIRST}:{line}: "


@pytest.mark.parametrize(
    "text",
    [
        "[next](module:report)",
        "[next](module:basics/report)",
        "[references](module:report#references)",
        "[same page, below](#the-list)\n\n## The list",
        "[a board](https://example.org/rules), [mail](mailto:a@example.org), [call](tel:911)",
        '`[code](nowhere)` is code, and so is `<a href="nowhere">`',
        "```\n[in a fence](nowhere.md)\n```",
        "[site page](/courses/basics/modules/report#references)",
        "[outside the course](/verify)",
    ],
    ids=[
        "module",
        "course-module",
        "module-heading",
        "own-heading",
        "external",
        "code-span",
        "fenced",
        "site-module-path",
        "site-route",
    ],
)
def test_links_that_lead_somewhere_pass(tmp_path, text):
    assert problems_with(tmp_path, text) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[gone](module:nowhere)", "broken link: no module basics/nowhere"),
        ("[gone](module:core/what)", "broken link: no module core/what"),
        (
            "[gone](module:report#no-such-heading)",
            "broken link: no heading #no-such-heading in basics/report (headings: references)",
        ),
        ("[up](#top)", "broken link: no heading #top in basics/what (headings: none)"),
        (
            "[Bad](module:Basics/Report)",
            "malformed module link 'module:Basics/Report': write module:SLUG, "
            "module:COURSE/SLUG or either with #heading, in lower case",
        ),
        (
            '[next](module:report "Reporting")',
            "module link 'module:report' takes nothing after its address (no title)",
        ),
        (
            "[the file](02-report.md)",
            "link to the file '02-report.md' leads nowhere on the site: link to a module "
            "with module:SLUG or module:COURSE/SLUG",
        ),
        (
            "[handout](handout.pdf)",
            "relative link 'handout.pdf' leads nowhere on the site: use module:SLUG for a "
            "module, #heading for a heading, or a full https:// address",
        ),
        (
            '![a map](images/map.png "The map")',
            "image 'images/map.png' is not shown: write ![description](images/map.png) with "
            "nothing after the path",
        ),
        ("[empty]()", "empty link: write the address between the parentheses"),
        ("[page](/courses/basics/modules/nowhere)", "broken link: no module basics/nowhere"),
        (
            "![map](/courses/basics/media/images/none.png)",
            "broken link: no file /courses/basics/media/images/none.png",
        ),
        ("[ref]: module:nowhere", "broken link: no module basics/nowhere"),
        (
            '<img src="module:what" alt="x">',
            "malformed module link 'module:what': write module:SLUG, module:COURSE/SLUG "
            "or either with #heading, in lower case",
        ),
        (
            '<a href="module:report">next</a>',
            "module link 'module:report' works only in Markdown: write [text](module:report)",
        ),
    ],
    ids=[
        "no-module",
        "no-course",
        "no-heading-there",
        "no-heading-here",
        "upper-case",
        "title",
        "md-file",
        "relative-file",
        "image-title",
        "empty",
        "site-path",
        "site-media",
        "reference-definition",
        "html-image",
        "html-link",
    ],
)
def test_each_broken_link_is_one_precise_line(tmp_path, text, message):
    assert problems_with(tmp_path, text) == [at() + message]


def test_every_broken_link_on_a_line_and_its_line_number(tmp_path):
    text = "Intro.\n\n[a](module:one) and [b](module:two)\n\n[c](#nowhere)"
    assert problems_with(tmp_path, text) == [
        at(BODY_LINE + 2) + "broken link: no module basics/one",
        at(BODY_LINE + 2) + "broken link: no module basics/two",
        at(BODY_LINE + 4) + "broken link: no heading #nowhere in basics/what (headings: none)",
    ]


def test_an_existing_image_passes_and_its_path_is_served(tmp_path):
    root = write_content(tmp_path)
    (root / "basics/images").mkdir()
    (root / "basics/images/map.png").write_bytes(b"\x89PNG")
    assert problems_with(tmp_path, "![a map](images/map.png)") == []


def test_a_heading_is_checked_in_the_variant_its_reader_sees(tmp_path):
    """The English module has a References heading; the Spanish one does not."""
    name = "basics/translations/es/modules/01-what.md"
    spanish = VARIANT_FILES[name].replace("(module:report)", "(module:report#references)")
    assert spanish != VARIANT_FILES[name]
    _catalogue, found = read_catalogue(write_variant(tmp_path, **{name: spanish}))
    assert [str(p) for p in found] == [
        f"courses/{name}:8: broken link: no heading #references in basics/report (headings: none)"
    ]


def test_a_module_link_with_a_heading_renders_to_that_heading():
    from trainer.content.render import render_module

    (html,) = render_module("See [the list](module:core/report#the-list).", "basics")
    assert 'href="/courses/core/modules/report#the-list"' in html
