"""The quarter report as one plain document (dict) that every format renders.

``build_report(inputs, quarter)`` is the JSON report itself (schema in
docs/report-json.md); the Markdown and HTML writers only lay it out, so the three
formats, the exports and the screen show the same numbers.
"""

from __future__ import annotations

from typing import Any

from qsales_tui.analytics.kpi_inputs import KpiInputs
from qsales_tui.analytics.kpis import (
    Figure,
    Kpi,
    Progress,
    breakdown,
    compute_all,
    kpi_formula,
    kpi_label,
    reason_text,
    status_text,
)
from qsales_tui.i18n import current_language

SCHEMA = "qsales.report/1"
TABLE_DIMENSIONS = ("rep", "team")


def figure_entry(figure: Figure) -> dict[str, Any]:
    return {
        "value": figure.value,
        "numerator": figure.numerator,
        "denominator": figure.denominator,
        "terms": dict(figure.terms),
        "status": figure.status,
        "status_text": status_text(figure.status) if figure.status else None,
        "reason": figure.reason,
        "reason_text": reason_text(figure.reason) if figure.reason else None,
    }


def progress_entry(progress: Progress) -> dict[str, Any]:
    return {
        "state": progress.state,
        "elapsed_working_days": progress.elapsed_working_days,
        "total_working_days": progress.total_working_days,
        "text": progress.text(),
    }


def kpi_entry(kpi: Kpi, previous_quarter: str, progress: Progress) -> dict[str, Any]:
    return {
        "label": kpi_label(kpi.key),
        "unit": kpi.unit,
        "formula": kpi_formula(kpi.key),
        "to_date": progress.is_to_date(kpi.key),
        "current": figure_entry(kpi.current),
        "previous": {"quarter": previous_quarter, **figure_entry(kpi.previous)},
        "trend": [{"quarter": quarter, "value": value} for quarter, value in kpi.trend],
    }


def build_report(
    inputs: KpiInputs, quarter: str, dimensions: tuple[str, ...] = TABLE_DIMENSIONS
) -> dict[str, Any]:
    result = compute_all(inputs, quarter)
    period = inputs.calendar.quarter(result.quarter)
    return {
        "schema": SCHEMA,
        "quarter": result.quarter,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "as_of": result.as_of.isoformat(),
        "previous_quarter": period.previous.name,
        "company": str(inputs.settings.get("company", "")),
        "currency": inputs.currency,
        "language": current_language(),
        "inactive_after_days": inputs.inactive_after_days,
        "progress": progress_entry(result.progress),
        "kpis": {
            key: kpi_entry(kpi, period.previous.name, result.progress)
            for key, kpi in result.kpis.items()
        },
        "tables": {
            dimension: [
                {
                    "group": row.group,
                    "name": row.name,
                    "kpis": {key: figure_entry(figure) for key, figure in row.figures.items()},
                }
                for row in breakdown(inputs, period, dimension)
            ]
            for dimension in dimensions
        },
    }
