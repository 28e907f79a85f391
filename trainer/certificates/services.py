"""Issuing, revoking and re-issuing certificates. Functions take the session and only flush."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from flask import Flask
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from trainer.audit import record_event
from trainer.certificates.credential import build_credential, sign_credential
from trainer.certificates.credits import course_credit_hours
from trainer.certificates.ids import format_certificate_id, new_certificate_id
from trainer.certificates.keyring import RetiredSigningKey as RetiredSigningKey
from trainer.certificates.keyring import published_keys as published_keys
from trainer.certificates.keyring import register_signing_key
from trainer.certificates.keys import SiteKey, load_site_key
from trainer.certificates.requirements import (
    Completion,
    certificate_expiry,
    check_requirement,
    requirement_record,
)
from trainer.certificates.statuslist import allocate_entry
from trainer.content.model import Catalogue, Course
from trainer.i18n import writing_in
from trainer.i18n.formatting import local_date
from trainer.i18n.plurals import credit_hours
from trainer.learning.progress import COMPLETED
from trainer.learning.services import course_progress, reading_progress
from trainer.licensing.approvals import held_approvals
from trainer.licensing.timing import course_hours_cap
from trainer.mail import send_after_commit
from trainer.models import Attempt, Certificate, ModuleCompletion, User, utcnow

EXTENSION_KEY = "trainer.issuer"


class CertificateError(ValueError):
    """A certificate action that cannot be done; the message says why."""


@dataclass(frozen=True)
class Issuer:
    """Who signs, and what every certificate prints about the provider."""

    base_url: str
    provider_name: str
    provider_approval: str
    site_key: SiteKey

    def verify_url(self, certificate_id: str) -> str:
        return f"{self.base_url}/verify/{certificate_id}"


def init_app(app: Flask) -> None:
    """Load the signing key once per process; a bad key stops the app from starting."""
    app.extensions[EXTENSION_KEY] = Issuer(
        base_url=app.config["BASE_URL"],
        provider_name=app.config["PROVIDER_NAME"],
        provider_approval=app.config["PROVIDER_APPROVAL"],
        site_key=load_site_key(app.config["SIGNING_KEY_PEM"]),
    )


def issuer_of(app: Flask) -> Issuer:
    issuer: Issuer = app.extensions[EXTENSION_KEY]
    return issuer


def reload_issuer(app: Flask) -> Issuer:
    """Read the configured signing key again, after a rotation by another process.

    The key is re-read from where the settings say (``TRAINER_SIGNING_KEY`` as a
    path, or the instance folder); a key given as PEM text cannot change here.
    """
    value = os.environ.get("TRAINER_SIGNING_KEY")
    if value and value.lstrip().startswith("-----BEGIN"):
        return issuer_of(app)
    path = Path(value) if value else Path(app.instance_path) / "signing-key.pem"
    if not path.is_file():
        return issuer_of(app)
    site_key = load_site_key(path.read_text())
    if site_key.kid != issuer_of(app).site_key.kid:
        app.extensions[EXTENSION_KEY] = replace(issuer_of(app), site_key=site_key)
    return issuer_of(app)


def current_certificate(db: Session, user: User, course: Course) -> Certificate | None:
    """The learner's certificate for this version of the course that has not been replaced."""
    return db.scalar(
        select(Certificate).where(
            Certificate.user_id == user.id,
            Certificate.course_slug == course.slug,
            Certificate.course_version == course.version,
            Certificate.superseded_at.is_(None),
        )
    )


def issue_if_complete(
    db: Session, user: User, course: Course, catalogue: Catalogue, issuer: Issuer
) -> Certificate | None:
    """Issue the certificate when every module is done and the assessment passed.

    Called after each module completion and each graded attempt; it does nothing
    until the course is complete, and nothing new after the certificate exists.
    """
    # Modules first: one indexed read answers "not yet" for most calls (a
    # submitted attempt before the reading is done), without the attempts query.
    if reading_progress(db, user, course).modules_done < len(course.modules):
        return None
    if course_progress(db, user, course).status != COMPLETED:
        return None
    existing = current_certificate(db, user, course)
    if existing is not None:
        return existing
    # The certificate is in the language the assessment was passed in; a course
    # without one, in the language its last module was read in.
    taken = catalogue.in_language(_passed_in(db, user, course) or course.language)
    variant = taken.courses.get(course.slug, course)
    certificate, _created = issue_certificate(
        db,
        user,
        variant,
        catalogue,
        issuer,
        completed_on=_completion_date(db, user, course),
        max_hours=course_hours_cap(db, user, course, course_credit_hours(variant)),
    )
    return certificate


