"""The quarter report as one self-contained HTML page: inline CSS and SVG charts,
no script and no external resource, so it opens offline."""

from __future__ import annotations

from html import escape
from typing import Any

from qsales_tui.i18n import _, current_language
from qsales_tui.reports.formatting import format_figure
from qsales_tui.reports.markdown import group_tables, kpi_rows, subtitle, title
from qsales_tui.reports.svg import trend_chart

_STYLE = """
body{font-family:system-ui,"Noto Sans CJK SC","PingFang SC",sans-serif;margin:2rem;color:#222}
table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #ccc;padding:.3rem .6rem}
td.num{text-align:right;white-space:nowrap}th{background:#f3f3f3}
.cards{display:flex;flex-wrap:wrap;gap:1rem}
.card{border:1px solid #ddd;padding:.6rem;flex:0 0 372px;box-sizing:border-box}
.card h3{margin:.2rem 0;font-size:1rem}.card .value{font-size:1.3rem}
.card .how{font-size:.8rem;color:#555;max-width:360px}
"""


def _table(header: list[str], rows: list[list[str]], text_columns: tuple[int, ...] = (0,)) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>"
        + "".join(
            f"<td>{escape(c)}</td>" if i in text_columns else f'<td class="num">{escape(c)}</td>'
            for i, c in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _cards(doc: dict[str, Any]) -> str:
    currency = doc["currency"]
    cards = []
    for (key, kpi), row in zip(doc["kpis"].items(), kpi_rows(doc), strict=True):
        unit = kpi["unit"]
        points = [(p["quarter"], p["value"]) for p in kpi["trend"]]
        chart = trend_chart(
            points,
            lambda v, u=unit: format_figure(u, v, currency, compact=True),
            title=f"{kpi['label']}: {_('8-quarter trend')}",
            from_zero=unit in ("money", "count"),
        )
        cards.append(
            f'<div class="card" id="kpi-{escape(key)}"><h3>{escape(kpi["label"])}</h3>'
            f'<div class="value">{escape(row[1])}</div>'
            f"<div>{escape(_('Previous'))}: {escape(row[2])} · {escape(_('Change'))}: "
            f'{escape(row[3])}</div>{chart}<div class="how">{escape(row[4])}</div></div>'
        )
    return f'<div class="cards">{"".join(cards)}</div>'


def render_html(doc: dict[str, Any]) -> str:
    lang = "zh-CN" if current_language() == "zh" else "en"
    header = [
        _("KPI"),
        _("Value"),
        _("Previous ({quarter})", quarter=doc["previous_quarter"]),
        _("Change"),
        _("How it is computed"),
    ]
    sections = [
        f"<h1>{escape(title(doc))}</h1><p>{escape(subtitle(doc))}</p>",
        f"<h2>{escape(_('KPIs'))}</h2>",
        _cards(doc),
        _table(header, kpi_rows(doc), text_columns=(0, 4)),
    ]
    for heading, table_header, rows in group_tables(doc):
        sections.append(f"<h2>{escape(heading)}</h2>{_table(table_header, rows)}")
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{escape(title(doc))}</title><style>{_STYLE}</style></head>"
        f"<body>{''.join(sections)}</body></html>\n"
    )
