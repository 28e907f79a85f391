"""API endpoints for assessments: start an attempt, save answers, submit once."""

from __future__ import annotations

from typing import Any

from flask import g, jsonify, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import bindparam, select

from trainer import db
from trainer.accounts.services import API_TOKEN_STATE, accept_api_token
from trainer.api import bp
from trainer.api.auth import (
    api_login_required,
    bearer_token,
    bearer_user,
    require_bearer_user,
    signed_in_with_token,
)
from trainer.api.errors import ApiError
from trainer.api.learning import requested_language
from trainer.api.views import json_body
from trainer.certificates.views import award_if_complete
from trainer.content.catalogue import catalogue
from trainer.content.model import Course
from trainer.models import ApiToken, Attempt, User
from trainer.quizzes import services
from trainer.quizzes.items import AnswerError
from trainer.quizzes.views import attempt_course
from trainer.security import token_digest


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def attempt_json(attempt: Attempt, course: Course) -> dict[str, Any]:
    """The attempt as the learner may see it: before submission, nothing that gives answers away."""
    items = []
    for item_id in attempt.item_ids:
        item = course.item(item_id)
        if item is None:
            continue
        entry: dict[str, Any] = {
            "id": item.id,
            "type": item.type,
            "stem": item.stem,
            **_public_parts(
                item,
                attempt.presentation.get(item.id, {}),
                attempt.answers.get(item.id),
                submitted=attempt.submitted,
            ),
        }
        if item.id in attempt.answers:
            entry["answer"] = attempt.answers[item.id]
        if attempt.submitted and attempt.results:
            result = item.grade(attempt.answers.get(item.id))
            entry.update(
                score=result.score,
                max_score=result.max_score,
                correct=result.correct,
                feedback=list(result.feedback),
                explanation=item.explanation,
                key=item.item_type.key(item),
            )
        items.append(entry)
    body: dict[str, Any] = {
        "id": attempt.id,
        "course": attempt.course_slug,
        "course_version": attempt.course_version,
        "language": attempt.language,
        "started_at": _iso(attempt.started_at),
        "deadline_at": _iso(attempt.deadline_at),
        "submitted_at": _iso(attempt.submitted_at),
        "items": items,
    }
    if attempt.submitted:
        body.update(
            score=attempt.score,
            max_score=attempt.max_score,
            percent=attempt.percent,
            passed=attempt.passed,
            pass_mark=course.pass_mark,
        )
    return body


def submission_json(attempt: Attempt, course: Course) -> dict[str, Any]:
    """A submitted attempt's result: what the contract promises, without the review.

    Score, pass and, per item, whether it was right and the feedback on the
    answer given. The review (stems, options, explanations, keys) is at
    ``GET /api/v1/attempts/{id}``; repeating it here would double the work
    of a submission.
    """
    graded = attempt.graded
    if graded is None:  # graded by an earlier request: grade the stored answers again
        graded = {}
        for item_id in attempt.item_ids:
            item = course.item(item_id)
            if item is not None:
                graded[item_id] = item.grade(attempt.answers.get(item_id))
    items = [
        {
            "id": item_id,
            "correct": result.correct,
            "score": result.score,
            "max_score": result.max_score,
            "feedback": list(result.feedback),
        }
        for item_id, result in graded.items()
    ]
    return {
        "id": attempt.id,
        "course": attempt.course_slug,
        "course_version": attempt.course_version,
        "language": attempt.language,
        "submitted_at": _iso(attempt.submitted_at),
        "score": attempt.score,
        "max_score": attempt.max_score,
        "percent": attempt.percent,
        "passed": attempt.passed,
        "pass_mark": course.pass_mark,
        "items": items,
        "review_url": url_for("api.get_attempt", attempt_id=attempt.id),
    }


def _public_parts(
    item: Any, shown: dict[str, Any], answer: Any = None, *, submitted: bool = False
) -> dict[str, Any]:
    if item.type != "branching":
        return shown
    if submitted:
        # The review: the whole scenario, as the review page shows it.
        return {
            "start": item.spec.start,
            "nodes": [_node_json(node, shown, with_next=True) for node in item.spec.nodes.values()],
        }
    # Before submission, one situation at a time, as the page presents it: the
    # steps taken so far and where they led. The situations not reached, and
    # where each choice leads, stay out: they would tell the learner the outcome
    # of a choice before they make it. Saving a longer path moves on.
    steps, node = item.spec.walk(answer if isinstance(answer, list) else [])
    return {
        "start": item.spec.start,
        "path": [
            {
                "node": {"id": taken.id, "text": taken.text},
                "choice": {"id": choice.id, "text": choice.text},
            }
            for taken, choice in steps
        ],
        "node": _node_json(node, shown, with_next=False),
    }


def _node_json(node: Any, shown: dict[str, Any], *, with_next: bool) -> dict[str, Any]:
    choices = []
    for choice_id in shown.get("choice_order", {}).get(node.id, []):
        choice = node.choice(choice_id)
        entry = {"id": choice_id, "text": choice.text}
        if with_next:
            entry["next"] = choice.next
        choices.append(entry)
    return {"id": node.id, "text": node.text, "end": node.end, "choices": choices}


