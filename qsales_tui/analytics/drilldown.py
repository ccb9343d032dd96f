"""From a figure to the rows behind it, so a user can check it by hand.

``rows_behind(inputs, "churn_rate", "2026-Q4", {"team": "T-1"})`` returns the
customers active at the quarter's start owned by team T-1, with a ``churned`` column:
its sum is the numerator, the row count the denominator, and ``row_totals`` gives
those sums. Each KPI maps to one row set (``KPI_ROWS``):

- revenue, growth, attainment, pace, run rate: the quarter's sales lines (growth needs
  the previous quarter's lines too: ask for that quarter);
- growth to the same point: the quarter's sales lines and, marked ``compared``, those
  of the quarter compared with up to the same point (``KpiEngine.same_point``);
- market share and its change: the sales lines the share counts (all of them when a
  size for ``all`` is entered, else those in the segments with a size);
- customer counts, churn, retention: customers, with the flags and revenues used;
- CSAT / NPS: the quarter's interactions with a rating / an answer;
- pipeline coverage and forecast: the open deals closing in the quarter;
- win rates: the deals closed in the quarter; average size and cycle: the deals won.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import numpy as np
import pandas as pd

from qsales_tui.analytics.forecast import pipeline_forecast
from qsales_tui.analytics.kpi_engine import NO_DAY, KpiEngine, market_segments
from qsales_tui.analytics.kpi_inputs import KpiInputs
from qsales_tui.analytics.kpis import KPIS, _quarter
from qsales_tui.domain.calendar import Quarter
from qsales_tui.errors import QsalesError
from qsales_tui.i18n import _

RowSet = Literal[
    "sales",
    "sales_to_same_point",
    "customers",
    "interactions",
    "open_deals",
    "closed_deals",
    "won_deals",
]

# Which rows each KPI is made of (the module docstring says how each set is cut).
KPI_ROWS: dict[str, RowSet] = {
    **dict.fromkeys(
        [
            "revenue",
            "revenue_qoq",
            "revenue_yoy",
            "attainment",
            "pace",
            "run_rate_forecast",
            "market_share",
            "market_share_change",
        ],
        "sales",
    ),
    **dict.fromkeys(["revenue_qoq_to_date", "revenue_yoy_to_date"], "sales_to_same_point"),
    **dict.fromkeys(
        [
            "customers_active_start",
            "customers_new",
            "customers_churned",
            "churn_rate",
            "net_revenue_retention",
        ],
        "customers",
    ),
    **dict.fromkeys(["csat", "nps"], "interactions"),
    **dict.fromkeys(["pipeline_coverage", "pipeline_forecast"], "open_deals"),
    **dict.fromkeys(["win_rate_count", "win_rate_value"], "closed_deals"),
    **dict.fromkeys(["avg_deal_size", "sales_cycle_days"], "won_deals"),
}
_CUSTOMER_ROWS = {
    "customers_active_start": "active_at_start",
    "customers_new": "new",
    "customers_churned": "churned",
    "churn_rate": "active_at_start",
    "net_revenue_retention": "bought_previous_quarter",
}
_DEAL_COLUMNS = [
    "id",
    "name",
    "customer_id",
    "rep_id",
    "stage",
    "probability",
    "amount_minor",
    "created_on",
    "expected_close",
    "status",
    "closed_on",
]


def rows_behind(
    inputs: KpiInputs,
    kpi: str,
    quarter: str | Quarter,
    filter: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """The rows (sales lines, customers, interactions or deals) that make ``kpi``.

    ``filter`` maps dimensions (rep, team, region, product, segment) to a group, as in
    ``breakdown``; a dimension a row set cannot be cut by raises ``QsalesError``.
    """
    if kpi not in KPIS:
        raise QsalesError(_("unknown KPI {kpi}", kpi=kpi))
    engine = inputs.engine
    target = _quarter(inputs, quarter)
    filter = dict(filter or {})
    rows_of = KPI_ROWS[kpi]
    if rows_of == "sales":
        rows = engine.sales_slice(target)
        frame = engine.sales.iloc[rows]
        keep = _keep(filter, lambda dim: _sliced(engine.sales_labels(dim), rows), len(frame))
        if kpi.startswith("market_share"):
            keep &= _in_market(engine, target, rows)
        return frame.loc[keep].reset_index(drop=True)
    if rows_of == "sales_to_same_point":
        return _sales_to_same_point(engine, target, kpi, filter)
    if rows_of == "customers":
        return _customers(engine, target, kpi, filter)
    if rows_of == "interactions":
        values = engine.interactions[kpi].to_numpy(dtype=float)
        mask = engine.interactions_mask(target) & ~np.isnan(values)
        mask &= _keep(filter, engine.interaction_labels, len(mask))
        return engine.interactions.loc[mask].reset_index(drop=True)
    return _deals(engine, target, kpi, filter)


def _sales_to_same_point(
    engine: KpiEngine, quarter: Quarter, kpi: str, filter: Mapping[str, str]
) -> pd.DataFrame:
    """The quarter's lines, then the compared quarter's up to the same point."""
    other = quarter.previous if kpi == "revenue_qoq_to_date" else quarter.last_year
    parts = []
    for rows, compared in (
        (engine.sales_slice(quarter), False),
        (engine.sales_slice(other, engine.same_point(quarter, other)), True),
    ):
        frame = engine.sales.iloc[rows]
        keep = _keep(filter, lambda dim, r=rows: _sliced(engine.sales_labels(dim), r), len(frame))
        parts.append(frame.loc[keep].assign(compared=compared))
    return pd.concat(parts, ignore_index=True)


def _sliced(labels: np.ndarray | None, rows: slice) -> np.ndarray | None:
    return None if labels is None else labels[rows]


def _keep(filter: Mapping[str, str], labels_of, length: int) -> np.ndarray:
    keep = np.ones(length, dtype=bool)
    for dimension, group in filter.items():
        try:
            labels = labels_of(dimension)
        except (KeyError, AssertionError):
            raise QsalesError(
                _("these figures cannot be broken down by {dimension}", dimension=dimension)
            ) from None
        if labels is not None:
            keep &= labels == group
    return keep


def _in_market(engine: KpiEngine, quarter: Quarter, rows: slice) -> np.ndarray:
    """The lines the quarter's market share counts (:func:`market_segments`)."""
    segments = engine.sales_labels("segment")[rows]  # type: ignore[index]
    counted = market_segments(engine.market_sizes.get(quarter.name, {}))
    if counted is None:
        return np.ones(len(segments), dtype=bool)
    return np.isin(segments, counted)


