"""SMART quarterly goals: the wizard's steps as data, their checks, and the goal record.

The wizard (and ``qsales goals create``) fills a :class:`GoalDraft`; :func:`step_problems`
says what blocks a step, :func:`achievability_flags` what needs an acknowledged reason,
and :func:`build_goal` turns a complete draft into a validated ``goals`` record. All data
the checks need comes in a :class:`GoalHistory` that the service layer reads.

Decisions where the brief was silent:

- Targets are ints in the metric's unit: minor units (``revenue``), counts
  (``new_customers``, ``units``), hundredths of a point (``avg_csat``: 4.25 → 425) and
  basis points (``market_share``: 12.5% → 1250).
- Only additive metrics (revenue, new customers, units) are split over time and
  allocated to reps; an average or a share has no parts that add up, so its
  ``split`` and ``allocation`` stay empty.
- Split methods: ``working_days``, ``seasonality`` (falls back to working days when the
  past years hold nothing), ``custom`` (weights, scaled to the target) and ``manual``
  (month amounts typed by hand, which must add up). Hand-edited weeks go in
  ``week_amounts`` and must add up too. A mismatch is a problem, never rescaled.
- ``baseline`` is the seasonal forecast (else same quarter last year, else last
  quarter); all three are kept in ``baselines``.
- ``stretch`` compares the required growth with the best growth on record on the same
  footing: year on year when the same quarter last year is known, else quarter on
  quarter. ``rep_stretch:<rep id>`` compares a rep's share with their best quarter of
  the last ``history_quarters``; a rep with no history there and a share above zero is
  flagged too.
- At most one goal is in force per slot (quarter, metric, scope and, for units, the
  product). A new goal for a slot that has one raises the ``replaces`` flag, which needs
  a reason like the others; saving marks the old goal ``superseded``. Editing a goal
  keeps its slot's other goals as they are unless the edit moves it into a slot that
  holds one: that is a replacement too. ``draft``, ``cancelled`` and ``superseded``
  goals are not in force; ``active`` and ``closed`` (a past quarter's) are. Where old
  data holds several goals in force for a slot, the newest by ``created_at`` (then by
  id) is the one that counts.
- Flags are named by codes (``stretch``, ``sandbagging``, ``rep_stretch:<rep id>``,
  ``replaces``) only where a file or the data needs a key: the YAML ``acknowledge:``
  map and the saved ``acknowledgements``. People read :func:`flag_label`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from qsales_tui.analytics.forecast import seasonal_forecast, seasonality_weights
from qsales_tui.domain import splits
from qsales_tui.domain.calendar import FiscalCalendar, Quarter
from qsales_tui.domain.models import SEGMENTS, validate_record
from qsales_tui.domain.money import format_money, parse_money
from qsales_tui.i18n import _

# --- metrics and scopes ------------------------------------------------------------

Metric = Literal["revenue", "new_customers", "units", "avg_csat", "market_share"]
METRICS: tuple[str, ...] = get_args(Metric)
ADDITIVE_METRICS = ("revenue", "new_customers", "units")
SCOPE_KINDS = ("company", "team", "rep", "segment", "product")


def metric_label(metric: str) -> str:
    return {
        "revenue": _("revenue"),
        "new_customers": _("new customers"),
        "units": _("units"),
        "avg_csat": _("average CSAT"),
        "market_share": _("market share"),
    }[metric]


def parse_target(metric: str, text: str | int | Decimal, currency: str = "CNY") -> int:
    """A target as typed (``4.2M``, ``35``, ``4.5``, ``12.5%``) in the metric's int unit."""
    if metric == "revenue":
        value = parse_money(text, currency)
    else:
        raw = str(text).strip().replace(",", "").removesuffix("%")
        try:
            number = Decimal(raw)
        except InvalidOperation:
            raise ValueError(_("not a number: {text}", text=text)) from None
        scale = 1 if metric in ("new_customers", "units") else 100
        scaled = number * scale
        if not scaled.is_finite() or scaled != scaled.to_integral_value():
            raise ValueError(
                _("too many decimals for {metric}: {text}", metric=metric_label(metric), text=text)
            )
        value = int(scaled)
        if metric == "avg_csat" and not 100 <= value <= 500:
            raise ValueError(_("average CSAT is between 1 and 5, not {text}", text=text))
        if metric == "market_share" and value > 10_000:
            raise ValueError(_("a market share cannot exceed 100%, not {text}", text=text))
    if value < 0:
        raise ValueError(_("a target cannot be negative: {text}", text=text))
    return value


