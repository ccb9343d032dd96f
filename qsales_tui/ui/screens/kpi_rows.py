"""The rows behind one KPI figure, with their sums, so a user can check it by hand.

Opened from the KPI review (``enter`` on a figure). The rows come from
``drilldown.rows_behind``: the same selection the engine counted, so their sums are
the figure's numerator and denominator (``drilldown.row_totals``). The table shows the first
``MAX_ROWS`` rows; the sums and the export (``x``, CSV/XLSX/JSON) cover them all.

Also here: the export modal and the ``ExportsTable`` mixin both KPI screens use.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import (
    Button,
    DataTable,
    Footer,
    Header,
    Input,
    Label,
    LoadingIndicator,
    Static,
)
from textual.worker import get_current_worker

from qsales_tui.errors import QsalesError
from qsales_tui.i18n import _
from qsales_tui.reports.formatting import format_entry, format_figure, format_terms
from qsales_tui.reports.output import file_modes, write_atomic
from qsales_tui.ui.bindings import Translated
from qsales_tui.ui.formatting import DASH, label, money

if TYPE_CHECKING:  # pandas and the KPI engine load in workers, not at start
    import pandas as pd

    from qsales_tui.analytics.kpi_inputs import KpiInputs
    from qsales_tui.analytics.kpis import Figure
    from qsales_tui.reports.exports import ExportTable

MAX_ROWS = 500  # the built-in DataTable slows past a few thousand rows
TEXT_CELLS = 28
CODED = {"segment", "region", "status", "stage", "channel", "outcome"}  # shown translated

COLUMN_TITLES = {
    "id": "ID",
    "date": "Date",
    "customer_id": "Customer",
    "rep_id": "Rep",
    "product": "Product",
    "quantity": "Quantity",
    "amount_minor": "Amount",
    "name": "Name",
    "stage": "Stage",
    "probability": "Probability",
    "created_on": "Created",
    "expected_close": "Expected close",
    "status": "Status",
    "closed_on": "Closed",
    "cycle_days": "Cycle (days)",
    "segment": "Segment",
    "region": "Region",
    "owner_id": "Owner",
    "last_purchase_before_start": "Last purchase before start",
    "last_purchase_to_date": "Last purchase to date",
    "active_at_start": "Active at start",
    "active_at_end": "Active at end",
    "new": "New",
    "churned": "Churned",
    "previous_revenue_minor": "Previous revenue",
    "revenue_minor": "Revenue",
    "at": "At",
    "channel": "Channel",
    "note": "Note",
    "outcome": "Outcome",
    "csat": "CSAT",
    "nps": "NPS",
    "author": "Author",
    "compared": "Compared period",
}


def cell_text(value: Any, column: str, kind: str, currency: str) -> str:
    """A row value as the table shows it: money in full, dates as ISO days, text on one
    line, stored codes (segment, stage …) translated."""
    import pandas as pd

    if (
        value is None
        or value is pd.NA
        or value is pd.NaT
        or (isinstance(value, float) and math.isnan(value))
    ):
        return DASH
    if kind == "money":
        return money(int(value), currency)
    if kind == "date":
        return str(value)[:10]
    if kind == "timestamp":
        return str(value)[:16].replace("T", " ")
    if kind == "bool":
        return "✓" if value else ""
    if kind == "number":
        return f"{value:g}"
    text = " ".join(str(value).split())
    if column in CODED:
        text = label(text)
    return text if cell_len(text) <= TEXT_CELLS else set_cell_size(text, TEXT_CELLS - 1) + "…"


# -- export -------------------------------------------------------------------------------


def write_export(table: ExportTable, path: Path, settings: Mapping[str, Any]) -> None:
    """Write ``table`` to ``path`` in the format its extension names, atomically, with
    the data files' modes for ``settings`` (0600, or 0660 for a shared group)."""
    from qsales_tui.reports.exports import write_table

    write_atomic(path, write_table(table, path.suffix.lower().lstrip(".")), file_modes(settings))


