"""The goal wizard: the SMART steps, a split over months and weeks, an allocation to reps.

The :class:`~qsales_tui.domain.goals.GoalDraft` is the one source of truth: each step's
panel is built from it when the step is shown and writes every edit back into it, so
nothing is lost on going back. The history the checks need is read in a worker when
the metric, scope or product changes; everything else (baselines, flags, splits,
allocation) is computed from it by the domain in a few milliseconds.

Decisions where the brief is silent:

- ctrl+n / ctrl+b move on and back (also f8 / f7, for tmux users whose prefix is
  ctrl+b). Moving on needs the step's problems solved; moving back always works.
- The draft is saved on every step change, when the wizard is closed, and one second
  after the last edit; the saved goal replaces it.
- Changing the metric clears the target and the hand edits (their unit changed);
  changing the scope clears the reps' weights and amounts; changing the split method
  or a month clears hand-edited weeks, which are cut from the months again.
- A hand-edited month, week or rep amount stays as typed: later edits rebalance the
  others only. With "rebalance the rest" off, only the edited cell changes and the
  difference still to place is shown until it is placed. A new target keeps amounts
  typed by hand, so the split and allocate steps show the difference to place.
- Products to choose from are those with sales on record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.widgets import (
    Button,
    Checkbox,
    Footer,
    Header,
    Input,
    Label,
    LoadingIndicator,
    Select,
    Static,
)

from qsales_tui.context import Context
from qsales_tui.domain import splits
from qsales_tui.domain.goals import (
    METRICS,
    SEGMENTS,
    STEPS,
    Flag,
    GoalDraft,
    GoalError,
    GoalHistory,
    GoalPlan,
    GoalRules,
    achievability_flags,
    baseline_label,
    baselines,
    draft_statement,
    format_growth,
    format_target,
    metric_label,
    parse_target,
    plan_goal,
    rep_requirements,
    scope_label,
    step_problems,
    step_title,
    timeline,
)
from qsales_tui.domain.money import format_money
from qsales_tui.errors import QsalesError
from qsales_tui.i18n import _
from qsales_tui.ui.bindings import Translated
from qsales_tui.ui.widgets.split_table import AmountRow, AmountTable
from qsales_tui.ui.widgets.step_list import StepList

DRAFT_SAVE_DELAY = 1.0  # seconds after the last edit
NEW_OBJECTIVE = "\0new"  # the objective Select's "type a new one" choice


# --- what the steps read -------------------------------------------------------------


@dataclass(frozen=True)
class WizardData:
    """What does not change while the wizard is open (read once, in a worker)."""

    rules: GoalRules
    objectives: list[str]
    actions: list[str]  # improvement actions of the previous quarter's review
    names: dict[str, str]
    team_ids: list[str]
    rep_ids: list[str]  # active reps with role rep
    products: list[str]


def read_wizard_data(ctx: Context, quarter: str) -> WizardData:
    """Everything the wizard shows besides the history (pandas: run in a worker)."""
    from qsales_tui.services import goals
    from qsales_tui.storage.frames import load_frame

    products = load_frame(ctx.store, "sales", ["product"])["product"].dropna().unique()
    return WizardData(
        rules=goals.goal_rules(ctx), objectives=goals.objectives(ctx),
        actions=goals.improvement_actions(ctx, quarter), names=goals.names(ctx),
        team_ids=sorted(record["id"] for record in ctx.store.all("teams")),
        rep_ids=goals.scope_reps(ctx, "company"), products=sorted(str(p) for p in products),
    )


@dataclass
class WizardModel:
    """The draft and what its checks need; panels read and edit it, the screen saves it."""

    draft: GoalDraft
    ctx: Context
    data: WizardData
    history: GoalHistory | None = None
    rebalance: bool = True  # a hand edit spreads the rest (else: show the gap)
    locked: dict[str, set[str]] = field(default_factory=lambda: {
        "months": set(), "weeks": set(), "reps": set()})

    @property
    def currency(self) -> str:
        return self.ctx.currency

    def problems(self, step: str) -> list[str]:
        if self.history is None:
            return []
        return step_problems(step, self.draft, self.history, self.ctx.calendar,
                             self.data.rules, self.ctx.today)

    def flags(self) -> list[Flag]:
        if self.history is None:
            return []
        return achievability_flags(self.draft, self.history, self.ctx.calendar, self.data.rules)

    def plan(self) -> GoalPlan:
        if self.history is None:
            return GoalPlan({}, {}, {}, [], [])
        return plan_goal(self.draft, self.history, self.ctx.calendar, self.data.rules)

    def statement(self) -> str:
        return draft_statement(self.draft, self.data.names, self.currency)

    def shown(self, value: int | None) -> str:
        """An amount of the goal's metric for reading (compact)."""
        return format_target(self.draft.metric, value, self.currency)

    def cell(self, value: int | None) -> str:
        """An amount of the goal's metric as it is typed in a cell (exact)."""
        if value is None:
            return ""
        if self.draft.metric == "revenue":
            return format_money(value, self.currency)
        return format_target(self.draft.metric, value, self.currency)

    def parse(self, text: str) -> int:
        return parse_target(self.draft.metric, text, self.currency)

    def name(self, key: str) -> str:
        return self.data.names.get(key, key)

    def edit(self, **changes: Any) -> None:
        """Change draft fields (validated by the model)."""
        for key, value in changes.items():
            setattr(self.draft, key, value)

    def hand_edit(self, what: str, current: dict[str, int], key: str, text: str) -> None:
        """Apply an amount typed for ``key`` to ``current`` (``months``, ``weeks`` or ``reps``).

        ValueError (its message is for the user) when the text is not an amount.
        """
        value = self.parse(text)
        target = self.draft.target or 0
        result = splits.rebalance(current, key, value, target, locked=self.locked[what],
                                  mode="spread" if self.rebalance else "show")
        self.locked[what].add(key)
        if what == "months":
            self.edit(split_method="manual", month_amounts=result.values, week_amounts={})
            self.locked["weeks"].clear()
        elif what == "weeks":
            self.edit(week_amounts=result.values)
        else:
            self.edit(allocation_method="manual", allocation=result.values,
                      reps=list(result.values))

    def forget_hand_edits(self, split: bool) -> None:
        """Drop the reps' typed amounts, and the months' and weeks' too when ``split``;
        a method "by hand" falls back to the default."""
        draft = self.draft
        if split:
            self.edit(month_amounts={}, week_amounts={}, split_method="working_days"
                      if draft.split_method == "manual" else draft.split_method)
            self.locked["months"].clear()
            self.locked["weeks"].clear()
        self.edit(allocation={}, allocation_method="history"
                  if draft.allocation_method == "manual" else draft.allocation_method)
        self.locked["reps"].clear()

    def set_weight(self, field_name: str, key: str, text: str) -> None:
        """A custom month weight (``month_weights``) or a rep's ``capacity``; ValueError."""
        self.edit(**{field_name: {**getattr(self.draft, field_name), key: parse_weight(text)}})
        if field_name == "month_weights":
            self.edit(week_amounts={})  # cut from the months again


