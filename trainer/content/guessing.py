"""Test-wise guessing strategies scored on an item bank, with no knowledge of the course.

Each strategy answers every item by a surface rule (the longest option, a hedge in the
stem, the commonest label…). Its score is the *expected* score over the bank, each item
worth 1 point as in grading: options are shuffled for the learner, so ties and random
picks count by their probability, not by file order. An item a strategy has no rule for
is answered at random, as a guesser would have to. ``trainer content lint`` fails a
course when a strategy reaches its pass mark.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from itertools import combinations
from typing import Any

DEFAULT_LABELS = ("trafficking", "smuggling", "both", "neither", "not-enough-information")

#: Words and phrases that hedge a classification stem, by language. A hedge in some
#: stems and not others is a cue ("answer NEI when hedged").
HEDGES: dict[str, tuple[str, ...]] = {
    "en": ("on these facts", "so far", "at this point", "nothing else is known", "for now",
           "as far as you know", "all you know", "from what you know", "at this stage",
           "on what you know", "based on these facts", "only these facts"),
    "es": ("con estos hechos", "hasta ahora", "por ahora", "en este momento", "no se sabe nada más",
           "hasta donde sabe", "todo lo que sabe", "por lo que sabe", "en esta fase",
           "con lo que sabe", "solo estos hechos"),
    "fr": ("sur ces faits", "jusqu'ici", "pour l'instant", "à ce stade", "on ne sait rien d'autre"),
}  # fmt: skip
#: Absolute words: a test-wise guesser avoids options carrying them.
ABSOLUTES: dict[str, tuple[str, ...]] = {
    "en": ("always", "never", "only", "all", "none", "every"),
    "es": ("siempre", "nunca", "solo", "sólo", "todos", "todas", "ninguno", "ninguna", "jamás"),
    "fr": ("toujours", "jamais", "seulement", "tous", "toutes", "aucun", "aucune"),
}
NEI = "not-enough-information"


def words_in(text: str, words: tuple[str, ...]) -> list[str]:
    """The words or phrases of ``words`` found in ``text`` as whole words, case-insensitive."""
    lowered = text.lower()
    return [w for w in words if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", lowered)]


def plain_length(text: str) -> int:
    """Length as the learner perceives it: Markdown marks and extra spaces left out."""
    return len(re.sub(r"\s+", " ", re.sub(r"[*_`#>]", "", text)).strip())


# -- expected scores of one answer rule on one item ---------------------------------------


def _pick_among(options: list[dict[str, Any]], chosen: list[dict[str, Any]]) -> float:
    """Expected single-choice score when the guesser picks uniformly among ``chosen``."""
    pool = chosen or options
    return sum(1 for o in pool if o.get("correct") is True) / len(pool)


def _longest(entries: list[dict[str, Any]], key: str = "text") -> list[dict[str, Any]]:
    top = max(plain_length(e.get(key, "")) for e in entries)
    return [e for e in entries if plain_length(e.get(key, "")) == top]


def multiple_credit(options: list[dict[str, Any]], picked: list[dict[str, Any]]) -> float:
    """Multiple-select grading: right / correct - wrong / incorrect, at least 0."""
    correct = sum(1 for o in options if o.get("correct") is True)
    incorrect = len(options) - correct
    right = sum(1 for o in picked if o.get("correct") is True)
    wrong = len(picked) - right
    return max(0.0, right / correct - (wrong / incorrect if incorrect else 0.0))


def random_score(item: dict[str, Any]) -> float:
    """What answering uniformly at random scores, in expectation."""
    kind = item.get("type")
    if kind == "single":
        return _pick_among(item["options"], [])
    if kind == "multiple":
        options = item["options"]
        subsets = [list(c) for n in range(1, len(options) + 1) for c in combinations(options, n)]
        return sum(multiple_credit(options, s) for s in subsets) / len(subsets)
    if kind == "classification":
        return 1 / len(item.get("labels") or DEFAULT_LABELS)
    if kind == "ordering":
        return 0.5  # each pair of steps is in the right order with probability one half
    if kind == "branching":
        return _walk(item, lambda choices: choices)
    return 0.0


def _walk(
    item: dict[str, Any], rule: Callable[[list[dict[str, Any]]], list[dict[str, Any]]]
) -> float:
    """Expected share of the best path's points when every node's pick is uniform over ``rule``."""
    nodes = {n["id"]: n for n in item.get("nodes", [])}

    def expected(node_id: str) -> tuple[float, float]:  # (expected points, best points)
        node = nodes[node_id]
        choices = node.get("choices") or []
        if node.get("end") or not choices:
            return 0.0, 0.0
        pool = rule(choices) or choices
        got = sum(c.get("score", 0) + expected(c["next"])[0] for c in pool) / len(pool)
        best = max(c.get("score", 0) + expected(c["next"])[1] for c in choices)
        return got, best

    got, best = expected(item["start"])
    return got / best if best else 0.0


def hedged(item: dict[str, Any], language: str) -> bool:
    return bool(words_in(item.get("stem", ""), HEDGES.get(language, ())))


# -- the strategies -----------------------------------------------------------------------

Rule = Callable[[dict[str, Any], "BankFacts"], "float | None"]


@dataclass(frozen=True)
class BankFacts:
    """What a guesser could learn from the bank's surface: its language and commonest label."""

    language: str
    common_label: str


