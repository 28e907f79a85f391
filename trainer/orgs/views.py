"""Organisation pages under ``/orgs/<org>/``: overview, units, members and the audit log.

Every view loads the caller's scope first (``org_scope``): another
organisation, or anything outside a unit-scoped admin's subtree, answers 404.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from trainer import db
from trainer.accounts.roles import roles_required
from trainer.audit import record_event
from trainer.content.catalogue import catalogue, shown_catalogue
from trainer.learning import services as learning
from trainer.models import Assignment, AuditEvent, OrgUnit, User
from trainer.orgs import manage
from trainer.orgs import people as people_report
from trainer.orgs import units as unit_services
from trainer.orgs.access import member_in_scope, org_scope, page_number, today, unit_in_scope
from trainer.orgs.assignments import assignments_of
from trainer.orgs.forms import AdminScopeForm, MoveUnitForm, RenameUnitForm, UnitForm
from trainer.orgs.names import Names, readable_event
from trainer.orgs.reports import ReportFilters
from trainer.orgs.scope import Scope

bp = Blueprint("orgs", __name__, url_prefix="/orgs/<org_slug>")

PAGE_SIZE = 50


def _parent_choices(scope: Scope, *, exclude: OrgUnit | None = None) -> list[tuple[str, str]]:
    units = unit_services.units_in_scope(db.session(), scope)
    labels = unit_services.unit_labels(db.session(), units)
    top = [("", _("(top level)"))] if scope.whole else []
    return top + [
        (str(u.id), labels[u.id])
        for u in units
        if exclude is None or not u.path.startswith(exclude.path)
    ]


@bp.get("/")
@roles_required("org_admin")
def overview(org_slug: str) -> ResponseReturnValue:
    scope = org_scope(current_user, org_slug)
    session = db.session()
    members = session.scalar(select(func.count(User.id)).where(scope.members_condition())) or 0
    units = session.scalar(select(func.count(OrgUnit.id)).where(scope.units_condition())) or 0
    assignments = session.scalar(
        select(func.count(Assignment.id)).where(scope.assignments_condition())
    )
    by_person = people_report.people(session, scope, catalogue(), ReportFilters(), today())
    return render_template(
        "orgs/overview.html",
        scope=scope,
        members=members,
        units=units,
        assignments=assignments,
        headline=people_report.total(by_person),
        late=[r for r in people_report.by_unit(by_person) if r.overdue],
    )


def scope_names(scope: Scope) -> Names:
    """Names for codes on this scope's pages: the reader's catalogue and all unit paths."""
    units = unit_services.units_in_scope(db.session(), scope)
    return Names(shown_catalogue(), unit_services.unit_labels(db.session(), units))


@bp.route("/units", methods=["GET", "POST"])
@roles_required("org_admin")
def units(org_slug: str) -> ResponseReturnValue:
    scope = org_scope(current_user, org_slug)
    session = db.session()
    form = UnitForm()
    form.parent.choices = _parent_choices(scope)
    if form.validate_on_submit():
        parent = unit_in_scope(scope, form.parent.data) if form.parent.data else None
        try:
            unit = unit_services.create_unit(
                session, scope, name=form.name.data, kind=form.kind.data, parent=parent
            )
        except unit_services.UnitError as error:
            form.name.errors = [str(error)]
        else:
            unit_services.audit_unit(
                db.session(),
                scope,
                "unit.create",
                unit,
                current_user,
                name=unit.name,
                parent=unit.parent_id,
            )
            session.commit()
            flash(_("Unit %(name)s created.", name=unit.name), "success")
            return redirect(url_for("orgs.units", org_slug=org_slug))
    all_units = unit_services.units_in_scope(session, scope)
    return render_template(
        "orgs/units.html",
        scope=scope,
        units=all_units,
        labels=unit_services.unit_labels(session, all_units),
        counts=unit_services.member_counts(session, all_units),
        form=form,
    ), 400 if form.errors else 200


def _unit_page(scope: Scope, this: OrgUnit, rename: RenameUnitForm, move: MoveUnitForm) -> tuple:
    label = unit_services.unit_labels(db.session(), [this])[this.id]
    page = render_template(
        "orgs/unit.html",
        scope=scope,
        unit=this,
        label=label,
        rename=rename,
        move=move,
        delete_form=manage_views.ConfirmForm(prefix="delete"),
    )
    return page, 400 if (rename.errors or move.errors) else 200


def _unit_forms(scope: Scope, this: OrgUnit) -> tuple[RenameUnitForm, MoveUnitForm]:
    rename = RenameUnitForm(prefix="rename", obj=this)
    move = MoveUnitForm(prefix="move")
    move.parent.choices = _parent_choices(scope, exclude=this)
    return rename, move


@bp.get("/units/<int:unit_id>")
@roles_required("org_admin")
def unit(org_slug: str, unit_id: int) -> ResponseReturnValue:
    scope = org_scope(current_user, org_slug)
    this = unit_in_scope(scope, unit_id)
    return _unit_page(scope, this, *_unit_forms(scope, this))


@bp.post("/units/<int:unit_id>/rename")
@roles_required("org_admin")
def rename_unit(org_slug: str, unit_id: int) -> ResponseReturnValue:
    scope = org_scope(current_user, org_slug)
    this = unit_in_scope(scope, unit_id)
    rename, move = _unit_forms(scope, this)
    if rename.validate_on_submit():
        old = this.name
        try:
            unit_services.rename_unit(
                db.session(), this, name=rename.name.data, kind=rename.kind.data
            )
        except unit_services.UnitError as error:
            rename.name.errors = [str(error)]
        else:
            unit_services.audit_unit(
                db.session(), scope, "unit.rename", this, current_user, old=old, new=this.name
            )
            db.session().commit()
            flash(_("Saved."), "success")
            return redirect(url_for("orgs.unit", org_slug=org_slug, unit_id=unit_id))
    return _unit_page(scope, this, rename, move)


@bp.post("/units/<int:unit_id>/move")
@roles_required("org_admin")
def move_unit(org_slug: str, unit_id: int) -> ResponseReturnValue:
    scope = org_scope(current_user, org_slug)
    this = unit_in_scope(scope, unit_id)
    rename, move = _unit_forms(scope, this)
    if move.validate_on_submit():
        parent = unit_in_scope(scope, move.parent.data) if move.parent.data else None
        old_parent = this.parent_id
        try:
            unit_services.move_unit(db.session(), scope, this, parent)
        except unit_services.UnitError as error:
            move.parent.errors = [str(error)]
        else:
            unit_services.audit_unit(
                db.session(),
                scope,
                "unit.move",
                this,
                current_user,
                old_parent=old_parent,
                new_parent=this.parent_id,
            )
            db.session().commit()
            flash(_("Moved."), "success")
            return redirect(url_for("orgs.unit", org_slug=org_slug, unit_id=unit_id))
    return _unit_page(scope, this, rename, move)


@bp.get("/members")
@roles_required("org_admin")
def members(org_slug: str) -> ResponseReturnValue:
    scope = org_scope(current_user, org_slug)
    session = db.session()
    chosen = unit_in_scope(scope, request.args["unit"]) if request.args.get("unit") else None
    filters = manage.MemberFilters(
        text=request.args.get("q", "")[:200],
        unit=chosen,
        profession=request.args.get("profession") or None,
        status=request.args.get("status") or None,
    )
    statement = manage.members_query(scope, filters)
    page = page_number(request.args)
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    people = session.scalars(
        statement.order_by(User.full_name, User.email)
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    labels = unit_services.unit_labels(session, [p.unit for p in people if p.unit])
    return render_template(
        "orgs/members.html",
        names=Names(shown_catalogue(), labels),
        scope=scope,
        people=people,
        labels=labels,
        chosen=chosen,
        filters=filters,
        unit_choices=_parent_choices(scope),
        professions=catalogue().professions,
        page=page,
        total=total,
        pages=max(1, -(-total // PAGE_SIZE)),
    )


def _scope_form(scope: Scope, person: User) -> AdminScopeForm | None:
    """For an org admin's page, seen by a whole-organisation admin: limit them to a unit."""
    if not scope.whole or person.role != "org_admin":
        return None
    form = AdminScopeForm(unit=str(person.admin_unit_id or ""))
    form.unit.choices = [("", _("(the whole organisation)")), *_parent_choices(scope)[1:]]
    return form


