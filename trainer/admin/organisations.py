"""Site admins create organisations and invite their first admin, from the web.

The first admin gets an account without a password and the same single-use
invitation link as staff enrolled from a file (``trainer.orgs.invitations``).
An address that already has an account is refused: joining an organisation
is for the person to accept, not for us to impose.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from wtforms import EmailField, SelectField, StringField
from wtforms.validators import InputRequired, Length

from trainer import db
from trainer.accounts.roles import roles_required
from trainer.accounts.services import AccountError, Profile, create_user, normalise_email
from trainer.admin.views import bp
from trainer.audit import record_event
from trainer.i18n.labels import LABELS
from trainer.models import ORGANISATION_KINDS, Invitation, Organisation, User
from trainer.orgs import services as org_services
from trainer.orgs.invitations import send_invitations


class OrganisationForm(FlaskForm):
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=200)])
    slug = StringField(
        _l("Short name for addresses (e.g. moh-ghana)"), validators=[InputRequired()]
    )
    kind = SelectField(_l("Kind"), choices=[])
    admin_name = StringField(_l("First admin's full name"), validators=[InputRequired()])
    admin_email = EmailField(_l("First admin's e-mail"), validators=[InputRequired()])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = [(kind, LABELS.get(kind, kind)) for kind in ORGANISATION_KINDS]


def create_with_admin(db_session: Session, form: OrganisationForm, actor: User) -> Organisation:
    """The organisation, its first admin (no password yet) and a pending invitation."""
    email = normalise_email(form.admin_email.data or "")
    if db_session.scalar(select(User.id).where(User.email == email)) is not None:
        raise AccountError(
            _("That address already has an account; invite someone without one."), "admin_email"
        )
    try:
        organisation = org_services.create_organisation(
            db_session, slug=form.slug.data.strip(), name=form.name.data, kind=form.kind.data
        )
    except ValueError as error:
        raise AccountError(str(error), "slug") from error
    admin = create_user(
        db_session,
        email=email,
        password=None,
        profile=Profile(full_name=form.admin_name.data),
        role="org_admin",
        organisation_id=organisation.id,
    )
    db_session.add(
        Invitation(user_id=admin.id, organisation_id=organisation.id, invited_by_id=actor.id)
    )
    record_event(
        db_session,
        "organisation.create",
        actor=actor,
        target_type="organisation",
        target_id=organisation.slug,
        organisation_id=organisation.id,
        via="web",
        first_admin=email,
    )
    db_session.flush()
    return organisation


@bp.route("/organisations", methods=["GET", "POST"])
@roles_required("admin")
def organisations() -> ResponseReturnValue:
    session = db.session()
    form = OrganisationForm()
    if form.validate_on_submit():
        try:
            organisation = create_with_admin(session, form, current_user)
        except AccountError as error:
            getattr(form, error.field or "name", form.name).errors = [str(error)]
        else:
            session.commit()
            send_invitations(session, organisation_id=organisation.id)
            flash(
                _(
                    "Created %(name)s; %(email)s has been sent an invitation link.",
                    name=organisation.name,
                    email=form.admin_email.data,
                ),
                "success",
            )
            return redirect(url_for("admin.organisations"))
    members = func.count(User.id)
    listed = session.execute(
        select(Organisation, members)
        .outerjoin(User, User.organisation_id == Organisation.id)
        .group_by(Organisation.id)
        .order_by(Organisation.name)
    ).all()
    return render_template(
        "admin/organisations.html", organisations=listed, form=form
    ), 400 if form.errors else 200
