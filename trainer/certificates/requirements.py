"""Matching completions against requirement sets. Pure: no app, no database."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext

from trainer.certificates.credits import course_credit_hours
from trainer.content.model import Course, RequirementSet
from trainer.i18n.formatting import local_number
from trainer.i18n.plurals import plural_count

#: A rule's jurisdiction that applies everywhere (a ministry's own rule, an international body).
EVERYWHERE = "international"


@dataclass(frozen=True)
class Approval:
    """An approval the deployment holds for one rule (deployment data, not content)."""

    requirement_slug: str
    number: str
    body: str
    category: str = ""
    valid_from: date | None = None
    valid_until: date | None = None
    #: The course approved, when the approval names one; None for any course.
    course_slug: str | None = None

    def covers(self, course_slug: str | None) -> bool:
        """An approval naming a course counts only for that course."""
        return self.course_slug is None or self.course_slug == course_slug

    def valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until
        )


@dataclass(frozen=True)
class Completion:
    """The facts of a completion that licensing rules look at."""

    professions: frozenset[str]
    hours: float
    content_areas: frozenset[str]
    #: The learner's licence type; None when unknown.
    licence_type: str | None = None
    #: When the course was completed; None on a course page, where no date applies.
    completed_on: date | None = None
    #: The learner's state or province (ISO 3166-2, "US-MI") and country ("US").
    region: str | None = None
    country: str | None = None
    #: True for a person's completion (a certificate, personal guidance): an unknown
    #: region or licence type then means the rule does not apply. False on a course
    #: page, which describes the course for anyone.
    personal: bool = False
    #: The course completed (its slug), for approvals that name one course.
    course: str | None = None


@dataclass(frozen=True)
class RequirementResult:
    requirement: RequirementSet
    missing_areas: tuple[str, ...] = ()
    missing_hours: float = 0.0
    profession_applies: bool = True
    #: When a rule that renews must be met again: completion date plus the renewal period.
    valid_until: date | None = None
    #: The approval that lets this deployment's training count for the rule, if held.
    approval: Approval | None = None

    @property
    def content_met(self) -> bool:
        return not self.missing_areas and self.missing_hours <= 0

    @property
    def approval_missing(self) -> bool:
        return self.requirement.approval_required and self.approval is None

    @property
    def satisfied(self) -> bool:
        """Person, hours, content and the provider's approval all hold."""
        return self.profession_applies and self.content_met and not self.approval_missing

    @property
    def aligned(self) -> bool:
        """The content and hours fit, but the deployment holds no approval for the rule."""
        return self.profession_applies and self.content_met and self.approval_missing

    @property
    def status(self) -> str:
        """``satisfied``, ``aligned``, ``not_met`` or ``not_applicable``."""
        if not self.profession_applies:
            return "not_applicable"
        if self.satisfied:
            return "satisfied"
        return "aligned" if self.aligned else "not_met"

    def missing(self) -> str:
        """What stands between the completion and this rule, in words; "" when satisfied."""
        reasons = []
        if not self.profession_applies:
            reasons.append(_("the rule does not apply to this profession or licence type"))
        if self.missing_hours > 0:
            reasons.append(
                ngettext(
                    "%(hours)s more credit hour",
                    "%(hours)s more credit hours",
                    plural_count(self.missing_hours),
                    hours=local_number(self.missing_hours),
                )
            )
        if self.missing_areas:
            areas = ", ".join(self.missing_areas)
            reasons.append(_("content areas not covered: %(areas)s", areas=areas))
        if self.approval_missing:
            reasons.append(_("this site is not an approved provider for this rule"))
        return "; ".join(reasons)


def check_requirement(
    requirement: RequirementSet,
    completion: Completion,
    approvals: Iterable[Approval] = (),
    on: date | None = None,
) -> RequirementResult:
    """Whether ``completion`` satisfies ``requirement``, and if not, what is missing.

    ``approvals`` are the ones the deployment holds; one counts when it is for this
    rule, valid on the completion date (or ``on`` where there is none) and, when the
    rule limits provider categories, of an accepted category.
    """
    day = completion.completed_on or on
    return RequirementResult(
        requirement=requirement,
        missing_areas=tuple(
            a for a in requirement.content_areas if a not in completion.content_areas
        ),
        missing_hours=max(requirement.min_hours - completion.hours, 0.0),
        profession_applies=bool(set(requirement.professions) & completion.professions)
        and _licence_applies(requirement, completion)
        and jurisdiction_applies(requirement.jurisdiction, completion),
        valid_until=renewal_due(requirement, completion.completed_on),
        approval=_approval_for(requirement, approvals, day, completion.course),
    )


