"""The follow-up queue: what a rep should do today, in an order that can be trusted.

Pure functions over plain data (record dicts as stored, and per-customer stats).

**Stats** are the expensive part: :func:`sales_totals` sums the sales history in one
pandas group-by (the storage's columnar frame loads fast), :func:`customer_stats` adds
one pass over interactions, deals and follow-ups. Compute them once and reuse them for
every filter of the queue; :func:`build_queue` is then a pass over the open follow-ups
and the customers (~100 ms for everyone at ×10 scale on this machine).

Decisions where the brief is silent:

* *Customer value* is the revenue of the four **complete** fiscal quarters before
  today's quarter, so it does not jump around while a quarter fills up. *Falling
  purchases* compares the last complete quarter with the one before it.
* *Last contact* is the latest interaction or finished follow-up. A customer never
  contacted counts its silence from ``created_on``.
* *Open deals closing soon* are open deals whose expected close is on or before
  today + 30 days (late, still-open deals count too), at full amount.
* *This week* runs to Sunday of today's ISO week. A horizon includes everything due
  before it: ``today`` holds the overdue items too, ``week`` the whole queue.
* A customer is *due by cadence* when it is a lead or active, has no open
  follow-up, and its last contact is ``cadence`` days ago or more. Its virtual item
  is due on last contact + cadence, gets the silence part but no overdue part (the
  two would count the same days twice), and belongs to the customer's owner.
* Quick picks are calendar days as named (``tomorrow`` on a Friday is Saturday);
  a planned follow-up, by contrast, is moved to the next working day.
* Only non-zero score parts are listed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from qsales_tui.domain.calendar import FiscalCalendar
from qsales_tui.domain.clock import local_date
from qsales_tui.domain.money import format_money
from qsales_tui.domain.search import matches
from qsales_tui.errors import QsalesError
from qsales_tui.i18n import _

if TYPE_CHECKING:
    import pandas as pd

DEFAULT_CADENCES: dict[str, int] = {"key": 14, "growth": 30, "standard": 60}
CHANNELS = ("call", "visit", "email", "wechat", "meeting", "sms")
HORIZONS = ("overdue", "today", "week", "all")
QUICK_PICKS = ("tomorrow", "+3", "next-week")
_PLUS_DAYS = re.compile(r"^\+(\d{1,3})$")


class InvalidInput(QsalesError):
    """A value the user typed that cannot be used; names the field."""

    def __init__(self, field: str, value: Any, reason: str):
        self.field, self.value, self.reason = field, value, reason
        super().__init__(
            _("{field} = {value}: {reason}", field=field, value=repr(value), reason=reason)
        )


class NeedsConfirmation(QsalesError):
    """The request is allowed but unusual (a due date in the past); ask, then retry confirmed."""

    def __init__(self, field: str, value: Any, question: str):
        self.field, self.value = field, value
        super().__init__(question)


# ----------------------------------------------------------------------- input checks


def quick_pick(name: str, today: date) -> date:
    """``tomorrow``, ``+3`` (days) or ``next-week`` (next Monday, never today)."""
    if name == "tomorrow":
        return today + timedelta(days=1)
    if name == "+3":
        return today + timedelta(days=3)
    if name == "next-week":
        return today + timedelta(days=7 - today.weekday())
    raise InvalidInput("due", name, _("not a quick pick (use tomorrow, +3 or next-week)"))


def parse_due(text: str | date, today: date, field: str = "due") -> date:
    """A date from ``YYYY-MM-DD``, a quick pick, or ``+N`` days; else :class:`InvalidInput`."""
    if isinstance(text, date):
        return text
    value = text.strip().lower()
    if value in QUICK_PICKS:
        return quick_pick(value, today)
    plus = _PLUS_DAYS.match(value)
    if plus:
        return today + timedelta(days=int(plus.group(1)))
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            field, text, _("not a date (use YYYY-MM-DD, tomorrow, +3 or next-week)")
        ) from None


def check_not_past(due: date, today: date, confirmed: bool, field: str = "due") -> None:
    """Refuse a due date before today unless the user confirmed it."""
    if due < today and not confirmed:
        raise NeedsConfirmation(
            field,
            due.isoformat(),
            _(
                "{field} {due} is in the past; confirm to save it anyway.",
                field=field,
                due=due.isoformat(),
            ),
        )


def _score_value(field: str, raw: Any, low: int, high: int) -> int | None:
    if raw is None or raw == "":
        return None
    try:
        value = int(raw)
    except (TypeError, ValueError):
        value = None
    if value is None or isinstance(raw, float | bool) or not low <= value <= high:
        raise InvalidInput(
            field, raw, _("must be a whole number from {low} to {high}", low=low, high=high)
        )
    return value


def check_interaction(
    channel: str, csat: Any = None, nps: Any = None
) -> tuple[str, int | None, int | None]:
    """Normalise an interaction's channel, CSAT (1–5) and NPS (0–10), or name the bad field."""
    name = (channel or "").strip().lower()
    if name not in CHANNELS:
        raise InvalidInput(
            "channel",
            channel,
            _("unknown channel (use one of {channels})", channels=", ".join(CHANNELS)),
        )
    return name, _score_value("csat", csat, 1, 5), _score_value("nps", nps, 0, 10)


# ----------------------------------------------------------------------------- cadence


def cadence_days(segment: str, cadences: Mapping[str, int]) -> int:
    """Days between contacts for a segment; an unlisted segment gets the standard cadence."""
    return int(cadences.get(segment, cadences.get("standard", DEFAULT_CADENCES["standard"])))


def next_working_day(day: date, calendar: FiscalCalendar) -> date:
    """``day`` itself when it is a working day, else the first working day after it."""
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    return day


def plan_next_due(
    contact_day: date, segment: str, cadences: Mapping[str, int], calendar: FiscalCalendar
) -> date:
    """Due date of the follow-up planned after a contact: contact + cadence, on a working day."""
    return next_working_day(contact_day + timedelta(days=cadence_days(segment, cadences)), calendar)


# ------------------------------------------------------------------------------ stats


@dataclass(frozen=True, slots=True)
class CustomerStats:
    """What the score needs to know about one customer, precomputed."""

    revenue_4q_minor: int = 0
    last_quarter_minor: int = 0
    previous_quarter_minor: int = 0
    open_deals_soon_minor: int = 0
    last_contact: date | None = None
    last_csat: int | None = None
    last_nps: int | None = None


NO_STATS = CustomerStats()


@dataclass(frozen=True)
class RevenueWindows:
    """Quarter starts bounding the revenue the score looks at (see the module docstring)."""

    first: date  # start of the fourth complete quarter back
    before_last: date  # start of the quarter before the last complete one
    last: date  # start of the last complete quarter
    current: date  # start of today's quarter (excluded)

    @classmethod
    def around(cls, today: date, calendar: FiscalCalendar) -> RevenueWindows:
        current = calendar.quarter_of(today)
        return cls(
            current.shift(-4).start, current.shift(-2).start, current.shift(-1).start, current.start
        )


SalesTotals = Mapping[str, tuple[int, int, int]]  # customer → (four quarters, last, before)


def sales_totals(sales: pd.DataFrame, windows: RevenueWindows) -> dict[str, tuple[int, int, int]]:
    """Per-customer revenue of the windows from a frame of ``date`` (datetime64),
    ``customer_id`` and ``amount_minor`` (int64, summed exactly) — one grouped sum."""
    import pandas as pd

    dates = sales["date"]
    recent = sales[(dates >= pd.Timestamp(windows.first)) & (dates < pd.Timestamp(windows.current))]
    if recent.empty:
        return {}
    amount = recent["amount_minor"].astype("int64")
    in_last = recent["date"] >= pd.Timestamp(windows.last)
    in_before = ~in_last & (recent["date"] >= pd.Timestamp(windows.before_last))
    sums = (
        pd.DataFrame(
            {
                "customer_id": recent["customer_id"].astype(str),
                "revenue": amount,
                "last": amount.where(in_last, 0),
                "before": amount.where(in_before, 0),
            }
        )
        .groupby("customer_id")
        .sum()
    )
    return {
        cid: (int(rev), int(last), int(before))
        for cid, rev, last, before in zip(
            sums.index, sums["revenue"], sums["last"], sums["before"], strict=True
        )
    }


