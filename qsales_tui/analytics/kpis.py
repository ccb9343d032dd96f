"""The quarter's KPIs (PRODUCT.md, "Numbers everyone will check"), defined once.

The screen, the report and the exports all call these functions::

    inputs = KpiInputs.from_store(store, today)
    result = compute_all(inputs, "2026-Q4")          # company KPIs, 8-quarter trends
    result.kpis["churn_rate"].value                  # 0.125
    breakdown(inputs, "2026-Q4", "rep")              # one row of figures per rep

Each figure carries its numerator and denominator (and, where more inputs are
involved, named ``terms``) so it can be checked by hand. When a figure cannot be
computed its value is None and ``reason`` holds a code of ``reason_text`` (no previous
quarter, zero target, no market size entered, …): nothing here divides by zero.

Money is int minor units. Ratios are floats for display only; their numerator and
denominator stay exact. Growth, attainment, pace, churn, retention, market share,
and win rates are fractions (0.125 = 12.5 %); coverage a multiple; NPS is in points (−100…100);
the market-share change is in percentage points; the sales cycle in days.
Definitions of active, churned and new customers: see ``kpi_engine``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any

from qsales_tui.analytics.forecast import pipeline_forecast, run_rate_forecast
from qsales_tui.analytics.kpi_engine import TOTAL, KpiEngine, Raw, mul_div
from qsales_tui.analytics.kpi_inputs import KpiInputs
from qsales_tui.domain.calendar import Quarter
from qsales_tui.errors import QsalesError
from qsales_tui.i18n import _

TREND_QUARTERS = 8
DEFAULT_PACE_THRESHOLDS = {"caution": 0.05, "off_track": 0.10}
# While a quarter runs, these compare its figures so far with whole quarters (or, for
# market share, with the whole quarter's market size): shown with a "to date" note.
TO_DATE_KPIS = (
    "revenue_qoq",
    "revenue_yoy",
    "customers_churned",
    "churn_rate",
    "net_revenue_retention",
    "market_share",
    "market_share_change",
)
# What a quarter that has not started still shows: the pipeline expected to close in it
# and how it covers the target (the target is all still to go). Everything else reads
# the quarter's own sales, customers, deals or answers: "—", reason ``not_started``.
SHOWN_BEFORE_START = ("pipeline_forecast", "pipeline_coverage")

# key → unit: "money" (minor units), "ratio" (fraction), "multiple" (coverage ×), "count",
# "score" (CSAT 1–5), "points" (NPS), "pp" (percentage points), "days"
KPIS: dict[str, str] = {
    "revenue": "money",
    "revenue_qoq": "ratio",
    "revenue_yoy": "ratio",
    "revenue_qoq_to_date": "ratio",
    "revenue_yoy_to_date": "ratio",
    "attainment": "ratio",
    "pace": "ratio",
    "run_rate_forecast": "money",
    "pipeline_forecast": "money",
    "customers_active_start": "count",
    "customers_new": "count",
    "customers_churned": "count",
    "churn_rate": "ratio",
    "net_revenue_retention": "ratio",
    "csat": "score",
    "nps": "points",
    "market_share": "ratio",
    "market_share_change": "pp",
    "pipeline_coverage": "multiple",
    "win_rate_count": "ratio",
    "win_rate_value": "ratio",
    "avg_deal_size": "money",
    "sales_cycle_days": "days",
}


def kpi_label(key: str) -> str:
    return {
        "revenue": _("Revenue"),
        "revenue_qoq": _("Growth QoQ"),
        "revenue_yoy": _("Growth YoY"),
        "revenue_qoq_to_date": _("Growth QoQ, same point"),
        "revenue_yoy_to_date": _("Growth YoY, same point"),
        "attainment": _("Attainment"),
        "pace": _("Pace"),
        "run_rate_forecast": _("Run-rate forecast"),
        "pipeline_forecast": _("Weighted pipeline forecast"),
        "customers_active_start": _("Active customers at start"),
        "customers_new": _("New customers"),
        "customers_churned": _("Churned customers"),
        "churn_rate": _("Churn rate"),
        "net_revenue_retention": _("Net revenue retention"),
        "csat": _("CSAT"),
        "nps": _("NPS"),
        "market_share": _("Market share"),
        "market_share_change": _("Market share change"),
        "pipeline_coverage": _("Pipeline coverage"),
        "win_rate_count": _("Win rate (count)"),
        "win_rate_value": _("Win rate (value)"),
        "avg_deal_size": _("Average deal size"),
        "sales_cycle_days": _("Sales cycle (days)"),
    }[key]


def kpi_formula(key: str) -> str:
    """How the figure is computed, in words: numerator ÷ denominator."""
    return {
        "revenue": _("sum of sales line amounts in the quarter up to the as-of day"),
        "revenue_qoq": _("(revenue − previous quarter's revenue) ÷ previous quarter's revenue"),
        "revenue_yoy": _("(revenue − same quarter last year) ÷ same quarter last year"),
        "revenue_qoq_to_date": _(
            "(revenue − previous quarter's revenue to the same share of its working days)"
            " ÷ that revenue"
        ),
        "revenue_yoy_to_date": _(
            "(revenue − same quarter last year's revenue to the same share of its working"
            " days) ÷ that revenue"
        ),
        "attainment": _("revenue ÷ target"),
        "pace": _("revenue to date ÷ target split to date"),
        "run_rate_forecast": _(
            "revenue to date ÷ elapsed working days × working days in the quarter"
        ),
        "pipeline_forecast": _("revenue + Σ open deals closing this quarter × stage probability"),
        "customers_active_start": _(
            "customers who bought within the inactivity window before the quarter's start"
        ),
        "customers_new": _("customers whose first purchase falls in the quarter"),
        "customers_churned": _(
            "customers active at the start who are no longer active at the as-of day"
        ),
        "churn_rate": _("churned customers ÷ customers active at the start"),
        "net_revenue_retention": _(
            "this quarter's revenue from last quarter's customers ÷ their revenue last quarter"
        ),
        "csat": _("sum of CSAT ratings (1–5) ÷ number of ratings"),
        "nps": _("(promoters 9–10 − detractors 0–6) ÷ answers × 100"),
        "market_share": _("own sales ÷ market size"),
        "market_share_change": _("market share − previous quarter's market share, in points"),
        "pipeline_coverage": _("open pipeline closing this quarter ÷ (target − revenue)"),
        "win_rate_count": _("deals won ÷ deals closed in the quarter"),
        "win_rate_value": _("value won ÷ value closed in the quarter"),
        "avg_deal_size": _("value won ÷ deals won"),
        "sales_cycle_days": _("Σ days from created to closed, won deals ÷ deals won"),
    }[key]


def reason_text(code: str) -> str:
    return {
        "not_applicable": _("not available for this dimension"),
        "not_started": _("the quarter has not started"),
        "nothing_due_yet": _("no working day of the quarter has passed yet"),
        "no_previous_revenue": _("no revenue in the previous quarter"),
        "no_last_year_revenue": _("no revenue in the same quarter last year"),
        "no_target": _("no target set for this quarter"),
        "zero_target": _("the target is zero"),
        "target_reached": _("the target is already reached"),
        "no_active_customers": _("no customers were active at the quarter's start"),
        "no_previous_customers": _("no customers bought in the previous quarter"),
        "no_csat": _("no CSAT ratings in the quarter"),
        "no_nps": _("no NPS answers in the quarter"),
        "no_market_size": _("no market size entered for this quarter"),
        "no_previous_share": _("no market share for the previous quarter"),
        "no_closed_deals": _("no deals closed in the quarter"),
        "no_won_deals": _("no deals won in the quarter"),
        "history_starts": _("the sales history starts in this quarter: every buyer would look new"),
    }[code]


def status_text(status: str) -> str:
    return {
        "on_track": _("on track"),
        "caution": _("caution"),
        "off_track": _("off track"),
    }[status]


@dataclass(frozen=True)
class Figure:
    """One KPI in one quarter for one group; ``value is None`` ⇔ ``reason`` is set."""

    value: int | float | None
    numerator: int | float | None = None
    denominator: int | float | None = None
    reason: str | None = None
    status: str | None = None  # pace only: on_track / caution / off_track
    terms: dict[str, int | float | str] = field(default_factory=dict)


Trend = tuple[tuple[str, int | float | None], ...]  # (quarter, value), oldest first
GroupTrends = dict[str, dict[str, Trend]]  # group → KPI → trend


@dataclass(frozen=True)
class Kpi:
    key: str
    quarter: str
    current: Figure
    previous: Figure
    trend: Trend  # oldest first, ends with ``quarter``

    @property
    def unit(self) -> str:
        return KPIS[self.key]

    @property
    def value(self) -> int | float | None:
        return self.current.value


@dataclass(frozen=True)
class Progress:
    """How far a quarter is counted: ``state`` is ``not_started``, ``in_progress`` or
    ``complete`` (counted to its last day)."""

    quarter: str
    state: str
    elapsed_working_days: int
    total_working_days: int

    @property
    def fraction(self) -> float:
        total = self.total_working_days
        return self.elapsed_working_days / total if total else 0.0

    def text(self) -> str:
        """One line that says how to read the quarter's figures ("" when complete)."""
        if self.state == "not_started":
            return _(
                "{quarter} has not started: only its targets and pipeline are shown",
                quarter=self.quarter,
            )
        if self.state == "in_progress":
            return _(
                "{quarter} in progress: {elapsed} of {total} working days ({percent}); "
                "figures are to date",
                quarter=self.quarter,
                elapsed=self.elapsed_working_days,
                total=self.total_working_days,
                percent=f"{self.fraction:.0%}",
            )
        return ""

    def is_to_date(self, key: str) -> bool:
        """Whether ``key``'s figure compares a part of the quarter with whole quarters."""
        return self.state == "in_progress" and key in TO_DATE_KPIS


