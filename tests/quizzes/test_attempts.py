"""Attempts as a learner meets them: start, leave, resume, submit once, review."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.conftest import csrf_token, run_together
from trainer.content.catalogue import catalogue
from trainer.models import Attempt, utcnow

COURSE = "police"


def police(app):
    with app.app_context():
        return catalogue().courses[COURSE]


def form_for(item, key):
    """The form fields a learner would send to answer ``item`` with ``key``."""
    if item.type in ("single", "classification"):
        return [{"answer": key[0] if isinstance(key, list) else key}]
    if item.type == "multiple":
        return [{"answer": key}]
    if item.type == "ordering":
        return [{f"position-{step}": str(n) for n, step in enumerate(key, 1)}]
    return [{"action": "choose", "choice": choice} for choice in key]


def item_of_type(app, attempt, item_type):
    """The position and the item of the first ``item_type`` item in the attempt."""
    course = police(app)
    return next(
        (n, course.item(i))
        for n, i in enumerate(attempt.item_ids, 1)
        if course.item(i).type == item_type
    )


def start(client):
    page = "/courses/police/assessment"
    response = client.post(page, data={"csrf_token": csrf_token(client, page)})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def answer(client, attempt_id, number, fields, action="next"):
    path = f"/attempts/{attempt_id}/items/{number}"
    data = {"csrf_token": csrf_token(client, path), "action": action, **fields}
    return client.post(path, data=data)


def answer_all(client, app, attempt, wrong=False):
    course = police(app)
    for number, item_id in enumerate(attempt.item_ids, 1):
        item = course.item(item_id)
        key = item.item_type.key(item)
        if wrong:
            continue
        for fields in form_for(item, key):
            fields.setdefault("action", "next")
            assert (
                answer(client, attempt.id, number, fields, fields.pop("action")).status_code == 302
            )


def submit(client, attempt_id, confirm=True):
    """Submit as from the confirmation page (``confirm``), which unanswered questions need."""
    # The CSRF token belongs to the session: any signed-in page has it.
    data = {"csrf_token": csrf_token(client, "/account")}
    if confirm:
        data["confirm"] = "unanswered"
    return client.post(f"/attempts/{attempt_id}/submit", data=data)


@pytest.fixture
def learner(make, auth):
    user = make.user(profession="police")
    auth.login()
    return user


def open_attempt(db, user):
    db.expire_all()
    return db.scalar(
        select(Attempt).where(Attempt.user_id == user.id, Attempt.submitted_at.is_(None))
    )


def test_the_whole_assessment_without_javascript(app, client, db, learner):
    assert start(client).endswith("/items/1")
    attempt = open_attempt(db, learner)
    answer_all(client, app, attempt)
    overview = client.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    assert "not answered" not in overview
    assert submit(client, attempt.id).headers["Location"] == f"/attempts/{attempt.id}/review"
    review = client.get(f"/attempts/{attempt.id}/review").get_data(as_text=True)
    assert "Passed" in review and "100% (" in review
    course = police(app)
    for item_id in attempt.item_ids:
        assert course.item(item_id).explanation in review  # every item explains why
    assert "The strongest path" in review  # the branching scenario is reviewed step by step


def test_leave_and_come_back_resumes_at_the_first_unanswered_item(app, client, db, learner, auth):
    start(client)
    attempt = open_attempt(db, learner)
    course = police(app)
    first = course.item(attempt.item_ids[0])
    for fields in form_for(first, first.item_type.key(first)):
        answer(client, attempt.id, 1, fields, fields.pop("action", "next"))
    auth.logout()  # closing the browser: a new session later
    auth.login()
    assert start(client).endswith(f"/attempts/{attempt.id}/items/2")
    page = client.get(f"/attempts/{attempt.id}/items/1").get_data(as_text=True)
    shown = {"ordering": "selected", "branching": "You chose:"}.get(first.type, "checked")
    assert shown in page  # the saved answer is shown again


def test_nothing_gives_the_answer_away_before_submission(app, client, db, learner):
    start(client)
    attempt = open_attempt(db, learner)
    course = police(app)
    for number, item_id in enumerate(attempt.item_ids, 1):
        page = client.get(f"/attempts/{attempt.id}/items/{number}").get_data(as_text=True)
        item = course.item(item_id)
        assert item.explanation not in page
        spec_feedback = [getattr(o, "feedback", "") for o in getattr(item.spec, "options", ())]
        spec_feedback += [s.feedback for s in getattr(item.spec, "steps", ())]
        spec_feedback += list(getattr(item.spec, "feedback", {}).values())
        for node in getattr(item.spec, "nodes", {}).values():
            spec_feedback += [c.feedback for c in node.choices]
        for text in spec_feedback:
            assert text not in page, (item_id, text)
        assert 'value="correct"' not in page and "score" not in page.lower()


def test_the_api_hides_keys_scores_and_feedback_until_submitted(client, make, db):
    user = make.user("api@example.org", profession="police")
    headers = make.api_headers(user)
    started = client.post("/api/v1/courses/police/attempts", headers=headers)
    assert started.status_code == 201
    body = started.get_data(as_text=True)
    for secret in ('"correct"', '"feedback"', '"explanation"', '"key"', '"score"', '"passed"'):
        assert secret not in body
    again = client.post("/api/v1/courses/police/attempts", headers=headers)
    assert again.status_code == 200 and again.json["attempt"]["id"] == started.json["attempt"]["id"]


def test_time_limit_is_enforced_on_the_server(app, client, db, learner):
    start(client)
    attempt = open_attempt(db, learner)
    course = police(app)
    first = course.item(attempt.item_ids[0])
    for fields in form_for(first, first.item_type.key(first)):
        answer(client, attempt.id, 1, fields, fields.pop("action", "next"))
    attempt.deadline_at = utcnow() - timedelta(minutes=5)
    db.commit()
    second = course.item(attempt.item_ids[1])
    late = form_for(second, second.item_type.key(second))[0]
    response = answer(client, attempt.id, 2, late, late.pop("action", "next"))
    assert response.status_code == 302
    db.expire_all()
    graded = db.get(Attempt, attempt.id)
    assert graded.submitted_at is not None
    assert set(graded.answers) == {first.id}  # the late answer did not count
    assert "Time is up" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_submitting_twice_gives_one_result(app, client, db, learner):
    start(client)
    attempt = open_attempt(db, learner)
    submit(client, attempt.id)
    db.expire_all()
    first = db.get(Attempt, attempt.id)
    stamp, results = first.submitted_at, dict(first.results)
    assert first.score == 0 and first.passed is False  # unanswered items count as wrong
    assert submit(client, attempt.id).status_code == 302
    db.expire_all()
    again = db.get(Attempt, attempt.id)
    assert (again.submitted_at, again.results) == (stamp, results)
    assert len(db.scalars(select(Attempt).where(Attempt.user_id == learner.id)).all()) == 1


def test_attempt_limits_and_cool_down(app, client, db, learner):
    submit(client, start(client).split("/")[2])
    page = "/courses/police/assessment"
    blocked = client.post(
        page, data={"csrf_token": csrf_token(client, page)}, follow_redirects=True
    )
    assert "You can start a new attempt at" in blocked.get_data(as_text=True)
    for _ in range(2):
        for attempt in db.scalars(select(Attempt).where(Attempt.user_id == learner.id)):
            if attempt.submitted_at:
                attempt.submitted_at = utcnow() - timedelta(days=1)
        db.commit()
        submit(client, start(client).split("/")[2])
    for attempt in db.scalars(select(Attempt).where(Attempt.user_id == learner.id)):
        attempt.submitted_at = utcnow() - timedelta(days=1)
    db.commit()
    final = client.post(page, data={"csrf_token": csrf_token(client, page)}, follow_redirects=True)
    assert "You have used all 3 attempts" in final.get_data(as_text=True)


def test_someone_elses_attempt_is_not_found(app, client, db, make, auth, learner):
    start(client)
    attempt = open_attempt(db, learner)
    auth.logout()
    other = make.user("other@example.org", profession="police")
    auth.login("other@example.org")
    for path in (
        f"/attempts/{attempt.id}",
        f"/attempts/{attempt.id}/items/1",
        f"/attempts/{attempt.id}/review",
    ):
        assert client.get(path).status_code == 404
    api = client.post(
        f"/api/v1/attempts/{attempt.id}/submit", json={}, headers=make.api_headers(other)
    )
    assert api.status_code == 404


def test_ordering_needs_distinct_positions(app, client, db, learner):
    start(client)
    attempt = open_attempt(db, learner)
    number, item = item_of_type(app, attempt, "ordering")
    fields = {f"position-{s.id}": "1" for s in item.spec.steps}
    response = answer(client, attempt.id, number, fields)
    assert response.status_code == 400
    assert "Use each position once" in response.get_data(as_text=True)


def test_branching_scenario_can_be_walked_and_restarted(app, client, db, learner):
    start(client)
    attempt = open_attempt(db, learner)
    number, item = item_of_type(app, attempt, "branching")
    first_choice = item.item_type.key(item)[0]
    answer(client, attempt.id, number, {"choice": first_choice}, "choose")
    page = client.get(f"/attempts/{attempt.id}/items/{number}").get_data(as_text=True)
    assert "You chose:" in page
    answer(client, attempt.id, number, {}, "restart")
    db.expire_all()
    assert item.id not in db.get(Attempt, attempt.id).answers
    missing = answer(client, attempt.id, number, {}, "choose")
    assert missing.status_code == 400 and "Choose what you would do" in missing.get_data(
        as_text=True
    )


def test_api_flow_with_answers_saved_and_submitted(client, make, db, app):
    user = make.user("api@example.org", profession="police")
    headers = make.api_headers(user)
    attempt = client.post("/api/v1/courses/police/attempts", headers=headers).json["attempt"]
    course = police(app)
    keys = {
        i["id"]: course.item(i["id"]).item_type.key(course.item(i["id"])) for i in attempt["items"]
    }
    answers = {}
    for item_id, key in keys.items():
        item = course.item(item_id)
        answers[item_id] = key[0] if item.type == "single" else key
    bad = client.put(
        f"/api/v1/attempts/{attempt['id']}/answers",
        headers=headers,
        json={"answers": {next(iter(keys)): "no-such-option"}},
    )
    assert bad.status_code == 400 and bad.json["error"]["code"] == "invalid_answer"
    first_id = next(iter(keys))
    saved = client.put(
        f"/api/v1/attempts/{attempt['id']}/answers",
        headers=headers,
        json={"answers": {first_id: answers[first_id]}},
    )
    assert saved.status_code == 200
    result = client.post(
        f"/api/v1/attempts/{attempt['id']}/submit", headers=headers, json={"answers": answers}
    ).json["attempt"]
    assert result["passed"] is True and result["percent"] == 100.0
    assert [i["id"] for i in result["items"]] == [i["id"] for i in attempt["items"]]
    assert all(i["correct"] and i["feedback"] for i in result["items"])
    review = client.get(result["review_url"], headers=headers).json["attempt"]
    assert review["score"] == result["score"]
    assert all(i["correct"] and i["feedback"] and i["explanation"] for i in review["items"])
    repeat = client.post(
        f"/api/v1/attempts/{attempt['id']}/submit", headers=headers, json={"answers": {}}
    ).json["attempt"]
    assert repeat["submitted_at"] == result["submitted_at"] and repeat["score"] == result["score"]
    progress = client.get("/api/v1/me/progress", headers=headers).json["progress"]
    police_progress = next(p for p in progress if p["course"] == "police")
    assert police_progress["attempts"][0]["passed"] is True


def test_concurrent_submits_grade_exactly_once(app, committed_learner):
    headers = committed_learner.headers
    attempt = (
        app.test_client().post("/api/v1/courses/police/attempts", headers=headers).json["attempt"]
    )
    responses = []

    def submit_now():
        url = f"/api/v1/attempts/{attempt['id']}/submit"
        responses.append(app.test_client().post(url, headers=headers, json={"answers": {}}))

    run_together(6, submit_now)
    assert [r.status_code for r in responses] == [200] * 6
    stamps = {r.json["attempt"]["submitted_at"] for r in responses}
    assert len(stamps) == 1


def test_concurrent_starts_open_one_attempt(app, committed_learner):
    headers = committed_learner.headers
    ids = []

    def start_now():
        response = app.test_client().post("/api/v1/courses/police/attempts", headers=headers)
        ids.append((response.status_code, response.json["attempt"]["id"]))

    run_together(5, start_now)
    assert len({attempt_id for _status, attempt_id in ids}) == 1
    assert sorted(status for status, _id in ids).count(201) == 1


def test_review_before_submission_redirects_to_the_overview(client, db, learner):
    start(client)
    attempt = open_attempt(db, learner)
    response = client.get(f"/attempts/{attempt.id}/review")
    assert response.headers["Location"] == f"/attempts/{attempt.id}"
    assert re.search(
        r"Submit my answers", client.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    )
