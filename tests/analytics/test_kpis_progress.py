"""A quarter in progress, one not started, growth "to the same point", and per-group
trends, against the worked example of ``kpi_sample`` (¥1 = 100 minor units).

Today is Friday 2026-11-27: 2026-Q4 is 42 of its 66 working days in (no holidays).
2026-Q3 also has 66 working days (Jul 23, Aug 21, Sep 22), so "the same point" there
is its 42 × 66 ÷ 66 = 42nd working day: Jul has 23, then Aug's 19th = Thu 2026-08-27.
2025-Q4 has 66 too (Oct 23, Nov 20, Dec 23): its 42nd is Nov's 19th = Thu 2025-11-27.
"""

from __future__ import annotations

from datetime import date

import pytest

from qsales_tui.analytics.drilldown import row_totals, rows_behind
from qsales_tui.analytics.kpi_sample import GOALS, SETTINGS, sample_inputs
from qsales_tui.analytics.kpis import (
    KPIS,
    SHOWN_BEFORE_START,
    TO_DATE_KPIS,
    breakdown,
    breakdown_trends,
    compute_all,
)

Q = "2026-Q4"


@pytest.fixture(scope="module")
def result():
    return compute_all(sample_inputs(), Q)


def test_progress_says_how_far_the_quarter_is(result):
    progress = result.progress
    assert (progress.state, progress.elapsed_working_days, progress.total_working_days) == (
        "in_progress",
        42,
        66,
    )
    assert progress.text() == (
        "2026-Q4 in progress: 42 of 66 working days (64%); figures are to date"
    )
    assert [key for key in KPIS if progress.is_to_date(key)] == list(TO_DATE_KPIS)


def test_a_complete_and_a_future_quarter_have_their_own_state():
    inputs = sample_inputs()
    complete = compute_all(inputs, "2026-Q3").progress
    assert (complete.state, complete.elapsed_working_days) == ("complete", 66)
    assert complete.text() == ""
    assert not complete.is_to_date("revenue_qoq")
    future = compute_all(inputs, "2027-Q1").progress
    assert (future.state, future.elapsed_working_days) == ("not_started", 0)
    assert future.text() == "2027-Q1 has not started: only its targets and pipeline are shown"


def test_growth_to_the_same_point_compares_like_with_like(result):
    qoq = result.kpis["revenue_qoq_to_date"].current
    # Q3 up to 08-27: 07-10 ¥200 + 08-20 ¥300 = ¥500 (09-15 ¥100 is later)
    assert (qoq.numerator, qoq.denominator) == (70000 - 50000, 50000)
    assert qoq.value == pytest.approx(0.4)
    assert qoq.terms == {
        "compared_until": "2026-08-27",
        "elapsed_working_days": 42,
        "total_working_days": 66,
    }
    # the whole-quarter growth stays as PRODUCT.md defines it: (700 − 600) ÷ 600
    assert result.kpis["revenue_qoq"].value == pytest.approx(1 / 6)
    yoy = result.kpis["revenue_yoy_to_date"].current
    # 2025-Q4 up to 11-27: the ¥100 of 10-15 → (700 − 100) ÷ 100
    assert (yoy.numerator, yoy.denominator, yoy.value) == (60000, 10000, 6.0)
    assert yoy.terms["compared_until"] == "2025-11-27"


def test_same_point_rounds_to_the_nearest_day_and_skips_holidays():
    # A holiday on Thu 08-27 makes Q3 65 working days: 42 × 65 ÷ 66 = 41.36 → the 41st
    # working day: Jul has 23, Aug 3–26 has 18, so Wed 08-26.
    settings = {**SETTINGS, "holidays": ["2026-08-27"]}
    engine = sample_inputs(settings=settings).engine
    q4 = engine.calendar.quarter(Q)
    assert engine.same_point(q4, q4.previous) == date(2026, 8, 26)
    # 2026-Q4 on Mon 10-05 is 3 of 66 days in; a Q3 of 65 gives 2.95 → its 3rd, Fri 07-03
    early = sample_inputs(settings=settings, today=date(2026, 10, 5)).engine
    assert early.same_point(q4, q4.previous) == date(2026, 7, 3)


def test_a_quarter_counted_to_its_end_is_compared_whole():
    kpis = compute_all(sample_inputs(), "2026-Q3").kpis
    for whole, same_point in (
        ("revenue_qoq", "revenue_qoq_to_date"),
        ("revenue_yoy", "revenue_yoy_to_date"),
    ):
        assert kpis[same_point].current.value == kpis[whole].current.value
        assert kpis[same_point].current.denominator == kpis[whole].current.denominator
    assert kpis["revenue_qoq_to_date"].current.terms["compared_until"] == "2026-06-30"


