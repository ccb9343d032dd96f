"""The report says how far its quarter is, marks the figures that are to date, and
shows each change as the difference of the values it shows."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qsales_tui.analytics.kpi_sample import sample_inputs
from qsales_tui.analytics.kpis import TO_DATE_KPIS
from qsales_tui.reports.document import build_report
from qsales_tui.reports.formatting import format_change, format_figure
from qsales_tui.reports.render import render


def test_json_says_the_quarter_is_in_progress_and_which_figures_are_to_date():
    parsed = json.loads(render(build_report(sample_inputs(), "2026-Q4"), "json"))
    assert parsed["progress"] == {
        "state": "in_progress",
        "elapsed_working_days": 42,
        "total_working_days": 66,
        "text": "2026-Q4 in progress: 42 of 66 working days (64%); figures are to date",
    }
    assert [key for key, kpi in parsed["kpis"].items() if kpi["to_date"]] == list(TO_DATE_KPIS)
    same_point = parsed["kpis"]["revenue_qoq_to_date"]["current"]
    assert (same_point["numerator"], same_point["denominator"]) == (20000, 50000)
    assert same_point["terms"]["compared_until"] == "2026-08-27"


def test_a_complete_quarter_has_no_to_date_figures():
    doc = build_report(sample_inputs(), "2026-Q3")
    assert doc["progress"]["state"] == "complete" and doc["progress"]["text"] == ""
    assert not any(kpi["to_date"] for kpi in doc["kpis"].values())
    assert "(to date)" not in render(doc, "md").decode()


def test_a_future_quarter_in_markdown_says_it_has_not_started():
    text = render(build_report(sample_inputs(), "2027-Q1"), "md").decode()
    assert "2027-Q1 has not started: only its targets and pipeline are shown." in text
    assert "| Revenue | — (the quarter has not started) | ¥700.00 | — |" in text


@pytest.mark.parametrize(
    "unit, value, previous, change",
    [
        ("points", 8.333, -10.417, "+18"),  # exact difference 18.75 would show +19
        ("ratio", 0.12349, 0.10051, "+2.2 pp"),  # 12.3 % − 10.1 %, not 2.298 → +2.3
        ("days", 10.04, 9.96, "+0.0 d"),  # 10.0 − 10.0, not 0.08 → +0.1
        ("pp", 0.001, -0.004, "+0.00 pp"),  # +0.00 − (−0.00: shown +0.00), not +0.01
        ("score", 4.006, 3.994, "+0.02"),  # 4.01 − 3.99, not 0.012 → +0.01
        ("count", 5, 7, "-2"),
        ("money", 70000, 60000, "+¥100.00"),
    ],
)
def test_change_is_the_difference_of_the_shown_values(unit, value, previous, change):
    assert format_change(unit, value, previous) == change


def test_change_without_both_values_is_a_dash_and_an_unknown_unit_an_error():
    assert format_change("points", None, 3.0) == "—"
    with pytest.raises(ValueError):
        format_change("furlongs", 1.0, 2.0)
    with pytest.raises(ValueError):
        format_figure("furlongs", 1.0)


@settings(max_examples=150)
@given(st.floats(-100, 100), st.floats(-100, 100))
def test_nps_change_always_adds_up(value, previous):
    shown_value, shown_previous = (
        int(format_figure("points", value)),
        int(format_figure("points", previous)),
    )
    assert int(format_change("points", value, previous)) == shown_value - shown_previous
