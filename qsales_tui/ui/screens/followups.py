"""The follow-up queue: what to do today, best first, with the reasons for the order.

The records behind the queue are read once into a ``QueueSnapshot`` in a worker and kept
while the store's change token stays the same; filters and each search keystroke rebuild
the queue from it. Every action runs through ``services.followups``, shows its result
at once, and can be undone once with ctrl+z.

Decisions where the brief is silent:

* The queue shows what is due up to the end of this week (overdue, today, this week
  and customers due by cadence); ``o`` narrows it to overdue items.
* A rep sees only their own queue. A manager starts on their team's queue, a director
  (or a user mapped to no rep, who may only browse) on everyone's; managers cycle
  mine / team / all with ``m``.
* Rows come in two groups, each ordered by score: what is due now (overdue, today,
  due by cadence), then the rest of the week, so a snoozed item leaves the top. The
  "When" column marks each row's bucket.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Header, Input, LoadingIndicator, Static

from qsales_tui.domain.followups import QueueFilter, QueueItem
from qsales_tui.domain.models import SEGMENTS
from qsales_tui.errors import QsalesError
from qsales_tui.i18n import _
from qsales_tui.services.customers import next_open_followups
from qsales_tui.services.followups import (
    ActionResult,
    QueueSnapshot,
    default_scope,
    scope_rep_ids,
)
from qsales_tui.services.identity import require_manager
from qsales_tui.services.undo import UndoHistory
from qsales_tui.ui.bindings import Translated
from qsales_tui.ui.formatting import DASH, label
from qsales_tui.ui.nav import NavEntry
from qsales_tui.ui.screens.base import SearchScreen, undo_last
from qsales_tui.ui.screens.followup_forms import (
    AddFollowupForm,
    DoneForm,
    LogInteractionForm,
    ReassignForm,
    RescheduleForm,
    Target,
)
from qsales_tui.ui.widgets.score_parts import ScoreParts

SEGMENT_FILTERS = (None, *SEGMENTS)  # g cycles through these: all, then each segment
SCOPE_LABELS = {"mine": "mine", "team": "my team", "all": "everyone"}
BUCKET_LABELS = {"overdue": "overdue", "today": "today", "week": "this week", "later": "later"}
NAME_CELLS = 26
_NOT_LOADED = object()


@dataclass(frozen=True)
class QueueView:
    """One built queue and what the panel needs to explain its rows."""

    request: int  # which refresh asked for it; older answers are dropped
    snapshot: QueueSnapshot
    next_open: Mapping[str, Mapping[str, Any]]  # customer → its soonest open follow-up
    items: list[QueueItem]


class FollowupsScreen(Translated, SearchScreen):
    AUTO_FOCUS = "#queue"
    DEFAULT_CSS = """
    FollowupsScreen #search { border: none; height: 1; padding: 0 1; }
    FollowupsScreen #filters { height: 1; padding: 0 1; color: $text-muted; }
    FollowupsScreen #queue { height: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("l", "log", "Log contact", id="followups.log"),
        Binding("d", "done", "Done", id="followups.done"),
        Binding("s", "snooze", "Snooze", id="followups.snooze"),
        Binding("a", "add", "Add", id="followups.add"),
        Binding("r", "reassign", "Reassign", show=False, id="followups.reassign"),
        Binding("ctrl+z", "undo", "Undo", id="followups.undo"),
        Binding("slash", "focus_search", "Search", id="followups.search"),
        Binding("enter", "open", "Open customer", show=False, id="followups.open"),
        Binding("m", "scope", "Mine/team/all", show=False, id="followups.scope"),
        Binding("g", "segment", "Segment filter", show=False, id="followups.segment"),
        Binding("o", "overdue", "Overdue only", show=False, id="followups.overdue"),
        Binding("p", "toggle_parts", "Score panel", show=False, id="followups.parts"),
        Binding("escape", "clear_search", "Clear search", show=False, id="followups.clear"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.view: QueueView | None = None
        self.undo = UndoHistory()
        self.scope = "mine"
        self.segment: str | None = None
        self.overdue_only = False
        self._request = 0
        self._viewer_id: object = _NOT_LOADED  # whose defaults the filters hold
        self._acted_on_row = False  # after an action the cursor stays put: on the next item

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder=_("/ search customers (name, pinyin initials)…"), id="search")
        yield Static("", id="filters")
        yield LoadingIndicator()
        yield DataTable(cursor_type="row", zebra_stripes=True, id="queue")
        yield ScoreParts("", id="parts")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for key, title in (
            ("score", "Score"),
            ("bucket", "When"),
            ("due", "Due"),
            ("customer", "Customer"),
            ("segment", "Segment"),
            ("rep", "Rep"),
            ("item", "Follow-up"),
        ):
            table.add_column(_(title), key=key, width=NAME_CELLS if key == "customer" else None)
        self.app.data_changed.subscribe(self, lambda _token: self.refresh_queue())
        self.app.rules_reloaded.subscribe(self, lambda _name: self.refresh_queue())
        self.refresh_queue()

    # -- loading ------------------------------------------------------------------------

    @property
    def session(self) -> Any:
        return self.app.session

    def _where(self) -> QueueFilter:
        rep = self.session.rep
        if (rep or {}).get("id") != self._viewer_id:  # first load, or the demo switched user
            self._viewer_id = (rep or {}).get("id")
            self.scope = default_scope(rep)
            self.undo = UndoHistory()  # one user never undoes another's action
        return QueueFilter(
            rep_ids=scope_rep_ids(self.session.store, rep, self.scope),
            segment=self.segment,
            horizon="overdue" if self.overdue_only else "week",
            search=self.query_one("#search", Input).value,
        )

    def refresh_queue(self) -> None:
        """Rebuild the queue for the current filters (re-reading the data if it changed)."""
        self._request += 1
        self._build(self._request, self._where(), self.view)

    @work(thread=True, exclusive=True, exit_on_error=False, group="queue")
    def _build(self, request: int, where: QueueFilter, previous: QueueView | None) -> None:
        session = self.session
        store = session.store
        try:
            if previous is not None and previous.snapshot.token == store.change_token():
                snapshot, next_open = previous.snapshot, previous.next_open
            else:
                snapshot = QueueSnapshot.load(store, session.today, session.calendar)
                next_open = next_open_followups(snapshot.followups)
        except QsalesError as exc:  # a damaged or unreadable data file: say which
            self.app.call_from_thread(self.notify, str(exc), severity="error", timeout=15)
            return
        items = snapshot.queue(
            where, cadences=session.rules.cadences.as_dict(), currency=session.currency
        )
        items.sort(key=lambda item: item.due > session.today)  # stable: score order within
        self.app.call_from_thread(self._show, QueueView(request, snapshot, next_open, items))
        if previous is None:  # warm the pinyin keys so the first search is quick
            from qsales_tui.domain.search import name_keys

            for customer in snapshot.customers:
                name_keys(customer["name"])

    def _show(self, view: QueueView) -> None:
        if view.request != self._request:
            if self.view is None or view.snapshot.token != self.view.snapshot.token:
                self.view = view  # keep the newer data for the build still running
            return
        table = self.query_one(DataTable)
        selected, row = self._selected(), table.cursor_row
        self.view = view
        self.query_one(LoadingIndicator).display = False
        table.clear()
        names = {rep["id"]: rep["name"] for rep in self.session.store.all("reps")}
        today = self.session.today
        overdue = self.app.get_css_variables().get("overdue", "red")
        for item in view.items:
            bucket = item.bucket(today)
            table.add_row(
                Text(str(item.score), justify="right"),
                Text(_(BUCKET_LABELS[bucket]), style=overdue if bucket == "overdue" else ""),
                item.due.isoformat(),
                item.customer_name,
                label(item.segment),
                names.get(item.rep_id or "", item.rep_id or DASH),
                item.followup_id or _("cadence"),
                key=_row_key(item),
            )
        if view.items:
            keys = [_row_key(item) for item in view.items]
            if selected is not None and not self._acted_on_row and _row_key(selected) in keys:
                row = keys.index(_row_key(selected))
            table.move_cursor(row=min(row, len(keys) - 1))
        self._acted_on_row = False
        self._show_filters()
        self._show_parts()

    def _show_filters(self) -> None:
        view = self.view
        count = len(view.items) if view else 0
        overdue = (
            sum(1 for i in view.items if i.bucket(self.session.today) == "overdue") if view else 0
        )
        parts = [
            _("Scope: {scope}", scope=_(SCOPE_LABELS[self.scope])),
            _("Segment: {segment}", segment=label(self.segment) if self.segment else _("all")),
            _("overdue only") if self.overdue_only else _("due this week"),
            _("{count} items, {overdue} overdue", count=count, overdue=overdue),
        ]
        self.query_one("#filters", Static).update(" · ".join(parts))

    def _selected(self) -> QueueItem | None:
        table = self.query_one(DataTable)
        if self.view is None or not table.row_count or not self.view.items:
            return None
        return self.view.items[min(table.cursor_row, len(self.view.items) - 1)]

    def _show_parts(self) -> None:
        item = self._selected()
        view = self.view
        stats = view.snapshot.stats.get(item.customer_id) if item and view else None
        next_open = view.next_open.get(item.customer_id) if item and view else None
        self.query_one(ScoreParts).show(item, stats, next_open, self.session.today)

    @on(DataTable.RowHighlighted, "#queue")
    def _highlighted(self) -> None:
        self._show_parts()

    # -- filters ------------------------------------------------------------------------

    def search_changed(self) -> None:
        self.refresh_queue()

    def action_scope(self) -> None:
        if not self.session.is_manager:
            self.notify(_("only managers see other reps' follow-ups"), severity="warning")
            return
        scopes = list(SCOPE_LABELS)
        self.scope = scopes[(scopes.index(self.scope) + 1) % len(scopes)]
        self.refresh_queue()

    def action_segment(self) -> None:
        self.segment = SEGMENT_FILTERS[
            (SEGMENT_FILTERS.index(self.segment) + 1) % len(SEGMENT_FILTERS)
        ]
        self.refresh_queue()

    def action_overdue(self) -> None:
        self.overdue_only = not self.overdue_only
        self.refresh_queue()

    def action_toggle_parts(self) -> None:
        parts = self.query_one(ScoreParts)
        parts.display = not parts.display

    # -- actions ------------------------------------------------------------------------

    def _target(self) -> tuple[QueueItem, Target] | None:
        item = self._selected()
        if item is None:
            self.notify(_("Nothing selected."), severity="warning")
            return None
        return item, Target(
            item.customer_id, item.customer_name, item.followup_id, item.version, item.rep_id
        )

    def _acted(self, result: ActionResult | None) -> None:
        if result is None:
            return
        self.undo.remember(result.undo)
        self.notify(result.message + " " + _("(ctrl+z undoes)"), timeout=6)
        self._acted_on_row = True
        self.refresh_queue()

    def _without_followup(self, item: QueueItem) -> bool:
        if item.followup_id is None:
            self.notify(
                _(
                    "{customer} is due by cadence and has no follow-up yet: log a "
                    "contact (l) or snooze it (s).",
                    customer=item.customer_name,
                ),
                severity="warning",
            )
            return True
        return False

    def action_log(self) -> None:
        if picked := self._target():
            self.app.push_screen(LogInteractionForm(picked[1]), self._acted)

    def action_done(self) -> None:
        if (picked := self._target()) and not self._without_followup(picked[0]):
            self.app.push_screen(DoneForm(picked[1]), self._acted)

    def action_snooze(self) -> None:
        if picked := self._target():
            self.app.push_screen(RescheduleForm(picked[1], self.session.today), self._acted)

    def action_add(self) -> None:
        if picked := self._target():
            self.app.push_screen(AddFollowupForm(picked[1]), self._acted)

    def action_reassign(self) -> None:
        try:
            require_manager(self.session.rep, _("reassign follow-ups"))
        except QsalesError as exc:
            self.notify(str(exc), severity="warning")
            return
        if (picked := self._target()) and not self._without_followup(picked[0]):
            self.app.push_screen(ReassignForm(picked[1]), self._acted)

    def action_undo(self) -> None:
        if undo_last(self, self.undo, self.session.store):
            self.refresh_queue()

    def action_open(self) -> None:
        item = self._selected()
        if item is None:
            return
        from qsales_tui.ui.screens.customer_detail import CustomerDetailScreen

        self.app.push_screen(
            CustomerDetailScreen(item.customer_id, undo=self.undo),
            lambda _result: self.refresh_queue(),
        )

    @on(DataTable.RowSelected, "#queue")
    def _row_selected(self) -> None:
        self.action_open()


def _row_key(item: QueueItem) -> str:
    return item.followup_id or f"cadence:{item.customer_id}"


NAV = NavEntry(
    mode="followups",
    key="1",
    label="Follow-ups",
    order=10,
    screen=FollowupsScreen,
    help="Your follow-up queue: what to do today, best first",
)