def parse_weight(text: str) -> Decimal:
    try:
        weight = Decimal(text.strip().replace(",", ""))
    except InvalidOperation:
        raise ValueError(_("not a number: {text}", text=text)) from None
    if not weight.is_finite() or weight < 0:
        raise ValueError(_("a weight must be a number ≥ 0, not {text}", text=text))
    return weight


# --- step panels -----------------------------------------------------------------------


class StepPanel(Vertical):
    """One step's form. It edits ``model.draft`` and posts :class:`Edited` upwards."""

    DEFAULT_CSS = """
    StepPanel { height: auto; padding: 0 1; }
    StepPanel > Label { margin-top: 1; }
    StepPanel Select { width: 100%; }
    StepPanel Input { background: $boost; }
    StepPanel Input:focus { background: $primary 30%; }
    StepPanel .note { color: $text-muted; height: auto; }
    StepPanel .flag { color: $caution; margin-top: 1; height: auto; }
    StepPanel .error { color: $error; height: auto; }
    StepPanel Checkbox { margin-top: 1; }
    """

    @dataclass
    class Edited(Message):
        """The draft changed; ``reload`` when the history must be read again."""

        reload: bool = False

    def __init__(self, model: WizardModel) -> None:
        super().__init__()
        self.model = model

    @property
    def draft(self) -> GoalDraft:
        return self.model.draft

    async def refresh_view(self) -> None:
        """Update what is derived from the draft and the history (values as typed stay)."""

    def changed(self, reload: bool = False) -> None:
        self.post_message(self.Edited(reload))

    def apply_edit(self, event: AmountTable.Edited) -> bool:
        """A committed cell of one of this panel's tables; False when it was refused."""
        return True

    @on(AmountTable.Edited)
    def _cell_edited(self, event: AmountTable.Edited) -> None:
        self.apply_edit(event)

    def flush(self) -> bool:
        """Apply cells typed but not yet committed (the user moves on without Enter).

        False when one was refused (the user was told why).
        """
        results = [self.apply_edit(AmountTable.Edited(table, key, text))
                   for table in self.query(AmountTable) for key, text in table.pending()]
        return all(results)


