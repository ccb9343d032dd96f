"""Each KPI against the hand-computed worked example of ``kpi_sample`` (read its
docstring for the data). Amounts in minor units: ¥1 = 100."""

from __future__ import annotations

from datetime import date

import pytest

from qsales_tui.analytics.kpi_inputs import KpiInputs
from qsales_tui.analytics.kpi_sample import GOALS, SETTINGS, TODAY, sample_inputs
from qsales_tui.analytics.kpis import KPIS, compute_all, reason_text
from qsales_tui.errors import QsalesError


@pytest.fixture(scope="module")
def q4():
    return compute_all(sample_inputs(), "2026-Q4").kpis


def test_revenue_and_growth(q4):
    # Q4 to 11-27: 250 + 400 + 50 = ¥700 (the ¥999 line of 12-10 is after today)
    assert q4["revenue"].value == 70000
    # Q3: 200 + 300 + 100 = ¥600 → QoQ (700 − 600) ÷ 600 = 1/6
    assert q4["revenue"].previous.value == 60000
    assert q4["revenue_qoq"].current.numerator == 10000
    assert q4["revenue_qoq"].current.denominator == 60000
    assert q4["revenue_qoq"].value == pytest.approx(1 / 6)
    # 2025-Q4: ¥100 → YoY (700 − 100) ÷ 100 = 6
    assert q4["revenue_yoy"].value == pytest.approx(6.0)


def test_trend_is_eight_quarters_ending_with_the_quarter(q4):
    trend = q4["revenue"].trend
    assert [name for name, _ in trend] == [
        "2025-Q1",
        "2025-Q2",
        "2025-Q3",
        "2025-Q4",
        "2026-Q1",
        "2026-Q2",
        "2026-Q3",
        "2026-Q4",
    ]
    assert [value for _, value in trend] == [0, 0, 0, 10000, 0, 5000, 60000, 70000]
    assert all(len(kpi.trend) == 8 for kpi in q4.values())


def test_attainment_and_pace(q4):
    # target ¥2000 → 700 ÷ 2000 = 0.35
    assert q4["attainment"].value == pytest.approx(0.35)
    # split to date: Oct ¥600 whole + Nov ¥700 × 20 of 21 working days = 1266.666… → 126667
    pace = q4["pace"].current
    assert pace.denominator == 126667
    assert pace.value == pytest.approx(70000 / 126667)
    # 44.7 % behind expected-to-date ≥ 10 % → off track
    assert pace.status == "off_track"


def test_pace_status_thresholds_come_from_settings():
    loose = {**SETTINGS, "pace_thresholds": {"caution": 0.5, "off_track": 0.6}}
    pace = compute_all(sample_inputs(settings=loose), "2026-Q4").kpis["pace"].current
    assert pace.status == "on_track"  # 44.7 % behind < 50 %
    middling = {**SETTINGS, "pace_thresholds": {"caution": 0.4, "off_track": 0.5}}
    pace = compute_all(sample_inputs(settings=middling), "2026-Q4").kpis["pace"].current
    assert pace.status == "caution"  # 40 % ≤ 44.7 % < 50 %


def test_bad_pace_thresholds_are_refused_with_the_setting_named():
    bad = {**SETTINGS, "pace_thresholds": {"caution": "soon"}}
    with pytest.raises(QsalesError, match="pace_thresholds"):
        compute_all(sample_inputs(settings=bad), "2026-Q4")
    reversed_ = {**SETTINGS, "pace_thresholds": {"caution": 0.2, "off_track": 0.1}}
    with pytest.raises(QsalesError, match="pace_thresholds"):
        compute_all(sample_inputs(settings=reversed_), "2026-Q4")


def test_forecasts(q4):
    # run rate: 70000 ÷ 42 elapsed × 66 working days = 110000
    assert q4["run_rate_forecast"].value == 110000
    # weighted pipeline: 70000 + D-4 50000 × 0.5 (D-5 closes next quarter) = 95000
    assert q4["pipeline_forecast"].value == 95000
    assert q4["pipeline_forecast"].current.terms["open_deals"] == 1


def test_customers_and_churn_follow_the_definition(q4):
    # active on 09-30 (bought after 07-02): C-1 (07-10), C-2 (08-20), C-3 (09-15) → 3
    # C-4 last bought 06-01 (121 days): inactive; it comes back 11-20 but is not new
    assert q4["customers_active_start"].value == 3
    assert q4["customers_new"].value == 1  # C-5, first purchase 11-10
    # C-2: last purchase 08-20 is 99 days before 11-27 ≥ 90 → lapsed
    assert q4["customers_churned"].value == 1
    churn = q4["churn_rate"].current
    assert (churn.numerator, churn.denominator) == (1, 3)
    # new C-5 and returning C-4 are in neither numerator nor denominator


