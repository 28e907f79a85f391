"""A site with something on every page, for the accessibility checks.

A ministry with staff and assignments (one overdue), a nurse with a certificate
and a course in progress, learners part-way through an assessment and one
with a graded attempt, a valid and a revoked certificate, a board's verifier
and a site admin.
"""

from __future__ import annotations

from dataclasses import dataclass

from tests.browser.data import Account, Ministry, Seeder, correct_answer
from trainer.models import Attempt
from trainer.quizzes import services as quizzes

COURSE = "health"


@dataclass(frozen=True)
class Site:
    ministry: Ministry
    learner: Account  # North Region: the core course overdue, a certificate, one module read
    quiz_taker: Account  # an open attempt, nothing answered
    attempt_id: str
    item_numbers: dict[str, int]  # item type -> the first question of that type
    scenario_taker: Account  # an open attempt with the branching scenario under way
    scenario_attempt_id: str
    scenario_number: int
    reviewer: Account  # a graded attempt with two answers wrong
    review_attempt_id: str
    valid_certificate: str
    revoked_certificate: str
    verifier: Account
    admin: Account

    @property
    def org_admin(self) -> Account:
        return self.ministry.admin

    def account(self, who: str | None) -> Account | None:
        """The account named by a page type (None: nobody signed in)."""
        return getattr(self, who) if who else None


def _first_of_each_type(seed: Seeder, attempt: Attempt) -> dict[str, int]:
    course, item_ids = seed.attempt(attempt.id)
    numbers: dict[str, int] = {}
    for number, item_id in enumerate(item_ids, 1):
        item = course.item(item_id)
        assert item is not None
        numbers.setdefault(item.type, number)
    return numbers


def _scenario_under_way(seed: Seeder, taker: Account) -> tuple[str, int]:
    """An attempt whose branching item has its first choice made."""
    attempt = seed.open_attempt(taker, COURSE)
    number = _first_of_each_type(seed, attempt)["branching"]
    with seed.live.session() as db:
        attempt = db.get(Attempt, attempt.id)
        course = seed.course(COURSE)
        item_id = attempt.item_ids[number - 1]
        first_choice = correct_answer(course, item_id)[:1]
        quizzes.save_answer(db, attempt, course, item_id, first_choice)
    return attempt.id, number


def build_site(seed: Seeder) -> Site:
    ministry = seed.ministry()
    learner = ministry.staff[2]
    valid = seed.certificate(learner)
    seed.finish_modules(learner, "core", count=1)
    revoked = seed.certificate(seed.user("Tomás Ortega"))
    seed.revoke(revoked, "Issued in error")

    quiz_taker = seed.user("Quiz Taker")
    attempt = seed.open_attempt(quiz_taker, COURSE)
    scenario_taker = seed.user("Scenario Taker")
    scenario_attempt, scenario_number = _scenario_under_way(seed, scenario_taker)
    reviewer = seed.user("Review Reader")
    reviewed = seed.submitted_attempt(reviewer, COURSE, wrong=3)
    return Site(
        ministry=ministry,
        learner=learner,
        quiz_taker=quiz_taker,
        attempt_id=attempt.id,
        item_numbers=_first_of_each_type(seed, attempt),
        scenario_taker=scenario_taker,
        scenario_attempt_id=scenario_attempt,
        scenario_number=scenario_number,
        reviewer=reviewer,
        review_attempt_id=reviewed.id,
        valid_certificate=valid,
        revoked_certificate=revoked,
        verifier=seed.user("Board Reviewer", role="verifier", profession=None),
        admin=seed.user("Site Admin", role="admin", profession=None),
    )