@dataclass(frozen=True)
class QuarterKpis:
    quarter: str
    as_of: date
    kpis: dict[str, Kpi]
    progress: Progress


@dataclass(frozen=True)
class GroupKpis:
    """One row of a drill-down table: a rep, team, region, product or segment."""

    dimension: str
    group: str
    name: str
    figures: dict[str, Figure]


def pace_thresholds(settings: dict[str, Any]) -> tuple[float, float]:
    """``settings["pace_thresholds"]``: how far behind the expected-to-date, as a
    fraction, turns the status to caution and to off track. Default ``{"caution": 0.05,
    "off_track": 0.10}``: off track when 10 % or more behind."""
    given = settings.get("pace_thresholds") or {}
    try:
        merged = {**DEFAULT_PACE_THRESHOLDS, **given}
        caution, off_track = float(merged["caution"]), float(merged["off_track"])
    except (TypeError, ValueError) as exc:
        raise QsalesError(
            _(
                "settings pace_thresholds must map caution and off_track to numbers: {value}",
                value=given,
            )
        ) from exc
    if not 0 <= caution <= off_track <= 1:
        raise QsalesError(
            _("settings pace_thresholds need 0 ≤ caution ≤ off_track ≤ 1: {value}", value=given)
        )
    return caution, off_track