def format_target(metric: str, value: int | None, currency: str = "CNY") -> str:
    if value is None:
        return "—"
    if metric == "revenue":
        return format_money(value, currency, compact=True)
    if metric == "avg_csat":
        return f"{Decimal(value) / 100:.2f}"
    if metric == "market_share":
        return f"{Decimal(value) / 100:.2f}%"
    return f"{value:,}"


def format_exact(metric: str, value: int, currency: str = "CNY") -> str:
    """An amount to the last unit (``¥4,000,000.01``), as typed in a cell or owed in a gap."""
    if metric == "revenue":
        return format_money(value, currency)
    return format_target(metric, value, currency)


def parse_scope(scope: str) -> tuple[str, str | None]:
    """``company`` → (company, None); ``team:T-0001`` → (team, T-0001); else ValueError."""
    kind, _sep, value = scope.partition(":")
    if kind not in SCOPE_KINDS or (kind == "company") != (not value):
        raise ValueError(
            _(
                "scope must be company, team:<id>, rep:<id>, segment:<name> or "
                "product:<name>, not {scope}",
                scope=scope,
            )
        )
    return kind, value or None


def scope_label(scope: str, names: Mapping[str, str]) -> str:
    """``team:T-0001`` → "team East" (``names`` maps team and rep ids to names)."""
    kind, value = parse_scope(scope)
    name = names.get(value or "", value or "")
    return {
        "company": _("the company"),
        "team": _("team {name}", name=name),
        "rep": name,
        "segment": _("the {name} segment", name=name),
        "product": _("product {name}", name=name),
    }[kind]


# --- the draft ---------------------------------------------------------------------

SplitMethod = Literal["working_days", "seasonality", "custom", "manual"]
AllocationMethod = Literal["even", "history", "capacity", "manual"]


class GoalDraft(BaseModel):
    """Everything the wizard collects; saved as a dict after each step so it can resume."""

    model_config = ConfigDict(extra="ignore", validate_assignment=True)

    quarter: str = Field(pattern=r"^\d{4}-Q[1-4]$")
    metric: Metric = "revenue"
    scope: str = "company"
    product: str = ""  # units of which product (metric "units")
    statement: str = ""  # empty: drafted by draft_statement
    target: int | None = Field(default=None, ge=0)
    objective: str = ""
    why: str = ""
    split_method: SplitMethod = "working_days"
    month_weights: dict[str, Decimal] = Field(default_factory=dict)  # custom weights
    month_amounts: dict[str, int] = Field(default_factory=dict)  # manual split
    week_amounts: dict[str, int] = Field(default_factory=dict)  # hand-edited weeks
    allocation_method: AllocationMethod = "history"
    reps: list[str] = Field(default_factory=list)  # empty: the scope's reps
    capacity: dict[str, Decimal] = Field(default_factory=dict)
    allocation: dict[str, int] = Field(default_factory=dict)  # manual allocation
    acknowledgements: dict[str, str] = Field(default_factory=dict)  # flag → reason
    step: int = 0
    goal_id: str | None = None  # set when editing a saved goal
    goal_version: int | None = None  # its ``_v`` then, so a concurrent edit is not lost

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> GoalDraft:
        """Read a saved draft; unknown keys (from another version) are ignored."""
        try:
            return cls.model_validate(dict(data))
        except ValidationError as exc:
            raise GoalError([_describe(error) for error in exc.errors()]) from None

    @property
    def additive(self) -> bool:
        return self.metric in ADDITIVE_METRICS

    @property
    def units_product(self) -> str:
        """The product whose units count: ``product``, else a product scope's name."""
        kind, value = parse_scope(self.scope)
        return self.product or (value or "" if kind == "product" else "")


