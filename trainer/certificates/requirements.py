"""Matching completions against requirement sets. Pure: no app, no database."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from trainer.certificates.credits import course_credit_hours
from trainer.content.model import Course, RequirementSet


@dataclass(frozen=True)
class Completion:
    """The facts of a completion that licensing rules look at."""

    professions: frozenset[str]
    hours: float
    content_areas: frozenset[str]
    #: The learner's licence type; None when unknown (a course page, not a certificate).
    licence_type: str | None = None


@dataclass(frozen=True)
class RequirementResult:
    requirement: RequirementSet
    missing_areas: tuple[str, ...] = ()
    missing_hours: float = 0.0
    profession_applies: bool = True

    @property
    def satisfied(self) -> bool:
        return self.profession_applies and not self.missing_areas and self.missing_hours <= 0


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
    )


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
