"""The quarter report as Markdown (GitHub-flavoured tables)."""

from __future__ import annotations

from typing import Any

from qsales_tui.analytics.kpis import KPIS, kpi_label
from qsales_tui.i18n import _
from qsales_tui.reports.formatting import format_change, format_entry, format_figure, format_terms

TABLE_KPIS = (
    "revenue",
    "revenue_qoq",
    "attainment",
    "pace",
    "pipeline_coverage",
    "churn_rate",
    "win_rate_count",
    "avg_deal_size",
)


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _table(
    header: list[str], rows: list[list[str]], text_columns: tuple[int, ...] = (0,)
) -> list[str]:
    align = ["---" if i in text_columns else "---:" for i in range(len(header))]
    lines = ["| " + " | ".join(_cell(h) for h in header) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


def group_tables(doc: dict[str, Any]) -> list[tuple[str, list[str], list[list[str]]]]:
    """(title, header, rows) of the per-rep and per-team tables, shared with HTML."""
    titles = {"rep": _("By rep"), "team": _("By team")}
    currency = doc["currency"]
    result = []
    for dimension, rows in doc["tables"].items():
        header = [_("Name")] + [kpi_label(key) for key in TABLE_KPIS]
        body = [
            [f"{row['name']} ({row['group']})"]
            + [format_entry(KPIS[key], row["kpis"][key], currency) for key in TABLE_KPIS]
            for row in rows
        ]
        result.append((titles.get(dimension, dimension), header, body))
    return result


def kpi_rows(doc: dict[str, Any]) -> list[list[str]]:
    """KPI, value, previous, change, how computed: shared with HTML."""
    currency = doc["currency"]
    rows = []
    for key, kpi in doc["kpis"].items():
        current, previous = kpi["current"], kpi["previous"]
        terms = format_terms(key, current, currency)
        value = format_entry(kpi["unit"], current, currency)
        rows.append(
            [
                kpi["label"],
                value + (" " + _("(to date)") if kpi.get("to_date") else ""),
                format_entry(kpi["unit"], previous, currency),
                format_change(kpi["unit"], current["value"], previous["value"], currency),
                kpi["formula"] + (f" = {terms}" if terms else ""),
            ]
        )
    return rows


def title(doc: dict[str, Any]) -> str:
    return _("Quarter report {quarter}", quarter=doc["quarter"]) + (
        f" — {doc['company']}" if doc["company"] else ""
    )


def subtitle(doc: dict[str, Any]) -> str:
    """The period, currency and inactivity window; first, for a quarter not complete,
    how far it is (``progress.text``)."""
    progress = doc["progress"]["text"]
    return (f"{progress}. " if progress else "") + _(
        "{start} to {end}, figures as of {as_of}. Currency {currency}. A customer is "
        "active after a purchase for {days} days.",
        start=doc["start"],
        end=doc["end"],
        as_of=doc["as_of"],
        currency=doc["currency"],
        days=doc["inactive_after_days"],
    )


def render_markdown(doc: dict[str, Any]) -> str:
    lines = [f"# {title(doc)}", "", subtitle(doc), "", f"## {_('KPIs')}", ""]
    header = [
        _("KPI"),
        _("Value"),
        _("Previous ({quarter})", quarter=doc["previous_quarter"]),
        _("Change"),
        _("How it is computed"),
    ]
    lines += _table(header, kpi_rows(doc), text_columns=(0, 4))
    lines += ["", f"## {_('Trends (8 quarters)')}", ""]
    quarters = [point["quarter"] for point in next(iter(doc["kpis"].values()))["trend"]]
    trend_rows = [
        [kpi["label"]]
        + [
            format_figure(kpi["unit"], p["value"], doc["currency"], compact=True)
            for p in kpi["trend"]
        ]
        for kpi in doc["kpis"].values()
    ]
    lines += _table([_("KPI"), *quarters], trend_rows)
    for heading, table_header, rows in group_tables(doc):
        lines += ["", f"## {heading}", ""]
        lines += _table(table_header, rows)
    return "\n".join(lines) + "\n"