class SpecificPanel(StepPanel):
    def compose(self) -> ComposeResult:
        model, draft = self.model, self.draft
        yield Label(_("Metric"))
        yield Select([(metric_label(m), m) for m in METRICS], value=draft.metric,
                     allow_blank=False, compact=True, id="metric")
        yield Label(_("Scope"))
        yield Select(self._scopes(), value=draft.scope, allow_blank=False, compact=True,
                     id="scope")
        products = model.data.products
        product_label = Label(_("Product"), id="product-label")
        product = Select([(p, p) for p in products], compact=True, id="product",
                         value=draft.product if draft.product in products else Select.NULL)
        product_label.display = product.display = draft.metric == "units"
        yield product_label
        yield product
        yield Label(_("Statement (empty: the drafted one)"))
        yield Input(draft.statement, placeholder=model.statement(), compact=True,
                    id="statement")
        yield Static("", id="drafted", classes="note", markup=False)
        previous = model.ctx.calendar.quarter(draft.quarter).previous.name
        if model.data.actions:
            yield Static(_("Improvement actions from the review of {quarter}",
                           quarter=previous), classes="section-title")
            yield Static("\n".join(f"• {a}" for a in model.data.actions), classes="note",
                         markup=False)
        else:
            yield Static(_("No improvement actions from a review of {quarter}.",
                           quarter=previous), classes="note")

    def _scopes(self) -> list[tuple[str, str]]:
        data = self.model.data
        scopes = ["company", *(f"team:{t}" for t in data.team_ids),
                  *(f"rep:{r}" for r in data.rep_ids), *(f"segment:{s}" for s in SEGMENTS),
                  *(f"product:{p}" for p in data.products)]
        if self.draft.scope not in scopes:
            scopes.append(self.draft.scope)
        names = {**data.names, **{s: _(s) for s in SEGMENTS}}
        return [(Text(scope_label(scope, names)), scope) for scope in scopes]

    async def refresh_view(self) -> None:
        statement = self.model.statement()
        self.query_one("#statement", Input).placeholder = statement
        shown = self.draft.statement.strip() or statement
        self.query_one("#drafted", Static).update(_("The goal: {statement}", statement=shown))
        units = self.draft.metric == "units"
        self.query_one("#product", Select).display = units
        self.query_one("#product-label", Label).display = units

    @on(Select.Changed, "#metric")
    def _metric(self, event: Select.Changed) -> None:
        if event.value != self.draft.metric:
            self.model.edit(metric=event.value, target=None)
            self.model.forget_hand_edits(split=True)
            self.changed(reload=True)

    @on(Select.Changed, "#scope")
    def _scope(self, event: Select.Changed) -> None:
        if event.value != self.draft.scope:
            self.model.edit(scope=event.value, reps=[], capacity={})
            self.model.forget_hand_edits(split=False)
            self.changed(reload=True)

    @on(Select.Changed, "#product")
    def _product(self, event: Select.Changed) -> None:
        value = "" if event.value is Select.NULL else str(event.value)
        if value != self.draft.product:
            self.model.edit(product=value)
            self.changed(reload=True)

    @on(Input.Changed, "#statement")
    def _statement(self, event: Input.Changed) -> None:
        self.model.edit(statement=event.value)
        self.changed()


class MeasurablePanel(StepPanel):
    def compose(self) -> ComposeResult:
        yield Label(_("Target ({metric})", metric=metric_label(self.draft.metric)))
        yield Input(self.model.cell(self.draft.target), placeholder=_("e.g. 4.2M, 35, 4.5"),
                    compact=True, id="target")
        yield Static("", id="target-error", classes="error", markup=False)
        yield Static("", id="baselines")
        yield Static(_("Forecast: the same quarter last year × the trailing year-on-year "
                       "growth."), classes="note")

    async def refresh_view(self) -> None:
        history = self.model.history
        table = Table(box=None, pad_edge=False, show_edge=False)
        table.add_column(_("Baseline"))
        table.add_column(_("Value"), justify="right")
        table.add_column(_("Growth to target"), justify="right")
        if history is not None:
            for baseline in baselines(self.draft, history):
                table.add_row(baseline_label(baseline.kind), self.model.shown(baseline.value),
                              format_growth(baseline.growth))
        self.query_one("#baselines", Static).update(table)

    @on(Input.Changed, "#target")
    def _target(self, event: Input.Changed) -> None:
        error = self.query_one("#target-error", Static)
        try:
            target = self.model.parse(event.value) if event.value.strip() else None
        except ValueError as exc:
            target = None
            error.update(str(exc))
        else:
            error.update("")
        if target != self.draft.target:
            self.model.edit(target=target)
            self.changed()


class AchievablePanel(StepPanel):
    def compose(self) -> ComposeResult:
        self.flag_names = [flag.name for flag in self.model.flags()]
        if self.model.history is None:
            return
        if not self.flag_names:
            yield Static(_("No flags: the target is within what the history supports."),
                         classes="note")
        for index, flag in enumerate(self.model.flags()):
            yield Static(f"⚑ {flag.message}", classes="flag", markup=False)
            yield Input(self.draft.acknowledgements.get(flag.name, ""), compact=True,
                        placeholder=_("Why this is fine (saved with the goal)"),
                        id=f"ack-{index}")

    async def refresh_view(self) -> None:
        if [flag.name for flag in self.model.flags()] != self.flag_names:
            await self.recompose()

    @on(Input.Changed)
    def _reason(self, event: Input.Changed) -> None:
        index = int(str(event.input.id).removeprefix("ack-"))
        name = self.flag_names[index]
        if self.draft.acknowledgements.get(name, "") != event.value:
            self.model.edit(acknowledgements={**self.draft.acknowledgements,
                                              name: event.value})
            self.changed()


