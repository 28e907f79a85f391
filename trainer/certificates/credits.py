"""Credit hours. One contact hour is 60 minutes; credit is given in 0.25-hour steps."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from trainer.content.model import Course

STEP_MINUTES = 15


def supported_hours(minutes: int) -> float:
    """The hours ``minutes`` of study support, rounded down to a quarter hour."""
    return math.floor(max(minutes, 0) / STEP_MINUTES) * STEP_MINUTES / 60


def credit_hours(minutes: int, declared: float | None = None) -> float:
    """Hours to award: what the minutes support, or the declared hours when lower."""
    supported = supported_hours(minutes)
    return supported if declared is None else min(supported, declared)


def course_credit_hours(course: Course) -> float:
    """The hours a certificate for ``course`` carries."""
    return credit_hours(course.minutes, course.declared_hours)