def _longest_rule(item: dict[str, Any], facts: BankFacts) -> float | None:
    kind = item.get("type")
    if kind == "single":
        return _pick_among(item["options"], _longest(item["options"]))
    if kind == "multiple":
        options = item["options"]
        longest = _longest(options)
        return sum(multiple_credit(options, [o]) for o in longest) / len(longest)
    if kind == "branching":
        return _walk(item, _longest)
    return None


def _longer_half_rule(item: dict[str, Any], facts: BankFacts) -> float | None:
    """Multiple-select: tick every option at least as long as the item's mean option."""
    if item.get("type") != "multiple":
        return _longest_rule(item, facts)
    options = item["options"]
    mean = sum(plain_length(o["text"]) for o in options) / len(options)
    return multiple_credit(options, [o for o in options if plain_length(o["text"]) >= mean])


def _no_absolutes_rule(item: dict[str, Any], facts: BankFacts) -> float | None:
    if item.get("type") != "single":
        return None
    absolutes = ABSOLUTES.get(facts.language, ())
    calm = [o for o in item["options"] if not words_in(o["text"], absolutes)]
    return _pick_among(item["options"], calm)


def _label_rule(choose: Callable[[dict[str, Any], BankFacts], str]) -> Rule:
    def rule(item: dict[str, Any], facts: BankFacts) -> float | None:
        if item.get("type") != "classification":
            return None
        return 1.0 if choose(item, facts) == item.get("answer") else 0.0

    return rule


def _hedge_choice(item: dict[str, Any], facts: BankFacts) -> str:
    return NEI if hedged(item, facts.language) else "trafficking"


def _test_wise(item: dict[str, Any], facts: BankFacts) -> float | None:
    """The longer-half rule for options and the hedge rule for labels, together."""
    if item.get("type") == "classification":
        return _label_rule(_hedge_choice)(item, facts)
    return _longer_half_rule(item, facts)


STRATEGIES: dict[str, Rule] = {
    "always the longest option": _longest_rule,
    "the longer half of a multiple-select": _longer_half_rule,
    "avoid options with absolute words": _no_absolutes_rule,
    "NEI when the stem hedges, else trafficking": _label_rule(_hedge_choice),
    "always 'trafficking'": _label_rule(lambda item, facts: "trafficking"),
    "always the commonest label": _label_rule(lambda item, facts: facts.common_label),
    "all of the above, test-wise": _test_wise,
}


def bank_facts(items: list[dict[str, Any]], language: str) -> BankFacts:
    answers = Counter(i.get("answer") for i in items if i.get("type") == "classification")
    return BankFacts(language, answers.most_common(1)[0][0] if answers else "trafficking")


def strategy_scores(items: list[dict[str, Any]], language: str) -> dict[str, float]:
    """Each strategy's expected score as a share (0 to 1) of the bank's maximum score."""
    if not items:
        return {}
    facts = bank_facts(items, language)
    scores = {}
    for name, rule in STRATEGIES.items():
        total = 0.0
        for item in items:
            got = rule(item, facts)
            total += random_score(item) if got is None else got
        scores[name] = total / len(items)
    scores["random answers"] = sum(random_score(i) for i in items) / len(items)
    return scores
