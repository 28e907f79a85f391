"""``POST /language``: the language picker on every page, which works without JavaScript."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from trainer import db
from trainer.i18n import COOKIE_MAX_AGE, COOKIE_NAME, LANGUAGES, known_locale
from trainer.i18n.services import set_user_locale
from trainer.security import safe_next_url

bp = Blueprint("i18n", __name__)


@bp.post("/language")
def choose_language() -> ResponseReturnValue:
    """Remember the chosen language in a cookie, and on the account when signed in.

    CSRF is checked before this runs (CSRFProtect), so another site cannot
    switch a visitor's language. ``next`` must be a path on this site: an
    absolute or protocol-relative address is ignored, never followed.
    """
    locale = known_locale(request.form.get("locale"))
    if locale is None:
        names = ", ".join(f"{code} ({name})" for code, name in LANGUAGES.items())
        abort(400, _("Choose one of these languages: %(names)s.", names=names))
    if current_user.is_authenticated:
        set_user_locale(db.session(), current_user, locale)
        db.session().commit()
    response = redirect(safe_next_url(request.form.get("next")) or url_for("learning.home"))
    response.set_cookie(
        COOKIE_NAME,
        locale,
        max_age=COOKIE_MAX_AGE,
        samesite="Lax",
        secure=request.is_secure,
        httponly=True,
    )
    return response
