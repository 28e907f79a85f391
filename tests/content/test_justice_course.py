"""The justice track (issue 19, part 1): prosecutors and judges get a course of their own."""

from __future__ import annotations

from trainer.certificates.requirements import course_requirements
from trainer.config import PROJECT_ROOT
from trainer.content.loader import load_catalogue

CATALOGUE = load_catalogue(PROJECT_ROOT / "courses")
COURSE = CATALOGUE.courses["justice"]


def test_prosecutors_and_judges_have_a_profession_in_every_language():
    assert CATALOGUE.professions["justice"].title == "Prosecutors and judges"
    assert CATALOGUE.in_language("fr").professions["justice"].title == "Procureurs et juges"
    assert CATALOGUE.in_language("es").professions["justice"].title == "Fiscales y jueces"


def test_their_default_curriculum_is_core_then_justice():
    curriculum = CATALOGUE.default_curriculum("justice")
    assert curriculum.courses == ("core", "justice")
    assert CATALOGUE.in_language("fr").curricula[curriculum.slug].title.startswith("Procureurs")


def test_the_course_covers_the_four_topics_in_order():
    assert COURSE.professions == ("justice",)
    assert [m.slug for m in COURSE.modules] == [
        "non-punishment-at-charge-and-sentence",
        "choosing-the-charge-and-building-the-case",
        "survivors-in-court",
        "compensation-restitution-and-confiscation",
    ]
    assert all(1100 <= m.words <= 1600 for m in COURSE.modules), [m.words for m in COURSE.modules]


def test_the_bank_has_the_items_and_scenarios_the_issue_asks_for():
    items = COURSE.items
    assert len(items) >= 18
    branching = [i for i in items if i.type == "branching"]
    assert {i.id for i in branching} == {"justice-branch-charging", "justice-branch-hearing"}
    answers = {i.spec.answer for i in items if i.type == "classification"}
    assert answers == {"trafficking", "smuggling", "both", "neither", "not-enough-information"}
    assert all(set(i.professions) == {"justice"} for i in items)
    assert COURSE.assessment is not None and COURSE.assessment.time_limit_minutes > 0


def test_no_licensing_rule_is_claimed_for_judges_or_prosecutors():
    results = course_requirements(COURSE, CATALOGUE.requirement_sets.values())
    assert results == []
