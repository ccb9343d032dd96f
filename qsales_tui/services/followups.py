"""Follow-up actions and the queue, over the Store; the screen and the CLI both call these.

Every action checks its input first (nothing is written on bad input), runs under one
store transaction, writes through ``store.insert``/``store.update`` (validated,
versioned, audited), and returns an :class:`ActionResult` whose ``undo`` reverses it.

Decisions where the brief is silent:

* Logging an interaction *on a follow-up* (``followup_id``) also marks that follow-up
  done with the interaction's outcome, so the item leaves the queue.
* The next follow-up is planned, after a contact or a finished follow-up, for lead and
  active customers only, assigned to the customer's owner (else the actor).
* Rescheduling to a past date needs the same confirmation as a new follow-up there.
* Only managers assign a follow-up to someone else (on add, or by reassigning).
* Interactions record the acting rep as both ``rep_id`` and ``author``.
* A rep's queue scope is always their own; team and everyone's need a manager.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from qsales_tui.domain import clock
from qsales_tui.domain.calendar import FiscalCalendar
from qsales_tui.domain.followups import (
    CustomerStats,
    InvalidInput,
    QueueFilter,
    QueueItem,
    RevenueWindows,
    build_queue,
    check_interaction,
    check_not_past,
    customer_stats,
    parse_due,
    plan_next_due,
    sales_totals,
)
from qsales_tui.domain.models import validate_record
from qsales_tui.errors import QsalesError
from qsales_tui.i18n import _
from qsales_tui.rules import load_cadences
from qsales_tui.services.identity import (
    author_of,
    is_manager,
    require_manager,
    require_may_act,
    require_writer,
    team_rep_ids,
)
from qsales_tui.services.undo import Recorder, Undo

PRIORITIES = ("low", "normal", "high")
SCOPES = ("mine", "team", "all")
_PLANNABLE = ("lead", "active")


class ScopeRefused(QsalesError):
    """A rep asked for another rep's, their team's or everyone's queue."""


def moment(today: date, timezone: str | None = None) -> datetime:
    """Now, as an aware timestamp on ``today`` (which ``--today`` may have fixed), in the
    dataset's ``timezone`` (see ``domain.clock``)."""
    current = clock.now(timezone)
    return current if current.date() == today else datetime.combine(today, current.timetz())


@dataclass(frozen=True)
class Desk:
    """What every action needs: the store, who acts, when, the calendar and cadences."""

    store: Any
    actor: dict
    now: datetime
    calendar: FiscalCalendar
    cadences: Mapping[str, int]

    @classmethod
    def from_context(cls, ctx: Any) -> Desk:
        """For the current user of ``ctx``; :class:`WriteRefused` when they map to no rep."""
        return cls(
            ctx.store,
            require_writer(ctx.store, ctx.os_user),
            moment(ctx.today, ctx.store.settings.get("timezone")),
            ctx.calendar,
            load_cadences(ctx.rules_dir),
        )

    @property
    def today(self) -> date:
        return self.now.date()

    @property
    def stamp(self) -> str:
        return self.now.isoformat(timespec="seconds")


@dataclass(frozen=True)
class ActionResult:
    message: str  # what happened, for the status line
    record: dict  # the interaction or follow-up written
    planned: dict | None  # the next follow-up planned by the cadence, if any
    undo: Undo


# ---------------------------------------------------------------------------- lookups


def _customer(store: Any, customer_id: str) -> dict:
    customer = store.get("customers", customer_id)
    if customer is None:
        raise InvalidInput("customer", customer_id, _("no such customer"))
    return customer


def _open_followup(store: Any, followup_id: str) -> dict:
    followup = store.get("followups", followup_id)
    if followup is None:
        raise InvalidInput("followup", followup_id, _("no such follow-up"))
    if followup["status"] != "open":
        raise InvalidInput(
            "followup", followup_id, _("already {status}", status=followup["status"])
        )
    return followup


def _active_rep(store: Any, rep_id: str) -> dict:
    rep = store.get("reps", rep_id)
    if rep is None or not rep.get("active", True):
        raise InvalidInput("rep", rep_id, _("no such active rep"))
    return rep


def _plan_next(rec: Recorder, desk: Desk, customer: dict) -> dict | None:
    """Plan the customer's next follow-up by the cadence unless one is already open."""
    if customer.get("status") not in _PLANNABLE:
        return None
    if desk.store.find("followups", customer_id=customer["id"], status="open"):
        return None
    due = plan_next_due(desk.today, customer["segment"], desk.cadences, desk.calendar)
    return rec.insert(
        "followups",
        {
            "customer_id": customer["id"],
            "rep_id": customer.get("owner_id") or desk.actor["id"],
            "due": due.isoformat(),
            "priority": "normal",
            "status": "open",
            "created_at": desk.stamp,
            "done_at": None,
            "outcome": None,
        },
    )


