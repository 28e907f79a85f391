"""The assessment in HTML: one item per page, plain forms, no JavaScript needed."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from trainer import db
from trainer.accounts.forms import ConfirmForm
from trainer.accounts.roles import login_required
from trainer.certificates.views import award_if_complete
from trainer.content.catalogue import catalogue
from trainer.content.model import Course
from trainer.learning.views import get_course
from trainer.models import Attempt, utcnow
from trainer.quizzes import services
from trainer.quizzes.items import AnswerError, Item
from trainer.quizzes.next_step import next_step

bp = Blueprint("quizzes", __name__)


def _course_with_assessment(slug: str) -> Course:
    course = get_course(slug)
    if course.assessment is None:
        abort(404)
    return course


def _own_attempt(attempt_id: str, *, lock: bool = False) -> tuple[Attempt, Course]:
    """The signed-in learner's attempt, and its course in the language it was started in."""
    attempt = services.find_attempt(db.session(), attempt_id, current_user, lock=lock)
    course = attempt_course(attempt) if attempt else None
    # Someone else's attempt answers exactly like one that does not exist.
    if attempt is None or course is None:
        abort(404)
    return attempt, course


def attempt_course(attempt: Attempt) -> Course | None:
    """The course variant an attempt was taken in (its source, if that variant is gone)."""
    return catalogue().in_language(attempt.language).courses.get(attempt.course_slug)


def _label_names(attempt: Attempt) -> dict[str, str]:
    """Names of the labels items set themselves, in the attempt's language."""
    return catalogue().in_language(attempt.language).labels


@bp.get("/courses/<course_slug>/assessment")
@login_required
def assessment(course_slug: str) -> ResponseReturnValue:
    course = _course_with_assessment(course_slug)
    rules = services.attempt_rules(db.session(), current_user, course)
    return render_template(
        "quizzes/assessment.html",
        course=course,
        rules=rules,
        past=rules.submitted,
        form=ConfirmForm(),
    )


@bp.post("/courses/<course_slug>/assessment")
@login_required
def start(course_slug: str) -> ResponseReturnValue:
    course = _course_with_assessment(course_slug)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        attempt, _created = services.start_attempt(db.session(), current_user, course)
    except services.QuizError as error:
        db.session().commit()  # an expired attempt may have been closed
        flash(str(error), "error")
        return redirect(url_for("quizzes.assessment", course_slug=course.slug))
    db.session().commit()
    first = next((n for n, i in enumerate(attempt.item_ids, 1) if i not in attempt.answers), 1)
    return redirect(url_for("quizzes.item", attempt_id=attempt.id, number=first))


def _item_at(attempt: Attempt, course: Course, number: int) -> Item:
    if not 1 <= number <= len(attempt.item_ids):
        abort(404)
    item = course.item(attempt.item_ids[number - 1])
    if item is None:
        abort(404)
    return item


def _closed(attempt: Attempt) -> ResponseReturnValue | None:
    """Where to go instead when the attempt can no longer be answered."""
    if attempt.submitted:
        return redirect(url_for("quizzes.review", attempt_id=attempt.id))
    return None


@bp.get("/attempts/<attempt_id>/items/<int:number>")
@login_required
def item(
    attempt_id: str, number: int, errors: list[str] | None = None, status: int = 200
) -> ResponseReturnValue:
    attempt, course = _own_attempt(attempt_id)
    if (gone := _closed(attempt)) is not None:
        return gone
    current = _item_at(attempt, course, number)
    return render_template(
        "quizzes/item.html",
        attempt=attempt,
        course=course,
        item=current,
        number=number,
        total=len(attempt.item_ids),
        shown=attempt.presentation.get(current.id, {}),
        answer=attempt.answers.get(current.id),
        errors=errors or [],
        form=ConfirmForm(),
        minutes_left=_minutes_left(attempt),
        label_names=_label_names(attempt),
    ), status


