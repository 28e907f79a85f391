"""The five item types: single, multiple, classification, ordering, branching."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from trainer.quizzes.grading import multiple_select_credit, round_score
from trainer.quizzes.items import (
    DEFAULT_LABELS,
    AnswerError,
    Item,
    ItemResult,
    ItemType,
    SpecContext,
    register,
    render_text,
    shuffled,
)

# -- single and multiple ----------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    id: str
    text: str
    correct: bool
    feedback: str


@dataclass(frozen=True)
class ChoiceSpec:
    options: tuple[Option, ...]

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)


def _parse_options(
    context: SpecContext, *, min_correct: int, max_correct: int
) -> ChoiceSpec | None:
    raw = context.data.get("options")
    if not isinstance(raw, list) or len(raw) < 2:
        context.problem("[[items.options]]", "needs at least 2 options ([[items.options]])")
        return None
    options, seen = [], set()
    for entry in raw:
        option_id = entry.get("id") if isinstance(entry, dict) else None
        if not isinstance(option_id, str) or not option_id:
            context.problem("[[items.options]]", "every option needs an `id`")
            continue
        if option_id in seen:
            context.problem("[[items.options]]", f"duplicate option id {option_id!r}")
        seen.add(option_id)
        text = context.text(entry.get("text"), "[[items.options]]", f"option {option_id!r} `text`")
        feedback = context.text(
            entry.get("feedback"), "[[items.options]]", f"option {option_id!r} `feedback` (say why)"
        )
        if text is not None and feedback is not None:
            options.append(
                Option(
                    option_id,
                    render_text(text),
                    entry.get("correct") is True,
                    render_text(feedback),
                )
            )
    correct = sum(o.correct for o in options)
    if not min_correct <= correct <= max_correct:
        wanted = "exactly one" if max_correct == 1 else f"at least {min_correct}"
        context.problem(
            "[[items.options]]", f"{wanted} option must be `correct = true`, not {correct}"
        )
    if max_correct > 1 and correct == len(options):
        context.problem("[[items.options]]", "at least one option must be incorrect")
    return ChoiceSpec(tuple(options)) if not context.problems else None


class _ChoiceType(ItemType):
    keys = frozenset({"options"})

    def present(self, item: Item, rng: random.Random) -> dict[str, Any]:
        ids = shuffled([o.id for o in item.spec.options], rng)
        return {"options": [{"id": i, "text": item.spec.option(i).text} for i in ids]}

    def key(self, item: Item) -> Any:
        return [o.id for o in item.spec.options if o.correct]


@register
class SingleChoice(_ChoiceType):
    name = "single"

    def parse(self, context: SpecContext) -> ChoiceSpec | None:
        return _parse_options(context, min_correct=1, max_correct=1)

    def check_answer(self, item: Item, answer: Any) -> str:
        if not isinstance(answer, str) or item.spec.option(answer) is None:
            raise AnswerError(_("Choose one of the options."))
        return answer

    def grade(self, item: Item, answer: Any) -> ItemResult:
        option = item.spec.option(answer) if isinstance(answer, str) else None
        if option is None:
            return ItemResult(0.0, 1.0)
        return ItemResult(1.0 if option.correct else 0.0, 1.0, (option.feedback,))


@register
class MultipleSelect(_ChoiceType):
    name = "multiple"

    def parse(self, context: SpecContext) -> ChoiceSpec | None:
        return _parse_options(context, min_correct=2, max_correct=10_000)

    def check_answer(self, item: Item, answer: Any) -> list[str]:
        if not isinstance(answer, list) or not all(isinstance(a, str) for a in answer):
            raise AnswerError(_("Send a list of option ids."))
        unknown = [a for a in answer if item.spec.option(a) is None]
        if unknown:
            raise AnswerError(_("Unknown option '%(id)s'.", id=unknown[0]))
        return sorted(set(answer))

    def grade(self, item: Item, answer: Any) -> ItemResult:
        chosen = {a for a in answer if isinstance(a, str)} if isinstance(answer, list) else set()
        correct = {o.id for o in item.spec.options if o.correct}
        wrong = {o.id for o in item.spec.options if not o.correct}
        feedback = tuple(o.feedback for o in item.spec.options if o.id in chosen)
        return ItemResult(
            round_score(multiple_select_credit(correct, wrong, chosen)), 1.0, feedback
        )


# -- classification -------------------------------------------------------------------


@dataclass(frozen=True)
class ClassificationSpec:
    labels: tuple[str, ...]
    answer: str
    feedback: dict[str, str]


@register
class Classification(ItemType):
    name = "classification"
    keys = frozenset({"labels", "answer", "feedback"})

    def parse(self, context: SpecContext) -> ClassificationSpec | None:
        labels = context.data.get("labels", list(DEFAULT_LABELS))
        if not isinstance(labels, list) or len(labels) < 2 or len(set(labels)) != len(labels):
            context.problem("labels", "`labels` must list at least 2 different labels")
            return None
        answer = context.data.get("answer")
        if answer not in labels:
            context.problem("answer", f"`answer` must be one of the labels: {', '.join(labels)}")
        feedback = context.data.get("feedback")
        if not isinstance(feedback, dict):
            context.problem("[items.feedback]", "needs [items.feedback] with one entry per label")
            return None
        missing = [label for label in labels if not str(feedback.get(label, "")).strip()]
        if missing:
            context.problem("[items.feedback]", f"feedback missing for: {', '.join(missing)}")
        extra = sorted(set(feedback) - set(labels))
        if extra:
            context.problem("[items.feedback]", f"feedback for unknown labels: {', '.join(extra)}")
        if context.problems:
            return None
        return ClassificationSpec(
            tuple(labels), answer, {label: render_text(feedback[label]) for label in labels}
        )

    def present(self, item: Item, rng: random.Random) -> dict[str, Any]:
        # Labels keep their order: a fixed scale is easier to read than a shuffled one.
        return {"labels": list(item.spec.labels)}

    def check_answer(self, item: Item, answer: Any) -> str:
        if answer not in item.spec.labels:
            raise AnswerError(_("Choose one of: %(labels)s.", labels=", ".join(item.spec.labels)))
        return answer

    def grade(self, item: Item, answer: Any) -> ItemResult:
        if answer not in item.spec.labels:
            return ItemResult(0.0, 1.0)
        return ItemResult(
            1.0 if answer == item.spec.answer else 0.0, 1.0, (item.spec.feedback[answer],)
        )

    def key(self, item: Item) -> Any:
        return item.spec.answer
