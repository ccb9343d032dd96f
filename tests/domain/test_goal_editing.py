"""What the goal wizard's edits do to a draft (qsales_tui.domain.goal_editing)."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qsales_tui.domain.goal_editing import GoalEditor, parse_weight
from qsales_tui.domain.goals import GoalDraft

MONTHS = {"2026-10": 100, "2026-11": 100, "2026-12": 100}
REPS = {"R-1": 150, "R-2": 150}


def editor(**changes) -> GoalEditor:
    return GoalEditor(GoalDraft(**{"quarter": "2026-Q4", "target": 300, **changes}))


# --- typing amounts --------------------------------------------------------------------


def test_a_typed_month_spreads_the_rest_and_makes_the_split_manual():
    edit = editor(week_amounts={"2026-W44": 5})
    edit.locked["weeks"].add("2026-W44")
    edit.hand_edit("months", MONTHS, "2026-10", 150)
    assert edit.draft.split_method == "manual"
    assert edit.draft.month_amounts == {"2026-10": 150, "2026-11": 75, "2026-12": 75}
    assert edit.draft.week_amounts == {} and edit.locked["weeks"] == set()
    assert edit.locked["months"] == {"2026-10"}


def test_a_typed_month_stays_when_the_next_one_is_typed():
    edit = editor()
    edit.hand_edit("months", MONTHS, "2026-10", 150)
    edit.hand_edit("months", edit.draft.month_amounts, "2026-11", 50)
    assert edit.draft.month_amounts == {"2026-10": 150, "2026-11": 50, "2026-12": 100}


def test_without_rebalancing_only_the_typed_amount_changes():
    edit = editor()
    edit.rebalance = False
    edit.hand_edit("reps", REPS, "R-1", 100)
    assert edit.draft.allocation == {"R-1": 100, "R-2": 150}
    assert edit.draft.allocation_method == "manual" and edit.draft.reps == ["R-1", "R-2"]


def test_a_typed_week_keeps_the_split_method():
    edit = editor()
    edit.hand_edit("weeks", {"2026-W44": 150, "2026-W45": 150}, "2026-W44", 100)
    assert edit.draft.week_amounts == {"2026-W44": 100, "2026-W45": 200}
    assert edit.draft.split_method == "working_days"


@pytest.mark.parametrize(("key", "value"), [("2027-01", 10), ("2026-10", -1)])
def test_an_unknown_key_or_a_negative_amount_is_refused(key, value):
    edit = editor()
    with pytest.raises(ValueError):
        edit.hand_edit("months", MONTHS, key, value)
    assert edit.draft.month_amounts == {} and edit.locked["months"] == set()


@settings(max_examples=100)
@given(value=st.integers(0, 300), key=st.sampled_from(list(MONTHS)))
def test_a_spread_edit_keeps_the_target(value, key):
    edit = editor()
    edit.hand_edit("months", MONTHS, key, value)
    assert sum(edit.draft.month_amounts.values()) == 300
    assert edit.draft.month_amounts[key] == value


# --- what a change clears --------------------------------------------------------------


def test_a_new_metric_clears_the_target_and_every_hand_edit():
    edit = editor()
    edit.hand_edit("months", MONTHS, "2026-10", 150)
    edit.hand_edit("reps", REPS, "R-1", 100)
    edit.change_metric("new_customers")
    draft = edit.draft
    assert draft.metric == "new_customers" and draft.target is None
    assert draft.month_amounts == draft.week_amounts == draft.allocation == {}
    assert (draft.split_method, draft.allocation_method) == ("working_days", "history")
    assert edit.locked == {"months": set(), "weeks": set(), "reps": set()}


def test_a_new_scope_clears_the_reps_but_keeps_the_months():
    edit = editor(capacity={"R-1": Decimal(2)}, split_method="seasonality")
    edit.hand_edit("months", MONTHS, "2026-10", 150)
    edit.hand_edit("reps", REPS, "R-1", 100)
    edit.change_scope("team:T-2")
    draft = edit.draft
    assert draft.scope == "team:T-2" and draft.reps == [] and draft.capacity == {}
    assert draft.allocation == {} and draft.allocation_method == "history"
    assert draft.month_amounts["2026-10"] == 150 and draft.split_method == "manual"
    assert edit.locked["months"] == {"2026-10"} and edit.locked["reps"] == set()


def test_forgetting_keeps_a_method_that_is_not_by_hand():
    edit = editor(split_method="custom", allocation_method="capacity")
    edit.forget_hand_edits(split=True)
    assert (edit.draft.split_method, edit.draft.allocation_method) == ("custom", "capacity")


# --- methods and weights ---------------------------------------------------------------


def test_by_hand_starts_from_the_amounts_shown():
    edit = editor(week_amounts={"2026-W44": 5})
    edit.locked["months"].add("2026-10")
    edit.choose_split_method("manual", MONTHS)
    assert edit.draft.month_amounts == MONTHS and edit.draft.week_amounts == {}
    assert edit.locked["months"] == set()
    edit.choose_split_method("working_days", MONTHS)
    assert edit.draft.month_amounts == {}


def test_custom_weights_start_at_one_unless_some_are_set():
    edit = editor()
    edit.choose_split_method("custom", MONTHS)
    assert edit.draft.month_weights == dict.fromkeys(MONTHS, Decimal(1))
    kept = editor(month_weights={"2026-10": Decimal(3)})
    kept.choose_split_method("custom", MONTHS)
    assert kept.draft.month_weights == {"2026-10": Decimal(3)}


def test_capacity_weights_start_at_one_and_keep_those_typed():
    edit = editor(capacity={"R-2": Decimal("0.5")})
    edit.locked["reps"].add("R-1")
    edit.choose_allocation_method("capacity", ["R-1", "R-2"], REPS)
    assert edit.draft.capacity == {"R-1": Decimal(1), "R-2": Decimal("0.5")}
    assert edit.draft.allocation == {} and edit.locked["reps"] == set()
    edit.choose_allocation_method("manual", ["R-1", "R-2"], REPS)
    assert edit.draft.allocation == REPS


def test_a_month_weight_cuts_the_weeks_again_but_a_capacity_does_not_touch_them():
    edit = editor(week_amounts={"2026-W44": 5})
    edit.set_weight("capacity", "R-1", Decimal(2))
    assert edit.draft.week_amounts == {"2026-W44": 5}
    edit.set_weight("month_weights", "2026-10", Decimal(2))
    assert edit.draft.month_weights == {"2026-10": Decimal(2)}
    assert edit.draft.week_amounts == {}


@pytest.mark.parametrize(
    ("text", "weight"), [("2", Decimal(2)), (" 1,000.5 ", Decimal("1000.5")), ("0", Decimal(0))]
)
def test_weights_parse(text, weight):
    assert parse_weight(text) == weight


@pytest.mark.parametrize("text", ["abc", "", "-1", "NaN", "Infinity"])
def test_bad_weights_are_refused_with_the_text(text):
    with pytest.raises(ValueError, match=r"not a number|must be a number"):
        parse_weight(text)
