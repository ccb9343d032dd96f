"""The goal wizard's step panels: one form per step, each editing the shared draft.

A panel is built from :class:`~qsales_tui.ui.screens.goal_wizard_model.WizardModel`
when its step is shown, writes every edit back through the model (what an edit does to
the rest of the draft is decided in :mod:`qsales_tui.domain.goal_editing`) and posts
:class:`StepPanel.Edited` to the wizard screen, which refreshes and saves the draft.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Checkbox, Input, Label, Select, Static

from qsales_tui.domain import splits
from qsales_tui.domain.goal_editing import parse_weight
from qsales_tui.domain.goals import (
    METRICS,
    REP_STRETCH,
    SEGMENTS,
    GoalDraft,
    baseline_label,
    baselines,
    format_growth,
    metric_label,
    rep_requirements,
    scope_label,
    timeline,
)
from qsales_tui.i18n import _
from qsales_tui.ui.screens.goal_wizard_model import WizardModel
from qsales_tui.ui.widgets.split_table import AmountRow, AmountTable

NEW_OBJECTIVE = "\0new"  # the objective Select's "type a new one" choice


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
        results = [
            self.apply_edit(AmountTable.Edited(table, key, text))
            for table in self.query(AmountTable)
            for key, text in table.pending()
        ]
        return all(results)


class SpecificPanel(StepPanel):
    def compose(self) -> ComposeResult:
        model, draft = self.model, self.draft
        yield Label(_("Metric"))
        yield Select(
            [(metric_label(m), m) for m in METRICS],
            value=draft.metric,
            allow_blank=False,
            compact=True,
            id="metric",
        )
        yield Label(_("Scope"))
        yield Select(self._scopes(), value=draft.scope, allow_blank=False, compact=True, id="scope")
        products = model.data.products
        product_label = Label(_("Product"), id="product-label")
        product = Select(
            [(p, p) for p in products],
            compact=True,
            id="product",
            value=draft.product if draft.product in products else Select.NULL,
        )
        product_label.display = product.display = draft.metric == "units"
        yield product_label
        yield product
        yield Label(_("Statement (empty: the drafted one)"))
        yield Input(draft.statement, placeholder=model.statement(), compact=True, id="statement")
        yield Static("", id="drafted", classes="note", markup=False)
        previous = model.ctx.calendar.quarter(draft.quarter).previous.name
        if model.data.actions:
            yield Static(
                _("Improvement actions from the review of {quarter}", quarter=previous),
                classes="section-title",
            )
            yield Static(
                "\n".join(f"• {a}" for a in model.data.actions), classes="note", markup=False
            )
        else:
            yield Static(
                _("No improvement actions from a review of {quarter}.", quarter=previous),
                classes="note",
            )

    def _scopes(self) -> list[tuple[str, str]]:
        data = self.model.data
        scopes = [
            "company",
            *(f"team:{t}" for t in data.team_ids),
            *(f"rep:{r}" for r in data.rep_ids),
            *(f"segment:{s}" for s in SEGMENTS),
            *(f"product:{p}" for p in data.products),
        ]
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
            self.model.change_metric(str(event.value))
            self.changed(reload=True)

    @on(Select.Changed, "#scope")
    def _scope(self, event: Select.Changed) -> None:
        if event.value != self.draft.scope:
            self.model.change_scope(str(event.value))
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
        yield Input(
            self.model.cell(self.draft.target),
            placeholder=_("e.g. 4.2M, 35, 4.5"),
            compact=True,
            id="target",
        )
        yield Static("", id="target-error", classes="error", markup=False)
        yield Static("", id="baselines")
        yield Static(
            _("Forecast: the same quarter last year × the trailing year-on-year growth."),
            classes="note",
        )

    async def refresh_view(self) -> None:
        history = self.model.history
        table = Table(box=None, pad_edge=False, show_edge=False)
        table.add_column(_("Baseline"))
        table.add_column(_("Value"), justify="right")
        table.add_column(_("Growth to target"), justify="right")
        if history is not None:
            for baseline in baselines(self.draft, history):
                table.add_row(
                    baseline_label(baseline.kind),
                    self.model.shown(baseline.value),
                    format_growth(baseline.growth),
                )
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
            yield Static(
                _("No flags: the target is within what the history supports."), classes="note"
            )
        for index, flag in enumerate(self.model.flags()):
            yield Static(
                Text.assemble(("⚑ " + flag.label, "bold"), "\n  ", flag.message), classes="flag"
            )
            yield Input(
                self.draft.acknowledgements.get(flag.name, ""),
                compact=True,
                placeholder=_("Why this is fine (saved with the goal)"),
                id=f"ack-{index}",
            )

    async def refresh_view(self) -> None:
        if [flag.name for flag in self.model.flags()] != self.flag_names:
            await self.recompose()

    @on(Input.Changed)
    def _reason(self, event: Input.Changed) -> None:
        index = int(str(event.input.id).removeprefix("ack-"))
        name = self.flag_names[index]
        if self.draft.acknowledgements.get(name, "") != event.value:
            self.model.edit(acknowledgements={**self.draft.acknowledgements, name: event.value})
            self.changed()


class RelevantPanel(StepPanel):
    def compose(self) -> ComposeResult:
        known = self.model.data.objectives
        objective = self.draft.objective
        choice = objective if objective in known else NEW_OBJECTIVE if objective else Select.NULL
        yield Label(_("Company objective or strategy theme"))
        yield Select(
            [*((Text(o), o) for o in known), (_("A new objective…"), NEW_OBJECTIVE)],
            value=choice,
            compact=True,
            prompt=_("Choose an objective"),
            id="objective",
        )
        new = Input(
            objective if choice == NEW_OBJECTIVE else "",
            compact=True,
            placeholder=_("Type the new objective"),
            id="new-objective",
        )
        new.display = choice == NEW_OBJECTIVE
        yield new
        yield Label(_("Why this goal matters"))
        yield Input(self.draft.why, compact=True, id="why")

    @on(Select.Changed, "#objective")
    def _objective(self, event: Select.Changed) -> None:
        new = self.query_one("#new-objective", Input)
        new.display = event.value == NEW_OBJECTIVE
        value = (
            new.value
            if event.value == NEW_OBJECTIVE
            else ""
            if event.value is Select.NULL
            else str(event.value)
        )
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
        table = Table(
            box=None,
            pad_edge=False,
            show_edge=False,
            title=_(
                "{quarter}: {start} to {end}, {days} working days",
                quarter=quarter.name,
                start=line.start,
                end=line.end,
                days=line.working_days,
            ),
            title_justify="left",
        )
        table.add_column(_("Month end"))
        table.add_column(_("Work days"), justify="right")
        table.add_column(_("Target by then"), justify="right")
        running = 0
        for month, last_day, days in line.checkpoints:
            running += months.get(month, 0)
            table.add_row(last_day.isoformat(), str(days), model.shown(running) if months else "—")
        self.query_one("#timeline", Static).update(table)


SPLIT_METHODS = ("working_days", "seasonality", "custom", "manual")
ALLOCATION_METHODS = ("even", "history", "capacity", "manual")


def split_method_label(method: str) -> str:
    return {
        "working_days": _("by working days"),
        "seasonality": _("by past years' seasonality"),
        "custom": _("by custom weights"),
        "manual": _("by hand (months as typed)"),
    }[method]


def split_method_note(method: str, years: int) -> str:
    return {
        "working_days": _("Each month weighs its working days."),
        "seasonality": _(
            "Each month weighs the same month's sales over the past {n} years.", n=years
        ),
        "custom": _("Type a weight per month: the target is split in proportion."),
        "manual": _("Months as typed: edit a cell and the rest rebalances, or the gap shows."),
    }[method]


def allocation_method_label(method: str) -> str:
    return {
        "even": _("evenly"),
        "history": _("by historical share"),
        "capacity": _("by capacity weights"),
        "manual": _("by hand"),
    }[method]


class NotAdditive(Static):
    """Said instead of a split or an allocation for an average or a share."""

    def __init__(self, metric: str) -> None:
        super().__init__(
            _(
                "{metric} is an average or a share: it is not split over time or people.",
                metric=metric_label(metric),
            ),
            classes="note",
        )


class SplitPanel(StepPanel):
    def compose(self) -> ComposeResult:
        if not self.draft.additive:
            yield NotAdditive(self.draft.metric)
            return
        yield Select(
            [(split_method_label(m), m) for m in SPLIT_METHODS],
            value=self.draft.split_method,
            allow_blank=False,
            compact=True,
            id="split-method",
        )
        yield Static("", id="split-note", classes="note")
        weights = AmountTable([_("Month"), _("Weight")], self._weight_rows(), id="weights")
        weights.display = self.draft.split_method == "custom"
        yield weights
        yield Checkbox(
            _("Rebalance the rest when I edit a cell"),
            self.model.rebalance,
            compact=True,
            id="rebalance",
        )
        yield Label(_("Months"))
        yield AmountTable(
            [_("Month"), _("Amount"), _("Share"), _("Work days")], self._month_rows(), id="months"
        )
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
        return [
            AmountRow(
                month,
                month,
                model.cell(amount),
                (f"{100 * amount / target:.1f}%" if target else "—", str(days[month])),
            )
            for month, amount in plan.split.items()
        ]

    def _week_rows(self) -> list[AmountRow]:
        model = self.model
        weeks = model.plan().split_weeks
        bounds = {
            label: (first, last)
            for label, first, last in model.ctx.calendar.quarter(self.draft.quarter).weeks()
        }
        return [
            AmountRow(
                week,
                week,
                model.cell(amount),
                (f"{bounds[week][0]:%m-%d}–{bounds[week][1]:%m-%d}",),
            )
            for week, amount in weeks.items()
            if week in bounds
        ]

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
        self.model.choose_split_method(method, self.model.plan().split)
        self.changed()

    @on(Checkbox.Changed, "#rebalance")
    def _rebalance(self, event: Checkbox.Changed) -> None:
        self.model.rebalance = event.value

    def apply_edit(self, event: AmountTable.Edited) -> bool:
        model, plan = self.model, self.model.plan()
        if event.table.id == "weights":
            return _apply_cell(
                self, lambda: model.set_weight("month_weights", event.key, parse_weight(event.text))
            )
        what = "months" if event.table.id == "months" else "weeks"
        current = plan.split if what == "months" else plan.split_weeks
        return _apply_cell(
            self, lambda: model.hand_edit(what, current, event.key, model.parse(event.text))
        )


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
    text = _("Total {placed} of {target}", placed=model.shown(placed), target=model.shown(target))
    if placed != target:
        gap = target - placed
        text += " · " + (
            _("{amount} still to place", amount=model.cell(gap))
            if gap > 0
            else _("{amount} too much", amount=model.cell(-gap))
        )
    return text


class AllocatePanel(StepPanel):
    def compose(self) -> ComposeResult:
        if not self.draft.additive:
            yield NotAdditive(self.draft.metric)
            return
        yield Select(
            [(allocation_method_label(m), m) for m in ALLOCATION_METHODS],
            value=self.draft.allocation_method,
            allow_blank=False,
            compact=True,
            id="allocation-method",
        )
        capacity = AmountTable([_("Rep"), _("Capacity")], self._capacity_rows(), id="capacity")
        capacity.display = self.draft.allocation_method == "capacity"
        yield capacity
        yield Checkbox(
            _("Rebalance the rest when I edit a cell"),
            self.model.rebalance,
            compact=True,
            id="rebalance",
        )
        yield AmountTable(
            [_("Rep"), _("Amount"), _("Last Q"), _("Growth")], self._rep_rows(), id="reps"
        )
        yield Static("", id="reps-total", classes="note")
        yield Static("", id="rep-flags", classes="flag", markup=False)

    def _reps(self) -> list[str]:
        return (
            list(self.model.plan().allocation)
            or self.draft.reps
            or (self.model.history.scope_reps if self.model.history else [])
        )

    def _capacity_rows(self) -> list[AmountRow]:
        return [
            AmountRow(rep, self.model.name(rep), str(self.draft.capacity.get(rep, "")))
            for rep in self._reps()
        ]

    def _rep_rows(self) -> list[AmountRow]:
        model = self.model
        if model.history is None or self.draft.target is None:
            return []
        needs = rep_requirements(self.draft, model.history, model.ctx.calendar, model.data.rules)
        return [
            AmountRow(
                need.rep,
                model.name(need.rep),
                model.cell(need.share),
                (model.shown(need.last_quarter), format_growth(need.growth)),
            )
            for need in needs
        ]

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
            _total_line(self.model, plan.allocation, self.draft.target or 0)
        )
        unacknowledged = [
            flag.message
            for flag in self.model.flags()
            if flag.name.startswith(REP_STRETCH)
            and not self.draft.acknowledgements.get(flag.name, "").strip()
        ]
        self.query_one("#rep-flags", Static).update(
            "\n".join(
                [f"⚑ {message}" for message in unacknowledged]
                + ([_("Acknowledge these at step 3 (Achievable).")] if unacknowledged else [])
            )
        )

    @on(Select.Changed, "#allocation-method")
    def _method(self, event: Select.Changed) -> None:
        method = str(event.value)
        if method == self.draft.allocation_method:
            return
        self.model.choose_allocation_method(method, self._reps(), self.model.plan().allocation)
        self.changed()

    @on(Checkbox.Changed, "#rebalance")
    def _rebalance(self, event: Checkbox.Changed) -> None:
        self.model.rebalance = event.value

    def apply_edit(self, event: AmountTable.Edited) -> bool:
        model = self.model
        if event.table.id == "capacity":
            return _apply_cell(
                self, lambda: model.set_weight("capacity", event.key, parse_weight(event.text))
            )
        current = model.plan().allocation
        return _apply_cell(
            self, lambda: model.hand_edit("reps", current, event.key, model.parse(event.text))
        )


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
                (
                    _("Months"),
                    _amounts_grid(
                        split_method_label(draft.split_method),
                        {month: model.shown(amount) for month, amount in plan.split.items()},
                    ),
                ),
                (
                    _("Weeks"),
                    _("{n} weeks", n=len(plan.split_weeks))
                    + (" · " + _("edited by hand") if draft.week_amounts else ""),
                ),
                (
                    _("Reps"),
                    _amounts_grid(
                        allocation_method_label(draft.allocation_method),
                        {
                            model.name(rep): model.shown(amount)
                            for rep, amount in plan.allocation.items()
                        },
                    ),
                ),
            ]
        acknowledged = [
            f"{flag.label}: {draft.acknowledgements.get(flag.name, '')}" for flag in model.flags()
        ]
        rows.append((_("Flags"), "\n".join(acknowledged) or _("none")))
        for title, value in rows:
            table.add_row(title, Text(value) if isinstance(value, str) else value)
        self.query_one("#summary", Static).update(table)
        verdict = self.query_one("#verdict", Static)
        problems = model.problems("review")
        verdict.set_class(bool(problems), "error")
        verdict.update(
            _("Press ctrl+s to save the goal.")
            if not problems
            else _("Fix these first:") + "\n" + "\n".join(f"• {p}" for p in problems)
        )


def _amounts_grid(title: str, amounts: dict[str, str]) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column()
    grid.add_column(justify="right")
    grid.add_row(title, "")
    for name, amount in amounts.items():
        grid.add_row(name, amount)
    return grid


PANELS: dict[str, Callable[[WizardModel], StepPanel]] = {
    "specific": SpecificPanel,
    "measurable": MeasurablePanel,
    "achievable": AchievablePanel,
    "relevant": RelevantPanel,
    "time_bound": TimeBoundPanel,
    "split": SplitPanel,
    "allocate": AllocatePanel,
    "review": ReviewPanel,
}
