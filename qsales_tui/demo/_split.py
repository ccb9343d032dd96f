"""Largest-remainder rounding, private to the demo generator.

``qsales_tui.domain.splits`` will be the shared implementation; this stays small and
private so the generator does not depend on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction


def split_exact(total: int, weights: Sequence[float]) -> list[int]:
    """Integer parts of ``total`` in proportion to ``weights`` that sum to ``total`` exactly.

    Floors each share, then gives the leftover units to the largest remainders (ties go
    to the earlier weight). All-zero weights split evenly.
    """
    if not weights:
        raise ValueError("need at least one weight")
    if any(w < 0 for w in weights):
        raise ValueError("weights must not be negative")
    exact_weights = [Fraction(w) for w in weights]  # exact: no float drift in the sum
    weight_sum = sum(exact_weights)
    if weight_sum == 0:
        exact_weights, weight_sum = [Fraction(1)] * len(weights), Fraction(len(weights))
    exact = [total * w / weight_sum for w in exact_weights]
    parts = [x.numerator // x.denominator for x in exact]
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts
