"""Goals for the wizard, the goals list and ``qsales goals``: history, saving, progress, drafts.

The functions that read the sales history use pandas (through ``storage.frames``) and
are meant to run in a worker thread.

How each metric is measured for a scope (``company``, ``team:<id>``, ``rep:<id>``,
``segment:<name>``, ``product:<name>``):

- ``revenue``: the scope's sales lines' ``amount_minor``; ``units``: their ``quantity``
  of the goal's product.
- ``new_customers``: customers whose first purchase ever falls in the quarter, counted
  where that first sale line belongs (its rep, its customer's segment, its product).
  The first quarter of the sales history is left out: there, every existing customer
  would look new.
- ``avg_csat``: mean CSAT of the scope's interactions (hundredths of a point), dated
  in the settings' ``timezone`` (else UTC); a product scope counts every interaction.
- ``market_share``: as the market-share KPI measures it
  (:func:`~qsales_tui.analytics.kpi_engine.market_basis`), in basis points: a segment's
  revenue ÷ its market size; the company's revenue ÷ the size entered for segment
  ``all``, else the sales in the segments with a size ÷ their sizes added up.
  Quarters without a size are left out.

A team's history counts the sales of everyone who is in the team now. Goals are
allocated to the scope's active reps with role ``rep``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from qsales_tui.analytics.forecast import monthly_series, quarterly_by, quarterly_series
from qsales_tui.domain.calendar import FiscalCalendar, Quarter
from qsales_tui.domain.goals import (
    ADDITIVE_METRICS,
    GoalDraft,
    GoalError,
    GoalHistory,
    GoalRules,
    build_goal,
    in_force,
    parse_scope,
    replaced_goals,
)
from qsales_tui.domain.splits import expected_to_date, round_half_up
from qsales_tui.i18n import _
from qsales_tui.services.identity import require_manager, require_writer

if TYPE_CHECKING:
    import pandas as pd

    from qsales_tui.context import Context

GOAL_DRAFT = "goal"  # the drafts table's ``kind`` of a goal wizard draft


# --- the history the checks need -------------------------------------------------------


def goal_rules(ctx: Context) -> GoalRules:
    return GoalRules.from_settings(ctx.store.settings)


def objectives(ctx: Context) -> list[str]:
    """The company objectives and strategy themes a goal can be linked to (settings)."""
    return [str(objective) for objective in ctx.store.settings.get("objectives", [])]


def names(ctx: Context) -> dict[str, str]:
    """Team and rep ids → names."""
    return {
        record["id"]: record["name"]
        for table in ("teams", "reps")
        for record in ctx.store.all(table)
    }


def scope_reps(ctx: Context, scope: str) -> list[str]:
    """The reps a goal of ``scope`` is allocated to (active, role ``rep``; a rep scope: them)."""
    kind, value = parse_scope(scope)
    reps = [
        rep for rep in ctx.store.all("reps") if rep.get("active", True) and rep.get("role") == "rep"
    ]
    if kind == "rep":
        return [value] if value else []
    if kind == "team":
        reps = [rep for rep in reps if rep.get("team_id") == value]
    return sorted(rep["id"] for rep in reps)


class _Reading:
    """The tables goal figures are read from, each read at most once: a list of goals
    loads the sales history once, not once per goal. Its frames are never modified."""

    _COLUMNS: dict[str, list[str] | None] = {
        "sales": None,
        "interactions": ["at", "customer_id", "rep_id", "csat"],
    }

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._frames: dict[str, pd.DataFrame] = {}
        self._records: dict[str, list[dict[str, Any]]] = {}

    def frame(self, table: str) -> pd.DataFrame:
        from qsales_tui.storage.frames import load_frame

        if table not in self._frames:
            self._frames[table] = load_frame(self.ctx.store, table, self._COLUMNS[table])
        return self._frames[table]

    def all(self, table: str) -> list[dict[str, Any]]:
        if table not in self._records:
            self._records[table] = self.ctx.store.all(table)
        return self._records[table]


def goal_history(ctx: Context, draft: GoalDraft) -> GoalHistory:
    """Actuals of the draft's metric and scope before its quarter (see the module docstring)."""
    calendar = ctx.calendar
    quarter = calendar.quarter(draft.quarter)
    reading = _Reading(ctx)
    lines = _metric_lines(reading, draft.metric, draft.scope, draft.units_product)
    before = lines[lines["date"] < _timestamp(quarter.start)]
    last = quarter.previous.name
    quarterly = _quarterly(reading, before, draft.metric, draft.scope, calendar, last=last)
    per_rep: dict[str, dict[str, int]] = {}
    monthly: dict[str, int] = {}
    if draft.metric in ADDITIVE_METRICS and not before.empty:
        per_rep = {
            str(rep): series
            for rep, series in quarterly_by(
                before, calendar, "rep_id", value="value", last=last
            ).items()
        }
        monthly = monthly_series(before, value="value")
    elif draft.metric == "avg_csat":
        per_rep = {
            rep: _quarterly(reading, group, draft.metric, draft.scope, calendar, last=last)
            for rep, group in before.groupby("rep_id", observed=True)
        }
    return GoalHistory(
        quarterly,
        per_rep,
        monthly,
        scope_reps(ctx, draft.scope),
        names(ctx),
        ctx.currency,
        replaced_goals(draft, ctx.store.all("goals")),
    )


