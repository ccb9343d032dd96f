"""The team board, each rep's scorecard and payout statement, and one rep's picture.

Everyone's numbers come from the KPI engine (``analytics.kpis.breakdown``), so the
board shows the same attainment, pace and forecast as the KPI review::

    data = TeamData.load(store, today)                 # pandas: run in a worker
    board = team_board(data, quarter, rules, viewer)   # Board: teams → rep rows
    detail = rep_detail(data, quarter, rules, viewer, "R-0005")

Decisions where the brief is silent:

- **Who is on the board**: every rep with role ``rep`` (as in the KPI review), also
  one who has left, so a quarter's history stays whole. Each team's manager (role
  ``manager``) gets a row too, unranked, scored and paid on the team's figures: its
  target, sales (everyone's now in the team), new customers, CSAT and follow-ups,
  with the manager's own training hours. A director has no team and no row.
- **Others**: the board's total is the company's revenue, as in the KPI review. A
  team's figures count the sales of everyone in it (its manager too), so sales by
  people in no team shown (a director selling, someone without a team) go to an
  ``others`` block holding the rest of the company's revenue and pipeline forecast;
  it is there only when that rest is not zero.
- **Target** is the rep's allocation in the quarter's company revenue goal; **share**
  is that allocation ÷ the company target. **Forecast** is the weighted pipeline
  forecast (sales + open deals closing this quarter × probability).
- **Rank** by attainment, highest first (equal attainment, equal rank); a rep without
  a target is not ranked.
- **Who sees payouts**: pay is personal. Managers and directors see every rep's
  payout; a rep sees only their own; a user mapped to no rep sees none. Everyone sees
  attainment, pace, rank and grade: the board is for team spirit.
- **Scorecard values**: revenue attainment (% of target); new customers (first
  purchase in the quarter, by customer owner, as in the KPI review); CSAT (mean of the
  rep's rated interactions in the quarter); follow-ups on time (% of the rep's
  follow-ups due in the quarter up to the as-of day, not cancelled, done by their due
  day in the dataset's timezone; one still open and due on the as-of day is not late
  yet and not counted); training hours logged in the quarter up to the as-of day.
- **Churn for clawbacks**: a customer with status ``churned``; its churn date is the
  record's ``churned_on`` if present, else the day it lapsed (last purchase +
  ``inactive_after_days``, as the KPIs define "active"), at the latest the as-of day.
  A statement claws back churns dated in its own quarter only (so no churn is clawed
  back twice), on the rep's sales of the quarter and of the plan's window before it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from qsales_tui.domain.calendar import Quarter
from qsales_tui.domain.incentives import PayoutInputs, PayoutStatement, SaleLine, statement_for
from qsales_tui.domain.scoring import Scorecard, score
from qsales_tui.errors import QsalesError
from qsales_tui.i18n import _
from qsales_tui.services.identity import is_manager

if TYPE_CHECKING:
    import pandas as pd

    from qsales_tui.analytics.kpi_inputs import KpiInputs
    from qsales_tui.analytics.kpis import Figure
    from qsales_tui.rules.registry import RuleSet

# Why a rep's row has no payout statement.
PAYOUT_HIDDEN = "hidden"
PAYOUT_NO_TARGET = "no_target"
PAYOUT_NO_PLAN = "no_plan"
OTHERS = "others"  # the team id of the block of sales outside the teams shown


def payout_reason_text(code: str) -> str:
    return {
        PAYOUT_HIDDEN: _("payouts are shown to managers and to each rep for themselves"),
        PAYOUT_NO_TARGET: _("no target for this rep in the quarter's revenue goal"),
        PAYOUT_NO_PLAN: _("no incentive plan applies to this rep"),
    }[code]


def payout_visible(viewer: Mapping[str, Any] | None, rep_id: str) -> bool:
    """Managers and directors see every payout; a rep only their own; nobody else any."""
    if viewer is None:
        return False
    return is_manager(dict(viewer)) or viewer.get("id") == rep_id


@dataclass
class TeamData:
    """What the board needs, loaded once: the KPI inputs, follow-ups and training log."""

    inputs: KpiInputs
    followups: pd.DataFrame
    trainings: list[dict[str, Any]]

    @classmethod
    def load(cls, store: Any, today: date) -> TeamData:
        from qsales_tui.analytics.kpi_inputs import KpiInputs
        from qsales_tui.storage.frames import load_frame

        return cls(
            inputs=KpiInputs.from_store(store, today),
            followups=load_frame(
                store,
                "followups",
                columns=["id", "customer_id", "rep_id", "due", "status", "done_at"],
            ),
            trainings=store.all("trainings"),
        )

    @property
    def today(self) -> date:
        return self.inputs.today


@dataclass(frozen=True)
class RepRow:
    rep_id: str
    name: str
    team_id: str
    active: bool
    target_minor: int | None
    share: float | None  # of the company target
    actual_minor: int
    expected_minor: int | None  # the goal's split to the as-of day
    attainment: float | None
    pace: float | None
    status: str | None  # on_track / caution / off_track
    forecast_minor: int | None
    kpi_values: dict[str, Decimal | None]
    scorecard: Scorecard
    statement: PayoutStatement | None
    payout_reason: str | None  # set when ``statement`` is None
    members: frozenset[str]  # whose sales and follow-ups count: the rep, or a manager's team
    rank: int | None = None

    @property
    def grade(self) -> str:
        """The scorecard's grade; "—" for a rep with no target this quarter (e.g. one who
        left), who is not graded."""
        return "—" if self.target_minor is None else self.scorecard.grade.grade

    @property
    def payout_minor(self) -> int | None:
        return None if self.statement is None else self.statement.total_minor


@dataclass(frozen=True)
class TeamBlock:
    team_id: str
    name: str
    target_minor: int | None
    actual_minor: int
    expected_minor: int | None
    attainment: float | None
    pace: float | None
    status: str | None
    forecast_minor: int | None
    reps: tuple[RepRow, ...]
    manager: RepRow | None  # paid on the team's figures (its target, sales, customers)


@dataclass(frozen=True)
class Board:
    quarter: str
    as_of: date
    currency: str
    teams: tuple[TeamBlock, ...]
    actual_minor: int  # the company's revenue: the teams' and the others'
    others: TeamBlock | None = None  # sales by people in no team shown (module docstring)

    @property
    def reps(self) -> list[RepRow]:
        return [row for team in self.teams for row in team.reps]

    @property
    def managers(self) -> list[RepRow]:
        return [team.manager for team in self.teams if team.manager is not None]


# Columns the board sorts by: key → the row's value (None sorts last either way).
SORT_KEYS = (
    "rank",
    "name",
    "target_minor",
    "actual_minor",
    "attainment",
    "pace",
    "forecast_minor",
    "grade",
    "payout_minor",
)


def sort_rows(rows: Iterable[RepRow], key: str, reverse: bool = False) -> list[RepRow]:
    """Rows by ``key`` (one of ``SORT_KEYS``); rows without a value go last."""
    if key not in SORT_KEYS:
        raise ValueError(f"unknown sort key {key!r}")
    if key == "grade":

        def value(row: RepRow) -> Any:
            return -row.scorecard.score  # A (highest score) first when ascending
    else:

        def value(row: RepRow) -> Any:
            return getattr(row, key)

    present = [row for row in rows if value(row) is not None]
    missing = [row for row in rows if value(row) is None]
    return sorted(present, key=value, reverse=reverse) + missing


def team_board(
    data: TeamData, quarter: Quarter, rules: RuleSet, viewer: Mapping[str, Any] | None
) -> Board:
    """Every rep's row, grouped by team (teams by name, reps by rank), with team totals
    and the team manager's row (scorecard and payout on the team's figures)."""
    from qsales_tui.analytics.kpis import breakdown

    inputs = data.inputs
    rep_figures = {group.group: group.figures for group in breakdown(inputs, quarter, "rep")}
    team_figures = {group.group: group for group in breakdown(inputs, quarter, "team")}
    reps = _rep_records(inputs)
    company = inputs.engine.targets(quarter, "total").get("all")
    company_target = company[0] if company else 0
    facts = _PayoutFacts(data, quarter)
    rows = [
        _rep_row(data, quarter, rules, viewer, reps[rep_id], figures, company_target, facts)
        for rep_id, figures in rep_figures.items()
        if rep_id in reps and reps[rep_id].get("role", "rep") == "rep"
    ]
    rows = _ranked(rows)
    managers = dict(zip(inputs.teams["id"].astype(str), inputs.teams["manager_id"], strict=True))
    teams = []
    for team_id in sorted(
        {row.team_id for row in rows},
        key=lambda t: str(team_figures[t].name if t in team_figures else t),
    ):
        group = team_figures.get(team_id)
        manager = reps.get(str(managers.get(team_id)))
        manager_row = None
        if group is not None and manager is not None and manager.get("role") == "manager":
            members = frozenset(r for r, record in reps.items() if record.get("team_id") == team_id)
            manager_row = _rep_row(
                data, quarter, rules, viewer, manager, group.figures, company_target, facts, members
            )
        ranked = tuple(sort_rows([row for row in rows if row.team_id == team_id], "rank"))
        teams.append(_team_block(team_id, group, ranked, manager_row))
    (total,) = breakdown(inputs, quarter, "total")
    actual = int(total.figures["revenue"].value or 0)
    return Board(
        quarter.name,
        inputs.engine.as_of(quarter),
        inputs.currency,
        tuple(teams),
        actual,
        _others_block(total.figures, teams),
    )


def _rep_records(inputs: KpiInputs) -> dict[str, dict[str, Any]]:
    records = inputs.reps.to_dict("records")
    return {str(rep["id"]): rep for rep in records}


def _ranked(rows: list[RepRow]) -> list[RepRow]:
    """Competition ranking by attainment (1, 2, 2, 4); rows without a target unranked."""
    ordered = sorted(
        (row for row in rows if row.attainment is not None),
        key=lambda row: row.attainment,
        reverse=True,
    )
    ranks: dict[str, int] = {}
    rank, previous = 0, None
    for position, row in enumerate(ordered, start=1):
        if row.attainment != previous:
            rank, previous = position, row.attainment
        ranks[row.rep_id] = rank
    return [replace(row, rank=ranks.get(row.rep_id)) for row in rows]


def _team_block(
    team_id: str, group: Any, reps: tuple[RepRow, ...], manager: RepRow | None
) -> TeamBlock:
    figures: dict[str, Figure] = group.figures if group is not None else {}
    attainment = figures.get("attainment")
    pace = figures.get("pace")
    return TeamBlock(
        team_id=team_id,
        name=group.name if group is not None else team_id,
        target_minor=_int(attainment.denominator) if attainment else None,
        actual_minor=int(figures["revenue"].value or 0)
        if figures
        else sum(row.actual_minor for row in reps),
        expected_minor=_int(pace.denominator) if pace else None,
        attainment=attainment.value if attainment else None,  # type: ignore[arg-type]
        pace=pace.value if pace else None,  # type: ignore[arg-type]
        status=pace.status if pace else None,
        forecast_minor=_int(figures["pipeline_forecast"].value) if figures else None,
        reps=reps,
        manager=manager,
    )


def _others_block(company: dict[str, Figure], teams: list[TeamBlock]) -> TeamBlock | None:
    """The company's revenue and pipeline forecast not in ``teams``; None when none is."""
    actual = int(company["revenue"].value or 0) - sum(team.actual_minor for team in teams)
    forecast = _int(company["pipeline_forecast"].value)
    if forecast is not None:
        forecast -= sum(team.forecast_minor or 0 for team in teams)
    if not actual and not forecast:
        return None
    return TeamBlock(
        team_id=OTHERS,
        name=_("Others"),
        target_minor=None,
        actual_minor=actual,
        expected_minor=None,
        attainment=None,
        pace=None,
        status=None,
        forecast_minor=forecast,
        reps=(),
        manager=None,
    )