def _planned_note(planned: dict | None) -> str:
    if planned is None:
        return ""
    return " " + _("Next follow-up {id} due {due}.", id=planned["id"], due=planned["due"])


# ---------------------------------------------------------------------------- actions


def log_interaction(
    desk: Desk,
    customer_id: str,
    channel: str,
    note: str = "",
    outcome: str = "",
    csat: Any = None,
    nps: Any = None,
    *,
    followup_id: str | None = None,
    expected_version: int | None = None,
) -> ActionResult:
    """Record a contact; with ``followup_id``, that follow-up is done. Plans the next one."""
    channel, csat, nps = check_interaction(channel, csat, nps)
    store = desk.store
    with store.transaction():
        customer = _customer(store, customer_id)
        followup = _open_followup(store, followup_id) if followup_id else None
        if followup is not None and followup["customer_id"] != customer_id:
            raise InvalidInput("followup", followup_id, _("belongs to another customer"))
        require_may_act(desk.actor, customer, followup)
        record = {
            "customer_id": customer_id,
            "rep_id": desk.actor["id"],
            "at": desk.stamp,
            "channel": channel,
            "note": note,
            "outcome": outcome,
            "csat": csat,
            "nps": nps,
            "author": author_of(desk.actor),
        }
        validate_record("interactions", {"id": "new", **record})  # bad input writes nothing
        rec = Recorder(store)
        if followup is not None:  # first: a version conflict must stop before any write
            rec.update(
                "followups",
                followup,
                {"status": "done", "done_at": desk.stamp, "outcome": outcome},
                expected_version,
            )
        interaction = rec.insert("interactions", record)
        planned = _plan_next(rec, desk, customer)
    message = _("Logged {channel} with {customer}.", channel=_(channel), customer=customer["name"])
    return ActionResult(
        message + _planned_note(planned),
        interaction,
        planned,
        rec.undo(_("log {channel} with {customer}", channel=_(channel), customer=customer["name"])),
    )


def mark_done(
    desk: Desk, followup_id: str, outcome: str, expected_version: int | None = None
) -> ActionResult:
    """Finish a follow-up with how it went (required), and plan the next one."""
    if not outcome.strip():
        raise InvalidInput("outcome", outcome, _("say how it went"))
    store = desk.store
    with store.transaction():
        followup = _open_followup(store, followup_id)
        customer = _customer(store, followup["customer_id"])
        require_may_act(desk.actor, customer, followup)
        rec = Recorder(store)
        done = rec.update(
            "followups",
            followup,
            {"status": "done", "done_at": desk.stamp, "outcome": outcome},
            expected_version,
        )
        planned = _plan_next(rec, desk, customer)
    message = _("Follow-up {id} done.", id=followup_id)
    return ActionResult(
        message + _planned_note(planned),
        done,
        planned,
        rec.undo(_("finish follow-up {id}", id=followup_id)),
    )


def reschedule(
    desk: Desk,
    followup_id: str,
    due: str | date,
    *,
    expected_version: int | None = None,
    confirm_past: bool = False,
) -> ActionResult:
    """Move a follow-up to ``due`` (a date, ``tomorrow``, ``+3``, ``next-week`` or ``+N``)."""
    new_due = parse_due(due, desk.today)
    check_not_past(new_due, desk.today, confirm_past)
    store = desk.store
    with store.transaction():
        followup = _open_followup(store, followup_id)
        require_may_act(desk.actor, _customer(store, followup["customer_id"]), followup)
        rec = Recorder(store)
        moved = rec.update("followups", followup, {"due": new_due.isoformat()}, expected_version)
    return ActionResult(
        _("Follow-up {id} moved to {due}.", id=followup_id, due=new_due.isoformat()),
        moved,
        None,
        rec.undo(_("move follow-up {id}", id=followup_id)),
    )


