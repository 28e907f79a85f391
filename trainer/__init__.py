"""Trainer: teach frontline professionals to identify victims of human trafficking."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter, Map

from trainer.config import PROJECT_ROOT, load_settings
from trainer.i18n import SUPPORTED_LOCALES

__all__ = ["SUPPORTED_LOCALES", "create_app"]


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app from ``TRAINER_*`` settings; ``config`` overrides them (tests)."""
    config = dict(config or {})
    instance_path = config.pop("INSTANCE_PATH", None) or os.environ.get("TRAINER_INSTANCE_PATH")
    app = Flask(
        __name__,
        instance_path=str(Path(instance_path).resolve()) if instance_path else None,
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.update(load_settings(Path(app.instance_path), config))
    _configure_logging(app)
    if app.config["TRUSTED_PROXIES"]:
        n = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]

    _init_extensions(app)
    # Before any route is added: <int:...> in an address stops where database ids do,
    # so a huge number is a 404 rather than an overflow in the database driver.
    app.url_map.converters["int"] = IdConverter
    _register_blueprints(app)
    return app


class IdConverter(IntegerConverter):
    """``<int:...>``: a non-negative number up to the largest database integer (2**31 - 1)."""

    def __init__(self, url_map: Map, fixed_digits: int = 0, min: int | None = None,
                 max: int | None = 2**31 - 1, signed: bool = False) -> None:  # fmt: skip
        super().__init__(url_map, fixed_digits, min, max, signed)


def _configure_logging(app: Flask) -> None:
    if not logging.getLogger().handlers:
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)


def _init_extensions(app: Flask) -> None:
    from flask_babel import gettext

    from trainer import db, i18n
    from trainer.accounts.services import user_for_login_token
    from trainer.certificates import services as certificates
    from trainer.certificates.seal import signer_of
    from trainer.content.loader import load_catalogue
    from trainer.errors import init_error_handlers
    from trainer.extensions import csrf, init_rate_limits, login_manager
    from trainer.json_limits import init_json_limits
    from trainer.request_limits import init_request_limits
    from trainer.security import (
        SessionCookies,
        csrf_token,
        init_input_checks,
        init_security_headers,
    )
    from trainer.text_safety import init_text_filters

    db.Database(app.config["DATABASE_URL"]).init_app(app)
    # Refuses to start on invalid content: ContentError lists every problem.
    catalogue = load_catalogue(
        Path(app.config["COURSES_DIR"]), cache_folder=Path(app.instance_path) / "cache"
    )
    app.extensions["trainer.content"] = catalogue
    app.extensions["trainer.professions"] = catalogue.professions
    certificates.init_app(app)  # refuses to start with an unusable signing key
    signer_of(app)  # likewise with an unusable PDF-signing key or certificate
    init_request_limits(app)  # before CSRF protection, which reads the body
    init_json_limits(app)  # likewise: JSON size and depth before anything parses it
    csrf.init_app(app)
    app.jinja_env.globals["csrf_token"] = csrf_token  # Flask-WTF's, without re-signing
    init_rate_limits(app)
    i18n.init_app(app)  # the language of each page, the picker, date and number filters

    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = i18n.N_("Please sign in to see this page.")
    login_manager.localize_callback = gettext  # translated when flashed, in the reader's language
    login_manager.login_message_category = "info"
    login_manager.user_loader(lambda token: user_for_login_token(db.session(), token))
    app.config.setdefault("REMEMBER_COOKIE_DURATION", 30 * 24 * 3600)

    init_input_checks(app)
    init_text_filters(app)  # `|shown` and `is hiding_characters` for stored names
    init_security_headers(app)
    app.session_interface = SessionCookies()
    init_error_handlers(app)


def _register_blueprints(app: Flask) -> None:
    from trainer.accounts.mfa_views import bp as mfa_bp
    from trainer.accounts.session_activity import bp as session_activity_bp
    from trainer.accounts.views import bp as accounts_bp
    from trainer.admin import security as _admin_security  # noqa: F401 (adds its routes)
    from trainer.admin.attempts import bp as admin_attempts_bp
    from trainer.admin.views import bp as admin_bp
    from trainer.api import bp as api_bp
    from trainer.certificates import published
    from trainer.certificates.manage import bp as manage_certificates_bp
    from trainer.certificates.seal_views import bp as seal_bp
    from trainer.certificates.views import bp as certificates_bp
    from trainer.extensions import csrf
    from trainer.learning.views import bp as learning_bp
    from trainer.licensing.views import bp as licensing_bp
    from trainer.orgs.views import bp as orgs_bp
    from trainer.quizzes.views import bp as quizzes_bp
    from trainer.referrals import card as _referral_card  # noqa: F401 (adds its routes)
    from trainer.referrals import views as _referral_views  # noqa: F401 (adds its routes)

    app.register_blueprint(learning_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(admin_attempts_bp)
    app.register_blueprint(quizzes_bp)
    app.register_blueprint(certificates_bp)
    app.register_blueprint(manage_certificates_bp)
    published.init_app(app)  # issuer profile, keys, status lists; CORS on public documents
    app.register_blueprint(seal_bp)
    app.register_blueprint(orgs_bp)
    app.register_blueprint(mfa_bp)
    app.register_blueprint(session_activity_bp)
    app.register_blueprint(licensing_bp)
    # The API authenticates with bearer tokens, which browsers never send on
    # their own, so cross-site request forgery does not apply to it.
    csrf.exempt(api_bp)
    app.register_blueprint(api_bp)