def _minutes_left(attempt: Attempt) -> int | None:
    if attempt.deadline_at is None:
        return None
    return max(int((attempt.deadline_at - utcnow()).total_seconds() // 60), 0)


@bp.post("/attempts/<attempt_id>/items/<int:number>")
@login_required
def answer(attempt_id: str, number: int) -> ResponseReturnValue:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    session = db.session()
    attempt, course = _own_attempt(attempt_id, lock=True)
    if (gone := _closed(attempt)) is not None:
        return gone
    current = _item_at(attempt, course, number)
    action = request.form.get("action", "next")
    try:
        value = answer_from_form(current, request.form, attempt.answers.get(current.id), action)
        services.save_answer(session, attempt, course, current.id, value)
    except services.QuizError as error:
        if attempt.passed:  # time ran out and the saved answers passed
            award_if_complete(current_user, course)
        session.commit()
        flash(str(error), "error")
        return redirect(
            url_for("quizzes.review", attempt_id=attempt.id)
            if attempt.submitted
            else url_for("quizzes.overview", attempt_id=attempt.id)
        )
    except AnswerError as error:
        session.rollback()
        return item(attempt_id, number, errors=[str(error)], status=400)
    session.commit()
    return redirect(_after_save(attempt, number, action))


def _after_save(attempt: Attempt, number: int, action: str) -> str:
    if action in ("choose", "restart"):
        return url_for("quizzes.item", attempt_id=attempt.id, number=number)
    if action == "previous" and number > 1:
        return url_for("quizzes.item", attempt_id=attempt.id, number=number - 1)
    if action == "next" and number < len(attempt.item_ids):
        return url_for("quizzes.item", attempt_id=attempt.id, number=number + 1)
    return url_for("quizzes.overview", attempt_id=attempt.id)


def answer_from_form(item: Item, form: MultiDict[str, str], saved: Any, action: str) -> Any:
    """Turn the posted form into the item type's answer (None when nothing was chosen)."""
    if item.type in ("single", "classification"):
        return form.get("answer") or None
    if item.type == "multiple":
        return form.getlist("answer") or None
    if item.type == "ordering":
        return _ordering_answer(item, form)
    # branching: each "choose" adds one choice to the path; "restart" clears it.
    if action == "restart":
        return None
    path = list(saved or [])
    choice = form.get("choice")
    if action == "choose":
        if not choice:
            raise AnswerError(_("Choose what you would do."))
        path.append(choice)
    return path or None


def _ordering_answer(item: Item, form: MultiDict[str, str]) -> list[str] | None:
    positions = {step.id: form.get(f"position-{step.id}", "") for step in item.spec.steps}
    if not any(positions.values()):
        return None
    if not all(p.isdigit() for p in positions.values()):
        raise AnswerError(_("Give every step a position."))
    if len(set(positions.values())) != len(positions):
        raise AnswerError(_("Use each position once: two steps share a number."))
    return sorted(positions, key=lambda step_id: int(positions[step_id]))


@bp.get("/attempts/<attempt_id>")
@login_required
def overview(attempt_id: str) -> ResponseReturnValue:
    attempt, course = _own_attempt(attempt_id)
    if (gone := _closed(attempt)) is not None:
        return gone
    items = [course.item(i) for i in attempt.item_ids]
    return render_template(
        "quizzes/overview.html",
        attempt=attempt,
        course=course,
        items=items,
        form=ConfirmForm(),
        minutes_left=_minutes_left(attempt),
    )


def unanswered_numbers(attempt: Attempt) -> list[int]:
    """The positions (from 1) of the questions the attempt has no answer for."""
    return [n for n, item_id in enumerate(attempt.item_ids, 1) if item_id not in attempt.answers]


@bp.post("/attempts/<attempt_id>/submit")
@login_required
def submit(attempt_id: str) -> ResponseReturnValue:
    """Grade the attempt; with questions unanswered, only once the learner has confirmed.

    The confirmation is a page of its own (no JavaScript needed). When time is up
    the saved answers are graded at once: there is nothing left to confirm.
    """
    if not ConfirmForm().validate_on_submit():
        abort(400)
    attempt, course = _own_attempt(attempt_id, lock=True)
    if (
        not attempt.submitted
        and unanswered_numbers(attempt)
        and request.form.get("confirm") != "unanswered"
        and not services.is_expired(attempt)
    ):
        return redirect(url_for("quizzes.confirm_submit", attempt_id=attempt.id))
    services.finish_attempt(db.session(), attempt, course)
    if attempt.passed:
        award_if_complete(current_user, course)
    db.session().commit()
    return redirect(url_for("quizzes.review", attempt_id=attempt.id))


@bp.get("/attempts/<attempt_id>/confirm")
@login_required
def confirm_submit(attempt_id: str) -> ResponseReturnValue:
    """The questions still unanswered, with a way back to each and "Submit anyway"."""
    attempt, course = _own_attempt(attempt_id)
    if (gone := _closed(attempt)) is not None:
        return gone
    unanswered = unanswered_numbers(attempt)
    if not unanswered:
        return redirect(url_for("quizzes.overview", attempt_id=attempt.id))
    return render_template(
        "quizzes/confirm.html",
        attempt=attempt,
        course=course,
        unanswered=unanswered,
        form=ConfirmForm(),
    )


@bp.get("/attempts/<attempt_id>/review")
@login_required
def review(attempt_id: str) -> ResponseReturnValue:
    attempt, course = _own_attempt(attempt_id)
    if not attempt.submitted:
        return redirect(url_for("quizzes.overview", attempt_id=attempt.id))
    rows = []
    for item_id in attempt.item_ids:
        current = course.item(item_id)
        if current is not None:
            answer = attempt.answers.get(item_id)
            rows.append((current, answer, current.grade(answer), current.item_type.key(current)))
    return render_template(
        "quizzes/review.html",
        attempt=attempt,
        course=course,
        rows=rows,
        label_names=_label_names(attempt),
        step=next_step(db.session(), current_user, course),
    )
