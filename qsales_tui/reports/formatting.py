"""Figures as text, one way for the report, the exports' labels and the screen.

``format_figure(unit, value, currency)`` → ``¥700.00``, ``35.0%``, ``+25``,
``−0.67 pp``, ``45.0 d``, ``0.38×``; None → ``—``.

A change is the difference of the two values *as shown* (``format_change``): NPS +8
against −10 is +18, even when the exact values (8.33 and −10.42) differ by 18.75, so
the figures on screen and in the report always add up.
"""

from __future__ import annotations

from decimal import Decimal

from qsales_tui.domain.money import format_money
from qsales_tui.i18n import _

MISSING = "—"
# unit → (scale, decimals) of the number shown: a ratio as a percentage to 0.1 …
_SHOWN: dict[str, tuple[int, int]] = {
    "ratio": (100, 1),
    "score": (1, 2),
    "points": (1, 0),
    "pp": (1, 2),
    "days": (1, 1),
    "multiple": (1, 2),
}


def shown_number(unit: str, value: float) -> Decimal:
    """The number ``format_figure`` shows for ``value`` (a ratio in percent), exactly;
    a value that rounds to zero is 0, never −0."""
    scale, decimals = _SHOWN[unit]
    return Decimal(f"{value * scale:.{decimals}f}") + 0


def format_figure(
    unit: str, value: float | None, currency: str = "CNY", *, compact: bool = False
) -> str:
    if value is None:
        return MISSING
    if unit == "money":
        return format_money(int(value), currency, compact=compact)
    if unit == "count":
        return f"{int(value):,}"
    if unit not in _SHOWN:
        raise ValueError(f"unknown unit {unit!r}")
    number = shown_number(unit, value)
    if unit == "ratio":
        return f"{number}%"
    if unit == "points":
        return f"{number:+}"
    if unit == "pp":
        return _("{value} pp", value=f"{number:+}")
    if unit == "days":
        return _("{value} d", value=f"{number}")
    if unit == "multiple":
        return f"{number}×"
    return f"{number}"


def format_change(
    unit: str, value: float | None, previous: float | None, currency: str = "CNY"
) -> str:
    """The change from the previous quarter in the figure's terms (ratios in points):
    the difference of the two values as ``format_figure`` shows them."""
    if value is None or previous is None:
        return MISSING
    if unit == "money":
        delta = int(value) - int(previous)
        return ("+" if delta >= 0 else "") + format_money(delta, currency)
    if unit == "count":
        return f"{int(value) - int(previous):+,}"
    if unit not in _SHOWN:
        raise ValueError(f"unknown unit {unit!r}")
    change = shown_number(unit, value) - shown_number(unit, previous)
    if unit == "ratio":
        return _("{value} pp", value=f"{change:+}")
    if unit == "days":
        return _("{value} d", value=f"{change:+}")
    if unit == "pp":
        return _("{value} pp", value=f"{change:+}")
    return f"{change:+}"


# Units of each KPI's numerator and denominator, to show "¥700.00 ÷ ¥2,000.00".
_TERM_UNITS: dict[str, tuple[str, str]] = {
    "revenue_qoq": ("money", "money"),
    "revenue_yoy": ("money", "money"),
    "revenue_qoq_to_date": ("money", "money"),
    "revenue_yoy_to_date": ("money", "money"),
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
        return "{} + {}".format(
            format_money(terms["revenue_minor"], currency),
            format_money(terms["weighted_pipeline_minor"], currency),
        )
    if key == "market_share_change" and terms:
        return "{} − {}".format(
            format_figure("ratio", terms["market_share"]),
            format_figure("ratio", terms["previous_market_share"]),
        )
    units = _TERM_UNITS.get(key)
    if units is None or figure.get("numerator") is None or figure.get("denominator") is None:
        return ""
    text = "{} ÷ {}".format(
        format_figure(units[0], figure["numerator"], currency),
        format_figure(units[1], figure["denominator"], currency),
    )
    if key == "nps":
        text = "({} − {}) ÷ {} × 100".format(
            terms["promoters"], terms["detractors"], figure["denominator"]
        )
    elif key == "run_rate_forecast":
        text += f" × {terms['total_working_days']}"
    elif key in ("revenue_qoq_to_date", "revenue_yoy_to_date"):
        text += " " + _("(compared up to {day})", day=terms["compared_until"])
    return text


def format_entry(unit: str, figure: dict, currency: str = "CNY") -> str:
    """A report figure entry: its value (with pace status), or ``— (reason)``."""
    if figure.get("value") is None:
        reason = figure.get("reason_text")
        return f"{MISSING} ({reason})" if reason else MISSING
    text = format_figure(unit, figure["value"], currency)
    return f"{text} · {figure['status_text']}" if figure.get("status_text") else text
