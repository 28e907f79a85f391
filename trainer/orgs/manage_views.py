"""Pages that change or undo: due dates, cancelling, deleting units, moving and removing
members, granting attempts. Each loads the caller's scope first (404 outside it),
calls ``trainer.orgs.manage`` (which audits) and commits once.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, IntegerField, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from trainer import db
from trainer.accounts.roles import roles_required
from trainer.content.catalogue import catalogue
from trainer.orgs import manage
from trainer.orgs import units as unit_services
from trainer.orgs.access import (
    assignment_in_scope,
    member_in_scope,
    org_scope,
    today,
    unit_in_scope,
)
from trainer.orgs.scope import Scope
from trainer.orgs.views import bp
from trainer.quizzes.grants import MAX_ATTEMPTS_PER_GRANT, GrantRefused, grant_attempts


class DueForm(FlaskForm):
    due = DateField(_l("New due date"), validators=[InputRequired()])


class ConfirmForm(FlaskForm):
    """A button behind a CSRF token: the second step of anything that cannot be undone."""


class MemberUnitForm(FlaskForm):
    unit = SelectField(_l("Move to unit"), choices=[], validate_choice=False)


class ActiveForm(FlaskForm):
    active = HiddenField(validators=[InputRequired()])


class GrantForm(FlaskForm):
    course = SelectField(_l("Course"), choices=[], validate_choice=False)
    attempts = IntegerField(
        _l("Extra attempts"),
        default=1,
        validators=[InputRequired(), NumberRange(min=1, max=MAX_ATTEMPTS_PER_GRANT)],
    )
    reason = StringField(
        _l("Reason (kept in the audit log)"), validators=[Optional(), Length(max=500)]
    )


def grant_form() -> GrantForm:
    form = GrantForm(prefix="grant")
    form.course.choices = [
        (slug, course.title)
        for slug, course in catalogue().courses.items()
        if course.assessment is not None
    ]
    return form


def member_unit_form(scope: Scope, person_unit_id: int | None) -> MemberUnitForm:
    form = MemberUnitForm(prefix="move", unit=str(person_unit_id or ""))
    units = unit_services.units_in_scope(db.session(), scope)
    labels = unit_services.unit_labels(db.session(), units)
    none = [("", _("(no unit)"))] if scope.whole else []
    form.unit.choices = none + [(str(u.id), labels[u.id]) for u in units]
    return form


@bp.post("/assignments/<int:assignment_id>/due")
@roles_required("org_admin")
def assignment_due(org_slug: str, assignment_id: int) -> ResponseReturnValue:
    scope = org_scope(current_user, org_slug)
    this = assignment_in_scope(scope, assignment_id)
    form = DueForm()
    if not form.validate_on_submit():
        flash(_("Give the new due date as YYYY-MM-DD."), "error")
    else:
        try:
            manage.change_due_date(
                db.session(), scope, this, form.due.data, actor=current_user, today=today()
            )
        except manage.ManageError as error:
            flash(str(error), "error")
        else:
            db.session().commit()
            flash(_("The due date is now %(date)s.", date=this.due_on.isoformat()), "success")
    return redirect(url_for("orgs.assignment", org_slug=org_slug, assignment_id=assignment_id))


@bp.route("/assignments/<int:assignment_id>/cancel", methods=["GET", "POST"])
@roles_required("org_admin")
def cancel_assignment(org_slug: str, assignment_id: int) -> ResponseReturnValue:
    """GET asks for confirmation; POST cancels."""
    scope = org_scope(current_user, org_slug)
    this = assignment_in_scope(scope, assignment_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        title = this.title
        manage.cancel_assignment(db.session(), scope, this, actor=current_user)
        db.session().commit()
        flash(_("Assignment %(title)s cancelled.", title=title), "success")
        return redirect(url_for("orgs.assignments", org_slug=org_slug))
    return render_template(
        "orgs/confirm.html",
        scope=scope,
        form=form,
        title=_("Cancel the assignment %(title)s?", title=this.title),
        explanation=_(
            "Learners will no longer see it as due and reports stop counting it. "
            "Their progress and certificates stay."
        ),
        button=_("Cancel the assignment"),
        back=url_for("orgs.assignment", org_slug=org_slug, assignment_id=assignment_id),
    )


@bp.post("/units/<int:unit_id>/delete")
@roles_required("org_admin")
def delete_unit(org_slug: str, unit_id: int) -> ResponseReturnValue:
    scope = org_scope(current_user, org_slug)
    this = unit_in_scope(scope, unit_id)
    if not ConfirmForm().validate_on_submit():
        flash(_("The form expired; try again."), "error")
        return redirect(url_for("orgs.unit", org_slug=org_slug, unit_id=unit_id))
    name = this.name
    try:
        manage.delete_unit(db.session(), scope, this, actor=current_user)
    except manage.ManageError as error:
        flash(str(error), "error")
        return redirect(url_for("orgs.unit", org_slug=org_slug, unit_id=unit_id))
    db.session().commit()
    flash(_("Unit %(name)s deleted.", name=name), "success")
    return redirect(url_for("orgs.units", org_slug=org_slug))


def _back_to(org_slug: str, user_id: int) -> ResponseReturnValue:
    return redirect(url_for("orgs.member", org_slug=org_slug, user_id=user_id))


@bp.post("/members/<int:user_id>/unit")
@roles_required("org_admin")
def member_unit(org_slug: str, user_id: int) -> ResponseReturnValue:
    scope = org_scope(current_user, org_slug)
    person = member_in_scope(scope, user_id)
    form = member_unit_form(scope, person.unit_id)
    if form.validate_on_submit():
        unit = unit_in_scope(scope, form.unit.data) if form.unit.data else None
        try:
            manage.move_member(db.session(), scope, person, unit, actor=current_user)
        except manage.ManageError as error:
            flash(str(error), "error")
        else:
            db.session().commit()
            flash(_("Moved."), "success")
            if not scope.covers_member(person):
                return redirect(url_for("orgs.members", org_slug=org_slug))
    return _back_to(org_slug, user_id)


@bp.post("/members/<int:user_id>/active")
@roles_required("org_admin")
def member_active(org_slug: str, user_id: int) -> ResponseReturnValue:
    scope = org_scope(current_user, org_slug)
    person = member_in_scope(scope, user_id)
    form = ActiveForm()
    if form.validate_on_submit():
        active = form.active.data == "1"
        try:
            manage.set_active(db.session(), scope, person, active, actor=current_user)
        except manage.ManageError as error:
            flash(str(error), "error")
        else:
            db.session().commit()
            flash(_("Reactivated.") if active else _("Deactivated."), "success")
    return _back_to(org_slug, user_id)


@bp.route("/members/<int:user_id>/remove", methods=["GET", "POST"])
@roles_required("org_admin")
def member_remove(org_slug: str, user_id: int) -> ResponseReturnValue:
    """GET asks for confirmation; POST takes the person out of the organisation."""
    scope = org_scope(current_user, org_slug)
    person = member_in_scope(scope, user_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            manage.remove_member(db.session(), scope, person, actor=current_user)
        except manage.ManageError as error:
            flash(str(error), "error")
            return _back_to(org_slug, user_id)
        db.session().commit()
        flash(
            _("%(name)s no longer belongs to the organisation.", name=person.full_name), "success"
        )
        return redirect(url_for("orgs.members", org_slug=org_slug))
    return render_template(
        "orgs/confirm.html",
        scope=scope,
        form=form,
        title=_("Remove %(name)s from the organisation?", name=person.full_name),
        explanation=_(
            "They keep their account, their progress and their certificates, "
            "but leave your units, assignments and reports."
        ),
        button=_("Remove from the organisation"),
        back=url_for("orgs.member", org_slug=org_slug, user_id=user_id),
    )


@bp.post("/members/<int:user_id>/attempts")
@roles_required("org_admin")
def member_attempts(org_slug: str, user_id: int) -> ResponseReturnValue:
    """Another attempt (which also lifts the cool-down) through the one grant service."""
    scope = org_scope(current_user, org_slug)
    person = member_in_scope(scope, user_id)
    form = grant_form()
    course = catalogue().courses.get(form.course.data or "")
    if not form.validate_on_submit() or course is None:
        flash(
            _("Choose a course and from 1 to %(max)d attempts.", max=MAX_ATTEMPTS_PER_GRANT),
            "error",
        )
        return _back_to(org_slug, user_id)
    try:
        grant_attempts(
            db.session(),
            person,
            course,
            form.attempts.data,
            granted_by=current_user,
            reason=form.reason.data or "",
        )
    except GrantRefused as error:
        flash(str(error), "error")
        return _back_to(org_slug, user_id)
    db.session().commit()
    flash(
        _(
            "%(name)s may now try %(course)s again.",
            name=person.full_name,
            course=course.title,
        ),
        "success",
    )
    return _back_to(org_slug, user_id)