def _int(value: float | None) -> int | None:
    return None if value is None else int(value)


def _rep_row(
    data: TeamData,
    quarter: Quarter,
    rules: RuleSet,
    viewer: Mapping[str, Any] | None,
    rep: dict[str, Any],
    figures: dict[str, Figure],
    company_target: int,
    facts: _PayoutFacts,
    members: frozenset[str] | None = None,
) -> RepRow:
    """A rep's row from their figures; a manager's from their team's, whose ``members``'
    sales and follow-ups then count."""
    rep_id = str(rep["id"])
    members = members or frozenset({rep_id})
    attainment, pace = figures["attainment"], figures["pace"]
    target = _int(attainment.denominator) if attainment.reason != "no_target" else None
    values = scorecard_values(data, quarter, rep_id, figures, members)
    card = score(rules.scoring, values)
    statement, reason = None, None
    if not payout_visible(viewer, rep_id):
        reason = PAYOUT_HIDDEN
    elif not target:
        reason = PAYOUT_NO_TARGET
    else:
        role = str(rep.get("role") or "rep")
        found = rules.incentives.plan_for(rep_id, role)
        window = found[1].clawback.within_days if found and found[1].clawback else 0
        statement = statement_for(
            rules.incentives,
            rep_id,
            role,
            facts.inputs_for(
                members,
                target,
                int(values.get("new_customers") or 0),
                card.bonus_multiplier,
                window,
            ),
        )
        reason = None if statement else PAYOUT_NO_PLAN
    return RepRow(
        rep_id=rep_id,
        name=str(rep.get("name") or rep_id),
        team_id=str(rep.get("team_id") or "—"),
        active=bool(rep.get("active", True)),
        target_minor=target,
        share=target / company_target if target and company_target else None,
        actual_minor=int(figures["revenue"].value or 0),
        expected_minor=_int(pace.denominator) if target else None,
        attainment=attainment.value,  # type: ignore[arg-type]
        pace=pace.value,  # type: ignore[arg-type]
        status=pace.status,
        forecast_minor=_int(figures["pipeline_forecast"].value),
        kpi_values=values,
        scorecard=card,
        statement=statement,
        payout_reason=reason,
        members=members,
    )


