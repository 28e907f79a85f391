"""Requirement matching: a pure function of the completion's facts."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from trainer.certificates.requirements import (
    Completion,
    certificate_expiry,
    check_requirement,
    renewal_due,
    requirement_record,
    satisfied_requirements,
)
from trainer.content.model import RequirementSet

MICHIGAN = RequirementSet(
    slug="us-mi",
    title="Michigan",
    authority="LARA",
    jurisdiction="US-MI",
    citation="MCL",
    professions=("health", "licensed"),
    licence_required=False,
    approval_required=False,
    min_hours=0,
    content_areas=(
        "types-and-venues",
        "identification-health-settings",
        "warning-signs-adults-minors",
        "reporting",
    ),
)
TEXAS_HHSC = RequirementSet(
    slug="us-tx-hhsc",
    title="Texas HHSC",
    authority="HHSC",
    jurisdiction="US-TX",
    citation="Occupations Code ch. 116",
    professions=("health", "licensed"),
    licence_required=False,
    approval_required=False,
    min_hours=1,
    content_areas=("sex-trafficking",),
    renewal_years=2,
)
COSMETOLOGY = RequirementSet(
    slug="tx-cos",
    title="Texas cosmetology",
    authority="TDLR",
    jurisdiction="US-TX",
    citation="16 TAC 83.25",
    professions=("licensed",),
    min_hours=1,
    content_areas=(),
    licence_types=("cosmetologist", "barber"),
    approval_required=False,
)

HEALTH_COURSE = Completion(
    professions=frozenset({"health"}),
    hours=1.25,
    content_areas=frozenset(
        {
            "types-and-venues",
            "identification-health-settings",
            "warning-signs-adults-minors",
            "reporting",
            "sex-trafficking",
        }
    ),
)


def test_a_health_course_satisfies_michigan_and_florida():
    assert satisfied_requirements([MICHIGAN, TEXAS_HHSC], HEALTH_COURSE) == [MICHIGAN, TEXAS_HHSC]


def test_what_is_missing_is_named():
    short = Completion(frozenset({"health"}), 0.75, frozenset({"reporting"}))
    michigan = check_requirement(MICHIGAN, short)
    assert not michigan.satisfied
    assert michigan.missing_areas == (
        "types-and-venues",
        "identification-health-settings",
        "warning-signs-adults-minors",
    )
    assert check_requirement(TEXAS_HHSC, short).missing_hours == 0.25


def test_a_rule_for_other_professions_does_not_apply():
    police = Completion(frozenset({"police"}), 5, HEALTH_COURSE.content_areas)
    assert not check_requirement(MICHIGAN, police).profession_applies
    assert satisfied_requirements([MICHIGAN, TEXAS_HHSC], police) == []


def test_licence_type_limits_a_rule_when_known():
    def licensed(licence_type):
        return Completion(frozenset({"licensed"}), 1, frozenset(), licence_type)

    assert check_requirement(COSMETOLOGY, licensed("cosmetologist")).satisfied
    assert not check_requirement(COSMETOLOGY, licensed("nurse")).satisfied
    assert check_requirement(COSMETOLOGY, licensed(None)).satisfied  # a course page: unknown
    person = Completion(frozenset({"licensed"}), 1, frozenset(), None, personal=True)
    assert not check_requirement(COSMETOLOGY, person).satisfied  # a person: unknown is not covered


def test_the_missing_part_is_said_in_words():
    short = Completion(frozenset({"health"}), 0.75, frozenset({"sex-trafficking"}))
    assert check_requirement(TEXAS_HHSC, short).missing() == "0.25 more credit hours"
    assert (
        "content areas not covered: types-and-venues"
        in check_requirement(MICHIGAN, short).missing()
    )
    assert check_requirement(TEXAS_HHSC, HEALTH_COURSE).missing() == ""


def test_a_renewing_rule_is_due_again_after_its_period():
    assert renewal_due(TEXAS_HHSC, date(2026, 11, 20)) == date(2028, 11, 20)
    assert renewal_due(TEXAS_HHSC, date(2028, 2, 29)) == date(2030, 2, 28)
    assert renewal_due(MICHIGAN, date(2026, 11, 20)) is None
    assert renewal_due(TEXAS_HHSC, None) is None


def test_a_certificate_expires_only_when_every_rule_it_meets_renews():
    dated = replace(HEALTH_COURSE, completed_on=date(2026, 11, 20))
    both = [check_requirement(r, dated) for r in (MICHIGAN, TEXAS_HHSC)]
    assert certificate_expiry(both) is None  # Michigan's training is one-time
    assert certificate_expiry(both[1:]) == date(2028, 11, 20)
    assert certificate_expiry([]) is None
    record = requirement_record(both[1])
    assert (
        record["valid_until"] == "2028-11-20" and record["citation"] == "Occupations Code ch. 116"
    )
