"""Finding the line of a value in a TOML file, for `path:line: message`."""

from __future__ import annotations

from pathlib import Path

import pytest

from trainer.content.reading import Source

TEXT = """# an item file
[[items]]
id = "first"
stem = \"\"\"Two
lines\"\"\"

[[items.options]]
id = "a"
correct = true

[[items.options]]
id = "b"

[items.feedback]
not-enough-information = "Why."

[[items]]
id = "second"

[areas.reporting]
title = "Reporting"
"""


@pytest.mark.parametrize(
    ("path", "line"),
    [
        (("items", 0, "id"), 3),
        (("items", 0, "stem"), 4),
        (("items", 0, "options", 1, "id"), 12),
        (("items", 0, "options", 0, "correct"), 9),
        (("items", 0, "options", 1, "correct"), 11),  # missing: its table's header
        (("items", 0, "feedback", "not-enough-information"), 15),
        (("items", 1, "id"), 18),
        (("items", 1), 17),
        (("areas", "reporting", "title"), 21),
        (("nothing",), 1),
    ],
)
def test_line_at_follows_table_headers(path, line):
    assert Source(Path("items.toml"), TEXT).line_at(path) == line


def test_line_at_counts_from_where_front_matter_starts():
    assert Source(Path("m.md"), 'slug = "x"\ntitle = "X"', first_line=2).line_at(("title",)) == 3
