"""Customers for the screens and commands: list rows, one customer's full picture, edits,
and need notes.

Revenue figures come from the sales history (pandas, via ``storage.frames``), so the
functions that need them are meant to run in a worker thread.

Decisions where the brief is silent:

* A need note's tags are typed as one line separated by commas (``,`` ``，`` ``、``)
  or semicolons; blanks and repeats are dropped, the order kept.
* Need notes are written by whoever may act on the customer (its owner or a manager);
  ``author`` is the writer's OS user (``identity.author_of``), as everywhere. A record
  written by hand with a rep id instead is shown with the rep's name too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from qsales_tui.domain.calendar import FiscalCalendar, Quarter
from qsales_tui.domain.models import validate_record
from qsales_tui.errors import WriteRefused
from qsales_tui.i18n import _
from qsales_tui.services.identity import author_of, require_may_act

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
    needs: list[dict] = field(default_factory=list)  # newest first
    open_followups: list[dict] = field(default_factory=list)  # soonest first
    people: dict[str, str] = field(default_factory=dict)  # rep id or OS user → name

    @property
    def open_deals(self) -> list[dict]:
        return [deal for deal in self.deals if deal["status"] == "open"]

    def author_name(self, author: str | None) -> str:
        return self.people.get(author or "", author or "")


_TAG_SEPARATORS = re.compile(r"[,，、;；]")


def _rep_names(store) -> dict[str, str]:
    return {rep["id"]: rep["name"] for rep in store.all("reps")}


def people_names(store) -> dict[str, str]:
    """Rep id and OS user → the rep's name, to show who wrote a record."""
    names = {}
    for rep in store.all("reps"):
        if rep.get("os_user"):
            names[rep["os_user"]] = rep["name"]
        names[rep["id"]] = rep["name"]
    return names


def next_open_followups(followups: Iterable[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    """Customer id → its open follow-up due soonest."""
    soonest: dict[str, Mapping[str, Any]] = {}
    for followup in followups:
        if followup.get("status") != "open":
            continue
        cid = followup["customer_id"]
        if cid not in soonest or followup["due"] < soonest[cid]["due"]:
            soonest[cid] = followup
    return soonest


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


def customer_detail(
    store, calendar: FiscalCalendar, today: date, customer_id: str
) -> CustomerDetail:
    from qsales_tui.storage.frames import load_frame

    customer = store.get("customers", customer_id)
    if customer is None:
        raise KeyError(customer_id)
    quarters = recent_quarters(calendar, today, 8)
    sales = load_frame(store, "sales", columns=["date", "customer_id", "amount_minor"])
    recent = sales["date"] >= quarters[0].start.isoformat()
    mine = sales[(sales["customer_id"] == customer_id) & recent]
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
        contacts=sorted(store.find("contacts", customer_id=customer_id),
                        key=lambda row: row["name"]),
        needs=sorted(
            store.find("needs", customer_id=customer_id), key=lambda row: row["at"], reverse=True
        ),
        open_followups=sorted(store.find("followups", customer_id=customer_id, status="open"),
                              key=lambda row: (row["due"], row["id"])),
        people=people_names(store),
    )


def parse_tags(text: str) -> list[str]:
    """``"price, 交付；price"`` → ``["price", "交付"]`` (see the module docstring)."""
    tags: list[str] = []
    for raw in _TAG_SEPARATORS.split(text):
        tag = " ".join(raw.split())
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def add_need(store, rep: dict | None, customer_id: str, text: str, tags: str | list[str],
             now: datetime) -> dict:
    """Save a need note on a customer; ``RecordError`` names a bad field, nothing is saved."""
    if rep is None:
        raise WriteRefused(_("You are not mapped to a rep, so changes are refused."))
    customer = store.get("customers", customer_id)
    if customer is None:
        raise KeyError(customer_id)
    require_may_act(rep, customer)
    record = {
        "customer_id": customer_id, "at": now.isoformat(timespec="seconds"),
        "author": author_of(rep), "text": text.strip(),
        "tags": parse_tags(tags) if isinstance(tags, str) else tags,
    }
    validate_record("needs", {"id": "new", **record})
    return store.insert("needs", record)


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
