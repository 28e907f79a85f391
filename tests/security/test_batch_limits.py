"""Batch verification limits (the CSV page and the API together), licence lookups, IPv6 by /64.

The penetration test sent 50,000 licence guesses through the batch page in 2.5 s
and got a licensee's name back; per-address limits counted each IPv6 address alone.
"""

from __future__ import annotations

import io

import pytest
from werkzeug.test import TestResponse

from tests.conftest import AuthActions, csrf_token
from tests.security.test_rate_limits import SHORT, assert_limited, shorten, until_not_limited
from trainer.certificates.ids import format_certificate_id, new_certificate_id
from trainer.rate_limits import client_address_key


def upload(client, content: str, **environ) -> TestResponse:
    return client.post(
        "/verify/batch",
        data={
            "csrf_token": csrf_token(client, "/verify/batch"),
            "file": (io.BytesIO(content.encode()), "batch.csv"),
        },
        content_type="multipart/form-data",
        environ_base=environ,
    )


IDS = f"id\n{format_certificate_id(new_certificate_id())}\n"


def test_the_batch_page_is_limited_per_verifier_together_with_the_api(
    app, client, make, auth, monkeypatch
):
    shorten(monkeypatch, app, "VERIFICATIONS_RATE_LIMIT")
    board = make.user("board@example.org", role="verifier", profession=None)
    auth.login("board@example.org")
    assert [upload(client, IDS).status_code for _ in range(3)] == [200, 200, 200]
    assert_limited(upload(client, IDS), api=False)
    api = client.post("/api/v1/verifications", json={"ids": ["x"]}, headers=make.api_headers(board))
    assert_limited(api, api=True)
    assert until_not_limited(lambda: upload(client, IDS)).status_code == 200


def test_the_batch_page_is_limited_per_address(app, make, monkeypatch):
    shorten(monkeypatch, app, "VERIFICATIONS_PER_CLIENT_RATE_LIMIT")
    clients = []
    for email in ("one@board.example", "two@board.example"):
        make.user(email, role="verifier", profession=None)
        browser = app.test_client()
        AuthActions(browser).login(email)
        clients.append(browser)
    one, two = clients
    assert [upload(c, IDS).status_code for c in (one, two, one)] == [200, 200, 200]
    assert_limited(upload(two, IDS), api=False)
    assert upload(two, IDS, REMOTE_ADDR="203.0.113.9").status_code == 200


def licences_csv(count: int) -> str:
    return "licence_number,board\n" + "".join(f"RN-{n:06d},Board\n" for n in range(count))


def test_licence_lookups_are_counted_one_by_one_per_verifier(app, client, make, monkeypatch):
    monkeypatch.setitem(app.config, "LICENCE_LOOKUP_RATE_LIMIT", "10 per day")
    headers = make.api_headers(make.user("board@example.org", role="verifier"))

    def lookup(count: int) -> TestResponse:
        licences = [{"number": f"RN-{n:06d}", "board": "Board"} for n in range(count)]
        return client.post("/api/v1/verifications", json={"licenses": licences}, headers=headers)

    assert lookup(8).status_code == 200
    refused = lookup(5)
    assert refused.status_code == 429
    assert refused.json["error"]["message"] == (
        "Too many licence lookups: at most 10 per day for each verifier, and 2 are left. "
        "Send fewer licence numbers, or look up certificate ids, which have no such limit."
    )
    assert lookup(2).status_code == 200, "a refused batch costs nothing"
    ids = {"ids": [format_certificate_id(new_certificate_id())] * 50}
    assert client.post("/api/v1/verifications", json=ids, headers=headers).status_code == 200


def test_the_batch_page_counts_licence_lookups_too(app, client, make, auth, monkeypatch):
    monkeypatch.setitem(app.config, "LICENCE_LOOKUP_RATE_LIMIT", "10 per day")
    make.user("board@example.org", role="verifier", profession=None)
    auth.login("board@example.org")
    assert upload(client, licences_csv(10)).status_code == 200
    refused = upload(client, licences_csv(1))
    assert refused.status_code == 429
    assert "Too many licence lookups: at most 10 per day" in refused.get_data(as_text=True)


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("192.0.2.1", "192.0.2.1"),
        ("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"),
        ("2001:DB8:1:2::1", "2001:db8:1:2::/64"),
        ("::ffff:192.0.2.1", "192.0.2.1"),
    ],
)
def test_client_address_key(app, address, key):
    with app.test_request_context(environ_base={"REMOTE_ADDR": address}):
        assert client_address_key() == key


def test_ipv6_addresses_in_one_64_share_a_count(app, client, monkeypatch):
    shorten(monkeypatch, app, "VERIFY_RATE_LIMIT")

    def verify(address: str) -> int:
        path = f"/verify/{format_certificate_id(new_certificate_id())}"
        return client.get(path, environ_base={"REMOTE_ADDR": address}).status_code

    assert [verify(f"2001:db8:1:2::{n}") for n in range(1, 4)] == [404, 404, 404]
    assert verify("2001:db8:1:2:ffff::9") == 429
    assert verify("2001:db8:1:3::1") == 404, "the next /64 is another client"
    assert SHORT == "3 per 2 second"


def test_registration_is_limited_per_address(app, client, monkeypatch):
    shorten(monkeypatch, app, "REGISTER_RATE_LIMIT")

    def register(n: int, **environ) -> TestResponse:
        form = {
            "csrf_token": csrf_token(client, "/register"),
            "email": f"new{n}@example.org",
            "full_name": "New Person",
            "profession": "health",
            "country": "US",
            "region": "US-MI",
            "licence_type": "nurse",
            "password": "a long and unusual passphrase",
            "confirm": "a long and unusual passphrase",
        }
        return client.post("/register", data=form, environ_base=environ)

    codes = []
    for n in range(3):
        codes.append(register(n).status_code)
    assert codes == [302, 302, 302]
    assert_limited(register(3), api=False)
    assert client.get("/register").status_code == 200, "the form itself is not counted"
    assert register(4, REMOTE_ADDR="2001:db8:9::1").status_code == 302
