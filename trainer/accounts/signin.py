"""One sign-in step shared by the form and ``POST /api/v1/tokens``: limits, password, events.

Also the two answers that must not reveal whether an address has an account:
registration of a taken address and a password-reset request. Both do the same
work either way (an argon2 hash, a mail) and answer the same.
"""

from __future__ import annotations

import logging
import threading

from flask import Flask, current_app, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from trainer import db
from trainer.accounts import services, signin_limits
from trainer.accounts.auth_events import record_auth_event
from trainer.email_safety import email_problem
from trainer.i18n import writing_in
from trainer.mail import send_after_commit, send_mail
from trainer.models import User
from trainer.security import hash_password, new_token, token_digest

log = logging.getLogger("trainer.mail")
_deliveries: list[threading.Thread] = []


def _client_facts() -> dict[str, str]:
    return {
        "network": signin_limits.request_network(),
        "user_agent": request.user_agent.string,
    }


def check_password(dbs: Session, email: str, password: str) -> User | None:
    """The user these credentials belong to, or None; counts and records failures.

    Raises :class:`~trainer.accounts.signin_limits.SignInLimited` before checking
    anything when the client, or the account for a client not in good standing,
    is over its failure limit. Ends a :func:`trainer.db.reads_first` read.
    """
    signin_limits.check(email)
    user = services.authenticate(dbs, email, password)
    db.end_reading(dbs)  # the password was checked without SQLite's write lock
    if user is not None:
        signin_limits.record_success(email)
        return user
    failed_step(dbs, email, "auth.sign_in_failed")
    return None


def failed_step(dbs: Session, email: str, action: str) -> None:
    """Count a failed password or code; record it, and a lock-out when one starts."""
    started = signin_limits.record_failure(email)
    owner = services.find_user_by_email(dbs, email)
    record_auth_event(dbs, action, owner, **_client_facts())
    if started:
        record_auth_event(dbs, "auth.lockout", owner, **_client_facts())
    dbs.commit()


def signed_in(dbs: Session, user: User, method: str) -> None:
    """Record a completed sign-in (``method``: "form" or "api")."""
    record_auth_event(dbs, "auth.sign_in", user, method=method, **_client_facts())


def register_or_notify(dbs: Session, *, email: str, password: str, profile: object) -> User | None:
    """Create the account, or mail the owner of a taken address; the caller answers alike.

    Returns the new user, or None when the address was taken (its owner is told
    by mail instead). Raises AccountError for problems the person must fix in
    the form (a weak password, a bad name), which do not depend on the address.
    """
    # A look-alike address is refused whether or not it is taken: the answer reveals nothing.
    problem = email_problem(services.normalise_email(email))
    if problem:
        raise services.AccountError(problem, "email")
    taken = services.find_user_by_email(dbs, email)
    if taken is None:
        try:
            user = services.create_user(dbs, email=email, password=password, profile=profile)  # type: ignore[arg-type]
        except services.AccountError as error:
            if error.field != "email":
                raise
            dbs.rollback()
            taken = services.find_user_by_email(dbs, email)
        else:
            _mail_welcome(dbs, user)
            return user
    # The same work as a new account: the password is checked and hashed, and one mail goes out.
    services.check_new_password(password, email, getattr(profile, "full_name", ""))
    hash_password(password)
    if taken is not None:
        record_auth_event(dbs, "auth.registration_repeated", taken, **_client_facts())
        _mail_taken(dbs, taken)
    return None


def _mail_welcome(dbs: Session, user: User) -> None:
    link = current_app.config["BASE_URL"] + url_for("accounts.login")
    with writing_in(user.locale):
        subject = _("Your Trainer account")
        body = _(
            "Hello %(name)s,\n\nYour Trainer account is ready. Sign in with this address "
            "and the password you chose:\n\n%(link)s\n\nIf you did not create it, "
            "ignore this message.",
            name=user.full_name,
            link=link,
        )
    send_after_commit(dbs, user.email, subject, body)


def _mail_taken(dbs: Session, user: User) -> None:
    link = current_app.config["BASE_URL"] + url_for("accounts.request_password_reset")
    with writing_in(user.locale):
        subject = _("Someone tried to register with your address")
        body = _(
            "Hello %(name)s,\n\nSomeone tried to create a Trainer account with this "
            "address, which already has one: yours. Nothing was changed.\n\nIf it was "
            "you and you forgot your password, set a new one here:\n\n%(link)s\n\n"
            "If it was not you, ignore this message.",
            name=user.full_name,
            link=link,
        )
    send_after_commit(dbs, user.email, subject, body)


def deliver_in_background(to: str, subject: str, body: str) -> None:
    """Send a mail after the response, on its own thread: its time never shows in the answer."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]

    def deliver() -> None:
        with app.app_context():
            try:
                send_mail(to, subject, body)
            except Exception:
                log.exception("Could not send mail to %s", to)

    thread = threading.Thread(target=deliver, name="mail", daemon=True)
    _deliveries[:] = [t for t in _deliveries if t.is_alive()] + [thread]
    thread.start()


def wait_for_deliveries(timeout: float = 10.0) -> None:
    """Wait for mails handed to :func:`deliver_in_background` (tests, and a clean shutdown)."""
    for thread in list(_deliveries):
        thread.join(timeout)


def request_reset(dbs: Session, email: str) -> None:
    """Mail a reset link if ``email`` has an active account; the same work and answer if not.

    Either way a token is made and hashed and the transaction committed; the mail
    goes out after the response, so an SMTP round trip cannot be timed.
    """
    user = services.find_user_by_email(dbs, email)
    token = new_token()
    digest = token_digest(token)
    if user is not None and user.active:
        services.store_password_reset(
            dbs, user, digest, current_app.config["PASSWORD_RESET_MAX_AGE"]
        )
        record_auth_event(dbs, "auth.password_reset_requested", user, **_client_facts())
        dbs.commit()
        deliver_in_background(user.email, *_reset_mail(user, token))
    else:
        dbs.commit()


def _reset_mail(user: User, token: str) -> tuple[str, str]:
    # The link is built from TRAINER_BASE_URL, never from the request's Host
    # header, which an attacker could set to their own site.
    link = current_app.config["BASE_URL"] + url_for("accounts.reset_password", token=token)
    minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
    with writing_in(user.locale):
        subject = _("Set a new password for Trainer")
        body = _(
            "Hello %(name)s,\n\nSomeone (we hope you) asked to set a new password for your "
            "Trainer account. Open this link within %(minutes)d minutes; it works once:\n\n"
            "%(link)s\n\nIf you did not ask, ignore this message: your password stays as it is.",
            name=user.full_name,
            minutes=minutes,
            link=link,
        )
    return subject, body