def _describe(error: Any) -> str:
    field = ".".join(str(part) for part in error["loc"]) or "(draft)"
    return f"{field}: {error['msg']}"


class GoalError(ValueError):
    """A draft that cannot become a goal yet: one line per problem.

    ``flags`` are the achievability flags still without a reason (their problems are
    among ``problems``), so a caller can say which key acknowledges each.
    """

    def __init__(self, problems: list[str], flags: list[Flag] | None = None):
        self.problems = problems
        self.flags = flags or []
        super().__init__("\n".join(problems))


# --- the data the checks need --------------------------------------------------------


@dataclass(frozen=True)
class GoalRules:
    """Thresholds of the achievability checks (settings key ``goal_checks``)."""

    stretch_margin: Decimal = Decimal("0.10")  # growth beyond the best on record
    rep_stretch_margin: Decimal = Decimal("0.50")  # a rep's share beyond their best quarter
    history_quarters: int = 4  # quarters of history for rep shares and checks
    seasonality_years: int = 3

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> GoalRules:
        raw = dict(settings.get("goal_checks") or {})
        unknown = sorted(set(raw) - set(cls.__dataclass_fields__))
        if unknown:
            raise GoalError([_("settings goal_checks: unknown key {key}", key=unknown[0])])
        try:
            rules = cls(
                **{
                    key: Decimal(str(value)) if key.endswith("margin") else int(value)
                    for key, value in raw.items()
                }
            )
        except (InvalidOperation, ValueError, TypeError):
            raise GoalError([_("settings goal_checks: values must be numbers")]) from None
        if (
            min(rules.stretch_margin, rules.rep_stretch_margin) < 0
            or min(rules.history_quarters, rules.seasonality_years) < 1
        ):
            raise GoalError([_("settings goal_checks: margins must be ≥ 0 and counts ≥ 1")])
        return rules


@dataclass(frozen=True)
class GoalHistory:
    """Actuals of the draft's metric and scope, for quarters before the goal's quarter.

    ``quarterly`` is contiguous and in order; ``per_rep`` is rep → quarter → actual within
    the scope; ``monthly`` (``YYYY-MM`` → actual) feeds seasonality; ``scope_reps`` are
    the reps a goal of this scope is allocated to; ``names`` label the team and rep ids
    that exist.
    """

    quarterly: dict[str, int]
    per_rep: dict[str, dict[str, int]]
    monthly: dict[str, int]
    scope_reps: list[str]
    names: dict[str, str]
    currency: str = "CNY"
    replaced: tuple[Mapping[str, Any], ...] = ()  # the goals in force the draft would replace


@dataclass(frozen=True)
class Baseline:
    kind: Literal["last_quarter", "last_year", "forecast"]
    value: int | None
    growth: Fraction | None  # target ÷ value − 1; None without a target or a value


def baseline_label(kind: str) -> str:
    return {
        "last_quarter": _("last quarter"),
        "last_year": _("same quarter last year"),
        "forecast": _("forecast"),
    }[kind]


def baselines(draft: GoalDraft, history: GoalHistory) -> list[Baseline]:
    quarter = Quarter.parse(draft.quarter)
    values = {
        "last_quarter": history.quarterly.get(quarter.previous.name),
        "last_year": history.quarterly.get(quarter.last_year.name),
        "forecast": seasonal_forecast(history.quarterly, quarter.name),
    }
    return [
        Baseline(kind, value, growth(draft.target, value))  # type: ignore[arg-type]
        for kind, value in values.items()
    ]


def growth(target: int | None, base: int | None) -> Fraction | None:
    if target is None or not base or base < 0:
        return None
    return Fraction(target, base) - 1


def format_growth(value: Fraction | None) -> str:
    return "—" if value is None else f"{float(value) * 100:+.1f}%"


# --- steps -----------------------------------------------------------------------------

