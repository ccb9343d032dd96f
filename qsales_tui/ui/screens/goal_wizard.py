"""The goal wizard: the SMART steps, a split over months and weeks, an allocation to reps.

The :class:`~qsales_tui.domain.goals.GoalDraft` is the one source of truth: each step's
panel is built from it when the step is shown and writes every edit back into it, so
nothing is lost on going back. The history the checks need is read in a worker when
the metric, scope or product changes; everything else (baselines, flags, splits,
allocation) is computed from it by the domain in a few milliseconds.

This module holds the screen and the resume offer; the step panels are in
:mod:`~qsales_tui.ui.screens.goal_steps`, what they read and edit in
:mod:`~qsales_tui.ui.screens.goal_wizard_model`, and what an edit does to the draft in
:mod:`qsales_tui.domain.goal_editing`.

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
- A goal already in force for the quarter, metric and scope is a flag (``replaces``) at
  step 3 like the others. One saved by someone else while the wizard is open is found
  when saving: the save is refused and the history read again, so the flag shows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.widgets import Button, Footer, Header, LoadingIndicator, Static

from qsales_tui.domain.goals import (
    STEPS,
    GoalDraft,
    GoalError,
    GoalHistory,
    draft_statement,
    step_title,
)
from qsales_tui.errors import QsalesError
from qsales_tui.i18n import _
from qsales_tui.ui.bindings import Translated
from qsales_tui.ui.screens.goal_steps import (
    PANELS,
    AchievablePanel,
    AllocatePanel,
    SplitPanel,
    StepPanel,
)
from qsales_tui.ui.screens.goal_wizard_model import WizardData, WizardModel, read_wizard_data
from qsales_tui.ui.widgets.step_list import StepList

DRAFT_SAVE_DELAY = 1.0  # seconds after the last edit


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
        title = (
            _("Edit goal {id} for {quarter}", id=self.draft.goal_id, quarter=self.draft.quarter)
            if self.draft.goal_id
            else _("New goal for {quarter}", quarter=self.draft.quarter)
        )
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
        self.model = WizardModel(self.draft, ctx=self.app.session.ctx, data=data)
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
        current = (
            self.draft.quarter,
            self.draft.metric,
            self.draft.scope,
            self.draft.units_product,
        )
        if self.model is None or current != (
            draft.quarter,
            draft.metric,
            draft.scope,
            draft.units_product,
        ):
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
            self.app.call_from_thread(
                self.notify, _("The draft is not kept: {problem}", problem=exc), severity="warning"
            )

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
            self.app.call_from_thread(self._refused, exc.problems, bool(exc.flags))
        except QsalesError as exc:
            self.app.call_from_thread(self._refused, [str(exc)])
        else:
            self.app.call_from_thread(self._saved, saved)

    def _refused(self, problems: list[str], new_flags: bool = False) -> None:
        """``new_flags``: the save found flags the wizard did not show (a goal for the
        slot saved meanwhile by someone else): the history is read again to show them."""
        if new_flags:
            self._history_key = None
            self._reload_history()
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
    what = _("editing {id}", id=draft.goal_id) if draft.goal_id else _("a new goal")
    return _(
        "{what}, at step {n} ({step}):\n{statement}",
        what=what,
        n=draft.step + 1,
        step=step_title(STEPS[draft.step]),
        statement=draft.statement.strip() or draft_statement(draft, names, currency),
    )


def open_wizard(
    screen: Screen, fresh: GoalDraft, on_saved: Callable[[str | None], None] | None = None
) -> None:
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
        app.notify(
            _("The saved draft cannot be read, so it is set aside: {problem}", problem=exc),
            severity="warning",
        )
        push(fresh)
        return

    def chosen(choice: str | None) -> None:
        if choice == "resume":
            push(kept)
        elif choice == "new":
            push(fresh)

    app.push_screen(ResumeDraftScreen(draft_summary(kept, names(ctx), ctx.currency)), chosen)