def _passed_in(db: Session, user: User, course: Course) -> str | None:
    """The language of the learner's first passing attempt at the course, if any."""
    return db.scalar(
        select(Attempt.language)
        .where(
            Attempt.user_id == user.id,
            Attempt.course_slug == course.slug,
            Attempt.passed.is_(True),
        )
        .order_by(Attempt.submitted_at)
        .limit(1)
    )


def _completion_date(db: Session, user: User, course: Course) -> date:
    """The day the last step was done: the last module read or the passing attempt."""
    last_module = db.scalar(
        select(func.max(ModuleCompletion.completed_at)).where(
            ModuleCompletion.user_id == user.id, ModuleCompletion.course_slug == course.slug
        )
    )
    passed = db.scalar(
        select(func.min(Attempt.submitted_at)).where(
            Attempt.user_id == user.id,
            Attempt.course_slug == course.slug,
            Attempt.passed.is_(True),
        )
    )
    moments = [m for m in (last_module, passed) if m is not None]
    return _as_date(max(moments)) if moments else utcnow().date()


def _as_date(moment: datetime) -> date:
    # SQLite returns aggregates as naive values in UTC; both are dates in UTC here.
    return moment.date()


def issue_certificate(
    db: Session,
    user: User,
    course: Course,
    catalogue: Catalogue,
    issuer: Issuer,
    *,
    completed_on: date,
    source: str = "platform",
    reason: str | None = None,
    issued_by: User | None = None,
    max_hours: float | None = None,
) -> tuple[Certificate, bool]:
    """Issue exactly one certificate per learner and course version; (certificate, created).

    ``course`` is the variant taken: its title and language are printed. Only rules
    the learner's jurisdiction and licence type fall under, whose hours and content
    the course meets, and (where the rule needs one) for which this deployment held
    an approval on the completion date are recorded. ``max_hours`` caps the credit
    at the time the learner could have spent (time on task). Concurrent requests
    race on a unique index; the loser returns the winner's row.
    """
    hours = course_credit_hours(course)
    if max_hours is not None:
        hours = min(hours, max_hours)
    completion = learner_completion(user, course, hours, completed_on)
    approvals = held_approvals(db)
    results = [
        check_requirement(rule, completion, approvals)
        for rule in catalogue.requirement_sets.values()
    ]
    satisfied = [r for r in results if r.satisfied]
    certificate = Certificate(
        course_slug=course.slug,
        course_version=course.version,
        course_title=course.title,
        language=course.language,
        hours=hours,
        content_areas=list(course.content_areas),
        requirements=[requirement_record(r) for r in satisfied],
        completed_on=completed_on,
        valid_until=certificate_expiry(satisfied),
        source=source,
        issue_reason=reason,
        issued_by_id=issued_by.id if issued_by else None,
    )
    return _store(db, certificate, user, issuer)


def learner_completion(
    user: User, course: Course, hours: float, completed_on: date | None
) -> Completion:
    """The facts of ``user``'s completion that rules look at: a person's, so unknown
    region or licence type means a state or licensing rule does not apply."""
    return Completion(
        professions=frozenset({user.profession}) if user.profession else frozenset(),
        hours=hours,
        content_areas=frozenset(course.content_areas),
        licence_type=user.licence_type,
        completed_on=completed_on,
        region=user.region,
        country=user.country,
        personal=True,
        course=course.slug,
    )


def _store(
    db: Session, certificate: Certificate, user: User, issuer: Issuer
) -> tuple[Certificate, bool]:
    """Copy the learner's printed details, sign, and insert; (certificate, created)."""
    certificate.id = new_certificate_id()
    certificate.user_id = user.id
    certificate.name = user.full_name
    certificate.licence_type = user.licence_type
    certificate.licence_number = user.licence_number
    certificate.licence_board = user.licensing_board
    certificate.licence_key = licence_key(user.licence_number)
    certificate.provider_name = issuer.provider_name
    certificate.provider_approval = issuer.provider_approval
    certificate.issued_at = utcnow().replace(microsecond=0)
    certificate.key_id = issuer.site_key.kid
    register_signing_key(db, issuer.site_key)  # refuses a retired key before it signs
    for attempt in range(3):
        # Two processes may draw the same place in the status list at once: the
        # unique index refuses the second, which draws again.
        certificate.status_list, certificate.status_list_index = allocate_entry(db)
        certificate.credential = sign_credential(
            build_credential(certificate, issuer.base_url), issuer.site_key
        )
        try:
            with db.begin_nested():
                db.add(certificate)
            break
        except IntegrityError:
            db.expire_all()
            existing = _current_for(db, user.id, certificate)
            if existing is not None:
                return existing, False
            if attempt == 2:
                raise
    _tell_learner(db, certificate, user, issuer)
    return certificate, True


