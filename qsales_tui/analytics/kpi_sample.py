"""A tiny worked example whose every KPI can be computed by hand.

Used by the tests and by docs/report-json.md's example. Today is Friday 2026-11-27,
fiscal year = calendar year, inactivity window 90 days. 2026-Q4 has 66 working days
(Oct 22, Nov 21, Dec 23); 42 have elapsed (Oct 22 + Nov 1–27: 20).

Customers: C-1 key/North (owner R-1), C-2 growth/South (R-2), C-3 standard/North (R-1),
C-4 standard/South (R-2), C-5 key/North (R-1). Reps R-1, R-2 in team T-1; R-3 in
team T-2 has no sales. Sales (yuan): 2025-10-15 C-1 100; 2026-06-01 C-4 50;
Q3: 07-10 C-1 200, 08-20 C-2 300, 09-15 C-3 100; Q4: 10-05 C-1 250, 11-10 C-5 400
(first purchase), 11-20 C-4 50 (back after 172 days: neither new nor counted in churn);
12-10 C-1 999 is after today and ignored.
"""

from __future__ import annotations

from datetime import date

from qsales_tui.analytics.kpi_inputs import KpiInputs

TODAY = date(2026, 11, 27)
SETTINGS = {
    "company": "Sample Co",
    "currency": "CNY",
    "fiscal_year_start_month": 1,
    "inactive_after_days": 90,
    "schema_version": 1,
}


def _sale(n: int, day: str, customer: str, rep: str, product: str, yuan: int) -> dict:
    return {
        "id": f"S-{n}",
        "date": day,
        "customer_id": customer,
        "rep_id": rep,
        "product": product,
        "quantity": 1,
        "amount_minor": yuan * 100,
    }


SALES = [
    _sale(1, "2025-10-15", "C-1", "R-1", "Alpha", 100),
    _sale(2, "2026-06-01", "C-4", "R-2", "Beta", 50),
    _sale(3, "2026-07-10", "C-1", "R-1", "Alpha", 200),
    _sale(4, "2026-08-20", "C-2", "R-2", "Beta", 300),
    _sale(5, "2026-09-15", "C-3", "R-1", "Alpha", 100),
    _sale(6, "2026-10-05", "C-1", "R-1", "Alpha", 250),
    _sale(7, "2026-11-10", "C-5", "R-1", "Beta", 400),
    _sale(8, "2026-11-20", "C-4", "R-2", "Beta", 50),
    _sale(9, "2026-12-10", "C-1", "R-1", "Alpha", 999),
]
CUSTOMERS = [
    {"id": "C-1", "name": "Huaxin", "segment": "key", "region": "North", "owner_id": "R-1"},
    {"id": "C-2", "name": "Hengda", "segment": "growth", "region": "South", "owner_id": "R-2"},
    {"id": "C-3", "name": "Northwind", "segment": "standard", "region": "North", "owner_id": "R-1"},
    {"id": "C-4", "name": "Lanhai", "segment": "standard", "region": "South", "owner_id": "R-2"},
    {"id": "C-5", "name": "Xinyu", "segment": "key", "region": "North", "owner_id": "R-1"},
]
REPS = [
    {"id": "R-1", "name": "Zhang Wei", "team_id": "T-1", "role": "rep"},
    {"id": "R-2", "name": "Lucy Li", "team_id": "T-1", "role": "rep"},
    {"id": "R-3", "name": "Wang Fang", "team_id": "T-2", "role": "rep"},
]
TEAMS = [{"id": "T-1", "name": "East"}, {"id": "T-2", "name": "West"}]


def _deal(
    n: int,
    rep: str,
    customer: str,
    status: str,
    yuan: int,
    created: str,
    expected: str,
    closed: str | None = None,
    probability: float = 1.0,
) -> dict:
    return {
        "id": f"D-{n}",
        "name": f"Deal {n}",
        "customer_id": customer,
        "rep_id": rep,
        "stage": status,
        "probability": probability,
        "amount_minor": yuan * 100,
        "created_on": created,
        "expected_close": expected,
        "status": status,
        "closed_on": closed,
    }


DEALS = [
    _deal(1, "R-1", "C-1", "won", 300, "2026-09-01", "2026-10-15", "2026-10-11"),
    _deal(2, "R-2", "C-2", "lost", 200, "2026-08-01", "2026-10-30", "2026-11-01", 0.0),
    _deal(3, "R-1", "C-5", "won", 100, "2026-10-01", "2026-11-30", "2026-11-20"),
    _deal(4, "R-2", "C-4", "open", 500, "2026-10-20", "2026-12-15", probability=0.5),
    _deal(5, "R-1", "C-3", "open", 400, "2026-11-01", "2027-01-20", probability=0.25),
    _deal(6, "R-1", "C-1", "won", 80, "2026-06-01", "2026-09-10", "2026-09-10"),
]


def _interaction(
    n: int, customer: str, rep: str, at: str, csat: int | None, nps: int | None
) -> dict:
    return {
        "id": f"I-{n}",
        "customer_id": customer,
        "rep_id": rep,
        "at": at,
        "channel": "call",
        "csat": csat,
        "nps": nps,
    }


INTERACTIONS = [
    _interaction(1, "C-1", "R-1", "2026-10-02T10:00:00+08:00", 5, 10),
    _interaction(2, "C-2", "R-2", "2026-10-20T15:00:00+08:00", 4, 3),
    _interaction(3, "C-3", "R-1", "2026-11-05T09:00:00+08:00", None, 9),
    _interaction(4, "C-5", "R-1", "2026-11-15T11:00:00+08:00", 3, 7),
    _interaction(5, "C-1", "R-1", "2026-09-20T11:00:00+08:00", 2, 0),
]
MARKET = [
    {"id": "M-1", "quarter": "2026-Q4", "segment": "key", "size_minor": 10_000_00},
    {"id": "M-2", "quarter": "2026-Q4", "segment": "growth", "size_minor": 5_000_00},
    {"id": "M-3", "quarter": "2026-Q3", "segment": "all", "size_minor": 12_000_00},
]
GOALS = [
    {
        "id": "G-1",
        "quarter": "2026-Q4",
        "metric": "revenue",
        "scope": "company",
        "target": 2000_00,
        "status": "active",
        "split": {"2026-10": 600_00, "2026-11": 700_00, "2026-12": 700_00},
        "allocation": {"R-1": 1200_00, "R-2": 600_00, "R-3": 200_00},
    },
]


def sample_inputs(**changes: object) -> KpiInputs:
    """The worked example; keyword arguments replace a table, the goals or settings."""
    tables: dict[str, object] = {
        "sales": SALES,
        "customers": CUSTOMERS,
        "reps": REPS,
        "teams": TEAMS,
        "deals": DEALS,
        "interactions": INTERACTIONS,
        "market": MARKET,
    }
    today = changes.pop("today", TODAY)
    settings = changes.pop("settings", SETTINGS)
    goals = changes.pop("goals", GOALS)
    tables.update(changes)
    return KpiInputs.from_records(today=today, settings=settings, goals=goals, **tables)  # type: ignore[arg-type]