def _timestamp(day: date) -> pd.Timestamp:
    import pandas as pd

    return pd.Timestamp(day)


def _metric_lines(reading: _Reading, metric: str, scope: str, product: str) -> pd.DataFrame:
    """The scope's lines behind ``metric``: columns date, customer_id, rep_id, value, count."""
    import pandas as pd

    kind, value = parse_scope(scope)
    if metric == "avg_csat":
        frame = reading.frame("interactions")
        frame = frame[frame["csat"].notna()]
        local = frame["at"].dt.tz_convert(reading.ctx.store.settings.get("timezone") or "UTC")
        frame = pd.DataFrame(
            {
                "date": local.dt.tz_localize(None).dt.normalize(),
                "customer_id": frame["customer_id"],
                "rep_id": frame["rep_id"],
                "product": "",
                "value": frame["csat"].astype("int64"),
            }
        )
        if kind == "product":
            kind = "company"
    else:
        frame = reading.frame("sales").sort_values("date", kind="stable")
        if metric == "new_customers" and not frame.empty:
            first = reading.ctx.calendar.quarter_of(frame["date"].iloc[0].date())
            frame = frame.drop_duplicates("customer_id", keep="first")
            frame = frame[frame["date"] >= _timestamp(first.next.start)]
        frame = frame.assign(
            value={
                "units": frame["quantity"],
                "new_customers": 1,
            }.get(metric, frame["amount_minor"])
        )
        if metric == "units":
            frame = frame[frame["product"] == product]
    if kind == "team":
        team = {rep["id"] for rep in reading.all("reps") if rep.get("team_id") == value}
        frame = frame[frame["rep_id"].isin(team)]
    elif kind == "rep":
        frame = frame[frame["rep_id"] == value]
    elif kind == "segment":
        segment = {c["id"] for c in reading.all("customers") if c.get("segment") == value}
        frame = frame[frame["customer_id"].isin(segment)]
    elif kind == "product":
        frame = frame[frame["product"] == value]
    return frame.assign(count=1)[["date", "customer_id", "rep_id", "value", "count"]]


def _quarterly(
    reading: _Reading,
    lines: pd.DataFrame,
    metric: str,
    scope: str,
    calendar: FiscalCalendar,
    *,
    first: str | None = None,
    last: str | None = None,
) -> dict[str, int]:
    """The metric per quarter from its lines: sums, a mean (CSAT) or a share of the market."""
    if lines.empty and first is None:
        return {}
    values = quarterly_series(lines, calendar, value="value", first=first, last=last)
    if metric in ADDITIVE_METRICS:
        return values
    if metric == "avg_csat":
        counts = quarterly_series(lines, calendar, value="count", first=first, last=last)
        return {q: round_half_up(Fraction(100 * values[q], counts[q])) for q in values if counts[q]}
    return _market_shares(reading, lines, scope, values, calendar, first=first, last=last)


def _market_shares(
    reading: _Reading,
    lines: pd.DataFrame,
    scope: str,
    sales: dict[str, int],
    calendar: FiscalCalendar,
    *,
    first: str | None,
    last: str | None,
) -> dict[str, int]:
    """The scope's market share per quarter in basis points, measured as the KPI is
    (:func:`~qsales_tui.analytics.kpi_engine.market_basis`); ``sales`` is the scope's
    per quarter. Only the company and segments have a market size."""
    from qsales_tui.analytics.kpi_engine import market_basis, market_sizes

    kind, value = parse_scope(scope)
    if kind not in ("company", "segment"):
        return {}
    sizes = market_sizes(reading.all("market"))
    segment_of = {c["id"]: c.get("segment") for c in reading.all("customers")}
    lines = lines.assign(segment=lines["customer_id"].astype(str).map(segment_of))
    by_segment = quarterly_by(lines, calendar, "segment", value="value", first=first, last=last)
    shares = {}
    for quarter, amount in sales.items():
        basis = market_basis(
            sizes.get(quarter, {}),
            {str(s): series[quarter] for s, series in by_segment.items()},
            amount,
            value if kind == "segment" else None,
        )
        if basis is not None and basis[1]:
            shares[quarter] = round_half_up(Fraction(10_000 * basis[0], basis[1]))
    return shares