def _missing(reason: str, **parts: Any) -> Figure:
    return Figure(None, reason=reason, **parts)


def _ratio(numerator: int, denominator: int, reason: str, **parts: Any) -> Figure:
    if not denominator:
        return Figure(None, numerator, denominator, reason, **parts)
    return Figure(numerator / denominator, numerator, denominator, **parts)


def _growth(now: int, before: int | None, reason: str) -> Figure:
    if not before:
        return _missing(
            reason, numerator=None if before is None else now - before, denominator=before
        )
    return Figure((now - before) / before, now - before, before)


def _share(raw: dict[str, Any] | None) -> Figure:
    if raw is None or "market_sales_minor" not in raw:
        return _missing("no_market_size")
    return _ratio(raw["market_sales_minor"], raw["market_size_minor"], "no_market_size")


def _growth_to_date(raw: dict[str, Any], compared: str, reason: str) -> Figure:
    """Growth against ``compared`` (``previous`` or ``last_year``) up to the same point."""
    terms = {
        "compared_until": raw[f"{compared}_compared_until"],
        "elapsed_working_days": raw["elapsed_working_days"],
        "total_working_days": raw["total_working_days"],
    }
    if not raw["elapsed_working_days"]:
        return _missing("nothing_due_yet", terms=terms)
    figure = _growth(raw["revenue_minor"], raw[f"{compared}_revenue_to_date_minor"], reason)
    return Figure(figure.value, figure.numerator, figure.denominator, figure.reason, terms=terms)


