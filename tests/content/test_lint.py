"""`trainer content lint`: item-writing flaws and guessing strategies on the shipped banks."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from trainer.cli import main
from trainer.config import PROJECT_ROOT
from trainer.content.guessing import random_score, strategy_scores
from trainer.content.lint import MAX_LONGEST_SHARE, lint_courses

COURSES = PROJECT_ROOT / "courses"
REPORTS = {(r.course, r.language): r for r in lint_courses(COURSES)}


def test_every_shipped_course_and_translation_is_linted():
    assert {("core", "en"), ("core", "es"), ("health", "en"), ("health", "es")} <= set(REPORTS)
    assert {"police", "media", "licensed"} <= {course for course, _ in REPORTS}


@pytest.mark.parametrize("bank", sorted(REPORTS), ids="-".join)
def test_no_guessing_strategy_reaches_40_percent(bank):
    report = REPORTS[bank]
    assert report.scores, "the bank has no items"
    for name, score in report.scores.items():
        assert score < 0.40, f"{bank}: guessing '{name}' scores {score:.0%} of the maximum"


@pytest.mark.parametrize("bank", sorted(REPORTS), ids="-".join)
def test_the_key_is_rarely_the_longest_option(bank):
    assert REPORTS[bank].longest_share <= MAX_LONGEST_SHARE


def test_the_shipped_courses_lint_without_errors():
    result = CliRunner().invoke(main, ["content", "lint"])
    errors = [line for line in result.output.splitlines() if ": error:" in line]
    assert errors == []
    assert result.exit_code == 0, result.output


def test_a_cued_item_is_reported_with_its_file_and_line(tmp_path):
    root = tmp_path / "courses"
    shutil.copytree(COURSES, root)
    path = root / "police" / "items" / "first-contact.toml"
    text = path.read_text(encoding="utf-8")
    marker = "[[items]]\n"
    cued = (
        '[[items]]\nid = "police-cued-01"\ntype = "single"\ndifficulty = 1\n'
        'stem = "What does an officer do first?"\nexplanation = "See module 2, DOMAIN notes."\n'
        'content_areas = ["identification"]\nindicators = []\nprofessions = ["police"]\n\n'
        '[[items.options]]\nid = "a"\ntext = "Arrest"\nfeedback = "No."\n\n'
        '[[items.options]]\nid = "b"\ncorrect = true\n'
        'text = "Separate the person from the controller and speak with a professional '
        'interpreter, never a companion, after meeting urgent needs"\nfeedback = "Yes."\n\n'
        '[[items.options]]\nid = "c"\ntext = "Leave"\nfeedback = "No."\n\n'
    )
    path.write_text(text.replace(marker, cued + marker, 1), encoding="utf-8")
    before = text[: text.index(marker)].count("\n")  # the lines above the first item
    lines = cued.splitlines()
    key_line = before + 1 + lines.index('id = "b"')
    explanation_line = before + 1 + next(n for n, line in enumerate(lines) if "DOMAIN" in line)
    result = CliRunner().invoke(main, ["content", "lint", "--courses", str(root)])
    assert result.exit_code == 1
    shown = "courses/police/items/first-contact.toml"
    assert f"{shown}:{key_line}: warning: item 'police-cued-01': the key is" in result.output
    assert (
        f"{shown}:{explanation_line}: error: item 'police-cued-01': learner-facing text "
        "names 'DOMAIN', an internal name" in result.output
    )


def test_a_strategy_reaching_the_pass_mark_fails_the_course(tmp_path):
    root = tmp_path / "courses"
    shutil.copytree(COURSES, root)
    manifest = root / "media" / "course.toml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace("pass_mark = 80", "pass_mark = 20"), encoding="utf-8")
    result = CliRunner().invoke(main, ["content", "lint", "--courses", str(root)])
    assert result.exit_code == 1
    assert "courses/media/course.toml:1: error: guessing 'random answers'" not in result.output
    assert "courses/media/course.toml:1: error: guessing 'always the longest option'" in (
        result.output
    )


def test_strategy_scores_are_expected_values():
    single = {
        "type": "single",
        "options": [
            {"text": "short", "correct": True},
            {"text": "a much longer distractor"},
            {"text": "another long distractor"},
        ],
    }
    hedged = {"type": "classification", "stem": "So far, nothing.", "answer": "neither"}
    plain = {"type": "classification", "stem": "A case.", "answer": "trafficking"}
    scores = strategy_scores([single, hedged, plain], "en")
    assert random_score(single) == pytest.approx(1 / 3)
    # the longest option is a distractor; the classification items are answered at random
    assert scores["always the longest option"] == pytest.approx((0 + 0.2 + 0.2) / 3)
    # the hedge says NEI (wrong: neither), the plain stem says trafficking (right)
    assert scores["NEI when the stem hedges, else trafficking"] == pytest.approx((1 / 3 + 1) / 3)


def test_an_internal_name_in_a_module_is_an_error_with_its_line(tmp_path):
    root = tmp_path / "courses"
    shutil.copytree(COURSES, root)
    path = root / "core" / "translations" / "es" / "modules" / "04-trafficking-vs-smuggling.md"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(20, "Véase DOMAIN.md para más detalles.")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["content", "lint", "--courses", str(root)])
    assert result.exit_code == 1
    shown = "courses/core/translations/es/modules/04-trafficking-vs-smuggling.md:21: error:"
    assert f"{shown} learner-facing text names 'DOMAIN', an internal name" in result.output
