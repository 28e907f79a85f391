"""Each item type validates its spec (problems reach `trainer content check`) and grades."""

from __future__ import annotations

import random
import tomllib
from collections.abc import Iterator

import pytest

from tests.content.fixtures import write_content
from tests.quizzes.bank import ALL, BRANCHING, CLASSIFICATION, MULTIPLE, ORDERING, SINGLE
from trainer.config import PROJECT_ROOT
from trainer.content.loader import read_catalogue
from trainer.quizzes import items
from trainer.quizzes.items import AnswerError


def load(tmp_path, items: str, assessment: str = ""):
    manifest = (
        'slug = "basics"\ntitle = "Basics"\nprofessions = ["health"]\n'
        "credit_hours = 0.5\npass_mark = 80\n" + assessment
    )
    root = write_content(
        tmp_path, **{"basics/items/bank.toml": items, "basics/course.toml": manifest}
    )
    return read_catalogue(root)


def problems(tmp_path, items: str, assessment: str = "") -> list[str]:
    return [str(p) for p in load(tmp_path, items, assessment)[1]]


@pytest.fixture
def course(tmp_path):
    catalogue, found = load(tmp_path, ALL)
    assert found == []
    return catalogue.courses["basics"]


def test_the_bank_loads_with_a_default_assessment(course):
    assert [i.type for i in course.items] == [
        "single",
        "multiple",
        "classification",
        "ordering",
        "branching",
    ]
    assert course.assessment.items == 5


def test_single(course):
    item = course.item("basics-single")
    assert item.grade("alone").score == 1.0
    result = item.grade("confront")
    assert (result.score, result.feedback) == (0.0, ("Confronting may put her in danger.",))
    assert item.grade(None).score == 0.0
    with pytest.raises(AnswerError):
        item.item_type.check_answer(item, "nonsense")


def test_multiple(course):
    item = course.item("basics-multiple")
    assert item.grade(["debt", "papers"]).score == 1.0
    assert item.grade(["debt"]).score == 0.5
    assert item.grade(["debt", "foreign"]).score == 0.0
    assert item.item_type.check_answer(item, ["papers", "debt", "debt"]) == ["debt", "papers"]


def test_classification(course):
    item = course.item("basics-classify")
    assert item.grade("smuggling").correct
    wrong = item.grade("trafficking")
    assert not wrong.correct and wrong.feedback == ("No means or exploitation appear.",)
    assert item.present(random.Random(1))["labels"][0] == "trafficking"


def test_ordering(course):
    item = course.item("basics-order")
    assert item.grade(["safety", "alone", "offer"]).score == 1.0
    assert item.grade(["alone", "safety", "offer"]).score == 0.67
    with pytest.raises(AnswerError, match="exactly once"):
        item.item_type.check_answer(item, ["safety", "safety", "offer"])
    shown = [s["id"] for s in item.present(random.Random(3))["steps"]]
    assert shown != ["safety", "alone", "offer"]  # never shown in the answer's order


def test_branching(course):
    item = course.item("basics-branch")
    assert item.spec.max_raw == 4
    assert item.item_type.key(item) == ["policy", "offer"]
    assert item.grade(["policy", "offer"]).score == 1.0
    assert item.grade(["policy", "force"]).score == 0.5
    assert item.grade(["ask-him"]).score == 0.0
    assert item.grade(["policy"]).feedback == ("Good: routine and safe.",)
    with pytest.raises(AnswerError, match="not offered"):
        item.item_type.check_answer(item, ["offer"])


def test_presentation_hides_keys_scores_and_feedback(course):
    for item in course.items:
        shown = repr(item.present(random.Random(7)))
        assert "correct" not in shown and "feedback" not in shown and "score" not in shown