def derive(
    raw: dict[str, Any],
    previous: dict[str, Any] | None,
    last_year: dict[str, Any] | None,
    thresholds: tuple[float, float] = (0.05, 0.10),
    *,
    started: bool = True,
    market_applies: bool = True,
    targets_apply: bool = True,
) -> dict[str, Figure]:
    """Every KPI of one group from its raw figures (``KpiEngine.raw``), the previous
    quarter's and the same quarter last year's. A KPI whose inputs are absent from
    ``raw`` is not applicable to the group's dimension; before the quarter starts only
    ``SHOWN_BEFORE_START`` are given, the rest have reason ``not_started``."""
    revenue = raw["revenue_minor"]
    previous_revenue = (previous or {}).get("revenue_minor")
    last_year_revenue = (last_year or {}).get("revenue_minor")
    figures: dict[str, Figure] = {
        "revenue": Figure(revenue, revenue),
        "revenue_qoq": _growth(revenue, previous_revenue, "no_previous_revenue"),
        "revenue_yoy": _growth(revenue, last_year_revenue, "no_last_year_revenue"),
        "revenue_qoq_to_date": _growth_to_date(raw, "previous", "no_previous_revenue"),
        "revenue_yoy_to_date": _growth_to_date(raw, "last_year", "no_last_year_revenue"),
    }
    if targets_apply:
        figures.update(_target_figures(raw, thresholds, started))
    elapsed, total = raw["elapsed_working_days"], raw["total_working_days"]
    run_rate = run_rate_forecast(revenue, elapsed, total)
    days = {"elapsed_working_days": elapsed, "total_working_days": total}
    figures["run_rate_forecast"] = (
        Figure(run_rate, revenue, elapsed, terms=days)
        if run_rate is not None
        else _missing("not_started", numerator=revenue, denominator=elapsed, terms=days)
    )
    if "customers_active_at_start" in raw:
        active, churned = raw["customers_active_at_start"], raw["customers_churned"]
        figures.update(
            customers_active_start=Figure(active, active),
            customers_new=(
                _missing("history_starts")
                if raw.get("history_starts")
                else Figure(raw["customers_new"], raw["customers_new"])
            ),
            customers_churned=Figure(churned, churned),
            churn_rate=_ratio(churned, active, "no_active_customers"),
            net_revenue_retention=_ratio(
                raw["nrr_kept_minor"], raw["nrr_base_minor"], "no_previous_customers"
            ),
            csat=_ratio(raw["csat_sum"], raw["csat_n"], "no_csat"),
            nps=_nps(raw),
        )
    if "deals_closed" in raw:
        figures.update(_deal_figures(raw))
    if market_applies:
        share = _share(raw)
        figures["market_share"] = share
        before = _share(previous)
        if share.value is None:
            figures["market_share_change"] = _missing(share.reason or "no_market_size")
        elif before.value is None:
            figures["market_share_change"] = _missing("no_previous_share")
        else:
            figures["market_share_change"] = Figure(
                (share.value - before.value) * 100,
                terms={"market_share": share.value, "previous_market_share": before.value},
            )
    result = {key: figures.get(key, _missing("not_applicable")) for key in KPIS}
    if not started:  # the terms stay (a target is still a target), the value goes
        result = {
            key: figure
            if key in SHOWN_BEFORE_START or figure.reason == "not_applicable"
            else Figure(
                None, figure.numerator, figure.denominator, "not_started", terms=figure.terms
            )
            for key, figure in result.items()
        }
    return result


def pace_status(actual: int, expected: int, thresholds: tuple[float, float]) -> str:
    """``off_track`` when ``off_track`` or more behind the expected-to-date (pace 1.0),
    ``caution`` when ``caution`` or more behind, else ``on_track``.

    Compared exactly: 1 − actual ÷ expected as a fraction of integers against each
    threshold read as written (``0.1`` is 1/10), so exactly 10 % behind is off track
    (in floats 1 − 0.9 is 0.0999…). ``expected`` must be positive.
    """
    caution, off_track = (Fraction(str(limit)) for limit in thresholds)
    behind = 1 - Fraction(actual, expected)
    if behind >= off_track:
        return "off_track"
    return "caution" if behind >= caution else "on_track"


