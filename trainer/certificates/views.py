"""The learner's certificates, the public verify pages and the published keys."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user

from trainer import db
from trainer.accounts.roles import login_required
from trainer.api.auth import bearer_user
from trainer.audit import record_event
from trainer.certificates import services
from trainer.certificates.credential import credential_payload
from trainer.certificates.ids import InvalidCertificateId, parse_certificate_id
from trainer.certificates.keys import key_url
from trainer.certificates.printing import certificate_pdf
from trainer.certificates.verification import find_certificate, public_view
from trainer.content.catalogue import catalogue, interface_language, shown_catalogue
from trainer.content.model import Course
from trainer.db import writes_on_get
from trainer.licensing.guidance import facts_of, licence_words, region_names
from trainer.models import Certificate, User, utcnow
from trainer.rate_limits import verify_per_client

bp = Blueprint("certificates", __name__)


def issuer() -> services.Issuer:
    return services.issuer_of(current_app)


def award_if_complete(user: User, course: Course) -> Certificate | None:
    """After progress is recorded: issue the certificate once the course is complete.

    A process started before a key rotation holds the retired key; it reads the
    current one and tries once more rather than lose the learner's step.
    """
    try:
        return services.issue_if_complete(db.session(), user, course, catalogue(), issuer())
    except services.RetiredSigningKey:
        fresh = services.reload_issuer(current_app)
        return services.issue_if_complete(db.session(), user, course, catalogue(), fresh)


def today() -> date:
    return utcnow().date()


@bp.get("/certificates")
@login_required
def index() -> ResponseReturnValue:
    certificates = services.user_certificates(db.session(), current_user)
    content = shown_catalogue()
    rules = content.requirement_sets.values()
    return render_template(
        "certificates/index.html",
        certificates=[(c, public_view(c, today(), issuer().base_url)) for c in certificates],
        licence=licence_words(
            facts_of(current_user, content.licence_types, interface_language()), region_names(rules)
        ),
    )


def _viewer() -> User | None:
    """The signed-in user, by browser session or API token."""
    return current_user if current_user.is_authenticated else bearer_user()


def _viewable(viewer: User, cert_id: str) -> Certificate:
    """The certificate if ``viewer`` owns it or is a site admin.

    Someone else's id answers 404, exactly like an unknown one.
    """
    try:
        certificate = find_certificate(db.session(), parse_certificate_id(cert_id))
    except InvalidCertificateId:
        abort(404)
    if certificate is None or (certificate.user_id != viewer.id and viewer.role != "admin"):
        abort(404)
    return certificate


@bp.get("/certificates/<cert_id>.pdf")
def pdf(cert_id: str) -> ResponseReturnValue:
    viewer = _viewer()
    if viewer is None:
        return current_app.login_manager.unauthorized()  # type: ignore[attr-defined,no-any-return]
    certificate = _viewable(viewer, cert_id)
    # Typesetting takes tens of milliseconds; a request with an API token would hold
    # SQLite's write lock all that time, so the transaction ends here (saving the
    # token's last use, the only change).
    db.session().commit()
    body = certificate_pdf(
        certificate, catalogue(), issuer().base_url, current_app.config["CERTIFICATE_PAPER"]
    )
    response = Response(body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="certificate-{certificate.course_slug}-{certificate.id}.pdf"'
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/certificates/<cert_id>.json")
def credential(cert_id: str) -> ResponseReturnValue:
    viewer = _viewer()
    if viewer is None:
        abort(401)
    certificate = _viewable(viewer, cert_id)
    response = jsonify(
        {
            "credential": {
                "format": "vc+jwt",
                "jwt": certificate.credential,
                "kid": key_url(issuer().base_url, certificate.key_id),
                "jwks_url": f"{issuer().base_url}/.well-known/jwks.json",
                "payload": credential_payload(certificate.credential),
            }
        }
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/verify")
def verify_form() -> ResponseReturnValue:
    """A form for the id; a submitted id goes to its canonical address."""
    typed = request.args.get("id", "").strip()
    if not typed:
        return _noindex(render_template("certificates/verify_form.html", typed="", error=None))
    try:
        canonical = parse_certificate_id(typed)
    except InvalidCertificateId as error:
        page = render_template("certificates/verify_form.html", typed=typed, error=str(error))
        return _noindex(page), 400
    return redirect(url_for("certificates.verify", cert_id=canonical))


@bp.get("/verify/<cert_id>")
@writes_on_get
@verify_per_client
def verify(cert_id: str) -> ResponseReturnValue:
    view, error = verification_lookup(cert_id, via="page")
    if error is not None:
        page = render_template("certificates/verify_form.html", typed=cert_id, error=error)
        return _noindex(page), 400
    page = render_template("certificates/verify.html", view=view, typed=cert_id)
    return _noindex(page), 200 if view else 404


def verification_lookup(cert_id: str, *, via: str) -> tuple[dict[str, Any] | None, str | None]:
    """Look up an id for a verifier and record the lookup: (public view, error in the id).

    Every lookup is audited, found or not: who asked, from where, and what they were told.
    """
    session = db.session()
    view, error = None, None
    try:
        canonical = parse_certificate_id(cert_id)
    except InvalidCertificateId as problem:
        canonical, error = cert_id[:64], str(problem)
    else:
        certificate = find_certificate(session, canonical)
        view = public_view(certificate, today(), issuer().base_url) if certificate else None
    viewer = current_user if current_user.is_authenticated else None
    record_event(
        session,
        "certificate.verify",
        actor=viewer or (bearer_user() if "Authorization" in request.headers else None),
        target_type="certificate",
        target_id=canonical,
        outcome="invalid_id" if error else view["status"] if view else "not_found",
        via=via,
        client=request.remote_addr,
    )
    session.commit()
    return view, error


def _noindex(page: str) -> Response:
    response = Response(page, mimetype="text/html")
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


@bp.get("/.well-known/jwks.json")
def jwks() -> ResponseReturnValue:
    keys = services.published_keys(db.session(), issuer().site_key, issuer().base_url)
    response = jsonify({"keys": keys})
    response.headers["Cache-Control"] = "public, max-age=300"
    return response