def _customers(
    engine: KpiEngine, quarter: Quarter, kpi: str, filter: Mapping[str, str]
) -> pd.DataFrame:
    status = pd.DataFrame({"customer_id": engine.customer_ids, **engine.customer_status(quarter)})
    status["bought_previous_quarter"] = status["previous_revenue_minor"] > 0
    chosen = status[_CUSTOMER_ROWS[kpi]].to_numpy()
    keep = chosen & _keep(filter, engine.customer_labels, len(status))
    info = engine.customer_info[["name", "segment", "region", "owner_id"]].reset_index(drop=True)
    first, last = quarter.start, engine.as_of(quarter)
    status["last_purchase_before_start"] = _last_purchase(engine, np.datetime64(first, "D") - 1)
    status["last_purchase_to_date"] = _last_purchase(engine, np.datetime64(last, "D"))
    frame = pd.concat([status, info], axis=1).loc[keep]
    columns = [
        "customer_id",
        "name",
        "segment",
        "region",
        "owner_id",
        "last_purchase_before_start",
        "last_purchase_to_date",
        "active_at_start",
        "active_at_end",
        "new",
        "churned",
        "previous_revenue_minor",
        "revenue_minor",
    ]
    return frame[columns].reset_index(drop=True)


def _last_purchase(engine: KpiEngine, day: np.datetime64) -> pd.Series:
    """Per customer code: the last purchase on or before ``day`` (NaT if none)."""
    number = int((day - np.datetime64("1970-01-01", "D")).astype(np.int64))
    upto = int(np.searchsorted(engine.sale_day, number, side="right"))
    codes = engine.sale_customer[:upto]
    last = pd.Series(engine.sale_day[:upto][codes >= 0]).groupby(codes[codes >= 0]).max()
    result = pd.Series(pd.NaT, index=range(len(engine.customer_ids)), dtype="datetime64[s]")
    result.loc[last.index] = (last.to_numpy() * 86400).astype("datetime64[s]")
    return result


