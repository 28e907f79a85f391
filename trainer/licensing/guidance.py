"""Personal guidance: what a course means for the signed-in learner's own licence.

Pure: the learner's facts, the rules and the approvals held come in; sentences
and rule lists come out. Nothing here decides what a certificate records; it
uses the same matching (``check_requirement``) so the two never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from trainer.accounts.jurisdiction import region_name
from trainer.certificates.credits import course_credit_hours
from trainer.certificates.requirements import (
    Approval,
    Completion,
    RequirementResult,
    check_requirement,
)
from trainer.content.licence_types import LicenceType
from trainer.content.model import Course, RequirementSet


@dataclass(frozen=True)
class LearnerFacts:
    """What the rules look at about a person."""

    profession: str | None
    region: str | None
    country: str | None
    licence_type: str | None
    #: Names to show, in the reader's language ("nurse", "Michigan"); "" falls back to the codes.
    licence_title: str = ""
    region_title: str = ""


@dataclass(frozen=True)
class Guidance:
    """The rules that cover the learner, sorted by what this course does for each."""

    #: The learner's licence in words ("nurse in US-MI"), or "" when region or type is unknown.
    licence: str
    satisfied: tuple[RequirementResult, ...] = ()
    #: Content and hours fit, but this site holds no approval for the rule.
    aligned: tuple[RequirementResult, ...] = ()
    #: The rule covers the learner, but this course falls short of it.
    short: tuple[RequirementResult, ...] = ()
    #: True when this site holds an approval for a rule covering the learner that
    #: this course falls short of (another course may meet it).
    approved_elsewhere: bool = False

    @property
    def known(self) -> bool:
        return bool(self.licence)

    def headline(self) -> str:
        """One sentence a learner reads first."""
        if not self.known:
            return _(
                "Add your state or province and your licence type to your account to see "
                "which licensing rules this course meets for you."
            )
        if self.satisfied:
            return _(
                "For your licence as a %(licence)s, this course meets: %(rules)s.",
                licence=self.licence,
                rules="; ".join(r.requirement.title for r in self.satisfied),
            )
        if self.approved_elsewhere:
            return _(
                "For your licence as a %(licence)s, this course meets no rule: "
                "see the rules below for what it lacks.",
                licence=self.licence,
            )
        return _("No rule we hold an approval for covers a %(licence)s.", licence=self.licence)


def licence_words(facts: LearnerFacts, region_names: dict[str, str]) -> str:
    """ "Michigan nurse": where and the licence type, or "" when either is unknown."""
    if not facts.licence_type or not facts.region:
        return ""
    if facts.licence_type == "other":
        kind = _("licensee")
    else:
        # "Nurse (registered, …)" reads "nurse" inside a sentence.
        kind = (facts.licence_title or facts.licence_type.replace("-", " ")).split(" (")[0]
        kind = kind[:1].lower() + kind[1:]
    return _(
        "%(region)s %(licence_type)s",
        licence_type=kind,
        region=facts.region_title or region_names.get(facts.region, facts.region),
    )


def region_names(requirements: Iterable[RequirementSet]) -> dict[str, str]:
    """Region codes to names, from the rules that carry one."""
    return {r.jurisdiction: r.jurisdiction_name for r in requirements if r.jurisdiction_name}


def course_guidance(
    course: Course,
    facts: LearnerFacts,
    requirements: Iterable[RequirementSet],
    approvals: Iterable[Approval],
    today: date,
) -> Guidance:
    """How this course stands against each rule that covers the learner, as of ``today``."""
    rules = tuple(requirements)
    completion = Completion(
        professions=frozenset({facts.profession}) if facts.profession else frozenset(),
        hours=course_credit_hours(course),
        content_areas=frozenset(course.content_areas),
        licence_type=facts.licence_type,
        region=facts.region,
        country=facts.country,
        personal=True,
        course=course.slug,
    )
    held = tuple(approvals)
    results = [check_requirement(r, completion, held, today) for r in rules]
    covering = [r for r in results if r.profession_applies]
    return Guidance(
        licence=licence_words(facts, region_names(rules)),
        satisfied=tuple(r for r in covering if r.satisfied),
        aligned=tuple(r for r in covering if r.aligned),
        short=tuple(r for r in covering if r.status == "not_met"),
        approved_elsewhere=any(r.approval is not None and not r.satisfied for r in covering),
    )


def rules_covering(
    facts: LearnerFacts, requirements: Iterable[RequirementSet]
) -> list[RequirementSet]:
    """The rules that cover this person at all, whatever the course."""
    probe = Completion(
        professions=frozenset({facts.profession}) if facts.profession else frozenset(),
        hours=0,
        content_areas=frozenset(),
        licence_type=facts.licence_type,
        region=facts.region,
        country=facts.country,
        personal=True,
    )
    return [r for r in requirements if check_requirement(r, probe).profession_applies]


@dataclass(frozen=True)
class RuleOverview:
    """One rule covering the learner, and which courses meet it (or only align with it)."""

    requirement: RequirementSet
    approval_held: bool
    meeting: tuple[Course, ...]
    aligned: tuple[Course, ...]


def licence_overview(
    facts: LearnerFacts,
    requirements: Iterable[RequirementSet],
    courses: Iterable[Course],
    approvals: Iterable[Approval],
    today: date,
) -> list[RuleOverview]:
    """For the dashboard: every rule covering the learner, with the courses that meet it."""
    held = tuple(approvals)
    shown = tuple(courses)
    overview = []
    for rule in rules_covering(facts, requirements):
        results = [
            (course, course_guidance(course, facts, (rule,), held, today)) for course in shown
        ]
        overview.append(
            RuleOverview(
                requirement=rule,
                approval_held=any(
                    a.requirement_slug == rule.slug and a.valid_on(today) for a in held
                ),
                meeting=tuple(c for c, g in results if g.satisfied),
                aligned=tuple(c for c, g in results if g.aligned),
            )
        )
    return overview


def facts_of(
    user: object, licence_types: Mapping[str, LicenceType] | None = None, language: str = "en"
) -> LearnerFacts:
    """The rule-relevant facts of a user (any object with the User's attributes).

    With the catalogue's ``licence_types`` (in the reader's language), the facts
    also carry the names a sentence to the learner uses.
    """
    licence_type = getattr(user, "licence_type", None)
    region = getattr(user, "region", None)
    known = (licence_types or {}).get(licence_type or "")
    return LearnerFacts(
        profession=getattr(user, "profession", None),
        region=region,
        country=getattr(user, "country", None),
        licence_type=licence_type,
        licence_title=known.title if known is not None else "",
        region_title=region_name(region, language) if region and licence_types else "",
    )