def customer_stats(
    sales: SalesTotals,
    interactions: Iterable[Mapping[str, Any]],
    deals: Iterable[Mapping[str, Any]],
    followups: Iterable[Mapping[str, Any]],
    *,
    today: date,
    deal_window_days: int = 30,
) -> dict[str, CustomerStats]:
    """Per-customer stats: ``sales`` from :func:`sales_totals`, then one pass over each
    other table (ISO timestamps compare as strings)."""
    contact: dict[str, str] = {}
    csat: dict[str, tuple[str, int]] = {}
    nps: dict[str, tuple[str, int]] = {}
    for item in interactions:
        cid, at = item["customer_id"], item["at"]
        if at > contact.get(cid, ""):
            contact[cid] = at
        for value, latest in ((item.get("csat"), csat), (item.get("nps"), nps)):
            if value is not None and at > latest.get(cid, ("", 0))[0]:
                latest[cid] = (at, value)
    for followup in followups:
        done_at = followup.get("done_at")
        if followup.get("status") == "done" and done_at:
            cid = followup["customer_id"]
            if done_at > contact.get(cid, ""):
                contact[cid] = done_at

    horizon = (today + timedelta(days=deal_window_days)).isoformat()
    soon: dict[str, int] = {}
    for deal in deals:
        if deal["status"] == "open" and deal["expected_close"] <= horizon:
            cid = deal["customer_id"]
            soon[cid] = soon.get(cid, 0) + deal["amount_minor"]

    return {
        cid: CustomerStats(
            *sales.get(cid, (0, 0, 0)),
            open_deals_soon_minor=soon.get(cid, 0),
            last_contact=local_date(contact[cid]) if cid in contact else None,
            last_csat=csat[cid][1] if cid in csat else None,
            last_nps=nps[cid][1] if cid in nps else None,
        )
        for cid in sales.keys() | contact.keys() | csat.keys() | nps.keys() | soon.keys()
    }


# ------------------------------------------------------------------------------ score


@dataclass(frozen=True)
class ScoreWeights:
    """How many points each signal is worth. Money scales are log10 of major units."""

    overdue_per_day: int = 2
    overdue_cap_days: int = 30
    value_per_tenfold: int = 15  # ¥10k → 15, ¥100k → 30, ¥1M → 45, ¥10M → 60
    value_floor_major: int = 1_000
    value_cap: int = 60
    deals_per_tenfold: int = 10
    deals_cap: int = 40
    falling_min_drop: float = 0.10
    falling_max: int = 30
    low_csat_max: int = 2
    low_nps_max: int = 6
    satisfaction_points: int = 25
    silence_days_per_point: int = 2
    silence_cap: int = 30
    high_priority_points: int = 15
    minor_per_major: int = 100


def part_label(name: str) -> str:
    """A score part's name as users read it, translated."""
    labels = {
        "overdue": _("Overdue"),
        "value": _("Customer value"),
        "deals": _("Deals soon"),
        "falling": _("Falling"),
        "satisfaction": _("Satisfaction"),
        "silence": _("Silence"),
        "priority": _("Priority"),
    }
    return labels.get(name, name)


@dataclass(frozen=True, slots=True)
class ScorePart:
    """One visible reason for an item's place: a stable ``name``, its points and the facts
    behind them. ``why`` words the facts in the current language when it is read, so
    building a queue of thousands of rows formats nothing it does not show."""

    name: str
    points: int
    facts: tuple[tuple[str, Any], ...] = ()

    @property
    def why(self) -> str:
        return explain(self)


def explain(part: ScorePart) -> str:
    """The sentence behind a score part, e.g. ``5 days overdue``."""
    facts = dict(part.facts)
    currency = facts.get("currency", "CNY")

    def money(key: str) -> str:
        return format_money(facts[key], currency, compact=True)

    if part.name == "overdue":
        if facts["days"] == 1:
            return _("1 day overdue")
        return _("{days} days overdue", days=facts["days"])
    if part.name == "value":
        return _("{amount} revenue in the last four quarters", amount=money("amount"))
    if part.name == "deals":
        return _("{amount} in open deals closing within 30 days", amount=money("amount"))
    if part.name == "falling":
        return _(
            "purchases fell {percent}% last quarter ({before} → {after})",
            percent=facts["percent"],
            before=money("before"),
            after=money("after"),
        )
    if part.name == "satisfaction":
        low = []
        if facts.get("csat") is not None:
            low.append(_("last CSAT {csat}", csat=facts["csat"]))
        if facts.get("nps") is not None:
            low.append(_("last NPS {nps}", nps=facts["nps"]))
        return _("low satisfaction: {detail}", detail=", ".join(low))
    if part.name == "silence":
        return _(
            "{days} days without contact (cadence {cadence} days)",
            days=facts["days"],
            cadence=facts["cadence"],
        )
    return _("marked high priority")


