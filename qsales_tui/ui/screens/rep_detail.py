"""One rep: progress, payout statement line by line, scorecard, follow-up discipline,
customers, deals and training log.

``x`` / ``j`` export the statement (with the scorecard in JSON) to
``payout-<rep>-<quarter>.csv`` / ``.json`` in the current directory.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.markup import escape
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, LoadingIndicator, Static

from qsales_tui.domain.scoring import kpi_label
from qsales_tui.errors import QsalesError
from qsales_tui.i18n import _
from qsales_tui.services.teamboard import (
    RepDetail,
    TeamData,
    payout_reason_text,
    rep_detail,
    statement_csv,
    statement_document,
)
from qsales_tui.ui.bindings import Translated
from qsales_tui.ui.formatting import DASH, label, money, percent

SECTIONS = (
    ("statement", "Payout statement", ("Line", "Basis", "Rate", "Amount", "Detail")),
    ("scorecard", "Scorecard", ("KPI", "Value", "Target", "Weight", "Points")),
    ("customers", "Customers", ("ID", "Name", "Segment", "Status", "This quarter")),
    ("deals", "Deals", ("Deal", "Stage", "Status", "Amount", "Probability", "Expected close")),
    ("trainings", "Training log", ("Date", "Course", "Hours", "Skill")),
)


def _fields(*pairs: tuple[str, str]) -> str:
    """``Label: value`` pairs on one line."""
    return "   ".join(f"{label}: {value}" for label, value in pairs)


class RepDetailScreen(Translated, Screen):
    DEFAULT_CSS = """
    RepDetailScreen #profile { padding: 0 1; height: auto; }
    RepDetailScreen .explain { padding: 0 1; height: auto; color: $text-muted; }
    RepDetailScreen DataTable { height: auto; max-height: 14; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", id="rep.back"),
        Binding("x", "export('csv')", "Export CSV", id="rep.export_csv"),
        Binding("j", "export('json')", "Export JSON", id="rep.export_json"),
        Binding("t", "add_training", "Add training", id="rep.training"),
    ]

    def __init__(self, rep_id: str, data: TeamData | None = None) -> None:
        super().__init__()
        self.rep_id = rep_id
        self.data = data
        self.detail: RepDetail | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield LoadingIndicator()
        with VerticalScroll():
            yield Static("", id="profile")
            for table_id, title, _columns in SECTIONS:
                yield Static(_(title), classes="section-title")
                yield Static("", id=f"{table_id}-note", classes="explain")
                yield DataTable(id=table_id, cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        for table_id, _title, columns in SECTIONS:
            table = self.query_one(f"#{table_id}", DataTable)
            for column in columns:
                table.add_column(_(column), key=column)
        self.app.data_changed.subscribe(self, lambda _token: self.load(reload=True))
        self.app.quarter_changed.subscribe(self, lambda _quarter: self.load())
        self.app.rules_reloaded.subscribe(self, lambda _rules: self.load())
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def load(self, reload: bool = False) -> None:
        session = self.app.session
        if self.data is None or reload:
            self.data = TeamData.load(session.store, session.today)
        detail = rep_detail(self.data, session.quarter, session.rules, session.rep, self.rep_id)
        self.app.call_from_thread(self._show, detail)

    def _show(self, detail: RepDetail) -> None:
        self.detail = detail
        self.query_one(LoadingIndicator).display = False
        session = self.app.session
        currency = session.currency
        row, discipline = detail.row, detail.discipline
        on_time = discipline.on_time_pct
        share = (
            _(" ({share} of the company goal)", share=percent(row.share, 1)) if row.share else ""
        )
        rank = DASH if row.rank is None else str(row.rank)
        title = f"[b]{escape(row.name)}[/b]  {row.rep_id}  {escape(detail.team_name)}"
        lines = [
            f"{title}  ·  {session.quarter.name}",
            _fields(
                (_("Rank"), rank),
                (_("Target"), money(row.target_minor, currency) + share),
                (_("Actual"), money(row.actual_minor, currency)),
            ),
            _fields(
                (_("Attainment"), percent(row.attainment, 1)),
                (_("Pace"), percent(row.pace, 1)),
                (_("Weighted pipeline forecast"), money(row.forecast_minor, currency)),
            ),
            _(
                "Follow-ups on time: {pct} ({done} of {due})   Overdue now: {overdue}",
                pct=DASH if on_time is None else f"{on_time}%",
                done=discipline.on_time,
                due=discipline.due,
                overdue=discipline.overdue,
            ),
        ]
        self.query_one("#profile", Static).update("\n".join(lines))
        self._show_statement(detail, currency)
        card = row.scorecard
        grade = card.grade
        follows = [_("bonus ×{multiplier}", multiplier=grade.bonus_multiplier)]
        if grade.promotion_eligible:
            follows.append(_("promotion eligible"))
        if grade.improvement_plan:
            follows.append(_("improvement plan"))
        self.query_one("#scorecard-note", Static).update(
            _(
                "Score {score} → grade {grade}: {follows}",
                score=card.score,
                grade=grade.grade,
                follows=", ".join(follows),
            )
        )
        self._fill(
            "scorecard",
            [
                (
                    kpi_label(line.name),
                    DASH if line.value is None else str(line.value),
                    str(line.target),
                    str(line.weight),
                    str(line.points),
                )
                for line in card.kpis
            ],
        )
        private = _("shown to managers and to the rep themselves") if detail.book_hidden else ""
        self.query_one("#customers-note", Static).update(private)
        self.query_one("#deals-note", Static).update(private)
        self._fill(
            "customers",
            [
                (
                    c["id"],
                    c["name"],
                    label(c.get("segment") or ""),
                    label(c.get("status") or ""),
                    money(c["revenue_minor"], currency),
                )
                for c in detail.customers
            ],
        )
        self._fill(
            "deals",
            [
                (
                    d["name"],
                    label(d.get("stage") or ""),
                    label(d.get("status") or ""),
                    money(d["amount_minor"], currency),
                    percent(d.get("probability")),
                    d.get("expected_close") or DASH,
                )
                for d in detail.deals
            ],
        )
        self._fill(
            "trainings",
            [
                (t["date"], t["course"], f"{t['hours']:g}", t.get("skill") or DASH)
                for t in detail.trainings
            ],
        )

    def _show_statement(self, detail: RepDetail, currency: str) -> None:
        statement = detail.row.statement
        note = self.query_one("#statement-note", Static)
        if statement is None:
            note.update(payout_reason_text(detail.row.payout_reason or ""))
            self._fill("statement", [])
            return
        note.update(
            _(
                "Plan {plan}: payout so far {total}",
                plan=statement.plan_title,
                total=money(statement.total_minor, currency),
            )
        )
        self._fill(
            "statement",
            [
                (
                    line.label,
                    DASH if line.basis_minor is None else money(line.basis_minor, currency),
                    DASH if line.rate is None else str(line.rate),
                    money(line.amount_minor, currency),
                    line.detail,
                )
                for line in statement.lines
            ],
        )

    def _fill(self, table_id: str, rows: list[tuple]) -> None:
        table = self.query_one(f"#{table_id}", DataTable)
        table.clear()
        for row in rows:
            table.add_row(*row)
        table.display = bool(rows)

    def action_export(self, fmt: str) -> None:
        if self.detail is None:
            return
        from qsales_tui.reports.output import file_modes, write_atomic

        quarter = self.app.session.quarter.name
        path = Path.cwd() / f"payout-{self.rep_id}-{quarter}.{fmt}"
        try:
            if fmt == "csv":
                payload = statement_csv(self.detail.row).encode("utf-8")
            else:
                import orjson

                document = statement_document(self.detail.row, quarter)
                payload = orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n"
            write_atomic(path, payload, file_modes(self.app.session.store.settings))
        except QsalesError as exc:
            self.notify(str(exc), severity="error")
            return
        self.notify(_("Statement written to {path}", path=path))

    def action_add_training(self) -> None:
        from qsales_tui.ui.screens.team_notes import TrainingFormScreen

        def saved(record: dict | None) -> None:
            if record:
                self.notify(_("Training recorded"))
                self.load(reload=True)

        self.app.push_screen(TrainingFormScreen(self.rep_id), saved)
