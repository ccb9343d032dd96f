"""``generate(seed, today, scale)``: the whole demo company as plain records, in memory."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from qsales_tui.demo import activity, org, planning, sales
from qsales_tui.demo.world import HISTORY_QUARTERS, World
from qsales_tui.domain.calendar import FiscalCalendar

DEFAULT_TODAY = date(2026, 11, 27)
DEFAULT_SEED = 7


@dataclass(frozen=True)
class Dataset:
    """The settings record and every table's records, each list in a stable order."""

    settings: dict
    tables: dict[str, list[dict]]

    def counts(self) -> dict[str, int]:
        return {table: len(records) for table, records in self.tables.items()}


def generate(seed: int = DEFAULT_SEED, today: date = DEFAULT_TODAY, scale: float = 1.0) -> Dataset:
    """A believable company: ``HISTORY_QUARTERS`` past quarters and the current one to ``today``.

    The same arguments always give the same records. ``scale`` multiplies customers
    (400 at 1) and with them sales lines, contacts, deals, interactions and follow-ups;
    people, goals and the other small tables stay the same size.
    """
    if scale <= 0:
        raise ValueError(f"scale must be positive, got {scale}")
    settings = org.make_settings(today, seed, scale)
    world = World(
        seed=seed, today=today, scale=scale, calendar=FiscalCalendar.from_settings(settings)
    )
    teams, reps = org.make_people(world)
    customers = org.make_customers(world)
    sales_lines = sales.make_sales(world)
    tables = {
        "teams": teams,
        "reps": reps,
        "customers": customers,
        "contacts": org.make_contacts(world),
        "sales": sales_lines,
        "deals": activity.make_deals(world),
        "interactions": activity.make_interactions(world),
        "followups": activity.make_followups(world),
        "needs": activity.make_needs(world),
        **planning.make_plans(world, sales_lines),
    }
    return Dataset(settings=settings, tables=tables)


__all__ = ["DEFAULT_SEED", "DEFAULT_TODAY", "HISTORY_QUARTERS", "Dataset", "generate"]