def jurisdiction_applies(jurisdiction: str, completion: Completion) -> bool:
    """A state rule ("US-FL") applies only to that state's learners; a country rule to its own."""
    if jurisdiction == EVERYWHERE or not completion.personal:
        return True
    if "-" in jurisdiction:
        return completion.region == jurisdiction
    region_country = completion.region.split("-")[0] if completion.region else None
    return jurisdiction in (completion.country, region_country)


def _approval_for(
    requirement: RequirementSet,
    approvals: Iterable[Approval],
    day: date | None,
    course: str | None,
) -> Approval | None:
    for approval in approvals:
        if approval.requirement_slug != requirement.slug or not approval.covers(course):
            continue
        if day is not None and not approval.valid_on(day):
            continue
        if requirement.provider_categories and (
            approval.category not in requirement.provider_categories
        ):
            continue
        return approval
    return None


def renewal_due(requirement: RequirementSet, completed_on: date | None) -> date | None:
    """The day a renewing rule must be met again; None for one-time rules."""
    if completed_on is None or not requirement.renewal_years:
        return None
    try:
        return completed_on.replace(year=completed_on.year + requirement.renewal_years)
    except ValueError:  # 29 February, and the renewal year is not a leap year
        return completed_on.replace(year=completed_on.year + requirement.renewal_years, day=28)


def _licence_applies(requirement: RequirementSet, completion: Completion) -> bool:
    """A licensing rule covers only the licence types it lists; unknown counts only off-person."""
    if not requirement.licence_required:
        return True
    if completion.licence_type is None:
        return not completion.personal
    return completion.licence_type in requirement.licence_types


def course_requirements(
    course: Course,
    requirements: Iterable[RequirementSet],
    approvals: Iterable[Approval] = (),
    on: date | None = None,
) -> list[RequirementResult]:
    """The sets that apply to the course's professions, each with whether the course meets it."""
    completion = Completion(
        frozenset(course.professions),
        course_credit_hours(course),
        frozenset(course.content_areas),
        course=course.slug,
    )
    held = tuple(approvals)
    results = [check_requirement(r, completion, held, on) for r in requirements]
    return [r for r in results if r.profession_applies]


def satisfied_requirements(
    requirements: Iterable[RequirementSet],
    completion: Completion,
    approvals: Iterable[Approval] = (),
) -> list[RequirementSet]:
    """The requirement sets ``completion`` satisfies, in the order given."""
    held = tuple(approvals)
    return [r for r in requirements if check_requirement(r, completion, held).satisfied]


def requirement_record(result: RequirementResult) -> dict[str, Any]:
    """A satisfied rule as a certificate keeps it: what it was called when issued.

    The approval that made it count is copied too, so a board sees which approval
    number the certificate relies on even after the operator's record changes.
    """
    rule = result.requirement
    approval = result.approval
    return {
        "slug": rule.slug,
        "title": rule.title,
        "authority": rule.authority,
        "citation": rule.citation,
        "jurisdiction": rule.jurisdiction,
        "valid_until": result.valid_until.isoformat() if result.valid_until else None,
        "approval": {"number": approval.number, "body": approval.body}
        if approval is not None
        else None,
    }


def requirement_line(record: dict[str, Any]) -> str:
    """One printed line for a satisfied rule: title, citation and the approval relied on."""
    line = f"{record['title']} ({record['citation']})"
    approval = record.get("approval")
    if approval:
        line += f"; approval {approval['number']}, {approval['body']}"
    return line


def certificate_expiry(results: Iterable[RequirementResult]) -> date | None:
    """When a certificate stops being useful: only if every rule it satisfies renews.

    A certificate that meets a one-time rule (Michigan) stays valid for it even
    when another rule it meets (Florida) must be renewed; the per-rule dates say so.
    """
    dues = [r.valid_until for r in results]
    if not dues or any(due is None for due in dues):
        return None
    return max(due for due in dues if due is not None)