# --- goals ---------------------------------------------------------------------------------


def preview_goal(ctx: Context, draft: GoalDraft) -> dict[str, Any]:
    """The record ``save_goal`` would write, or :class:`GoalError` listing the problems."""
    return build_goal(draft, goal_history(ctx, draft), ctx.calendar, goal_rules(ctx), ctx.today)


def save_goal(ctx: Context, draft: GoalDraft, *, discard_draft: bool = False) -> dict[str, Any]:
    """Check and store the goal (a new objective joins the settings' list); managers only.

    The goals in force that it replaces (see :func:`~qsales_tui.domain.goals.replaced_goals`)
    are read again under the lock, so one saved meanwhile by someone else raises the
    ``replaces`` flag rather than being overtaken unseen; they become ``superseded``
    (with ``superseded_by``) in the same locked write. A new goal gets ``created_at``
    and ``created_by``. Editing a goal (``draft.goal_id``) fails with a conflict when
    someone changed it since the draft was taken from it, and is refused for a
    superseded goal. ``discard_draft`` drops the user's wizard draft in the same write.
    """
    from qsales_tui.storage.store import now_iso

    store = ctx.store
    require_manager(require_writer(store, ctx.os_user), _("set goals"))
    history = goal_history(ctx, draft)  # pandas: outside the lock
    with store.transaction():
        goals = store.all("goals")
        if draft.goal_id:
            _refuse_superseded(goals, draft.goal_id)
        history = replace(history, replaced=replaced_goals(draft, goals))
        record = build_goal(draft, history, ctx.calendar, goal_rules(ctx), ctx.today)
        if draft.goal_id:
            saved = store.update(
                "goals", draft.goal_id, record, expected_version=draft.goal_version
            )
        else:
            saved = store.insert(
                "goals", {**record, "created_at": now_iso(), "created_by": ctx.os_user}
            )
        for old in history.replaced:
            store.update(
                "goals",
                old["id"],
                {"status": "superseded", "superseded_by": saved["id"], "superseded_at": now_iso()},
                expected_version=old.get("_v"),
            )
        known = objectives(ctx)
        if record["relevance"] and record["relevance"] not in known:
            store.update_settings({"objectives": [*known, record["relevance"]]})
        if discard_draft:
            delete_draft(ctx, GOAL_DRAFT)
    return saved


def _refuse_superseded(goals: list[dict[str, Any]], goal_id: str) -> None:
    edited = next((goal for goal in goals if goal["id"] == goal_id), None)
    if edited is not None and edited.get("status") == "superseded":
        raise GoalError(
            [
                _(
                    "{id} was superseded by {new}: edit {new} instead",
                    id=goal_id,
                    new=edited.get("superseded_by") or "?",
                )
            ]
        )


def list_goals(ctx: Context, quarter: str) -> list[dict[str, Any]]:
    return sorted(ctx.store.find("goals", quarter=quarter), key=lambda goal: goal["id"])


@dataclass(frozen=True)
class GoalProgress:
    """Where a goal stands on ``today``: actuals so far against the split so far.

    ``expected_to_date`` follows :func:`~qsales_tui.domain.splits.expected_to_date` and is
    None for metrics without a split (averages, shares), whose ``actual_to_date`` is the
    quarter's value so far (None before the quarter starts). ``per_rep`` maps each
    allocated rep to (actual to date, their share of the target).
    """

    target: int
    actual_to_date: int | None
    expected_to_date: int | None
    per_rep: dict[str, tuple[int, int]]


def goal_progress(ctx: Context, goal: Mapping[str, Any], today: date | None = None) -> GoalProgress:
    return goals_progress(ctx, [goal], today)[0]


def goals_progress(
    ctx: Context, goals: Iterable[Mapping[str, Any]], today: date | None = None
) -> list[GoalProgress]:
    """:class:`GoalProgress` of each goal, the data read once for them all."""
    reading = _Reading(ctx)
    return [_progress(reading, goal, today or ctx.today) for goal in goals]


