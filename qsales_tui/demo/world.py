"""What every part of the generator shares: the clock, the calendar, the people.

Each part draws from its own ``random.Random`` stream (``world.rng("sales")``), so a
change to how one table is made never shifts the numbers of another. Nothing reads
the wall clock: every timestamp is built from ``today`` in China Standard Time.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from functools import cached_property

from qsales_tui.domain.calendar import FiscalCalendar, Quarter
from qsales_tui.storage.schema import TABLES

CST = timezone(timedelta(hours=8))
HISTORY_QUARTERS = 8  # full quarters before the current one


def record_id(table: str, n: int) -> str:
    return f"{TABLES[table].prefix}-{n:04d}"


def stamp(day: date, hour: int = 9, minute: int = 0) -> str:
    """An ISO timestamp in China Standard Time."""
    return datetime.combine(day, time(hour, minute), CST).isoformat()


def poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw (Knuth's method; means here stay small)."""
    if mean <= 0:
        return 0
    if mean > 30:  # normal approximation keeps big means fast
        return max(0, round(rng.gauss(mean, mean**0.5)))
    limit, k, p = pow(2.718281828459045, -mean), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


@dataclass
class Profile:
    """How one customer behaves over the history (not stored; drives the other tables)."""

    index: int
    segment: str
    region: str
    team: int
    international: bool
    short_name: str  # brand, for deal names and e-mail domains
    domain: str
    created_on: date
    first_month: int  # index into World.months of the first possible purchase
    last_month: int  # last month with purchases (churn), -1 for leads
    rate: float  # the customer's own purchase-rate multiplier
    satisfaction: float  # 1..5, drives CSAT and NPS
    owners: list[tuple[date, str]] = field(default_factory=list)  # (from, rep id), in order

    def owner_on(self, day: date) -> str:
        current = self.owners[0][1]
        for since, rep_id in self.owners:
            if since <= day:
                current = rep_id
        return current


@dataclass
class World:
    seed: int
    today: date
    scale: float
    calendar: FiscalCalendar
    reps: list[dict] = field(default_factory=list)
    rep_ids: dict[str, str] = field(default_factory=dict)  # vocab key → rep id
    customers: list[dict] = field(default_factory=list)
    profiles: list[Profile] = field(default_factory=list)

    def rng(self, part: str) -> random.Random:
        return random.Random(f"qsales-demo:{self.seed}:{part}")

    @cached_property
    def current(self) -> Quarter:
        return self.calendar.quarter_of(self.today)

    @cached_property
    def quarters(self) -> list[Quarter]:
        """The history's quarters, oldest first, ending with the current one."""
        return [self.current.shift(-n) for n in range(HISTORY_QUARTERS, -1, -1)]

    @cached_property
    def start(self) -> date:
        return self.quarters[0].start

    @cached_property
    def months(self) -> list[date]:
        """First day of each month of the history, oldest first."""
        result, day = [], self.start
        while day <= self.current.end:
            result.append(day)
            day = (day + timedelta(days=32)).replace(day=1)
        return result

    @property
    def today_month(self) -> int:
        return (self.today.year - self.start.year) * 12 + self.today.month - self.start.month

    def month_of(self, day: date) -> int:
        return (day.year - self.start.year) * 12 + day.month - self.start.month

    def team_reps(self, team: int, on: date) -> list[str]:
        """Ids of the sales reps of a team employed on a day."""
        return [
            rep["id"]
            for rep in self.reps
            if rep["role"] == "rep"
            and rep["team_id"] == record_id("teams", team + 1)
            and rep["hired_on"] <= on.isoformat()
            and (rep.get("left_on") is None or rep["left_on"] >= on.isoformat())
        ]

    def manager(self, team: int) -> str:
        team_id = record_id("teams", team + 1)
        return next(
            r["id"] for r in self.reps if r["role"] == "manager" and r["team_id"] == team_id
        )

    def rep(self, rep_id: str) -> dict:
        return self.reps[int(rep_id.split("-")[1]) - 1]
