"""API endpoints for accounts and tokens."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask.typing import ResponseReturnValue

from trainer import db
from trainer.accounts import mfa, signin
from trainer.accounts.services import AccountError, create_api_token
from trainer.api import bp
from trainer.api.auth import api_login_required, bearer_user
from trainer.api.errors import ApiError
from trainer.i18n.zones import zone_of


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
def create_token() -> ResponseReturnValue:
    body = json_body()
    email, password = body.get("email"), body.get("password")
    if not isinstance(email, str) or not isinstance(password, str):
        raise ApiError(400, "invalid_request", "Send 'email' and 'password' as strings.")
    session = db.session()
    user = signin.check_password(session, email, password)
    if user is None:
        raise ApiError(401, "invalid_credentials", "The email or password is not correct.")
    if mfa.required_for(user) and not mfa.enabled(user):
        message = "Your role must use a second factor: set it up on the account page first."
        raise ApiError(403, "second_factor_required", message)
    if mfa.enabled(user):
        code = body.get("code")
        if not isinstance(code, str) or not code.strip():
            message = "This account uses a second factor: send its current code as 'code'."
            raise ApiError(401, "code_required", message)
        if mfa.check_code(session, user, code) is None:
            session.rollback()
            signin.failed_step(session, user.email, "auth.mfa_failed")
            raise ApiError(401, "invalid_code", "The code is not correct or was already used.")
    signin.signed_in(session, user, "api")
    scope, days = body.get("scope"), body.get("days")
    if (scope is not None and not isinstance(scope, str)) or (
        days is not None and (not isinstance(days, int) or isinstance(days, bool))
    ):
        raise ApiError(400, "invalid_request", "Send 'scope' as a string and 'days' as a number.")
    try:
        record, token = create_api_token(
            session, user, name=str(body.get("name") or "API"), scope=scope, days=days
        )
    except AccountError as error:
        raise ApiError(400, "invalid_request", str(error)) from error
    session.commit()
    expires = record.expires_at.isoformat() if record.expires_at else None
    return jsonify({"token": token, "scope": record.scope, "expires_at": expires}), 201


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
