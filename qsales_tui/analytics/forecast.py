"""Forecasts: the one place that defines them, for the goal wizard and the KPI review.

* **Run rate** = actual to date ÷ elapsed working days × working days in the quarter.
* **Weighted pipeline** = actual + Σ (open deal amount × stage probability), over the
  open deals the caller selected (those expected to close this quarter). The sum is
  exact and rounded once, half up, at the end.
* **Seasonal forecast** (the wizard's baseline): *seasonal naive with trend*. The
  forecast of quarter *q* is the actual of the same quarter a year earlier times the
  trailing year-on-year growth: (sum of the last 4 quarters of history) ÷ (sum of the 4
  before them). Without 8 quarters of history (or with a zero earlier year) the growth
  is 1; without the same quarter last year it is the last quarter's actual (naive).
* **Back-test**: the last ``holdout`` quarters are hidden, each is forecast from what
  is left, and the mean absolute percentage error is reported.

Series are plain ``{"YYYY-Qn": amount}`` dicts, contiguous and in order. Only the
functions that read sales lines need pandas, and they import it when called (pandas
costs ~0.4 s to import; these run in workers).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from qsales_tui.domain.calendar import FiscalCalendar, Quarter
from qsales_tui.domain.splits import round_half_up

if TYPE_CHECKING:
    import pandas as pd


def run_rate_forecast(
    actual_to_date_minor: int, elapsed_working_days: int, total_working_days: int
) -> int | None:
    """Actual to date ÷ elapsed working days × working days in the quarter; None before day 1."""
    if elapsed_working_days <= 0 or total_working_days <= 0:
        return None
    return round_half_up(Fraction(actual_to_date_minor * total_working_days, elapsed_working_days))


def pipeline_forecast(
    actual_minor: int, open_deals: Iterable[tuple[int, float | Decimal | str]]
) -> int:
    """Actual plus each open deal's amount × probability (0–1), rounded once at the end.

    Probabilities go through ``Decimal(str(p))`` so 0.1 means exactly one tenth.
    """
    weighted = Fraction(0)
    for amount_minor, probability in open_deals:
        exact = Fraction(Decimal(str(probability)))
        if not 0 <= exact <= 1:
            raise ValueError(f"probability must be between 0 and 1, got {probability!r}")
        weighted += amount_minor * exact
    return actual_minor + round_half_up(weighted)


# --- seasonal forecast -------------------------------------------------------------


def _shift(quarter: str, quarters: int) -> str:
    return Quarter.parse(quarter).shift(quarters).name


def trailing_growth(history: Mapping[str, int]) -> Fraction:
    """Last 4 quarters' total ÷ the 4 before them; 1 when that cannot be known."""
    values = list(history.values())
    if len(values) < 8 or sum(values[-8:-4]) <= 0:
        return Fraction(1)
    return Fraction(sum(values[-4:]), sum(values[-8:-4]))


def seasonal_forecast(history: Mapping[str, int], quarter: str) -> int | None:
    """Forecast ``quarter`` from ``history`` (quarters before it): see the module docstring."""
    if not history:
        return None
    same_quarter_last_year = history.get(_shift(quarter, -4))
    if same_quarter_last_year is None:
        return list(history.values())[-1]
    return round_half_up(same_quarter_last_year * trailing_growth(history))


def backtest_mape(series: Mapping[str, int], holdout: int = 2) -> float | None:
    """Mean absolute percentage error (in %) of forecasting the last ``holdout`` quarters.

    The forecasts are made once, from the series without those quarters (a fixed
    origin, as a manager would at the start of the first one). Quarters whose actual
    is zero are skipped; None when nothing is left to score.
    """
    if holdout < 1:
        raise ValueError("holdout must be at least 1")
    items = list(series.items())
    if len(items) <= holdout:
        return None
    history = dict(items[:-holdout])
    errors = []
    for quarter, actual in items[-holdout:]:
        forecast = seasonal_forecast(history, quarter)
        if forecast is not None and actual != 0:
            errors.append(abs(actual - forecast) / abs(actual))
    return 100 * sum(errors) / len(errors) if errors else None


def seasonality_weights(
    monthly: Mapping[str, int], quarter: Quarter, years: int = 3
) -> dict[str, int] | None:
    """Weights for the quarter's months: the same months' actuals summed over past years.

    ``monthly`` maps ``YYYY-MM`` to an amount. None when the past years hold nothing
    (the caller then splits by working days).
    """
    weights = dict.fromkeys(quarter.months(), 0)
    for back in range(1, years + 1):
        for month, past_month in zip(
            quarter.months(), quarter.shift(-4 * back).months(), strict=True
        ):
            weights[month] += max(0, monthly.get(past_month, 0))
    return weights if any(weights.values()) else None


# --- from sales lines (pandas) -----------------------------------------------------


def _fiscal_quarter_names(dates: pd.Series, start_month: int) -> pd.Series:
    months_since_start = dates.dt.year * 12 + dates.dt.month - start_month
    year = months_since_start // 12
    number = months_since_start % 12 // 3 + 1
    return year.astype(str) + "-Q" + number.astype(str)


def quarterly_series(
    sales: pd.DataFrame,
    calendar: FiscalCalendar,
    *,
    value: str = "amount_minor",
    first: str | None = None,
    last: str | None = None,
) -> dict[str, int]:
    """Sum of ``value`` per fiscal quarter, with empty quarters as 0.

    The range runs from ``first`` (default: the earliest sale's quarter) to ``last``
    (default: the latest sale's quarter), both inclusive.
    """
    return quarterly_by(sales, calendar, None, value=value, first=first, last=last).get(None, {})


def quarterly_by(
    sales: pd.DataFrame,
    calendar: FiscalCalendar,
    column: str | None,
    *,
    value: str = "amount_minor",
    first: str | None = None,
    last: str | None = None,
) -> dict:
    """``{group: {quarter: sum}}`` per value of ``column`` (one group ``None`` when no column)."""
    if sales.empty and (first is None or last is None):
        return {}
    quarters = _fiscal_quarter_names(sales["date"], calendar.start_month)
    first_q = calendar.quarter(first) if first else min(Quarter.parse(q) for q in quarters.unique())
    last_q = calendar.quarter(last) if last else max(Quarter.parse(q) for q in quarters.unique())
    names = []
    current = first_q
    while current <= last_q:
        names.append(current.name)
        current = current.next
    keys = [quarters] if column is None else [sales[column], quarters]
    sums = sales[value].groupby(keys).sum()
    if column is None:
        return {None: {name: int(sums.get(name, 0)) for name in names}}
    return {
        group: {name: int(sums[group].get(name, 0)) for name in names}
        for group in sums.index.get_level_values(0).unique()
    }


def monthly_series(sales: pd.DataFrame, *, value: str = "amount_minor") -> dict[str, int]:
    """Sum of ``value`` per calendar month ``YYYY-MM`` (for seasonality weights)."""
    if sales.empty:
        return {}
    sums = sales[value].groupby(sales["date"].dt.strftime("%Y-%m")).sum()
    return {month: int(amount) for month, amount in sums.items()}