def test_inactivity_window_bounds_are_exact():
    # active on day d ⇔ bought on s with d − s < N; C-4: 09-30 − 06-01 = 121 days
    def active(days: int) -> int:
        settings = {**SETTINGS, "inactive_after_days": days}
        return (
            compute_all(sample_inputs(settings=settings), "2026-Q4")
            .kpis["customers_active_start"]
            .value
        )

    assert active(121) == 3
    assert active(122) == 4
    # a window of 100 days keeps C-2 (99 days) active at the end: no churn
    settings = {**SETTINGS, "inactive_after_days": 100}
    assert compute_all(sample_inputs(settings=settings), "2026-Q4").kpis["churn_rate"].value == 0


def test_net_revenue_retention(q4):
    # Q3 buyers C-1 200, C-2 300, C-3 100 = 600; in Q4 they bought C-1 250 → 250 ÷ 600
    nrr = q4["net_revenue_retention"].current
    assert (nrr.numerator, nrr.denominator) == (25000, 60000)


def test_satisfaction(q4):
    # Q4 CSAT 5, 4, 3 (I-3 unrated; I-5 is in Q3) → 12 ÷ 3 = 4.0
    assert q4["csat"].value == pytest.approx(4.0)
    # NPS answers 10, 3, 9, 7: promoters 2, detractors 1 → (2 − 1) ÷ 4 × 100 = 25
    assert q4["nps"].value == pytest.approx(25.0)
    # Q3: one answer, 0 → −100
    assert q4["nps"].previous.value == pytest.approx(-100.0)


def test_market_share_and_change(q4):
    # sized segments key + growth = ¥15000; own sales there: C-1 250 + C-5 400 = ¥650
    share = q4["market_share"].current
    assert (share.numerator, share.denominator) == (65000, 1500000)
    # Q3 has a whole-market size ("all") of ¥12000 against all sales ¥600 → 5 %
    assert q4["market_share"].previous.value == pytest.approx(0.05)
    # (650/15000 − 0.05) × 100 = −0.666… points
    assert q4["market_share_change"].value == pytest.approx((65000 / 1500000 - 0.05) * 100)


def test_pipeline_and_deals(q4):
    # open closing in Q4: D-4 ¥500; to go: 2000 − 700 = ¥1300 → 500 ÷ 1300
    coverage = q4["pipeline_coverage"].current
    assert (coverage.numerator, coverage.denominator) == (50000, 130000)
    # closed in Q4: D-1 won 300, D-2 lost 200, D-3 won 100 (D-6 closed in Q3)
    assert q4["win_rate_count"].value == pytest.approx(2 / 3)
    assert q4["win_rate_value"].value == pytest.approx(40000 / 60000)
    assert q4["avg_deal_size"].value == 20000  # (300 + 100) ÷ 2
    # cycles: D-1 09-01 → 10-11 = 40 days, D-3 10-01 → 11-20 = 50 days → 45
    assert q4["sales_cycle_days"].value == pytest.approx(45.0)


def test_no_previous_quarter_is_a_reason_not_a_crash():
    kpis = compute_all(sample_inputs(), "2025-Q4").kpis
    assert kpis["revenue"].value == 10000
    assert kpis["revenue_qoq"].value is None
    assert kpis["revenue_qoq"].current.reason == "no_previous_revenue"
    assert kpis["revenue_yoy"].current.reason == "no_last_year_revenue"
    assert kpis["attainment"].current.reason == "no_target"
    assert kpis["market_share"].current.reason == "no_market_size"
    assert kpis["net_revenue_retention"].current.reason == "no_previous_customers"


def test_zero_target():
    goals = [{**GOALS[0], "target": 0, "split": {}, "allocation": {}}]
    kpis = compute_all(sample_inputs(goals=goals), "2026-Q4").kpis
    assert kpis["attainment"].current.reason == "zero_target"
    assert kpis["pace"].current.reason == "zero_target"
    assert kpis["pipeline_coverage"].current.reason == "target_reached"


def test_draft_goals_are_ignored():
    goals = [{**GOALS[0], "status": "draft"}]
    kpis = compute_all(sample_inputs(goals=goals), "2026-Q4").kpis
    assert kpis["attainment"].current.reason == "no_target"


def test_goal_without_monthly_split_is_prorated_by_working_days():
    goals = [{**GOALS[0], "split": {}}]
    pace = compute_all(sample_inputs(goals=goals), "2026-Q4").kpis["pace"].current
    # 200000 × 42 ÷ 66 = 127272.7… → 127273
    assert pace.denominator == 127273


