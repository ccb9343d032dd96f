"""The goals list and the KPI review share one expected-to-date (pace's base).

``services.goals.goal_progress`` and the KPI engine's pace must give the same number
for the same goal on the same day, whatever the split and the day.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qsales_tui.analytics.kpi_inputs import KpiInputs
from qsales_tui.analytics.kpis import compute_all
from qsales_tui.context import Context
from qsales_tui.domain.splits import expected_to_date
from qsales_tui.services.goals import goal_progress

Q4_MONTHS = ("2026-10", "2026-11", "2026-12")
GOAL = {
    "quarter": "2026-Q4",
    "metric": "revenue",
    "scope": "company",
    "target": 150_000_00,
    "status": "active",
    "split": {"2026-10": 20_000_00, "2026-11": 70_000_00, "2026-12": 60_000_00},
}


def _pace_base(tiny_dir, goal: dict, today: date) -> tuple[int | None, int]:
    """(the goals service's expected-to-date, the KPI review's pace denominator)."""
    ctx = Context(data_dir=tiny_dir, today_override=today, lang="en", os_user="wangjl")
    inputs = KpiInputs.from_records(today=today, settings=ctx.store.settings, goals=[goal])
    pace = compute_all(inputs, "2026-Q4").kpis["pace"].current
    return goal_progress(ctx, goal, today).expected_to_date, pace.denominator


@pytest.mark.parametrize(
    "today",
    [
        date(2026, 10, 1),
        date(2026, 10, 31),
        date(2026, 11, 2),
        date(2026, 11, 27),
        date(2026, 12, 31),
    ],
)
def test_goals_list_and_kpi_review_agree_on_the_expected_to_date(tiny_dir, today):
    service, review = _pace_base(tiny_dir, GOAL, today)
    assert service == review
    if today >= date(2026, 10, 31):
        assert review >= 20_000_00  # October counts whole once past
    if today == date(2026, 12, 31):
        assert review == GOAL["target"]


@settings(max_examples=60, deadline=None)
@given(
    parts=st.lists(st.integers(0, 10**9), min_size=3, max_size=3),
    target=st.integers(0, 10**11),
    offset=st.integers(-5, 100),
)
def test_engine_and_domain_agree_for_any_split_and_day(parts, target, offset):
    today = date(2026, 10, 1) + timedelta(days=offset)
    split = dict(zip(Q4_MONTHS, parts, strict=True))
    goal = {**GOAL, "target": target, "split": split}
    inputs = KpiInputs.from_records(today=today, goals=[goal])
    quarter = inputs.calendar.quarter("2026-Q4")
    engine = inputs.engine.split_to_date(goal, quarter)
    assert engine == expected_to_date(target, split, quarter, inputs.calendar, today)
    assert 0 <= engine <= target
