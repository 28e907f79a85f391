"""Time on task: nothing is marked complete, nor credited, faster than it can be read.

Real time arithmetic on stored timestamps: the tests move first openings into the
past in the database rather than sleeping.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from tests.certificates.helpers import answers_for
from tests.conftest import csrf_token
from trainer.content.catalogue import catalogue
from trainer.licensing.timing import credited_hours, earliest_completion
from trainer.models import Certificate, ModuleCompletion, ModuleOpening, utcnow


@pytest.fixture
def share(app):
    """Turn time on task on (the test app has it off) at the default share."""
    app.config["READING_TIME_SHARE"] = 0.5
    yield 0.5
    app.config["READING_TIME_SHARE"] = 0.0


def health(app):
    with app.app_context():
        return catalogue().courses["health"]


def opened_ago(db, user, minutes, module_slug=None):
    """Move the learner's first openings ``minutes`` into the past."""
    statement = update(ModuleOpening).where(ModuleOpening.user_id == user.id)
    if module_slug:
        statement = statement.where(ModuleOpening.module_slug == module_slug)
    db.execute(statement.values(opened_at=utcnow() - timedelta(minutes=minutes)))
    db.commit()


def test_the_arithmetic():
    start = utcnow()
    assert earliest_completion(start, 16, 0.5) == start + timedelta(minutes=8)
    assert credited_hours(1.25, start, start + timedelta(minutes=44)) == 0.5
    assert credited_hours(1.25, start, start + timedelta(minutes=45)) == 0.75
    assert credited_hours(1.25, start, start + timedelta(hours=3)) == 1.25


def test_the_page_refuses_an_early_completion_and_says_when(app, client, make, auth, db, share):
    learner = make.user()
    auth.login()
    course = health(app)
    module = course.modules[0]
    page_url = f"/courses/health/modules/{module.slug}"
    token = csrf_token(client, page_url)  # opening the page starts the clock
    (opening,) = db.scalars(select(ModuleOpening).where(ModuleOpening.user_id == learner.id))
    response = client.post(f"{page_url}/complete", data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"].endswith(page_url)
    page = client.get(page_url).get_data(as_text=True)
    assert "can be marked complete from" in page and "(UTC)" in page
    assert (
        db.scalar(select(ModuleCompletion.id).where(ModuleCompletion.user_id == learner.id)) is None
    )

    opened_ago(db, learner, module.minutes * share + 1)
    response = client.post(f"{page_url}/complete", data={"csrf_token": token})
    assert response.status_code == 302
    assert (
        db.scalar(
            select(ModuleCompletion.module_slug).where(ModuleCompletion.user_id == learner.id)
        )
        == module.slug
    )
    assert opening.opened_at is not None


def test_the_api_answers_409_naming_the_time(app, client, make, db, share):
    learner = make.user()
    headers = make.api_headers(learner)
    module = health(app).modules[1]
    base = f"/api/v1/courses/health/modules/{module.slug}"
    # Completing without opening first starts the clock and is refused.
    refused = client.post(f"{base}/complete", headers=headers)
    assert refused.status_code == 409
    error = refused.json["error"]
    assert error["code"] == "too_early" and "can be marked complete from 20" in error["message"]
    shown = client.get(base, headers=headers).json["module"]
    assert shown["complete_from"] in error["message"]
    assert shown["minutes"] == module.minutes

    opened_ago(db, learner, module.minutes)  # the whole estimate has passed
    assert client.post(f"{base}/complete", headers=headers).status_code == 201


def _finish_via_api(client, app, headers):
    course = health(app)
    for module in course.modules:
        url = f"/api/v1/courses/health/modules/{module.slug}/complete"
        assert client.post(url, headers=headers).status_code in (200, 201)
    attempt = client.post("/api/v1/courses/health/attempts", headers=headers).json["attempt"]
    result = client.post(
        f"/api/v1/attempts/{attempt['id']}/submit",
        headers=headers,
        json={"answers": answers_for(course, attempt)},
    )
    assert result.json["attempt"]["passed"]


@pytest.mark.parametrize(("minutes_ago", "hours"), [(45, 0.75), (240, 1.25)])
def test_a_certificate_never_claims_more_hours_than_could_be_spent(
    app, client, make, db, share, minutes_ago, hours
):
    learner = make.user()
    headers = make.api_headers(learner)
    for module in health(app).modules:
        client.get(f"/api/v1/courses/health/modules/{module.slug}", headers=headers)
    opened_ago(db, learner, minutes_ago)
    _finish_via_api(client, app, headers)
    certificate = db.scalar(select(Certificate).where(Certificate.user_id == learner.id))
    assert certificate.hours == hours  # the course offers 1.25; 45 minutes earn 0.75


def test_share_zero_turns_it_off(app, client, make, db):
    assert app.config["READING_TIME_SHARE"] == 0.0
    learner = make.user()
    headers = make.api_headers(learner)
    _finish_via_api(client, app, headers)  # every module completed the moment it is asked
    certificate = db.scalar(select(Certificate).where(Certificate.user_id == learner.id))
    assert certificate.hours == 1.25


def test_the_setting_is_read_and_checked(tmp_path, monkeypatch):
    from trainer.config import load_settings

    monkeypatch.setenv("TRAINER_READING_TIME_SHARE", "0")
    assert load_settings(tmp_path)["READING_TIME_SHARE"] == 0.0
    monkeypatch.delenv("TRAINER_READING_TIME_SHARE")
    assert load_settings(tmp_path)["READING_TIME_SHARE"] == 0.5
    monkeypatch.setenv("TRAINER_READING_TIME_SHARE", "half")
    with pytest.raises(ValueError, match="from 0 to 1"):
        load_settings(tmp_path)


def test_progress_from_before_openings_starts_the_clock_at_the_first_completion(
    app, make, db, share
):
    from tests.progress import complete_modules
    from trainer.licensing.timing import course_hours_cap

    learner = make.user()
    course = health(app)
    complete_modules(db, learner, course)  # straight to the table: no openings recorded
    db.execute(
        update(ModuleCompletion)
        .where(ModuleCompletion.user_id == learner.id)
        .values(completed_at=utcnow() - timedelta(minutes=50))
    )
    db.commit()
    with app.app_context():
        assert course_hours_cap(db, learner, course, 1.25) == 0.75