STEPS = (
    "specific",
    "measurable",
    "achievable",
    "relevant",
    "time_bound",
    "split",
    "allocate",
    "review",
)


def step_title(step: str) -> str:
    return {
        "specific": _("Specific"),
        "measurable": _("Measurable"),
        "achievable": _("Achievable"),
        "relevant": _("Relevant"),
        "time_bound": _("Time-bound"),
        "split": _("Split over time"),
        "allocate": _("Allocate to people"),
        "review": _("Review and save"),
    }[step]


def draft_statement(draft: GoalDraft, names: Mapping[str, str], currency: str = "CNY") -> str:
    """The one-line goal, e.g. "Grow team East revenue to ¥4.20M in 2026-Q4"."""
    values = {
        "scope": scope_label(draft.scope, names),
        "quarter": draft.quarter,
        "target": format_target(draft.metric, draft.target, currency),
        "product": draft.units_product,
    }
    return {
        "revenue": _("Grow {scope} revenue to {target} in {quarter}", **values),
        "new_customers": _("Win {target} new customers for {scope} in {quarter}", **values),
        "units": _("Sell {target} units of {product} for {scope} in {quarter}", **values),
        "avg_csat": _("Raise {scope} average CSAT to {target} in {quarter}", **values),
        "market_share": _("Reach {target} market share for {scope} in {quarter}", **values),
    }[draft.metric]


def step_problems(
    step: str,
    draft: GoalDraft,
    history: GoalHistory,
    calendar: FiscalCalendar,
    rules: GoalRules,
    today: date,
) -> list[str]:
    """What keeps ``step`` from being done (empty: go on); ``review`` gathers them all.

    At ``achievable`` the problems are the flags still without a reason; show the flags
    themselves with :func:`achievability_flags`.
    """
    if step == "specific":
        problems = []
        try:
            kind, value = parse_scope(draft.scope)
        except ValueError as exc:
            return [str(exc)]
        if kind == "team" and value not in history.names:
            problems.append(_("no team with id {id}", id=value))
        if kind == "rep" and value not in history.names:
            problems.append(_("no rep with id {id}", id=value))
        if kind == "segment" and value not in SEGMENTS:
            problems.append(_("segment must be one of {segments}", segments=", ".join(SEGMENTS)))
        if draft.metric == "units" and not draft.units_product:
            problems.append(_("units need a product: set product or use a product scope"))
        if draft.metric == "market_share" and kind not in ("company", "segment"):
            problems.append(_("market share is known for the company or a segment only"))
        return problems
    if step == "measurable":
        return [] if draft.target is not None else [_("enter a target")]
    if step == "achievable":
        flags = achievability_flags(draft, history, calendar, rules)
        return [flag_problem(flag) for flag in unacknowledged(flags, draft.acknowledgements)]
    if step == "relevant":
        return ([_("link the goal to an objective")] if not draft.objective.strip() else []) + (
            [_("say why this goal matters")] if not draft.why.strip() else []
        )
    if step == "time_bound":
        quarter = calendar.quarter(draft.quarter)
        return (
            [_("{quarter} ended on {end}", quarter=quarter, end=quarter.end)]
            if (quarter.end < today)
            else []
        )
    if step in ("split", "allocate"):
        if draft.target is None or not draft.additive:
            return []
        plan = plan_goal(draft, history, calendar, rules)
        return plan.split_problems if step == "split" else plan.allocation_problems
    if step == "review":
        return [
            problem
            for earlier in STEPS[:-1]
            for problem in step_problems(earlier, draft, history, calendar, rules, today)
        ]
    raise ValueError(f"unknown step {step!r}")


@dataclass(frozen=True)
class Timeline:
    start: date
    end: date
    working_days: int
    checkpoints: list[tuple[str, date, int]]  # month, its last day, working days to then


def timeline(quarter: Quarter, calendar: FiscalCalendar) -> Timeline:
    checkpoints = []
    for month, _first, last in splits.month_bounds(quarter):
        checkpoints.append((month, last, calendar.working_days(quarter.start, last)))
    return Timeline(quarter.start, quarter.end, calendar.quarter_working_days(quarter), checkpoints)


