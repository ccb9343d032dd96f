"""KPIs by dimension, and the rows behind each figure add up to it."""

from __future__ import annotations

import pytest

from qsales_tui.analytics.drilldown import KPI_ROWS, row_totals, rows_behind
from qsales_tui.analytics.kpi_sample import MARKET, sample_inputs
from qsales_tui.analytics.kpis import KPIS, breakdown, compute_all
from qsales_tui.errors import QsalesError

Q = "2026-Q4"


@pytest.fixture(scope="module")
def inputs():
    return sample_inputs()


def _by_group(inputs, dimension):
    return {row.group: row.figures for row in breakdown(inputs, Q, dimension)}


def test_rep_table_lists_a_rep_without_sales(inputs):
    reps = _by_group(inputs, "rep")
    assert set(reps) == {"R-1", "R-2", "R-3"}
    # 250 + 400 = ¥650 of an allocation of ¥1200
    assert reps["R-1"]["revenue"].value == 65000
    assert reps["R-1"]["attainment"].value == pytest.approx(65000 / 120000)
    # R-3 sold nothing: revenue 0, attainment 0 of ¥200, no growth to speak of
    assert reps["R-3"]["revenue"].value == 0
    assert reps["R-3"]["attainment"].value == 0
    assert reps["R-3"]["revenue_qoq"].reason == "no_previous_revenue"
    assert reps["R-3"]["avg_deal_size"].reason == "no_won_deals"


def test_names_come_from_the_tables(inputs):
    names = {row.group: row.name for row in breakdown(inputs, Q, "team")}
    assert names == {"T-1": "East", "T-2": "West"}


def test_team_targets_and_pace_follow_the_company_split(inputs):
    teams = _by_group(inputs, "team")
    # T-1 = R-1 1200 + R-2 600 = ¥1800; expected 180000 × 126667 ÷ 200000 = 114000.3 → 114000
    pace = teams["T-1"]["pace"]
    assert (pace.numerator, pace.denominator) == (70000, 114000)
    assert teams["T-1"]["attainment"].value == pytest.approx(70000 / 180000)


@pytest.mark.parametrize("dimension", ["rep", "team", "region", "product", "segment"])
def test_groups_add_up_to_the_company(inputs, dimension):
    company = compute_all(inputs, Q).kpis
    groups = _by_group(inputs, dimension)
    assert sum(f["revenue"].value for f in groups.values()) == company["revenue"].value
    if dimension != "product":
        assert sum(f["customers_churned"].value for f in groups.values()) == 1
        assert sum(f["win_rate_count"].denominator or 0 for f in groups.values()) == 3


def test_not_applicable_figures_say_so(inputs):
    products = _by_group(inputs, "product")
    assert products["Alpha"]["churn_rate"].reason == "not_applicable"
    assert products["Alpha"]["attainment"].reason == "no_target"
    regions = _by_group(inputs, "region")
    assert regions["North"]["market_share"].reason == "not_applicable"


def test_market_share_by_segment(inputs):
    segments = _by_group(inputs, "segment")
    # key: C-1 250 + C-5 400 = ¥650 of ¥10000
    share = segments["key"]["market_share"]
    assert (share.numerator, share.denominator) == (65000, 1000000)
    assert segments["standard"]["market_share"].reason == "no_market_size"


def test_unknown_dimension_is_refused(inputs):
    with pytest.raises(ValueError):
        breakdown(inputs, Q, "colour")


@pytest.mark.parametrize("kpi", ["revenue", "attainment", "pace"])
def test_sales_rows_sum_to_revenue(inputs, kpi):
    rows = rows_behind(inputs, kpi, Q)
    assert list(rows["id"]) == ["S-6", "S-7", "S-8"]
    assert rows["amount_minor"].sum() == compute_all(inputs, Q).kpis["revenue"].value


def test_filtered_rows_sum_to_the_group_figure(inputs):
    for rep, figures in _by_group(inputs, "rep").items():
        rows = rows_behind(inputs, "revenue", Q, {"rep": rep})
        assert rows["amount_minor"].sum() == figures["revenue"].value
    rows = rows_behind(inputs, "revenue", Q, {"team": "T-1", "product": "Beta"})
    assert list(rows["id"]) == ["S-7", "S-8"]


def test_churn_rows_give_numerator_and_denominator(inputs):
    churn = compute_all(inputs, Q).kpis["churn_rate"].current
    rows = rows_behind(inputs, "churn_rate", Q)
    assert sorted(rows["customer_id"]) == ["C-1", "C-2", "C-3"]
    assert (rows["churned"].sum(), len(rows)) == (churn.numerator, churn.denominator)
    churned = rows.set_index("customer_id").loc["C-2"]
    assert str(churned["last_purchase_to_date"].date()) == "2026-08-20"
    assert list(rows_behind(inputs, "customers_new", Q)["customer_id"]) == ["C-5"]


def test_retention_rows(inputs):
    rows = rows_behind(inputs, "net_revenue_retention", Q)
    assert rows["previous_revenue_minor"].sum() == 60000
    assert rows["revenue_minor"].sum() == 25000


def test_rating_rows(inputs):
    csat = rows_behind(inputs, "csat", Q)
    assert (csat["csat"].sum(), len(csat)) == (12, 3)
    assert len(rows_behind(inputs, "nps", Q)) == 4
    assert list(rows_behind(inputs, "nps", Q, {"rep": "R-2"})["id"]) == ["I-2"]