@pytest.mark.parametrize(
    ("items", "old", "new", "expected"),
    [
        (
            SINGLE,
            "correct = true\n",
            "",
            "courses/basics/items/bank.toml:12: item 'basics-single': "
            "exactly one option must be `correct = true`, not 0",
        ),
        (
            SINGLE,
            'feedback = "Confronting may put her in danger."',
            "",
            "item 'basics-single': option 'confront' `feedback` (say why) must be non-empty text",
        ),
        (
            MULTIPLE,
            'feedback = "Nationality is not an indicator."\n',
            'feedback = "x"\ncorrect = true\n',
            "item 'basics-multiple': at least one option must be incorrect",
        ),
        (
            CLASSIFICATION,
            'answer = "smuggling"',
            'answer = "smuggled"',
            "courses/basics/items/bank.toml:7: item 'basics-classify': "
            "`answer` must be one of the labels",
        ),
        (
            CLASSIFICATION,
            'both = "Nothing shows exploitation after arrival."\n',
            "",
            "item 'basics-classify': feedback missing for: both",
        ),
        (
            ORDERING,
            '[[items.steps]]\nid = "offer"',
            '[[items.steps]]\nid = "alone"',
            "item 'basics-order': every step needs a unique `id`",
        ),
        (
            SINGLE,
            "difficulty = 1",
            "difficulty = 5",
            "courses/basics/items/bank.toml:5: item 'basics-single': `difficulty` must be 1",
        ),
        (
            SINGLE,
            'indicators = ["someone-else-speaks"]',
            'indicators = ["sad-eyes"]',
            "courses/basics/items/bank.toml:9: item 'basics-single': unknown indicator 'sad-eyes'",
        ),
        (
            SINGLE,
            'type = "single"',
            'type = "essay"',
            "courses/basics/items/bank.toml:4: item 'basics-single': `type` must be one of",
        ),
        (
            SINGLE,
            "difficulty = 1",
            "difficulty = 1\nhint = 'x'",
            "item 'basics-single': unknown key `hint` for a single item",
        ),
    ],
)
def test_item_mistakes(tmp_path, items, old, new, expected):
    assert old in items
    found = problems(tmp_path, items.replace(old, new, 1))
    assert any(expected in p for p in found), found


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            'next = "end-referred"',
            'next = "nowhere"',
            "choice 'offer' in 'alone' leads to unknown node 'nowhere'",
        ),
        ('next = "end-referred"', 'next = "arrival"', "cycle: arrival → alone → arrival"),
        (
            'text = "The chance is missed."',
            'text = "The chance is missed."\n\n'
            '[[items.nodes]]\nid = "orphan"\nend = true\ntext = "x"',
            "unreachable from 'arrival': orphan",
        ),
        ('start = "arrival"', 'start = "begin"', "`start` must name a node, not 'begin'"),
        (
            'id = "end-referred"\nend = true',
            'id = "end-referred"',
            "node 'end-referred' needs 2 or more choices",
        ),
    ],
)
def test_branching_graph_mistakes(tmp_path, old, new, expected):
    assert old in BRANCHING
    found = problems(tmp_path, BRANCHING.replace(old, new, 1))
    assert any(expected in p for p in found), found


def test_duplicate_item_ids(tmp_path):
    found = problems(tmp_path, SINGLE + SINGLE)
    assert (
        "courses/basics/items/bank.toml:22: duplicate item id 'basics-single' (also in bank.toml)"
        in found
    )


@pytest.mark.parametrize(
    ("assessment", "expected"),
    [
        ("\n[assessment]\nitems = 9\n", "[assessment] asks for 9 items but the bank has 5"),
        (
            '\n[assessment]\nitems = 3\n[[assessment.pools]]\ntags = ["debt-bondage"]\ncount = 2\n',
            "a pool asks for 2 items tagged ['debt-bondage']; 1 match",
        ),
        ("\n[assessment]\nitems = 3\nretries = 2\n", "unknown key `retries` in [assessment]"),
    ],
)
def test_assessment_mistakes(tmp_path, assessment, expected):
    found = problems(tmp_path, ALL, assessment)
    assert any(expected in p for p in found), found


def _texts(value: object) -> Iterator[str]:
    """Every string in a parsed item file."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for inner in value.values():
            yield from _texts(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _texts(inner)


def test_plain_text_skips_the_parser_with_the_same_html():
    """The shortcut for plain text gives exactly what Markdown and the sanitiser give."""
    files = sorted((PROJECT_ROOT / "courses").glob("**/items/*.toml"))
    texts = {t for f in files for t in _texts(tomllib.loads(f.read_text(encoding="utf-8")))}
    texts |= {"1. a list", "- a list", "# a heading", "a & b", "a\nb", "x\u00a0y", "> quote"}
    plain = [t for t in texts if items._PLAIN.fullmatch(t.strip())]
    assert len(plain) > 1000  # the shortcut is taken for most texts
    for text in texts:
        assert items.render_text(text) == items.markdown_html(text), text
