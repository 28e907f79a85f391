"""Site administration of provider approvals: list, record, remove (CSRF, audited)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from trainer import db
from trainer.accounts.forms import ConfirmForm
from trainer.accounts.roles import roles_required
from trainer.content.catalogue import catalogue
from trainer.licensing.approvals import (
    ApprovalError,
    NewApproval,
    add_approval,
    list_approvals,
    remove_approval,
)

bp = Blueprint("licensing", __name__, url_prefix="/admin/approvals")


class ApprovalForm(FlaskForm):
    rule = SelectField(_l("Requirement set"), validators=[DataRequired()])
    number = StringField(_l("Approval number"), validators=[DataRequired(), Length(max=64)])
    body = StringField(_l("Approving body"), validators=[DataRequired(), Length(max=200)])
    category = StringField(_l("Provider category"), validators=[Optional(), Length(max=64)])
    course = SelectField(_l("Course approved"), validators=[Optional()])
    valid_from = DateField(_l("Valid from"), validators=[Optional()])
    valid_until = DateField(_l("Valid until"), validators=[Optional()])


def _form() -> ApprovalForm:
    form = ApprovalForm()
    form.rule.choices = [
        (slug, f"{rule.title} ({rule.citation})")
        for slug, rule in sorted(catalogue().requirement_sets.items())
    ]
    form.course.choices = [("", _("Any course that meets the rule"))] + [
        (slug, course.title) for slug, course in catalogue().courses.items()
    ]
    return form


@bp.get("")
@roles_required("admin")
def index() -> ResponseReturnValue:
    return _page(_form())


def _page(form: ApprovalForm, status: int = 200) -> ResponseReturnValue:
    rules = catalogue().requirement_sets
    return (
        render_template(
            "licensing/approvals.html",
            approvals=list_approvals(db.session()),
            rules=rules,
            courses=catalogue().courses,
            needing=[r for r in rules.values() if r.approval_required],
            form=form,
            remove_form=ConfirmForm(),
        ),
        status,
    )


@bp.post("")
@roles_required("admin")
def add() -> ResponseReturnValue:
    form = _form()
    if not form.validate_on_submit():
        return _page(form, 400)
    new = NewApproval(
        requirement_slug=form.rule.data or "",
        approval_number=form.number.data or "",
        approving_body=form.body.data or "",
        provider_category=form.category.data or "",
        valid_from=form.valid_from.data,
        valid_until=form.valid_until.data,
        course_slug=form.course.data or None,
    )
    session = db.session()
    try:
        add_approval(session, new, catalogue(), actor=current_user, via="web")
    except ApprovalError as error:
        form.number.errors = [*form.number.errors, str(error)]
        return _page(form, 400)
    session.commit()
    flash(_("Approval recorded: certificates issued from now on may list this rule."), "success")
    return redirect(url_for("licensing.index"))


@bp.post("/<int:approval_id>/remove")
@roles_required("admin")
def remove(approval_id: int) -> ResponseReturnValue:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    session = db.session()
    try:
        remove_approval(session, approval_id, actor=current_user, via="web")
    except ApprovalError:
        abort(404)
    session.commit()
    flash(_("Approval removed. Certificates already issued keep what they recorded."), "success")
    return redirect(url_for("licensing.index"))