def _progress(reading: _Reading, goal: Mapping[str, Any], today: date) -> GoalProgress:
    ctx = reading.ctx
    calendar = ctx.calendar
    quarter = calendar.quarter(goal["quarter"])
    additive = goal["metric"] in ADDITIVE_METRICS
    expected = (
        expected_to_date(goal["target"], goal.get("split") or {}, quarter, calendar, today)
        if additive
        else None
    )
    lines = _metric_lines(reading, goal["metric"], goal["scope"], goal.get("product", ""))
    lines = lines[
        (lines["date"] >= _timestamp(quarter.start))
        & (lines["date"] <= _timestamp(min(today, quarter.end)))
    ]
    actual = None
    if today >= quarter.start:
        actual = _quarterly(
            reading,
            lines,
            goal["metric"],
            goal["scope"],
            calendar,
            first=quarter.name,
            last=quarter.name,
        ).get(quarter.name)
    by_rep = lines.groupby("rep_id", observed=True)["value"].sum()
    return GoalProgress(
        goal["target"],
        actual,
        expected,
        {
            rep: (int(by_rep.get(rep, 0)), share)
            for rep, share in (goal.get("allocation") or {}).items()
        },
    )


def improvement_actions(ctx: Context, quarter: str) -> list[str]:
    """The actions of the previous quarter's review, shown at the wizard's first step."""
    previous = Quarter.parse(quarter).previous.name
    actions: list[str] = []
    for review in ctx.store.find("reviews", quarter=previous):
        listed = review.get("actions") or []
        for action in [listed] if isinstance(listed, str) else listed:
            text = action.get("text", "") if isinstance(action, Mapping) else str(action)
            if text.strip():
                actions.append(text.strip())
    return actions


# --- drafts ------------------------------------------------------------------------------------


def _draft_record(ctx: Context, kind: str) -> dict[str, Any] | None:
    found = ctx.store.find("drafts", user=ctx.os_user, kind=kind)
    return found[0] if found else None


def save_draft(ctx: Context, kind: str, data: Mapping[str, Any]) -> None:
    """Keep the user's in-progress ``kind`` form (one per user and kind)."""
    from qsales_tui.storage.store import now_iso

    store = ctx.store
    with store.transaction():
        existing = _draft_record(ctx, kind)
        fields = {"data": dict(data), "updated_at": now_iso()}
        if existing:
            store.update("drafts", existing["id"], fields)
        else:
            store.insert("drafts", {"user": ctx.os_user, "kind": kind, **fields})


def load_draft(ctx: Context, kind: str) -> dict[str, Any] | None:
    existing = _draft_record(ctx, kind)
    return dict(existing["data"]) if existing else None


def delete_draft(ctx: Context, kind: str) -> None:
    store = ctx.store
    with store.transaction():
        existing = _draft_record(ctx, kind)
        if existing:
            store.delete("drafts", existing["id"])


@dataclass(frozen=True)
class GoalRow:
    goal: dict[str, Any]
    actual: int | None
    expected: int | None
    pace: float | None
    status: str | None  # on_track / caution / off_track
    per_rep: dict[str, tuple[int, int]]  # rep → (actual to date, share)
    weeks: dict[str, int]  # the goal's weeks, else cut from its months

    @property
    def in_force(self) -> bool:
        return in_force(self.goal)


def goal_rows(ctx: Context, quarter: str) -> tuple[list[GoalRow], dict[str, str]]:
    """The quarter's goals with their progress and pace, and the team/rep names.

    Pace and its status are the KPI engine's, so the goals list, the team board and the
    KPI review agree. A goal not in force (superseded, cancelled, a draft) has no pace:
    it is listed for the record. Uses pandas: call it from a worker.
    """
    from qsales_tui.analytics.kpis import pace_figure, pace_thresholds

    thresholds = pace_thresholds(ctx.store.settings)
    rows = []
    goals = list_goals(ctx, quarter)
    for goal, progress in zip(goals, goals_progress(ctx, goals), strict=True):
        pace = status = None
        if progress.expected_to_date is not None and in_force(goal):
            figure = pace_figure(
                progress.actual_to_date or 0, goal["target"], progress.expected_to_date, thresholds
            )
            pace, status = figure.value, figure.status
        rows.append(
            GoalRow(
                goal,
                progress.actual_to_date,
                progress.expected_to_date,
                pace,
                status,
                progress.per_rep,
                goal_weeks(ctx, goal),
            )
        )
    return rows, names(ctx)


def goal_weeks(ctx: Context, goal: dict[str, Any]) -> dict[str, int]:
    """The goal's weeks; a goal saved with months only gets them cut from its months."""
    from qsales_tui.domain.splits import split_over_time

    if goal.get("split_weeks") or not goal.get("split"):
        return dict(goal.get("split_weeks") or {})
    quarter = ctx.calendar.quarter(goal["quarter"])
    try:
        return split_over_time(goal["target"], quarter, ctx.calendar, goal["split"]).weeks
    except ValueError:  # months that are not the quarter's: show none rather than guess
        return {}
