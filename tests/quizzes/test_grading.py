"""Partial credit: documented rules, bounded scores (property-based)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from trainer.quizzes.grading import multiple_select_credit, ordering_credit

OPTIONS = [f"o{i}" for i in range(8)]


@st.composite
def multiple_item(draw):
    options = draw(st.lists(st.sampled_from(OPTIONS), min_size=3, unique=True))
    correct = set(
        draw(st.lists(st.sampled_from(options), min_size=1, max_size=len(options) - 1, unique=True))
    )
    chosen = set(draw(st.lists(st.sampled_from(options), unique=True)))
    return correct, set(options) - correct, chosen


@given(multiple_item())
def test_multiple_select_credit_stays_between_0_and_1(case):
    correct, wrong, chosen = case
    assert 0.0 <= multiple_select_credit(correct, wrong, chosen) <= 1.0


@given(multiple_item())
def test_exactly_the_right_options_earn_full_credit_and_guessing_everything_earns_none(case):
    correct, wrong, _chosen = case
    assert multiple_select_credit(correct, wrong, correct) == 1.0
    assert multiple_select_credit(correct, wrong, correct | wrong) == 0.0
    assert multiple_select_credit(correct, wrong, set()) == 0.0


@given(multiple_item(), st.sampled_from(OPTIONS))
def test_a_wrong_pick_never_raises_the_score(case, extra):
    correct, wrong, chosen = case
    if extra in wrong:
        assert multiple_select_credit(correct, wrong, chosen | {extra}) <= (
            multiple_select_credit(correct, wrong, chosen)
        )


def test_multiple_select_examples():
    correct, wrong = {"a", "b", "c"}, {"d", "e"}
    assert multiple_select_credit(correct, wrong, {"a", "b"}) == 2 / 3
    assert multiple_select_credit(correct, wrong, {"a", "b", "d"}) == 2 / 3 - 1 / 2
    assert multiple_select_credit(correct, wrong, {"a", "d", "e"}) == 0.0


@given(st.permutations(["a", "b", "c", "d", "e"]))
def test_ordering_credit_stays_between_0_and_1(order):
    assert 0.0 <= ordering_credit(["a", "b", "c", "d", "e"], order) <= 1.0


def test_ordering_examples():
    right = ["a", "b", "c", "d"]
    assert ordering_credit(right, right) == 1.0
    assert ordering_credit(right, list(reversed(right))) == 0.0
    assert ordering_credit(right, ["b", "a", "c", "d"]) == 5 / 6  # one pair swapped
    assert ordering_credit(right, ["a", "b"]) == 1 / 6  # missing steps are out of order