# --- split and allocation --------------------------------------------------------------


@dataclass(frozen=True)
class GoalPlan:
    """The draft's split and allocation, with what still does not add up."""

    split: dict[str, int]
    split_weeks: dict[str, int]
    allocation: dict[str, int]
    split_problems: list[str]
    allocation_problems: list[str]
    seasonality_fallback: bool = False  # no past-year data: split by working days


def history_quarters(quarter: Quarter, rules: GoalRules) -> list[str]:
    return [quarter.shift(-back).name for back in range(rules.history_quarters, 0, -1)]


def plan_goal(
    draft: GoalDraft, history: GoalHistory, calendar: FiscalCalendar, rules: GoalRules
) -> GoalPlan:
    if draft.target is None or not draft.additive:
        return GoalPlan({}, {}, {}, [], [])
    target, quarter = draft.target, calendar.quarter(draft.quarter)
    split_problems: list[str] = []
    weights: Mapping[str, Any] | None = None  # None: by working days
    split_total, fallback = target, False
    if draft.split_method == "seasonality":
        weights = seasonality_weights(history.monthly, quarter, rules.seasonality_years)
        fallback = weights is None
    elif draft.split_method == "custom":
        weights = draft.month_weights
    elif draft.split_method == "manual":
        # the months as typed, and weeks cut from them, so a gap shows rather than shrinks
        weights, split_total = draft.month_amounts, sum(draft.month_amounts.values())
        if gap := target - split_total:
            split_problems.append(_gap_message(_("months"), gap, draft, history))
    try:
        time_split = splits.split_over_time(split_total, quarter, calendar, weights)
    except ValueError as exc:
        return GoalPlan({}, {}, {}, [str(exc)], [])
    weeks = time_split.weeks
    if draft.week_amounts:
        if set(draft.week_amounts) != set(weeks):
            split_problems.append(_("weeks must be exactly {weeks}", weeks=", ".join(weeks)))
        elif gap := target - sum(draft.week_amounts.values()):
            split_problems.append(_gap_message(_("weeks"), gap, draft, history))
        weeks = dict(draft.week_amounts)
    allocation, allocation_problems = _allocate(draft, history, quarter, rules)
    return GoalPlan(
        time_split.months, weeks, allocation, split_problems, allocation_problems, fallback
    )


def _gap_message(what: str, gap: int, draft: GoalDraft, history: GoalHistory) -> str:
    amount = format_exact(draft.metric, abs(gap), history.currency)
    if gap > 0:
        return _("the {what} leave {gap} still to place", what=what, gap=amount)
    return _("the {what} place {gap} more than the target", what=what, gap=amount)


def _allocate(
    draft: GoalDraft, history: GoalHistory, quarter: Quarter, rules: GoalRules
) -> tuple[dict[str, int], list[str]]:
    target = draft.target or 0
    kind, value = parse_scope(draft.scope)
    reps = [value] if kind == "rep" and value else (draft.reps or history.scope_reps)
    if not reps:
        return {}, [_("nobody to allocate to: the scope has no active reps")]
    method = draft.allocation_method
    if method == "even" or len(reps) == 1:
        return splits.allocate_even(target, reps), []
    if method == "history":
        return splits.allocate_by_history(
            target, reps, history.per_rep, history_quarters(quarter, rules)
        ), []
    if method == "capacity":
        missing = [rep for rep in reps if rep not in draft.capacity]
        if missing:
            return {}, [_("capacity weights missing for {reps}", reps=", ".join(missing))]
        try:
            return splits.allocate_by_capacity(target, {r: draft.capacity[r] for r in reps}), []
        except ValueError as exc:
            return {}, [str(exc)]
    allocation = {rep: draft.allocation.get(rep, 0) for rep in reps}
    problems = [
        _("{rep} is not in this goal's scope", rep=rep)
        for rep in draft.allocation
        if rep not in reps
    ]
    if any(amount < 0 for amount in allocation.values()):
        problems.append(_("an allocation cannot be negative"))
    elif gap := splits.allocation_gap(allocation, target):
        problems.append(_gap_message(_("reps' shares"), gap, draft, history))
    return allocation, problems


