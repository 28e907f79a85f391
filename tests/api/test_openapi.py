"""The OpenAPI document: complete, valid OpenAPI 3.1, and public."""

from __future__ import annotations

import pytest
from flask import Response
from openapi_spec_validator import validate

from tests.openapi_check import check_response
from trainer.api.openapi import PREFIX, build_document, openapi_path


def api_routes(app) -> set[tuple[str, str]]:
    return {
        (openapi_path(rule.rule), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith(PREFIX + "/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def test_every_api_route_in_the_url_map_is_in_the_document(app):
    paths = build_document(app)["paths"]
    documented = {(path, method) for path, methods in paths.items() for method in methods}
    missing = api_routes(app) - documented
    assert not missing, (
        f"undocumented API routes {sorted(missing)}: add them to OPERATIONS in "
        "trainer/api/openapi_schemas.py"
    )
    assert len(documented) >= 30


def test_the_document_is_valid_openapi_3_1_and_served_without_a_token(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json
    assert document["openapi"] == "3.1.0"
    validate(document)  # raises with the first problem
    grant = document["paths"]["/orgs/{org_slug}/members/{user_id}/attempts"]["post"]
    assert grant["responses"]["201"]["content"]["application/json"]["schema"] == {
        "type": "object",
        "required": ["grant"],
        "properties": {"grant": {"$ref": "#/components/schemas/Grant"}},
    }
    assert document["components"]["schemas"]["Error"]["required"] == ["error"]


def test_a_route_without_a_written_operation_is_caught(app):
    from trainer.api import openapi_schemas

    written = openapi_schemas.OPERATIONS.pop("api.list_units")
    try:
        paths = build_document(app)["paths"]
        documented = {(p, m) for p, methods in paths.items() for m in methods}
        assert ("/orgs/{org_slug}/units", "get") in api_routes(app) - documented
    finally:
        openapi_schemas.OPERATIONS["api.list_units"] = written


def test_the_response_check_catches_a_body_that_does_not_match(app):
    document = build_document(app)
    wrong = Response('{"units": [{"id": "seven"}]}', status=200, mimetype="application/json")
    with pytest.raises(AssertionError, match="api/v1/orgs/moi/units 200"):
        check_response(app, document, "GET", "/api/v1/orgs/moi/units", wrong)
    unlisted = Response("{}", status=418, mimetype="application/json")
    with pytest.raises(AssertionError, match="does not list"):
        check_response(app, document, "GET", "/api/v1/orgs/moi/units", unlisted)
    right = Response(
        '{"units": [{"id": 7, "name": "North", "kind": "region", "parent": null, '
        '"path": "North"}]}',
        status=200,
        mimetype="application/json",
    )
    check_response(app, document, "GET", "/api/v1/orgs/moi/units", right)
