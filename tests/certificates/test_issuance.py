"""Issuance: exactly once per learner and course version, when the course is complete."""

from __future__ import annotations

import logging
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from tests.certificates.helpers import answers_for, finish_course, pass_course_via_api
from tests.conftest import run_together
from tests.progress import approve, place
from trainer import db as trainer_db
from trainer.certificates import services
from trainer.certificates.ids import format_certificate_id
from trainer.content.catalogue import catalogue
from trainer.models import (
    AuditEvent,
    Certificate,
    User,
)


def test_passing_the_health_course_issues_a_certificate_and_emails_it(
    app, client, make, db, caplog
):
    approve(app, db, "us-mi-licensee-training", "health-organisation")
    nurse = make.user(
        "nurse@example.org",
        full_name="Amira Haddad",
        licence_type="nurse",
        licence_number="RN 4410021",
        licensing_board="Michigan Board of Nursing",
    )
    place(db, nurse, "US-MI", "nurse")
    headers = make.api_headers(nurse)
    assert client.get("/api/v1/me/certificates", headers=headers).json == {"certificates": []}
    with caplog.at_level(logging.INFO, logger="trainer.mail"):
        pass_course_via_api(client, app, headers)
    listed = client.get("/api/v1/me/certificates", headers=headers).json["certificates"]
    assert len(listed) == 1
    certificate = listed[0]
    assert certificate["status"] == "valid"
    assert certificate["name"] == "Amira Haddad"
    assert certificate["hours"] == 1.25
    assert certificate["completed_on"] == date.today().isoformat()
    # A Michigan nurse: Michigan's rule (approval held); never Florida's or Texas's.
    assert [r["slug"] for r in certificate["requirements"]] == ["us-mi-licensee-training"]
    assert certificate["license"] == {
        "type": "nurse",
        "number": "******0021",
        "board": "Michigan Board of Nursing",
    }
    canonical = certificate["id"].replace("-", "")
    assert certificate["pdf_url"].endswith(f"/certificates/{canonical}.pdf")
    mail = [r.getMessage() for r in caplog.records if "Your certificate" in r.getMessage()]
    assert len(mail) == 1 and certificate["id"] in mail[0]


def test_no_certificate_before_the_assessment_is_passed(app, client, make, db):
    learner = make.user()
    headers = make.api_headers(learner)
    with app.app_context():
        course = catalogue().courses["health"]
    for module in course.modules:
        client.post(f"/api/v1/courses/health/modules/{module.slug}/complete", headers=headers)
    assert client.get("/api/v1/me/certificates", headers=headers).json["certificates"] == []


def test_issuing_again_returns_the_same_certificate(app, make, db):
    learner = make.user()
    first = finish_course(app, db, learner)
    with app.app_context():
        course = catalogue().courses["health"]
        again = services.issue_if_complete(
            db, learner, course, catalogue(), services.issuer_of(app)
        )
        twice, created = services.issue_certificate(
            db, learner, course, catalogue(), services.issuer_of(app), completed_on=date.today()
        )
    assert again.id == first.id == twice.id and not created
    assert db.scalar(select(func.count()).select_from(Certificate)) == 1


def test_the_learner_sees_certificates_on_the_dashboard(app, client, make, db, auth):
    learner = make.user()
    certificate = finish_course(app, db, learner)
    auth.login()
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Certificates" in page and f"/certificates/{certificate.id}.pdf" in page
    listing = client.get("/certificates").get_data(as_text=True)
    assert format_certificate_id(certificate.id) in listing


def test_a_police_officer_satisfies_the_ministry_rule_not_the_nursing_ones(app, make, db):
    officer = make.user("officer@example.org", profession="police")
    finish_course(app, db, officer, "core")
    certificate = finish_course(app, db, officer, "police")
    slugs = {r["slug"] for r in certificate.requirements}
    assert "us-mi-licensee-training" not in slugs


def test_revoke_and_reissue(app, make, db):
    learner = make.user(full_name="Jon Smiht")
    original = finish_course(app, db, learner)
    learner.full_name = "Jon Smith"
    db.commit()
    with app.app_context():
        replacement = services.reissue_certificate(
            db, original, services.issuer_of(app), None, "Name misspelt at registration"
        )
        db.commit()
        assert original.status(date.today()) == "superseded"
        assert original.superseded_by_id == replacement.id
        assert replacement.name == "Jon Smith" and replacement.hours == original.hours
        with pytest.raises(services.CertificateError, match="Only a valid"):
            services.reissue_certificate(db, original, services.issuer_of(app), None, "again")
        services.revoke_certificate(db, replacement, "Issued in error", None)
        db.commit()
        assert replacement.status(date.today()) == "revoked"
        with pytest.raises(services.CertificateError, match="already revoked"):
            services.revoke_certificate(db, replacement, "Twice", None)
        with pytest.raises(services.CertificateError, match="reason"):
            services.revoke_certificate(db, original, "  ", None)
    actions = set(db.scalars(select(AuditEvent.action)))
    assert {"certificate.reissue", "certificate.revoke"} <= actions


def test_expiry_follows_the_renewal_of_every_rule_met(app, make, db):
    approve(app, db, "us-tx-hhsc-116")
    learner = place(db, make.user(profession="health"), "US-TX", "pharmacist")
    certificate = finish_course(app, db, learner)
    texas = next(r for r in certificate.requirements if r["slug"] == "us-tx-hhsc-116")
    # …while Texas's rule renews every two years, and the record says when.
    assert (
        texas["valid_until"]
        == certificate.completed_on.replace(year=certificate.completed_on.year + 2).isoformat()
    )
    # Every rule it meets renews, so the certificate expires with the last of them.
    assert certificate.valid_until.isoformat() == texas["valid_until"]
    certificate.valid_until = date.today() - timedelta(days=1)
    assert certificate.status(date.today()) == "expired"


def test_concurrent_completions_issue_exactly_one_certificate(app, committed_learner):
    """Several requests finishing the course at once: one certificate, one email."""
    client = app.test_client()
    headers = committed_learner.headers
    with app.app_context():
        course = catalogue().courses["health"]
    *first, last = course.modules
    for module in first:
        client.post(f"/api/v1/courses/health/modules/{module.slug}/complete", headers=headers)
    attempt = client.post("/api/v1/courses/health/attempts", headers=headers).json["attempt"]
    client.post(
        f"/api/v1/attempts/{attempt['id']}/submit",
        headers=headers,
        json={"answers": answers_for(course, attempt)},
    )
    statuses = []

    def finish_last_module():
        url = f"/api/v1/courses/health/modules/{last.slug}/complete"
        statuses.append(app.test_client().post(url, headers=headers).status_code)

    run_together(6, finish_last_module)
    assert sorted(statuses) == [200] * 5 + [201]
    with app.app_context():
        count = trainer_db.session().scalar(
            select(func.count())
            .select_from(Certificate)
            .where(Certificate.user_id == committed_learner.id)
        )
    assert count == 1


def test_racing_issuers_store_one_certificate(app, committed_learner):
    """The unique index decides when two processes issue at the same instant."""
    ids = []

    def issue_now():
        with app.app_context():
            session = trainer_db.session()
            user = session.get(User, committed_learner.id)
            certificate, _created = services.issue_certificate(
                session,
                user,
                catalogue().courses["media"],
                catalogue(),
                services.issuer_of(app),
                completed_on=date.today(),
            )
            session.commit()
            ids.append(certificate.id)

    run_together(6, issue_now)
    assert len(ids) == 6 and len(set(ids)) == 1
