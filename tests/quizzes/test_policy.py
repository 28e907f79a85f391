"""The attempt policy as a pure function: sets, the longer wait, grants (``quizzes/policy.py``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from trainer.quizzes.policy import Allowance, AttemptPolicy, Grant, PastAttempt, allowance

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
WEEK = timedelta(days=7)
SELF_REGISTERED = AttemptPolicy(max_attempts=3, renewal_wait=WEEK)
MEMBER = AttemptPolicy(max_attempts=3, renewal_wait=None)


def attempts_at(*hours: float) -> list[PastAttempt]:
    """Attempts started at T0 + hours, each submitted 20 minutes later."""
    return [
        PastAttempt(T0 + timedelta(hours=h), T0 + timedelta(hours=h, minutes=20)) for h in hours
    ]


def test_a_first_set_counts_down():
    assert allowance(SELF_REGISTERED, [], [], T0) == Allowance(left=3)
    assert allowance(SELF_REGISTERED, attempts_at(0, 1), [], T0 + timedelta(hours=2)).left == 1


def test_a_self_registered_learner_waits_a_week_then_has_a_new_set():
    used = attempts_at(0, 1, 2)
    last_submitted = T0 + timedelta(hours=2, minutes=20)
    waiting = allowance(SELF_REGISTERED, used, [], T0 + timedelta(days=1))
    assert waiting == Allowance(left=0, renews_at=last_submitted + WEEK)
    assert allowance(SELF_REGISTERED, used, [], last_submitted + WEEK) == Allowance(
        left=3, renewals=1
    )


def test_attempts_in_the_second_set_count_against_it():
    second = 7 * 24 + 3  # hours: after the week's wait
    used = attempts_at(0, 1, 2, second, second + 1)
    assert allowance(SELF_REGISTERED, used, [], T0 + timedelta(hours=second + 2)) == Allowance(
        left=1, renewals=1
    )
    used = attempts_at(0, 1, 2, second, second + 1, second + 2)
    found = allowance(SELF_REGISTERED, used, [], T0 + timedelta(hours=second + 3))
    assert found.left == 0 and found.renews_at == used[-1].submitted_at + WEEK


def test_a_member_waits_for_their_administrator_not_the_clock():
    used = attempts_at(0, 1, 2)
    assert allowance(MEMBER, used, [], T0 + timedelta(days=365)) == Allowance(left=0)


def test_a_grant_adds_attempts_at_once_for_anyone():
    used = attempts_at(0, 1, 2)
    grant = Grant(T0 + timedelta(days=1), 2)
    for policy in (MEMBER, SELF_REGISTERED):
        assert allowance(policy, used, [grant], T0 + timedelta(days=1, hours=1)).left == 2
    after = [*used, *attempts_at(25, 26)]
    member = allowance(MEMBER, after, [grant], T0 + timedelta(days=2))
    assert member == Allowance(left=0)
    learner = allowance(SELF_REGISTERED, after, [grant], T0 + timedelta(days=2))
    assert learner.left == 0 and learner.renews_at == after[-1].submitted_at + WEEK


def test_no_limit_means_no_counting():
    unlimited = AttemptPolicy(max_attempts=0, renewal_wait=None)
    assert allowance(unlimited, attempts_at(*range(20)), [], T0 + WEEK) == Allowance(left=None)


@given(
    st.lists(st.integers(min_value=0, max_value=60 * 24 * 40), max_size=15),
    st.lists(st.tuples(st.integers(0, 60 * 24 * 40), st.integers(1, 5)), max_size=3),
    st.booleans(),
)
def test_never_negative_and_a_self_registered_learner_is_never_locked_for_good(
    minutes, grants, self_registered
):
    policy = SELF_REGISTERED if self_registered else MEMBER
    used = [PastAttempt(T0 + timedelta(minutes=m), T0 + timedelta(minutes=m + 10)) for m in minutes]
    given_grants = [Grant(T0 + timedelta(minutes=m), n) for m, n in grants]
    now = T0 + timedelta(days=41)
    found = allowance(policy, sorted(used, key=lambda a: a.started_at), given_grants, now)
    assert found.left is not None and found.left >= 0
    if self_registered and found.left == 0:
        assert found.renews_at is not None and found.renews_at > now
        later = allowance(policy, used, given_grants, found.renews_at)
        assert later.left == policy.max_attempts