class ExportScreen(Translated, ModalScreen[Path | None]):
    """Ask where to write the table; the extension chooses the format. Returns the path."""

    DEFAULT_CSS = """
    ExportScreen { align: center middle; }
    ExportScreen > Vertical {
        width: 72; max-width: 98%; height: auto;
        border: round $primary; background: $surface; padding: 0 1;
    }
    ExportScreen #error { color: $error; height: auto; }
    ExportScreen #buttons { height: auto; align-horizontal: right; margin-top: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", id="export.cancel"),
    ]

    def __init__(self, title: str, default_name: str) -> None:
        super().__init__()
        self.heading = title
        self.default_name = default_name

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.heading, classes="section-title")
            yield Label(_("File (.csv, .xlsx or .json), relative to {folder}", folder=Path.cwd()))
            yield Input(self.default_name, id="path")
            yield Static("", id="error")
            with Horizontal(id="buttons"):
                yield Button(_("Cancel"), id="cancel")
                yield Button(_("Export"), variant="primary", id="export")

    def chosen_path(self) -> Path:
        """The path typed, checked; QsalesError names what is wrong."""
        text = self.query_one("#path", Input).value.strip()
        if not text:
            raise QsalesError(_("Type a file name"))
        path = Path(text).expanduser()
        path = path if path.is_absolute() else Path.cwd() / path
        from qsales_tui.reports.exports import FORMATS

        if path.suffix.lower().lstrip(".") not in FORMATS:
            raise QsalesError(
                _("The file must end in .csv, .xlsx or .json: {name}", name=path.name)
            )
        if not path.parent.is_dir():
            raise QsalesError(_("No such folder: {folder}", folder=path.parent))
        if path.is_dir():
            raise QsalesError(_("{path} is a folder", path=path))
        return path

    @on(Input.Submitted, "#path")
    @on(Button.Pressed, "#export")
    def _export(self) -> None:
        try:
            path = self.chosen_path()
        except QsalesError as exc:
            self.query_one("#error", Static).update(str(exc))
            return
        self.dismiss(path)

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)


class ExportsTable:
    """Mixin for a screen with ``export_request()``: ``x`` asks for a path (default: the
    table's name, in the current directory), then builds the table and writes it there
    in a worker and shows the path written."""

    def export_request(self) -> tuple[str, Callable[[], ExportTable]] | None:
        """The table's file name (no extension) and how to build it (in a worker);
        None while there is nothing to export."""
        raise NotImplementedError

    def action_export(self) -> None:
        request = self.export_request()
        if request is None:
            return
        name, build = request

        def chosen(path: Path | None) -> None:
            if path is not None:
                self._write_export(build, path)

        self.app.push_screen(  # type: ignore[attr-defined]
            ExportScreen(_("Export {name}", name=name), f"{name}.csv"), chosen
        )

    @work(thread=True, exit_on_error=False, group="export")
    def _write_export(self, build: Callable[[], ExportTable], path: Path) -> None:
        app = self.app  # type: ignore[attr-defined]
        try:
            write_export(build(), path, app.session.store.settings)
        except QsalesError as exc:
            app.call_from_thread(app.notify, str(exc), severity="error")
            return
        app.call_from_thread(app.notify, _("Written to {path}", path=path), timeout=8)


# -- the rows screen ----------------------------------------------------------------------


class KpiRowsScreen(Translated, ExportsTable, Screen):
    AUTO_FOCUS = "#rows"
    DEFAULT_CSS = """
    KpiRowsScreen #title { height: auto; padding: 0 1; text-style: bold; }
    KpiRowsScreen #sums { height: auto; padding: 0 1; background: $surface; }
    KpiRowsScreen #rows { height: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", id="kpirows.back"),
        Binding("x", "export", "Export", id="kpirows.export"),
    ]

    def __init__(
        self,
        inputs: KpiInputs,
        kpi: str,
        quarter: str,
        figure: Figure,
        filter: dict[str, str] | None = None,
        group_name: str = "",
    ) -> None:
        super().__init__()
        self.inputs = inputs
        self.kpi = kpi
        self.quarter = quarter
        self.figure = figure
        self.filter = dict(filter or {})
        self.group_name = group_name
        self.frame: pd.DataFrame | None = None
        self.hidden_rows = 0  # rows a rep may not see (colleagues' customers)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.heading(), id="title")
        yield Static("", id="sums")
        yield LoadingIndicator()
        yield DataTable(zebra_stripes=True, id="rows")
        yield Footer()

    def heading(self) -> str:
        from qsales_tui.analytics.kpis import kpi_label

        where = f" · {self.group_name}" if self.group_name else ""
        return (
            _("Rows behind {kpi} · {quarter}", kpi=kpi_label(self.kpi), quarter=self.quarter)
            + where
        )

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def load(self) -> None:
        from qsales_tui.analytics.drilldown import rows_behind

        try:
            frame = rows_behind(self.inputs, self.kpi, self.quarter, self.filter)
            frame = self._visible(frame)
        except QsalesError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, frame)

    def _visible(self, frame: pd.DataFrame) -> pd.DataFrame:
        """A rep sees the rows about their own customers only (as everywhere in the app
        and in exports); the figure itself stays the company's. Managers, and a user
        mapped to no rep (who may browse), see every row."""
        from qsales_tui.services.visibility import ROWS, Viewer

        session = self.app.session
        if session.rep is None or session.is_manager:
            return frame
        visible = Viewer.of(session.store, session.ctx.os_user).visible(ROWS, frame)
        self.hidden_rows = len(frame) - len(visible)
        return visible

    def _failed(self, message: str) -> None:
        self.query_one(LoadingIndicator).display = False
        self.query_one("#sums", Static).update(Text(message, style="bold"))

    def _show(self, frame: pd.DataFrame) -> None:
        from qsales_tui.reports.exports import infer_kind

        self.frame = frame
        self.query_one(LoadingIndicator).display = False
        currency = self.inputs.currency
        self.query_one("#sums", Static).update(self._sums_text(frame, currency))
        table = self.query_one("#rows", DataTable)
        table.clear(columns=True)
        kinds = {column: infer_kind(column, frame[column]) for column in frame.columns}
        for column in frame.columns:
            table.add_column(_(COLUMN_TITLES.get(column, column)), key=column)
        head = frame.head(MAX_ROWS)
        values = {column: head[column].tolist() for column in frame.columns}
        for i in range(len(head)):
            table.add_row(
                *(
                    Text(
                        cell_text(values[column][i], column, kind, currency),
                        justify="right" if kind in ("money", "int", "number") else "left",
                    )
                    for column, kind in kinds.items()
                )
            )

    def _sums_text(self, frame: pd.DataFrame, currency: str) -> Text:
        from qsales_tui.analytics.drilldown import row_totals
        from qsales_tui.analytics.kpis import KPIS, kpi_label
        from qsales_tui.reports.document import figure_entry

        unit = KPIS[self.kpi]
        text = Text()
        text.append(f"{kpi_label(self.kpi)} = ", style="bold")
        entry = figure_entry(self.figure)
        text.append(format_entry(unit, entry, currency), style="bold")
        terms = format_terms(self.kpi, entry, currency)
        if terms:
            text.append(f" = {terms}")
        text.append("\n")
        text.append(
            " · ".join(
                f"{_(label)}: {format_figure(kind, value, currency)}"
                for label, value, kind in row_totals(self.kpi, frame)
            )
        )
        if self.hidden_rows:
            text.append(
                "\n"
                + _(
                    "Rows about colleagues' customers are not shown ({n}); "
                    "the sums are of your rows only",
                    n=self.hidden_rows,
                ),
                style="dim",
            )
        if len(frame) > MAX_ROWS:
            text.append(
                "\n"
                + _(
                    "showing the first {n} of {total} rows; export for all",
                    n=MAX_ROWS,
                    total=len(frame),
                ),
                style="dim",
            )
        return text

    def export_request(self) -> tuple[str, Callable[[], ExportTable]] | None:
        frame = self.frame
        if frame is None:
            return None
        from qsales_tui.reports.exports import ExportTable

        name = "-".join(["rows", self.kpi, *self.filter.values(), self.quarter])
        return name, lambda: ExportTable(name, frame, self.inputs.currency, quarter=self.quarter)
