"""Fiscal calendar: quarters from a configurable fiscal-year start month, and working days.

Quarter names are ``YYYY-Qn``. The fiscal year is named by the calendar year in which
it *starts*: with ``start_month=4``, ``2026-Q1`` is April–June 2026 and ``2026-Q4`` is
January–March 2027. With the default ``start_month=1`` names match calendar quarters.

Working days are Monday–Friday, minus ``holidays``, plus ``extra_workdays`` (China's
make-up Saturdays), both given as ISO dates in the settings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

_QUARTER_RE = re.compile(r"^(\d{4})-Q([1-4])$")


@dataclass(frozen=True, order=True)
class Quarter:
    year: int  # fiscal year
    number: int  # 1..4
    start_month: int = field(default=1, compare=False)

    @classmethod
    def parse(cls, name: str, start_month: int = 1) -> Quarter:
        match = _QUARTER_RE.match(name.strip().upper())
        if not match:
            raise ValueError(f"not a quarter name (want YYYY-Qn): {name!r}")
        return cls(int(match.group(1)), int(match.group(2)), start_month)

    @property
    def name(self) -> str:
        return f"{self.year}-Q{self.number}"

    def __str__(self) -> str:
        return self.name

    @cached_property
    def start(self) -> date:
        month0 = self.start_month - 1 + (self.number - 1) * 3
        return date(self.year + month0 // 12, month0 % 12 + 1, 1)

    @cached_property
    def end(self) -> date:
        """Last day of the quarter (inclusive)."""
        return _add_months(self.start, 3) - timedelta(days=1)

    def shift(self, quarters: int) -> Quarter:
        index = self.year * 4 + (self.number - 1) + quarters
        return Quarter(index // 4, index % 4 + 1, self.start_month)

    @property
    def previous(self) -> Quarter:
        return self.shift(-1)

    @property
    def next(self) -> Quarter:
        return self.shift(1)

    @property
    def last_year(self) -> Quarter:
        return self.shift(-4)

    def months(self) -> list[str]:
        """The quarter's months as ``YYYY-MM`` keys."""
        return [_add_months(self.start, i).strftime("%Y-%m") for i in range(3)]

    def weeks(self) -> list[tuple[str, date, date]]:
        """ISO weeks touching the quarter, clipped to it: (``YYYY-Www``, first day, last day)."""
        result = []
        day = self.start
        while day <= self.end:
            iso = day.isocalendar()
            week_end = min(day + timedelta(days=6 - day.weekday()), self.end)
            result.append((f"{iso.year}-W{iso.week:02d}", day, week_end))
            day = week_end + timedelta(days=1)
        return result

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class FiscalCalendar:
    start_month: int = 1
    holidays: frozenset[date] = frozenset()
    extra_workdays: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        if not 1 <= self.start_month <= 12:
            raise ValueError(f"fiscal_year_start_month must be 1–12, got {self.start_month}")

    @classmethod
    def from_settings(cls, settings: dict) -> FiscalCalendar:
        return cls(
            start_month=int(settings.get("fiscal_year_start_month", 1)),
            holidays=frozenset(date.fromisoformat(d) for d in settings.get("holidays", [])),
            extra_workdays=frozenset(
                date.fromisoformat(d) for d in settings.get("extra_workdays", [])
            ),
        )

    def quarter(self, name: str) -> Quarter:
        return Quarter.parse(name, self.start_month)

    def quarter_of(self, day: date) -> Quarter:
        offset = (day.month - self.start_month) % 12
        fiscal_year = day.year if day.month >= self.start_month else day.year - 1
        return Quarter(fiscal_year, offset // 3 + 1, self.start_month)

    def is_working_day(self, day: date) -> bool:
        if day in self.extra_workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def working_days(self, first: date, last: date) -> int:
        """Working days from ``first`` to ``last``, both inclusive (0 when last < first)."""
        count = 0
        day = first
        while day <= last:
            count += self.is_working_day(day)
            day += timedelta(days=1)
        return count

    def quarter_working_days(self, quarter: Quarter) -> int:
        return self.working_days(quarter.start, quarter.end)

    def elapsed_working_days(self, quarter: Quarter, today: date) -> int:
        """Working days of the quarter up to and including ``today``."""
        return self.working_days(quarter.start, min(today, quarter.end))