def _log_points(minor: int, per_tenfold: int, cap: int, weights: ScoreWeights) -> int:
    major = minor / weights.minor_per_major
    if major <= weights.value_floor_major:
        return 0
    return min(cap, round(per_tenfold * math.log10(major / weights.value_floor_major)))


def customer_parts(
    stats: CustomerStats, *, currency: str = "CNY", weights: ScoreWeights = ScoreWeights()
) -> tuple[ScorePart, ...]:
    """The parts that depend on the customer alone: value, deals, falling, satisfaction."""
    w = weights
    parts: list[ScorePart] = []
    value = _log_points(stats.revenue_4q_minor, w.value_per_tenfold, w.value_cap, w)
    if value:
        parts.append(
            ScorePart("value", value, (("amount", stats.revenue_4q_minor), ("currency", currency)))
        )
    deals = _log_points(stats.open_deals_soon_minor, w.deals_per_tenfold, w.deals_cap, w)
    if deals:
        parts.append(
            ScorePart(
                "deals", deals, (("amount", stats.open_deals_soon_minor), ("currency", currency))
            )
        )
    before, after = stats.previous_quarter_minor, stats.last_quarter_minor
    if before > 0 and (before - after) / before >= w.falling_min_drop:
        drop = (before - after) / before
        parts.append(
            ScorePart(
                "falling",
                round(w.falling_max * drop),
                (
                    ("percent", round(drop * 100)),
                    ("before", before),
                    ("after", after),
                    ("currency", currency),
                ),
            )
        )
    low_csat = stats.last_csat is not None and stats.last_csat <= w.low_csat_max
    low_nps = stats.last_nps is not None and stats.last_nps <= w.low_nps_max
    if low_csat or low_nps:
        parts.append(
            ScorePart(
                "satisfaction",
                w.satisfaction_points,
                (
                    ("csat", stats.last_csat if low_csat else None),
                    ("nps", stats.last_nps if low_nps else None),
                ),
            )
        )
    return tuple(parts)


def score_parts(
    stats: CustomerStats,
    *,
    today: date,
    due: date | None,
    silent_since: date | None,
    cadence: int,
    high_priority: bool = False,
    currency: str = "CNY",
    weights: ScoreWeights = ScoreWeights(),
    customer: tuple[ScorePart, ...] | None = None,
) -> tuple[ScorePart, ...]:
    """The non-zero parts of a score, in a fixed order. ``due`` is None for an item
    without overdue points; ``customer`` passes :func:`customer_parts` already computed."""
    w = weights
    parts: list[ScorePart] = []
    if due is not None and due < today:
        days = (today - due).days
        parts.append(
            ScorePart(
                "overdue", min(days, w.overdue_cap_days) * w.overdue_per_day, (("days", days),)
            )
        )
    if customer is None:
        customer = customer_parts(stats, currency=currency, weights=weights)
    parts.extend(customer)
    if silent_since is not None:
        silent = (today - silent_since).days
        beyond = silent - cadence
        points = min(w.silence_cap, beyond // w.silence_days_per_point) if beyond > 0 else 0
        if points:
            parts.append(ScorePart("silence", points, (("days", silent), ("cadence", cadence))))
    if high_priority:
        parts.append(ScorePart("priority", w.high_priority_points))
    return tuple(parts)


# ------------------------------------------------------------------------------ queue


@dataclass(frozen=True, slots=True)
class QueueItem:
    """A row of the queue: an open follow-up, or a customer due by cadence (no follow-up)."""

    customer_id: str
    customer_name: str
    segment: str
    rep_id: str | None
    due: date
    parts: tuple[ScorePart, ...]
    followup_id: str | None = None
    version: int | None = None  # the follow-up's ``_v``, for conflict-checked actions
    score: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "score", sum(part.points for part in self.parts))

    @property
    def kind(self) -> str:
        return "followup" if self.followup_id else "cadence"

    def bucket(self, today: date) -> str:
        """``overdue``, ``today``, ``week`` or ``later``."""
        if self.due < today:
            return "overdue"
        if self.due == today:
            return "today"
        return "week" if self.due <= week_end(today) else "later"

    def sort_key(self) -> tuple[int, date, str, str]:
        return (-self.score, self.due, self.customer_id, self.followup_id or "")

    def to_dict(self, today: date) -> dict[str, Any]:
        return {
            "followup_id": self.followup_id,
            "customer_id": self.customer_id,
            "customer_name": self.customer_name,
            "segment": self.segment,
            "rep_id": self.rep_id,
            "due": self.due.isoformat(),
            "kind": self.kind,
            "bucket": self.bucket(today),
            "score": self.score,
            "parts": [{"name": p.name, "points": p.points, "why": p.why} for p in self.parts],
        }


