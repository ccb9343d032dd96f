"""The quarter report: one document, three formats, the same numbers as compute_all."""

from __future__ import annotations

import json
import re

import pytest

from qsales_tui.analytics.kpi_sample import sample_inputs
from qsales_tui.analytics.kpis import KPIS, compute_all
from qsales_tui.cli.main import main
from qsales_tui.i18n import set_language
from qsales_tui.reports.document import SCHEMA, build_report
from qsales_tui.reports.render import render
from qsales_tui.reports.svg import trend_chart

Q = "2026-Q4"


@pytest.fixture(scope="module")
def doc():
    return build_report(sample_inputs(), Q)


def test_json_carries_every_kpi_with_the_engine_values(doc):
    parsed = json.loads(render(doc, "json"))
    assert parsed["schema"] == SCHEMA
    assert (parsed["quarter"], parsed["as_of"], parsed["previous_quarter"]) == (
        Q,
        "2026-11-27",
        "2026-Q3",
    )
    assert list(parsed["kpis"]) == list(KPIS)
    kpis = compute_all(sample_inputs(), Q).kpis
    for key, kpi in kpis.items():
        entry = parsed["kpis"][key]
        assert entry["current"]["value"] == kpi.value, key
        assert entry["previous"]["value"] == kpi.previous.value, key
        assert [p["value"] for p in entry["trend"]] == [v for _, v in kpi.trend], key
        assert entry["unit"] == KPIS[key]
    churn = parsed["kpis"]["churn_rate"]["current"]
    assert (churn["numerator"], churn["denominator"]) == (1, 3)
    assert parsed["kpis"]["pace"]["current"]["status"] == "off_track"
    assert parsed["kpis"]["revenue"]["current"]["value"] == 70000  # integer minor units


def test_json_tables_per_rep_and_team(doc):
    tables = json.loads(render(doc, "json"))["tables"]
    assert set(tables) == {"rep", "team"}
    r3 = next(row for row in tables["rep"] if row["group"] == "R-3")
    assert r3["name"] == "Wang Fang"
    assert r3["kpis"]["revenue"]["value"] == 0
    assert r3["kpis"]["revenue_qoq"]["reason"] == "no_previous_revenue"
    assert r3["kpis"]["revenue_qoq"]["reason_text"] == "no revenue in the previous quarter"


def test_json_is_stable(doc):
    assert render(doc, "json") == render(build_report(sample_inputs(), Q), "json")


def test_markdown_has_the_kpi_and_group_tables(doc):
    text = render(doc, "md").decode()
    assert text.startswith("# Quarter report 2026-Q4")
    assert "| Churn rate | 33.3% (to date) | 100.0% | -66.7 pp |" in text
    assert "2026-Q4 in progress: 42 of 66 working days (64%); figures are to date." in text
    assert "= 1 ÷ 3" in text
    assert "| Zhang Wei (R-1) | ¥650.00 |" in text
    assert "## By team" in text
    assert "— (no revenue in the previous quarter)" in text


def test_html_is_self_contained_with_a_chart_per_kpi(doc):
    page = render(doc, "html").decode()
    assert page.startswith("<!DOCTYPE html>")
    assert page.count("<svg") == len(KPIS)
    assert "<script" not in page
    # no resource fetched from anywhere: the only URL is the SVG namespace
    assert set(re.findall(r"https?://[^\"' ]+", page)) == {"http://www.w3.org/2000/svg"}
    assert "<polyline" in page


def test_report_follows_the_language():
    set_language("zh")
    try:
        page = render(build_report(sample_inputs(), Q), "md").decode()
    finally:
        set_language("en")
    assert "客户流失率" in page
    assert "2026-Q4 季度报告" in page


def test_chart_breaks_the_line_at_missing_values():
    svg = trend_chart(
        [("2026-Q1", 1.0), ("2026-Q2", None), ("2026-Q3", 2.0), ("2026-Q4", 3.0)], str, title="t"
    )
    assert svg.count("<polyline") == 2
    assert svg.count("<circle") == 3
    empty = trend_chart([("2026-Q1", None)], str, title="t")
    assert "<polyline" not in empty and "—" in empty


def test_cli_writes_each_format_atomically(tiny_dir, tmp_path, capsys):
    for fmt in ("md", "json", "html"):
        out = tmp_path / f"report.{fmt}"
        code = main(
            [
                "--db",
                str(tiny_dir),
                "--today",
                "2026-11-27",
                "report",
                "--quarter",
                Q,
                "--format",
                fmt,
                "-o",
                str(out),
            ]
        )
        assert code == 0
        assert out.stat().st_size > 0
    parsed = json.loads((tmp_path / "report.json").read_text())
    # tiny company, Q4 to 11-27: ¥80,000 + ¥20,000
    assert parsed["kpis"]["revenue"]["current"]["value"] == 100_000_00
    assert not list(tmp_path.glob(".*.tmp"))


def test_cli_defaults_to_the_current_quarter_on_stdout(tiny_dir, capsys):
    assert main(["--db", str(tiny_dir), "--today", "2026-11-27", "report", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["quarter"] == Q


def test_cli_errors_go_to_stderr(tiny_dir, tmp_path, capsys):
    code = main(["--db", str(tiny_dir), "report", "--quarter", "2026-Q9"])
    assert code == 2
    assert "2026-Q9" in capsys.readouterr().err
    code = main(["--db", str(tiny_dir), "report", "-o", str(tmp_path / "missing" / "r.md")])
    assert code == 2
    assert "cannot write" in capsys.readouterr().err
    code = main(["--db", str(tmp_path / "nowhere"), "report"])
    assert code == 2


def test_chart_scale_starts_at_zero_only_when_asked():
    points = [("2026-Q3", 3.8), ("2026-Q4", 4.2)]
    assert ">0<" in trend_chart(points, lambda v: f"{v:g}", title="t")
    scaled = trend_chart(points, lambda v: f"{v:g}", title="t", from_zero=False)
    assert ">3.8<" in scaled and ">0<" not in scaled
