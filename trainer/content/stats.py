"""Figures about the content, for authors and for `trainer content stats`."""

from __future__ import annotations

from typing import Any

from trainer.certificates.credits import course_credit_hours
from trainer.content.model import Catalogue

ITEM_TYPES = ("single", "multiple", "classification", "ordering", "branching")


def course_stats(catalogue: Catalogue) -> list[dict[str, Any]]:
    """One entry per course: languages, professions, modules, words, minutes, hours, areas,
    items by type. Words are the source language's."""
    return [
        {
            "course": course.slug,
            "title": course.title,
            "version": course.version,
            "languages": list(course.languages),
            "professions": list(course.professions),
            "modules": len(course.modules),
            "words": course.words,
            "minutes": course.minutes,
            "credit_hours": course_credit_hours(course),
            "content_areas": list(course.content_areas),
            "items": {t: sum(1 for i in course.items if i.type == t) for t in ITEM_TYPES},
            "assessment_items": course.assessment.items if course.assessment else 0,
        }
        for course in catalogue.courses.values()
    ]


def totals(stats: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "courses": len(stats),
        "modules": sum(s["modules"] for s in stats),
        "words": sum(s["words"] for s in stats),
        "minutes": sum(s["minutes"] for s in stats),
        "credit_hours": sum(s["credit_hours"] for s in stats),
        "items": {t: sum(s["items"][t] for s in stats) for t in ITEM_TYPES},
    }
