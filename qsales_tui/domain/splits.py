"""Exact splits of a target over periods and people.

Every split here adds up to its total to the minor unit: shares are computed as exact
fractions, floored, and the units left over go to the largest remainders (ties: the
key that comes first). Each part is then within one unit of its exact share.

Time splits follow a *daily profile*: each month of the quarter gets a weight (its
working days, its past years' sales, or the user's own numbers) and that weight is
spread evenly over the month's working days. Months and ISO weeks are both cut from
that one profile, so a week straddling two months takes a little of each.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from qsales_tui.domain.calendar import FiscalCalendar, Quarter

Weight = Decimal | int | float | Fraction


def split_exact(total: int, weights: Mapping[str, Weight]) -> dict[str, int]:
    """Split ``total`` over ``weights``' keys in proportion, summing exactly to ``total``.

    All-zero weights split evenly. A negative weight, or no keys at all, is a
    ``ValueError``. A negative total is split as its mirror image. Ties between equal
    remainders go to the key that comes first in ``weights``.
    """
    if not weights:
        raise ValueError("nothing to split over: no keys")
    exact = {key: _fraction(key, value) for key, value in weights.items()}
    if total < 0:
        return {key: -part for key, part in split_exact(-total, exact).items()}
    weight_sum = sum(exact.values())
    if weight_sum == 0:
        exact = dict.fromkeys(exact, Fraction(1))
        weight_sum = Fraction(len(exact))
    shares = {key: total * value / weight_sum for key, value in exact.items()}
    parts = {key: share.numerator // share.denominator for key, share in shares.items()}
    left_over = total - sum(parts.values())
    position = {key: index for index, key in enumerate(exact)}
    by_remainder = sorted(exact, key=lambda key: (parts[key] - shares[key], position[key]))
    for key in by_remainder[:left_over]:
        parts[key] += 1
    return parts


def _fraction(key: str, value: Weight) -> Fraction:
    try:
        exact = Fraction(value)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"weight of {key!r} is not a number: {value!r}") from None
    if exact < 0:
        raise ValueError(f"weight of {key!r} is negative: {value!r}")
    return exact


# --- hand edits --------------------------------------------------------------------


@dataclass(frozen=True)
class Rebalanced:
    """A split after a hand edit; ``unplaced`` is what is still to place (negative: over)."""

    values: dict[str, int]
    unplaced: int

    @property
    def balanced(self) -> bool:
        return self.unplaced == 0


def rebalance(
    split: Mapping[str, int],
    key: str,
    new_value: int,
    total: int,
    locked: Iterable[str] = (),
    mode: Literal["spread", "show"] = "spread",
) -> Rebalanced:
    """Set ``split[key] = new_value`` and keep the total.

    ``spread``: the other unlocked keys share what is left in proportion to their current
    values (evenly when those are all zero), so the result sums to ``total``. When
    nothing can absorb the difference (every other key locked, or the locked keys and
    the edit already exceed the total) the edit is applied alone and the gap reported.
    ``show``: only the edit is applied; ``unplaced`` says what is still to place.
    """
    if key not in split:
        raise ValueError(f"unknown period or person: {key!r}")
    if new_value < 0:
        raise ValueError(f"a part cannot be negative: {new_value}")
    values = dict(split)
    values[key] = new_value
    locked = set(locked) - {key}
    free = [other for other in values if other != key and other not in locked]
    remaining = total - new_value - sum(values[other] for other in locked)
    if mode == "spread" and free and remaining >= 0:
        values.update(split_exact(remaining, {other: values[other] for other in free}))
    elif mode not in ("spread", "show"):
        raise ValueError(f"unknown rebalance mode: {mode!r}")
    return Rebalanced(values, total - sum(values.values()))


# --- splits over time --------------------------------------------------------------

SplitMethod = Literal["working_days", "seasonality", "custom"]


@dataclass(frozen=True)
class TimeSplit:
    months: dict[str, int]  # "YYYY-MM" → amount
    weeks: dict[str, int]  # "YYYY-Www" → amount (ISO weeks clipped to the quarter)


def working_day_weights(quarter: Quarter, calendar: FiscalCalendar) -> dict[str, int]:
    """Each month of the quarter weighted by its working days."""
    return {
        month: calendar.working_days(first, last) for month, first, last in month_bounds(quarter)
    }


def split_over_time(
    total: int,
    quarter: Quarter,
    calendar: FiscalCalendar,
    month_weights: Mapping[str, Weight] | None = None,
) -> TimeSplit:
    """Split ``total`` over the quarter's months and weeks.

    ``month_weights`` (keys ``YYYY-MM`` of the quarter) come from seasonality, custom
    weights or hand-edited month amounts; ``None`` splits by working days. Passing
    hand-edited month amounts that sum to ``total`` gives back exactly those amounts.
    """
    months = quarter.months()
    weights = working_day_weights(quarter, calendar) if month_weights is None else month_weights
    if set(weights) != set(months):
        raise ValueError(f"month weights must name exactly {', '.join(months)}")
    daily = _daily_profile(quarter, calendar, weights)
    week_weights = {
        label: sum(
            (
                daily.get(first + timedelta(days=i), Fraction(0))
                for i in range((last - first).days + 1)
            ),
            Fraction(0),
        )
        for label, first, last in quarter.weeks()
    }
    return TimeSplit(
        months=split_exact(total, {month: weights[month] for month in months}),
        weeks=split_exact(total, week_weights),
    )


def month_bounds(quarter: Quarter) -> list[tuple[str, date, date]]:
    """The quarter's months: (``YYYY-MM``, first day, last day)."""
    bounds = []
    for month in quarter.months():
        first = date.fromisoformat(month + "-01")
        following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        bounds.append((month, first, following - timedelta(days=1)))
    return bounds


