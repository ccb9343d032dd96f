"""Figures as text, one way for the report, the exports' labels and the screen.

``format_figure(unit, value, currency)`` → ``¥700.00``, ``35.0%``, ``+25``,
``−0.67 pp``, ``45.0 d``, ``0.38×``; None → ``—``.
"""

from __future__ import annotations

from qsales_tui.domain.money import format_money
from qsales_tui.i18n import _

MISSING = "—"


def format_figure(unit: str, value: float | None, currency: str = "CNY",
                  *, compact: bool = False) -> str:
    if value is None:
        return MISSING
    if unit == "money":
        return format_money(int(value), currency, compact=compact)
    if unit == "ratio":
        return f"{value * 100:.1f}%"
    if unit == "count":
        return f"{int(value):,}"
    if unit == "score":
        return f"{value:.2f}"
    if unit == "points":
        return f"{value:+.0f}"
    if unit == "pp":
        return _("{value} pp", value=f"{value:+.2f}")
    if unit == "days":
        return _("{value} d", value=f"{value:.1f}")
    if unit == "multiple":
        return f"{value:.2f}×"
    raise ValueError(f"unknown unit {unit!r}")


def format_change(unit: str, value: float | None, previous: float | None,
                  currency: str = "CNY") -> str:
    """The change from the previous quarter in the figure's terms (ratios in points)."""
    if value is None or previous is None:
        return MISSING
    delta = value - previous
    if unit == "money":
        return ("+" if delta >= 0 else "") + format_money(int(delta), currency)
    if unit == "ratio":
        return _("{value} pp", value=f"{delta * 100:+.1f}")
    if unit == "days":
        return _("{value} d", value=f"{delta:+.1f}")
    if unit in ("count", "points"):
        return f"{delta:+,.0f}"
    if unit == "pp":
        return format_figure("pp", delta)
    return f"{delta:+.2f}"


# Units of each KPI's numerator and denominator, to show "¥700.00 ÷ ¥2,000.00".
_TERM_UNITS: dict[str, tuple[str, str]] = {
    "revenue_qoq": ("money", "money"),
    "revenue_yoy": ("money", "money"),
    "attainment": ("money", "money"),
    "pace": ("money", "money"),
    "run_rate_forecast": ("money", "count"),
    "churn_rate": ("count", "count"),
    "net_revenue_retention": ("money", "money"),
    "csat": ("count", "count"),
    "nps": ("count", "count"),
    "market_share": ("money", "money"),
    "pipeline_coverage": ("money", "money"),
    "win_rate_count": ("count", "count"),
    "win_rate_value": ("money", "money"),
    "avg_deal_size": ("money", "count"),
    "sales_cycle_days": ("count", "count"),
}


def format_terms(key: str, figure: dict, currency: str = "CNY") -> str:
    """The figure's inputs put into its formula (``¥700.00 ÷ ¥2,000.00``), or ""."""
    terms = figure.get("terms") or {}
    if key == "pipeline_forecast" and terms:
        return "{} + {}".format(format_money(terms["revenue_minor"], currency),
                                format_money(terms["weighted_pipeline_minor"], currency))
    if key == "market_share_change" and terms:
        return "{} − {}".format(format_figure("ratio", terms["market_share"]),
                                format_figure("ratio", terms["previous_market_share"]))
    units = _TERM_UNITS.get(key)
    if units is None or figure.get("numerator") is None or figure.get("denominator") is None:
        return ""
    text = "{} ÷ {}".format(format_figure(units[0], figure["numerator"], currency),
                            format_figure(units[1], figure["denominator"], currency))
    if key == "nps":
        text = "({} − {}) ÷ {} × 100".format(terms["promoters"], terms["detractors"],
                                             figure["denominator"])
    elif key == "run_rate_forecast":
        text += f" × {terms['total_working_days']}"
    return text


def format_entry(unit: str, figure: dict, currency: str = "CNY") -> str:
    """A report figure entry: its value (with pace status), or ``— (reason)``."""
    if figure.get("value") is None:
        reason = figure.get("reason_text")
        return f"{MISSING} ({reason})" if reason else MISSING
    text = format_figure(unit, figure["value"], currency)
    return f"{text} · {figure['status_text']}" if figure.get("status_text") else text
