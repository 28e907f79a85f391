"""Committed data in the live server's database, made through the app's own services.

Every name and email carries a fresh suffix, so tests never depend on each
other's data or order, and a test can run again (in another language) in the
same session.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from tests.browser.server import LiveServer
from tests.conftest import PASSWORD
from trainer.accounts.services import Profile, create_user
from trainer.certificates import services as certificates
from trainer.certificates.ids import format_certificate_id
from trainer.content.catalogue import catalogue
from trainer.content.model import Course
from trainer.learning.services import complete_module
from trainer.models import Attempt, Certificate, Organisation, OrgUnit, User
from trainer.orgs.assignments import AssignmentRequest, create_assignment
from trainer.orgs.scope import Scope
from trainer.orgs.units import create_unit
from trainer.quizzes import services as quizzes


@dataclass(frozen=True)
class Account:
    id: int
    email: str
    name: str
    password: str = PASSWORD


@dataclass(frozen=True)
class Ministry:
    """A ministry: its admin, units by path, and (from ``Seeder.ministry``) its staff."""

    slug: str
    id: int
    admin: Account
    units: dict[str, int]  # path of names -> id
    staff: list[Account]


def suffix() -> str:
    return secrets.token_hex(4)


def correct_answer(course: Course, item_id: str) -> Any:
    """The item bank's key, in the form an answer takes (as tests/certificates/helpers.py)."""
    item = course.item(item_id)
    assert item is not None
    key = item.item_type.key(item)
    return key[0] if item.type == "single" else key


def wrong_answer(course: Course, item_id: str) -> str | None:
    """A wrong option of a single-choice item; None (no answer) for other types."""
    item = course.item(item_id)
    assert item is not None
    if item.type != "single":
        return None
    return next(o.id for o in item.spec.options if not o.correct)


class Seeder:
    """Makes users, organisations, attempts and certificates, committed for real."""

    def __init__(self, live: LiveServer) -> None:
        self.live = live

    def course(self, slug: str) -> Course:
        with self.live.app.app_context():
            return catalogue().courses[slug]

    def user(
        self,
        name: str = "Test Learner",
        *,
        role: str = "learner",
        organisation_id: int | None = None,
        unit_id: int | None = None,
        **profile: Any,
    ) -> Account:
        profile.setdefault("profession", "health")
        profile.setdefault("country", "US")
        email = f"{role.replace('_', '-')}-{suffix()}@example.org"
        with self.live.session() as db:
            user = create_user(
                db,
                email=email,
                password=PASSWORD,
                role=role,
                organisation_id=organisation_id,
                profile=Profile(name, **profile),
            )
            user.unit_id = unit_id
            return Account(user.id, user.email, user.full_name)

    def organisation(self) -> Ministry:
        """A ministry of health with its admin and units (Capital Region/General Hospital,
        North Region): no staff, nothing assigned."""
        slug = f"moh-{suffix()}"
        with self.live.session() as db:
            org = Organisation(slug=slug, name="Ministry of Health", kind="ministry")
            db.add(org)
            db.flush()
            scope = Scope(org)
            capital = create_unit(db, scope, name="Capital Region", kind="region", parent=None)
            hospital = create_unit(
                db, scope, name="General Hospital", kind="hospital", parent=capital
            )
            north = create_unit(db, scope, name="North Region", kind="region", parent=None)
            units = {
                "Capital Region": capital.id,
                "Capital Region/General Hospital": hospital.id,
                "North Region": north.id,
            }
        admin = self.user("Kwame Mensah", role="org_admin", organisation_id=org.id)
        return Ministry(slug, org.id, admin, units, [])

    def ministry(self) -> Ministry:
        """The organisation with three nurses, the health curriculum assigned to Capital
        Region (due in 30 days) and the core course to North Region (overdue)."""
        ministry = self.organisation()
        with self.live.session() as db:
            scope = Scope(db.get(Organisation, ministry.id))
            capital, north = (
                db.get(OrgUnit, ministry.units[name]) for name in ("Capital Region", "North Region")
            )
            today = date.today()
            due = AssignmentRequest(
                due=today + timedelta(days=30), curriculum="health-default", unit=capital
            )
            create_assignment(db, scope, catalogue(), due, actor=None, today=today)
            # Due yesterday: made as if on that day, so the report has something overdue.
            overdue = AssignmentRequest(due=today - timedelta(days=1), courses=["core"], unit=north)
            create_assignment(db, scope, catalogue(), overdue, actor=None, today=overdue.due)
        for name, unit in (
            ("Ama Mensah", "Capital Region/General Hospital"),
            ("Дарья Иванова", "Capital Region"),
            ("رنا حداد", "North Region"),
        ):
            ministry.staff.append(
                self.user(
                    name,
                    organisation_id=ministry.id,
                    unit_id=ministry.units[unit],
                    licence_type="nurse",
                )
            )
        return ministry

    def attempt(self, attempt_id: str) -> tuple[Course, list[str]]:
        """An attempt's course and the ids of its items, in the order shown."""
        with self.live.session() as db:
            attempt = db.get(Attempt, attempt_id)
            assert attempt is not None, f"no attempt {attempt_id}"
            return catalogue().courses[attempt.course_slug], list(attempt.item_ids)

    def finish_modules(self, account: Account, course_slug: str, count: int | None = None) -> None:
        """Mark the first ``count`` modules of the course read (all by default)."""
        with self.live.session() as db:
            user = db.get(User, account.id)
            course = catalogue().courses[course_slug]
            for module in course.modules[:count]:
                complete_module(db, user, course, module)

    def open_attempt(self, account: Account, course_slug: str) -> Attempt:
        """An attempt started as the assessment page would start it."""
        with self.live.session() as db:
            user = db.get(User, account.id)
            attempt, _created = quizzes.start_attempt(db, user, catalogue().courses[course_slug])
            return attempt

    def submitted_attempt(self, account: Account, course_slug: str, wrong: int = 2) -> Attempt:
        """A graded attempt with ``wrong`` items wrong, single-choice items first (a wrong
        option chosen; other types left unanswered), the rest right."""
        attempt = self.open_attempt(account, course_slug)
        with self.live.session() as db:
            attempt = db.get(Attempt, attempt.id)
            course = catalogue().courses[course_slug]
            by_kind = sorted(
                attempt.item_ids,
                key=lambda i: course.item(i).type != "single",  # type: ignore[union-attr]
            )
            missed = set(by_kind[:wrong])
            for item_id in attempt.item_ids:
                answer = (wrong_answer if item_id in missed else correct_answer)(course, item_id)
                if answer is not None:
                    quizzes.save_answer(db, attempt, course, item_id, answer)
            quizzes.finish_attempt(db, attempt, course)
            return attempt

    def certificate(self, account: Account, course_slug: str = "health") -> str:
        """Read every module and pass the assessment; the certificate's printed id."""
        self.finish_modules(account, course_slug)
        self.submitted_attempt(account, course_slug, wrong=0)
        with self.live.session() as db:
            user = db.get(User, account.id)
            course = catalogue().courses[course_slug]
            issuer = certificates.issuer_of(self.live.app)
            issued = certificates.issue_if_complete(db, user, course, catalogue(), issuer)
            assert issued is not None
            return format_certificate_id(issued.id)

    def revoke(self, certificate_id: str, reason: str = "Issued in error") -> None:
        with self.live.session() as db:
            canonical = certificate_id.replace("-", "")
            certificate = db.scalar(select(Certificate).where(Certificate.id == canonical))
            assert certificate is not None
            certificates.revoke_certificate(db, certificate, reason, actor=None)
