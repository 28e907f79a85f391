"""A unit-scoped admin moves only learners within their scope, never the organisation's admins.

The penetration test had North's admin move the whole-organisation admin (who
sits in no unit) into North through a staff list.
"""

from __future__ import annotations

from tests.orgs.test_enrolment import HEADER, post_csv
from trainer.models import User


def test_a_unit_admin_cannot_pull_the_organisation_admin_into_their_unit(
    client, make, db, ministry
):
    body = HEADER + "admin@moi.example,Ada Admin,police,North,\n"
    response = post_csv(client, make.api_headers(ministry.north_admin), ministry.slug, body)
    assert response.status_code == 422
    assert response.json["errors"] == [
        {
            "line": 2,
            "column": "email",
            "reason": "admin@moi.example is an administrator's or verifier's account. Only an "
            "admin of the whole organisation can place it in a unit.",
        }
    ]
    db.expire_all()
    assert db.get(User, ministry.admin.id).unit_id is None


def test_nor_a_member_placed_in_no_unit(client, make, db, ministry):
    loose = make.user("loose@moi.example", organisation=ministry.org, profession="police")
    body = HEADER + "loose@moi.example,Lou Loose,police,North,\n"
    response = post_csv(client, make.api_headers(ministry.north_admin), ministry.slug, body)
    assert response.status_code == 422
    assert "outside the units you manage" in response.json["errors"][0]["reason"]
    db.expire_all()
    assert db.get(User, loose.id).unit_id is None


def test_nor_another_admin_of_a_unit(client, make, db, ministry):
    body = HEADER + "north@moi.example,Nora North,police,North/District 4,\n"
    response = post_csv(client, make.api_headers(ministry.north_admin), ministry.slug, body)
    assert response.status_code == 422


def test_learners_inside_the_scope_still_move(client, make, db, ministry):
    body = HEADER + "officer@moi.example,Olu Officer,police,North/District 4,\n"
    response = post_csv(client, make.api_headers(ministry.north_admin), ministry.slug, body)
    assert response.status_code == 200, response.json
    assert response.json["summary"]["moved"] == 1


def test_the_whole_organisation_admin_still_places_anyone(client, make, db, ministry):
    body = HEADER + "north@moi.example,Nora North,police,North,\n"
    response = post_csv(client, make.api_headers(ministry.admin), ministry.slug, body)
    assert response.status_code == 200, response.json
