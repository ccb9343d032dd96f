"""Team notes (post and read, newest first) and the training log with its entry form."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Header, Input, Label, Select, Static

from qsales_tui.domain.models import RecordError
from qsales_tui.errors import QsalesError
from qsales_tui.i18n import _
from qsales_tui.services.identity import is_manager
from qsales_tui.services.team_notes import (
    FieldProblem,
    NoteView,
    list_notes,
    list_trainings,
    post_note,
    record_training,
)
from qsales_tui.ui.bindings import Translated
from qsales_tui.ui.formatting import DASH
from qsales_tui.ui.screens.base import FormScreen

NOTE_COLUMNS = ("When", "Author", "Note")
TRAINING_COLUMNS = ("Date", "Rep", "Course", "Hours", "Skill")
FIELD_LABELS = {
    "text": "Note",
    "rep_id": "Rep",
    "date": "Date",
    "course": "Course",
    "hours": "Hours",
    "skill": "Skill",
}


class TeamNotesScreen(Translated, Screen):
    AUTO_FOCUS = "#note-text"
    DEFAULT_CSS = """
    TeamNotesScreen #note-error { color: $error; height: auto; padding: 0 1; }
    TeamNotesScreen #notes { height: 1fr; }
    TeamNotesScreen #trainings { height: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", id="notes.back"),
        Binding("ctrl+n", "focus_note", "Write a note", id="notes.write"),
        Binding("ctrl+r", "add_training", "Add training", id="notes.training"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(
            placeholder=_("Write a note for the team, Enter to post"),
            id="note-text",
            max_length=500,
        )
        yield Static("", id="note-error")
        yield Static(_("Team notes"), classes="section-title")
        yield DataTable(id="notes", cursor_type="row", zebra_stripes=True)
        yield Static(_("Training log"), classes="section-title")
        yield DataTable(id="trainings", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        for table_id, columns in (("notes", NOTE_COLUMNS), ("trainings", TRAINING_COLUMNS)):
            table = self.query_one(f"#{table_id}", DataTable)
            for column in columns:
                table.add_column(_(column), key=column)
        self.app.data_changed.subscribe(self, lambda _token: self.load())
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def load(self) -> None:
        store = self.app.session.store
        notes = list_notes(store)
        trainings = list_trainings(store)
        names = {rep["id"]: rep["name"] for rep in store.all("reps")}
        self.app.call_from_thread(self._show, notes, trainings, names)

    def _show(self, notes: list[NoteView], trainings: list[dict], names: dict[str, str]) -> None:
        table = self.query_one("#notes", DataTable)
        table.clear()
        for note in notes:
            table.add_row(
                note.at[:16].replace("T", " "),
                note.author_name,
                " ".join(note.text.split()),
                key=note.id,
            )
        table = self.query_one("#trainings", DataTable)
        table.clear()
        for training in trainings:
            table.add_row(
                training["date"],
                names.get(training["rep_id"], training["rep_id"]),
                training["course"],
                f"{training['hours']:g}",
                training.get("skill") or DASH,
                key=training["id"],
            )

    @on(Input.Submitted, "#note-text")
    def _post(self, event: Input.Submitted) -> None:
        session = self.app.session
        error = self.query_one("#note-error", Static)
        try:
            post_note(session.store, session.ctx.os_user, event.value, session.today)
        except FieldProblem as exc:
            error.update(f"{_(FIELD_LABELS[exc.field])}: {exc}")
            return
        except QsalesError as exc:
            error.update(str(exc))
            return
        error.update("")
        event.input.value = ""
        self.notify(_("Note posted"), timeout=2)
        self.load()

    def action_focus_note(self) -> None:
        self.query_one("#note-text", Input).focus()

    def action_add_training(self) -> None:
        rep = self.app.session.rep
        self.app.push_screen(
            TrainingFormScreen(rep["id"] if rep else ""),
            lambda record: self.load() if record else None,
        )


class TrainingFormScreen(Translated, FormScreen[dict | None]):
    """Record a training; a manager picks the rep, a rep records their own."""

    DEFAULT_CSS = """
    TrainingFormScreen { align: center middle; }
    TrainingFormScreen > Vertical {
        width: 64; max-width: 98%; height: auto; max-height: 95%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    TrainingFormScreen Label { margin-top: 1; }
    TrainingFormScreen #error { color: $error; height: auto; }
    TrainingFormScreen #buttons { height: auto; align-horizontal: right; margin-top: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", id="training.cancel"),
        Binding("ctrl+s", "save", "Save", id="training.save", priority=True),
    ]

    def __init__(self, rep_id: str) -> None:
        super().__init__()
        self.rep_id = rep_id

    def compose(self) -> ComposeResult:
        session = self.app.session
        reps = sorted(
            (r for r in session.store.all("reps") if r.get("active", True)), key=lambda r: r["id"]
        )
        if not is_manager(session.rep):
            reps = [r for r in reps if session.rep and r["id"] == session.rep["id"]]
        known = {r["id"] for r in reps}
        with Vertical():
            yield Static(_("Add training"), classes="section-title")
            yield Label(_("Rep"))
            yield Select(
                [(f"{r['name']} ({r['id']})", r["id"]) for r in reps],
                value=self.rep_id if self.rep_id in known else Select.BLANK,
                id="rep_id",
                compact=True,
            )
            yield Label(_("Date"))
            yield Input(session.today.isoformat(), id="date", compact=True)
            yield Label(_("Course"))
            yield Input(id="course", max_length=120, compact=True)
            yield Label(_("Hours"))
            yield Input(id="hours", compact=True)
            yield Label(_("Skill"))
            yield Input(id="skill", compact=True)
            yield Static("", id="error")
            with Horizontal(id="buttons"):
                yield Button(_("Cancel"), id="cancel")
                yield Button(_("Save"), variant="primary", id="save")

    def action_save(self) -> None:
        session = self.app.session
        rep = self.query_one("#rep_id", Select).value
        values = {
            name: self.query_one(f"#{name}", Input).value
            for name in ("date", "course", "hours", "skill")
        }
        try:
            record = record_training(
                session.store,
                session.ctx.os_user,
                session.today,
                rep_id="" if rep is Select.BLANK else str(rep),
                day=values["date"],
                course=values["course"],
                hours=values["hours"],
                skill=values["skill"],
            )
        except FieldProblem as exc:
            self.query_one("#error", Static).update(f"{_(FIELD_LABELS[exc.field])}: {exc}")
            self.query_one(f"#{exc.field}").focus()
            return
        except (QsalesError, RecordError) as exc:
            self.query_one("#error", Static).update(str(exc))
            return
        self.dismiss(record)