def _deals(
    engine: KpiEngine, quarter: Quarter, kpi: str, filter: Mapping[str, str]
) -> pd.DataFrame:
    if KPI_ROWS[kpi] == "open_deals":
        mask = engine.open_deals_mask(quarter)
    else:
        mask = engine.closed_deals_mask(quarter)
        if KPI_ROWS[kpi] == "won_deals":
            mask &= engine.deal_status == "won"
    mask &= _keep(filter, engine.deal_labels, len(mask))
    frame = engine.deals.loc[mask, _DEAL_COLUMNS].reset_index(drop=True)
    if kpi == "sales_cycle_days":
        known = (engine.deal_created != NO_DAY)[mask]
        frame = frame.loc[known].reset_index(drop=True)
        frame["cycle_days"] = (frame["closed_on"] - frame["created_on"]).dt.days.astype("int64")
    return frame


def row_totals(kpi: str, frame: pd.DataFrame) -> list[tuple[str, int | float, str]]:
    """The sums of the rows behind ``kpi`` that make its figure: (label, value, unit).

    For a ratio the first is its numerator and the last its denominator (e.g. churn:
    Σ churned, then the number of customers active at the start); money sums are
    exact integers of minor units. Labels are English, translated when shown (their
    zh entries are in kpi_ui.yaml; a test checks each has one).
    """
    count = ("Rows", len(frame), "count")

    def total(column: str, rows: Any = slice(None)) -> int:
        return int(frame.loc[rows, column].sum())

    if kpi not in KPI_ROWS:
        raise ValueError(f"unknown KPI {kpi!r}")
    rows_of = KPI_ROWS[kpi]
    if rows_of == "sales":
        return [("Σ amount", total("amount_minor"), "money")]
    if rows_of == "sales_to_same_point":
        compared = frame["compared"].astype(bool)
        return [
            ("Σ amount this quarter", total("amount_minor", ~compared), "money"),
            ("Σ amount compared", total("amount_minor", compared), "money"),
        ]
    if kpi == "churn_rate":
        return [("Σ churned", total("churned"), "count"), count]
    if kpi == "net_revenue_retention":
        return [
            ("Σ revenue this quarter", total("revenue_minor"), "money"),
            ("Σ revenue previous quarter", total("previous_revenue_minor"), "money"),
        ]
    if rows_of == "customers":  # the customer counts
        return [count]
    if kpi == "csat":
        return [("Σ CSAT", total("csat"), "count"), count]
    if kpi == "nps":
        return [
            ("Promoters 9–10", int((frame["nps"] >= 9).sum()), "count"),
            ("Detractors 0–6", int((frame["nps"] <= 6).sum()), "count"),
            count,
        ]
    if kpi in ("pipeline_coverage", "pipeline_forecast"):
        weighted = pipeline_forecast(
            0, zip(frame["amount_minor"].tolist(), frame["probability"].tolist(), strict=True)
        )
        return [
            ("Σ amount", total("amount_minor"), "money"),
            ("Σ amount × probability", weighted, "money"),
        ]
    won = frame["status"].eq("won")
    if kpi == "win_rate_count":
        return [("Won", int(won.sum()), "count"), count]
    if kpi == "win_rate_value":
        return [
            ("Σ amount won", total("amount_minor", won), "money"),
            ("Σ amount", total("amount_minor"), "money"),
        ]
    if kpi == "avg_deal_size":
        return [("Σ amount", total("amount_minor"), "money"), count]
    if kpi == "sales_cycle_days":
        return [("Σ cycle days", total("cycle_days"), "count"), count]
    raise ValueError(f"no row sums for KPI {kpi!r}")
