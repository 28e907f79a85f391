"""Partial-credit rules. Pure functions: no app, no database.

Every rule returns a score between 0 and the item's maximum, inclusive.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations


def multiple_select_credit(correct: set[str], wrong: set[str], chosen: set[str]) -> float:
    """Credit for a "select all that apply" item, out of 1.

    Each right pick earns 1/len(correct); each wrong pick costs 1/len(wrong), so
    choosing every option (or none) earns nothing, and the total never drops below 0.
    Options that are neither right nor wrong (unknown ids) are ignored.
    """
    if not correct:
        return 0.0
    hits = len(chosen & correct) / len(correct)
    misses = len(chosen & wrong) / len(wrong) if wrong else 0.0
    return max(0.0, hits - misses)


def ordering_credit(correct_order: Sequence[str], given_order: Sequence[str]) -> float:
    """Credit for an ordering item, out of 1: the share of pairs in the right relative order.

    Steps missing from the answer count as out of order; a fully reversed order
    scores 0 and the right order scores 1 (Kendall's tau, rescaled to 0..1).
    """
    if len(correct_order) < 2:
        return 1.0 if list(given_order) == list(correct_order) else 0.0
    position = {step: index for index, step in enumerate(given_order)}
    pairs = list(combinations(correct_order, 2))
    agreeing = sum(
        1
        for first, second in pairs
        if first in position and second in position and position[first] < position[second]
    )
    return agreeing / len(pairs)


def round_score(value: float) -> float:
    """Scores are kept to two decimals, so stored and recomputed results agree."""
    return round(value + 1e-9, 2)