def add_followup(
    desk: Desk,
    customer_id: str,
    due: str | date,
    *,
    priority: str = "normal",
    rep_id: str | None = None,
    confirm_past: bool = False,
) -> ActionResult:
    """A new open follow-up, for the customer's owner unless a manager names a rep."""
    new_due = parse_due(due, desk.today)
    if priority not in PRIORITIES:
        raise InvalidInput(
            "priority", priority, _("use one of {choices}", choices=", ".join(PRIORITIES))
        )
    check_not_past(new_due, desk.today, confirm_past)
    store = desk.store
    with store.transaction():
        customer = _customer(store, customer_id)
        require_may_act(desk.actor, customer)
        if rep_id is not None and rep_id != desk.actor["id"]:
            require_manager(desk.actor, _("assign follow-ups to others"))
        assignee = (
            _active_rep(store, rep_id)["id"]
            if rep_id
            else (customer.get("owner_id") or desk.actor["id"])
        )
        rec = Recorder(store)
        created = rec.insert(
            "followups",
            {
                "customer_id": customer_id,
                "rep_id": assignee,
                "due": new_due.isoformat(),
                "priority": priority,
                "status": "open",
                "created_at": desk.stamp,
                "done_at": None,
                "outcome": None,
            },
        )
    return ActionResult(
        _("Follow-up {id} added, due {due}.", id=created["id"], due=created["due"]),
        created,
        None,
        rec.undo(_("add follow-up {id}", id=created["id"])),
    )


def reassign(
    desk: Desk, followup_id: str, rep_id: str, expected_version: int | None = None
) -> ActionResult:
    """Give a follow-up to another rep (managers only)."""
    require_manager(desk.actor, _("reassign follow-ups"))
    store = desk.store
    with store.transaction():
        followup = _open_followup(store, followup_id)
        rep = _active_rep(store, rep_id)
        rec = Recorder(store)
        moved = rec.update("followups", followup, {"rep_id": rep["id"]}, expected_version)
    return ActionResult(
        _("Follow-up {id} now with {rep}.", id=followup_id, rep=rep["name"]),
        moved,
        None,
        rec.undo(_("reassign follow-up {id}", id=followup_id)),
    )


# ------------------------------------------------------------------------------ queue


def default_scope(viewer: dict | None) -> str:
    """Where a queue starts: a rep on their own, a manager on their team (managers own
    few customers themselves), a director or a user mapped to no rep on everyone."""
    if viewer is None or viewer.get("role") == "director":
        return "all"
    return "team" if is_manager(viewer) else "mine"


def scope_rep_ids(
    store: Any, viewer: dict | None, scope: str = "mine", rep_id: str | None = None
) -> set[str] | None:
    """Whose follow-ups to show: one rep (``rep_id``), or ``scope``; None means everyone.

    Managers and directors see anything; a rep only their own. A user mapped to no rep
    may browse one rep's queue or everyone's, but has no "mine".
    """
    if rep_id is not None:
        _active_rep(store, rep_id)
        wanted = {rep_id}
    elif scope == "all":
        wanted = None
    elif viewer is None:
        raise ScopeRefused(_("you are not mapped to a rep: name one with --rep, or use --all"))
    elif scope == "team":
        wanted = team_rep_ids(store, viewer)
    elif scope == "mine":
        wanted = {viewer["id"]}
    else:
        raise InvalidInput("scope", scope, _("use one of {choices}", choices=", ".join(SCOPES)))
    if viewer is not None and not is_manager(viewer) and wanted != {viewer["id"]}:
        raise ScopeRefused(_("only managers see other reps' follow-ups"))
    return wanted


@dataclass(frozen=True)
class QueueSnapshot:
    """The records and per-customer stats the queue is built from, read once.

    Building the queue from a snapshot costs ~100 ms for everyone at ×10 scale; reading
    the snapshot is the slow part, so keep it while ``store.change_token()`` equals
    ``token`` and rebuild the queue from it for every filter and keystroke.
    """

    token: str
    today: date
    customers: list[dict]
    followups: list[dict]
    stats: dict[str, CustomerStats]

    @classmethod
    def load(cls, store: Any, today: date, calendar: FiscalCalendar) -> QueueSnapshot:
        from qsales_tui.storage.frames import load_frame

        token = store.change_token()
        sales = load_frame(store, "sales", columns=["date", "customer_id", "amount_minor"])
        followups = store.all("followups")
        stats = customer_stats(
            sales_totals(sales, RevenueWindows.around(today, calendar)),
            store.all("interactions"),
            store.all("deals"),
            followups,
            today=today,
        )
        return cls(token, today, store.all("customers"), followups, stats)

    def queue(
        self, where: QueueFilter, *, cadences: Mapping[str, int], currency: str
    ) -> list[QueueItem]:
        return build_queue(
            self.customers,
            self.followups,
            self.stats,
            today=self.today,
            cadences=cadences,
            where=where,
            currency=currency,
        )
