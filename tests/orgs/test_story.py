"""The issue's "done when", end to end through the pages a ministry admin uses.

An org admin uploads a staff list, assigns the police curriculum to one region
with a due date, and the next day sees completion by district, exports it and
sees which indicators officers missed — while the admin of another ministry
cannot see any of it.
"""

from __future__ import annotations

import html
import io
import re
from datetime import date, timedelta

from sqlalchemy import select

from tests.conftest import csrf_token
from trainer.models import Attempt, ModuleCompletion, User, utcnow

STAFF = """email;full_name;profession;unit
a.mensah@moi.example;Ama Mensah;police;North/District 4
d.ivanova@moi.example;Дарья Иванова;police;Station A
r.haddad@moi.example;رنا حداد;police;South/District 9
"""


def test_a_ministry_admin_from_staff_list_to_indicators(app, client, auth, db, ministry, inbox):
    slug = ministry.slug
    auth.login("admin@moi.example")
    enrol = f"/orgs/{slug}/enrolments"
    preview = client.post(
        enrol,
        data={
            "csrf_token": csrf_token(client, enrol),
            "file": (io.BytesIO(("\ufeff" + STAFF).encode()), "staff.csv"),
        },
    ).get_data(as_text=True)
    upload = re.search(r'name="upload" type="hidden" value="([0-9a-f]+)"', preview).group(1)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', preview).group(1)
    client.post(f"{enrol}/confirm", data={"csrf_token": token, "upload": upload})
    assert len(inbox.messages) == 3  # three invitations

    due = date.today() + timedelta(days=1)
    page = f"/orgs/{slug}/assignments"
    client.post(
        page,
        data={
            "csrf_token": csrf_token(client, page),
            "curriculum": "police-default",
            "unit": str(ministry.north.id),
            "due": due.isoformat(),
        },
    )

    # Overnight: Ama finishes the core course and misses the first item.
    core = app.extensions["trainer.content"].courses["core"]
    ama = db.scalar(select(User).where(User.email == "a.mensah@moi.example"))
    for module in core.modules:
        db.add(
            ModuleCompletion(
                user_id=ama.id,
                course_slug="core",
                module_slug=module.slug,
                course_version=core.version,
            )
        )
    missed, right = core.items[0], core.items[1]
    db.add(
        Attempt(
            id="story1",
            user_id=ama.id,
            course_slug="core",
            course_version=core.version,
            seed=1,
            item_ids=[missed.id, right.id],
            item_versions={},
            presentation={},
            answers={},
            submitted_at=utcnow(),
            score=1,
            max_score=2,
            passed=True,
            results={missed.id: {"score": 0.0}, right.id: {"score": 1.0}},
        )
    )
    db.commit()

    report = client.get(f"/orgs/{slug}/reports?unit={ministry.north.id}").get_data(as_text=True)
    assert "North/District 4" in report
    # By person: Ama, Дарья and the officer, two courses each; nobody finished both.
    assert "North/District 4: 0% (0 of 3 people)." in report
    courses = client.get(f"/orgs/{slug}/reports/courses?unit={ministry.north.id}")
    assert "North/District 4: 17% (1 of 6 assigned courses)." in courses.get_data(as_text=True)
    export = client.get(f"/orgs/{slug}/reports/completion.csv?unit={ministry.north.id}")
    assert "North/District 4,police,core,3,1,1,0,0" in export.get_data(as_text=True)
    insight = client.get(f"/orgs/{slug}/insight?course=core").get_data(as_text=True)
    assert missed.id not in insight  # items are named by their text
    assert re.sub(r"<[^>]+>", "", missed.stem).split("\n")[0][:30] in html.unescape(insight)
    if missed.indicators:
        indicators = app.extensions["trainer.content"].indicators
        assert indicators[missed.indicators[0]].title in insight

    auth.logout()
    auth.login("admin@moh.example")
    for path in ("reports", "reports/completion.csv", "insight", "members", "audit"):
        assert client.get(f"/orgs/{slug}/{path}").status_code == 404
