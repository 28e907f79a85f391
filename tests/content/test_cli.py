"""`trainer content check` and `trainer content stats`."""

from __future__ import annotations

import json

from click.testing import CliRunner

from tests.content.fixtures import FILES, write_content, write_variant
from trainer.cli import main


def test_check_exits_0_on_clean_content(tmp_path):
    result = CliRunner().invoke(
        main, ["content", "check", "--courses", str(write_content(tmp_path))]
    )
    assert result.exit_code == 0
    assert "OK: 1 courses, 2 modules" in result.output


def test_check_prints_one_line_per_problem_and_exits_1(tmp_path):
    module = FILES["basics/modules/01-what.md"].replace('["definitions"]', '["nope"]')
    manifest = FILES["basics/course.toml"].replace('["health"]', '["astronaut"]')
    root = write_content(
        tmp_path, **{"basics/modules/01-what.md": module, "basics/course.toml": manifest}
    )
    result = CliRunner().invoke(main, ["content", "check", "--courses", str(root)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith("courses/")]
    assert lines == [
        "courses/basics/course.toml:3: unknown profession 'astronaut'; known: health, licensed",
        "courses/basics/modules/01-what.md:5: unknown content area 'nope'; "
        "known: definitions, reporting",
    ]


def test_stats_json_for_the_real_courses():
    result = CliRunner().invoke(main, ["content", "stats", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    by_slug = {c["course"]: c for c in data["courses"]}
    assert set(by_slug) >= {"core", "police", "health", "media", "licensed"}
    assert by_slug["core"]["modules"] >= 6
    for slug in ("police", "health", "media", "licensed"):
        assert by_slug[slug]["modules"] >= 4
    health = by_slug["health"]
    assert health["credit_hours"] >= 1.0
    assert set(health["items"]) == {"single", "multiple", "classification", "ordering", "branching"}
    assert data["totals"]["modules"] == sum(c["modules"] for c in data["courses"])


def test_stats_text(tmp_path):
    result = CliRunner().invoke(
        main, ["content", "stats", "--courses", str(write_content(tmp_path))]
    )
    assert "basics: Basics" in result.output
    assert "2 modules" in result.output and "35 minutes, 0.5 credit hours" in result.output


def test_stats_list_each_courses_languages(tmp_path):
    result = CliRunner().invoke(
        main, ["content", "stats", "--json", "--courses", str(write_variant(tmp_path))]
    )
    (basics,) = json.loads(result.output)["courses"]
    assert basics["languages"] == ["en", "es"]
    text = CliRunner().invoke(main, ["content", "stats", "--courses", str(tmp_path / "courses")])
    assert "  languages: en, es\n" in text.output