def _current_for(db: Session, user_id: int, certificate: Certificate) -> Certificate | None:
    return db.scalar(
        select(Certificate).where(
            Certificate.user_id == user_id,
            Certificate.course_slug == certificate.course_slug,
            Certificate.course_version == certificate.course_version,
            Certificate.superseded_at.is_(None),
        )
    )


def _tell_learner(db: Session, certificate: Certificate, user: User, issuer: Issuer) -> None:
    with writing_in(user.locale):
        subject = _("Your certificate: %(course)s", course=certificate.course_title)
        body = _(
            "Hello %(name)s,\n\nYour certificate for %(course)s (%(hours)s) is "
            "ready. Download it from your dashboard: %(dashboard)s\n\nCertificate id: %(id)s\n"
            "Anyone you show it to can check it at %(verify_url)s\n",
            name=user.full_name,
            course=certificate.course_title,
            hours=credit_hours(certificate.hours),
            dashboard=f"{issuer.base_url}/dashboard",
            id=format_certificate_id(certificate.id),
            verify_url=issuer.verify_url(certificate.id),
        )
    send_after_commit(db, user.email, subject, body)


def licence_key(number: str | None) -> str | None:
    """A licence number as boards type it in many ways: no spaces, hyphens, dots or case."""
    if not number:
        return None
    return "".join(ch for ch in number.upper() if ch.isalnum()) or None


def revoke_certificate(
    db: Session, certificate: Certificate, reason: str, actor: User | None
) -> None:
    """Revoke with a reason that verifiers will read. Revoking twice is refused."""
    reason = reason.strip()
    if not reason:
        raise CertificateError(_("Give the reason for revoking: verifiers will read it."))
    if certificate.revoked_at is not None:
        raise CertificateError(
            _(
                "Certificate %(id)s was already revoked on %(date)s.",
                id=format_certificate_id(certificate.id),
                date=local_date(certificate.revoked_at),
            )
        )
    certificate.revoked_at = utcnow()
    certificate.revocation_reason = reason
    audit_certificate(db, "certificate.revoke", certificate, actor, reason=reason)
    db.flush()


def reissue_certificate(
    db: Session, certificate: Certificate, issuer: Issuer, actor: User | None, reason: str
) -> Certificate:
    """Replace a certificate with one carrying the learner's current name and licence.

    Used after a name correction. The old one then verifies as superseded; the
    course, hours, date and rules satisfied stay as they were.
    """
    if certificate.revoked_at is not None or certificate.superseded_at is not None:
        raise CertificateError(_("Only a valid certificate can be re-issued."))
    replacement = Certificate(
        **{
            column: getattr(certificate, column)
            for column in (
                "course_slug",
                "course_version",
                "course_title",
                "language",
                "hours",
                "content_areas",
                "requirements",
                "completed_on",
                "valid_until",
                "source",
                "issue_reason",
            )
        }
    )
    certificate.superseded_at = utcnow()
    db.flush()  # the old row leaves the unique index before the new one enters
    replacement, _created = _store(db, replacement, certificate.user, issuer)
    certificate.superseded_by_id = replacement.id
    audit_certificate(
        db, "certificate.reissue", certificate, actor, replacement=replacement.id, reason=reason
    )
    db.flush()
    return replacement


def audit_certificate(
    db: Session, action: str, certificate: Certificate, actor: User | None, **detail: Any
) -> None:
    """An audit event about a certificate, visible to the learner's organisation."""
    record_event(
        db,
        action,
        actor=actor,
        target_type="certificate",
        target_id=certificate.id,
        organisation_id=certificate.user.organisation_id,
        **detail,
    )


def user_certificates(db: Session, user: User) -> list[Certificate]:
    """The learner's certificates, newest first, replaced ones included."""
    return list(
        db.scalars(
            select(Certificate)
            .where(Certificate.user_id == user.id)
            .order_by(Certificate.issued_at.desc())
        )
    )