# --- scorecard values --------------------------------------------------------------------


def scorecard_values(
    data: TeamData,
    quarter: Quarter,
    rep_id: str,
    figures: Mapping[str, Figure],
    members: Collection[str] | None = None,
) -> dict[str, Decimal | None]:
    """The rep's value of each scorecard KPI, in the units of ``scoring.KPI_UNITS``:
    ``figures`` give attainment, new customers and CSAT, the follow-ups are those of
    ``members`` (default: the rep), the training hours the rep's own."""
    attainment = figures["attainment"].value
    csat = figures["csat"].value
    discipline = followup_discipline(data, quarter, members or {rep_id})
    return {
        "revenue_attainment": None if attainment is None else _dec(attainment * 100),
        "new_customers": Decimal(int(figures["customers_new"].value or 0)),
        "csat": None if csat is None else _dec(csat),
        "followups_on_time": discipline.on_time_pct,
        "training_hours": training_hours(
            data.trainings, quarter, data.inputs.engine.as_of(quarter), rep_id
        ),
    }


def _dec(value: float) -> Decimal:
    """A ratio shown to people: 4 decimals are plenty and keep scores reproducible."""
    return Decimal(str(round(value, 4)))


@dataclass(frozen=True)
class Discipline:
    due: int  # follow-ups due in the quarter so far (see the module docstring)
    on_time: int
    overdue: int  # open follow-ups due before today, whatever the quarter

    @property
    def on_time_pct(self) -> Decimal | None:
        if not self.due:
            return None
        return (Decimal(self.on_time * 100) / Decimal(self.due)).quantize(Decimal("0.01"))


