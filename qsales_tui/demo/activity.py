"""Deals, contact history, follow-ups and customer-need notes.

Decisions: interactions happen on working days between 09:00 and 17:59 China time and
end the day before ``today`` (so a demo's "today" starts clean); follow-up
priorities and channels are the codes the app uses (``high``, ``wechat``); notes and
outcomes are free text in the customer's language (Chinese at home, English abroad);
follow-up subjects carry both languages. Open follow-ups are due in the past
(overdue), today, in the next seven days and later, so every queue section has rows.
Deals are projects sized by segment (median ¥1.2M key, ¥400k growth, ¥120k standard),
not tied to sales lines; the open pipeline closing this quarter covers roughly the
target still to go.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from qsales_tui.demo import vocab
from qsales_tui.demo.world import Profile, World, poisson, record_id, stamp

CLOSED_DEALS = {"key": 1.8, "growth": 0.9, "standard": 0.35}  # per customer over the history
OPEN_DEAL_CHANCE = {"key": 0.8, "growth": 0.45, "standard": 0.15, "lead": 0.6}
WIN_RATE = {"key": 0.55, "growth": 0.45, "standard": 0.38}
DEAL_MEDIAN_YUAN = {"key": 1_200_000, "growth": 400_000, "standard": 120_000}
CONTACTS_PER_MONTH = {"key": 1.4, "growth": 0.6, "standard": 0.25}
FOLLOWUPS_PER_QUARTER = {"key": 2.0, "growth": 1.0, "standard": 0.4}
OPEN_FOLLOWUP_CHANCE = {"key": 0.9, "growth": 0.5, "standard": 0.2}
PRIORITY_WEIGHTS = {"key": (6, 3, 1), "growth": (3, 5, 2), "standard": (1, 5, 4)}  # high/normal/low
CHANNELS = [name for name, _ in vocab.CHANNELS]
CHANNEL_WEIGHTS = [weight for _, weight in vocab.CHANNELS]


def _customer_id(profile: Profile) -> str:
    return record_id("customers", profile.index + 1)


def _is_lead(profile: Profile) -> bool:
    return profile.last_month < 0


def _in_language(profile: Profile, text: tuple[str, str]) -> str:
    """The English text for international customers, the Chinese one at home."""
    return text[0] if profile.international else text[1]


def _working_day(world: World, rng: random.Random, first: date, last: date) -> date:
    """A random working day in [first, last] (``first`` itself when none is)."""
    span = (last - first).days
    for _ in range(10):
        day = first + timedelta(days=rng.randint(0, max(span, 0)))
        if world.calendar.is_working_day(day):
            return day
    return first


def _deal(rng: random.Random, profile: Profile, created: date) -> dict:
    product = rng.choices(vocab.PRODUCTS, weights=[p.weight for p in vocab.PRODUCTS])[0]
    yuan = DEAL_MEDIAN_YUAN[profile.segment] * rng.lognormvariate(0, 0.5)
    return {
        "name": f"{profile.short_name} · {product.name}",
        "customer_id": _customer_id(profile),
        "rep_id": profile.owner_on(created),
        "product": product.name,
        "amount_minor": round(yuan / 1000) * 1000 * 100,  # whole thousands of yuan
        "created_on": created.isoformat(),
    }


def make_deals(world: World) -> list[dict]:
    """Won and lost history with competitors and reasons, then the open pipeline."""
    rng = world.rng("deals")
    competitors = [c[0] for c in vocab.COMPETITORS]
    yesterday = world.today - timedelta(days=1)
    deals: list[dict] = []
    for profile in world.profiles:
        segment = profile.segment
        if not _is_lead(profile):
            active_from = max(profile.created_on, world.start)
            earliest = active_from + timedelta(days=20)  # no deal closes in the first weeks
            active_to = min(world.months[profile.last_month] + timedelta(days=27), yesterday)
            closed_count = poisson(rng, CLOSED_DEALS[segment] * profile.rate)
            for _ in range(closed_count if earliest <= active_to else 0):
                closed = _working_day(world, rng, earliest, active_to)
                created = closed - timedelta(days=rng.randint(14, 120))
                deal = _deal(rng, profile, max(created, profile.created_on))
                won = rng.random() < WIN_RATE[segment]
                deal.update(
                    stage="won" if won else "lost",
                    probability=1.0 if won else 0.0,
                    expected_close=closed.isoformat(),
                    status="won" if won else "lost",
                    closed_on=closed.isoformat(),
                    competitor=rng.choice(competitors) if not won or rng.random() < 0.4 else None,
                    lost_reason=None if won else rng.choice(vocab.LOST_REASONS),
                )
                deals.append(deal)
        if profile.last_month == world.today_month or _is_lead(profile):
            chance = OPEN_DEAL_CHANCE["lead" if _is_lead(profile) else segment]
            if rng.random() < chance:
                deals.append(_open_deal(world, rng, profile, competitors))
    deals.sort(key=lambda d: (d["created_on"], d["customer_id"]))
    return [{"id": record_id("deals", n), **deal} for n, deal in enumerate(deals, 1)]


def _open_deal(world: World, rng: random.Random, profile: Profile, competitors: list[str]) -> dict:
    created = max(profile.created_on, world.today - timedelta(days=rng.randint(5, 150)))
    deal = _deal(rng, profile, created)
    stage, probability = rng.choice(vocab.DEAL_STAGES)
    this_quarter = rng.random() < 0.55
    window = (
        (world.today + timedelta(days=1), world.current.end)
        if this_quarter and world.today < world.current.end
        else (world.current.next.start, world.current.next.end)
    )
    expected = window[0] + timedelta(days=rng.randint(0, (window[1] - window[0]).days))
    if rng.random() < 0.06:  # a slipped deal: expected close already passed
        expected = world.today - timedelta(days=rng.randint(3, 20))
    deal.update(
        stage=stage,
        probability=probability,
        expected_close=max(expected, created).isoformat(),
        status="open",
        closed_on=None,
        competitor=rng.choice(competitors) if rng.random() < 0.35 else None,
        lost_reason=None,
    )
    return deal


def make_interactions(world: World) -> list[dict]:
    rng = world.rng("interactions")
    yesterday = world.today - timedelta(days=1)
    rows: list[tuple[str, int, dict]] = []
    for profile in world.profiles:
        first = max(profile.created_on, world.start)
        # Contact goes on a month after the last purchase, and for leads until now.
        last_month = (
            world.today_month
            if _is_lead(profile)
            else min(profile.last_month + 1, world.today_month)
        )
        for month in range(world.month_of(first), last_month + 1):
            month_start = max(world.months[month], first)
            month_end = min(
                (world.months[month] + timedelta(days=31)).replace(day=1) - timedelta(days=1),
                yesterday,
            )
            if month_end < month_start:
                continue
            for _ in range(poisson(rng, CONTACTS_PER_MONTH[profile.segment] * profile.rate)):
                day = _working_day(world, rng, month_start, month_end)
                rows.append(
                    (
                        stamp(day, rng.randint(9, 17), rng.randrange(0, 60, 5)),
                        profile.index,
                        _interaction(world, rng, profile, day),
                    )
                )
    rows.sort(key=lambda row: (row[0], row[1]))
    return [
        {"id": record_id("interactions", n), "at": at, **row}
        for n, (at, _, row) in enumerate(rows, 1)
    ]


def _interaction(world: World, rng: random.Random, profile: Profile, day: date) -> dict:
    channel = rng.choices(CHANNELS, weights=CHANNEL_WEIGHTS)[0]
    rep_id = profile.owner_on(day)
    if channel in ("visit", "meeting") and rng.random() < 0.15:  # the manager comes along
        rep_id = world.manager(profile.team)
    notes = vocab.EN_NOTES if profile.international else vocab.CN_NOTES
    unhappy = profile.satisfaction < 3.2
    outcome = vocab.COMPLAINT if unhappy and rng.random() < 0.3 else rng.choice(vocab.OUTCOMES)
    csat = nps = None
    if rng.random() < (0.5 if channel in ("visit", "meeting") else 0.2):
        csat = min(5, max(1, round(rng.gauss(profile.satisfaction, 0.7))))
    if rng.random() < 0.12:
        nps = min(10, max(0, round(rng.gauss(profile.satisfaction * 2.2 - 1.5, 1.5))))
    return {
        "customer_id": _customer_id(profile),
        "rep_id": rep_id,
        "channel": channel,
        "note": rng.choice(notes),
        "outcome": _in_language(profile, outcome),
        "csat": csat,
        "nps": nps,
        "author": world.rep(rep_id)["os_user"],
    }


def make_followups(world: World) -> list[dict]:
    """Done and cancelled history each quarter, and open follow-ups around today."""
    rng = world.rng("followups")
    rows: list[dict] = []
    yesterday = world.today - timedelta(days=1)
    for profile in world.profiles:
        segment = profile.segment
        first = max(profile.created_on, world.start)
        last = (
            yesterday
            if profile.last_month == world.today_month
            else min(world.months[profile.last_month] + timedelta(days=40), yesterday)
        )
        if not _is_lead(profile):
            for quarter in world.quarters:
                start, end = max(quarter.start, first), min(quarter.end, last)
                if end < start:
                    continue
                for _ in range(poisson(rng, FOLLOWUPS_PER_QUARTER[segment])):
                    due = _working_day(world, rng, start, end)
                    rows.append(_closed_followup(world, rng, profile, due))
        keep_contact = _is_lead(profile) or profile.last_month == world.today_month
        if keep_contact and rng.random() < OPEN_FOLLOWUP_CHANCE[segment]:
            rows.append(_open_followup(world, rng, profile))
    rows.sort(key=lambda f: (f["created_at"], f["customer_id"]))
    return [{"id": record_id("followups", n), **row} for n, row in enumerate(rows, 1)]


def _followup(rng: random.Random, profile: Profile, due: date, created: date) -> dict:
    priority = rng.choices(("high", "normal", "low"), PRIORITY_WEIGHTS[profile.segment])[0]
    rep_id = profile.owner_on(created)
    return {
        "customer_id": _customer_id(profile),
        "rep_id": rep_id,
        "due": due.isoformat(),
        "priority": priority,
        "subject": rng.choice(vocab.FOLLOWUP_SUBJECTS),
        "created_at": stamp(created, rng.randint(9, 17), rng.randrange(0, 60, 5)),
    }


def _closed_followup(world: World, rng: random.Random, profile: Profile, due: date) -> dict:
    created = max(due - timedelta(days=rng.randint(2, 14)), profile.created_on)
    row = _followup(rng, profile, due, created)
    done_day = min(
        due + timedelta(days=rng.choice((-1, 0, 0, 0, 1, 2, 5))), world.today - timedelta(days=1)
    )
    done_day = max(done_day, created)
    if rng.random() < 0.12:
        row.update(
            status="cancelled",
            done_at=stamp(done_day, 17, 30),
            outcome=_in_language(profile, vocab.CANCELLED_OUTCOME),
        )
    else:
        row.update(
            status="done",
            done_at=stamp(done_day, rng.randint(10, 18), rng.randrange(0, 60, 5)),
            outcome=_in_language(profile, rng.choice(vocab.DONE_OUTCOMES)),
        )
    return row


def _open_followup(world: World, rng: random.Random, profile: Profile) -> dict:
    when = rng.random()
    if when < 0.25:
        due = world.today - timedelta(days=rng.randint(1, 20))  # overdue
    elif when < 0.35:
        due = world.today
    elif when < 0.6:
        due = world.today + timedelta(days=rng.randint(1, 7))
    else:
        due = world.today + timedelta(days=rng.randint(8, 45))
    created = max(min(due, world.today) - timedelta(days=rng.randint(1, 14)), profile.created_on)
    row = _followup(rng, profile, due, min(created, world.today - timedelta(days=1)))
    row.update(status="open", done_at=None, outcome=None)
    return row


def make_needs(world: World) -> list[dict]:
    rng = world.rng("needs")
    needs = []
    for profile in world.profiles:
        if rng.random() >= 0.1:
            continue
        day = _working_day(
            world, rng, max(profile.created_on, world.start), world.today - timedelta(days=1)
        )
        rep_id = profile.owner_on(day)
        needs.append(
            {
                "customer_id": _customer_id(profile),
                "at": stamp(day, rng.randint(9, 17)),
                "author": world.rep(rep_id)["os_user"],
                "text": rng.choice(vocab.NEED_TEXTS),
                "tags": sorted(rng.sample(vocab.NEED_TAGS, rng.randint(1, 2))),
            }
        )
    needs.sort(key=lambda n: (n["at"], n["customer_id"]))
    return [{"id": record_id("needs", n), **need} for n, need in enumerate(needs, 1)]