def _own_attempt(attempt_id: str, *, lock: bool = False) -> tuple[Attempt, Course]:
    user = bearer_user()
    attempt = services.find_attempt(db.session(), attempt_id, user, lock=lock) if user else None
    if attempt is None:
        raise ApiError(404, "not_found", "No such attempt.")
    return attempt, _course_of(attempt)


def _course_of(attempt: Attempt) -> Course:
    course = attempt_course(attempt)
    if course is None:
        raise ApiError(404, "not_found", "The attempt's course no longer exists.")
    return course


# The token's user and their attempt, locked, in one statement: a submission
# needs both, and this is the busiest write of the API.
_ATTEMPT_FOR_TOKEN = (
    select(Attempt, User, *API_TOKEN_STATE)
    .join(User, User.id == Attempt.user_id)
    .join(ApiToken, ApiToken.user_id == User.id)
    .where(Attempt.id == bindparam("attempt_id"), ApiToken.token_hash == bindparam("token_hash"))
    .with_for_update(of=Attempt)
    .execution_options(populate_existing=True)
)


def _locked_attempt_of_token(attempt_id: str) -> tuple[Attempt, Course]:
    """The attempt, locked, when the request's token is live and its user owns it.

    Signs the request in as that user. Anything else (no token, a revoked one,
    someone else's attempt) goes the ordinary way, which answers 401 or 404.
    """
    token = bearer_token()
    if token is not None and "api_user" not in g:
        params = {"attempt_id": attempt_id, "token_hash": token_digest(token)}
        row = db.session().execute(_ATTEMPT_FOR_TOKEN, params).first()
        if row is not None:
            attempt, *token_state = row
            user, use = accept_api_token(*token_state)
            if user is not None:
                signed_in_with_token(user, use)
                return attempt, _course_of(attempt)
    require_bearer_user()
    return _own_attempt(attempt_id, lock=True)


@bp.post("/courses/<course_slug>/attempts")
@api_login_required
def start_attempt(course_slug: str) -> ResponseReturnValue:
    """Start in ``?language=xx`` (default: the interface language) where the course has it."""
    course = catalogue().in_language(requested_language()).courses.get(course_slug)
    if course is None or course.assessment is None:
        raise ApiError(404, "not_found", f"No assessment for course {course_slug!r}.")
    session = db.session()
    try:
        attempt, created = services.start_attempt(session, bearer_user(), course)
    except services.QuizError as error:
        session.commit()
        raise ApiError(409, error.code, str(error)) from error
    session.commit()
    return jsonify({"attempt": attempt_json(attempt, course)}), 201 if created else 200


@bp.get("/attempts/<attempt_id>")
@api_login_required
def get_attempt(attempt_id: str) -> ResponseReturnValue:
    attempt, course = _own_attempt(attempt_id)
    return jsonify({"attempt": attempt_json(attempt, course)})


@bp.put("/attempts/<attempt_id>/answers")
@api_login_required
def save_answers(attempt_id: str) -> ResponseReturnValue:
    """Save answers as the learner goes: ``{"answers": {item_id: answer or null}}``."""
    answers = _answers(json_body())
    session = db.session()
    attempt, course = _own_attempt(attempt_id, lock=True)
    try:
        for item_id, answer in answers.items():
            services.save_answer(session, attempt, course, item_id, answer)
    except services.QuizError as error:
        if attempt.passed:  # time ran out and the saved answers passed
            award_if_complete(bearer_user(), course)
        session.commit()
        raise ApiError(409, error.code, str(error)) from error
    except AnswerError as error:
        session.rollback()
        raise ApiError(400, "invalid_answer", str(error)) from error
    session.commit()
    return jsonify({"attempt": attempt_json(attempt, course)})


@bp.post("/attempts/<attempt_id>/submit")
def submit_attempt(attempt_id: str) -> ResponseReturnValue:
    """Grade once. Repeating the submit returns the same result and ignores new answers.

    Signs in with the token itself (see ``_locked_attempt_of_token``), so it
    needs no ``api_login_required``.
    """
    # The body may be empty when the answers were saved as the learner went.
    body = json_body() if request.get_data() else {}
    answers = _answers(body, required=False)
    session = db.session()
    attempt, course = _locked_attempt_of_token(attempt_id)
    try:
        services.finish_attempt(session, attempt, course, answers)
    except AnswerError as error:
        session.rollback()
        raise ApiError(400, "invalid_answer", str(error)) from error
    if attempt.passed:
        award_if_complete(bearer_user(), course)
    session.commit()
    return jsonify({"attempt": submission_json(attempt, course)})


def _answers(body: dict[str, Any], *, required: bool = True) -> dict[str, Any]:
    answers = body.get("answers", None if required else {})
    if not isinstance(answers, dict):
        raise ApiError(400, "invalid_request", 'Send {"answers": {"<item id>": <answer>}}.')
    return answers
