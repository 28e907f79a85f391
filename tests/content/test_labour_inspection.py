"""The labour inspection track (issue 19, part 2): what a learner and a board would see."""

from __future__ import annotations

from trainer.certificates.requirements import course_requirements
from trainer.config import PROJECT_ROOT
from trainer.content.loader import load_catalogue

CATALOGUE = load_catalogue(PROJECT_ROOT / "courses")
COURSE = CATALOGUE.courses["labour-inspection"]


def test_labour_inspectors_have_their_own_profession_in_every_language():
    """Labour inspectors left the police summary for a profession of their own."""
    for language in ("en", "fr", "es"):
        professions = CATALOGUE.localised.get(language, CATALOGUE).professions
        assert "labour-inspection" in professions, language
        police = professions["police"].summary.lower()
        assert "labour" not in police and "travail" not in police and "trabajo" not in police


def test_the_default_curriculum_is_core_then_labour_inspection():
    defaults = [
        c for c in CATALOGUE.curricula.values() if c.profession == "labour-inspection" and c.default
    ]
    assert [c.courses for c in defaults] == [("core", "labour-inspection")]
    for language in ("fr", "es"):
        catalogue = CATALOGUE.localised[language]
        titles = {c.slug: c.title for c in catalogue.curricula.values()}
        assert titles["labour-inspection-default"] != defaults[0].title, language


def test_the_course_covers_what_the_track_promises():
    assert len(COURSE.modules) >= 4
    items = COURSE.items
    assert len(items) >= 18
    assert sum(1 for i in items if i.type == "branching") >= 2
    keys = {i.spec.answer for i in items if i.type == "classification"}
    assert keys == {"trafficking", "smuggling", "both", "neither", "not-enough-information"}
    taught = set(COURSE.content_areas)
    assert {"labour-trafficking", "indicators", "victim-centred-response", "reporting"} <= taught


def test_the_course_is_complete_in_french():
    """The French variant has every module and item of the source, in French."""
    assert COURSE.languages == ("en", "fr")
    variant = CATALOGUE.in_language("fr").courses["labour-inspection"]
    assert [m.slug for m in variant.modules] == [m.slug for m in COURSE.modules]
    assert [i.id for i in variant.items] == [i.id for i in COURSE.items]
    assert variant.title.startswith("Inspection du travail")


def test_no_licensing_rule_is_claimed_for_labour_inspectors():
    """No rule is modelled for labour inspectors, so a certificate may claim none."""
    results = course_requirements(COURSE, CATALOGUE.requirement_sets.values())
    assert [r for r in results if r.satisfied] == []
