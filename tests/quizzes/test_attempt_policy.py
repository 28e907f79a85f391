"""No dead ends: confirm before submitting unanswered questions, a result page that says
what happens next, a new set of attempts after a wait, and attempts granted by admins."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.conftest import csrf_token
from tests.progress import complete_modules
from tests.quizzes.test_attempts import answer_all, open_attempt, police, start, submit
from trainer.content.catalogue import catalogue
from trainer.models import Attempt, AttemptGrant, AuditEvent, utcnow
from trainer.quizzes.grants import GrantRefused, grant_attempts

PAGE = "/courses/police/assessment"


def text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def use_all_attempts(client, db, user, days_ago=1):
    """Three submitted attempts without a pass, the last ``days_ago`` days ago."""
    for _ in range(3):
        attempt_id = start(client).split("/")[2]
        submit(client, attempt_id)
        for attempt in db.scalars(select(Attempt).where(Attempt.user_id == user.id)):
            attempt.started_at = utcnow() - timedelta(days=days_ago, hours=1)
            attempt.submitted_at = utcnow() - timedelta(days=days_ago)
        db.commit()
    return attempt_id


def try_to_start(client):
    return client.post(PAGE, data={"csrf_token": csrf_token(client, PAGE)}, follow_redirects=True)


@pytest.fixture
def learner(make, auth):
    user = make.user(profession="police")
    auth.login()
    return user


@pytest.fixture
def ministry(make):
    return make.organisation("moi", "Ministry of the Interior")


@pytest.fixture
def member(make, auth, ministry):
    """A police officer enrolled by her ministry."""
    user = make.user("officer@example.org", profession="police", organisation=ministry)
    auth.login("officer@example.org")
    return user


def test_unanswered_questions_need_a_confirmation_that_lists_them(app, client, db, learner):
    start(client)
    attempt = open_attempt(db, learner)
    token = csrf_token(client, f"/attempts/{attempt.id}")
    sent = client.post(f"/attempts/{attempt.id}/submit", data={"csrf_token": token})
    assert sent.headers["Location"] == f"/attempts/{attempt.id}/confirm"
    assert open_attempt(db, learner) is not None  # nothing graded yet
    page = text(client.get(sent.headers["Location"]))
    count = len(attempt.item_ids)
    assert f"{count} questions have no answer. Unanswered questions count as wrong." in page
    for number in range(1, count + 1):
        assert f'href="/attempts/{attempt.id}/items/{number}"' in page
    assert 'name="confirm" value="unanswered"' in page
    confirmed = client.post(
        f"/attempts/{attempt.id}/submit", data={"csrf_token": token, "confirm": "unanswered"}
    )
    assert confirmed.headers["Location"] == f"/attempts/{attempt.id}/review"
    db.expire_all()
    assert db.get(Attempt, attempt.id).submitted_at is not None


def test_an_attempt_with_every_answer_submits_at_once(app, client, db, learner):
    start(client)
    attempt = open_attempt(db, learner)
    answer_all(client, app, attempt)
    response = submit(client, attempt.id, confirm=False)
    assert response.headers["Location"] == f"/attempts/{attempt.id}/review"
    assert client.get(f"/attempts/{attempt.id}/confirm").headers["Location"].endswith("/review")


def test_the_result_page_says_how_many_attempts_are_left_and_when(app, client, db, learner):
    attempt_id = start(client).split("/")[2]
    submit(client, attempt_id)
    page = text(client.get(f"/attempts/{attempt_id}/review"))
    assert "What happens next" in page
    assert "You have 2 attempts left." in page
    assert "You can start another attempt after" in page


def test_a_self_registered_learner_gets_a_new_set_after_a_week(app, client, db, learner):
    last = use_all_attempts(client, db, learner)
    review = text(client.get(f"/attempts/{last}/review"))
    assert "You have used all 3 attempts at this assessment." in review
    assert re.search(r"A new set of 3 attempts opens at [^<]+ UTC\.", review)
    assert "administrator" not in review
    assert "A new set of 3 attempts opens at" in text(try_to_start(client))
    assert "a new set opens 7 days after the last one" in text(client.get(PAGE))
    for attempt in db.scalars(select(Attempt).where(Attempt.user_id == learner.id)):
        attempt.submitted_at = utcnow() - timedelta(days=7, minutes=1)
    db.commit()
    assert start(client).endswith("/items/1")


def test_a_member_is_sent_to_her_administrator_who_grants_more(
    app, client, db, make, ministry, member
):
    last = use_all_attempts(client, db, member, days_ago=30)
    review = text(client.get(f"/attempts/{last}/review"))
    assert "Your organisation's administrator can give you more attempts." in review
    assert "A new set" not in review
    admin = make.user("admin@moi.example.org", role="org_admin", organisation=ministry)
    with app.test_request_context():
        grant_attempts(db, member, police(app), 2, granted_by=admin, reason="after coaching")
    db.commit()
    attempt_id = start(client).split("/")[2]
    submit(client, attempt_id)
    assert "You have 1 attempt left." in text(client.get(f"/attempts/{attempt_id}/review"))
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "attempts.grant"))
    assert (event.actor_id, event.target_id, event.detail) == (
        admin.id,
        str(member.id),
        {"course": "police", "attempts": 2, "reason": "after coaching"},
    )


def test_only_the_members_own_organisation_or_a_site_admin_may_grant(app, db, make):
    home = make.organisation("moi", "Ministry of the Interior")
    other = make.organisation("moh", "Ministry of Health")
    officer = make.user("officer@example.org", profession="police", organisation=home)
    outsider = make.user("admin@moh.example.org", role="org_admin", organisation=other)
    own_admin = make.user("admin@moi.example.org", role="org_admin", organisation=home)
    colleague = make.user("colleague@example.org", organisation=home)
    site_admin = make.user("root@example.org", role="admin")
    course = police(app)
    with app.test_request_context():
        for refused in (outsider, colleague):
            with pytest.raises(GrantRefused, match="your own organisation"):
                grant_attempts(db, officer, course, 1, granted_by=refused)
        with pytest.raises(GrantRefused, match="from 1 to 5"):
            grant_attempts(db, officer, course, 6, granted_by=own_admin)
        grant_attempts(db, officer, course, 1, granted_by=own_admin)
        self_registered = make.user("self@example.org")
        grant_attempts(db, self_registered, course, 3, granted_by=site_admin)
    db.commit()
    grants = db.scalars(select(AttemptGrant).order_by(AttemptGrant.id)).all()
    assert [(g.user_id, g.attempts, g.granted_by_id) for g in grants] == [
        (officer.id, 1, own_admin.id),
        (self_registered.id, 3, site_admin.id),
    ]


def test_passing_says_the_certificate_is_ready_with_its_link(app, client, db, learner):
    with app.app_context():
        complete_modules(db, learner, catalogue().courses["police"])
    db.commit()
    start(client)
    attempt = open_attempt(db, learner)
    answer_all(client, app, attempt)
    review = text(client.get(submit(client, attempt.id).headers["Location"]))
    assert "Your certificate is ready." in review
    (certificate_link,) = re.findall(r'href="(/certificates/[0-9A-Z]+[0-9A-Z*~$=]\.pdf)"', review)
    assert client.get(certificate_link).status_code == 200


def test_passing_before_reading_everything_says_what_is_left(app, client, db, learner):
    with app.app_context():
        complete_modules(db, learner, catalogue().courses["police"], count=2)
    db.commit()
    start(client)
    attempt = open_attempt(db, learner)
    answer_all(client, app, attempt)
    review = text(client.get(submit(client, attempt.id).headers["Location"]))
    assert "You passed. Read the 2 modules you have not finished yet" in review
    assert "Your certificate is ready." not in review


def test_a_site_admin_sees_where_a_learner_stands_and_grants_attempts(
    app, client, db, make, auth, ministry, member
):
    use_all_attempts(client, db, member, days_ago=30)
    make.user("root@example.org", role="admin")
    auth.logout()
    auth.login("root@example.org")
    users = text(client.get("/admin/users"))
    page_path = f"/admin/users/{member.id}/attempts"
    assert f'href="{page_path}"' in users
    page = text(client.get(page_path))
    assert re.search(
        r"<td>Policing[^<]*</td> <td>3</td> <td>0</td> <td>no attempts left</td>", page
    )
    assert "<td>0</td> <td>3</td> <td>not started</td>" in page  # the other courses
    token = csrf_token(client, page_path)
    refused = client.post(
        page_path, data={"csrf_token": token, "course": "police", "attempts": "9"},
        follow_redirects=True,
    )  # fmt: skip
    assert "Grant from 1 to 5 attempts at a time." in text(refused)
    granted = client.post(
        page_path,
        data={"csrf_token": token, "course": "police", "attempts": "2", "reason": "appeal"},
        follow_redirects=True,
    )
    assert "Test Learner has 2 more attempts at" in text(granted)
    assert re.search(
        r"<td>Policing[^<]*</td> <td>3</td> <td>2</td> <td>not passed</td>", text(granted)
    )
    grant = db.scalar(select(AttemptGrant))
    assert (grant.user_id, grant.attempts, grant.reason) == (member.id, 2, "appeal")
