"""Check API responses made in tests against the OpenAPI document.

``checked_api_responses`` wraps the Flask test client: every response to an
``/api/v1`` route must have its status listed in the document for that route,
and a JSON body must validate against the listed schema. Test packages switch it
on with an autouse fixture in their conftest (api, orgs, certificates, quizzes).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openapi_schema_validator import OAS31Validator
from werkzeug.exceptions import HTTPException

from trainer.api.openapi import PREFIX, build_document, openapi_path


def _rule(app: Flask, path: str, method: str) -> str | None:
    """The URL rule ``method path`` reaches; None for a path no route answers."""
    try:
        rule, _args = app.url_map.bind("localhost").match(path, method=method, return_rule=True)
    except HTTPException:
        return None
    return rule.rule


def check_response(app: Flask, document: dict[str, Any], method: str, path: str, response) -> None:
    """Fail unless ``response`` is what the document says ``method path`` answers."""
    if not path.startswith(PREFIX + "/") or method in ("HEAD", "OPTIONS"):
        return
    rule = _rule(app, path, method)
    if rule is None:
        return  # no such route: the 404 is the app's, not an operation's
    operation = document["paths"].get(openapi_path(rule), {}).get(method.lower())
    assert operation is not None, f"{method} {path} is not in the OpenAPI document"
    answer = operation["responses"].get(str(response.status_code))
    assert answer is not None, (
        f"{method} {path} answered {response.status_code}, which the OpenAPI document "
        f"does not list (it lists {sorted(operation['responses'])})"
    )
    if "$ref" in answer:
        answer = document["components"]["responses"][answer["$ref"].rsplit("/", 1)[1]]
    schema = answer.get("content", {}).get("application/json", {}).get("schema")
    if schema is None or not response.is_json:
        return
    validator = OAS31Validator({**schema, "components": document["components"]})
    errors = sorted(validator.iter_errors(response.get_json()), key=str)
    assert not errors, f"{method} {path} {response.status_code}: {errors[0].message}"


@pytest.fixture
def checked_api_responses(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    document = build_document(app)
    original = FlaskClient.open

    def open_and_check(self: FlaskClient, *args: Any, **kwargs: Any):
        response = original(self, *args, **kwargs)
        request = response.request
        check_response(app, document, request.method, request.path, response)
        return response

    monkeypatch.setattr(FlaskClient, "open", open_and_check)
    yield
