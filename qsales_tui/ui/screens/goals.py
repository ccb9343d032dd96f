"""Goals: the quarter's goals with their target, progress so far and pace; open one to see
its split over months and weeks and its allocation to reps; `n` and `e` run the wizard.

The quarter is the session's and follows ``app.quarter_changed``. Pace and its status
are the KPI engine's (``analytics.kpis``), so this list, the team board and the KPI
review agree.

Decisions: goals not in force (superseded by a newer goal for the same quarter, metric
and scope, or cancelled) stay listed, dimmed, with their status in place of a pace
status, so the history of a changed target stays in view; they cannot be edited. Only
managers set goals: for anyone else `n` and `e` are left out of the footer and say so
at once when pressed.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, LoadingIndicator, Static

from qsales_tui.domain.goals import (
    GoalDraft,
    GoalError,
    draft_from_goal,
    flag_label,
    format_target,
    goal_status_label,
    metric_label,
    scope_label,
)
from qsales_tui.i18n import _
from qsales_tui.services.goals import GoalRow, goal_rows
from qsales_tui.ui.bindings import Translated
from qsales_tui.ui.formatting import DASH, number_cell, percent
from qsales_tui.ui.nav import NavEntry
from qsales_tui.ui.screens.goal_wizard import open_wizard


def goal_label(goal: dict[str, Any], names: dict[str, str]) -> str:
    """A goal saved without a statement: its metric and scope."""
    return f"{metric_label(goal['metric'])} · {scope_label(goal['scope'], names)}"


def edit_refusal(goal: dict[str, Any] | None, is_manager: bool) -> str | None:
    """Why the user may not edit ``goal`` (None: any goal) or set a new one; None: they may."""
    if not is_manager:
        return _("only managers may set goals")
    if goal is not None and goal.get("status") == "superseded":
        return _(
            "{id} was superseded by {new}: edit {new} instead",
            id=goal["id"],
            new=goal.get("superseded_by") or "?",
        )
    return None


def status_cell(status: str | None, theme: dict[str, str]) -> Text:
    """The pace status in its theme colour (``theme``: the app's theme variables)."""
    from qsales_tui.analytics.kpis import status_text

    if status is None:
        return Text(DASH)
    return Text(status_text(status), style=theme.get(status.replace("_", "-"), ""))


class GoalsScreen(Translated, Screen):
    AUTO_FOCUS = "#goals"
    DEFAULT_CSS = """
    GoalsScreen #title { height: 1; padding: 0 1; text-style: bold; color: $primary; }
    GoalsScreen #goals { height: 1fr; }
    GoalsScreen #hint { height: auto; padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new_goal", "New goal", id="goals.new"),
        Binding("e", "edit_goal", "Edit goal", id="goals.edit"),
        # reached by a non-manager only: check_action turns the two above off for them
        Binding(
            "n,e", "managers_only", "Only managers set goals", show=False, id="goals.managers_only"
        ),
        Binding("enter", "open_goal", "Open", show=False, id="goals.open"),
    ]
    # the figures first, so 80 columns show them; the statement takes what is left
    COLUMNS = (
        ("id", "ID"),
        ("target", "Target"),
        ("expected", "Expected to date"),
        ("actual", "Actual to date"),
        ("pace", "Pace"),
        ("status", "Status"),
        ("statement", "Goal"),
    )

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[GoalRow] = []
        self.names: dict[str, str] = {}
        self._stale = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="title")
        yield LoadingIndicator()
        yield DataTable(cursor_type="row", zebra_stripes=True, id="goals")
        yield Static("", id="hint", classes="muted", markup=False)
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        manager = self.app.session.is_manager
        if action in ("new_goal", "edit_goal"):
            return manager
        if action == "managers_only":
            return not manager
        return True

    def action_managers_only(self) -> None:
        self.notify(edit_refusal(None, False) or "", severity="warning")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for key, title in self.COLUMNS:
            table.add_column(_(title), key=key)
        self.app.quarter_changed.subscribe(self, lambda _quarter: self.reload())
        self.app.data_changed.subscribe(self, lambda _token: self.reload())
        self.load()

    def reload(self) -> None:
        """Read again now when shown, else when next shown (the wizard's draft saves
        change the data every second or so while the user types)."""
        self._stale = not self.is_current
        if not self._stale:
            self.load()

    def on_screen_resume(self) -> None:
        if self._stale:
            self.reload()

    @property
    def quarter(self) -> str:
        return self.app.session.quarter.name

    @work(thread=True, exclusive=True, exit_on_error=False)
    def load(self) -> None:
        quarter = self.quarter
        rows, names = goal_rows(self.app.session.ctx, quarter)
        self.app.call_from_thread(self._show, quarter, rows, names)

    def _show(self, quarter: str, rows: list[GoalRow], names: dict[str, str]) -> None:
        self.rows, self.names = rows, names
        self.query_one(LoadingIndicator).display = False
        self.query_one("#title", Static).update(
            _("Goals of {quarter}: {n}", quarter=quarter, n=len(rows))
        )
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear()
        currency = self.app.session.currency
        theme = self.app.theme_variables
        for row in rows:
            goal = row.goal
            cells = [
                Text(goal["id"]),
                *(
                    number_cell(format_target(goal["metric"], value, currency))
                    for value in (goal["target"], row.expected, row.actual)
                ),
                number_cell(percent(row.pace)),
                status_cell(row.status, theme),
                Text(goal.get("statement") or goal_label(goal, names)),
            ]
            if not row.in_force:
                cells[-2] = Text(goal_status_label(goal.get("status", "")))
                for cell in cells:
                    cell.stylize("dim")  # $text-muted is "auto 60%": no Rich colour
            table.add_row(*cells, key=goal["id"])
        if rows:
            table.move_cursor(row=min(keep, len(rows) - 1))
        self.query_one("#hint", Static).update(self._hint(quarter, bool(rows)))

    def _hint(self, quarter: str, any_rows: bool) -> str:
        if not self.app.session.is_manager:
            return (
                _("Enter opens a goal; [ and ] change the quarter.")
                if any_rows
                else _("No goals for {quarter} yet.", quarter=quarter)
            )
        return (
            _("Enter opens a goal; n sets a new one; e edits it; [ and ] change the quarter.")
            if any_rows
            else _("No goals for {quarter} yet: press n to set one.", quarter=quarter)
        )

    def selected(self) -> GoalRow | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        return next((row for row in self.rows if row.goal["id"] == key), None)

    def action_new_goal(self) -> None:
        open_wizard(self, GoalDraft(quarter=self.quarter), self._wizard_closed)

    def action_edit_goal(self) -> None:
        row = self.selected()
        if row is not None:
            self.edit(row.goal)

    def edit(self, goal: dict[str, Any]) -> None:
        refusal = edit_refusal(goal, self.app.session.is_manager)
        if refusal:
            self.notify(refusal, severity="warning")
            return
        try:
            draft = draft_from_goal(goal)
        except GoalError as exc:  # values the wizard does not know, named by field
            self.notify(
                "\n".join(exc.problems),
                title=_("Cannot edit {id}", id=goal["id"]),
                severity="error",
            )
            return
        open_wizard(self, draft, self._wizard_closed)

    def _wizard_closed(self, goal_id: str | None) -> None:
        if goal_id:
            self.load()

    @on(DataTable.RowSelected, "#goals")
    def _row_selected(self) -> None:
        self.action_open_goal()

    def action_open_goal(self) -> None:
        row = self.selected()
        if row is None:
            return

        def closed(choice: str | None) -> None:
            if choice == "edit":
                self.edit(row.goal)

        self.app.push_screen(GoalDetailScreen(row, self.names), closed)


class GoalDetailScreen(Translated, Screen[str | None]):
    """One goal: what it says, its progress, its months, weeks and reps; `e` edits it."""

    DEFAULT_CSS = """
    GoalDetailScreen #summary { height: auto; padding: 0 1; }
    GoalDetailScreen DataTable { height: auto; margin: 0 1; }
    GoalDetailScreen .section-title { padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Back", id="goal.back"),
        Binding("e", "dismiss('edit')", "Edit goal", id="goal.edit"),
        # reached only when the goal may not be edited: says why
        Binding(
            "e", "cannot_edit", "Why this goal cannot be edited", show=False, id="goal.cannot_edit"
        ),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        refused = edit_refusal(self.row.goal, self.app.session.is_manager) is not None
        if action == "dismiss" and parameters == ("edit",):
            return not refused
        if action == "cannot_edit":
            return refused
        return True

    def action_cannot_edit(self) -> None:
        refusal = edit_refusal(self.row.goal, self.app.session.is_manager)
        self.notify(refusal or "", severity="warning")

    def __init__(self, row: GoalRow, names: dict[str, str]) -> None:
        super().__init__()
        self.row = row
        self.names = names

    def compose(self) -> ComposeResult:
        goal = self.row.goal
        yield Header()
        with VerticalScroll():
            yield Static(self._summary(), id="summary")
            if goal.get("split"):
                yield Static(_("Months"), classes="section-title")
                yield DataTable(cursor_type="row", id="months")
            if self.row.weeks:
                yield Static(_("Weeks"), classes="section-title")
                yield DataTable(cursor_type="row", id="weeks")
            if goal.get("allocation"):
                yield Static(_("Reps"), classes="section-title")
                yield DataTable(cursor_type="row", id="reps")
        yield Footer()

    def _amount(self, value: int | None) -> Text:
        return number_cell(format_target(self.row.goal["metric"], value, self.app.session.currency))

    def _summary(self) -> Text:
        """What the goal says and where it stands (user text shown as typed, no markup)."""
        goal, row = self.row.goal, self.row
        lines = [
            Text.assemble((goal["id"], "bold"), "  ", goal.get("statement", "")),
            Text(
                _(
                    "{metric} · {scope} · {quarter}",
                    metric=metric_label(goal["metric"]),
                    scope=scope_label(goal["scope"], self.names),
                    quarter=goal["quarter"],
                )
            ),
            Text(
                _(
                    "Target {target} · expected to date {expected} · actual to date {actual}",
                    target=self._amount(goal["target"]),
                    expected=self._amount(row.expected),
                    actual=self._amount(row.actual),
                )
            ),
            Text(_("Pace {pace}", pace=percent(row.pace)) + " · ").append_text(
                status_cell(row.status, self.app.theme_variables)
            ),
            Text(_("Objective: {objective}", objective=goal.get("relevance") or DASH)),
        ]
        if goal.get("relevance_note"):
            lines.append(Text(_("Why: {why}", why=goal["relevance_note"])))
        if not row.in_force:
            status = _("Status: {status}", status=goal_status_label(goal.get("status", "")))
            if goal.get("superseded_by"):
                status += " · " + _("superseded by {id}", id=goal["superseded_by"])
            lines.insert(1, Text(status, style="bold"))
        if goal.get("replaces"):
            lines.append(Text(_("Replaces {goals}", goals=", ".join(goal["replaces"]))))
        for acknowledgement in goal.get("acknowledgements") or []:
            label = flag_label(acknowledgement["flag"], self.names)
            lines.append(Text(f"⚑ {label}: {acknowledgement['reason']}"))
        return Text("\n").join(lines)

    def on_mount(self) -> None:
        goal = self.row.goal
        target = goal["target"] or 0
        for table in self.query(DataTable):
            table.can_focus = False  # the page scrolls as one, so the reps are in reach

        def share(amount: int) -> str:
            return percent(amount / target if target else None, 1)

        if goal.get("split"):
            table = self.query_one("#months", DataTable)
            for key, title in (
                ("month", "Month"),
                ("amount", "Amount"),
                ("share", "Share"),
                ("cumulative", "Cumulative"),
            ):
                table.add_column(_(title), key=key)
            running = 0
            for month, amount in goal["split"].items():
                running += amount
                table.add_row(
                    month, self._amount(amount), share(amount), self._amount(running), key=month
                )
        if self.row.weeks:
            table = self.query_one("#weeks", DataTable)
            for key, title in (("week", "Week"), ("amount", "Amount"), ("share", "Share")):
                table.add_column(_(title), key=key)
            for week, amount in self.row.weeks.items():
                table.add_row(week, self._amount(amount), share(amount), key=week)
        if goal.get("allocation"):
            table = self.query_one("#reps", DataTable)
            for key, title in (
                ("rep", "Rep"),
                ("share", "Target"),
                ("actual", "Actual to date"),
                ("attainment", "Attainment"),
            ):
                table.add_column(_(title), key=key)
            for rep, amount in goal["allocation"].items():
                actual, _share = self.row.per_rep.get(rep, (0, amount))
                table.add_row(
                    Text(self.names.get(rep, rep)),
                    self._amount(amount),
                    self._amount(actual),
                    percent(actual / amount if amount else None),
                    key=rep,
                )


NAV = NavEntry(
    mode="goals",
    key="2",
    label="Goals",
    order=20,
    screen=GoalsScreen,
    help="The quarter's goals and their progress; set or edit one with the wizard",
)
