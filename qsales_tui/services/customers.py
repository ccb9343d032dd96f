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
* Region and industry are picked from the values already in the data
  (:func:`known_values`), so one region is not split into two spellings. A new value
  is typed deliberately; :func:`canonical_value` still maps it to a known code when it
  is that code or its translation in any language (typing ``海外`` stores
  ``International``), ignoring case and spaces.
* A new customer (:func:`add_customer`) starts as a lead created today; a rep may only
  add customers they own, a manager chooses any owner or none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from qsales_tui.domain.calendar import FiscalCalendar, Quarter
from qsales_tui.domain.clock import local_date
from qsales_tui.domain.models import validate_record
from qsales_tui.errors import QsalesError, WriteRefused
from qsales_tui.i18n import LANGUAGES, _, translate_to
from qsales_tui.services.identity import author_of, is_manager, require_may_act
from qsales_tui.storage.errors import ConflictError

EDITABLE_FIELDS = ("name", "segment", "industry", "region", "owner_id", "status")
CHOSEN_FIELDS = ("industry", "region")  # picked from the values in use (module docstring)


class CustomerChanged(QsalesError):
    """Someone saved the customer after the form read it; nothing of this edit was saved."""

    def __init__(self, customer_name: str, who: str):
        self.who = who
        super().__init__(
            _(
                "{who} saved changes to {customer} while you were editing it; "
                "nothing of yours was saved.",
                who=who,
                customer=customer_name,
            )
        )


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
    """Customer id → the ISO day of its latest interaction, in the dataset's timezone
    (``clock.local_date``: without one, the day the timestamp was written with)."""
    latest: dict[str, datetime] = {}
    for interaction in store.all("interactions"):
        cid, at = interaction["customer_id"], datetime.fromisoformat(interaction["at"])
        if cid not in latest or at > latest[cid]:
            latest[cid] = at
    timezone = store.settings.get("timezone")
    return {cid: local_date(at, timezone).isoformat() for cid, at in latest.items()}


def list_customers(
    store, calendar: FiscalCalendar, today: date, visible_rep_ids: set[str] | None = None
) -> list[CustomerRow]:
    """Every customer the user may see, with revenue over the last four quarters."""
    names = people_names(store)
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
    people = people_names(store)
    return CustomerDetail(
        customer=customer,
        owner_name=people.get(customer.get("owner_id") or "", ""),
        purchases=purchases,
        deals=deals,
        interactions=interactions,
        contacts=sorted(
            store.find("contacts", customer_id=customer_id), key=lambda row: row["name"]
        ),
        needs=sorted(
            store.find("needs", customer_id=customer_id), key=lambda row: row["at"], reverse=True
        ),
        open_followups=sorted(
            store.find("followups", customer_id=customer_id, status="open"),
            key=lambda row: (row["due"], row["id"]),
        ),
        people=people,
    )


def parse_tags(text: str) -> list[str]:
    """``"price, 交付；price"`` → ``["price", "交付"]`` (see the module docstring)."""
    tags: list[str] = []
    for raw in _TAG_SEPARATORS.split(text):
        tag = " ".join(raw.split())
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def require_rep(rep: dict | None) -> dict:
    """The acting rep, or the usual refusal for a user mapped to no rep."""
    if rep is None:
        raise WriteRefused(_("You are not mapped to a rep, so changes are refused."))
    return rep


def known_values(store, field_name: str) -> list[str]:
    """The distinct non-empty values of a customer field in the data, sorted."""
    return sorted({str(c.get(field_name) or "").strip() for c in store.all("customers")} - {""})


def _folded(text: str) -> str:
    return "".join(text.split()).casefold()


def canonical_value(typed: str, known: Iterable[str]) -> str:
    """The known code ``typed`` stands for (the code or its translation), else ``typed``
    tidied; see the module docstring."""
    tidy = " ".join(typed.split())
    for code in known:
        spellings = {code, *(translate_to(lang, code) for lang in LANGUAGES)}
        if _folded(tidy) in {_folded(spelling) for spelling in spellings}:
            return code
    return tidy


def add_need(
    store, rep: dict | None, customer_id: str, text: str, tags: str | list[str], now: datetime
) -> dict:
    """Save a need note on a customer; ``RecordError`` names a bad field, nothing is saved."""
    rep = require_rep(rep)
    customer = store.get("customers", customer_id)
    if customer is None:
        raise KeyError(customer_id)
    require_may_act(rep, customer)
    record = {
        "customer_id": customer_id,
        "at": now.isoformat(timespec="seconds"),
        "author": author_of(rep),
        "text": text.strip(),
        "tags": parse_tags(tags) if isinstance(tags, str) else tags,
    }
    validate_record("needs", {"id": "new", **record})
    return store.insert("needs", record)


def update_customer(store, rep: dict | None, customer_id: str, changes: dict, version: int) -> dict:
    """Save profile edits; reps may edit only their own customers, managers any.

    :class:`CustomerChanged` when someone saved the customer since ``version`` was read.
    """
    rep = require_rep(rep)
    customer = store.get("customers", customer_id)
    if customer is None:
        raise KeyError(customer_id)
    if rep.get("role") == "rep" and customer.get("owner_id") != rep["id"]:
        raise WriteRefused(_("Only the owner or a manager may edit this customer."))
    _check_fields(changes)
    try:
        return store.update("customers", customer_id, changes, expected_version=version)
    except ConflictError as exc:
        who = people_names(store).get(exc.changed_by or "") or exc.changed_by
        raise CustomerChanged(customer["name"], who or _("Someone else")) from None


def add_customer(store, rep: dict | None, fields: dict, today: date) -> dict:
    """Add a customer created ``today`` (a lead unless ``fields`` gives a status); returns it
    as stored. ``RecordError`` names a bad field and nothing is saved."""
    rep = require_rep(rep)
    _check_fields(fields)
    record = {
        "status": "lead",
        "industry": "",
        "region": "",
        "owner_id": rep["id"],
        **fields,
        "created_on": today.isoformat(),
    }
    if not is_manager(rep) and record["owner_id"] != rep["id"]:
        raise WriteRefused(_("A rep may only add customers they own."))
    validate_record("customers", {"id": "new", **record})
    return store.insert("customers", record)


def _check_fields(fields: dict) -> None:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
