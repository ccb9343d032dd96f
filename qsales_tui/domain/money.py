"""Exact money: integer minor units (fen/cents) everywhere, Decimal only at the edges.

Amounts are stored and summed as ``int`` minor units. Parsing user input and
formatting for display are the only places a decimal point appears.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from qsales_tui.i18n import _

# ISO 4217 minor-unit exponents for the currencies a dataset is likely to use.
_EXPONENTS = {"JPY": 0, "KRW": 0, "VND": 0}
_SYMBOLS = {"CNY": "¥", "USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "HKD": "HK$"}


class MoneyError(ValueError):
    """A money amount that cannot be read."""


def exponent(currency: str) -> int:
    return _EXPONENTS.get(currency.upper(), 2)


def symbol(currency: str) -> str:
    return _SYMBOLS.get(currency.upper(), currency.upper() + " ")


def parse_money(text: str | int | Decimal, currency: str = "CNY") -> int:
    """Read an amount in major units ("1,234.50", "¥4.2M", "3万") into minor units."""
    if isinstance(text, int):
        return text * 10 ** exponent(currency)
    raw = str(text).strip().replace(",", "").replace("_", "").replace(" ", "")
    for sym in sorted(set(_SYMBOLS.values()), key=len, reverse=True):
        raw = raw.replace(sym.strip(), "")
    multiplier = Decimal(1)
    suffixes = {"k": 1_000, "K": 1_000, "m": 1_000_000, "M": 1_000_000, "万": 10_000, "亿": 10**8}
    if raw and raw[-1] in suffixes:
        multiplier = Decimal(suffixes[raw[-1]])
        raw = raw[:-1]
    try:
        value = Decimal(raw) * multiplier
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        raise MoneyError(_("not an amount: '{text}' (try 1,234.50, 4.2M or 3万)", text=text))
    minor = value.scaleb(exponent(currency)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return int(minor)


def to_decimal(minor: int, currency: str = "CNY") -> Decimal:
    return Decimal(int(minor)).scaleb(-exponent(currency))


def format_money(minor: int | None, currency: str = "CNY", *, compact: bool = False) -> str:
    """``123456`` → ``¥1,234.56``; compact gives ``¥1.2K``/``¥4.20M`` for tight columns."""
    if minor is None:
        return "—"
    sign = "-" if minor < 0 else ""
    value = to_decimal(abs(minor), currency)
    sym = symbol(currency)
    if compact:
        for limit, suffix in ((Decimal(10**9), "B"), (Decimal(10**6), "M"), (Decimal(10**3), "K")):
            if value >= limit:
                return f"{sign}{sym}{(value / limit).quantize(Decimal('0.01'))}{suffix}"
        return f"{sign}{sym}{value.quantize(Decimal(1))}"
    places = exponent(currency)
    return f"{sign}{sym}{value:,.{places}f}"


def apply_rate(minor: int, rate: Decimal | str | float) -> int:
    """Multiply an amount by a rate, rounding half up to the minor unit."""
    product = Decimal(int(minor)) * Decimal(str(rate))
    return int(product.quantize(Decimal(1), rounding=ROUND_HALF_UP))