def followup_discipline(data: TeamData, quarter: Quarter, rep_ids: Collection[str]) -> Discipline:
    """The follow-ups of ``rep_ids`` (one rep, or a manager's team)."""
    import pandas as pd

    from qsales_tui.analytics.kpi_inputs import as_dates

    frame = data.followups
    mine = frame[frame["rep_id"].isin(list(rep_ids)) & (frame["status"] != "cancelled")]
    due = as_dates(mine["due"])
    done = as_dates(mine["done_at"], data.inputs.settings.get("timezone"))
    as_of = pd.Timestamp(data.inputs.engine.as_of(quarter))
    today = pd.Timestamp(data.today)
    is_open = mine["status"] == "open"
    counted = (due >= pd.Timestamp(quarter.start)) & (due <= as_of) & ~(is_open & (due == as_of))
    on_time = counted & (mine["status"] == "done") & (done <= due)
    overdue = is_open & (due < today)
    return Discipline(int(counted.sum()), int(on_time.sum()), int(overdue.sum()))


def training_hours(
    trainings: Iterable[Mapping[str, Any]], quarter: Quarter, as_of: date, rep_id: str
) -> Decimal:
    first, last = quarter.start.isoformat(), as_of.isoformat()
    return sum(
        (
            Decimal(str(t.get("hours") or 0))
            for t in trainings
            if t.get("rep_id") == rep_id and first <= str(t.get("date", "")) <= last
        ),
        Decimal(0),
    )


