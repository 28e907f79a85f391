"""Loading what a request names, checked against the caller's scope (404 outside it).

Shared by the HTML pages and the JSON API: ``abort(404)`` answers a page to a
browser and ``{"error": ...}`` to an API client (see ``trainer.errors``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime

from flask import abort
from flask_babel import gettext as _

from trainer import db
from trainer.content.catalogue import catalogue
from trainer.models import Assignment, OrgUnit, User
from trainer.orgs.reports import STATUSES, ReportFilters
from trainer.orgs.scope import Scope, admin_scope

NOT_FOUND = "There is nothing here, or it is not yours to see."


def today() -> date:
    return datetime.now(UTC).date()


def org_scope(user: User | None, org_slug: str) -> Scope:
    scope = admin_scope(db.session(), user, org_slug)
    if scope is None:
        abort(404, NOT_FOUND)
    return scope


def unit_in_scope(scope: Scope, unit_id: int | str | None) -> OrgUnit:
    unit = db.session().get(OrgUnit, _int(unit_id)) if _int(unit_id) else None
    if unit is None or not scope.covers_unit(unit):
        abort(404, NOT_FOUND)
    return unit


def member_in_scope(scope: Scope, user_id: int) -> User:
    member = db.session().get(User, user_id)
    if member is None or not scope.covers_member(member):
        abort(404, NOT_FOUND)
    return member


def assignment_in_scope(scope: Scope, assignment_id: int) -> Assignment:
    assignment = db.session().get(Assignment, assignment_id)
    if assignment is None or not scope.covers_assignment(assignment):
        abort(404, NOT_FOUND)
    return assignment


#: The largest id a database integer column holds; larger numbers name nothing.
MAX_ID = 2**31 - 1
#: Far beyond any real list, and small enough that its offset fits every database.
MAX_PAGE = 1_000_000


def _int(value: object) -> int | None:
    """A positive id from text, or None (out of range numbers included, which name nothing)."""
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= MAX_ID else None


def report_filters(scope: Scope, args: Mapping[str, str]) -> ReportFilters:
    """Filters from query parameters ``unit`` (id), ``profession``, ``course``, ``status``,
    ``curriculum``."""
    unit = unit_in_scope(scope, args["unit"]) if args.get("unit") else None
    content = catalogue()
    profession = args.get("profession") or None
    course = args.get("course") or None
    status = args.get("status") or None
    if profession is not None and profession not in content.professions:
        known = ", ".join(content.professions)
        abort(
            400,
            _(
                "Unknown profession '%(value)s'; use one of %(known)s.",
                value=profession,
                known=known,
            ),
        )
    if course is not None and course not in content.courses:
        known = ", ".join(content.courses)
        abort(
            400, _("Unknown course '%(value)s'; use one of %(known)s.", value=course, known=known)
        )
    if status is not None and status not in STATUSES:
        known = ", ".join(STATUSES)
        abort(
            400, _("Unknown status '%(value)s'; use one of %(known)s.", value=status, known=known)
        )
    curriculum = args.get("curriculum") or None
    if curriculum is not None and curriculum not in content.curricula:
        known = ", ".join(content.curricula)
        abort(
            400,
            _(
                "Unknown curriculum '%(slug)s'; use one of %(known)s.",
                slug=curriculum,
                known=known,
            ),
        )
    courses = tuple(content.curricula[curriculum].courses) if curriculum else ()
    return ReportFilters(
        unit=unit,
        profession=profession,
        course=course,
        status=status,
        curriculum=curriculum,
        curriculum_courses=courses,
    )


def page_number(args: Mapping[str, str]) -> int:
    return min(_int(args.get("page")) or 1, MAX_PAGE)
