"""``trainer certificates verify --jwks`` takes a file or an https:// address, nothing else.

The penetration test had it fetch keys over plain http, where anyone on the path
could hand it their own key and make a forged certificate check as valid.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from trainer.certificates.keys import SigningKeyError
from trainer.certificates.offline import load_jwks


class _Counting(BaseHTTPRequestHandler):
    hits = 0

    def do_GET(self) -> None:
        type(self).hits += 1
        body = json.dumps({"keys": []}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def http_server():
    server = HTTPServer(("127.0.0.1", 0), _Counting)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/jwks.json"
    server.shutdown()
    server.server_close()


def test_plain_http_is_refused_without_a_request(http_server):
    _Counting.hits = 0
    with pytest.raises(SigningKeyError) as refused:
        load_jwks(http_server)
    assert str(refused.value) == (
        "--jwks takes a file or an https:// address, not http://. Keys fetched without TLS "
        "could be swapped on the way."
    )
    assert _Counting.hits == 0, "nothing was fetched"


@pytest.mark.parametrize("source", ["HTTP://example.org/jwks.json", "file:///etc/passwd",
                                    "ftp://example.org/jwks.json"])  # fmt: skip
def test_other_schemes_are_refused(source):
    with pytest.raises(SigningKeyError, match="takes a file or an https:// address"):
        load_jwks(source)


def test_https_is_tried_and_a_failure_says_so():
    with pytest.raises(SigningKeyError, match=r"Cannot read the JWKS from https://127\.0\.0\.1:9/"):
        load_jwks("https://127.0.0.1:9/jwks.json")


def test_a_file_still_works(tmp_path, client):
    path = tmp_path / "jwks.json"
    path.write_bytes(client.get("/.well-known/jwks.json").data)
    assert len(load_jwks(str(path)).keys) >= 1
