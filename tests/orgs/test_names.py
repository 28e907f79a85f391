"""Admin pages name things in the reader's language: no codes, no Python values."""

from __future__ import annotations

from tests.orgs.conftest import in_days


def test_pages_in_french_show_names_not_codes(client, auth, make, ministry):
    headers = make.api_headers(ministry.admin)
    client.post(
        f"/api/v1/orgs/{ministry.slug}/assignments",
        headers=headers,
        json={
            "curriculum": "police-default",
            "profession": "police",
            "due": in_days(9).isoformat(),
        },
    )
    auth.login("admin@moi.example")
    french = {"Accept-Language": "fr"}
    audit = client.get(f"/orgs/{ministry.slug}/audit", headers=french).get_data(as_text=True)
    assert "Affectation créée" in audit and "Ada Admin" in audit
    assert "<dt>Profession</dt><dd>Police et forces de l&#39;ordre</dd>" in audit
    assert "<dt>Unité</dt><dd>(toute l&#39;organisation)</dd>" in audit
    for code in ("assignment.create", "None", "['", "police-default"):
        assert code not in audit
    members = client.get(f"/orgs/{ministry.slug}/members", headers=french).get_data(as_text=True)
    assert "Police et forces de l&#39;ordre" in members and ">police<" not in members
    learners = client.get(f"/orgs/{ministry.slug}/reports/learners", headers=french)
    html = learners.get_data(as_text=True)
    assert ">core<" not in html and ">police<" not in html