def pace_figure(
    actual: int,
    target: int,
    expected: int | None,
    thresholds: tuple[float, float],
    started: bool = True,
) -> Figure:
    """Pace = actual to date ÷ expected to date, with its status; a reason when it has none."""
    if not target:
        return _missing("zero_target", numerator=actual, denominator=expected)
    if not started:
        return _missing("not_started", numerator=actual, denominator=expected)
    if not expected:
        return _missing("nothing_due_yet", numerator=actual, denominator=expected)
    return Figure(
        actual / expected,
        actual,
        expected,
        status=pace_status(actual, expected, thresholds),
        terms={"target_minor": target},
    )


def _target_figures(
    raw: dict[str, Any], thresholds: tuple[float, float], started: bool
) -> dict[str, Figure]:
    revenue = raw["revenue_minor"]
    if "target_minor" not in raw:
        return {key: _missing("no_target") for key in ("attainment", "pace", "pipeline_coverage")}
    target, expected = raw["target_minor"], raw["expected_minor"]
    figures = {
        "attainment": _ratio(revenue, target, "zero_target"),
        "pace": pace_figure(revenue, target, expected, thresholds, started),
    }
    if "open_pipeline_minor" in raw:
        to_go = target - revenue
        pipeline = raw["open_pipeline_minor"]
        figures["pipeline_coverage"] = (
            _missing("target_reached", numerator=pipeline, denominator=to_go)
            if to_go <= 0
            else Figure(pipeline / to_go, pipeline, to_go)
        )
    return figures


def _nps(raw: dict[str, Any]) -> Figure:
    answers = raw["nps_n"]
    net = raw["nps_promoters"] - raw["nps_detractors"]
    terms = {"promoters": raw["nps_promoters"], "detractors": raw["nps_detractors"]}
    if not answers:
        return _missing("no_nps", numerator=net, denominator=answers, terms=terms)
    return Figure(net / answers * 100, net, answers, terms=terms)


def _deal_figures(raw: dict[str, Any]) -> dict[str, Figure]:
    won, closed = raw["deals_won"], raw["deals_closed"]
    won_minor = raw["won_minor"]
    weighted = pipeline_forecast(raw["revenue_minor"], raw["open_deals"])
    return {
        "pipeline_forecast": Figure(
            weighted,
            terms={
                "revenue_minor": raw["revenue_minor"],
                "open_pipeline_minor": raw["open_pipeline_minor"],
                "open_deals": raw["open_deal_count"],
                "weighted_pipeline_minor": weighted - raw["revenue_minor"],
            },
        ),
        "win_rate_count": _ratio(won, closed, "no_closed_deals"),
        "win_rate_value": _ratio(won_minor, raw["closed_minor"], "no_closed_deals"),
        "avg_deal_size": (
            Figure(mul_div(won_minor, 1, won), won_minor, won)
            if won
            else _missing("no_won_deals", numerator=won_minor, denominator=won)
        ),
        "sales_cycle_days": _ratio(raw["cycle_days_sum"], raw["cycle_deals"], "no_won_deals"),
    }


def _quarter(inputs: KpiInputs, quarter: str | Quarter) -> Quarter:
    if isinstance(quarter, Quarter):
        return quarter
    try:
        return inputs.calendar.quarter(quarter)
    except ValueError as exc:
        raise QsalesError(str(exc)) from exc