# --- achievability -------------------------------------------------------------------------


@dataclass(frozen=True)
class Flag:
    name: str  # the YAML key: "stretch", "sandbagging", "rep_stretch:<rep id>", "replaces"
    label: str  # what people read: see flag_label ("Replaces G-0009 (¥64.29M)" here)
    message: str


REP_STRETCH = "rep_stretch:"


def flag_label(name: str, names: Mapping[str, str]) -> str:
    """A flag's code as people read it: ``rep_stretch:R-0009`` → "Stretch for 罗佳 (R-0009)".

    An unknown code (from another version) is shown as it is.
    """
    if name.startswith(REP_STRETCH):
        rep = name.removeprefix(REP_STRETCH)
        return _("Stretch for {name} ({id})", name=names.get(rep, rep), id=rep)
    return {
        "stretch": _("Stretch"),
        "sandbagging": _("Sandbagging"),
        "replaces": _("Replaces a goal"),
    }.get(name, name)


def flag_problem(flag: Flag) -> str:
    return _("acknowledge “{flag}” with a reason", flag=flag.label)


def achievability_flags(
    draft: GoalDraft, history: GoalHistory, calendar: FiscalCalendar, rules: GoalRules
) -> list[Flag]:
    if draft.target is None:
        return []
    quarter = calendar.quarter(draft.quarter)
    target, series = draft.target, history.quarterly
    flags = []
    last_year = series.get(quarter.last_year.name)
    lag, basis = (4, _("year on year")) if last_year else (1, _("quarter on quarter"))
    needed = growth(target, series.get(quarter.shift(-lag).name))
    best = _best_growth(series, lag)
    if needed is not None and best is not None and needed > best + Fraction(rules.stretch_margin):
        flags.append(
            Flag(
                "stretch",
                flag_label("stretch", history.names),
                _(
                    "needs {needed} growth {basis}; the best quarter on record grew {best}",
                    needed=format_growth(needed),
                    basis=basis,
                    best=format_growth(best),
                ),
            )
        )
    last_quarter = series.get(quarter.previous.name)
    if last_quarter is not None and target < last_quarter:
        flags.append(
            Flag(
                "sandbagging",
                flag_label("sandbagging", history.names),
                _(
                    "the target {target} is below last quarter's {actual}",
                    target=format_target(draft.metric, target, history.currency),
                    actual=format_target(draft.metric, last_quarter, history.currency),
                ),
            )
        )
    for need in rep_requirements(draft, history, calendar, rules):
        if need.share > need.best_recent * (1 + Fraction(rules.rep_stretch_margin)):
            name = f"{REP_STRETCH}{need.rep}"
            flags.append(
                Flag(
                    name,
                    flag_label(name, history.names),
                    _(
                        "{rep} would need {share}; their best quarter of the last {n} was {best}",
                        rep=history.names.get(need.rep, need.rep),
                        n=rules.history_quarters,
                        share=format_target(draft.metric, need.share, history.currency),
                        best=format_target(draft.metric, need.best_recent, history.currency),
                    ),
                )
            )
    if history.replaced:
        replaced = ", ".join(_goal_and_target(goal, history.currency) for goal in history.replaced)
        flags.append(
            Flag(
                "replaces",
                _("Replaces {goals}", goals=replaced),
                _(
                    "saving makes the new target the one payouts use, and marks the old one "
                    "superseded"
                ),
            )
        )
    return flags


def _goal_and_target(goal: Mapping[str, Any], currency: str) -> str:
    """``G-0009 (¥64.29M)``."""
    target = format_target(str(goal.get("metric")), goal.get("target"), currency)
    return f"{goal.get('id')} ({target})"


@dataclass(frozen=True)
class RepRequirement:
    """A rep's share of the goal against their own history in its scope."""

    rep: str
    share: int
    last_quarter: int
    best_recent: int  # their best quarter of the last ``history_quarters``
    growth: Fraction | None  # share ÷ last quarter − 1


