"""Exact splits: every split and allocation adds up to its total to the minor unit."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qsales_tui.domain.calendar import FiscalCalendar, Quarter
from qsales_tui.domain.splits import (
    allocate_by_capacity,
    allocate_by_history,
    allocate_even,
    allocation_gap,
    expected_to_date,
    rebalance,
    round_half_up,
    split_exact,
    split_over_time,
    working_day_weights,
)

Q4 = Quarter.parse("2026-Q4")
CAL = FiscalCalendar()

keys = st.lists(
    st.text("ABCDEFGHR-0123456789", min_size=1, max_size=6), min_size=1, max_size=40, unique=True
)
weight_values = st.one_of(
    st.integers(0, 10**9),
    st.decimals(0, 10**6, places=3, allow_nan=False),
    st.floats(0, 1e6, allow_nan=False),
)
totals = st.integers(0, 10**13)


@settings(max_examples=200)
@given(total=totals, data=st.data(), names=keys)
def test_split_sums_exactly_and_each_part_is_within_one_unit_of_its_share(total, data, names):
    weights = {name: data.draw(weight_values) for name in names}
    parts = split_exact(total, weights)
    assert list(parts) == names
    assert sum(parts.values()) == total
    exact = {name: Fraction(value) for name, value in weights.items()}
    weight_sum = sum(exact.values())
    for name, part in parts.items():
        share = Fraction(total, len(names)) if weight_sum == 0 else total * exact[name] / weight_sum
        assert abs(part - share) < 1


@settings(max_examples=100)
@given(total=st.integers(-(10**9), 10**9), names=keys, data=st.data())
def test_negative_totals_mirror_positive_ones(total, names, data):
    weights = {name: data.draw(st.integers(0, 1000)) for name in names}
    assert split_exact(-total, weights) == {k: -v for k, v in split_exact(total, weights).items()}


def test_largest_remainder_and_ties_go_to_the_first_key():
    assert split_exact(100, {"a": 1, "b": 1, "c": 1}) == {"a": 34, "b": 33, "c": 33}
    assert split_exact(10, {"a": 1, "b": 2}) == {"a": 3, "b": 7}  # 3.33 / 6.67
    assert split_exact(5, {"x": Decimal("0.5"), "y": 0.25, "z": Fraction(1, 4)}) == {
        "x": 3,
        "y": 1,
        "z": 1,
    }


def test_all_zero_weights_split_evenly():
    assert split_exact(7, {"a": 0, "b": 0}) == {"a": 4, "b": 3}


@pytest.mark.parametrize(
    "weights", [{"a": -1, "b": 2}, {}, {"a": "x"}, {"a": float("nan")}, {"a": float("inf")}]
)
def test_bad_weights_are_refused(weights):
    with pytest.raises(ValueError):
        split_exact(10, weights)


# --- hand edits ----------------------------------------------------------------------


def test_rebalance_spreads_the_difference_over_unlocked_keys_in_proportion():
    result = rebalance({"a": 40, "b": 40, "c": 20}, "a", 70, 100)
    assert result.values == {"a": 70, "b": 20, "c": 10}
    assert result.balanced


def test_rebalance_leaves_locked_keys_alone():
    result = rebalance({"a": 40, "b": 40, "c": 20}, "a", 50, 100, locked={"c"})
    assert result.values == {"a": 50, "b": 30, "c": 20}


def test_rebalance_show_mode_reports_what_is_left_to_place():
    result = rebalance({"a": 40, "b": 40, "c": 20}, "a", 30, 100, mode="show")
    assert result.values == {"a": 30, "b": 40, "c": 20}
    assert result.unplaced == 10 and not result.balanced


def test_rebalance_that_cannot_absorb_the_edit_reports_the_gap_instead_of_hiding_it():
    everything_locked = rebalance({"a": 50, "b": 50}, "a", 60, 100, locked={"b"})
    assert everything_locked.values == {"a": 60, "b": 50}
    assert everything_locked.unplaced == -10
    over_total = rebalance({"a": 50, "b": 50}, "a", 120, 100)
    assert over_total.values == {"a": 120, "b": 50} and over_total.unplaced == -70


def test_rebalance_refuses_negative_values_unknown_keys_and_modes():
    with pytest.raises(ValueError):
        rebalance({"a": 1}, "a", -1, 1)
    with pytest.raises(ValueError):
        rebalance({"a": 1}, "zz", 1, 1)
    with pytest.raises(ValueError):
        rebalance({"a": 1, "b": 0}, "a", 1, 1, mode="guess")


@settings(max_examples=200)
@given(
    total=st.integers(0, 10**10),
    names=st.lists(st.sampled_from("abcdefghij"), min_size=2, max_size=10, unique=True),
    data=st.data(),
)
def test_spread_rebalance_keeps_the_total_whenever_it_can(total, names, data):
    split = split_exact(total, {name: data.draw(st.integers(0, 100)) for name in names})
    key = data.draw(st.sampled_from(names))
    locked = set(data.draw(st.lists(st.sampled_from(names), max_size=len(names) - 1)))
    new_value = data.draw(st.integers(0, total))
    result = rebalance(split, key, new_value, total, locked)
    assert result.values[key] == new_value
    assert sum(result.values.values()) + result.unplaced == total
    assert all(result.values[name] == split[name] for name in locked - {key})
    room = total - new_value - sum(split[name] for name in locked - {key})
    if room >= 0 and set(names) - locked - {key}:
        assert result.balanced


# --- time ------------------------------------------------------------------------------


def test_working_day_weights_count_weekdays_minus_holidays():
    holidays = FiscalCalendar(holidays=frozenset({date(2026, 10, 1), date(2026, 10, 2)}))
    assert working_day_weights(Q4, CAL) == {"2026-10": 22, "2026-11": 21, "2026-12": 23}
    assert working_day_weights(Q4, holidays)["2026-10"] == 20


def test_split_by_working_days_gives_months_and_weeks_that_sum_to_the_target():
    result = split_over_time(66_000_00, Q4, CAL)
    assert result.months == {"2026-10": 22_000_00, "2026-11": 21_000_00, "2026-12": 23_000_00}
    assert list(result.weeks)[::13] == ["2026-W40", "2026-W53"]
    assert sum(result.weeks.values()) == 66_000_00
    # a full week of five working days in November: 5/66 of the total
    assert result.weeks["2026-W46"] == 5_000_00


def test_seasonal_or_custom_month_weights_shape_the_weeks_too():
    result = split_over_time(100, Q4, CAL, {"2026-10": 0, "2026-11": 0, "2026-12": 1})
    assert result.months == {"2026-10": 0, "2026-11": 0, "2026-12": 100}
    assert result.weeks["2026-W45"] == 0
    assert sum(result.weeks.values()) == 100


def test_hand_edited_month_amounts_come_back_unchanged():
    months = {"2026-10": 123, "2026-11": 0, "2026-12": 877}
    assert split_over_time(1000, Q4, CAL, months).months == months


def test_month_weights_must_name_the_quarters_months():
    with pytest.raises(ValueError, match="2026-10"):
        split_over_time(100, Q4, CAL, {"2026-01": 1})


def test_expected_to_date_counts_past_months_and_the_current_one_pro_rata():
    months = {"2026-10": 2200, "2026-11": 2100, "2026-12": 2300}
    assert expected_to_date(6600, months, Q4, CAL, date(2026, 9, 30)) == 0
    assert expected_to_date(6600, months, Q4, CAL, date(2026, 11, 27)) == 2200 + 2000
    assert expected_to_date(6600, months, Q4, CAL, date(2027, 1, 5)) == 6600
    # 2100 × 1/21 = 100 in November's first working day; rounded once at the end
    assert expected_to_date(6600, months, Q4, CAL, date(2026, 11, 2)) == 2300
    assert (
        expected_to_date(10, {"2026-10": 1, "2026-11": 0, "2026-12": 0}, Q4, CAL, date(2026, 10, 1))
        == 0
    )  # 10 × 1/22 = 0.45
    assert (
        expected_to_date(10, {"2026-10": 1, "2026-11": 0, "2026-12": 0}, Q4, CAL, date(2026, 10, 2))
        == 1
    )  # 10 × 2/22 = 0.91


def test_expected_to_date_without_a_split_prorates_the_target_by_working_days():
    assert expected_to_date(6600, {}, Q4, CAL, date(2026, 10, 30)) == 2200  # 22 of 66 days


def test_round_half_up():
    assert [round_half_up(Fraction(n, 2)) for n in (-3, -1, 1, 3, 4)] == [-2, -1, 1, 2, 2]


# --- people ----------------------------------------------------------------------------


def test_even_allocation():
    assert allocate_even(10, ["R-1", "R-2", "R-3"]) == {"R-1": 4, "R-2": 3, "R-3": 3}


def test_allocation_by_history_uses_the_chosen_quarters_only():
    history = {
        "R-1": {"2026-Q2": 300, "2026-Q3": 100, "2025-Q1": 10_000},
        "R-2": {"2026-Q2": 50, "2026-Q3": 150},
    }
    result = allocate_by_history(1000, ["R-1", "R-2", "R-3"], history, ["2026-Q2", "2026-Q3"])
    assert result == {"R-1": 667, "R-2": 333, "R-3": 0}


def test_a_rep_who_started_late_is_weighed_by_their_quarters_since():
    # R-2 took over a book in Q3: their one quarter counts as their run, not a quarter of it
    history = {"R-1": {"2026-Q1": 100, "2026-Q2": 100, "2026-Q3": 100}, "R-2": {"2026-Q3": 200}}
    quarters = ["2026-Q1", "2026-Q2", "2026-Q3"]
    assert allocate_by_history(300, ["R-1", "R-2"], history, quarters) == {"R-1": 100, "R-2": 200}
    # a quiet quarter after the first sale still counts
    history["R-2"] = {"2026-Q2": 200, "2026-Q3": 0}
    assert allocate_by_history(300, ["R-1", "R-2"], history, quarters) == {"R-1": 150, "R-2": 150}


def test_allocation_by_history_without_any_history_is_even():
    assert allocate_by_history(9, ["a", "b", "c"], {}, ["2026-Q3"]) == {"a": 3, "b": 3, "c": 3}


def test_capacity_allocation_and_manual_gap():
    assert allocate_by_capacity(100, {"a": Decimal("1.5"), "b": 0.5}) == {"a": 75, "b": 25}
    assert allocation_gap({"a": 60, "b": 30}, 100) == 10
    with pytest.raises(ValueError):
        allocation_gap({"a": -1}, 0)


@settings(max_examples=200)
@given(
    total=totals,
    rep_count=st.integers(1, 60),
    data=st.data(),
)
def test_every_allocation_method_sums_exactly(total, rep_count, data):
    reps = [f"R-{n:04d}" for n in range(rep_count)]
    history = {rep: {"2026-Q3": data.draw(st.integers(-100, 10**8))} for rep in reps}
    capacity = {rep: data.draw(weight_values) for rep in reps}
    for allocation in (
        allocate_even(total, reps),
        allocate_by_history(total, reps, history, ["2026-Q3"]),
        allocate_by_capacity(total, capacity),
    ):
        assert sorted(allocation) == reps
        assert sum(allocation.values()) == total
        assert min(allocation.values()) >= 0


@settings(max_examples=100)
@given(
    total=totals,
    year=st.integers(2020, 2030),
    number=st.integers(1, 4),
    start_month=st.integers(1, 12),
    month_weights=st.one_of(st.none(), st.lists(weight_values, min_size=3, max_size=3)),
)
def test_time_splits_sum_exactly_for_any_quarter_and_weights(
    total, year, number, start_month, month_weights
):
    quarter = Quarter(year, number, start_month)
    weights = (
        None if month_weights is None else dict(zip(quarter.months(), month_weights, strict=True))
    )
    result = split_over_time(total, quarter, FiscalCalendar(start_month=start_month), weights)
    assert list(result.months) == quarter.months()
    assert sum(result.months.values()) == sum(result.weeks.values()) == total
    assert [label for label, _, _ in quarter.weeks()] == list(result.weeks)
