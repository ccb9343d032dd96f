"""Team board: everyone's progress against their share of the goal, grouped by team.

Each rep's attainment bar fills to their sales ÷ target, coloured by pace status, with
a tick where they should be by now (the goal's split to date). Team rows carry the
totals and the manager's grade and payout (a manager is paid on the team's figures);
Enter on one opens the manager. Sales by people in no team (a director's) sit in an
"Others" row, so the rows and the summary add up to the company's revenue as in the KPI
review. Everyone sees the board; payouts follow
``teamboard.payout_visible`` (a rep sees only their own). The latest team notes sit
under the table.
"""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, LoadingIndicator, Static

from qsales_tui.i18n import _
from qsales_tui.services.team_notes import NoteView, list_notes
from qsales_tui.services.teamboard import (
    OTHERS,
    Board,
    RepRow,
    TeamBlock,
    TeamData,
    sort_rows,
    team_board,
)
from qsales_tui.ui.bindings import Translated
from qsales_tui.ui.formatting import DASH, money, percent
from qsales_tui.ui.nav import NavEntry

BAR_CELLS = 8
EIGHTHS = " ▏▎▍▌▋▊▉█"
LATEST_NOTES = 3

# key (a teamboard.SORT_KEYS entry) → column title
COLUMNS = (
    ("rank", "#"),
    ("name", "Rep"),
    ("target_minor", "Target"),
    ("actual_minor", "Actual"),
    ("attainment", "Attainment"),
    ("pace", "Pace"),
    ("forecast_minor", "Pipeline fcst"),
    ("grade", "Grade"),
    ("payout_minor", "Payout"),
)
TEAM_KEY = "team:"
NARROW = 100  # below this many cells the forecast column gives way (the rep detail has it)
NAME_CELLS = 14


def bar(fraction: float | None, expected: float | None = None, cells: int = BAR_CELLS) -> str:
    """``fraction`` of ``cells`` filled in eighths (capped at full); ``┊`` marks the
    ``expected`` fraction when it lies in the unfilled part."""
    if fraction is None:
        return "·" * cells
    eighths = max(0, min(cells * 8, round(fraction * cells * 8)))
    whole, part = divmod(eighths, 8)
    text = "█" * whole + (EIGHTHS[part] if part else "")
    text += "░" * (cells - len(text))
    if expected is not None:
        mark = min(cells - 1, int(expected * cells))
        if mark >= len(text.rstrip("░")):
            text = text[:mark] + "┊" + text[mark + 1 :]
    return text


def _right(text: str, style: str = "") -> Text:
    return Text(text, style=style, justify="right")


def _fit(text: str, cells: int = NAME_CELLS) -> str:
    """``text`` cut to ``cells`` terminal cells, with an ellipsis when cut."""
    return text if cell_len(text) <= cells else set_cell_size(text, cells - 1) + "…"