class RelevantPanel(StepPanel):
    def compose(self) -> ComposeResult:
        known = self.model.data.objectives
        objective = self.draft.objective
        choice = objective if objective in known else NEW_OBJECTIVE if objective else Select.NULL
        yield Label(_("Company objective or strategy theme"))
        yield Select([*((Text(o), o) for o in known), (_("A new objective…"), NEW_OBJECTIVE)],
                     value=choice, compact=True, prompt=_("Choose an objective"),
                     id="objective")
        new = Input(objective if choice == NEW_OBJECTIVE else "", compact=True,
                    placeholder=_("Type the new objective"), id="new-objective")
        new.display = choice == NEW_OBJECTIVE
        yield new
        yield Label(_("Why this goal matters"))
        yield Input(self.draft.why, compact=True, id="why")

    @on(Select.Changed, "#objective")
    def _objective(self, event: Select.Changed) -> None:
        new = self.query_one("#new-objective", Input)
        new.display = event.value == NEW_OBJECTIVE
        value = (new.value if event.value == NEW_OBJECTIVE
                 else "" if event.value is Select.NULL else str(event.value))
        if value != self.draft.objective:
            self.model.edit(objective=value)
            self.changed()
        if new.display:
            new.focus()

    @on(Input.Changed, "#new-objective")
    def _new_objective(self, event: Input.Changed) -> None:
        if event.input.display and event.value != self.draft.objective:
            self.model.edit(objective=event.value)
            self.changed()

    @on(Input.Changed, "#why")
    def _why(self, event: Input.Changed) -> None:
        if event.value != self.draft.why:
            self.model.edit(why=event.value)
            self.changed()


class TimeBoundPanel(StepPanel):
    def compose(self) -> ComposeResult:
        yield Static("", id="timeline")

    async def refresh_view(self) -> None:
        model = self.model
        quarter = model.ctx.calendar.quarter(self.draft.quarter)
        line = timeline(quarter, model.ctx.calendar)
        months = model.plan().split
        table = Table(box=None, pad_edge=False, show_edge=False,
                      title=_("{quarter}: {start} to {end}, {days} working days",
                              quarter=quarter.name, start=line.start, end=line.end,
                              days=line.working_days), title_justify="left")
        table.add_column(_("Month end"))
        table.add_column(_("Work days"), justify="right")
        table.add_column(_("Target by then"), justify="right")
        running = 0
        for month, last_day, days in line.checkpoints:
            running += months.get(month, 0)
            table.add_row(last_day.isoformat(), str(days),
                          model.shown(running) if months else "—")
        self.query_one("#timeline", Static).update(table)


SPLIT_METHODS = ("working_days", "seasonality", "custom", "manual")
ALLOCATION_METHODS = ("even", "history", "capacity", "manual")


def split_method_label(method: str) -> str:
    return {"working_days": _("by working days"), "seasonality": _("by past years' seasonality"),
            "custom": _("by custom weights"), "manual": _("by hand (months as typed)")}[method]


def split_method_note(method: str, years: int) -> str:
    return {
        "working_days": _("Each month weighs its working days."),
        "seasonality": _("Each month weighs the same month's sales over the past {n} years.",
                         n=years),
        "custom": _("Type a weight per month: the target is split in proportion."),
        "manual": _("Months as typed: edit a cell and the rest rebalances, or the gap shows."),
    }[method]


def allocation_method_label(method: str) -> str:
    return {"even": _("evenly"), "history": _("by historical share"),
            "capacity": _("by capacity weights"), "manual": _("by hand")}[method]


class NotAdditive(Static):
    """Said instead of a split or an allocation for an average or a share."""

    def __init__(self, metric: str) -> None:
        super().__init__(_("{metric} is an average or a share: it is not split over time "
                           "or people.", metric=metric_label(metric)), classes="note")


