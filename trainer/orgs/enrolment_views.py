"""Enrolment (upload, preview, confirm) and assignment pages."""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import delete, select

from trainer import db
from trainer.accounts.profile import ProfileVocabulary
from trainer.accounts.roles import roles_required
from trainer.content.catalogue import catalogue, shown_catalogue
from trainer.i18n.formatting import local_date
from trainer.models import Assignment, EnrolmentUpload, utcnow
from trainer.orgs import units as unit_services
from trainer.orgs.access import assignment_in_scope, org_scope, today, unit_in_scope
from trainer.orgs.assignments import (
    AssignmentError,
    AssignmentRequest,
    assignment_learner_count,
    create_assignment,
)
from trainer.orgs.enrolment import EnrolmentPlan, apply_enrolment, plan_enrolment
from trainer.orgs.forms import AssignmentForm, ConfirmUploadForm, UploadForm
from trainer.orgs.invitations import invitation_counts, send_after_enrolment
from trainer.orgs.scope import Scope
from trainer.orgs.staff_csv import MAX_BYTES, MAX_ROWS, too_large_message
from trainer.orgs.views import bp
from trainer.request_limits import MULTIPART_OVERHEAD, upload_limit
from trainer.spreadsheet_damage import Damage, mangled_numbers

#: How long an uploaded file waits for its confirmation.
UPLOAD_KEPT = timedelta(days=1)


def _professions() -> list[str]:
    return list(catalogue().professions)


def _vocabulary() -> ProfileVocabulary:
    """Licence types and regions, named in the page's language for the row errors."""
    return ProfileVocabulary.of(shown_catalogue())


@bp.route("/enrolments", methods=["GET", "POST"])
@upload_limit(MAX_BYTES + MULTIPART_OVERHEAD, too_large_message)
@roles_required("org_admin")
def enrolments(org_slug: str) -> ResponseReturnValue:
    """Upload a staff list and see its preview: every error, or what importing would do."""
    scope = org_scope(current_user, org_slug)
    form = UploadForm()
    if not form.validate_on_submit():
        status = 400 if form.errors else 200
        # Whole-organisation admins see the organisation's invitations; the counts
        # are not broken down by unit, so unit-scoped admins do not get them.
        invitations = (
            invitation_counts(db.session(), scope.organisation.id) if scope.whole else None
        )
        page = render_template(
            "orgs/enrol.html", scope=scope, form=form, limits=_limits(), invitations=invitations
        )
        return page, status
    content = form.file.data.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:  # within the request limit only thanks to the envelope
        abort(413, too_large_message())
    session = db.session()
    plan = plan_enrolment(session, scope, content, _professions(), _vocabulary())
    upload = None
    # Staff lists are personal data: keep an unconfirmed one for a day at most.
    session.execute(
        delete(EnrolmentUpload).where(EnrolmentUpload.created_at < utcnow() - UPLOAD_KEPT)
    )
    if plan.ok and plan.count("unchanged") < len(plan.rows):
        upload = EnrolmentUpload(
            id=secrets.token_hex(16),
            organisation_id=scope.organisation.id,
            uploaded_by_id=current_user.id,
            filename=(form.file.data.filename or "")[:255],
            content=content,
        )
        session.add(upload)
    session.commit()
    confirm = ConfirmUploadForm(upload=upload.id if upload else "")
    return render_template(
        "orgs/enrol_preview.html",
        scope=scope,
        plan=plan,
        confirm=confirm,
        upload=upload,
        damage=licence_damage(plan),
    ), 200 if plan.ok else 400


def licence_damage(plan: EnrolmentPlan) -> list[Damage]:
    """Licence numbers in the file that a spreadsheet seems to have changed (warnings)."""
    return mangled_numbers((p.row.line, p.row.licence_number) for p in plan.rows)


