"""Customers for the screens and commands: list rows, one customer's full picture, edits.

Revenue figures come from the sales history (pandas, via ``storage.frames``), so the
functions that need them are meant to run in a worker thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from qsales_tui.domain.calendar import FiscalCalendar, Quarter
from qsales_tui.errors import WriteRefused
from qsales_tui.i18n import _

EDITABLE_FIELDS = ("name", "segment", "industry", "region", "owner_id", "status")


@dataclass
class CustomerRow:
    id: str
    name: str
    segment: str
    industry: str
    region: str
    owner_id: str
    owner_name: str
    status: str
    revenue_4q_minor: int
    last_contact: str  # ISO date or ""


@dataclass
class CustomerDetail:
    customer: dict
    owner_name: str
    purchases: list[tuple[str, int]]  # (quarter name, amount_minor), oldest first
    deals: list[dict] = field(default_factory=list)
    interactions: list[dict] = field(default_factory=list)  # newest first
    contacts: list[dict] = field(default_factory=list)
    needs: list[dict] = field(default_factory=list)


def _rep_names(store) -> dict[str, str]:
    return {rep["id"]: rep["name"] for rep in store.all("reps")}


def recent_quarters(calendar: FiscalCalendar, today: date, count: int) -> list[Quarter]:
    current = calendar.quarter_of(today)
    return [current.shift(-offset) for offset in range(count - 1, -1, -1)]


def revenue_by_customer(store, since: date) -> dict[str, int]:
    """Sum of sales per customer from ``since`` on (exact integer sums)."""
    from qsales_tui.storage.frames import load_frame

    sales = load_frame(store, "sales", columns=["date", "customer_id", "amount_minor"])
    recent = sales[sales["date"] >= since.isoformat()]
    totals = recent.groupby("customer_id", observed=True)["amount_minor"].sum()
    return {str(key): int(value) for key, value in totals.items()}


def last_contact_by_customer(store) -> dict[str, str]:
    from qsales_tui.storage.frames import load_frame

    interactions = load_frame(store, "interactions", columns=["customer_id", "at"])
    if interactions.empty:
        return {}
    latest = interactions.groupby("customer_id", observed=True)["at"].max()
    return {str(key): str(value)[:10] for key, value in latest.items()}


def list_customers(
    store, calendar: FiscalCalendar, today: date, visible_rep_ids: set[str] | None = None
) -> list[CustomerRow]:
    """Every customer the user may see, with revenue over the last four quarters."""
    names = _rep_names(store)
    since = recent_quarters(calendar, today, 4)[0].start
    revenue = revenue_by_customer(store, since)
    contacted = last_contact_by_customer(store)
    rows = []
    for customer in store.all("customers"):
        owner = customer.get("owner_id") or ""
        if visible_rep_ids is not None and owner not in visible_rep_ids:
            continue
        rows.append(
            CustomerRow(
                id=customer["id"],
                name=customer["name"],
                segment=customer["segment"],
                industry=customer.get("industry", ""),
                region=customer.get("region", ""),
                owner_id=owner,
                owner_name=names.get(owner, owner),
                status=customer["status"],
                revenue_4q_minor=revenue.get(customer["id"], 0),
                last_contact=contacted.get(customer["id"], ""),
            )
        )
    return rows


def customer_detail(store, calendar: FiscalCalendar, today: date, customer_id: str) -> CustomerDetail:
    from qsales_tui.storage.frames import load_frame

    customer = store.get("customers", customer_id)
    if customer is None:
        raise KeyError(customer_id)
    quarters = recent_quarters(calendar, today, 8)
    sales = load_frame(store, "sales", columns=["date", "customer_id", "amount_minor"])
    mine = sales[(sales["customer_id"] == customer_id) & (sales["date"] >= quarters[0].start.isoformat())]
    purchases = []
    for quarter in quarters:
        in_quarter = mine[
            (mine["date"] >= quarter.start.isoformat()) & (mine["date"] <= quarter.end.isoformat())
        ]
        purchases.append((quarter.name, int(in_quarter["amount_minor"].sum())))
    interactions = sorted(
        store.find("interactions", customer_id=customer_id), key=lambda row: row["at"], reverse=True
    )
    deals = sorted(
        store.find("deals", customer_id=customer_id),
        key=lambda row: (row["status"] != "open", row["expected_close"]),
    )
    return CustomerDetail(
        customer=customer,
        owner_name=_rep_names(store).get(customer.get("owner_id") or "", ""),
        purchases=purchases,
        deals=deals,
        interactions=interactions,
        contacts=store.find("contacts", customer_id=customer_id),
        needs=sorted(
            store.find("needs", customer_id=customer_id), key=lambda row: row["at"], reverse=True
        ),
    )


def update_customer(store, rep: dict | None, customer_id: str, changes: dict, version: int) -> dict:
    """Save profile edits; reps may edit only their own customers, managers any."""
    if rep is None:
        raise WriteRefused(_("You are not mapped to a rep, so changes are refused."))
    customer = store.get("customers", customer_id)
    if customer is None:
        raise KeyError(customer_id)
    if rep.get("role") == "rep" and customer.get("owner_id") != rep["id"]:
        raise WriteRefused(_("Only the owner or a manager may edit this customer."))
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    return store.update("customers", customer_id, changes, expected_version=version)
