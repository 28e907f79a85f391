"""What any verifier fetches without signing in: the issuer, its keys, its status lists.

Every document here, the JWKS and the public verify API answer cross-origin
GETs (``Access-Control-Allow-Origin: *``, no credentials), so that web wallets
and verifiers running in a browser can read them.
"""

from __future__ import annotations

from flask import Blueprint, Flask, Response, abort, current_app, jsonify, request
from flask.typing import ResponseReturnValue

from trainer import db
from trainer.certificates import services
from trainer.certificates.credential import CONTEXT, issuer_profile
from trainer.certificates.keys import kid_thumbprint
from trainer.certificates.statuslist import last_list, signed_status_list
from trainer.models import utcnow

bp = Blueprint("published", __name__)

#: Endpoints that answer cross-origin requests.
CORS_ENDPOINTS = frozenset(
    {
        "published.issuer",
        "published.key",
        "published.status_list",
        "certificates.jwks",
        "api.verify",
    }
)


def _issuer() -> services.Issuer:
    return services.issuer_of(current_app)


@bp.get("/issuer")
def issuer() -> ResponseReturnValue:
    """The Open Badges 3.0 Profile that every credential's ``issuer.id`` points to."""
    config = current_app.config
    profile = {
        "@context": CONTEXT,
        **issuer_profile(_issuer().base_url, config["PROVIDER_NAME"], config["PROVIDER_APPROVAL"]),
    }
    response = jsonify(profile)
    response.mimetype = "application/ld+json"
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@bp.get("/keys/<thumbprint>")
def key(thumbprint: str) -> ResponseReturnValue:
    """One public key as a JWK: what a credential's ``kid`` URL answers."""
    keys = services.published_keys(db.session(), _issuer().site_key, _issuer().base_url)
    found = next((k for k in keys if kid_thumbprint(k["kid"]) == thumbprint), None)
    if found is None:
        abort(404)
    response = jsonify(found)
    response.mimetype = "application/jwk+json"
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.get("/status/revocation/<int:list_number>")
def status_list(list_number: int) -> ResponseReturnValue:
    """The revocation status list as a signed VC-JWT, as the register has it now."""
    session = db.session()
    if list_number < 1 or list_number > last_list(session):
        abort(404)
    issuer = _issuer()
    token = signed_status_list(
        session, issuer.base_url, list_number, issuer.site_key, utcnow().replace(microsecond=0)
    )
    response = Response(token, mimetype="application/vc+jwt")
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


def allow_cross_origin(response: Response) -> Response:
    """CORS for the public documents: any origin may GET them, without credentials."""
    if request.endpoint in CORS_ENDPOINTS:
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Allow-Methods"] = "GET"
    return response


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.after_request(allow_cross_origin)
