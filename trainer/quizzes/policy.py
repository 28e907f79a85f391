"""How many attempts a learner has left at an assessment, and when more open. Pure.

The policy (README, "Courses and assessments"):

- A course's ``[assessment]`` gives a set of ``max_attempts`` attempts, with
  ``cooldown_minutes`` between two of them.
- A learner who registered on their own (no organisation) and has used a whole
  set without passing waits ``retry_after_days`` from the last submission, and
  then has a new set. Nobody is locked out for good: there is no administrator
  to ask.
- A member of an organisation whose set is used asks their organisation's
  administrator, who grants more (``trainer/quizzes/grants.py``); so may a
  site administrator, for anyone.
- A grant adds its attempts at once, with no wait, for anyone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class AttemptPolicy:
    """The rules of one course's assessment for one learner."""

    max_attempts: int  # attempts in a set; 0: no limit
    renewal_wait: timedelta | None  # the wait for a new set; None: only a grant gives more


@dataclass(frozen=True)
class PastAttempt:
    started_at: datetime
    submitted_at: datetime | None


@dataclass(frozen=True)
class Grant:
    granted_at: datetime
    attempts: int


@dataclass(frozen=True)
class Allowance:
    """Attempts left now (None: no limit), and when a new set opens if none are left."""

    left: int | None
    renews_at: datetime | None = None
    #: How many sets have opened again after a wait (0 while in the first).
    renewals: int = 0


def allowance(
    policy: AttemptPolicy,
    attempts: Iterable[PastAttempt],
    grants: Iterable[Grant],
    now: datetime,
) -> Allowance:
    """Walk the learner's attempts and grants in time order, counting what is left.

    An attempt started when none were left (a set renewed by the wait, or data from
    before a stricter rule) is counted as allowed: history is never re-judged.
    """
    if not policy.max_attempts:
        return Allowance(left=None)
    events: list[tuple[datetime, int, PastAttempt | Grant]] = [
        (a.started_at, 1, a) for a in attempts
    ]
    events += [(g.granted_at, 0, g) for g in grants]  # a grant before a start at the same time
    left, renewals = policy.max_attempts, 0
    used_up_at: datetime | None = None  # when the last attempt of the allowance ended
    for _time, _order, event in sorted(events, key=lambda e: (e[0], e[1])):
        if isinstance(event, Grant):
            left += event.attempts
            used_up_at = None
            continue
        if left == 0 and _renewed(policy, used_up_at, event.started_at):
            left, renewals = policy.max_attempts, renewals + 1
        left = max(left - 1, 0)
        if left == 0:
            used_up_at = event.submitted_at or event.started_at
    if left == 0 and policy.renewal_wait is not None and used_up_at is not None:
        renews_at = used_up_at + policy.renewal_wait
        if now >= renews_at:
            return Allowance(left=policy.max_attempts, renewals=renewals + 1)
        return Allowance(left=0, renews_at=renews_at, renewals=renewals)
    return Allowance(left=left, renewals=renewals)


def _renewed(policy: AttemptPolicy, used_up_at: datetime | None, started_at: datetime) -> bool:
    return (
        policy.renewal_wait is not None
        and used_up_at is not None
        and started_at >= used_up_at + policy.renewal_wait
    )
