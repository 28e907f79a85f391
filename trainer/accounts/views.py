"""Registration, sign-in, the account page, password reset and API tokens."""

from __future__ import annotations

import time

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext, refresh
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from trainer import db
from trainer.accounts import mfa, services, signin, signin_limits
from trainer.accounts.account_security import needs_api_tokens, security_context, token_form
from trainer.accounts.forms import (
    ConfirmForm,
    LoginForm,
    PasswordChangeForm,
    ProfileForm,
    RegistrationForm,
    ResetPasswordForm,
    ResetRequestForm,
)
from trainer.accounts.jurisdiction import country_from_language
from trainer.accounts.profile import NO_LICENCE, ProfileVocabulary
from trainer.accounts.roles import login_required
from trainer.content.catalogue import shown_catalogue
from trainer.extensions import limiter
from trainer.i18n.services import set_user_locale
from trainer.i18n.zones import default_zone
from trainer.models import ApiToken, LoginSession, User, utcnow
from trainer.rate_limits import register_per_client
from trainer.security import safe_next_url

bp = Blueprint("accounts", __name__)


def _profile_from(form: ProfileForm | RegistrationForm) -> services.Profile:
    return services.Profile(
        full_name=form.full_name.data or "",
        profession=form.profession.data,
        country=form.country.data,
        region=form.region.data,
        licence_type=form.licence_type.data,
        licence_number=form.licence_number.data,
        licensing_board=form.licensing_board.data,
    )


def _attach_error(form: object, error: services.AccountError) -> None:
    field = getattr(form, error.field or "", None)
    if field is not None:
        field.errors = [*field.errors, str(error)]
    else:
        flash(str(error), "error")


def _sign_in(user: User, remember: bool) -> None:
    # A fresh session on every sign-in: nothing set before it survives (fixation).
    session.clear()
    services.start_login_session(
        db.session(), user, remember=remember, user_agent=request.user_agent.string
    )
    login_user(user, remember=remember)


def _after_sign_in() -> ResponseReturnValue:
    return redirect(safe_next_url(request.args.get("next")) or url_for("learning.dashboard"))


@bp.route("/register", methods=["GET", "POST"])
@register_per_client
def register() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("learning.dashboard"))
    form = RegistrationForm()
    if request.method == "GET":
        # es-MX gives Mexico; a language without a region leaves "Choose…".
        form.country.data = country_from_language(request.headers.get("Accept-Language", ""))
    valid = form.validate_on_submit()
    if request.method == "POST":
        valid = form.check_profile() and valid  # every problem at once, not one per send
    if valid:
        dbs = db.session()
        try:
            # A new address gets an account and a welcome mail; a taken one gets a
            # mail to its owner. The answer is the same: it reveals nothing.
            signin.register_or_notify(
                dbs, email=form.email.data, password=form.password.data, profile=_profile_from(form)
            )
        except services.AccountError as error:
            dbs.rollback()
            _attach_error(form, error)
        else:
            dbs.commit()
            flash(
                _(
                    "Thank you. We have sent a message to %(email)s. "
                    "Sign in with that address and the password you chose.",
                    email=services.normalise_email(form.email.data),
                ),
                "success",
            )
            return redirect(url_for("accounts.login"))
    return render_template("accounts/register.html", form=form), 400 if form.errors else 200


@bp.route("/login", methods=["GET", "POST"])
@db.reads_first
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return _after_sign_in()
    form = LoginForm()
    if form.validate_on_submit():
        dbs = db.session()
        user = signin.check_password(dbs, form.email.data, form.password.data)
        if user is not None:
            return continue_sign_in(user, form.email.data, form.remember.data)
        # One message for an unknown email and a wrong password alike.
        form.password.errors = [_("The email or password is not correct.")]
    return render_template("accounts/login.html", form=form), 400 if form.errors else 200


def continue_sign_in(user: User, email: str, remember: bool) -> ResponseReturnValue:
    """After the password: ask for the second factor when the account has one."""
    if not mfa.enabled(user):
        return finish_sign_in(user, email, remember)
    session.clear()
    session["mfa_pending"] = {"user": user.id, "remember": remember, "at": int(time.time())}
    return redirect(url_for("mfa.challenge", next=request.args.get("next")))


def finish_sign_in(user: User, email: str, remember: bool) -> ResponseReturnValue:
    """Open the session once every factor is checked; remember this browser."""
    dbs = db.session()
    _sign_in(user, remember=remember)
    signin.signed_in(dbs, user, "form")
    dbs.commit()
    response = make_response(_after_sign_in())
    signin_limits.remember_device(response, email)
    return response


@bp.app_errorhandler(signin_limits.SignInLimited)
def _sign_in_limited(error: signin_limits.SignInLimited) -> ResponseReturnValue:
    from trainer.errors import _render

    response = make_response(_render(429, "rate_limited", error.message()))
    response.headers["Retry-After"] = str(error.wait)
    return response