def rep_requirements(
    draft: GoalDraft, history: GoalHistory, calendar: FiscalCalendar, rules: GoalRules
) -> list[RepRequirement]:
    """Each allocated rep's required growth (empty for metrics that are not allocated)."""
    quarter = calendar.quarter(draft.quarter)
    recent = history_quarters(quarter, rules)
    needs = []
    for rep, share in plan_goal(draft, history, calendar, rules).allocation.items():
        past = history.per_rep.get(rep, {})
        last = past.get(quarter.previous.name, 0)
        needs.append(
            RepRequirement(
                rep, share, last, max(past.get(q, 0) for q in recent), growth(share, last)
            )
        )
    return needs


def _best_growth(series: Mapping[str, int], lag: int) -> Fraction | None:
    rates = [
        growth(value, series.get(Quarter.parse(name).shift(-lag).name))
        for name, value in series.items()
    ]
    known = [rate for rate in rates if rate is not None]
    return max(known) if known else None


def unacknowledged(flags: list[Flag], acknowledgements: Mapping[str, str]) -> list[Flag]:
    return [flag for flag in flags if not acknowledgements.get(flag.name, "").strip()]


# --- which goal is in force ---------------------------------------------------------------

NOT_IN_FORCE = ("draft", "cancelled", "superseded")
Slot = tuple[str, str, str, str]  # quarter, metric, scope, product (units only)


def goal_status_label(status: str) -> str:
    return {
        "active": _("in force"),
        "closed": _("closed"),
        "draft": _("draft"),
        "cancelled": _("cancelled"),
        "superseded": _("superseded"),
    }.get(status, status)


def in_force(goal: Mapping[str, Any]) -> bool:
    return goal.get("status", "active") not in NOT_IN_FORCE


def goal_slot(goal: Mapping[str, Any]) -> Slot:
    """Where a saved goal counts; two goals in force in one slot compete."""
    metric = str(goal.get("metric") or "revenue")
    product = str(goal.get("product") or "") if metric == "units" else ""
    return (str(goal.get("quarter")), metric, str(goal.get("scope") or "company"), product)


def draft_slot(draft: GoalDraft) -> Slot:
    return (
        draft.quarter,
        draft.metric,
        draft.scope,
        draft.units_product if draft.metric == "units" else "",
    )


def _newest_first_key(goal: Mapping[str, Any]) -> tuple[datetime, int, str]:
    """Sorts goals oldest first: by ``created_at`` (missing: oldest), then by id number."""
    try:
        created = datetime.fromisoformat(str(goal.get("created_at")))
        created = created if created.tzinfo else created.replace(tzinfo=UTC)
    except ValueError:
        created = datetime.min.replace(tzinfo=UTC)
    number = str(goal.get("id", "")).rpartition("-")[2]
    return created, int(number) if number.isdigit() else -1, str(goal.get("id", ""))


def goals_in_force(goals: Iterable[Mapping[str, Any]]) -> dict[Slot, Mapping[str, Any]]:
    """The goal that counts in each slot: of those in force there, the newest."""
    chosen: dict[Slot, Mapping[str, Any]] = {}
    for goal in sorted((g for g in goals if in_force(g)), key=_newest_first_key):
        chosen[goal_slot(goal)] = goal
    return chosen


def replaced_goals(
    draft: GoalDraft, goals: Iterable[Mapping[str, Any]]
) -> tuple[Mapping[str, Any], ...]:
    """The goals in force in the draft's slot that saving it would supersede (newest first);
    the goal being edited is not among them."""
    slot = draft_slot(draft)
    found = [
        goal
        for goal in goals
        if in_force(goal) and goal_slot(goal) == slot and goal.get("id") != draft.goal_id
    ]
    return tuple(sorted(found, key=_newest_first_key, reverse=True))


# --- the record ------------------------------------------------------------------------

_UNSAVED_ID = "G-new"  # validate_record wants an id; the store assigns the real one