def week_end(today: date) -> date:
    """Sunday of today's ISO week."""
    return today + timedelta(days=6 - today.weekday())


def _horizon_limit(horizon: str, today: date) -> str | None:
    """The last due date (ISO) a horizon takes in, or None for no limit (``overdue`` is < today)."""
    if horizon == "overdue":
        return (today - timedelta(days=1)).isoformat()
    if horizon == "today":
        return today.isoformat()
    if horizon == "week":
        return week_end(today).isoformat()
    if horizon == "all":
        return None
    raise InvalidInput(
        "due", horizon, _("unknown horizon (use {choices})", choices=", ".join(HORIZONS))
    )


@dataclass(frozen=True)
class QueueFilter:
    """Which items to show. ``rep_ids`` None means everyone's."""

    rep_ids: Collection[str] | None = None
    segment: str | None = None
    horizon: str = "week"
    search: str = ""


def build_queue(
    customers: Iterable[Mapping[str, Any]],
    followups: Iterable[Mapping[str, Any]],
    stats: Mapping[str, CustomerStats],
    *,
    today: date,
    cadences: Mapping[str, int],
    where: QueueFilter = QueueFilter(),
    currency: str = "CNY",
    weights: ScoreWeights = ScoreWeights(),
) -> list[QueueItem]:
    """The queue, best first: score desc, then due date, customer id and follow-up id."""
    by_id = {c["id"]: c for c in customers}
    limit = _horizon_limit(where.horizon, today)
    reps = set(where.rep_ids) if where.rep_ids is not None else None

    def wanted(customer: Mapping[str, Any], rep_id: str | None, due: str) -> bool:
        return (
            (limit is None or due <= limit)
            and (reps is None or rep_id in reps)
            and (where.segment is None or customer["segment"] == where.segment)
            and (not where.search or matches(customer["name"], where.search))
        )

    def silent_since(customer: Mapping[str, Any], info: CustomerStats) -> date | None:
        if info.last_contact is not None:
            return info.last_contact
        created = customer.get("created_on")
        return date.fromisoformat(created) if created else None

    memo: dict[str, tuple[ScorePart, ...]] = {}

    def own_parts(cid: str, info: CustomerStats) -> tuple[ScorePart, ...]:
        if cid not in memo:
            memo[cid] = customer_parts(info, currency=currency, weights=weights)
        return memo[cid]

    items: list[QueueItem] = []
    planned: set[str] = set()
    for followup in followups:
        if followup["status"] != "open":
            continue
        cid = followup["customer_id"]
        planned.add(cid)
        customer = by_id.get(cid)
        if customer is None or not wanted(customer, followup["rep_id"], followup["due"]):
            continue
        info = stats.get(cid, NO_STATS)
        due = date.fromisoformat(followup["due"])
        parts = score_parts(
            info,
            today=today,
            due=due,
            silent_since=silent_since(customer, info),
            cadence=cadence_days(customer["segment"], cadences),
            high_priority=followup.get("priority") == "high",
            weights=weights,
            customer=own_parts(cid, info),
        )
        items.append(
            QueueItem(
                cid,
                customer["name"],
                customer["segment"],
                followup["rep_id"],
                due,
                parts,
                followup["id"],
                followup.get("_v"),
            )
        )

    for cid, customer in by_id.items():
        if cid in planned or customer.get("status") == "churned":
            continue
        info = stats.get(cid, NO_STATS)
        since = silent_since(customer, info)
        if since is None:
            continue
        cadence = cadence_days(customer["segment"], cadences)
        due = since + timedelta(days=cadence)
        if due > today or not wanted(customer, customer.get("owner_id"), due.isoformat()):
            continue
        parts = score_parts(
            info,
            today=today,
            due=None,
            silent_since=since,
            cadence=cadence,
            weights=weights,
            customer=own_parts(cid, info),
        )
        items.append(
            QueueItem(
                cid, customer["name"], customer["segment"], customer.get("owner_id"), due, parts
            )
        )

    items.sort(key=QueueItem.sort_key)
    return items