@bp.post("/logout")
@login_required
def logout() -> ResponseReturnValue:
    form = ConfirmForm()
    if form.validate_on_submit():
        login = current_user.current_login_session
        if login is not None:
            services.end_login_session(db.session(), login)
        logout_user()
        session.clear()
        db.session().commit()
        flash(_("You are signed out."), "success")
    return redirect(url_for("learning.home"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account() -> ResponseReturnValue:
    user: User = current_user._get_current_object()
    form = _profile_form(user, submitted=request.method == "POST")
    valid = form.validate_on_submit()
    if request.method == "POST":
        # Learners answer as at registration; staff accounts need no profession.
        valid = form.check_profile(complete=user.role == "learner") and valid
    if valid:
        try:
            services.apply_profile(user, _profile_from(form))
            services.set_timezone(user, form.timezone.data or None)
            set_user_locale(db.session(), user, form.locale.data or None)
        except services.AccountError as error:
            db.session().rollback()
            _attach_error(form, error)
        else:
            db.session().commit()
            refresh()  # the confirmation in the language just chosen
            flash(_("Your details are saved."), "success")
            return redirect(url_for("accounts.account"))
    return _account_page(profile_form=form)


def _profile_form(user: User, *, submitted: bool) -> ProfileForm:
    """The profile form: the request's answers, or the account's as stored."""
    form = ProfileForm() if submitted else ProfileForm(obj=user, formdata=None)
    if not submitted:
        vocabulary = ProfileVocabulary.of(shown_catalogue())
        holds_none = user.licence_type is None and vocabulary.asks_licence(user.profession)
        form.licence_type.data = user.licence_type or (NO_LICENCE if holds_none else "")
        form.region.data = user.region or ""
        form.timezone.data = user.timezone or ""
        form.locale.data = user.locale or ""
    default = default_zone(user.country, user.region)
    automatic = (
        _("Automatic: %(zone)s, from where you work", zone=default)
        if default
        else _("UTC, until you choose a time zone")
    )
    form.set_timezones(user.country, automatic)
    return form


def _account_page(**forms: object) -> ResponseReturnValue:
    user: User = current_user._get_current_object()
    dbs = db.session()
    tokens = dbs.scalars(
        select(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.created_at.desc())
    ).all()
    sessions = dbs.scalars(
        select(LoginSession)
        .where(LoginSession.user_id == user.id, LoginSession.ended_at.is_(None))
        .order_by(LoginSession.created_at.desc())
    ).all()
    context = {
        **security_context(dbs, user),
        "profile_form": _profile_form(user, submitted=False),
        "password_form": PasswordChangeForm(formdata=None),
        "confirm_form": ConfirmForm(formdata=None),
        "tokens": tokens,
        "sessions": [s for s in sessions if s.expires_at > utcnow()],
        "new_token": None,
    }
    context.update(forms)
    has_errors = any(getattr(f, "errors", None) for f in forms.values())
    return render_template("accounts/account.html", **context), 400 if has_errors else 200


@bp.post("/account/password")
@login_required
def change_password() -> ResponseReturnValue:
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            revoked = services.change_password(
                db.session(), current_user, form.current_password.data, form.password.data
            )
        except services.AccountError as error:
            db.session().rollback()
            _attach_error(form, error)
        else:
            db.session().commit()
            flash(_("Password changed. Other devices have been signed out."), "success")
            if revoked:
                flash(
                    _(
                        "Your API tokens (%(count)d) stopped working with the old password. "
                        "Create new ones below for your scripts.",
                        count=revoked,
                    ),
                    "info",
                )
            return redirect(url_for("accounts.account"))
    return _account_page(password_form=form)


@bp.post("/account/sessions/end-others")
@login_required
def end_other_sessions() -> ResponseReturnValue:
    if ConfirmForm().validate_on_submit():
        count = services.end_login_sessions(
            db.session(), current_user, keep=current_user.current_login_session
        )
        db.session().commit()
        message = ngettext(
            "Signed out %(num)d other device.", "Signed out %(num)d other devices.", count
        )
        flash(message, "success")
    return redirect(url_for("accounts.account"))


@bp.post("/account/tokens")
@login_required
def create_token() -> ResponseReturnValue:
    if not needs_api_tokens(current_user):
        abort(403)  # a learner uses the site; the form is not offered to them
    form = token_form(current_user)
    if not form.validate_on_submit():
        return _account_page(token_form=form)
    try:
        _record, token = services.create_api_token(
            db.session(), current_user, form.name.data, scope=form.scope.data, days=form.days.data
        )
    except services.AccountError as error:
        db.session().rollback()
        _attach_error(form, error)
        return _account_page(token_form=form)
    db.session().commit()
    # Shown once, on this response only; never stored in plain text.
    return _account_page(new_token=token)


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int) -> ResponseReturnValue:
    if ConfirmForm().validate_on_submit():
        try:
            services.revoke_api_token(db.session(), current_user, token_id)
        except services.AccountError:
            return render_template("errors/error.html", status=404, message=""), 404
        db.session().commit()
        flash(_("The token is revoked."), "success")
    return redirect(url_for("accounts.account"))


@bp.route("/account/reset", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["PASSWORD_RESET_RATE_LIMIT"], methods=["POST"])
def request_password_reset() -> ResponseReturnValue:
    form = ResetRequestForm()
    if form.validate_on_submit():
        signin.request_reset(db.session(), form.email.data)
        # The same answer whether or not the address has an account.
        flash(
            _("If an account uses that address, we have sent it a link to set a new password."),
            "success",
        )
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_request.html", form=form)


@bp.route("/account/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> ResponseReturnValue:
    dbs = db.session()
    if services.valid_reset_token(dbs, token) is None:
        return render_template("accounts/reset_invalid.html"), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(dbs, token, form.password.data)
        except services.AccountError as error:
            dbs.rollback()
            if error.field == "token":  # another request spent the link a moment ago
                return render_template("accounts/reset_invalid.html"), 400
            _attach_error(form, error)
        else:
            dbs.commit()
            flash(_("Your password is changed. Sign in with it now."), "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form), 400 if form.errors else 200
