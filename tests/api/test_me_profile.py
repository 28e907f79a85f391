"""``GET /api/v1/me`` tells a program where the learner works and which zone she reads."""

from __future__ import annotations


def test_me_includes_region_licence_type_and_time_zone(client, make):
    user = make.user(profession="licensed", country="US", region="US-MI", licence_type="nurse")
    me = client.get("/api/v1/me", headers=make.api_headers(user)).json["user"]
    assert (me["country"], me["region"], me["licence_type"], me["timezone"]) == (
        "US",
        "US-MI",
        "nurse",
        "America/Detroit",
    )


def test_me_without_a_region_reads_utc_until_a_zone_is_chosen(client, make):
    user = make.user(profession="health", country="MX")
    me = client.get("/api/v1/me", headers=make.api_headers(user)).json["user"]
    assert (me["region"], me["timezone"]) == (None, "UTC")