# --- payout inputs -----------------------------------------------------------------------


class _PayoutFacts:
    """The quarter's sales lines and the churn dates, computed once per board.

    Sales before the quarter matter only for clawbacks: those to customers churned
    in the quarter are kept, and each statement takes its plan's window of them."""

    def __init__(self, data: TeamData, quarter: Quarter) -> None:
        engine = data.inputs.engine
        self.quarter = quarter
        self.churned = churn_dates(data.inputs, quarter.start, engine.as_of(quarter))
        self.currency = data.inputs.currency
        sales = engine.sales  # up to today, sorted by date
        rows = engine.sales_slice(quarter)
        self.in_quarter = sales.iloc[rows]
        before = sales.iloc[: rows.start]
        self.earlier = before[before["customer_id"].isin(list(self.churned))]

    @staticmethod
    def _lines(frame: pd.DataFrame) -> list[SaleLine]:
        return [
            SaleLine(day.date(), str(customer), str(product), int(quantity), int(amount))
            for day, customer, product, quantity, amount in zip(
                frame["date"],
                frame["customer_id"],
                frame["product"],
                frame["quantity"],
                frame["amount_minor"],
                strict=True,
            )
        ]

    def inputs_for(
        self,
        rep_ids: Collection[str],
        target: int,
        new_customers: int,
        multiplier: Decimal,
        window_days: int,
    ) -> PayoutInputs:
        """The sales of ``rep_ids`` (one rep, or a manager's team) for a statement."""
        import pandas as pd

        members = list(rep_ids)
        in_quarter = self.in_quarter[self.in_quarter["rep_id"].isin(members)]
        since = pd.Timestamp(self.quarter.start - timedelta(days=window_days))
        earlier = (
            self.earlier[self.earlier["rep_id"].isin(members) & (self.earlier["date"] >= since)]
            if window_days
            else self.earlier.iloc[:0]
        )
        return PayoutInputs(
            target_minor=target,
            sales=self._lines(in_quarter),
            new_customers=new_customers,
            churned=self.churned,
            earlier_sales=self._lines(earlier),
            multiplier=multiplier,
            currency=self.currency,
        )


def churn_dates(inputs: KpiInputs, first: date, last: date) -> dict[str, date]:
    """Customers marked churned whose churn date falls in ``first``…``last``
    (the date: see the module docstring)."""
    customers = inputs.customers
    churned = customers[customers["status"] == "churned"]
    if churned.empty:
        return {}
    sales = inputs.sales
    last_purchase = (
        sales[sales["customer_id"].isin(churned["id"])]
        .groupby("customer_id", observed=True)["date"]
        .max()
    )
    lapse = timedelta(days=inputs.inactive_after_days)
    explicit = churned["churned_on"] if "churned_on" in churned.columns else None
    result: dict[str, date] = {}
    for index, customer_id in zip(churned.index, churned["id"], strict=True):
        given = explicit.loc[index] if explicit is not None else None
        if isinstance(given, str) and given:
            day = date.fromisoformat(given[:10])
        elif customer_id in last_purchase.index:
            day = min(last_purchase[customer_id].date() + lapse, last)
        else:
            continue
        if first <= day <= last:
            result[str(customer_id)] = day
    return result