def build_goal(
    draft: GoalDraft, history: GoalHistory, calendar: FiscalCalendar, rules: GoalRules, today: date
) -> dict[str, Any]:
    """The ``goals`` record of a complete draft, or :class:`GoalError` listing every problem.

    The record has no ``id`` unless the draft edits a saved goal.
    """
    problems = step_problems("review", draft, history, calendar, rules, today)
    flags = achievability_flags(draft, history, calendar, rules)
    if problems:
        raise GoalError(problems, unacknowledged(flags, draft.acknowledgements))
    assert draft.target is not None  # the measurable step checked it
    plan = plan_goal(draft, history, calendar, rules)
    found = {b.kind: b.value for b in baselines(draft, history)}
    record = {
        "id": draft.goal_id or _UNSAVED_ID,
        "quarter": draft.quarter,
        "metric": draft.metric,
        "scope": draft.scope,
        "product": draft.units_product if draft.metric == "units" else "",
        "statement": draft.statement.strip()
        or draft_statement(draft, history.names, history.currency),
        "target": draft.target,
        "baseline": next(
            (found[k] for k in ("forecast", "last_year", "last_quarter") if found[k] is not None),
            None,
        ),
        "baselines": found,
        "relevance": draft.objective.strip(),
        "relevance_note": draft.why.strip(),
        "split": plan.split,
        "split_weeks": plan.split_weeks,
        "weeks_by_hand": bool(draft.week_amounts),
        "split_method": draft.split_method,
        "split_weights": {k: str(v) for k, v in draft.month_weights.items()}
        if draft.split_method == "custom"
        else {},
        "allocation": plan.allocation,
        "allocation_method": draft.allocation_method if plan.allocation else "",
        "allocation_weights": {k: str(v) for k, v in draft.capacity.items()}
        if draft.allocation_method == "capacity"
        else {},
        "acknowledgements": [
            {"flag": name, "reason": draft.acknowledgements[name].strip()}
            for name in _acknowledged(draft, flags)
        ],
        "status": "active",
        **({"replaces": [goal["id"] for goal in history.replaced]} if history.replaced else {}),
    }
    cleaned = validate_record("goals", record)
    if not draft.goal_id:
        del cleaned["id"]
    return cleaned


def _acknowledged(draft: GoalDraft, flags: list[Flag]) -> list[str]:
    """The flags whose reasons are saved: those raised, and on an edit the ``replaces``
    reason the goal was created with (the replacement happened then; an edit raises
    the flag only if it moves the goal onto another goal's slot)."""
    names = [flag.name for flag in flags]
    if (
        draft.goal_id
        and "replaces" not in names
        and draft.acknowledgements.get("replaces", "").strip()
    ):
        names.append("replaces")
    return names


def draft_from_goal(goal: Mapping[str, Any]) -> GoalDraft:
    """A draft holding a saved goal's values, to re-run the wizard on it."""
    method = goal.get("split_method") or "working_days"
    manual_shares = goal.get("allocation_method") == "manual"
    return GoalDraft.from_dict(
        {
            "quarter": goal.get("quarter"),
            "metric": goal.get("metric"),
            "scope": goal.get("scope"),
            "product": goal.get("product", ""),
            "statement": goal.get("statement", ""),
            "target": goal.get("target"),
            "objective": goal.get("relevance", ""),
            "why": goal.get("relevance_note", ""),
            "split_method": method,
            "month_weights": goal.get("split_weights") or {},
            "month_amounts": goal.get("split", {}) if method == "manual" else {},
            "week_amounts": goal.get("split_weeks", {}) if goal.get("weeks_by_hand") else {},
            "allocation_method": goal.get("allocation_method") or "history",
            "reps": list(goal.get("allocation", {})),
            "capacity": goal.get("allocation_weights") or {},
            "allocation": goal.get("allocation", {}) if manual_shares else {},
            "acknowledgements": {a["flag"]: a["reason"] for a in goal.get("acknowledgements", [])},
            "goal_id": goal.get("id"),
            "goal_version": goal.get("_v"),
        }
    )
