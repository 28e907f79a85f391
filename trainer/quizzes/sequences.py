"""Item types about sequences: ordering steps, and branching scenarios."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from trainer.quizzes.grading import ordering_credit, round_score
from trainer.quizzes.items import (
    AnswerError,
    Item,
    ItemResult,
    ItemType,
    SpecContext,
    register,
    render_text,
    shuffled,
)

# -- ordering -------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    id: str
    text: str
    feedback: str


@dataclass(frozen=True)
class OrderingSpec:
    steps: tuple[Step, ...]  # in the correct order

    def step(self, step_id: str) -> Step | None:
        return next((s for s in self.steps if s.id == step_id), None)


@register
class Ordering(ItemType):
    name = "ordering"
    keys = frozenset({"steps"})

    def parse(self, context: SpecContext) -> OrderingSpec | None:
        raw = context.data.get("steps")
        if not isinstance(raw, list) or not 3 <= len(raw) <= 8:
            context.problem(
                "[[items.steps]]", "needs 3 to 8 steps ([[items.steps]], in the right order)"
            )
            return None
        steps, seen = [], set()
        for entry in raw:
            step_id = entry.get("id") if isinstance(entry, dict) else None
            if not isinstance(step_id, str) or not step_id or step_id in seen:
                context.problem(
                    "[[items.steps]]", f"every step needs a unique `id` (got {step_id!r})"
                )
                continue
            seen.add(step_id)
            text = context.text(entry.get("text"), "[[items.steps]]", f"step {step_id!r} `text`")
            feedback = context.text(
                entry.get("feedback"),
                "[[items.steps]]",
                f"step {step_id!r} `feedback` (say why it is here)",
            )
            if text and feedback:
                steps.append(Step(step_id, render_text(text), render_text(feedback)))
        return None if context.problems else OrderingSpec(tuple(steps))

    def present(self, item: Item, rng: random.Random) -> dict[str, Any]:
        ids = [s.id for s in item.spec.steps]
        order = shuffled(ids, rng)
        while order == ids:  # never show the answer as the starting order
            order = shuffled(ids, rng)
        return {"steps": [{"id": i, "text": item.spec.step(i).text} for i in order]}

    def check_answer(self, item: Item, answer: Any) -> list[str]:
        expected = {s.id for s in item.spec.steps}
        if not isinstance(answer, list) or sorted(answer) != sorted(expected):
            raise AnswerError(_("Put every step in the list exactly once."))
        return list(answer)

    def grade(self, item: Item, answer: Any) -> ItemResult:
        if not isinstance(answer, list):
            return ItemResult(0.0, 1.0)
        credit = ordering_credit([s.id for s in item.spec.steps], answer)
        return ItemResult(round_score(credit), 1.0, tuple(s.feedback for s in item.spec.steps))

    def key(self, item: Item) -> Any:
        return [s.id for s in item.spec.steps]


# -- branching ------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    id: str
    text: str
    score: int
    feedback: str
    next: str


@dataclass(frozen=True)
class Node:
    id: str
    text: str
    end: bool
    choices: tuple[Choice, ...]

    def choice(self, choice_id: str) -> Choice | None:
        return next((c for c in self.choices if c.id == choice_id), None)


@dataclass(frozen=True)
class BranchingSpec:
    start: str
    nodes: dict[str, Node]
    max_raw: int  # the best path's total score

    def walk(self, path: list[str]) -> tuple[list[tuple[Node, Choice]], Node]:
        """Follow ``path`` (choice ids) from the start: the steps taken and the node reached.

        Stops at the first choice that is not offered where the walk stands.
        """
        node, steps = self.nodes[self.start], []
        for choice_id in path:
            choice = node.choice(choice_id) if not node.end else None
            if choice is None:
                break
            steps.append((node, choice))
            node = self.nodes[choice.next]
        return steps, node


@register
class Branching(ItemType):
    name = "branching"
    keys = frozenset({"start", "nodes"})

    def parse(self, context: SpecContext) -> BranchingSpec | None:
        raw = context.data.get("nodes")
        start = context.data.get("start")
        if not isinstance(raw, list) or len(raw) < 3:
            context.problem("[[items.nodes]]", "needs at least 3 situations ([[items.nodes]])")
            return None
        nodes = {}
        for entry in raw:
            node = _parse_node(context, entry)
            if node is not None:
                if node.id in nodes:
                    context.problem("[[items.nodes]]", f"duplicate node id {node.id!r}")
                nodes[node.id] = node
        if start not in nodes:
            context.problem("start", f"`start` must name a node, not {start!r}")
        for node in nodes.values():
            for choice in node.choices:
                if choice.next not in nodes:
                    context.problem(
                        "[[items.nodes.choices]]",
                        f"choice {choice.id!r} in {node.id!r} leads to "
                        f"unknown node {choice.next!r}",
                    )
        if context.problems:
            return None
        _check_graph(context, start, nodes)
        if context.problems:
            return None
        return BranchingSpec(start, nodes, _best_score(start, nodes))

    def present(self, item: Item, rng: random.Random) -> dict[str, Any]:
        # Choices are shuffled per situation; the order is kept with the attempt.
        return {
            "start": item.spec.start,
            "choice_order": {
                n.id: shuffled([c.id for c in n.choices], rng)
                for n in item.spec.nodes.values()
                if n.choices
            },
        }

    def check_answer(self, item: Item, answer: Any) -> list[str]:
        if not isinstance(answer, list) or not all(isinstance(a, str) for a in answer):
            raise AnswerError(_("Send the list of choices made, in order."))
        steps, _node = item.spec.walk(answer)
        if len(steps) != len(answer):
            raise AnswerError(
                _("The choice '%(id)s' is not offered at that point.", id=answer[len(steps)])
            )
        return answer

    def grade(self, item: Item, answer: Any) -> ItemResult:
        steps, _node = item.spec.walk(answer if isinstance(answer, list) else [])
        raw = sum(choice.score for _node, choice in steps)
        return ItemResult(
            round_score(raw / item.spec.max_raw),
            1.0,
            tuple(choice.feedback for _node, choice in steps),
        )

    def key(self, item: Item) -> Any:
        return best_path(item.spec)


def _parse_node(context: SpecContext, entry: Any) -> Node | None:
    node_id = entry.get("id") if isinstance(entry, dict) else None
    if not isinstance(node_id, str) or not node_id:
        context.problem("[[items.nodes]]", "every node needs an `id`")
        return None
    text = context.text(entry.get("text"), "[[items.nodes]]", f"node {node_id!r} `text`")
    end = entry.get("end") is True
    raw_choices = entry.get("choices", [])
    if end and raw_choices:
        context.problem("[[items.nodes]]", f"end node {node_id!r} must not have choices")
    if not end and len(raw_choices) < 2:
        context.problem(
            "[[items.nodes]]", f"node {node_id!r} needs 2 or more choices, or `end = true`"
        )
    choices = []
    for raw in raw_choices:
        choice_id = raw.get("id")
        score, target = raw.get("score"), raw.get("next")
        feedback = context.text(
            raw.get("feedback"), "[[items.nodes.choices]]", f"choice {choice_id!r} `feedback`"
        )
        label = context.text(
            raw.get("text"), "[[items.nodes.choices]]", f"choice {choice_id!r} `text`"
        )
        if not isinstance(score, int) or isinstance(score, bool) or score < 0:
            context.problem(
                "[[items.nodes.choices]]", f"choice {choice_id!r} needs a `score` of 0 or more"
            )
            continue
        if not isinstance(choice_id, str) or not isinstance(target, str):
            context.problem(
                "[[items.nodes.choices]]", f"choice {choice_id!r} needs `id` and `next`"
            )
            continue
        if label and feedback:
            choices.append(
                Choice(choice_id, render_text(label), score, render_text(feedback), target)
            )
    return Node(node_id, render_text(text or ""), end, tuple(choices))


def _check_graph(context: SpecContext, start: str, nodes: dict[str, Node]) -> None:
    """Every node reachable, no cycles (so every path ends), and a path worth points."""
    state: dict[str, str] = {}  # "open" while on the current path, then "done"

    def visit(node_id: str, trail: list[str]) -> None:
        state[node_id] = "open"
        for choice in nodes[node_id].choices:
            if state.get(choice.next) == "open":
                loop = " → ".join([*trail, node_id, choice.next])
                context.problem("[[items.nodes.choices]]", f"cycle: {loop}")
            elif choice.next not in state:
                visit(choice.next, [*trail, node_id])
        state[node_id] = "done"

    visit(start, [])
    unreachable = sorted(set(nodes) - set(state))
    if unreachable:
        context.problem("[[items.nodes]]", f"unreachable from {start!r}: {', '.join(unreachable)}")
    if not context.problems and _best_score(start, nodes) == 0:
        context.problem("[[items.nodes.choices]]", "no path scores any points")


def _best_score(node_id: str, nodes: dict[str, Node], memo: dict[str, int] | None = None) -> int:
    memo = {} if memo is None else memo
    if node_id not in memo:
        memo[node_id] = max(
            (c.score + _best_score(c.next, nodes, memo) for c in nodes[node_id].choices), default=0
        )
    return memo[node_id]


def best_path(spec: BranchingSpec) -> list[str]:
    """The choices of a highest-scoring path, from the start to an end."""
    path, node = [], spec.nodes[spec.start]
    while node.choices:
        choice = max(node.choices, key=lambda c: c.score + _best_score(c.next, spec.nodes))
        path.append(choice.id)
        node = spec.nodes[choice.next]
    return path
