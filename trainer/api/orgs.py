"""API endpoints for organisations: enrolment, assignments and reports.

They call the same services as the pages under ``/orgs/<org>/`` and check the
same scope: another organisation, or a unit outside a unit-scoped admin's
subtree, answers 404.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import jsonify, request
from flask.typing import ResponseReturnValue

from trainer import db
from trainer.accounts.profile import ProfileVocabulary
from trainer.api import bp
from trainer.api.auth import api_roles_required, bearer_user
from trainer.api.errors import ApiError
from trainer.api.views import json_body
from trainer.content.catalogue import catalogue
from trainer.downloads import csv_response, separator
from trainer.models import Assignment, OrgUnit
from trainer.orgs import people, reports
from trainer.orgs.access import org_scope, page_number, report_filters, today, unit_in_scope
from trainer.orgs.assignments import AssignmentError, AssignmentRequest, create_assignment
from trainer.orgs.enrolment import EnrolmentPlan, apply_enrolment, plan_enrolment
from trainer.orgs.enrolment_views import licence_damage
from trainer.orgs.exports import completion_csv, learners_csv, people_csv
from trainer.orgs.invitations import send_after_enrolment
from trainer.orgs.scope import Scope
from trainer.orgs.staff_csv import MAX_BYTES, too_large_message
from trainer.orgs.units import unit_lookup
from trainer.request_limits import upload_limit


def _plan_json(plan: EnrolmentPlan, dry_run: bool) -> dict[str, Any]:
    return {
        "dry_run": dry_run,
        "imported": plan.ok and not dry_run,
        "summary": plan.summary(),
        "errors": [{"line": e.line, "column": e.column, "reason": e.reason} for e in plan.errors],
        "licence_warnings": [
            {"line": d.line, "value": d.value, "reason": d.reason} for d in licence_damage(plan)
        ],
    }


@bp.post("/orgs/<org_slug>/enrolments")
@upload_limit(MAX_BYTES, too_large_message)
@api_roles_required("org_admin")
def enrol(org_slug: str) -> ResponseReturnValue:
    """Enrol staff from a CSV body; ``?dry_run=1`` only previews. All rows or none."""
    scope = org_scope(bearer_user(), org_slug)
    dry_run = request.args.get("dry_run", "0") not in ("0", "", "false")
    session = db.session()
    content = catalogue()
    plan = plan_enrolment(
        session, scope, request.get_data(), list(content.professions), ProfileVocabulary.of(content)
    )
    if not plan.ok:
        return jsonify(_plan_json(plan, dry_run)), 422
    if dry_run:
        return jsonify(_plan_json(plan, dry_run))
    apply_enrolment(session, scope, plan, bearer_user())
    session.commit()
    send_after_enrolment(scope.organisation.id, plan.summary()["created"])
    return jsonify(_plan_json(plan, dry_run))


def _unit(scope: Scope, value: object) -> OrgUnit | None:
    """A unit given by id, or by path or name (as in enrolment files)."""
    if value in (None, ""):
        return None
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
        return unit_in_scope(scope, value)
    if not isinstance(value, str):
        raise ApiError(
            400, "invalid_request", "'unit' is a unit id or a path like 'North/District 4'."
        )
    found = unit_lookup(db.session(), scope.organisation.id).get(value.strip().casefold(), [])
    if len(found) != 1 or not scope.covers_unit(found[0]):
        raise ApiError(404, "not_found", f"No unit {value!r} among the units you manage.")
    return found[0]


def _assignment_json(assignment: Assignment) -> dict[str, Any]:
    return {
        "id": assignment.id,
        "title": assignment.title,
        "curriculum": assignment.curriculum_slug,
        "courses": assignment.course_slugs,
        "unit": assignment.unit_id,
        "profession": assignment.profession,
        "named": assignment.named,
        "due": assignment.due_on.isoformat(),
    }


def _due(value: object) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError as error:
        raise ApiError(400, "invalid_request", "'due' is a date: YYYY-MM-DD.") from error


@bp.post("/orgs/<org_slug>/assignments")
@api_roles_required("org_admin")
def assign(org_slug: str) -> ResponseReturnValue:
    """``{curriculum or courses, unit or profession or emails, due}``."""
    scope = org_scope(bearer_user(), org_slug)
    body = json_body()
    courses, emails = body.get("courses") or [], body.get("emails") or []
    if not isinstance(courses, list) or not isinstance(emails, list):
        raise ApiError(400, "invalid_request", "'courses' and 'emails' are lists of strings.")
    assignment_request = AssignmentRequest(
        due=_due(body.get("due")),
        curriculum=body.get("curriculum") or None,
        courses=[str(c) for c in courses],
        unit=_unit(scope, body.get("unit")),
        profession=body.get("profession") or None,
        emails=[str(e) for e in emails],
    )
    session = db.session()
    try:
        assignment = create_assignment(
            session, scope, catalogue(), assignment_request, actor=bearer_user(), today=today()
        )
    except AssignmentError as error:
        raise ApiError(400, "invalid_assignment", str(error)) from error
    session.commit()
    return jsonify({"assignment": _assignment_json(assignment)}), 201


@bp.get("/orgs/<org_slug>/reports/completion")
@api_roles_required("org_admin")
def completion_report(org_slug: str) -> ResponseReturnValue:
    scope = org_scope(bearer_user(), org_slug)
    filters = report_filters(scope, request.args)
    rows = reports.completion(db.session(), scope, catalogue(), filters, today())
    return jsonify({"rows": [r.as_dict() for r in rows]})


@bp.get("/orgs/<org_slug>/reports/completion.csv")
@api_roles_required("org_admin")
def completion_report_csv(org_slug: str) -> ResponseReturnValue:
    scope = org_scope(bearer_user(), org_slug)
    filters = report_filters(scope, request.args)
    rows = reports.completion(db.session(), scope, catalogue(), filters, today())
    return csv_response(
        completion_csv(rows, separator(request.args)), f"{scope.organisation.slug}-completion.csv"
    )


@bp.get("/orgs/<org_slug>/reports/learners")
@api_roles_required("org_admin")
def learners_report(org_slug: str) -> ResponseReturnValue:
    scope = org_scope(bearer_user(), org_slug)
    filters = report_filters(scope, request.args)
    page = reports.learners(
        db.session(), scope, catalogue(), filters, today(), page=page_number(request.args)
    )
    return jsonify(
        {
            "learners": [r.as_dict() for r in page.rows],
            "total": page.total,
            "page": page.page,
            "pages": page.pages,
        }
    )


@bp.get("/orgs/<org_slug>/reports/learners.csv")
@api_roles_required("org_admin")
def learners_report_csv(org_slug: str) -> ResponseReturnValue:
    scope = org_scope(bearer_user(), org_slug)
    filters = report_filters(scope, request.args)
    page = reports.learners(db.session(), scope, catalogue(), filters, today(), page_size=None)
    return csv_response(
        learners_csv(page.rows, separator(request.args)), f"{scope.organisation.slug}-learners.csv"
    )


@bp.get("/orgs/<org_slug>/reports/people")
@api_roles_required("org_admin")
def people_report(org_slug: str) -> ResponseReturnValue:
    """Completion by person: people assigned, complete (every assigned course), in progress,
    not started and overdue, per unit and profession, with the total. Filters: ``unit``,
    ``profession``, ``course``, ``curriculum`` (only its courses count)."""
    scope = org_scope(bearer_user(), org_slug)
    filters = report_filters(scope, request.args)
    rows = people.people(db.session(), scope, catalogue(), filters, today())
    return jsonify({"rows": [r.as_dict() for r in rows], "total": people.total(rows).as_dict()})


@bp.get("/orgs/<org_slug>/reports/people.csv")
@api_roles_required("org_admin")
def people_report_csv(org_slug: str) -> ResponseReturnValue:
    """The completion by person as CSV (UTF-8 with BOM); ``sep`` is ``,`` (default), ``;`` or
    ``tab``."""
    scope = org_scope(bearer_user(), org_slug)
    filters = report_filters(scope, request.args)
    rows = people.people(db.session(), scope, catalogue(), filters, today())
    return csv_response(
        people_csv(rows, separator(request.args)), f"{scope.organisation.slug}-people.csv"
    )