def _daily_profile(
    quarter: Quarter, calendar: FiscalCalendar, weights: Mapping[str, Weight]
) -> dict[date, Fraction]:
    """Each month's weight spread evenly over its working days (all its days if it has none)."""
    profile: dict[date, Fraction] = {}
    for month, first, last in month_bounds(quarter):
        days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
        working = [day for day in days if calendar.is_working_day(day)] or days
        each = _fraction(month, weights[month]) / len(working)
        profile.update(dict.fromkeys(working, each))
    return profile


def expected_to_date(
    target: int,
    months: Mapping[str, int],
    quarter: Quarter,
    calendar: FiscalCalendar,
    today: date,
) -> int:
    """The part of ``target`` its month split expects by the end of ``today`` (pace's base).

    Past months count whole, the current month pro rata by its working days elapsed (a
    month without working days counts whole once begun), later months not at all; the
    sum is scaled to ``target`` and rounded half up once. Without a month split the
    target is prorated by working days over the quarter. This is the KPI engine's
    definition (``KpiEngine.split_to_date``), so the two always agree.
    """
    if today < quarter.start:
        return 0
    as_of = min(today, quarter.end)
    split = {month: int(months[month]) for month in quarter.months() if month in months}
    if sum(split.values()) <= 0:
        total = calendar.quarter_working_days(quarter)
        elapsed = calendar.working_days(quarter.start, as_of)
        return round_half_up(Fraction(target * elapsed, total)) if total else target
    done = Fraction(0)
    for month, first, last in month_bounds(quarter):
        working = calendar.working_days(first, last)
        if as_of >= last or (working == 0 and as_of >= first):
            done += split.get(month, 0)
        elif as_of >= first:
            done += Fraction(split.get(month, 0) * calendar.working_days(first, as_of), working)
    return round_half_up(target * done / sum(split.values()))


def round_half_up(value: Fraction) -> int:
    """Nearest integer, halves away from zero (as money is rounded everywhere)."""
    magnitude = (2 * abs(value.numerator) + value.denominator) // (2 * value.denominator)
    return magnitude if value >= 0 else -magnitude


# --- allocation to people ----------------------------------------------------------

AllocationMethod = Literal["even", "history", "capacity", "manual"]


def allocate_even(total: int, reps: Iterable[str]) -> dict[str, int]:
    return split_exact(total, dict.fromkeys(reps, 1))


def allocate_by_history(
    total: int,
    reps: Iterable[str],
    history: Mapping[str, Mapping[str, int]],
    quarters: Iterable[str],
) -> dict[str, int]:
    """In proportion to each rep's historical run: ``history`` is rep → quarter → amount.

    A rep's weight is their average quarter over ``quarters``, counted from their first
    quarter with sales in that window, so a rep who joined (or took over a book) lately
    is weighed by what they sell now rather than diluted by the quarters before they
    started. For reps present throughout, this is their share of the window's sales.
    A rep with no sales in the window gets nothing (use capacity weights or a hand edit
    for a new hire); when nobody has any, the split is even. Negative quarters (returns
    exceeding sales) count as zero.
    """
    window = list(quarters)
    weights: dict[str, Fraction] = {}
    for rep in reps:
        amounts = [max(0, history.get(rep, {}).get(quarter, 0)) for quarter in window]
        started = next((i for i, amount in enumerate(amounts) if amount), len(amounts))
        active = amounts[started:]
        weights[rep] = Fraction(sum(active), len(active)) if active else Fraction(0)
    return split_exact(total, weights)


def allocate_by_capacity(total: int, capacity: Mapping[str, Weight]) -> dict[str, int]:
    return split_exact(total, capacity)


def allocation_gap(allocation: Mapping[str, int], total: int) -> int:
    """What a hand-made allocation still has to place (negative: allocated too much)."""
    if any(amount < 0 for amount in allocation.values()):
        raise ValueError("an allocation cannot be negative")
    return total - sum(allocation.values())
