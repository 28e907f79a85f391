"""API endpoints for the catalogue and learner progress."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from flask import jsonify, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from trainer import SUPPORTED_LOCALES, db
from trainer.api import bp
from trainer.api.auth import api_login_required, bearer_user
from trainer.api.errors import ApiError
from trainer.certificates.credits import course_credit_hours
from trainer.certificates.requirements import Approval, course_requirements
from trainer.certificates.views import award_if_complete
from trainer.content.catalogue import catalogue
from trainer.content.model import Course
from trainer.i18n import DEFAULT_LOCALE, browser_language
from trainer.learning import services
from trainer.learning.progress import CourseProgress
from trainer.licensing.approvals import held_approvals
from trainer.licensing.timing import (
    earliest_completion,
    opened_at,
    reading_share,
    record_opening,
    too_early,
)
from trainer.models import Attempt, utcnow


def course_json(course: Course, approvals: tuple[Approval, ...] = ()) -> dict[str, Any]:
    """A course for the catalogue; ``requirement_sets`` only lists rules this site is
    approved for, ``aligned_requirement_sets`` those whose content fits without approval."""
    results = course_requirements(
        course, catalogue().requirement_sets.values(), approvals, utcnow().date()
    )
    return {
        "slug": course.slug,
        "title": course.title,
        "summary": course.summary,
        "language": course.language,
        "languages": list(course.languages),
        "version": course.version,
        "professions": list(course.professions),
        "minutes": course.minutes,
        "credit_hours": course_credit_hours(course),
        "content_areas": list(course.content_areas),
        "requirement_sets": [r.requirement.slug for r in results if r.satisfied],
        "aligned_requirement_sets": [r.requirement.slug for r in results if r.aligned],
        "modules": [
            {
                "slug": m.slug,
                "title": m.title,
                "minutes": m.minutes,
                "content_areas": list(m.content_areas),
            }
            for m in course.modules
        ],
    }


def progress_json(
    progress: CourseProgress, attempts: list[Attempt] | None = None
) -> dict[str, Any]:
    following = progress.next_module
    return {
        "attempts": [
            {
                "id": a.id,
                "started_at": a.started_at.isoformat(),
                "submitted_at": a.submitted_at.isoformat() if a.submitted_at else None,
                "percent": a.percent,
                "passed": a.passed,
            }
            for a in attempts or []
        ],
        "course": progress.course.slug,
        "status": progress.status,
        "modules_done": [m.slug for m in progress.course.modules if progress.is_done(m)],
        "modules_total": len(progress.course.modules),
        "percent": progress.percent,
        "next_module": following.slug if following else None,
    }


def requested_language() -> str:
    """``?language=xx``, or else the course language ``Accept-Language`` prefers.

    The API's messages are always English, but its content is negotiated.
    """
    language = request.args.get("language")
    if language is None:
        return browser_language(catalogue().languages) or DEFAULT_LOCALE
    known = catalogue().languages | set(SUPPORTED_LOCALES)
    if language not in known:
        raise ApiError(
            400,
            "unknown_language",
            f"Unknown language {language!r}; use one of {', '.join(sorted(known))}.",
        )
    return language


@bp.get("/courses")
def courses() -> ResponseReturnValue:
    """The catalogue, each course in the requested language where it has that variant."""
    content = catalogue().in_language(requested_language())
    profession = request.args.get("profession") or None
    if profession is not None and profession not in content.professions:
        raise ApiError(
            400,
            "unknown_profession",
            f"Unknown profession {profession!r}; use one of {', '.join(content.professions)}.",
        )
    approvals = held_approvals(db.session())
    return jsonify(
        {"courses": [course_json(c, approvals) for c in content.courses_for(profession)]}
    )


@bp.get("/courses/<course_slug>/modules/<module_slug>")
@api_login_required
def module(course_slug: str, module_slug: str) -> ResponseReturnValue:
    """One module's facts; the first call starts the learner's clock for time on task."""
    course = catalogue().in_language(requested_language()).courses.get(course_slug)
    found = course.module(module_slug) if course else None
    if course is None or found is None:
        raise ApiError(404, "not_found", f"No module {course_slug}/{module_slug}.")
    user, session = bearer_user(), db.session()
    record_opening(session, user, course, found)
    session.commit()
    opened = opened_at(session, user, course, found)
    share = reading_share()
    return jsonify(
        {
            "module": {
                "slug": found.slug,
                "title": found.title,
                "minutes": found.minutes,
                "content_areas": list(found.content_areas),
                "language": course.language,
                "url": url_for(
                    "learning.module",
                    course_slug=course.slug,
                    module_slug=found.slug,
                    _external=True,
                ),
                "opened_at": opened.isoformat() if opened else None,
                "complete_from": earliest_completion(opened, found.minutes, share).isoformat()
                if opened and share > 0
                else None,
            }
        }
    )


@bp.post("/courses/<course_slug>/modules/<module_slug>/complete")
@api_login_required
def complete_module(course_slug: str, module_slug: str) -> ResponseReturnValue:
    course = catalogue().courses.get(course_slug)
    module = course.module(module_slug) if course else None
    if course is None or module is None:
        raise ApiError(404, "not_found", f"No module {course_slug}/{module_slug}.")
    user = bearer_user()
    session = db.session()
    ready = too_early(session, user, course, module)
    if ready is not None:
        session.commit()  # the clock started, if this call started it
        raise ApiError(
            409,
            "too_early",
            f"This module can be marked complete from {ready.isoformat()} "
            "(time on task: a share of its estimated minutes must pass after first opening it).",
        )
    created = services.complete_module(session, user, course, module)
    award_if_complete(user, course)
    session.commit()
    progress = services.course_progress(session, user, course)
    return jsonify(
        {"created": created, "progress": progress_json(progress)}
    ), 201 if created else 200


@bp.get("/me/progress")
@api_login_required
def my_progress() -> ResponseReturnValue:
    session, user = db.session(), bearer_user()
    progress = services.all_progress(session, user, catalogue())
    attempts: dict[str, list[Attempt]] = defaultdict(list)
    for attempt in session.scalars(
        select(Attempt).where(Attempt.user_id == user.id).order_by(Attempt.started_at)
    ):
        attempts[attempt.course_slug].append(attempt)
    return jsonify({"progress": [progress_json(p, attempts[slug]) for slug, p in progress.items()]})
