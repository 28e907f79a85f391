"""API endpoints to manage an organisation: units, members, assignments, attempts.

The same services as the pages (``trainer.orgs.manage``, ``trainer.orgs.units``,
``trainer.quizzes.grants``) and the same scope: anything outside it answers 404.
Their schemas are in ``trainer.api.openapi``.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask.typing import ResponseReturnValue
from sqlalchemy import func, select

from trainer import db
from trainer.api import bp
from trainer.api.auth import api_roles_required, bearer_user
from trainer.api.errors import ApiError
from trainer.api.orgs import _assignment_json, _due, _unit
from trainer.api.views import json_body
from trainer.content.catalogue import catalogue
from trainer.models import Assignment, OrgUnit, User
from trainer.orgs import manage
from trainer.orgs import units as unit_services
from trainer.orgs.access import (
    assignment_in_scope,
    member_in_scope,
    org_scope,
    page_number,
    today,
    unit_in_scope,
)
from trainer.orgs.assignments import assignment_learner_count
from trainer.quizzes.grants import GrantRefused, grant_attempts

PAGE_SIZE = 100


def _unit_json(unit: OrgUnit, label: str) -> dict[str, Any]:
    return {
        "id": unit.id,
        "name": unit.name,
        "kind": unit.kind,
        "parent": unit.parent_id,
        "path": label,
    }


def _unit_response(unit: OrgUnit) -> dict[str, Any]:
    return {"unit": _unit_json(unit, unit_services.unit_labels(db.session(), [unit])[unit.id])}


def _member_json(person: User, labels: dict[int, str]) -> dict[str, Any]:
    return {
        "id": person.id,
        "email": person.email,
        "full_name": person.full_name,
        "role": person.role,
        "profession": person.profession,
        "unit": person.unit_id,
        "unit_path": labels.get(person.unit_id or 0),
        "active": person.active,
    }


def _text(body: dict[str, Any], key: str) -> str | None:
    value = body.get(key)
    if value is not None and not isinstance(value, str):
        raise ApiError(400, "invalid_request", f"'{key}' is a string.")
    return value


@bp.get("/orgs/<org_slug>/units")
@api_roles_required("org_admin")
def list_units(org_slug: str) -> ResponseReturnValue:
    scope = org_scope(bearer_user(), org_slug)
    units = unit_services.units_in_scope(db.session(), scope)
    labels = unit_services.unit_labels(db.session(), units)
    return jsonify({"units": [_unit_json(u, labels[u.id]) for u in units]})


@bp.post("/orgs/<org_slug>/units")
@api_roles_required("org_admin")
def create_unit(org_slug: str) -> ResponseReturnValue:
    """``{name, kind, parent}``: parent is a unit id or path; none puts it at the top."""
    scope = org_scope(bearer_user(), org_slug)
    body = json_body()
    parent = _unit(scope, body.get("parent"))
    try:
        unit = unit_services.create_unit(
            db.session(),
            scope,
            name=_text(body, "name") or "",
            kind=_text(body, "kind") or "other",
            parent=parent,
        )
    except unit_services.UnitError as error:
        raise ApiError(400, "invalid_unit", str(error)) from error
    unit_services.audit_unit(
        db.session(),
        scope,
        "unit.create",
        unit,
        bearer_user(),
        name=unit.name,
        parent=unit.parent_id,
    )
    db.session().commit()
    return jsonify(_unit_response(unit)), 201


@bp.patch("/orgs/<org_slug>/units/<int:unit_id>")
@api_roles_required("org_admin")
def update_unit(org_slug: str, unit_id: int) -> ResponseReturnValue:
    """``{name?, kind?, parent?}``: rename, and move under ``parent`` (null: to the top)."""
    scope = org_scope(bearer_user(), org_slug)
    this = unit_in_scope(scope, unit_id)
    body = json_body()
    session = db.session()
    try:
        if "name" in body or "kind" in body:
            old = this.name
            unit_services.rename_unit(
                session, this, name=_text(body, "name") or this.name, kind=_text(body, "kind")
            )
            unit_services.audit_unit(
                db.session(), scope, "unit.rename", this, bearer_user(), old=old, new=this.name
            )
        if "parent" in body:
            old_parent = this.parent_id
            unit_services.move_unit(session, scope, this, _unit(scope, body["parent"]))
            this = unit_in_scope(scope, unit_id)
            unit_services.audit_unit(
                db.session(),
                scope,
                "unit.move",
                this,
                bearer_user(),
                old_parent=old_parent,
                new_parent=this.parent_id,
            )
    except unit_services.UnitError as error:
        raise ApiError(400, "invalid_unit", str(error)) from error
    session.commit()
    return jsonify(_unit_response(this))


@bp.delete("/orgs/<org_slug>/units/<int:unit_id>")
@api_roles_required("org_admin")
def delete_unit(org_slug: str, unit_id: int) -> ResponseReturnValue:
    """Only an empty unit; otherwise 409 saying what it still holds."""
    scope = org_scope(bearer_user(), org_slug)
    this = unit_in_scope(scope, unit_id)
    try:
        manage.delete_unit(db.session(), scope, this, actor=bearer_user())
    except manage.ManageError as error:
        raise ApiError(409, "unit_not_empty", str(error)) from error
    db.session().commit()
    return "", 204


@bp.get("/orgs/<org_slug>/members")
@api_roles_required("org_admin")
def list_members(org_slug: str) -> ResponseReturnValue:
    """``?q=`` (name or e-mail contains), ``unit``, ``profession``, ``status``, ``page``."""
    scope = org_scope(bearer_user(), org_slug)
    args = request.args
    status = args.get("status") or None
    if status is not None and status not in manage.MEMBER_STATUSES:
        raise ApiError(400, "invalid_request", "'status' is active or inactive.")
    filters = manage.MemberFilters(
        text=args.get("q", "")[:200],
        unit=unit_in_scope(scope, args["unit"]) if args.get("unit") else None,
        profession=args.get("profession") or None,
        status=status,
    )
    statement = manage.members_query(scope, filters)
    session = db.session()
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    page = page_number(args)
    people = session.scalars(
        statement.order_by(User.full_name, User.email)
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    labels = unit_services.unit_labels(session, [p.unit for p in people if p.unit])
    return jsonify(
        {
            "members": [_member_json(p, labels) for p in people],
            "total": total,
            "page": page,
            "pages": max(1, -(-total // PAGE_SIZE)),
        }
    )


@bp.patch("/orgs/<org_slug>/members/<int:user_id>")
@api_roles_required("org_admin")
def update_member(org_slug: str, user_id: int) -> ResponseReturnValue:
    """``{unit?, active?}``: move to a unit (id or path), deactivate or reactivate."""
    scope = org_scope(bearer_user(), org_slug)
    person = member_in_scope(scope, user_id)
    body = json_body()
    session = db.session()
    try:
        if "unit" in body:
            manage.move_member(
                session, scope, person, _unit(scope, body["unit"]), actor=bearer_user()
            )
        if "active" in body:
            if not isinstance(body["active"], bool):
                raise ApiError(400, "invalid_request", "'active' is true or false.")
            manage.set_active(session, scope, person, body["active"], actor=bearer_user())
    except manage.ManageError as error:
        raise ApiError(400, "invalid_member", str(error)) from error
    session.commit()
    labels = unit_services.unit_labels(session, [person.unit] if person.unit else [])
    return jsonify({"member": _member_json(person, labels)})


@bp.post("/orgs/<org_slug>/members/<int:user_id>/attempts")
@api_roles_required("org_admin")
def grant_member_attempts(org_slug: str, user_id: int) -> ResponseReturnValue:
    """``{course, attempts, reason?}``: more attempts at once, with no wait (audited)."""
    scope = org_scope(bearer_user(), org_slug)
    person = member_in_scope(scope, user_id)
    body = json_body()
    course = catalogue().courses.get(str(body.get("course") or ""))
    attempts = body.get("attempts", 1)
    if course is None:
        raise ApiError(400, "invalid_request", "'course' is the slug of a course.")
    if not isinstance(attempts, int) or isinstance(attempts, bool):
        raise ApiError(400, "invalid_request", "'attempts' is a whole number.")
    try:
        grant = grant_attempts(
            db.session(),
            person,
            course,
            attempts,
            granted_by=bearer_user(),
            reason=_text(body, "reason") or "",
        )
    except GrantRefused as error:
        raise ApiError(400, "invalid_grant", str(error)) from error
    db.session().commit()
    return jsonify(
        {
            "grant": {
                "learner": person.id,
                "course": grant.course_slug,
                "attempts": grant.attempts,
                "reason": grant.reason,
                "granted_at": grant.granted_at.isoformat(),
            }
        }
    ), 201


@bp.get("/orgs/<org_slug>/assignments")
@api_roles_required("org_admin")
def list_assignments(org_slug: str) -> ResponseReturnValue:
    scope = org_scope(bearer_user(), org_slug)
    listed = db.session().scalars(
        select(Assignment).where(scope.assignments_condition()).order_by(Assignment.due_on)
    )
    return jsonify({"assignments": [_assignment_json(a) for a in listed]})


@bp.get("/orgs/<org_slug>/assignments/<int:assignment_id>")
@api_roles_required("org_admin")
def get_assignment(org_slug: str, assignment_id: int) -> ResponseReturnValue:
    scope = org_scope(bearer_user(), org_slug)
    this = assignment_in_scope(scope, assignment_id)
    found = _assignment_json(this) | {"learners": assignment_learner_count(db.session(), this)}
    return jsonify({"assignment": found})


@bp.patch("/orgs/<org_slug>/assignments/<int:assignment_id>")
@api_roles_required("org_admin")
def update_assignment(org_slug: str, assignment_id: int) -> ResponseReturnValue:
    """``{due}``: a new due date, today or later."""
    scope = org_scope(bearer_user(), org_slug)
    this = assignment_in_scope(scope, assignment_id)
    body = json_body()
    try:
        manage.change_due_date(
            db.session(), scope, this, _due(body.get("due")), actor=bearer_user(), today=today()
        )
    except manage.ManageError as error:
        raise ApiError(400, "invalid_assignment", str(error)) from error
    db.session().commit()
    return jsonify({"assignment": _assignment_json(this)})


@bp.delete("/orgs/<org_slug>/assignments/<int:assignment_id>")
@api_roles_required("org_admin")
def cancel_assignment(org_slug: str, assignment_id: int) -> ResponseReturnValue:
    """Withdraw it; learners' progress and certificates stay."""
    scope = org_scope(bearer_user(), org_slug)
    this = assignment_in_scope(scope, assignment_id)
    manage.cancel_assignment(db.session(), scope, this, actor=bearer_user())
    db.session().commit()
    return "", 204
