"""JSON bodies: a size limit per route (413) and a depth limit (400), before anything parses them.

The penetration test sent a 16 MB JSON body to any route (3.4 s of CPU each) and
a deeply nested one that answered 500.
"""

from __future__ import annotations

import io
import json
import time

from trainer.json_limits import DEFAULT_JSON_LIMIT, MAX_JSON_DEPTH, json_depth

HUGE = json.dumps({"email": "a@example.org", "password": "x" * (16 * 1024 * 1024 - 100)})


def post_json(client, path, body: str, **headers):
    return client.post(path, data=body, content_type="application/json", headers=headers)


def test_a_16_mb_body_is_refused_with_413_before_it_is_parsed(client):
    for path in ("/api/v1/tokens", "/login", "/", "/verify/batch"):
        started = time.process_time()
        response = post_json(client, path, HUGE)
        assert response.status_code == 413, path
        assert response.json["error"]["code"] == "too_large"
        assert response.json["error"]["message"] == (
            "The JSON body is too large: this address accepts at most 32 KB. "
            "Send less in each request, or split it into several."
        )
        assert time.process_time() - started < 0.5, "refused from Content-Length, unread"


def test_a_chunked_body_without_length_stops_at_the_limit(client):
    # What a WSGI server passes on for "Transfer-Encoding: chunked": no length, a terminated input.
    response = client.post(
        "/api/v1/tokens",
        input_stream=io.BytesIO(HUGE.encode()),
        content_type="application/json",
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert response.status_code == 413
    assert response.json["error"]["code"] == "too_large"


def test_a_body_at_the_limit_is_still_read(client, make):
    make.user()
    padding = DEFAULT_JSON_LIMIT - 200
    body = json.dumps({"email": "learner@example.org", "password": "wrong", "name": "n" * padding})
    assert len(body) < DEFAULT_JSON_LIMIT
    assert post_json(client, "/api/v1/tokens", body).status_code == 401


def test_batch_verification_takes_1000_licences(client, make):
    verifier = make.user("board@example.org", role="verifier")
    licences = [{"number": f"RN-{n:08d}", "board": "Michigan Board of Nursing " * 4}
                for n in range(1000)]  # fmt: skip
    body = json.dumps({"licenses": licences})
    assert len(body) > DEFAULT_JSON_LIMIT
    response = post_json(client, "/api/v1/verifications", body, **make.api_headers(verifier))
    assert response.status_code == 200, response.json
    assert len(response.json["results"]) == 1000


def test_deep_nesting_answers_400_not_500(client):
    for depth in (MAX_JSON_DEPTH + 1, 5000):
        for path in ("/api/v1/tokens", "/api/v1/verifications", "/login"):
            response = post_json(client, path, "[" * depth + "]" * depth)
            assert response.status_code == 400, (path, depth)
            assert response.json["error"]["code"] == "too_deep"
            assert f"more than {MAX_JSON_DEPTH} levels deep" in response.json["error"]["message"]


def test_ordinary_nesting_is_accepted(client):
    body = json.dumps({"email": [[[["x"]]]], "password": "p"})
    response = post_json(client, "/api/v1/tokens", body)
    assert response.status_code == 400
    assert response.json["error"]["code"] == "invalid_request"


def test_json_depth_counts_without_recursion():
    assert json_depth(3) == 0
    assert json_depth({"a": [1, {"b": []}]}) == 4
    deep: list = []
    for _ in range(100_000):
        deep = [deep]
    assert json_depth(deep) == 100_001