def test_deal_rows(inputs):
    assert list(rows_behind(inputs, "pipeline_coverage", Q)["id"]) == ["D-4"]
    assert list(rows_behind(inputs, "win_rate_count", Q)["id"]) == ["D-1", "D-2", "D-3"]
    cycle = rows_behind(inputs, "sales_cycle_days", Q)
    assert list(cycle["cycle_days"]) == [40, 50]


def test_market_rows_are_the_sales_in_sized_segments(inputs):
    rows = rows_behind(inputs, "market_share", Q)
    assert rows["amount_minor"].sum() == 65000


# Q4 has sizes for two segments only, Q3 one for ``all``; the last case repeats a
# segment's row (the later counts) and then adds ``all``, which takes every line.
_ALL_Q4 = {"id": "M-9", "quarter": "2026-Q4", "segment": "all", "size_minor": 20_000_00}
_KEY_AGAIN = {"id": "M-8", "quarter": "2026-Q4", "segment": "key", "size_minor": 8_000_00}


@pytest.mark.parametrize(
    ("quarter", "extra", "numerator"),
    [
        ("2026-Q4", [], 65000),  # key + growth lines only
        ("2026-Q3", [], 60000),  # every line of Q3
        ("2026-Q4", [_KEY_AGAIN], 65000),
        ("2026-Q4", [_KEY_AGAIN, _ALL_Q4], 70000),  # every line of Q4
    ],
)
def test_market_rows_sum_to_the_share_numerator(quarter, extra, numerator):
    inputs = sample_inputs(market=[*MARKET, *extra])
    share = compute_all(inputs, quarter).kpis["market_share"].current
    rows = rows_behind(inputs, "market_share", quarter)
    assert share.numerator == numerator
    assert rows["amount_minor"].sum() == share.numerator
    assert row_totals("market_share", rows)[0][1] == share.numerator


def test_every_kpi_has_rows(inputs):
    for kpi in KPIS:
        assert rows_behind(inputs, kpi, Q) is not None


def test_every_kpi_says_which_rows_it_reads():
    assert set(KPI_ROWS) == set(KPIS)


def test_row_sums_of_an_unknown_kpi_are_refused(inputs):
    with pytest.raises(ValueError, match="happiness"):
        row_totals("happiness", rows_behind(inputs, "revenue", Q))


def test_bad_drill_down_requests(inputs):
    with pytest.raises(QsalesError):
        rows_behind(inputs, "happiness", Q)
    with pytest.raises(QsalesError):
        rows_behind(inputs, "churn_rate", Q, {"product": "Alpha"})


def test_scoped_goals_give_segment_and_team_targets():
    goals = [
        *sample_inputs().goals,
        {
            "id": "G-2",
            "quarter": Q,
            "metric": "revenue",
            "scope": "segment:key",
            "target": 1000_00,
            "status": "active",
            "split": {},
        },
        {
            "id": "G-3",
            "quarter": Q,
            "metric": "revenue",
            "scope": "team:T-2",
            "target": 500_00,
            "status": "active",
            "split": {},
        },
    ]
    inputs = sample_inputs(goals=goals)
    segments = _by_group(inputs, "segment")
    # key: ¥650 of its own goal ¥1000; expected 100000 × 42 ÷ 66 = 63636.36 → 63636
    assert segments["key"]["attainment"].value == pytest.approx(0.65)
    assert segments["key"]["pace"].denominator == 63636
    assert segments["growth"]["attainment"].reason == "no_target"
    # a team goal wins over the sum of allocations (T-2: R-3's ¥200)
    assert _by_group(inputs, "team")["T-2"]["attainment"].denominator == 50000
    assert _by_group(inputs, "region")["North"]["attainment"].reason == "not_applicable"


def test_missing_labels_group_as_unassigned_even_in_categorical_columns():
    import pandas as pd

    from qsales_tui.analytics.kpi_sample import REPS, SALES

    sales = pd.DataFrame(SALES)
    sales.loc[sales["id"] == "S-8", ["rep_id", "product"]] = None
    for column in ("rep_id", "product", "customer_id"):
        sales[column] = sales[column].astype("category")
    reps = [*REPS, {"id": "R-4", "name": "No Team", "team_id": None, "role": "rep"}]
    inputs = sample_inputs(sales=sales, reps=reps)
    by_rep = _by_group(inputs, "rep")
    assert by_rep["—"]["revenue"].value == 5000  # S-8's ¥50 has no rep
    by_product = _by_group(inputs, "product")
    assert by_product["—"]["revenue"].value == 5000
    teams = _by_group(inputs, "team")
    assert sum(f["revenue"].value for f in teams.values()) == 70000
    assert "R-4" in by_rep and by_rep["R-4"]["revenue"].value == 0


def test_every_reason_given_has_a_message(inputs):
    from qsales_tui.analytics.kpis import reason_text

    reasons = set()
    for quarter in ("2025-Q4", "2026-Q3", Q, "2027-Q1"):
        for kpi in compute_all(inputs, quarter).kpis.values():
            reasons |= {kpi.current.reason, kpi.previous.reason}
        for dimension in ("rep", "team", "region", "product", "segment"):
            for row in breakdown(inputs, quarter, dimension):
                reasons |= {figure.reason for figure in row.figures.values()}
    reasons.discard(None)
    assert len(reasons) >= 10
    assert all(reason_text(reason) for reason in reasons)