def compute_all(inputs: KpiInputs, quarter: str | Quarter) -> QuarterKpis:
    """Every company KPI for ``quarter``, with the previous quarter and an 8-quarter trend.

    The entry point the screen, the report and ``bench/`` call; repeated calls on the
    same inputs reuse the engine's precomputed arrays (``del inputs.engine`` first to
    time a cold recompute from the loaded DataFrames).
    """
    engine = inputs.engine
    target = _quarter(inputs, quarter)
    thresholds = pace_thresholds(inputs.settings)
    window = [target.shift(-k) for k in range(TREND_QUARTERS, -1, -1)]  # Q-8 … Q
    raws = {q: engine.raw(q)[TOTAL] for q in window}

    def revenue_only(q: Quarter) -> dict[str, Any]:
        return raws[q] if q in raws else {"revenue_minor": _revenue(engine, q)}

    figures = {
        q: derive(
            raws[q],
            raws[q.previous],
            revenue_only(q.last_year),
            thresholds,
            started=engine.started(q),
        )
        for q in window[1:]
    }
    kpis = {
        key: Kpi(
            key=key,
            quarter=target.name,
            current=figures[target][key],
            previous=figures[target.previous][key],
            trend=tuple((q.name, figures[q][key].value) for q in window[1:]),
        )
        for key in KPIS
    }
    return QuarterKpis(target.name, engine.as_of(target), kpis, quarter_progress(engine, target))


def quarter_progress(engine: KpiEngine, quarter: Quarter) -> Progress:
    elapsed, total = engine.progress(quarter)
    state = (
        "not_started"
        if not engine.started(quarter)
        else "complete"
        if engine.as_of(quarter) >= quarter.end
        else "in_progress"
    )
    return Progress(quarter.name, state, elapsed, total)


def _revenue(engine: KpiEngine, quarter: Quarter) -> int:
    return int(engine.sale_amount[engine.sales_slice(quarter)].sum())


def breakdown(inputs: KpiInputs, quarter: str | Quarter, dimension: str) -> list[GroupKpis]:
    """The KPIs of ``quarter`` per rep, team, region, product or segment.

    Every rep (role ``rep``) and team is listed even without sales. Customer figures
    follow the customer's owner. KPIs a dimension cannot carry (customers or deals by
    product, market share other than by segment, targets by region) are None with
    reason ``not_applicable``; a segment or product without a goal scoped to it has
    reason ``no_target``. Targets: see ``KpiEngine.targets``.
    """
    return _breakdowns(inputs, [_quarter(inputs, quarter)], dimension)[0]


def breakdown_trends(inputs: KpiInputs, quarter: str | Quarter, dimension: str) -> GroupTrends:
    """Group → KPI → its 8-quarter trend ending with ``quarter`` (as ``Kpi.trend``).

    The groups are those of ``breakdown(inputs, quarter, dimension)``; a quarter where a
    group has no row (no sales, target, deals or customers then) has value None.
    """
    target = _quarter(inputs, quarter)
    window = [target.shift(-k) for k in range(TREND_QUARTERS - 1, -1, -1)]
    per_quarter = [
        {row.group: row.figures for row in rows} for rows in _breakdowns(inputs, window, dimension)
    ]
    groups = per_quarter[-1]
    return {
        group: {
            key: tuple(
                (q.name, rows[group][key].value if group in rows else None)
                for q, rows in zip(window, per_quarter, strict=True)
            )
            for key in KPIS
        }
        for group in groups
    }


def _breakdowns(
    inputs: KpiInputs, quarters: list[Quarter], dimension: str
) -> list[list[GroupKpis]]:
    """``breakdown`` of each quarter, reading each quarter's raw figures once."""
    engine = inputs.engine
    thresholds = pace_thresholds(inputs.settings)
    names = _names(inputs, dimension)
    raws: dict[Quarter, Raw] = {}

    def raw(q: Quarter) -> Raw:
        if q not in raws:
            raws[q] = engine.raw(q, dimension)
        return raws[q]

    return [
        [
            GroupKpis(
                dimension,
                group,
                names.get(group, group),
                derive(
                    figures,
                    raw(q.previous).get(group),
                    raw(q.last_year).get(group),
                    thresholds,
                    started=engine.started(q),
                    market_applies=dimension == "segment",
                    targets_apply=dimension != "region",
                ),
            )
            for group, figures in sorted(raw(q).items())
        ]
        for q in quarters
    ]


def _names(inputs: KpiInputs, dimension: str) -> dict[str, str]:
    table = {"rep": inputs.reps, "team": inputs.teams}.get(dimension)
    if table is None or table.empty:
        return {}
    return dict(zip(table["id"].astype(str), table["name"].astype(str), strict=True))
