"""Forecasts: run rate, weighted pipeline, seasonal naive with trend, back-test."""

from fractions import Fraction

import pandas as pd
import pytest

from qsales_tui.analytics.forecast import (
    backtest_mape,
    monthly_series,
    pipeline_forecast,
    quarterly_by,
    quarterly_series,
    run_rate_forecast,
    seasonal_forecast,
    seasonality_weights,
    trailing_growth,
)
from qsales_tui.domain.calendar import FiscalCalendar, Quarter

# Two years with the same seasonal shape; the second is 10% bigger.
YEAR_1 = {"2024-Q4": 400, "2025-Q1": 100, "2025-Q2": 200, "2025-Q3": 300}
YEAR_2 = {"2025-Q4": 440, "2026-Q1": 110, "2026-Q2": 220, "2026-Q3": 330}
SERIES = YEAR_1 | YEAR_2


def test_run_rate_scales_actual_by_working_days():
    assert run_rate_forecast(20_000, 20, 66) == 66_000
    assert run_rate_forecast(1, 3, 2) == 1  # 0.67 rounds up
    assert run_rate_forecast(500, 0, 66) is None


def test_pipeline_forecast_adds_probability_weighted_open_deals():
    assert pipeline_forecast(1000, [(500, 0.5), (1000, "0.1"), (3, 0.5)]) == 1000 + 250 + 100 + 2
    assert pipeline_forecast(1000, []) == 1000
    with pytest.raises(ValueError):
        pipeline_forecast(0, [(100, 1.5)])


def test_trailing_growth_needs_two_years():
    assert trailing_growth(SERIES) == Fraction(11, 10)
    assert trailing_growth(YEAR_2) == 1
    assert (
        trailing_growth(
            {**dict.fromkeys(["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"], 0), **YEAR_1}
        )
        == 1
    )


def test_seasonal_naive_with_trend_has_the_known_answer():
    assert seasonal_forecast(SERIES, "2026-Q4") == 484  # 440 × 1.1
    assert seasonal_forecast(YEAR_2, "2026-Q4") == 440  # no trend without two years
    assert seasonal_forecast({"2026-Q3": 330}, "2026-Q4") == 330  # naive: last quarter
    assert seasonal_forecast({}, "2026-Q4") is None


def test_backtest_mape_holds_out_the_last_quarters():
    # history without the last two: trend 1.1 is unknown (only 6 quarters), so the
    # forecasts are last year's 200 and 300 against actuals 220 and 330: 9.09% each.
    assert backtest_mape(SERIES, holdout=2) == pytest.approx(100 / 11)
    perfect = {**SERIES, "2026-Q4": 484, "2027-Q1": 121}
    assert backtest_mape(perfect, holdout=2) == pytest.approx(0)
    assert backtest_mape({"2026-Q3": 1}, holdout=2) is None
    with pytest.raises(ValueError):
        backtest_mape(SERIES, holdout=0)


def test_seasonality_weights_sum_the_same_months_of_past_years():
    monthly = {"2025-10": 10, "2025-11": 20, "2025-12": 70, "2024-12": 30, "2026-10": 999}
    q4 = Quarter.parse("2026-Q4")
    assert seasonality_weights(monthly, q4) == {"2026-10": 10, "2026-11": 20, "2026-12": 100}
    assert seasonality_weights(monthly, q4, years=1) == {
        "2026-10": 10,
        "2026-11": 20,
        "2026-12": 70,
    }
    assert seasonality_weights({}, q4) is None


def _sales():
    return pd.DataFrame(
        {
            "date": pd.to_datetime(["2026-01-05", "2026-03-31", "2026-07-01", "2026-04-10"]),
            "customer_id": ["C-1", "C-2", "C-1", "C-3"],
            "rep_id": ["R-1", "R-2", "R-1", "R-1"],
            "product": ["A", "A", "B", "A"],
            "quantity": [1, 2, 3, 4],
            "amount_minor": pd.array([100, 200, 300, 400], dtype="int64"),
        }
    )


def test_quarterly_series_fills_empty_quarters_and_follows_the_fiscal_year():
    assert quarterly_series(_sales(), FiscalCalendar()) == {
        "2026-Q1": 300,
        "2026-Q2": 400,
        "2026-Q3": 300,
    }
    assert quarterly_series(_sales(), FiscalCalendar(), first="2025-Q4", last="2026-Q4") == {
        "2025-Q4": 0,
        "2026-Q1": 300,
        "2026-Q2": 400,
        "2026-Q3": 300,
        "2026-Q4": 0,
    }
    # fiscal year from April: January–March 2026 is 2025-Q4
    assert quarterly_series(_sales(), FiscalCalendar(start_month=4), value="quantity") == {
        "2025-Q4": 3,
        "2026-Q1": 4,
        "2026-Q2": 3,
    }


def test_quarterly_by_groups_and_monthly_series():
    by_rep = quarterly_by(_sales(), FiscalCalendar(), "rep_id")
    assert by_rep == {
        "R-1": {"2026-Q1": 100, "2026-Q2": 400, "2026-Q3": 300},
        "R-2": {"2026-Q1": 200, "2026-Q2": 0, "2026-Q3": 0},
    }
    assert monthly_series(_sales()) == {
        "2026-01": 100,
        "2026-03": 200,
        "2026-04": 400,
        "2026-07": 300,
    }
    assert quarterly_series(_sales().iloc[0:0], FiscalCalendar()) == {}
