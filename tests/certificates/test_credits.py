"""Credit hours: quarter-hour steps, never more than declared."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from trainer.certificates.credits import credit_hours, supported_hours


def test_examples():
    assert supported_hours(59) == 0.75
    assert supported_hours(60) == 1.0
    assert supported_hours(93) == 1.5
    assert supported_hours(0) == 0
    assert credit_hours(93, declared=1.25) == 1.25
    assert credit_hours(80, declared=2.0) == 1.25


@given(st.integers(min_value=0, max_value=10_000))
def test_supported_hours_are_quarter_hours_never_above_the_minutes(minutes):
    hours = supported_hours(minutes)
    assert (hours * 4).is_integer()
    assert hours * 60 <= minutes < hours * 60 + 15


@given(st.integers(min_value=0, max_value=10_000), st.floats(min_value=0, max_value=200))
def test_credit_never_exceeds_declared_or_supported(minutes, declared):
    hours = credit_hours(minutes, declared)
    assert hours <= declared and hours <= supported_hours(minutes)