def test_before_the_first_working_day_there_is_nothing_to_compare():
    # 2027-Q1 starts on Fri 01-01, a holiday here; on Sat 01-02 no working day has passed
    settings = {**SETTINGS, "holidays": ["2027-01-01"]}
    kpis = compute_all(sample_inputs(settings=settings, today=date(2027, 1, 2)), "2027-Q1").kpis
    assert kpis["revenue_qoq_to_date"].current.reason == "nothing_due_yet"
    assert kpis["revenue_yoy_to_date"].current.reason == "nothing_due_yet"


def test_no_revenue_at_the_same_point_is_a_reason():
    # R-3 sold nothing in Q3 or a year earlier
    r3 = {row.group: row.figures for row in breakdown(sample_inputs(), Q, "rep")}["R-3"]
    assert r3["revenue_qoq_to_date"].reason == "no_previous_revenue"
    assert r3["revenue_yoy_to_date"].reason == "no_last_year_revenue"


def test_a_quarter_not_started_shows_only_targets_and_pipeline():
    goals = [
        *GOALS,
        {
            **GOALS[0],
            "id": "G-2",
            "quarter": "2027-Q1",
            "target": 1000_00,
            "split": {},
            "allocation": {},
        },
    ]
    kpis = compute_all(sample_inputs(goals=goals), "2027-Q1").kpis
    for key, kpi in kpis.items():
        if key not in SHOWN_BEFORE_START:
            assert (key, kpi.current.value, kpi.current.reason) == (key, None, "not_started")
    # D-5 (¥400 at 25 %) is expected to close on 2027-01-20
    assert kpis["pipeline_forecast"].value == 10000
    # coverage: open pipeline ¥400 ÷ (target ¥1000 − revenue 0)
    coverage = kpis["pipeline_coverage"].current
    assert (coverage.numerator, coverage.denominator) == (40000, 100000)
    # the previous quarter (in progress) keeps its figures
    assert kpis["revenue"].previous.value == 70000
    # the target stays readable (the team board shows it): attainment 0 ÷ ¥1000, no value
    attainment = kpis["attainment"].current
    assert (attainment.value, attainment.numerator, attainment.denominator) == (None, 0, 100000)


def test_a_quarter_not_started_by_group_too():
    for row in breakdown(sample_inputs(), "2027-Q1", "rep"):
        assert row.figures["revenue"].reason == "not_started"
        assert row.figures["churn_rate"].reason == "not_started"


def test_group_trends_follow_each_group():
    trends = breakdown_trends(sample_inputs(), Q, "rep")
    assert set(trends) == {"R-1", "R-2", "R-3"}
    quarters = [name for name, _ in trends["R-1"]["revenue"]]
    assert quarters == [
        "2025-Q1",
        "2025-Q2",
        "2025-Q3",
        "2025-Q4",
        "2026-Q1",
        "2026-Q2",
        "2026-Q3",
        "2026-Q4",
    ]
    # 2025-10-15 ¥100; Q3 ¥200 + ¥100; Q4 ¥250 + ¥400
    assert [v for _, v in trends["R-1"]["revenue"]] == [0, 0, 0, 10000, 0, 0, 30000, 65000]
    # 06-01 ¥50; Q3 ¥300; Q4 ¥50
    assert [v for _, v in trends["R-2"]["revenue"]] == [0, 0, 0, 0, 0, 5000, 30000, 5000]


def test_group_trends_agree_with_each_quarters_breakdown():
    inputs = sample_inputs()
    trends = breakdown_trends(inputs, Q, "team")
    for quarter, _value in trends["T-1"]["revenue"]:
        rows = {row.group: row.figures for row in breakdown(inputs, quarter, "team")}
        for key in KPIS:
            assert dict(trends["T-1"][key])[quarter] == rows["T-1"][key].value, (quarter, key)


def test_a_group_absent_from_a_quarter_has_no_value_there():
    trends = breakdown_trends(sample_inputs(), Q, "product")
    # Beta was first sold on 2026-06-01: no row for it before 2026-Q2
    assert [v for _, v in trends["Beta"]["revenue"]][:5] == [None] * 5
    assert dict(trends["Beta"]["revenue"])["2026-Q4"] == 45000


def test_rows_behind_growth_to_the_same_point_add_up_to_it(result):
    inputs = sample_inputs()
    frame = rows_behind(inputs, "revenue_qoq_to_date", Q)
    assert frame.loc[~frame["compared"], "id"].tolist() == ["S-6", "S-7", "S-8"]
    assert frame.loc[frame["compared"], "id"].tolist() == ["S-3", "S-4"]
    figure = result.kpis["revenue_qoq_to_date"].current
    assert [value for _label, value, _unit in row_totals("revenue_qoq_to_date", frame)] == [
        70000,
        figure.denominator,
    ]
    by_rep = rows_behind(inputs, "revenue_yoy_to_date", Q, {"rep": "R-2"})
    assert by_rep["id"].tolist() == ["S-8"]  # R-2 sold nothing in 2025-Q4
