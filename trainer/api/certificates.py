"""API endpoints for certificates: the learner's list, public verification, batch checks."""

from __future__ import annotations

from flask import jsonify, url_for
from flask.typing import ResponseReturnValue

from trainer import db
from trainer.api import bp
from trainer.api.auth import api_login_required, api_roles_required, bearer_user
from trainer.api.errors import ApiError
from trainer.api.views import json_body
from trainer.audit import record_event
from trainer.certificates import services
from trainer.certificates.verification import (
    BatchError,
    LicenceQuery,
    parse_batch,
    public_view,
    verify_ids,
    verify_licences,
)
from trainer.certificates.views import issuer, today, verification_lookup
from trainer.db import writes_on_get
from trainer.json_limits import json_limit
from trainer.rate_limits import (
    batch_per_client,
    batch_per_verifier,
    charge_licence_lookups,
    verify_per_client,
)


@bp.get("/me/certificates")
@api_login_required
def my_certificates() -> ResponseReturnValue:
    user = bearer_user()
    assert user is not None
    base_url = issuer().base_url
    certificates = []
    for certificate in services.user_certificates(db.session(), user):
        view = public_view(certificate, today(), base_url)
        view["pdf_url"] = url_for("certificates.pdf", cert_id=certificate.id, _external=True)
        view["credential_url"] = url_for(
            "certificates.credential", cert_id=certificate.id, _external=True
        )
        certificates.append(view)
    return jsonify({"certificates": certificates})


@bp.get("/verify/<cert_id>")
@writes_on_get
@verify_per_client
def verify(cert_id: str) -> ResponseReturnValue:
    view, error = verification_lookup(cert_id, via="api")
    if error is not None:
        raise ApiError(400, "invalid_id", error)
    if view is None:
        raise ApiError(404, "not_found", "No certificate has this id.")
    response = jsonify({"certificate": view})
    response.headers["X-Robots-Tag"] = "noindex"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/verifications")
@json_limit(512 * 1024)  # 1000 licence numbers with their boards' names
@api_roles_required("verifier")
@batch_per_verifier
@batch_per_client
def verifications() -> ResponseReturnValue:
    """Up to 1000 ids, or licence number and board pairs, in one call."""
    try:
        queries = parse_batch(json_body())
    except BatchError as error:
        raise ApiError(400, "invalid_batch", str(error)) from error
    licences = sum(1 for query in queries if isinstance(query, LicenceQuery))
    refused = charge_licence_lookups(licences)
    if refused:
        raise ApiError(429, "rate_limited", refused)
    session = db.session()
    base_url = issuer().base_url
    if queries and isinstance(queries[0], LicenceQuery):
        results = verify_licences(session, queries, today(), base_url)  # type: ignore[arg-type]
    else:
        results = verify_ids(session, queries, today(), base_url)  # type: ignore[arg-type]
    record_event(
        session,
        "certificate.verify_batch",
        actor=bearer_user(),
        via="api",
        items=len(results),
        found=sum(1 for r in results if r["status"] not in ("not_found", "invalid_id")),
    )
    session.commit()
    return jsonify({"results": results})