class TeamBoardScreen(Translated, Screen):
    AUTO_FOCUS = "#board"
    DEFAULT_CSS = """
    TeamBoardScreen #summary { height: 1; padding: 0 1; }
    TeamBoardScreen #board { height: 1fr; }
    TeamBoardScreen #notes { height: auto; max-height: 5; padding: 0 1;
        border-top: solid $primary-darken-2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "sort", "Sort by column", id="board.sort"),
        Binding("g", "toggle_groups", "Group by team", id="board.group"),
        Binding("n", "notes", "Team notes", id="board.notes"),
        Binding("enter", "open", "Open rep", show=False, id="board.open"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.board: Board | None = None
        self.data: TeamData | None = None
        self.sort_key = "rank"
        self.sort_reverse = False
        self.grouped = True
        self.columns: tuple[tuple[str, str], ...] = ()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="summary")
        yield LoadingIndicator()
        yield DataTable(cursor_type="row", zebra_stripes=True, id="board")
        yield Static("", id="notes")
        yield Footer()

    def on_mount(self) -> None:
        self._set_columns(self.app.size.width)
        self.app.data_changed.subscribe(self, lambda _token: self.load(reload=True))
        self.app.quarter_changed.subscribe(self, lambda _quarter: self.load())
        self.app.rules_reloaded.subscribe(self, lambda _rules: self.load())
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.refill())
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def load(self, reload: bool = False) -> None:
        """The board from the loaded data; the data is read again only when it changed
        on disk (a new quarter or new rules reuse it)."""
        session = self.app.session
        data = self.data
        if data is None or reload:
            data = TeamData.load(session.store, session.today)
        board = team_board(data, session.quarter, session.rules, session.rep)
        notes = list_notes(session.store, LATEST_NOTES)
        self.app.call_from_thread(self._show, data, board, notes)

    def on_screen_resume(self) -> None:
        """Back from the notes screen: show a note just posted without waiting for the poll."""
        if self.board is not None:
            self.load_notes()

    @work(thread=True, exclusive=True, exit_on_error=False, group="notes")
    def load_notes(self) -> None:
        notes = list_notes(self.app.session.store, LATEST_NOTES)
        self.app.call_from_thread(self._show_notes, notes)

    def _show_notes(self, notes: list[NoteView]) -> None:
        self.query_one("#notes", Static).update(self._notes_text(notes))

    def _show(self, data: TeamData, board: Board, notes: list[NoteView]) -> None:
        self.data, self.board = data, board
        self.query_one(LoadingIndicator).display = False
        currency = board.currency
        target = sum(team.target_minor or 0 for team in board.teams)
        actual = board.actual_minor
        self.query_one("#summary", Static).update(
            _(
                "{quarter} as of {day}: {actual} of {target} ({attainment}), {reps} reps",
                quarter=board.quarter,
                day=board.as_of.isoformat(),
                actual=money(actual, currency, compact=True),
                target=money(target or None, currency, compact=True),
                attainment=percent(actual / target if target else None),
                reps=len(board.reps),
            )
        )
        self._show_notes(notes)
        self.refill()

    def _notes_text(self, notes: list[NoteView]) -> Text:
        if not notes:
            return Text(_("No team notes yet. Press n to post one."), style="dim")
        text = Text()
        for index, note in enumerate(notes):
            if index:
                text.append("\n")
            text.append(f"{note.at[5:16].replace('T', ' ')} ", style="dim")
            text.append(f"{note.author_name}: ", style="bold")
            text.append(" ".join(note.text.split()))
        return text

    # -- the table -----------------------------------------------------------------------

    def on_resize(self, event) -> None:
        if self._set_columns(event.size.width):
            self.refill()

    def _set_columns(self, width: int) -> bool:
        """Columns for this width; True when they changed."""
        wanted = tuple(c for c in COLUMNS if width >= NARROW or c[0] != "forecast_minor")
        if wanted == self.columns:
            return False
        self.columns = wanted
        table = self.query_one(DataTable)
        table.clear(columns=True)
        for key, title in wanted:
            table.add_column(_(title), key=key)
        return True

    def refill(self) -> None:
        if self.board is None:
            return
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear()
        if self.grouped:
            for team in self.board.teams:
                table.add_row(*self._shown(self._team_cells(team)), key=f"{TEAM_KEY}{team.team_id}")
                for row in sort_rows(team.reps, self.sort_key, self.sort_reverse):
                    table.add_row(*self._shown(self._rep_cells(row)), key=row.rep_id)
            if self.board.others is not None:
                others = self.board.others
                table.add_row(*self._shown(self._team_cells(others)), key=f"{TEAM_KEY}{OTHERS}")
        else:
            for row in sort_rows(self.board.reps, self.sort_key, self.sort_reverse):
                table.add_row(*self._shown(self._rep_cells(row)), key=row.rep_id)
        if table.row_count:
            table.move_cursor(row=min(keep, table.row_count - 1))

    def _shown(self, cells: dict[str, object]) -> list[object]:
        return [cells[key] for key, _title in self.columns]

    def _colour(self, status: str | None) -> str:
        variables = self.app.get_css_variables()
        name = (status or "").replace("_", "-")
        return variables.get(name, variables.get("text-muted", ""))

    def _progress(
        self, attainment: float | None, expected: int | None, target: int | None, status: str | None
    ) -> Text:
        share = expected / target if expected is not None and target else None
        colour = self._colour(status)
        return Text.assemble((bar(attainment, share), colour), f" {percent(attainment):>4}")

    def _rep_cells(self, row: RepRow) -> dict[str, object]:
        currency = self.board.currency if self.board else "CNY"
        name = row.name if row.active else f"{row.name} ({_('left')})"
        payout = (
            _right(money(row.payout_minor, currency, compact=True))
            if row.statement
            else _right(DASH, "dim")
        )
        return dict(
            zip(
                (key for key, _title in COLUMNS),
                (
                    _right(DASH if row.rank is None else str(row.rank)),
                    _fit(name),
                    _right(money(row.target_minor, currency, compact=True)),
                    _right(money(row.actual_minor, currency, compact=True)),
                    self._progress(
                        row.attainment, row.expected_minor, row.target_minor, row.status
                    ),
                    _right(percent(row.pace), self._colour(row.status)),
                    _right(money(row.forecast_minor, currency, compact=True)),
                    row.grade,
                    payout,
                ),
                strict=True,
            )
        )

    def _team_cells(self, team: TeamBlock) -> dict[str, object]:
        """Team totals; the grade and payout are the manager's, paid on these figures."""
        currency = self.board.currency if self.board else "CNY"
        manager = team.manager
        cells = {
            "rank": _right(""),
            "name": Text(_fit(f"▸ {team.name}")),
            "target_minor": _right(money(team.target_minor, currency, compact=True)),
            "actual_minor": _right(money(team.actual_minor, currency, compact=True)),
            "attainment": self._progress(
                team.attainment, team.expected_minor, team.target_minor, team.status
            ),
            "pace": _right(percent(team.pace), self._colour(team.status)),
            "forecast_minor": _right(money(team.forecast_minor, currency, compact=True)),
            "grade": Text(manager.grade if manager else ""),
            "payout_minor": _right(
                ""
                if manager is None
                else money(manager.payout_minor, currency, compact=True)
                if manager.statement
                else DASH
            ),
        }
        for cell in cells.values():
            cell.stylize("bold")
        return cells

    # -- actions -------------------------------------------------------------------------

    def action_sort(self) -> None:
        table = self.query_one(DataTable)
        key, title = self.columns[table.cursor_column]
        self.sort_reverse = not self.sort_reverse if key == self.sort_key else False
        self.sort_key = key
        direction = _("descending") if self.sort_reverse else _("ascending")
        self.notify(
            _("Sorted by {column}, {direction}", column=_(title), direction=direction), timeout=2
        )
        self.refill()

    @on(DataTable.HeaderSelected)
    def _header_clicked(self, event: DataTable.HeaderSelected) -> None:
        self.query_one(DataTable).move_cursor(column=event.column_index)
        self.action_sort()

    def action_toggle_groups(self) -> None:
        self.grouped = not self.grouped
        self.refill()

    def action_notes(self) -> None:
        from qsales_tui.ui.screens.team_notes import TeamNotesScreen

        self.app.push_screen(TeamNotesScreen())

    @on(DataTable.RowSelected, "#board")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        self.open_rep(str(event.row_key.value))

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            self.open_rep(str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value))

    def open_rep(self, key: str) -> None:
        """A rep row opens the rep; a team row its manager."""
        if key.startswith(TEAM_KEY):
            teams = self.board.teams if self.board else ()
            team = next((t for t in teams if f"{TEAM_KEY}{t.team_id}" == key), None)
            if team is None or team.manager is None:
                return
            key = team.manager.rep_id
        from qsales_tui.ui.screens.rep_detail import RepDetailScreen

        self.app.push_screen(RepDetailScreen(key, self.data))


NAV = NavEntry(
    mode="board",
    key="3",
    label="Team board",
    order=30,
    screen=TeamBoardScreen,
    help="Everyone's progress, rank, grade and payout so far",
)
