"""The second factor's pages: the code after the password, enrolment, turning it off.

A role that must use a second factor and has none is sent to enrol before any
other page (:func:`enrol_first`).
"""

from __future__ import annotations

import time

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import InputRequired, Length

from trainer import db
from trainer.accounts import mfa, signin
from trainer.accounts.auth_events import record_auth_event
from trainer.accounts.roles import login_required
from trainer.accounts.signin_limits import check as check_limits
from trainer.accounts.signin_limits import request_network
from trainer.accounts.views import finish_sign_in
from trainer.models import User

bp = Blueprint("mfa", __name__)

#: How long the password step stays good while the code is asked for.
PENDING_SECONDS = 300
#: Pages a person who must enrol may still open.
_OPEN_WHILE_ENROLLING = {"mfa.enrol", "accounts.logout", "static", "i18n.choose_language"}


class CodeForm(FlaskForm):
    code = StringField(
        _l("Code from your authenticator app, or a recovery code"),
        validators=[InputRequired(), Length(max=32)],
    )


class EnrolForm(FlaskForm):
    code = StringField(
        _l("Six-digit code from the app"), validators=[InputRequired(), Length(max=32)]
    )


class DisableForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[InputRequired()])


def _pending_user() -> User | None:
    pending = session.get("mfa_pending")
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    user = db.session().get(User, pending.get("user"))
    return user if user is not None and user.active and mfa.enabled(user) else None


@bp.route("/login/code", methods=["GET", "POST"])
def challenge() -> ResponseReturnValue:
    user = _pending_user()
    if user is None:
        session.pop("mfa_pending", None)
        flash(_("Sign in again: the code was not entered in time."), "info")
        return redirect(url_for("accounts.login"))
    form = CodeForm()
    if form.validate_on_submit():
        check_limits(user.email)
        dbs = db.session()
        used = mfa.check_code(dbs, user, form.code.data or "")
        if used is not None:
            if used == "recovery":
                record_auth_event(dbs, "auth.recovery_code_used", user, network=request_network())
            remember = bool(session["mfa_pending"].get("remember"))
            return finish_sign_in(user, user.email, remember)
        dbs.rollback()
        signin.failed_step(dbs, user.email, "auth.mfa_failed")
        form.code.errors = [_("That code is not correct or was already used.")]
    status = 400 if form.errors else 200
    return render_template("accounts/mfa_challenge.html", form=form), status


@bp.route("/account/mfa", methods=["GET", "POST"])
@login_required
def enrol() -> ResponseReturnValue:
    user: User = current_user._get_current_object()
    if mfa.enabled(user):
        return redirect(url_for("accounts.account") + "#mfa-heading")
    secret = session.get("mfa_enrol_secret") or mfa.new_secret()
    session["mfa_enrol_secret"] = secret
    form = EnrolForm()
    if form.validate_on_submit():
        dbs = db.session()
        codes = mfa.confirm_enrolment(dbs, user, secret, form.code.data or "")
        if codes is not None:
            record_auth_event(dbs, "auth.mfa_enabled", user, network=request_network())
            dbs.commit()
            session.pop("mfa_enrol_secret", None)
            return render_template("accounts/mfa_codes.html", codes=codes)
        form.code.errors = [_("That code does not match. Check the time on your phone.")]
    uri = mfa.provisioning_uri(user, secret)
    page = render_template(
        "accounts/mfa_enrol.html",
        form=form,
        secret=secret,
        qr=mfa.qr_svg_data_uri(uri),
        required=mfa.required_for(user),
    )
    return page, 400 if form.errors else 200


@bp.post("/account/mfa/disable")
@login_required
def disable() -> ResponseReturnValue:
    user: User = current_user._get_current_object()
    form = DisableForm()
    if not form.validate_on_submit():
        return redirect(url_for("accounts.account"))
    if mfa.required_for(user):
        flash(_("Your role must use a second factor: it cannot be turned off."), "error")
        return redirect(url_for("accounts.account"))
    dbs = db.session()
    if not mfa.disable(dbs, user, form.password.data or ""):
        flash(_("Your current password is not correct."), "error")
        return redirect(url_for("accounts.account"))
    record_auth_event(dbs, "auth.mfa_disabled", user, network=request_network())
    dbs.commit()
    flash(_("The second factor is off."), "success")
    return redirect(url_for("accounts.account"))


@bp.post("/account/mfa/recovery-codes")
@login_required
def new_recovery_codes() -> ResponseReturnValue:
    user: User = current_user._get_current_object()
    if not FlaskForm().validate_on_submit() or not mfa.enabled(user):
        return redirect(url_for("accounts.account"))
    dbs = db.session()
    codes = mfa.new_recovery_codes(dbs, user)
    record_auth_event(dbs, "auth.mfa_enabled", user, network=request_network(), codes="renewed")
    dbs.commit()
    return render_template("accounts/mfa_codes.html", codes=codes)


@bp.before_app_request
def enrol_first() -> ResponseReturnValue | None:
    """Send a signed-in person whose role needs a second factor to enrol first."""
    if request.endpoint in _OPEN_WHILE_ENROLLING or request.blueprint == "api":
        return None
    if not current_user.is_authenticated:
        return None
    user: User = current_user._get_current_object()
    if mfa.required_for(user) and not mfa.enabled(user):
        return redirect(url_for("mfa.enrol"))  # the page says why
    return None