class SplitPanel(StepPanel):
    def compose(self) -> ComposeResult:
        if not self.draft.additive:
            yield NotAdditive(self.draft.metric)
            return
        yield Select([(split_method_label(m), m) for m in SPLIT_METHODS],
                     value=self.draft.split_method, allow_blank=False, compact=True,
                     id="split-method")
        yield Static("", id="split-note", classes="note")
        weights = AmountTable([_("Month"), _("Weight")], self._weight_rows(), id="weights")
        weights.display = self.draft.split_method == "custom"
        yield weights
        yield Checkbox(_("Rebalance the rest when I edit a cell"), self.model.rebalance,
                       compact=True, id="rebalance")
        yield Label(_("Months"))
        yield AmountTable([_("Month"), _("Amount"), _("Share"), _("Work days")],
                          self._month_rows(), id="months")
        yield Static("", id="months-total", classes="note")
        yield Label(_("Weeks"))
        yield AmountTable([_("Week"), _("Amount"), _("Days")], self._week_rows(), id="weeks")
        yield Static("", id="weeks-total", classes="note")

    def _weight_rows(self) -> list[AmountRow]:
        months = self.model.ctx.calendar.quarter(self.draft.quarter).months()
        return [AmountRow(m, m, str(self.draft.month_weights.get(m, ""))) for m in months]

    def _month_rows(self) -> list[AmountRow]:
        model = self.model
        plan, target = model.plan(), self.draft.target or 0
        quarter = model.ctx.calendar.quarter(self.draft.quarter)
        days = splits.working_day_weights(quarter, model.ctx.calendar)
        return [AmountRow(month, month, model.cell(amount),
                          (f"{100 * amount / target:.1f}%" if target else "—", str(days[month])))
                for month, amount in plan.split.items()]

    def _week_rows(self) -> list[AmountRow]:
        model = self.model
        weeks = model.plan().split_weeks
        bounds = {label: (first, last) for label, first, last
                  in model.ctx.calendar.quarter(self.draft.quarter).weeks()}
        return [AmountRow(week, week, model.cell(amount),
                          (f"{bounds[week][0]:%m-%d}–{bounds[week][1]:%m-%d}",))
                for week, amount in weeks.items() if week in bounds]

    async def refresh_view(self) -> None:
        if not self.draft.additive:
            return
        model, plan = self.model, self.model.plan()
        note = split_method_note(self.draft.split_method, model.data.rules.seasonality_years)
        if plan.seasonality_fallback:
            note = _("No sales in the past years' same months: split by working days.")
        self.query_one("#split-note", Static).update(note)
        self.query_one("#split-method", Select).value = self.draft.split_method
        self.query_one("#weights", AmountTable).display = self.draft.split_method == "custom"
        await self.query_one("#weights", AmountTable).set_rows(self._weight_rows())
        await self.query_one("#months", AmountTable).set_rows(self._month_rows())
        await self.query_one("#weeks", AmountTable).set_rows(self._week_rows())
        target = self.draft.target or 0
        for what, values in (("months", plan.split), ("weeks", plan.split_weeks)):
            self.query_one(f"#{what}-total", Static).update(_total_line(model, values, target))

    @on(Select.Changed, "#split-method")
    def _method(self, event: Select.Changed) -> None:
        method = str(event.value)
        if method == self.draft.split_method:
            return
        current = self.model.plan().split
        self.model.edit(
            split_method=method, week_amounts={},
            month_amounts=current if method == "manual" else {},
            month_weights=self.draft.month_weights or dict.fromkeys(current, Decimal(1))
            if method == "custom" else self.draft.month_weights)
        for what in ("months", "weeks"):
            self.model.locked[what].clear()
        self.changed()

    @on(Checkbox.Changed, "#rebalance")
    def _rebalance(self, event: Checkbox.Changed) -> None:
        self.model.rebalance = event.value

    def apply_edit(self, event: AmountTable.Edited) -> bool:
        model, plan = self.model, self.model.plan()
        if event.table.id == "weights":
            return _apply_cell(self, lambda: model.set_weight("month_weights", event.key,
                                                              event.text))
        what = str(event.table.id)
        current = plan.split if what == "months" else plan.split_weeks
        return _apply_cell(self, lambda: model.hand_edit(what, current, event.key, event.text))


def _apply_cell(panel: StepPanel, apply: Callable[[], None]) -> bool:
    """Run a cell's edit; a refused one is explained, and False."""
    try:
        apply()
    except ValueError as exc:
        panel.app.notify(str(exc), severity="error")
        return False
    finally:
        panel.changed()  # the refresh also puts a refused cell back as it was
    return True


def _total_line(model: WizardModel, values: dict[str, int], target: int) -> str:
    placed = sum(values.values())
    text = _("Total {placed} of {target}", placed=model.shown(placed),
             target=model.shown(target))
    if placed != target:
        gap = target - placed
        text += " · " + (_("{amount} still to place", amount=model.cell(gap)) if gap > 0
                         else _("{amount} too much", amount=model.cell(-gap)))
    return text