# --- one rep -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RepDetail:
    row: RepRow
    team_name: str
    customers: list[dict[str, Any]]  # owned by the rep, with ``revenue_minor`` this quarter
    deals: list[dict[str, Any]]  # open first, then by expected close
    discipline: Discipline
    trainings: list[dict[str, Any]]  # newest first
    book_hidden: bool = False  # customers and deals left out: another rep's, seen by a rep


def book_visible(viewer: Mapping[str, Any] | None, rep_id: str) -> bool:
    """Another rep's customers and deals, as in the customers screen: managers and users
    mapped to no rep (who browse everything) see them; a rep only their own."""
    return viewer is None or is_manager(dict(viewer)) or viewer.get("id") == rep_id


def rep_detail(
    data: TeamData,
    quarter: Quarter,
    rules: RuleSet,
    viewer: Mapping[str, Any] | None,
    rep_id: str,
) -> RepDetail:
    board = team_board(data, quarter, rules, viewer)
    found = [
        (team, row)
        for team in board.teams
        for row in (*team.reps, team.manager)
        if row is not None and row.rep_id == rep_id
    ]
    if not found:
        raise QsalesError(_("no rep {rep} on the team board", rep=rep_id))
    team, row = found[0]
    inputs = data.inputs
    engine = inputs.engine
    status = engine.customer_status(quarter)
    revenue = dict(
        zip(engine.customer_ids.astype(str), status["revenue_minor"].tolist(), strict=True)
    )
    hidden = not book_visible(viewer, rep_id)
    customers = [
        {**record, "revenue_minor": int(revenue.get(str(record["id"]), 0))}
        for record in inputs.customers.to_dict("records")
        if record.get("owner_id") == rep_id and not hidden
    ]
    customers.sort(key=lambda c: (-c["revenue_minor"], str(c["name"])))
    deals_frame = inputs.deals[(inputs.deals["rep_id"] == rep_id) & (not hidden)]
    deals = [_plain_deal(deal) for deal in deals_frame.to_dict("records")]
    deals.sort(key=lambda d: (d["status"] != "open", d["expected_close"] or ""))
    trainings = sorted(
        (t for t in data.trainings if t.get("rep_id") == rep_id),
        key=lambda t: str(t.get("date", "")),
        reverse=True,
    )
    return RepDetail(
        row,
        team.name,
        customers,
        deals,
        followup_discipline(data, quarter, row.members),
        trainings,
        hidden,
    )


def _plain_deal(deal: dict[str, Any]) -> dict[str, Any]:
    """Dates back to ISO text (the frame holds timestamps; NaT → None)."""
    import pandas as pd

    return {
        key: (None if pd.isna(value) else value.date().isoformat())
        if key in ("created_on", "expected_close", "closed_on")
        else value
        for key, value in deal.items()
    }


# --- exports -----------------------------------------------------------------------------

STATEMENT_FIELDS = (
    "rep_id",
    "plan",
    "kind",
    "label",
    "basis_minor",
    "rate",
    "amount_minor",
    "detail",
)


def statement_rows(rep_id: str, statement: PayoutStatement) -> list[dict[str, object]]:
    """The statement's lines as flat rows for CSV, each naming the rep and the plan."""
    return [{"rep_id": rep_id, "plan": statement.plan_name, **line} for line in statement.rows()]


def statement_document(row: RepRow, quarter: str) -> dict[str, object]:
    """One rep's statement and scorecard as JSON-ready data."""
    if row.statement is None:
        raise QsalesError(payout_reason_text(row.payout_reason or PAYOUT_NO_PLAN))
    return {
        "quarter": quarter,
        "rep_id": row.rep_id,
        "name": row.name,
        "scorecard": row.scorecard.as_dict(),
        **row.statement.as_dict(),
    }


def statement_csv(row: RepRow) -> str:
    import csv
    import io

    if row.statement is None:
        raise QsalesError(payout_reason_text(row.payout_reason or PAYOUT_NO_PLAN))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=STATEMENT_FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(statement_rows(row.rep_id, row.statement))
    return buffer.getvalue()
