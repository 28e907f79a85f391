"""The OpenAPI 3.1 description of API v1, served at ``GET /api/v1/openapi.json``.

Paths come from the URL map, so the document cannot list a route that does not
exist; what each route takes and answers is written by hand in :data:`OPERATIONS`
(schemas in ``openapi_schemas``). A route without an entry there makes
tests/api/test_openapi.py fail, naming it.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, current_app, jsonify
from flask.typing import ResponseReturnValue

from trainer.api import bp
from trainer.api.openapi_schemas import OPERATIONS, SCHEMAS, ref

PREFIX = "/api/v1"
_CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")
_IGNORED = {"HEAD", "OPTIONS"}


def openapi_path(rule: str) -> str:
    """``/api/v1/orgs/<org_slug>/units/<int:unit_id>`` → ``/orgs/{org_slug}/units/{unit_id}``."""
    return _CONVERTER.sub(r"{\2}", rule[len(PREFIX) :])


def _parameters(rule: str) -> list[dict[str, Any]]:
    return [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": {"type": "integer"} if converter == "int" else {"type": "string"},
        }
        for converter, name in _CONVERTER.findall(rule)
    ]


def _operation(endpoint: str, method: str, rule: str) -> dict[str, Any] | None:
    written = OPERATIONS.get(endpoint, {}).get(method)
    if written is None:
        return None
    operation: dict[str, Any] = {
        "operationId": endpoint.removeprefix("api.")
        + ("" if method == "GET" else "_" + method.lower()),
        "summary": written["summary"],
        "parameters": _parameters(rule) + written.get("query", []),
        "responses": {},
    }
    if "body" in written:
        media = written.get("media", "application/json")
        operation["requestBody"] = {
            "required": True,
            "content": {media: {"schema": written["body"]}},
        }
    for status, schema in written["responses"].items():
        described = {"description": _STATUS_WORDS.get(status, "Answer")}
        if isinstance(schema, str):  # a media type without a JSON schema (CSV)
            described["content"] = {schema: {"schema": {"type": "string"}}}
        elif schema is not None:
            described["content"] = {"application/json": {"schema": schema}}
        operation["responses"][str(status)] = described
    errors = set(written.get("errors", (400, 401, 403, 404)))
    if method != "GET":
        errors |= {400, 413}  # every body passes the JSON size and depth limits first
    for status in sorted(errors):
        operation["responses"][str(status)] = {"$ref": f"#/components/responses/E{status}"}
    if written.get("public"):
        operation["security"] = []
    return operation


_STATUS_WORDS = {
    200: "OK",
    201: "Created",
    204: "Done; no body",
    400: "The request says what to fix",
    401: "No valid API token",
    403: "The token's role or scope does not allow this",
    404: "Nothing here, or not yours to see",
    409: "Refused as things stand; the message says why",
    413: "Too large",
    422: "The content has errors, listed",
    429: "Too many requests; wait",
}


def build_document(app: Flask) -> dict[str, Any]:
    """The whole document: every ``/api/v1`` rule of ``app``, with its written operation."""
    paths: dict[str, dict[str, Any]] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.rule.startswith(PREFIX + "/"):
            continue
        for method in sorted((rule.methods or set()) - _IGNORED):
            operation = _operation(rule.endpoint, method, rule.rule)
            if operation is not None:
                paths.setdefault(openapi_path(rule.rule), {})[method.lower()] = operation
    errors = {
        f"E{status}": {
            "description": _STATUS_WORDS[status],
            "content": {"application/json": {"schema": ref("Error")}},
        }
        for status in (400, 401, 403, 404, 409, 413, 422, 429)
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Trainer API",
            "version": "1",
            "description": (
                "Learning, assessments, certificates, verification and organisation management. "
                'Every error is {"error": {"code", "message"}}. Invitation status and '
                "resending are not yet in this API."
            ),
        },
        "servers": [{"url": PREFIX}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "schemas": SCHEMAS,
            "responses": errors,
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A token from POST /tokens or the account page.",
                }
            },
        },
    }


@bp.get("/openapi.json")
def openapi() -> ResponseReturnValue:
    """The description of this API; public, like the API's existence."""
    return jsonify(build_document(current_app))
