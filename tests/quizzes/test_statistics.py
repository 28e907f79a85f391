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


def test_statistics_from_the_database_per_course_and_organisation(app, db, make):
    from trainer.content.catalogue import catalogue
    from trainer.models import Attempt, utcnow
    from trainer.quizzes.statistics import course_item_statistics, indicator_facility

    ministry, other = make.organisation("moi", "Ministry"), make.organisation("ngo", "NGO")
    staff = make.user("officer@moi.example", organisation=ministry, profession="police")
    outsider = make.user("x@ngo.example", organisation=other, profession="police")
    with app.app_context():
        course = catalogue().courses["police"]
    item = course.items[0]
    for n, (user, score) in enumerate(((staff, 0.0), (staff, 1.0), (outsider, 1.0))):
        db.add(
            Attempt(
                id=f"stat-{n}",
                user_id=user.id,
                course_slug="police",
                course_version="v",
                seed=n,
                item_ids=[item.id],
                item_versions={},
                presentation={},
                answers={item.id: "x"},
                submitted_at=utcnow(),
                score=score,
                max_score=1,
                passed=bool(score),
                results={item.id: {"score": score}},
            )
        )
    db.commit()
    everyone = course_item_statistics(db, course)
    ministry_only = course_item_statistics(db, course, organisation_id=ministry.id)
    assert everyone[item.id].attempts == 3 and everyone[item.id].facility == 0.667
    assert ministry_only[item.id].attempts == 2 and ministry_only[item.id].facility == 0.5
    hardest = indicator_facility(ministry_only, course)
    assert {slug for slug, _facility, _n in hardest} == set(item.indicators)
