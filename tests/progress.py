"""Progress rows written straight to the database, for tests that need a learner part-way."""

from __future__ import annotations

from trainer.learning.services import complete_module
from trainer.models import Attempt, utcnow


def complete_modules(db, user, course, count=None):
    """Mark the first ``count`` modules (all by default) complete."""
    for module in course.modules[:count]:
        complete_module(db, user, course, module)


def passed_attempt(db, user, course, scores):
    """A submitted, passed attempt with ``scores`` per item id."""
    db.add(
        Attempt(
            id=f"a{user.id}{course.slug}",
            user_id=user.id,
            course_slug=course.slug,
            course_version=course.version,
            seed=1,
            item_ids=list(scores),
            item_versions={},
            presentation={},
            answers={i: None for i in scores},
            submitted_at=utcnow(),
            score=sum(scores.values()),
            max_score=len(scores),
            passed=True,
            results={i: {"score": s} for i, s in scores.items()},
        )
    )


def finish_and_issue(app, db, user, course, scores=None):
    """Record every module and a passed attempt, then issue and commit as the app would."""
    from trainer.certificates import services
    from trainer.content.catalogue import catalogue

    complete_modules(db, user, course)
    passed_attempt(db, user, course, scores or {"item": 1.0})
    db.flush()
    certificate = services.issue_if_complete(db, user, course, catalogue(), services.issuer_of(app))
    db.commit()
    assert certificate is not None
    return certificate


def approve(app, db, slug, category="", number=None, body="Test approving body", **extra):
    """Record a provider approval for requirement set ``slug``, as an operator would."""
    from trainer.content.catalogue import catalogue
    from trainer.licensing.approvals import NewApproval, add_approval

    with app.app_context():
        row = add_approval(
            db,
            NewApproval(slug, number or f"APP-{slug}", body, category, **extra),
            catalogue(),
            actor=None,
            via="test",
        )
    db.commit()
    return row


def place(db, user, region, licence_type=None):
    """Set the learner's region and licence type (the forms for them are another branch's)."""
    user.region = region
    user.licence_type = licence_type
    db.commit()
    return user
