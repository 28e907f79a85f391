"""The directory page of an organisation: upload, add a contact, set a protocol, review.

Routes hang on the organisation blueprint (``/orgs/<org>/referrals``), so the
scope walk in tests/orgs/test_scope.py covers them: every view loads the
caller's scope first and answers 404 outside it.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from trainer import db
from trainer.accounts.roles import roles_required
from trainer.content.catalogue import catalogue, shown_catalogue
from trainer.i18n import LANGUAGES
from trainer.models import REFERRAL_ROLES, OrgUnit, utcnow
from trainer.orgs import units as unit_services
from trainer.orgs.access import NOT_FOUND, org_scope, unit_in_scope
from trainer.orgs.scope import Scope
from trainer.orgs.staff_csv import RowError
from trainer.orgs.views import bp
from trainer.referrals import entry, invalidation, services  # noqa: F401 (invalidation listens)
from trainer.referrals.csvfile import read_directory
from trainer.referrals.forms import (
    ContactForm,
    DirectoryUploadForm,
    ProtocolForm,
    RemoveForm,
    ReviewForm,
)
from trainer.referrals.labels import role_label
from trainer.referrals.phones import shown_phone

MAX_BYTES = 2 * 1024 * 1024


@bp.app_template_filter("phone")
def phone_filter(stored: str) -> str:
    """``{{ "+26622312345"|phone }}`` is "+266 2231 2345"."""
    return shown_phone(stored)


def _unit(scope: Scope, value: str | None) -> OrgUnit | None:
    """The chosen unit; "" is the whole organisation, which only a whole-scope admin manages."""
    if value:
        return unit_in_scope(scope, value)
    if not scope.whole:
        abort(404, NOT_FOUND)
    return None


def _forms(scope: Scope) -> dict[str, object]:
    units = unit_services.units_in_scope(db.session(), scope)
    labels = unit_services.unit_labels(db.session(), units)
    unit_choices = ([("", _("The whole organisation"))] if scope.whole else []) + [
        (str(u.id), labels[u.id]) for u in units
    ]
    language_choices = [("", _("(no particular language)")), *list(LANGUAGES.items())]
    professions = [("", _("Every profession"))] + [
        (slug, p.title) for slug, p in shown_catalogue().professions.items()
    ]
    contact, protocol, review = ContactForm(), ProtocolForm(), ReviewForm()
    for form in (contact, protocol, review):
        form.unit.choices = unit_choices
    contact.language.choices = protocol.language.choices = language_choices
    contact.role.choices = [(role, role_label(role)) for role in REFERRAL_ROLES]
    protocol.profession.choices = professions
    return {
        "contact_form": contact,
        "protocol_form": protocol,
        "review_form": review,
        "remove_form": RemoveForm(),
    }


def _page(scope: Scope, upload: DirectoryUploadForm, errors: list[RowError], status: int = 200):
    session = db.session()
    contacts, steps = services.entries_in_scope(session, scope)
    units = unit_services.units_in_scope(session, scope)
    stale = services.stale([*contacts, *steps], utcnow())
    return render_template(
        "referrals/directory.html",
        scope=scope,
        upload_form=upload,
        row_errors=errors,
        contacts=contacts,
        steps=steps,
        stale=stale,
        unit_labels=unit_services.unit_labels(session, units),
        role_label=role_label,
        **_forms(scope),
    ), status


@bp.app_template_global("stale_referrals")
def stale_referrals(scope: Scope) -> int:
    """For the organisation overview: entries in scope not reviewed in 12 months."""
    contacts, steps = services.entries_in_scope(db.session(), scope)
    return len(services.stale([*contacts, *steps], utcnow()))


@bp.route("/referrals", methods=["GET", "POST"])
@roles_required("org_admin")
def referrals(org_slug: str) -> ResponseReturnValue:
    """The directory, and its CSV upload: all rows imported, or none and every error shown."""
    scope = org_scope(current_user, org_slug)
    form = DirectoryUploadForm()
    if not form.validate_on_submit():
        return _page(scope, form, [], 400 if form.errors else 200)
    content = form.file.data.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        abort(413, _("The file is too large: at most 2 MB."))
    session = db.session()
    parsed = read_directory(content, list(catalogue().professions), list(LANGUAGES))
    counts = services.import_directory(session, scope, parsed, current_user)
    if parsed.errors:
        session.rollback()
        return _page(scope, form, parsed.errors, 400)
    session.commit()
    flash(
        _(
            "Imported %(contacts)d contacts and %(steps)d protocol steps.",
            contacts=counts["contact"],
            steps=counts["step"],
        ),
        "success",
    )
    return redirect(url_for("orgs.referrals", org_slug=org_slug))


@bp.post("/referrals/contacts")
@roles_required("org_admin")
def add_referral_contact(org_slug: str) -> ResponseReturnValue:
    scope = org_scope(current_user, org_slug)
    forms = _forms(scope)
    form = forms["contact_form"]
    unit = _unit(scope, form.unit.data)
    problems = entry.contact_problems(form) if form.validate_on_submit() else ["form"]
    if problems:
        return _page(scope, DirectoryUploadForm(), [], 400)
    entry.add_contact(db.session(), scope, unit, form, current_user)
    db.session().commit()
    flash(_("Contact %(name)s added.", name=form.name.data), "success")
    return redirect(url_for("orgs.referrals", org_slug=org_slug))


@bp.post("/referrals/protocol")
@roles_required("org_admin")
def set_referral_protocol(org_slug: str) -> ResponseReturnValue:
    scope = org_scope(current_user, org_slug)
    form = _forms(scope)["protocol_form"]
    unit = _unit(scope, form.unit.data)
    if not form.validate_on_submit() or entry.protocol_problems(form):
        return _page(scope, DirectoryUploadForm(), [], 400)
    count = entry.set_protocol(db.session(), scope, unit, form, current_user)
    db.session().commit()
    flash(_("Protocol saved with %(count)d steps.", count=count), "success")
    return redirect(url_for("orgs.referrals", org_slug=org_slug))


@bp.post("/referrals/review")
@roles_required("org_admin")
def review_referrals(org_slug: str) -> ResponseReturnValue:
    scope = org_scope(current_user, org_slug)
    form = _forms(scope)["review_form"]
    unit = _unit(scope, form.unit.data)
    if not form.validate_on_submit():
        return _page(scope, DirectoryUploadForm(), [], 400)
    count = services.mark_reviewed(db.session(), scope, current_user, unit)
    db.session().commit()
    flash(_("%(count)d entries marked as reviewed today.", count=count), "success")
    return redirect(url_for("orgs.referrals", org_slug=org_slug))


@bp.post("/referrals/remove")
@roles_required("org_admin")
def remove_referral_contact(org_slug: str) -> ResponseReturnValue:
    """Remove one contact; 404 for a contact outside the caller's scope."""
    scope = org_scope(current_user, org_slug)
    form = RemoveForm()
    if not form.validate_on_submit():
        return _page(scope, DirectoryUploadForm(), [], 400)
    name = entry.remove_contact(db.session(), scope, form.contact.data, current_user)
    if name is None:
        abort(404, NOT_FOUND)
    db.session().commit()
    flash(_("Contact %(name)s removed.", name=name), "success")
    return redirect(url_for("orgs.referrals", org_slug=org_slug))
