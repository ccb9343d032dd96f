"""Exports: exact minor units in CSV/JSON, numbers and dates as such in XLSX."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime

import pandas as pd
import pytest
from openpyxl import load_workbook

from qsales_tui.analytics.kpi_sample import sample_inputs
from qsales_tui.cli.main import main
from qsales_tui.reports.exports import ExportTable, write_table
from qsales_tui.reports.tables import kpi_breakdown_table, kpi_trend_table, rows_table

Q = "2026-Q4"
ARGS = ["--today", "2026-11-27"]


def _csv(payload: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(payload.decode("utf-8-sig"))))


def _sheet(payload: bytes):
    return load_workbook(io.BytesIO(payload)).active


@pytest.fixture
def sales_table():
    frame = pd.DataFrame(
        {
            "id": ["S-1", "S-2"],
            "date": pd.to_datetime(["2026-10-05", "2026-11-10"]),
            "amount_minor": [123456789012345, -5],  # too many digits for a float to hold exactly
            "note": ['华鑫, "quoted"', None],
            "split": [{"2026-10": 1}, None],
        }
    )
    return ExportTable("sales", frame, "CNY")


def test_csv_writes_money_twice_and_minor_units_exactly(sales_table):
    rows = _csv(write_table(sales_table, "csv"))
    assert list(rows[0]) == ["id", "date", "amount", "amount_minor", "note", "split"]
    assert rows[0]["amount_minor"] == "123456789012345"
    assert rows[0]["amount"] == "1234567890123.45"
    assert rows[1]["amount"] == "-0.05"
    assert rows[0]["date"] == "2026-10-05"
    assert rows[0]["note"] == '华鑫, "quoted"'
    assert rows[1]["note"] == ""
    assert json.loads(rows[0]["split"]) == {"2026-10": 1}


def test_json_export_keeps_types(sales_table):
    sales_table.quarter = Q
    document = json.loads(write_table(sales_table, "json"))
    assert document["table"] == "sales" and document["quarter"] == Q
    first = document["rows"][0]
    assert first["amount_minor"] == 123456789012345
    assert first["amount"] == "1234567890123.45"
    assert first["split"] == {"2026-10": 1}
    assert document["rows"][1]["note"] is None
    assert {c["name"]: c["kind"] for c in document["columns"]}["amount"] == "major"


def test_xlsx_cells_are_numbers_and_dates(sales_table):
    sheet = _sheet(write_table(sales_table, "xlsx"))
    header = [cell.value for cell in sheet[1]]
    assert header == ["id", "date", "amount", "amount_minor", "note", "split"]
    date_cell, amount_cell, minor_cell = sheet["B2"], sheet["C3"], sheet["D2"]
    assert isinstance(date_cell.value, datetime) and date_cell.is_date
    assert date_cell.value.date().isoformat() == "2026-10-05"
    assert amount_cell.data_type == "n" and amount_cell.value == pytest.approx(-0.05)
    assert amount_cell.number_format == "#,##0.00"
    assert minor_cell.data_type == "n" and minor_cell.value == 123456789012345


def test_zero_decimal_currency_has_no_cents():
    table = ExportTable("sales", pd.DataFrame({"amount_minor": [1500]}), "JPY")
    assert _csv(write_table(table, "csv"))[0]["amount"] == "1500"
    assert _sheet(write_table(table, "xlsx"))["A2"].number_format == "#,##0"


def test_kpi_trend_table_matches_the_engine():
    table = kpi_trend_table(sample_inputs(), Q)
    rows = _csv(write_table(table, "csv"))
    assert [row["quarter"] for row in rows][-1] == Q
    last = rows[-1]
    assert last["revenue_minor"] == "70000" and last["revenue"] == "700.00"
    assert float(last["churn_rate"]) == pytest.approx(1 / 3)
    assert last["customers_active_start"] == "3"
    assert rows[3]["customers_new"] == ""  # 2025-Q4: the history begins there
    sheet = _sheet(write_table(table, "xlsx"))
    header = [cell.value for cell in sheet[1]]
    churn = sheet.cell(row=9, column=header.index("churn_rate") + 1)
    assert churn.data_type == "n" and churn.number_format == "0.0%"


def test_breakdown_table_lists_reasons():
    rows = _csv(write_table(kpi_breakdown_table(sample_inputs(), Q, "rep"), "csv"))
    r3 = next(row for row in rows if row["rep"] == "R-3")
    assert r3["revenue_minor"] == "0"
    assert r3["revenue_qoq"] == ""
    assert "revenue_qoq: no_previous_revenue" in r3["missing"]


def test_rows_behind_export_sums_to_the_figure():
    rows = _csv(write_table(rows_table(sample_inputs(), "revenue", Q, {"rep": "R-1"}), "csv"))
    assert sum(int(row["amount_minor"]) for row in rows) == 65000
    customers = _csv(write_table(rows_table(sample_inputs(), "churn_rate", Q), "csv"))
    assert [row["churned"] for row in customers].count("true") == 1


def test_cli_exports_a_data_table_for_a_quarter(tiny_dir, tmp_path):
    out = tmp_path / "sales.csv"
    assert (
        main(["--db", str(tiny_dir), *ARGS, "export", "sales", "--quarter", Q, "-o", str(out)]) == 0
    )
    rows = _csv(out.read_bytes())
    # tiny company Q4 sales: S-0005 ¥80,000 and S-0006 ¥20,000
    assert [(r["id"], r["amount_minor"]) for r in rows] == [
        ("S-0005", "8000000"),
        ("S-0006", "2000000"),
    ]


def test_cli_format_follows_the_file_name(tiny_dir, tmp_path):
    out = tmp_path / "kpis.xlsx"
    assert main(["--db", str(tiny_dir), *ARGS, "export", "kpis-team", "-o", str(out)]) == 0
    assert _sheet(out.read_bytes())["A2"].value == "T-0001"
    out = tmp_path / "customers.json"
    assert main(["--db", str(tiny_dir), *ARGS, "export", "customers", "-o", str(out)]) == 0
    assert len(json.loads(out.read_text())["rows"]) == 4


def test_cli_rows_behind_with_a_filter(tiny_dir, capsys):
    assert (
        main(
            [
                "--db",
                str(tiny_dir),
                *ARGS,
                "export",
                "rows:revenue",
                "--filter",
                "rep=R-0003",
                "--format",
                "json",
            ]
        )
        == 0
    )
    document = json.loads(capsys.readouterr().out)
    assert document["quarter"] == Q  # the current quarter, resolved
    assert [row["id"] for row in document["rows"]] == ["S-0006"]


@pytest.mark.parametrize(
    "argv, message",
    [
        (["export", "nonsense"], "unknown table"),
        (["export", "customers", "--quarter", Q], "leave out --quarter"),
        (["export", "kpis", "--format", "xlsx"], "XLSX needs an output file"),
        (["export", "rows:revenue", "--filter", "rep"], "DIMENSION=GROUP"),
        (["export", "sales", "--filter", "rep=R-0002"], "rows:<kpi> only"),
        (["export", "rows:happiness"], "unknown KPI"),
        (["export", "kpis-colour"], "colour"),
    ],
)
def test_cli_export_errors(tiny_dir, capsys, argv, message):
    assert main(["--db", str(tiny_dir), *ARGS, *argv]) == 2
    assert message in capsys.readouterr().err
