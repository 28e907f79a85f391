"""API endpoints for accounts and tokens."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask.typing import ResponseReturnValue

from trainer import db
from trainer.accounts.services import authenticate, create_api_token
from trainer.api import bp
from trainer.api.auth import api_login_required, bearer_user
from trainer.api.errors import ApiError
from trainer.i18n.zones import zone_of
from trainer.rate_limits import sign_in_per_account, sign_in_per_client


def json_body() -> dict[str, Any]:
    """The request's JSON object, or a 400 that says what to send."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError(
            400, "invalid_json", "Send a JSON object with Content-Type: application/json."
        )
    return body


@bp.post("/tokens")
@db.reads_first
@sign_in_per_client
@sign_in_per_account
def create_token() -> ResponseReturnValue:
    body = json_body()
    email, password = body.get("email"), body.get("password")
    if not isinstance(email, str) or not isinstance(password, str):
        raise ApiError(400, "invalid_request", "Send 'email' and 'password' as strings.")
    session = db.session()
    user = authenticate(session, email, password)
    if user is None:
        raise ApiError(401, "invalid_credentials", "The email or password is not correct.")
    db.end_reading(session)  # the password was checked without SQLite's write lock
    _record, token = create_api_token(session, user, name=str(body.get("name") or "API"))
    session.commit()
    return jsonify({"token": token}), 201


@bp.get("/me")
@api_login_required
def me() -> ResponseReturnValue:
    user = bearer_user()
    assert user is not None
    return jsonify(
        {
            "user": {
                "email": user.email,
                "name": user.full_name,
                "role": user.role,
                "profession": user.profession,
                "country": user.country,
                "region": user.region,
                "licence_type": user.licence_type,
                "timezone": zone_of(user.timezone, user.country, user.region).key,
                "organisation": user.organisation.slug if user.organisation else None,
            }
        }
    )
