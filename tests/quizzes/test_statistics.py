"""Item statistics: facility, discrimination, distribution."""

from __future__ import annotations

from trainer.quizzes.statistics import GradedAttempt, item_statistics


def test_facility_and_distribution():
    attempts = [
        GradedAttempt({"q1": 1.0, "q2": 0.0}, {"q1": "a", "q2": "b"}),
        GradedAttempt({"q1": 0.0, "q2": 0.0}, {"q1": "c"}),
        GradedAttempt({"q1": 1.0, "q2": 0.5}, {"q1": "a", "q2": ["x", "y"]}),
    ]
    stats = item_statistics(attempts)
    assert stats["q1"].facility == 0.667
    assert stats["q1"].distribution == {"a": 2, "c": 1}
    assert stats["q2"].distribution == {"b": 1, "(no answer)": 1, "x": 1, "y": 1}
    assert stats["q1"].discrimination is None  # too few attempts to say


def test_discrimination_separates_strong_from_weak_learners():
    strong = [
        GradedAttempt({"good": 1.0, "bad": 0.0, **{f"o{i}": 1.0 for i in range(5)}}, {})
        for _ in range(10)
    ]
    weak = [
        GradedAttempt({"good": 0.0, "bad": 1.0, **{f"o{i}": 0.0 for i in range(5)}}, {})
        for _ in range(10)
    ]
    stats = item_statistics(strong + weak)
    assert stats["good"].discrimination == 1.0
    assert stats["bad"].discrimination == -1.0  # an item to review: the weak get it right


def test_ordering_answers_count_as_a_whole():
    attempts = [
        GradedAttempt({"o": 1.0}, {"o": ["a", "b"]}),
        GradedAttempt({"o": 0.0}, {"o": ["b", "a"]}),
    ]
    assert item_statistics(attempts, frozenset({"o"}))["o"].distribution == {
        '["a", "b"]': 1,
        '["b", "a"]': 1,
    }
