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


@dataclass(frozen=True)
class Completion:
    """The facts of a completion that licensing rules look at."""

    professions: frozenset[str]
    hours: float
    content_areas: frozenset[str]
    #: The learner's licence type; None when unknown (a course page, not a certificate).
    licence_type: str | None = None
    #: When the course was completed; None on a course page, where no date applies.
    completed_on: date | None = None


@dataclass(frozen=True)
class RequirementResult:
    requirement: RequirementSet
    missing_areas: tuple[str, ...] = ()
    missing_hours: float = 0.0
    profession_applies: bool = True

    #: When a rule that renews must be met again: completion date plus the renewal period.
    valid_until: date | None = None

    @property
    def satisfied(self) -> bool:
        return self.profession_applies and not self.missing_areas and self.missing_hours <= 0

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
        return "; ".join(reasons)


def check_requirement(requirement: RequirementSet, completion: Completion) -> RequirementResult:
    """Whether ``completion`` satisfies ``requirement``, and if not, what is missing."""
    return RequirementResult(
        requirement=requirement,
        missing_areas=tuple(
            a for a in requirement.content_areas if a not in completion.content_areas
        ),
        missing_hours=max(requirement.min_hours - completion.hours, 0.0),
        profession_applies=bool(set(requirement.professions) & completion.professions)
        and _licence_applies(requirement, completion.licence_type),
        valid_until=renewal_due(requirement, completion.completed_on),
    )


def renewal_due(requirement: RequirementSet, completed_on: date | None) -> date | None:
    """The day a renewing rule must be met again; None for one-time rules."""
    if completed_on is None or not requirement.renewal_years:
        return None
    try:
        return completed_on.replace(year=completed_on.year + requirement.renewal_years)
    except ValueError:  # 29 February, and the renewal year is not a leap year
        return completed_on.replace(year=completed_on.year + requirement.renewal_years, day=28)


def _licence_applies(requirement: RequirementSet, licence_type: str | None) -> bool:
    return (
        not requirement.licence_types
        or licence_type is None
        or (licence_type in requirement.licence_types)
    )


def course_requirements(
    course: Course, requirements: Iterable[RequirementSet]
) -> list[RequirementResult]:
    """The sets that apply to the course's professions, each with whether the course meets it."""
    completion = Completion(
        frozenset(course.professions), course_credit_hours(course), frozenset(course.content_areas)
    )
    results = [check_requirement(r, completion) for r in requirements]
    return [r for r in results if r.profession_applies]


def satisfied_requirements(
    requirements: Iterable[RequirementSet], completion: Completion
) -> list[RequirementSet]:
    """The requirement sets ``completion`` satisfies, in the order given."""
    return [r for r in requirements if check_requirement(r, completion).satisfied]


def requirement_record(result: RequirementResult) -> dict[str, Any]:
    """A satisfied rule as a certificate keeps it: what it was called when issued."""
    rule = result.requirement
    return {
        "slug": rule.slug,
        "title": rule.title,
        "authority": rule.authority,
        "citation": rule.citation,
        "jurisdiction": rule.jurisdiction,
        "valid_until": result.valid_until.isoformat() if result.valid_until else None,
    }


def certificate_expiry(results: Iterable[RequirementResult]) -> date | None:
    """When a certificate stops being useful: only if every rule it satisfies renews.

    A certificate that meets a one-time rule (Michigan) stays valid for it even
    when another rule it meets (Florida) must be renewed; the per-rule dates say so.
    """
    dues = [r.valid_until for r in results]
    if not dues or any(due is None for due in dues):
        return None
    return max(due for due in dues if due is not None)