def test_quarter_not_started():
    kpis = compute_all(sample_inputs(), "2027-Q1").kpis
    assert kpis["revenue"].current.reason == "not_started"
    assert kpis["run_rate_forecast"].current.reason == "not_started"
    assert kpis["customers_churned"].current.reason == "not_started"


def test_empty_dataset_gives_reasons_everywhere():
    empty = KpiInputs.from_records(today=TODAY, settings=SETTINGS)
    kpis = compute_all(empty, "2026-Q4").kpis
    assert set(kpis) == set(KPIS)
    assert kpis["revenue"].value == 0
    for kpi in kpis.values():
        if kpi.value is None:
            assert reason_text(kpi.current.reason)  # every reason has a message
    assert kpis["churn_rate"].current.reason == "no_active_customers"
    assert kpis["win_rate_count"].current.reason == "no_closed_deals"
    assert kpis["csat"].current.reason == "no_csat"


def test_unknown_quarter_name_is_a_user_error():
    with pytest.raises(QsalesError):
        compute_all(sample_inputs(), "2026-Q5")


def test_reasons_and_values_are_exclusive(q4):
    for kpi in q4.values():
        for figure in (kpi.current, kpi.previous):
            assert (figure.value is None) == (figure.reason is not None), kpi.key


def test_unsorted_categorical_frames_give_the_same_figures(q4):
    # the storage loader hands text columns as categories, in shard order
    import pandas as pd

    from qsales_tui.analytics.kpi_sample import SALES

    frame = pd.DataFrame(SALES[::-1])
    frame["customer_id"] = frame["customer_id"].astype("category")
    frame["date"] = pd.to_datetime(frame["date"])
    kpis = compute_all(sample_inputs(sales=frame), "2026-Q4").kpis
    for key in ("revenue", "customers_new", "customers_churned", "net_revenue_retention"):
        assert kpis[key].current == q4[key].current, key


def test_timestamps_count_on_the_local_date():
    import pandas as pd

    # 2026-09-30T23:30+08:00 is 15:30 UTC: still Q3 in Shanghai, and Q3 as written
    stamp = "2026-09-30T23:30:00+08:00"
    rated = [{"id": "I-9", "customer_id": "C-1", "rep_id": "R-1", "at": stamp, "csat": 1}]
    shanghai = {**SETTINGS, "timezone": "Asia/Shanghai"}
    as_text = compute_all(sample_inputs(interactions=rated, settings=shanghai), "2026-Q3")
    loaded = pd.DataFrame(rated)
    loaded["at"] = pd.to_datetime(loaded["at"], utc=True)  # as the storage loader gives it
    as_utc = compute_all(sample_inputs(interactions=loaded, settings=shanghai), "2026-Q3")
    assert as_text.kpis["csat"].value == as_utc.kpis["csat"].value == 1.0


def test_new_customers_are_not_counted_where_the_history_begins(q4):
    # the first sale line is 2025-10-15: in 2025-Q4 every buyer would look new
    kpis = compute_all(sample_inputs(), "2025-Q4").kpis
    assert kpis["customers_new"].current.reason == "history_starts"
    assert [v for _, v in q4["customers_new"].trend] == [0, 0, 0, None, 0, 1, 2, 1]


def test_pace_on_a_weekend_before_the_first_working_day():
    # 2027-Q1 starts on Friday 2027-01-01; a holiday that day leaves nothing due on the 2nd
    goals = [{**GOALS[0], "quarter": "2027-Q1", "split": {}}]
    settings = {**SETTINGS, "holidays": ["2027-01-01"]}
    kpis = compute_all(
        sample_inputs(goals=goals, settings=settings, today=date(2027, 1, 2)), "2027-Q1"
    ).kpis
    assert kpis["pace"].current.reason == "nothing_due_yet"
    assert kpis["attainment"].value == 0


def test_fiscal_year_starting_in_april(q4):
    # fiscal 2026-Q3 = October–December 2026: the same days as calendar 2026-Q4
    april = {**SETTINGS, "fiscal_year_start_month": 4}
    goals = [{**GOALS[0], "quarter": "2026-Q3"}]
    kpis = compute_all(sample_inputs(settings=april, goals=goals), "2026-Q3").kpis
    for key in ("revenue", "churn_rate", "pace", "win_rate_value", "csat"):
        assert kpis[key].current == q4[key].current, key
    assert kpis["revenue"].trend[-1] == ("2026-Q3", 70000)
