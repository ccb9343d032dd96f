"""Raw per-quarter aggregates behind every KPI: vectorised, grouped by a dimension.

The engine is built once per loaded dataset (``KpiInputs.engine``) and answers, for a
quarter and a dimension, the numerators and denominators that ``kpis.py`` turns into
figures; ``drilldown.py`` reuses the same row selections, so a figure and the rows
shown behind it can never disagree.

Definitions (N = ``settings["inactive_after_days"]``, default 90):

- *as of*: a quarter is counted up to ``min(today, quarter end)``; later rows are ignored.
- *active on day d*: bought on some day s with d − N < s ≤ d (last purchase on or
  before d is less than N days old).
- *active at the start* of Q: active on the day before Q's first day.
- *lapsed during Q* (churned): active at the start and not active on Q's as-of day
  (the quarter's last day, or today for the current quarter).
- *new in Q*: the customer's first purchase ever falls in Q (up to the as-of day).
  A new customer is never active at the start, so churn ignores it by construction.
  In the quarter where the sales history begins every buyer would look new, so the
  count is not given there (``history_starts``).
- *net revenue retention base*: customers who bought in the previous quarter; their
  revenue then is the base, their revenue in Q the numerator.
- Customer figures for a rep or team use the customer's owner (``owner_id``), sales
  figures the rep on the sales line, deal figures the deal's rep.
- *to the same point* (``same_point``): a quarter in progress, e working days into its
  T, is compared with another quarter P (T_P working days) up to P's k-th working day,
  k = e × T_P ÷ T rounded half up; a quarter counted to its end is compared with P
  whole. The k-th working day is included, the non-working days after it are not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from qsales_tui.domain.calendar import FiscalCalendar, Quarter
from qsales_tui.domain.splits import expected_to_date, split_exact

if TYPE_CHECKING:
    from qsales_tui.analytics.kpi_inputs import KpiInputs

TOTAL = "all"
UNASSIGNED = "—"
DIMENSIONS = ("rep", "team", "region", "product", "segment")
_MONTH_KEY = re.compile(r"^\d{4}-\d{2}$")
_EPOCH = np.datetime64("1970-01-01", "D")
NO_DAY = np.iinfo(np.int64).max  # a missing date: after every real day

# A group with none of these is left out of a breakdown (unless always listed): a
# manager who only logs calls is not a row of the rep table.
_ACTIVITY = (
    "revenue_minor",
    "target_minor",
    "deals_closed",
    "open_deal_count",
    "customers_active_at_start",
    "customers_new",
    "nrr_base_minor",
)

# A raw figure set: group label → column → value (ints, floats, or lists for deals).
Raw = dict[str, dict[str, Any]]


def day_number(day: date) -> int:
    return int((np.datetime64(day, "D") - _EPOCH).astype(np.int64))


def mul_div(amount: int, numerator: int, denominator: int) -> int:
    """``amount × numerator ÷ denominator`` rounded half up, exactly, in integers."""
    product = amount * numerator
    sign = -1 if (product < 0) != (denominator < 0) else 1
    quotient, remainder = divmod(abs(product), abs(denominator))
    if 2 * remainder >= abs(denominator):
        quotient += 1
    return sign * quotient


def _sum_by(values: np.ndarray, labels: np.ndarray | None) -> dict[str, int]:
    """Exact integer sums per label; one group ``TOTAL`` when ``labels`` is None."""
    if labels is None:
        return {TOTAL: int(values.sum())}
    sums = pd.Series(values).groupby(labels, sort=False).sum()
    return dict(zip(sums.index.astype(str), sums.tolist(), strict=True))


def _count_by(mask: np.ndarray, labels: np.ndarray | None) -> dict[str, int]:
    """How many rows are True, per label (``labels`` aligned with ``mask``)."""
    return _sum_by(mask.astype(np.int64), labels)


def _sum_where(values: np.ndarray, mask: np.ndarray, labels: np.ndarray | None) -> dict[str, int]:
    """Sum of ``values`` over the rows in ``mask``, per label of those rows."""
    return _sum_by(values[mask], None if labels is None else labels[mask])


def _count_where(mask: np.ndarray, labels: np.ndarray | None) -> dict[str, int]:
    return _sum_where(np.ones(len(mask), dtype=np.int64), mask, labels)


def _labels(values: Any) -> np.ndarray:
    """Group labels as an object array, missing ones as ``UNASSIGNED`` (categoricals too)."""
    array = np.asarray(values, dtype=object)
    return np.where(pd.isna(array), UNASSIGNED, array)


@lru_cache(maxsize=512)
def _working_days(calendar: FiscalCalendar, first: date, last: date) -> int:
    return calendar.working_days(first, last)


def _to_days(values: pd.Series) -> np.ndarray:
    """Dates as int day numbers; missing dates become a very large number (never ≤ a day)."""
    days = values.to_numpy(dtype="datetime64[D]", na_value=np.datetime64("NaT"))
    numbers = (days - _EPOCH).astype(np.int64)
    return np.where(np.isnat(days), NO_DAY, numbers)


def market_sizes(rows: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, int]]:
    """Quarter → segment → market size entered; of two rows for one quarter and segment
    the later counts."""
    sizes: dict[str, dict[str, int]] = {}
    for row in rows:
        sizes.setdefault(str(row["quarter"]), {})[str(row["segment"])] = int(row["size_minor"])
    return sizes


def market_basis(
    sizes: Mapping[str, int],
    sales_by_segment: Mapping[str, int],
    all_sales: int,
    segment: str | None = None,
) -> tuple[int, int] | None:
    """(own sales, market size) of one quarter's market share; None without a size.

    ``sizes`` are the quarter's (segment → size). A ``segment``: its size and its
    sales. The company (``segment`` None): a size for segment ``all`` is the whole
    market, compared with ``all_sales``; otherwise the sizes entered are added up and
    compared with the sales in those segments only. The KPIs and the market-share
    goals both measure with this.
    """
    if segment is not None:
        return (sales_by_segment.get(segment, 0), sizes[segment]) if segment in sizes else None
    counted = market_segments(sizes)
    if counted is None:
        return all_sales, sizes[TOTAL]
    if not counted:
        return None
    return (sum(sales_by_segment.get(s, 0) for s in counted), sum(sizes.values()))


def market_segments(sizes: Mapping[str, int]) -> list[str] | None:
    """The segments whose sales the company's market share counts, of one quarter's
    ``sizes``: None for all sales (a size for ``all`` is entered), else those sized."""
    return None if TOTAL in sizes else list(sizes)


class KpiEngine:
    """Precomputed arrays over one ``KpiInputs``; cheap per-quarter questions on them."""

    def __init__(self, inputs: KpiInputs) -> None:
        self.inputs = inputs
        self.calendar = inputs.calendar
        self.window = inputs.inactive_after_days
        self.today_day = day_number(inputs.today)

        sales = inputs.sales
        day = _to_days(sales["date"])
        keep = int(np.searchsorted(day, self.today_day, side="right"))
        self.sales = sales.iloc[:keep]
        self.sale_day = day[:keep]
        self.sale_amount = self.sales["amount_minor"].to_numpy(dtype=np.int64)
        # Codes in order of first appearance, and sales are sorted by date: customer
        # code k first buys where the running maximum of codes first reaches k.
        codes, uniques = pd.factorize(self.sales["customer_id"], sort=False)
        self.sale_customer = codes
        self.customer_ids = pd.Index(uniques, dtype="object")
        running = np.maximum.accumulate(codes) if len(codes) else codes
        first_index = np.searchsorted(running, np.arange(len(uniques)), side="left")
        self.first_purchase_day = self.sale_day[first_index] if len(uniques) else np.array([])

        self.customers_by_id = inputs.customers.drop_duplicates("id", keep="last").set_index("id")
        self.customer_info = self.customers_by_id.reindex(self.customer_ids)
        reps = inputs.reps.drop_duplicates("id", keep="last").set_index("id")
        self.rep_team = reps["team_id"]

        deals = inputs.deals
        self.deals = deals
        self.deal_created = _to_days(deals["created_on"])
        self.deal_expected = _to_days(deals["expected_close"])
        self.deal_closed = _to_days(deals["closed_on"])
        self.deal_status = deals["status"].to_numpy(dtype=object)
        self.deal_closed_status = (self.deal_status == "won") | (self.deal_status == "lost")
        self.deal_amount = deals["amount_minor"].to_numpy(dtype=np.int64)

        self.interactions = inputs.interactions
        self.interaction_day = _to_days(self.interactions["at"])

        self.market_sizes = market_sizes(inputs.market.to_dict("records"))
        self._label_cache: dict[tuple[str, str], np.ndarray | None] = {}
        self._status_cache: dict[Quarter, dict[str, np.ndarray]] = {}

    # ----- dates -------------------------------------------------------------------
    def as_of(self, quarter: Quarter) -> date:
        return min(self.inputs.today, quarter.end)

    def started(self, quarter: Quarter) -> bool:
        return quarter.start <= self.inputs.today

    def progress(self, quarter: Quarter) -> tuple[int, int]:
        """(working days counted up to the as-of day, working days in the quarter)."""
        return (
            _working_days(self.calendar, quarter.start, self.as_of(quarter)),
            _working_days(self.calendar, quarter.start, quarter.end),
        )

    def same_point(self, quarter: Quarter, other: Quarter) -> date:
        """The last day of ``other`` counted when comparing it with ``quarter`` to the
        same point (module docstring); the day before ``other`` starts when k = 0."""
        if self.as_of(quarter) >= quarter.end:
            return other.end
        elapsed, total = self.progress(quarter)
        other_total = _working_days(self.calendar, other.start, other.end)
        wanted = mul_div(elapsed, other_total, total) if total else 0
        day, seen = other.start - timedelta(days=1), 0
        while seen < wanted:
            day += timedelta(days=1)
            seen += self.calendar.is_working_day(day)
        return day

    def _bounds(self, quarter: Quarter) -> tuple[int, int]:
        """First and last (inclusive) day numbers counted in the quarter."""
        return day_number(quarter.start), day_number(self.as_of(quarter))

    def sales_slice(self, quarter: Quarter, until: date | None = None) -> slice:
        """The sales lines of the quarter up to its as-of day, or up to ``until``."""
        first, last = self._bounds(quarter)
        if until is not None:
            last = min(last, day_number(until))
        lo = int(np.searchsorted(self.sale_day, first, side="left"))
        hi = int(np.searchsorted(self.sale_day, last, side="right"))
        return slice(lo, hi)

    def _active_on(self, day: int) -> np.ndarray:
        """Per customer code: bought on some day s with day − N < s ≤ day."""
        lo = int(np.searchsorted(self.sale_day, day - self.window + 1, side="left"))
        hi = int(np.searchsorted(self.sale_day, day, side="right"))
        active = np.zeros(len(self.customer_ids), dtype=bool)
        codes = self.sale_customer[lo:hi]
        active[codes[codes >= 0]] = True
        return active

    # ----- labels per dimension ------------------------------------------------------
    def _team_of(self, rep_ids: pd.Series | pd.Index) -> np.ndarray:
        teams = pd.Series(_labels(rep_ids)).map(self.rep_team)
        return _labels(teams)

    def customer_labels(self, dimension: str) -> np.ndarray | None:
        """Label per customer code; None for the whole company. KeyError: not applicable."""
        if dimension == "total":
            return None
        key = ("customer", dimension)
        if key not in self._label_cache:
            info = self.customer_info
            if dimension == "rep":
                labels = _labels(info["owner_id"])
            elif dimension == "team":
                labels = self._team_of(info["owner_id"])
            elif dimension in ("region", "segment"):
                labels = _labels(info[dimension])
            else:
                raise KeyError(dimension)
            self._label_cache[key] = labels
        return self._label_cache[key]

    def sales_labels(self, dimension: str) -> np.ndarray | None:
        if dimension == "total":
            return None
        key = ("sales", dimension)
        if key not in self._label_cache:
            if dimension in ("rep", "product"):
                column = "rep_id" if dimension == "rep" else "product"
                labels = _labels(self.sales[column])
            elif dimension == "team":
                labels = self._team_of(self.sales["rep_id"])
            else:
                per_customer = self.customer_labels(dimension)
                assert per_customer is not None
                codes = self.sale_customer
                labels = np.where(codes >= 0, per_customer[np.maximum(codes, 0)], UNASSIGNED)
            self._label_cache[key] = labels
        return self._label_cache[key]

    def _record_labels(self, table: str, frame: pd.DataFrame, dimension: str) -> np.ndarray | None:
        """Labels for deals or interactions (rows carrying rep_id and customer_id)."""
        if dimension == "total":
            return None
        key = (table, dimension)
        if key not in self._label_cache:
            if dimension == "rep":
                labels = _labels(frame["rep_id"])
            elif dimension == "team":
                labels = self._team_of(frame["rep_id"])
            elif dimension in ("region", "segment"):
                by_id = self.customers_by_id[dimension]
                labels = _labels(pd.Series(_labels(frame["customer_id"])).map(by_id))
            else:
                raise KeyError(dimension)
            self._label_cache[key] = labels
        return self._label_cache[key]

    def deal_labels(self, dimension: str) -> np.ndarray | None:
        return self._record_labels("deals", self.deals, dimension)

    def interaction_labels(self, dimension: str) -> np.ndarray | None:
        return self._record_labels("interactions", self.interactions, dimension)

    # ----- row selections (shared with drill-down) -----------------------------------
    def customer_status(self, quarter: Quarter) -> dict[str, np.ndarray]:
        """Per customer who ever bought (aligned with ``customer_ids``): the flags and
        revenues behind the customer KPIs of ``quarter`` (definitions: module docstring)."""
        if quarter not in self._status_cache:
            first, last = self._bounds(quarter)
            active_start = self._active_on(first - 1)
            active_end = self._active_on(last)
            new = (self.first_purchase_day >= first) & (self.first_purchase_day <= last)
            if not self.started(quarter):
                active_end = active_start
                new = np.zeros_like(new)
            self._status_cache[quarter] = {
                "active_at_start": active_start,
                "active_at_end": active_end,
                "new": new,
                "churned": active_start & ~active_end,
                "previous_revenue_minor": self._revenue_per_customer(quarter.previous),
                "revenue_minor": self._revenue_per_customer(quarter),
            }
        return self._status_cache[quarter]

    def _revenue_per_customer(self, quarter: Quarter) -> np.ndarray:
        rows = self.sales_slice(quarter)
        codes = self.sale_customer[rows]
        known = codes >= 0
        result = np.zeros(len(self.customer_ids), dtype=np.int64)
        np.add.at(result, codes[known], self.sale_amount[rows][known])
        return result

    def closed_deals_mask(self, quarter: Quarter) -> np.ndarray:
        """Deals won or lost with ``closed_on`` in the quarter (up to the as-of day)."""
        first, last = self._bounds(quarter)
        return self.deal_closed_status & (self.deal_closed >= first) & (self.deal_closed <= last)

    def open_deals_mask(self, quarter: Quarter) -> np.ndarray:
        """Deals open on the as-of day whose expected close falls in the quarter.

        Open on day d: created on or before d and either still ``open`` or closed after
        d; so a past quarter shows the pipeline it had left on its last day.
        """
        first, last = self._bounds(quarter)
        end = day_number(quarter.end)
        closed_later = (self.deal_closed > last) & (self.deal_closed != NO_DAY)
        was_open = (self.deal_status == "open") | closed_later
        return (
            was_open
            & (self.deal_created <= last)
            & (self.deal_expected >= first)
            & (self.deal_expected <= end)
        )

    def interactions_mask(self, quarter: Quarter) -> np.ndarray:
        first, last = self._bounds(quarter)
        return (self.interaction_day >= first) & (self.interaction_day <= last)

    # ----- targets -------------------------------------------------------------------
    def revenue_goals(self, quarter: Quarter) -> dict[str, dict[str, Any]]:
        """The quarter's revenue goals in force by scope (``company``, ``team:T-1``,
        ``rep:R-1``, ``segment:key``, ``product:X``): ``draft``, ``cancelled`` and
        ``superseded`` ones are ignored, and of several in force for a scope (old data)
        the newest by ``created_at`` counts (:func:`~qsales_tui.domain.goals.goals_in_force`)."""
        from qsales_tui.domain.goals import goals_in_force

        return {
            scope: dict(goal)
            for (name, metric, scope, _product), goal in goals_in_force(self.inputs.goals).items()
            if name == quarter.name and metric == "revenue"
        }

    def split_to_date(self, goal: dict[str, Any], quarter: Quarter) -> int:
        """The part of the goal's target expected by the as-of day: the one definition
        in :func:`qsales_tui.domain.splits.expected_to_date` (the goals list uses it too)."""
        return expected_to_date(
            int(goal.get("target") or 0),
            goal.get("split") or {},
            quarter,
            self.calendar,
            self.inputs.today,
        )

    def allocated_to_date(self, company: dict[str, Any], quarter: Quarter) -> dict[str, int]:
        """Rep → their part of the company goal's expected-to-date.

        The reps together are expected E × A ÷ T (E the company's expected-to-date, T
        its target, A the allocations' sum, rounded half up: E itself when the
        allocations add up to the target). That is split over the reps in proportion
        to their allocations by largest remainder
        (:func:`~qsales_tui.domain.splits.split_exact`; ties: the rep allocated
        first), so the reps' parts add up to it exactly and each is within one minor
        unit of allocation × E ÷ T.
        """
        allocation = {
            rep: max(int(amount), 0)  # a negative one (a hand edit) counts as 0
            for rep, amount in (company.get("allocation") or {}).items()
        }
        target = int(company.get("target") or 0)
        if not allocation:
            return {}
        if not target:
            return dict.fromkeys(allocation, 0)
        together = mul_div(self.split_to_date(company, quarter), sum(allocation.values()), target)
        return split_exact(together, allocation)

    def targets(self, quarter: Quarter, dimension: str) -> dict[str, tuple[int, int]]:
        """Label → (target, expected to date).

        A goal scoped to the group (``team:T-1``, ``segment:key`` …) gives its own
        target and split. Otherwise a rep's target is its allocation in the company
        goal and its expected-to-date its part of the company's
        (:meth:`allocated_to_date`); a team's are the sums of its reps', so the reps
        add up to their team and the teams to the company exactly. Regions have no
        goals.
        """
        goals = self.revenue_goals(quarter)
        result: dict[str, tuple[int, int]] = {}
        company = goals.get("company")
        if dimension == "total":
            if company is not None:
                target = int(company.get("target") or 0)
                result[TOTAL] = (target, self.split_to_date(company, quarter))
            return result
        if company is not None and dimension in ("rep", "team"):
            allocation = {
                rep: int(amount) for rep, amount in (company.get("allocation") or {}).items()
            }
            expected = self.allocated_to_date(company, quarter)
            for rep, amount in allocation.items():
                label = rep
                if dimension == "team":
                    team = self.rep_team.get(rep)
                    label = UNASSIGNED if pd.isna(team) else str(team)
                target, so_far = result.get(label, (0, 0))
                result[label] = (target + amount, so_far + expected[rep])
        prefix = f"{dimension}:"
        for scope, goal in goals.items():
            if scope.startswith(prefix):
                result[scope[len(prefix) :]] = (
                    int(goal.get("target") or 0),
                    self.split_to_date(goal, quarter),
                )
        return result

    # ----- raw figures ---------------------------------------------------------------
    def members(self, dimension: str) -> list[str]:
        """Groups always listed, even without data: every rep (role rep) and team."""
        if dimension == "total":
            return [TOTAL]
        if dimension == "rep":
            reps = self.inputs.reps
            return sorted(reps.loc[reps["role"].fillna("rep") == "rep", "id"].astype(str))
        if dimension == "team":
            return sorted(self.inputs.teams["id"].astype(str))
        return []

    def raw(self, quarter: Quarter, dimension: str = "total") -> Raw:
        """Numerators and denominators of every KPI for each group of ``dimension``.

        A column missing from a group's dict means "not applicable to this dimension"
        (e.g. customers by product); applicable counters default to 0. Groups are the
        ``members`` plus any label with sales, a target, deals or customers.
        """
        if dimension != "total" and dimension not in DIMENSIONS:
            raise ValueError(f"unknown dimension {dimension!r}")
        table: Raw = {label: {} for label in self.members(dimension)}
        applicable: list[str] = []

        def put(column: str, values: dict[str, Any]) -> None:
            applicable.append(column)
            for label, value in values.items():
                table.setdefault(label, {})[column] = value

        rows = self.sales_slice(quarter)
        labels = self.sales_labels(dimension)
        put(
            "revenue_minor",
            _sum_by(self.sale_amount[rows], None if labels is None else labels[rows]),
        )

        compared_until: dict[str, str] = {}
        for column, other in (("previous", quarter.previous), ("last_year", quarter.last_year)):
            until = self.same_point(quarter, other)
            compared_until[f"{column}_compared_until"] = until.isoformat()
            upto = self.sales_slice(other, until)
            put(
                f"{column}_revenue_to_date_minor",
                _sum_by(self.sale_amount[upto], None if labels is None else labels[upto]),
            )

        if dimension != "product":
            self._put_customers(quarter, dimension, put)
            self._put_interactions(quarter, dimension, put)
            self._put_deals(quarter, dimension, put)
        if dimension in ("total", "segment"):
            self._put_market(quarter, dimension, table)

        for label, (target, expected) in self.targets(quarter, dimension).items():
            table.setdefault(label, {}).update(target_minor=target, expected_minor=expected)
        elapsed, total_days = self.progress(quarter)
        members = set(self.members(dimension))
        table = {
            label: values
            for label, values in table.items()
            if label in members or any(values.get(column) for column in _ACTIVITY)
        }
        for values in table.values():
            for column in applicable:
                values.setdefault(column, [] if column == "open_deals" else 0)
            values.update(
                elapsed_working_days=elapsed, total_working_days=total_days, **compared_until
            )
        return table

    def _put_customers(self, quarter: Quarter, dimension: str, put: Any) -> None:
        status = self.customer_status(quarter)
        labels = self.customer_labels(dimension)
        for column in ("active_at_start", "new", "churned"):
            put(f"customers_{column}", _count_by(status[column], labels))
        first, last = self._bounds(quarter)
        if len(self.sale_day) and first <= self.sale_day[0] <= last:
            put("history_starts", {label: True for label in self._all_labels(labels)})
        base = status["previous_revenue_minor"] > 0
        put("nrr_base_minor", _sum_where(status["previous_revenue_minor"], base, labels))
        put("nrr_kept_minor", _sum_where(status["revenue_minor"], base, labels))

    def _all_labels(self, labels: np.ndarray | None) -> list[str]:
        return [TOTAL] if labels is None else [str(label) for label in set(labels)]

    def _put_interactions(self, quarter: Quarter, dimension: str, put: Any) -> None:
        labels = self.interaction_labels(dimension)
        in_quarter = self.interactions_mask(quarter)
        csat = self.interactions["csat"].to_numpy(dtype=float)
        nps = self.interactions["nps"].to_numpy(dtype=float)
        rated = in_quarter & ~np.isnan(csat)
        answered = in_quarter & ~np.isnan(nps)
        put("csat_sum", _sum_where(np.nan_to_num(csat).astype(np.int64), rated, labels))
        put("csat_n", _count_where(rated, labels))
        put("nps_n", _count_where(answered, labels))
        put("nps_promoters", _count_where(answered & (nps >= 9), labels))
        put("nps_detractors", _count_where(answered & (nps <= 6), labels))

    def _put_deals(self, quarter: Quarter, dimension: str, put: Any) -> None:
        labels = self.deal_labels(dimension)
        closed = self.closed_deals_mask(quarter)
        won = closed & (self.deal_status == "won")
        timed = won & (self.deal_created != NO_DAY)
        is_open = self.open_deals_mask(quarter)
        put("deals_closed", _count_where(closed, labels))
        put("deals_won", _count_where(won, labels))
        put("closed_minor", _sum_where(self.deal_amount, closed, labels))
        put("won_minor", _sum_where(self.deal_amount, won, labels))
        put("cycle_days_sum", _sum_where(self.deal_closed - self.deal_created, timed, labels))
        put("cycle_deals", _count_where(timed, labels))
        put("open_pipeline_minor", _sum_where(self.deal_amount, is_open, labels))
        # The weighted forecast takes (amount, probability) pairs; deals sharing a
        # probability are added up first (Σ aᵢ × p = p × Σ aᵢ, still exact) so the
        # exact arithmetic runs once per stage probability, not once per deal.
        open_deals = (
            pd.DataFrame(
                {
                    "label": TOTAL if labels is None else labels[is_open],
                    "probability": self.deals["probability"].to_numpy(dtype=float)[is_open],
                    "amount": self.deal_amount[is_open],
                }
            )
            .groupby(["label", "probability"], sort=True)["amount"]
            .sum()
        )
        grouped: dict[str, list[tuple[int, float]]] = {}
        for (label, probability), amount in open_deals.items():
            grouped.setdefault(str(label), []).append((int(amount), float(probability)))
        put("open_deals", grouped)
        put("open_deal_count", _count_where(is_open, labels))

    def _put_market(self, quarter: Quarter, dimension: str, table: Raw) -> None:
        """Market size and the own sales it is compared with (:func:`market_basis`)."""
        sizes = self.market_sizes.get(quarter.name, {})
        by_segment = {
            segment: int(amount)
            for segment, amount in _sum_by(
                self.customer_status(quarter)["revenue_minor"],
                self.customer_labels("segment"),
            ).items()
        }
        if dimension == "segment":
            bases = {segment: market_basis(sizes, by_segment, 0, segment) for segment in sizes}
        else:
            bases = {TOTAL: market_basis(sizes, by_segment, table[TOTAL]["revenue_minor"])}
        for group, basis in bases.items():
            if basis is not None:
                table.setdefault(group, {}).update(
                    market_sales_minor=basis[0], market_size_minor=basis[1]
                )
