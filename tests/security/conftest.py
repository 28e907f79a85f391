"""A small world for the probes: one learner who owns things, and everyone who must not see them.

The six roles of the authorisation matrix each get a browser (a signed-in test
client) and an API token:

- ``anonymous``: nobody signed in, no token;
- ``learner``: a member of the Ministry of Interior who owns a certificate, an
  open attempt, an API token and a password-reset (invitation) link;
- ``other_learner``: a colleague in the same unit, who owns none of it;
- ``foreign_admin``: the org admin of another organisation;
- ``verifier``: a licensing board's verifier;
- ``admin``: a site admin.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests.certificates.helpers import finish_course
from tests.conftest import CSRF_PATTERN, Factories
from trainer.accounts.services import (
    create_api_token,
    issue_password_reset,
    start_login_session,
)
from trainer.certificates.ids import format_certificate_id
from trainer.content.catalogue import catalogue
from trainer.models import (
    Assignment,
    Attempt,
    Certificate,
    EnrolmentUpload,
    OrgUnit,
    ProviderApproval,
    User,
)
from trainer.orgs.assignments import AssignmentRequest, create_assignment
from trainer.orgs.scope import Scope
from trainer.orgs.units import create_unit
from trainer.quizzes.services import start_attempt

ROLES = ("anonymous", "learner", "other_learner", "foreign_admin", "verifier", "admin")

#: A staff list the admin may upload: one new person into the North unit.
STAFF_CSV = b"email,full_name,profession,unit\nnew.officer@moi.example,New Officer,police,North\n"


@dataclass
class World:
    """Everything a URL parameter can name, owned by the learner or their organisation."""

    app: Flask
    db: Session
    users: dict[str, User]
    org_slug: str
    unit: OrgUnit
    other_unit: OrgUnit
    org_admin: User  # the organisation's own admin: a target, not one of the roles
    certificate: Certificate
    attempt: Attempt
    assignment: Assignment
    upload: EnrolmentUpload
    reset_token: str
    learner_token_id: int
    api_tokens: dict[str, str] = field(default_factory=dict)
    #: A provider approval on record, for the admin's approvals pages.
    approval_id: int = 0
    spare_assignments: list[Assignment] = field(default_factory=list)  # for cancelling

    @property
    def cert_id(self) -> str:
        return format_certificate_id(self.certificate.id)

    def url_values(self) -> dict[str, Any]:
        """A real value for every URL parameter name in the app's URL map."""
        return {
            "cert_id": self.cert_id,
            "attempt_id": self.attempt.id,
            "number": 1,
            "course_slug": self.attempt.course_slug,
            "module_slug": catalogue_module(self.app, self.attempt.course_slug),
            "filename": "images/map.png",
            "org_slug": self.org_slug,
            "unit_id": self.unit.id,
            "user_id": self.users["learner"].id,
            "assignment_id": self.assignment.id,
            "token": self.reset_token,
            "token_id": self.learner_token_id,
            "thumbprint": self.certificate.key_id,
            "list_number": self.certificate.status_list or 1,
            "approval_id": self.approval_id,
        }

    def api_headers(self, role: str) -> dict[str, str]:
        token = self.api_tokens.get(role)
        return {"Authorization": f"Bearer {token}"} if token else {}

    def browser(self, role: str) -> FlaskClient:
        """A fresh test client, signed in as ``role`` with a login session of its own."""
        client = self.app.test_client()
        if role != "anonymous":
            sign_in(client, self.db, self.users[role])
        return client


def catalogue_module(app: Flask, course_slug: str) -> str:
    with app.app_context():
        return catalogue().courses[course_slug].modules[0].slug


def sign_in(client: FlaskClient, db: Session, user: User) -> None:
    """Put a new login session in ``client``'s cookie, as a successful sign-in would.

    The sign-in form itself is probed in test_sessions.py; here it would only
    spend rate-limit budget and time.
    """
    login = start_login_session(db, user, remember=False, user_agent="probe")
    db.commit()
    with client.session_transaction() as session:
        session["_user_id"] = login.token
        session["_fresh"] = True


def page_csrf_token(client: FlaskClient) -> str:
    """The CSRF token of ``client``'s session, read from a form page as a browser would."""
    page = client.get("/account/reset").get_data(as_text=True)
    match = CSRF_PATTERN.search(page)
    assert match, "the password-reset page has no CSRF token"
    return match.group(1)


def _people(make: Factories, org, other) -> dict[str, User]:
    return {
        "learner": make.user(
            "learner@moi.example",
            organisation=org,
            full_name="Lena Learner",
            licence_type="nurse",
            licence_number="RN-100200",
            licensing_board="Michigan Board of Nursing",
        ),
        "other_learner": make.user(
            "colleague@moi.example", organisation=org, full_name="Cole Colleague"
        ),
        "foreign_admin": make.user(
            "admin@moh.example", role="org_admin", organisation=other, full_name="Otto Other"
        ),
        "verifier": make.user("verifier@board.example", role="verifier", full_name="Vera Verifier"),
        "admin": make.user("root@trainer.example", role="admin", full_name="Site Admin"),
    }


@pytest.fixture
def world(app: Flask, db: Session, make: Factories) -> World:
    org = make.organisation("moi", "Ministry of Interior")
    other = make.organisation("moh", "Ministry of Health")
    whole = Scope(org)
    north = create_unit(db, whole, name="North", kind="region", parent=None)
    south = create_unit(db, whole, name="South", kind="region", parent=None)
    create_unit(db, Scope(other), name="Capital", kind="region", parent=None)
    db.commit()
    users = _people(make, org, other)
    users["learner"].unit_id = users["other_learner"].unit_id = north.id
    org_admin = make.user(
        "admin@moi.example", role="org_admin", organisation=org, full_name="Ada Admin"
    )
    db.commit()
    certificate = finish_course(app, db, users["learner"], "health")
    with app.app_context():
        content = catalogue()
        attempt, _created = start_attempt(db, users["learner"], content.courses["core"])
        assignment = create_assignment(
            db,
            whole,
            content,
            AssignmentRequest(due=date.today() + timedelta(days=30), curriculum="police-default"),
            actor=org_admin,
            today=date.today(),
        )
        reset_token = issue_password_reset(db, users["learner"], 3600)
    record, _token = create_api_token(db, users["learner"], "learner's script")
    upload = EnrolmentUpload(
        id="0" * 31 + "1",
        organisation_id=org.id,
        uploaded_by_id=users["admin"].id,
        filename="staff.csv",
        content=STAFF_CSV,
    )
    db.add(upload)
    db.commit()
    world = World(
        app, db, users, org.slug, north, south, org_admin, certificate, attempt, assignment,
        upload, reset_token, record.id,
    )  # fmt: skip
    with app.app_context():
        world.spare_assignments = [
            create_assignment(
                db,
                whole,
                catalogue(),
                AssignmentRequest(
                    due=date.today() + timedelta(days=9), curriculum="police-default"
                ),
                actor=None,
                today=date.today(),
            )
            for _page_then_api in range(2)
        ]
    for role, user in users.items():
        _record, world.api_tokens[role] = create_api_token(db, user, "probe")
    approval = ProviderApproval(
        requirement_slug="us-tx-hhsc-116", approval_number="HT-1", approving_body="HHSC"
    )
    db.add(approval)
    db.commit()
    world.approval_id = approval.id
    return world


def csv_file(content: bytes, name: str = "upload.csv") -> tuple[io.BytesIO, str]:
    """A file field's value for a multipart form post."""
    return io.BytesIO(content), name
