"""Drawing an attempt's items from the bank. Pure and seeded: the same seed gives the same draw.

`random.Random` is right here: the draw must be reproducible from the stored
seed, and the seed itself comes from `secrets`.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from trainer.quizzes.items import Item
from trainer.quizzes.loading import Assessment


def draw_items(bank: Sequence[Item], assessment: Assessment, seed: int) -> list[str]:
    """Item ids for one attempt: each pool's share first, then the rest from the whole bank."""
    rng = random.Random(seed)  # noqa: S311
    chosen: list[Item] = []
    for pool in assessment.pools:
        candidates = [i for i in bank if pool.accepts(i) and i not in chosen]
        chosen += rng.sample(candidates, min(pool.count, len(candidates)))
    rest = [i for i in bank if i not in chosen]
    chosen += rng.sample(rest, min(assessment.items - len(chosen), len(rest)))
    rng.shuffle(chosen)
    return [item.id for item in chosen]


def presentation(items: Sequence[Item], seed: int) -> dict[str, Any]:
    """How each item is shown (option order and the like), reproducible from the seed."""
    return {item.id: item.present(random.Random(f"{seed}:{item.id}")) for item in items}  # noqa: S311