@bp.post("/members/<int:user_id>/scope")
@roles_required("org_admin")
def member_scope(org_slug: str, user_id: int) -> ResponseReturnValue:
    """Limit an org admin to one unit's subtree, or give them the whole organisation."""
    scope = org_scope(current_user, org_slug)
    person = member_in_scope(scope, user_id)
    form = _scope_form(scope, person)
    if form is None:
        abort(403, _("Only admins of the whole organisation set another admin's scope."))
    if not form.validate_on_submit():
        abort(400)
    unit = unit_in_scope(scope, form.unit.data) if form.unit.data else None
    person.admin_unit_id = unit.id if unit else None
    record_event(
        db.session(),
        "admin.scope",
        actor=current_user,
        target_type="user",
        target_id=person.id,
        organisation_id=scope.organisation.id,
        unit=person.admin_unit_id,
    )
    db.session().commit()
    if unit is None:
        message = _("%(name)s now manages the whole organisation.", name=person.full_name)
    else:
        message = _("%(name)s now manages %(unit)s.", name=person.full_name, unit=unit.name)
    flash(message, "success")
    return redirect(url_for("orgs.member", org_slug=org_slug, user_id=user_id))


@bp.get("/members/<int:user_id>")
@roles_required("org_admin")
def member(org_slug: str, user_id: int) -> ResponseReturnValue:
    scope = org_scope(current_user, org_slug)
    person = member_in_scope(scope, user_id)
    session = db.session()
    progress = learning.all_progress(session, person, shown_catalogue())
    label = unit_services.unit_labels(session, [person.unit])[person.unit.id] if person.unit else ""
    return render_template(
        "orgs/member.html",
        scope=scope,
        person=person,
        unit_label=label,
        assignments=assignments_of(session, person),
        progress=progress,
        today=today(),
        scope_form=_scope_form(scope, person),
        unit_form=manage_views.member_unit_form(scope, person.unit_id),
        grant_form=manage_views.grant_form(),
        active_form=manage_views.ActiveForm(),
    )


@bp.get("/audit")
@roles_required("org_admin")
def audit(org_slug: str) -> ResponseReturnValue:
    """The organisation's audit log: for organisation-wide admins (a unit-scoped admin gets 403)."""
    scope = org_scope(current_user, org_slug)
    if not scope.whole:
        abort(403, _("The audit log is for admins of the whole organisation."))
    session = db.session()
    statement = select(AuditEvent).where(AuditEvent.organisation_id == scope.organisation.id)
    page = page_number(request.args)
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    events = session.scalars(
        statement.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    actors = {
        u.id: u
        for u in session.scalars(select(User).where(User.id.in_({e.actor_id for e in events})))
    }
    names = scope_names(scope)
    return render_template(
        "orgs/audit.html",
        scope=scope,
        events=[readable_event(e, actors.get(e.actor_id), names) for e in events],
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
    )


from trainer.orgs import (  # noqa: E402,F401  (registers routes)
    enrol_template,
    enrolment_views,
    manage_views,
    report_views,
)