class AllocatePanel(StepPanel):
    def compose(self) -> ComposeResult:
        if not self.draft.additive:
            yield NotAdditive(self.draft.metric)
            return
        yield Select([(allocation_method_label(m), m) for m in ALLOCATION_METHODS],
                     value=self.draft.allocation_method, allow_blank=False, compact=True,
                     id="allocation-method")
        capacity = AmountTable([_("Rep"), _("Capacity")], self._capacity_rows(),
                               id="capacity")
        capacity.display = self.draft.allocation_method == "capacity"
        yield capacity
        yield Checkbox(_("Rebalance the rest when I edit a cell"), self.model.rebalance,
                       compact=True, id="rebalance")
        yield AmountTable([_("Rep"), _("Amount"), _("Last Q"), _("Growth")],
                          self._rep_rows(), id="reps")
        yield Static("", id="reps-total", classes="note")
        yield Static("", id="rep-flags", classes="flag", markup=False)

    def _reps(self) -> list[str]:
        return list(self.model.plan().allocation) or self.draft.reps or (
            self.model.history.scope_reps if self.model.history else [])

    def _capacity_rows(self) -> list[AmountRow]:
        return [AmountRow(rep, self.model.name(rep), str(self.draft.capacity.get(rep, "")))
                for rep in self._reps()]

    def _rep_rows(self) -> list[AmountRow]:
        model = self.model
        if model.history is None or self.draft.target is None:
            return []
        needs = rep_requirements(self.draft, model.history, model.ctx.calendar, model.data.rules)
        return [AmountRow(need.rep, model.name(need.rep), model.cell(need.share),
                          (model.shown(need.last_quarter), format_growth(need.growth)))
                for need in needs]

    async def refresh_view(self) -> None:
        if not self.draft.additive:
            return
        self.query_one("#allocation-method", Select).value = self.draft.allocation_method
        capacity = self.query_one("#capacity", AmountTable)
        capacity.display = self.draft.allocation_method == "capacity"
        await capacity.set_rows(self._capacity_rows())
        await self.query_one("#reps", AmountTable).set_rows(self._rep_rows())
        plan = self.model.plan()
        self.query_one("#reps-total", Static).update(
            _total_line(self.model, plan.allocation, self.draft.target or 0))
        unacknowledged = [flag.message for flag in self.model.flags()
                          if flag.name.startswith("rep_stretch:")
                          and not self.draft.acknowledgements.get(flag.name, "").strip()]
        self.query_one("#rep-flags", Static).update("\n".join(
            [f"⚑ {message}" for message in unacknowledged]
            + ([_("Acknowledge these at step 3 (Achievable).")] if unacknowledged else [])))

    @on(Select.Changed, "#allocation-method")
    def _method(self, event: Select.Changed) -> None:
        method = str(event.value)
        if method == self.draft.allocation_method:
            return
        reps = self._reps()
        self.model.edit(
            allocation_method=method,
            allocation=self.model.plan().allocation if method == "manual" else {},
            capacity={**dict.fromkeys(reps, Decimal(1)), **self.draft.capacity}
            if method == "capacity" else self.draft.capacity)
        self.model.locked["reps"].clear()
        self.changed()

    @on(Checkbox.Changed, "#rebalance")
    def _rebalance(self, event: Checkbox.Changed) -> None:
        self.model.rebalance = event.value

    def apply_edit(self, event: AmountTable.Edited) -> bool:
        model = self.model
        if event.table.id == "capacity":
            return _apply_cell(self, lambda: model.set_weight("capacity", event.key, event.text))
        current = model.plan().allocation
        return _apply_cell(self, lambda: model.hand_edit("reps", current, event.key, event.text))


class ReviewPanel(StepPanel):
    def compose(self) -> ComposeResult:
        yield Static("", id="summary")
        yield Static("", id="verdict", markup=False)

    async def refresh_view(self) -> None:
        model, draft = self.model, self.draft
        plan = model.plan()
        table = Table(box=None, pad_edge=False, show_header=False, show_edge=False)
        table.add_column(style="bold")
        table.add_column()
        rows = [
            (_("Goal"), draft.statement.strip() or model.statement()),
            (_("Target"), model.shown(draft.target)),
            (_("Objective"), draft.objective or "—"),
            (_("Why"), draft.why or "—"),
        ]
        if draft.additive:
            rows += [
                (_("Months"), _amounts_grid(split_method_label(draft.split_method), {
                    month: model.shown(amount) for month, amount in plan.split.items()})),
                (_("Weeks"), _("{n} weeks", n=len(plan.split_weeks))
                 + (" · " + _("edited by hand") if draft.week_amounts else "")),
                (_("Reps"), _amounts_grid(allocation_method_label(draft.allocation_method), {
                    model.name(rep): model.shown(amount)
                    for rep, amount in plan.allocation.items()})),
            ]
        acknowledged = [f"{flag.name}: {draft.acknowledgements.get(flag.name, '')}"
                        for flag in model.flags()]
        rows.append((_("Flags"), "\n".join(acknowledged) or _("none")))
        for title, value in rows:
            table.add_row(title, Text(value) if isinstance(value, str) else value)
        self.query_one("#summary", Static).update(table)
        verdict = self.query_one("#verdict", Static)
        problems = model.problems("review")
        verdict.set_class(bool(problems), "error")
        verdict.update(_("Press ctrl+s to save the goal.") if not problems
                       else _("Fix these first:") + "\n" + "\n".join(f"• {p}" for p in problems))


def _amounts_grid(title: str, amounts: dict[str, str]) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column()
    grid.add_column(justify="right")
    grid.add_row(title, "")
    for name, amount in amounts.items():
        grid.add_row(name, amount)
    return grid


PANELS: dict[str, Callable[[WizardModel], StepPanel]] = {
    "specific": SpecificPanel, "measurable": MeasurablePanel, "achievable": AchievablePanel,
    "relevant": RelevantPanel, "time_bound": TimeBoundPanel, "split": SplitPanel,
    "allocate": AllocatePanel, "review": ReviewPanel,
}


# --- the screen ------------------------------------------------------------------------


