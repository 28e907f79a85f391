"""Demo data: organisations with units, staff and an assignment, one account per role
with fresh random passwords, and a certificate.

Running it again resets the demo accounts' passwords and prints the new ones,
so a demo site never carries a password written down anywhere else.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from trainer.accounts.services import Profile, create_user, find_user_by_email
from trainer.certificates import services as certificates
from trainer.content.catalogue import catalogue
from trainer.models import Organisation, User, utcnow
from trainer.orgs.demo import seed_organisation_demo
from trainer.security import hash_password

DEMO_ORGANISATIONS = [
    ("demo-health-ministry", "Ministry of Health (demo)", "ministry"),
    ("demo-police-academy", "National Police Academy (demo)", "academy"),
]

DEMO_ACCOUNTS = [
    # email, role, organisation slug, profile
    (
        "learner@demo.trainer",
        "learner",
        "demo-health-ministry",
        Profile(
            "Amina Haddad",
            "licensed",
            "US",
            "nurse",
            "RN-4412093",
            "Michigan Board of Nursing",
            region="US-MI",
        ),
    ),
    (
        "officer@demo.trainer",
        "learner",
        "demo-police-academy",
        Profile("Σοφία Παπαδοπούλου", "police", "GR"),
    ),
    (
        "orgadmin@demo.trainer",
        "org_admin",
        "demo-health-ministry",
        Profile("Kwame Mensah", "health", "GH"),
    ),
    (
        "academyadmin@demo.trainer",
        "org_admin",
        "demo-police-academy",
        Profile("Inés Ortega", "police", "ES"),
    ),
    (
        "verifier@demo.trainer",
        "verifier",
        None,
        Profile("Licensing Board Reviewer", "health", "US"),
    ),
    ("admin@demo.trainer", "admin", None, Profile("Site Administrator", "health", "US")),
]


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: str
    password: str
    organisation: str = ""


def _organisation(db: Session, slug: str, name: str, kind: str) -> Organisation:
    organisation = db.scalar(select(Organisation).where(Organisation.slug == slug))
    if organisation is None:
        organisation = Organisation(slug=slug, name=name, kind=kind)
        db.add(organisation)
        db.flush()
    return organisation


def seed_demo(db: Session) -> list[DemoAccount]:
    """Create (or refresh) the demo organisations and accounts; return their credentials."""
    organisations = {
        slug: _organisation(db, slug, name, kind) for slug, name, kind in DEMO_ORGANISATIONS
    }
    accounts = []
    for email, role, org_slug, profile in DEMO_ACCOUNTS:
        password = "-".join(secrets.token_hex(3) for _ in range(3))
        user: User | None = find_user_by_email(db, email)
        if user is None:
            user = create_user(
                db,
                email=email,
                password=None,
                profile=profile,
                role=role,
                organisation_id=organisations[org_slug].id if org_slug else None,
            )
        user.password_hash = hash_password(password)
        name = organisations[org_slug].name if org_slug else ""
        accounts.append(DemoAccount(email, role, password, name))
    db.flush()
    seed_organisation_demo(db, catalogue(), organisations)
    _demo_certificate(db)
    return accounts


def _demo_certificate(db: Session) -> None:
    """The demo nurse holds a certificate, so the verify pages have one to show."""
    learner = find_user_by_email(db, "learner@demo.trainer")
    course = catalogue().courses.get("licensed")
    if learner is None or course is None:
        return
    certificates.issue_certificate(
        db,
        learner,
        course,
        catalogue(),
        certificates.issuer_of(current_app),
        completed_on=utcnow().date(),
        source="manual",
        reason="Demo data: an in-person session",
    )
