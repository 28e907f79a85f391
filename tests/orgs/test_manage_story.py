"""Issue 15's "done when", the managing part: an admin changes an assignment's due date,
grants a locked-out learner another attempt and cancels an assignment — once through
the pages, once through the API — and the learners see the difference.
"""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from tests.conftest import csrf_token
from tests.orgs.conftest import in_days, shown_date
from tests.progress import complete_modules
from trainer.content.catalogue import catalogue
from trainer.models import Assignment, Attempt, AuditEvent, utcnow


def text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def lock_out(app, db, learner) -> None:
    """Three failed attempts at the police assessment, a month ago: none left, no renewal
    for a member of an organisation (only a grant gives more)."""
    with app.app_context():
        course = catalogue().courses["police"]
        complete_modules(db, learner, course)
    for n in range(3):
        when = utcnow() - timedelta(days=30, minutes=n)
        db.add(
            Attempt(
                id=f"locked{learner.id}{n}",
                user_id=learner.id,
                course_slug="police",
                course_version=course.version,
                seed=n,
                item_ids=["x"],
                item_versions={},
                presentation={},
                answers={"x": None},
                started_at=when - timedelta(minutes=5),
                submitted_at=when,
                score=0,
                max_score=1,
                passed=False,
                results={"x": {"score": 0}},
            )
        )
    db.commit()


def start_over_api(client, make, learner):
    return client.post("/api/v1/courses/police/attempts", headers=make.api_headers(learner))


def test_an_admin_manages_assignments_and_attempts_by_web_and_by_api(
    app, client, auth, db, make, ministry
):
    slug = ministry.slug
    lock_out(app, db, ministry.officer)
    lock_out(app, db, ministry.southerner)
    assert start_over_api(client, make, ministry.officer).status_code == 409
    assert start_over_api(client, make, ministry.southerner).status_code == 409

    # Through the pages: assign North, extend it, grant Olu an attempt, cancel.
    auth.login("admin@moi.example")
    page = f"/orgs/{slug}/assignments"
    client.post(
        page,
        data={"csrf_token": csrf_token(client, page), "curriculum": "police-default",
              "unit": str(ministry.north.id), "due": in_days(7).isoformat()},
    )  # fmt: skip
    north = db.scalar(select(Assignment).where(Assignment.unit_id == ministry.north.id))
    one = f"{page}/{north.id}"
    client.post(
        f"{one}/due", data={"csrf_token": csrf_token(client, one), "due": in_days(21).isoformat()}
    )
    member = f"/orgs/{slug}/members/{ministry.officer.id}"
    client.post(
        f"{member}/attempts",
        data={"grant-csrf_token": csrf_token(client, member), "grant-course": "police",
              "grant-attempts": "1", "grant-reason": "after coaching"},
    )  # fmt: skip
    auth.logout()
    auth.login("officer@moi.example")
    dashboard = text(client.get("/dashboard"))
    assert f"Due {shown_date(in_days(21))}" in dashboard
    assert start_over_api(client, make, ministry.officer).status_code == 201
    auth.logout()
    auth.login("admin@moi.example")
    client.post(f"{one}/cancel", data={"csrf_token": csrf_token(client, f"{one}/cancel")})
    auth.logout()
    auth.login("officer@moi.example")
    assert "Assigned to you" not in text(client.get("/dashboard"))
    auth.logout()

    # Through the API: assign South, extend it, grant Sam an attempt, cancel.
    headers = make.api_headers(ministry.admin)
    base = f"/api/v1/orgs/{slug}"
    made = client.post(
        f"{base}/assignments",
        json={"curriculum": "police-default", "unit": "South", "due": in_days(7).isoformat()},
        headers=headers,
    ).json["assignment"]
    extended = client.patch(
        f"{base}/assignments/{made['id']}", json={"due": in_days(28).isoformat()}, headers=headers
    )
    assert extended.json["assignment"]["due"] == in_days(28).isoformat()
    learners = client.get(
        f"{base}/reports/learners", query_string={"unit": ministry.south.id}, headers=headers
    ).json["learners"]
    assert {r["due"] for r in learners} == {in_days(28).isoformat()}
    granted = client.post(
        f"{base}/members/{ministry.southerner.id}/attempts",
        json={"course": "police", "attempts": 1, "reason": "appeal upheld"},
        headers=headers,
    )
    assert granted.status_code == 201
    assert start_over_api(client, make, ministry.southerner).status_code == 201
    assert client.delete(f"{base}/assignments/{made['id']}", headers=headers).status_code == 204
    left = client.get(f"{base}/reports/learners", headers=headers).json["learners"]
    assert left == []

    actions = [e.action for e in db.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    for action in ("assignment.due", "attempts.grant", "assignment.cancel"):
        assert actions.count(action) == 2, action
