"""Course status from completed modules and the assessment."""

from __future__ import annotations

from dataclasses import replace

from trainer.content.model import Course, Module
from trainer.learning.progress import CourseProgress
from trainer.quizzes.loading import Assessment


def module(slug: str) -> Module:
    return Module(
        slug=slug,
        title=slug,
        minutes=10,
        objectives=(),
        content_areas=(),
        html_parts=("",),
        words=100,
    )


COURSE = Course(
    slug="c",
    title="C",
    language="en",
    summary="",
    version="v",
    professions=("health",),
    declared_hours=0.5,
    pass_mark=80,
    objectives=(),
    modules=(module("a"), module("b"), module("c")),
    assessment=Assessment(items=5),
)


def test_status_follows_the_modules_and_the_assessment():
    assert CourseProgress(COURSE, frozenset()).status == "not_started"
    assert CourseProgress(COURSE, frozenset({"b"})).status == "in_progress"
    assert CourseProgress(COURSE, frozenset({"a", "b", "c"})).status == "modules_complete"
    assert (
        CourseProgress(COURSE, frozenset({"a", "b", "c"}), assessment_passed=True).status
        == "completed"
    )


def test_without_an_assessment_reading_every_module_completes_the_course():
    course = replace(COURSE, assessment=None)
    assert CourseProgress(course, frozenset({"a", "b", "c"})).status == "completed"


def test_resume_at_the_first_module_not_done():
    progress = CourseProgress(COURSE, frozenset({"a", "c"}))
    assert progress.next_module.slug == "b"
    assert progress.percent == 67
    assert CourseProgress(COURSE, frozenset({"a", "b", "c"})).next_module is None


def test_completions_of_removed_modules_are_not_counted():
    progress = CourseProgress(COURSE, frozenset({"a", "gone"}))
    assert progress.modules_done == 1
