"""Course progress computed from completed modules. Pure: no app, no database."""

from __future__ import annotations

from dataclasses import dataclass

from trainer.content.model import Course, Module

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
MODULES_COMPLETE = "modules_complete"  # the assessment is what remains
COMPLETED = "completed"


@dataclass(frozen=True)
class CourseProgress:
    course: Course
    done: frozenset[str]
    assessment_passed: bool = False

    @property
    def modules_done(self) -> int:
        return sum(1 for m in self.course.modules if m.slug in self.done)

    @property
    def percent(self) -> int:
        total = len(self.course.modules)
        return round(100 * self.modules_done / total) if total else 0

    @property
    def status(self) -> str:
        if self.modules_done == len(self.course.modules):
            done = self.assessment_passed or self.course.assessment is None
            return COMPLETED if done else MODULES_COMPLETE
        return IN_PROGRESS if self.done or self.assessment_passed else NOT_STARTED

    @property
    def next_module(self) -> Module | None:
        """Where to resume: the first module not yet done."""
        return next((m for m in self.course.modules if m.slug not in self.done), None)

    def is_done(self, module: Module) -> bool:
        return module.slug in self.done
