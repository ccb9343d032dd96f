"""How the goal wizard's edits change a :class:`~qsales_tui.domain.goals.GoalDraft`.

The wizard's screens only read cells and choices; what an edit does to the rest of the
draft is decided here:

- An amount typed for a month, week or rep is *locked*: later edits rebalance the other
  amounts only. With ``rebalance`` off only the typed amount changes and the gap to the
  target stays for the user to place.
- Typing a month makes the split "by hand" and cuts the weeks from the months again
  (their hand edits are dropped); typing a rep makes the allocation "by hand".
- A new metric clears the target and every hand edit (their unit changed); a new scope
  clears the reps, their capacity weights and their amounts.
- When hand edits are forgotten, a method "by hand" falls back to the default
  (working days for the split, historical share for the allocation).
- Choosing "by hand" starts from the amounts shown; choosing custom month weights or
  capacity weights starts every month or rep not yet weighted at 1. A new split method
  or custom month weight drops the weeks typed by hand.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from qsales_tui.domain import splits
from qsales_tui.domain.goals import GoalDraft
from qsales_tui.i18n import _

HandEdited = Literal["months", "weeks", "reps"]
WeightField = Literal["month_weights", "capacity"]


def parse_weight(text: str) -> Decimal:
    """A month or capacity weight as typed (``1,000`` allowed); ValueError for the user."""
    try:
        weight = Decimal(text.strip().replace(",", ""))
    except InvalidOperation:
        raise ValueError(_("not a number: {text}", text=text)) from None
    if not weight.is_finite() or weight < 0:
        raise ValueError(_("a weight must be a number ≥ 0, not {text}", text=text))
    return weight


@dataclass
class GoalEditor:
    """A draft under edit, with the amounts typed by hand (``locked``) per table."""

    draft: GoalDraft
    rebalance: bool = True  # a hand edit spreads the rest (else: the gap shows)
    locked: dict[str, set[str]] = field(
        default_factory=lambda: {"months": set(), "weeks": set(), "reps": set()}
    )

    def edit(self, **changes: Any) -> None:
        """Change draft fields (validated by the model)."""
        for key, value in changes.items():
            setattr(self.draft, key, value)

    def hand_edit(self, what: HandEdited, current: Mapping[str, int], key: str, value: int) -> None:
        """Set ``key`` of ``current`` (the months, weeks or reps shown) to ``value``.

        ValueError (its message is for the user) when ``key`` is not shown or ``value``
        is negative.
        """
        target = self.draft.target or 0
        result = splits.rebalance(
            current,
            key,
            value,
            target,
            locked=self.locked[what],
            mode="spread" if self.rebalance else "show",
        )
        self.locked[what].add(key)
        if what == "months":
            self.edit(split_method="manual", month_amounts=result.values, week_amounts={})
            self.locked["weeks"].clear()
        elif what == "weeks":
            self.edit(week_amounts=result.values)
        else:
            self.edit(
                allocation_method="manual", allocation=result.values, reps=list(result.values)
            )

    def forget_hand_edits(self, split: bool) -> None:
        """Drop the reps' typed amounts, and the months' and weeks' too when ``split``."""
        draft = self.draft
        if split:
            self.edit(
                month_amounts={},
                week_amounts={},
                split_method="working_days"
                if draft.split_method == "manual"
                else draft.split_method,
            )
            self.locked["months"].clear()
            self.locked["weeks"].clear()
        self.edit(
            allocation={},
            allocation_method="history"
            if draft.allocation_method == "manual"
            else draft.allocation_method,
        )
        self.locked["reps"].clear()

    def set_weight(self, field_name: WeightField, key: str, weight: Decimal) -> None:
        """A custom month weight (``month_weights``) or a rep's ``capacity``."""
        self.edit(**{field_name: {**getattr(self.draft, field_name), key: weight}})
        if field_name == "month_weights":
            self.edit(week_amounts={})  # cut from the months again

    def change_metric(self, metric: str) -> None:
        self.edit(metric=metric, target=None)
        self.forget_hand_edits(split=True)

    def change_scope(self, scope: str) -> None:
        self.edit(scope=scope, reps=[], capacity={})
        self.forget_hand_edits(split=False)

    def choose_split_method(self, method: str, current: Mapping[str, int]) -> None:
        """Split by ``method``; ``current`` is the months' split shown before."""
        self.edit(
            split_method=method,
            week_amounts={},
            month_amounts=dict(current) if method == "manual" else {},
            month_weights=self.draft.month_weights or dict.fromkeys(current, Decimal(1))
            if method == "custom"
            else self.draft.month_weights,
        )
        self.locked["months"].clear()
        self.locked["weeks"].clear()

    def choose_allocation_method(
        self, method: str, reps: list[str], current: Mapping[str, int]
    ) -> None:
        """Allocate by ``method``; ``current`` is the allocation shown before."""
        self.edit(
            allocation_method=method,
            allocation=dict(current) if method == "manual" else {},
            capacity={**dict.fromkeys(reps, Decimal(1)), **self.draft.capacity}
            if method == "capacity"
            else self.draft.capacity,
        )
        self.locked["reps"].clear()