class GoalWizardScreen(Translated, Screen[str | None]):
    """Dismissed with the saved goal's id, or None when closed (the draft is kept)."""

    DEFAULT_CSS = """
    GoalWizardScreen #wizard-title { height: 1; padding: 0 1; text-style: bold; color: $primary; }
    GoalWizardScreen #wizard { height: 1fr; }
    GoalWizardScreen #body { height: 1fr; }
    GoalWizardScreen #problems { height: auto; max-height: 4; padding: 0 1; color: $error; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n,f8", "next_step", "Next step", id="wizard.next", priority=True),
        Binding("ctrl+b,f7", "previous_step", "Back", id="wizard.back", priority=True),
        Binding("ctrl+s", "save", "Save goal", id="wizard.save", priority=True),
        Binding("escape", "close", "Close (draft kept)", id="wizard.close"),
    ]

    def __init__(self, draft: GoalDraft) -> None:
        super().__init__()
        self.draft = draft
        self.model: WizardModel | None = None
        self._history_key: tuple[str, ...] | None = None
        self._draft_timer: Timer | None = None
        self._done = False  # saved: no more draft writes

    @property
    def step(self) -> str:
        return STEPS[self.draft.step]

    def compose(self) -> ComposeResult:
        yield Header()
        title = (_("Edit goal {id} for {quarter}", id=self.draft.goal_id,
                   quarter=self.draft.quarter) if self.draft.goal_id
                 else _("New goal for {quarter}", quarter=self.draft.quarter))
        yield Static(title, id="wizard-title")
        with Horizontal(id="wizard"):
            yield StepList([step_title(step) for step in STEPS], id="steps")
            with VerticalScroll(id="body"):
                yield LoadingIndicator()
        yield Static("", id="problems", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(StepList).show(self.draft.step, set(range(self.draft.step)))
        self.load_data()

    # -- loading ---------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="wizard-data", exit_on_error=False)
    def load_data(self) -> None:
        ctx = self.app.session.ctx
        data = read_wizard_data(ctx, self.draft.quarter)
        self.app.call_from_thread(self._data_loaded, data)

    async def _data_loaded(self, data: WizardData) -> None:
        self.model = WizardModel(self.draft, self.app.session.ctx, data)
        await self._show_step()
        self._reload_history()

    def _reload_history(self) -> None:
        draft = self.draft
        key = (draft.quarter, draft.metric, draft.scope, draft.units_product)
        if key != self._history_key and self.model is not None:
            self._history_key = key
            self.model.history = None
            self.load_history(draft.model_copy())

    @work(thread=True, exclusive=True, group="wizard-history", exit_on_error=False)
    def load_history(self, draft: GoalDraft) -> None:
        from qsales_tui.services.goals import goal_history

        history = goal_history(self.app.session.ctx, draft)
        self.app.call_from_thread(self._history_loaded, draft, history)

    async def _history_loaded(self, draft: GoalDraft, history: GoalHistory) -> None:
        current = (self.draft.quarter, self.draft.metric, self.draft.scope,
                   self.draft.units_product)
        if self.model is None or current != (draft.quarter, draft.metric, draft.scope,
                                             draft.units_product):
            return  # a newer read is on its way
        self.model.history = history
        panel = self.panel()
        if isinstance(panel, (AchievablePanel, SplitPanel, AllocatePanel)):
            await panel.recompose()  # their rows come from the history
            if self.focused in (None, self.query_one("#body")):
                self._focus_first()
        await self._refresh()

    def panel(self) -> StepPanel | None:
        return next(iter(self.query(StepPanel)), None)

    # -- showing ---------------------------------------------------------------------------

    async def _show_step(self) -> None:
        assert self.model is not None
        body = self.query_one("#body", VerticalScroll)
        await body.remove_children()
        await body.mount(PANELS[self.step](self.model))
        body.scroll_home(animate=False)
        await self._refresh()
        self.refresh_bindings()
        self._focus_first()

    def _focus_first(self) -> None:
        body = self.query_one("#body", VerticalScroll)
        fields = body.query("Input, Select")
        (fields.first() if fields else body).focus()

    async def _refresh(self) -> None:
        panel = self.panel()
        if panel is not None:
            await panel.refresh_view()
        self.query_one(StepList).show(self.draft.step, set(range(self.draft.step)))
        problems = self.model.problems(self.step) if self.model else []
        text = "\n".join(f"• {p}" for p in problems[:4])
        if self.model is not None and self.model.history is None:
            text = _("Reading the history…")
        self.query_one("#problems", Static).update(text)

    @on(StepPanel.Edited)
    async def _edited(self, event: StepPanel.Edited) -> None:
        if event.reload:
            self._reload_history()
        await self._refresh()
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(DRAFT_SAVE_DELAY, self._save_draft)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next_step":
            return self.draft.step < len(STEPS) - 1
        if action == "previous_step":
            return self.draft.step > 0
        if action == "save":
            return self.step == "review"
        return True

    # -- moving ----------------------------------------------------------------------------

    async def action_next_step(self) -> None:
        if self.model is None or self.model.history is None:
            self.notify(_("Still reading the history; try again in a moment."), timeout=3)
            return
        if not self._flush():
            return
        if self.model.problems(self.step):
            self.notify(_("Solve this step's problems first."), severity="warning", timeout=3)
            return
        await self.go_to(self.draft.step + 1)

    async def action_previous_step(self) -> None:
        await self.go_to(self.draft.step - 1)

    async def go_to(self, step: int) -> None:
        """Show ``step`` (an index of STEPS) without checking the steps before it."""
        if not 0 <= step < len(STEPS) or self.model is None:
            return
        if not self._flush():
            return
        self.draft.step = step
        await self._show_step()
        self._save_draft()

    def _flush(self) -> bool:
        panel = self.panel()
        return panel.flush() if panel is not None else True

    # -- drafts and saving -----------------------------------------------------------------

    def _save_draft(self) -> None:
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        if not self._done:
            self.write_draft(self.draft.to_dict())

    @work(thread=True, group="wizard-draft", exit_on_error=False)
    def write_draft(self, data: dict[str, Any]) -> None:
        from qsales_tui.services.goals import GOAL_DRAFT, save_draft

        try:
            save_draft(self.app.session.ctx, GOAL_DRAFT, data)
        except QsalesError as exc:
            self.app.call_from_thread(self.notify, _("The draft is not kept: {problem}",
                                                     problem=exc), severity="warning")

    def action_close(self) -> None:
        self._flush()
        self._save_draft()
        self._done = True
        self.dismiss(None)

    def action_save(self) -> None:
        if self.step == "review":
            self.save_goal(self.draft.model_copy(deep=True))

    @work(thread=True, exclusive=True, group="wizard-save", exit_on_error=False)
    def save_goal(self, draft: GoalDraft) -> None:
        from qsales_tui.services.goals import save_goal

        try:
            saved = save_goal(self.app.session.ctx, draft, discard_draft=True)
        except GoalError as exc:
            self.app.call_from_thread(self._refused, exc.problems)
        except QsalesError as exc:
            self.app.call_from_thread(self._refused, [str(exc)])
        else:
            self.app.call_from_thread(self._saved, saved)

    def _refused(self, problems: list[str]) -> None:
        self.query_one("#problems", Static).update("\n".join(f"• {p}" for p in problems))
        self.notify("\n".join(problems), title=_("Not saved"), severity="error")

    def _saved(self, goal: dict[str, Any]) -> None:
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._done = True
        self.notify(_("Saved {id}: {statement}", id=goal["id"], statement=goal["statement"]))
        self.dismiss(goal["id"])


# --- resuming a draft ------------------------------------------------------------------


class ResumeDraftScreen(Translated, ModalScreen[str | None]):
    """Offers the user's unfinished draft: "resume", "new" (start over) or None (cancel)."""

    DEFAULT_CSS = """
    ResumeDraftScreen { align: center middle; }
    ResumeDraftScreen > Vertical {
        width: 64; max-width: 96%; height: auto; border: round $primary;
        background: $surface; padding: 0 1;
    }
    ResumeDraftScreen #buttons { height: auto; align-horizontal: right; margin-top: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "dismiss('resume')", "Resume", id="draft.resume"),
        Binding("s", "dismiss('new')", "Start over", id="draft.new"),
        Binding("escape", "dismiss(None)", "Cancel", id="draft.cancel"),
    ]

    def __init__(self, summary: str) -> None:
        super().__init__()
        self.summary = summary

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(_("You have an unfinished goal draft"), classes="section-title")
            yield Static(self.summary, markup=False)
            with Horizontal(id="buttons"):
                yield Button(_("Start over (s)"), id="new")
                yield Button(_("Resume (r)"), variant="primary", id="resume")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id)


def draft_summary(draft: GoalDraft, names: dict[str, str], currency: str) -> str:
    """What the resume offer says about a saved draft."""
    what = (_("editing {id}", id=draft.goal_id) if draft.goal_id else _("a new goal"))
    return _("{what}, at step {n} ({step}):\n{statement}", what=what, n=draft.step + 1,
             step=step_title(STEPS[draft.step]),
             statement=draft.statement.strip() or draft_statement(draft, names, currency))


def open_wizard(screen: Screen, fresh: GoalDraft,
                on_saved: Callable[[str | None], None] | None = None) -> None:
    """Open the wizard on ``fresh``, first offering the user's saved draft when there is one."""
    from qsales_tui.services.goals import GOAL_DRAFT, load_draft, names

    app = screen.app
    ctx = app.session.ctx

    def push(draft: GoalDraft) -> None:
        app.push_screen(GoalWizardScreen(draft), on_saved)

    saved = load_draft(ctx, GOAL_DRAFT)
    if saved is None:
        push(fresh)
        return
    try:
        kept = GoalDraft.from_dict(saved)
        kept.step = min(max(kept.step, 0), len(STEPS) - 1)
    except GoalError as exc:
        app.notify(_("The saved draft cannot be read, so it is set aside: {problem}",
                     problem=exc), severity="warning")
        push(fresh)
        return

    def chosen(choice: str | None) -> None:
        if choice == "resume":
            push(kept)
        elif choice == "new":
            push(fresh)

    app.push_screen(ResumeDraftScreen(draft_summary(kept, names(ctx), ctx.currency)), chosen)