def _limits() -> dict[str, int]:
    return {"rows": MAX_ROWS, "megabytes": MAX_BYTES // 2**20}


@bp.post("/enrolments/confirm")
@roles_required("org_admin")
def confirm_enrolment(org_slug: str) -> ResponseReturnValue:
    scope = org_scope(current_user, org_slug)
    form = ConfirmUploadForm()
    if not form.validate_on_submit():
        abort(400, _("The confirmation form expired; upload the file again."))
    session = db.session()
    upload = session.scalar(
        select(EnrolmentUpload).where(
            EnrolmentUpload.id == form.upload.data,
            EnrolmentUpload.organisation_id == scope.organisation.id,
            EnrolmentUpload.uploaded_by_id == current_user.id,
        )
    )
    if upload is None or upload.confirmed_at is not None:
        abort(404, _("This upload was already imported, or is not yours. Upload the file again."))
    # Checked again: accounts may have changed since the preview.
    plan = plan_enrolment(session, scope, upload.content, _professions(), _vocabulary())
    if not plan.ok:
        confirm = ConfirmUploadForm(upload="")
        page = render_template(
            "orgs/enrol_preview.html",
            scope=scope,
            plan=plan,
            confirm=confirm,
            upload=None,
            damage=licence_damage(plan),
        )
        return page, 400
    apply_enrolment(session, scope, plan, current_user)
    upload.confirmed_at = utcnow()
    upload.content = b""  # imported: the file is not kept
    session.commit()
    summary = plan.summary()
    send_after_enrolment(scope.organisation.id, summary["created"])
    invitations = _("Invitations are on their way.") if summary["created"] else ""
    imported = _(
        "Imported %(rows)d rows: %(created)d new, %(linked)d linked, %(moved)d moved, "
        "%(unchanged)d unchanged.",
        **summary,
    )
    flash(f"{imported} {invitations}".strip(), "success")
    return redirect(url_for("orgs.members", org_slug=org_slug))


def _assignment_form(scope: Scope) -> AssignmentForm:
    content = shown_catalogue()
    form = AssignmentForm()
    form.curriculum.choices = [("", _("(choose courses below instead)"))] + [
        (c.slug, c.title) for c in content.curricula.values()
    ]
    form.courses.choices = [(c.slug, c.title) for c in content.courses.values()]
    units = unit_services.units_in_scope(db.session(), scope)
    labels = unit_services.unit_labels(db.session(), units)
    whole = [("", _("(the whole organisation)"))] if scope.whole else []
    form.unit.choices = whole + [(str(u.id), labels[u.id]) for u in units]
    form.profession.choices = [("", _("(every profession)"))] + [
        (slug, p.title) for slug, p in content.professions.items()
    ]
    return form


@bp.route("/assignments", methods=["GET", "POST"])
@roles_required("org_admin")
def assignments(org_slug: str) -> ResponseReturnValue:
    scope = org_scope(current_user, org_slug)
    session = db.session()
    form = _assignment_form(scope)
    if form.validate_on_submit():
        emails = (form.emails.data or "").replace(",", "\n").split()
        unit = unit_in_scope(scope, form.unit.data) if form.unit.data and not emails else None
        try:
            assignment = create_assignment(
                session,
                scope,
                catalogue(),
                AssignmentRequest(
                    due=form.due.data,
                    curriculum=form.curriculum.data or None,
                    courses=form.courses.data or [],
                    unit=unit,
                    profession=form.profession.data or None,
                    emails=emails,
                ),
                actor=current_user,
                today=today(),
            )
        except AssignmentError as error:
            getattr(form, error.field or "curriculum", form.curriculum).errors = [str(error)]
        else:
            session.commit()
            due = local_date(assignment.due_on)
            flash(
                _("Assigned %(title)s, due %(date)s.", title=assignment.title, date=due), "success"
            )
            return redirect(
                url_for("orgs.assignment", org_slug=org_slug, assignment_id=assignment.id)
            )
    listed = session.scalars(
        select(Assignment).where(scope.assignments_condition()).order_by(Assignment.due_on)
    ).all()
    labels = unit_services.unit_labels(session, [a.unit for a in listed if a.unit])
    return render_template(
        "orgs/assignments.html", scope=scope, assignments=listed, labels=labels, form=form
    ), 400 if form.errors else 200


@bp.get("/assignments/<int:assignment_id>")
@roles_required("org_admin")
def assignment(org_slug: str, assignment_id: int) -> ResponseReturnValue:
    scope = org_scope(current_user, org_slug)
    this = assignment_in_scope(scope, assignment_id)
    session = db.session()
    label = unit_services.unit_labels(session, [this.unit])[this.unit.id] if this.unit else ""
    return render_template(
        "orgs/assignment.html",
        scope=scope,
        assignment=this,
        unit_label=label,
        learners=assignment_learner_count(session, this),
        today=today(),
        due_form=DueForm(due=this.due_on),
    )


from trainer.orgs.manage_views import DueForm  # noqa: E402  (manage_views imports this module's blueprint)
