"""Settings, teams, people, customers and their contacts."""

from __future__ import annotations

import random
from datetime import date, timedelta

from qsales_tui.demo import vocab
from qsales_tui.demo.holidays import EXTRA_WORKDAYS, HOLIDAYS
from qsales_tui.demo.world import Profile, World, record_id
from qsales_tui.storage.schema import SCHEMA_VERSION

CUSTOMERS_PER_SCALE = 400
LEAD_SHARE = 0.08  # customers that never bought
NEW_SHARE = 0.32  # customers won during the history (the rest bought before it)
CHURN_SHARE = 0.14  # of buying customers: stop buying for good


def make_settings(today: date, seed: int, scale: float) -> dict:
    """The settings record. ``demo`` remembers how the data was made (its fixed today)."""
    return {
        "company": vocab.COMPANY,
        "currency": "CNY",
        "fiscal_year_start_month": 1,
        "inactive_after_days": 90,
        "schema_version": SCHEMA_VERSION,
        "timezone": "Asia/Shanghai",
        "holidays": list(HOLIDAYS),
        "extra_workdays": list(EXTRA_WORKDAYS),
        "objectives": list(vocab.OBJECTIVES),
        "pace_thresholds": {"caution": 0.05, "off_track": 0.10},
        "demo": {"seed": seed, "scale": scale, "today": today.isoformat()},
    }


def make_people(world: World) -> tuple[list[dict], list[dict]]:
    """Teams and reps; fills ``world.reps`` and ``world.rep_ids``."""
    world.rep_ids = {p.key: record_id("reps", n) for n, p in enumerate(vocab.PEOPLE, 1)}
    world.reps = [
        {
            "id": world.rep_ids[p.key],
            "name": p.name,
            "team_id": None if p.team is None else record_id("teams", p.team + 1),
            "role": p.role,
            "os_user": p.os_user,
            "email": f"{p.os_user}@huaxin-tech.cn",
            "hired_on": p.hired_on,
            "left_on": p.left_on,
            "active": p.left_on is None or p.left_on >= world.today.isoformat(),
        }
        for p in vocab.PEOPLE
    ]
    managers = {p.team: world.rep_ids[p.key] for p in vocab.PEOPLE if p.role == "manager"}
    teams = [
        {"id": record_id("teams", n + 1), "name": name, "manager_id": managers[n]}
        for n, name in enumerate(vocab.TEAMS)
    ]
    return teams, world.reps


def _weighted(rng: random.Random, pairs) -> str:
    names = [p[0] for p in pairs]
    return rng.choices(names, weights=[p[1] for p in pairs])[0]


class _Namer:
    """Unique company names and e-mail domains."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.names: set[str] = set()
        self.domains: set[str] = set()

    def _unique(self, make, index: int) -> tuple[str, str, str]:
        for _ in range(40):
            name, short, domain = make()
            if name not in self.names:
                break
        else:
            name = f"{name} #{index}"
        self.names.add(name)
        base, n = domain, 1
        while domain in self.domains:
            n += 1
            domain = base.replace(".", f"{n}.", 1)
        self.domains.add(domain)
        return name, short, domain

    def chinese(self, index: int, industry: str, city: str) -> tuple[str, str, str]:
        def make():
            (c1, p1), (c2, p2) = (
                self.rng.choice(vocab.BRAND_FIRST),
                self.rng.choice(vocab.BRAND_SECOND),
            )
            word = self.rng.choice(vocab.INDUSTRIES[industry][1])
            short = f"{c1}{c2}{word}"
            return f"{city}{short}{self.rng.choice(vocab.CN_SUFFIXES)}", short, f"{p1}{p2}.com.cn"

        return self._unique(make, index)

    def english(self, index: int, industry: str) -> tuple[str, str, str]:
        def make():
            first, second = self.rng.choice(vocab.EN_FIRST), self.rng.choice(vocab.EN_SECOND)
            word = self.rng.choice(vocab.INDUSTRIES[industry][2])
            short = f"{first} {second}"
            name = f"{short} {word} {self.rng.choice(vocab.EN_SUFFIXES)}"
            return name, short, f"{first}{second}.com".lower()

        return self._unique(make, index)


def _random_day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max((last - first).days, 0)))


def make_customers(world: World) -> list[dict]:
    """Customers and their hidden behaviour profiles (``world.profiles``)."""
    rng = world.rng("customers")
    namer = _Namer(world.rng("names"))
    count = max(10, round(CUSTOMERS_PER_SCALE * world.scale))
    industries = [(k, v[0]) for k, v in vocab.INDUSTRIES.items()]
    regions = {r.name: r for r in vocab.REGIONS}
    now_month = world.today_month
    for index in range(count):
        segment = _weighted(rng, vocab.SEGMENTS)
        region = regions[_weighted(rng, [(r.name, r.weight) for r in vocab.REGIONS])]
        industry = _weighted(rng, industries)
        international = not region.cities
        if international:
            city, country, _code = rng.choice(vocab.INTERNATIONAL_CITIES)
            name, short, domain = namer.english(index, industry)
        else:
            city, country = rng.choice(region.cities), "China"
            name, short, domain = namer.chinese(index, industry, city)
        kind = rng.random()
        if kind < LEAD_SHARE:
            created = _random_day(
                rng, world.today - timedelta(days=180), world.today - timedelta(days=1)
            )
            first_month, last_month, status = now_month + 1, -1, "lead"
        else:
            if kind < LEAD_SHARE + NEW_SHARE:
                first_month = rng.randint(1, now_month)
                month_start = world.months[first_month]
                created = _random_day(
                    rng, month_start, min(month_start + timedelta(days=20), world.today)
                )
            else:
                first_month = 0
                created = _random_day(rng, date(2017, 1, 1), world.start - timedelta(days=1))
            last_month, status = now_month, "active"
            if rng.random() < CHURN_SHARE and first_month + 2 <= now_month - 4:
                last_month, status = rng.randint(first_month + 2, now_month - 4), "churned"
        mood = rng.gauss(3.0, 0.6) if status == "churned" else rng.gauss(4.1, 0.5)
        profile = Profile(
            index=index,
            segment=segment,
            region=region.name,
            team=region.team,
            international=international,
            short_name=short,
            domain=domain,
            created_on=created,
            first_month=first_month,
            last_month=last_month,
            rate=rng.lognormvariate(0, 0.35),
            satisfaction=min(5.0, max(1.5, mood)),
        )
        _assign_owner(world, rng, profile)
        world.profiles.append(profile)
        world.customers.append(
            {
                "id": record_id("customers", index + 1),
                "name": name,
                "segment": segment,
                "industry": industry,
                "region": region.name,
                "city": city,
                "country": country,
                "owner_id": profile.owners[-1][1],
                "status": status,
                "created_on": created.isoformat(),
            }
        )
    return world.customers


def _assign_owner(world: World, rng: random.Random, profile: Profile) -> None:
    """An owner employed when the customer arrived; a leaver's customers pass to the successor."""
    since = max(profile.created_on, world.start)
    rep_id = rng.choice(world.team_reps(profile.team, since))
    profile.owners.append((since, rep_id))
    by_id = {v: k for k, v in world.rep_ids.items()}
    successor = vocab.SUCCESSOR.get(by_id[rep_id])
    if successor and world.rep(rep_id)["left_on"] < world.today.isoformat():
        new_id = world.rep_ids[successor]
        profile.owners.append((date.fromisoformat(world.rep(new_id)["hired_on"]), new_id))


def make_contacts(world: World) -> list[dict]:
    rng = world.rng("contacts")
    per_segment = {"key": (2, 4), "growth": (1, 3), "standard": (1, 2)}
    contacts = []
    for profile, customer in zip(world.profiles, world.customers, strict=True):
        for _ in range(rng.randint(*per_segment[profile.segment])):
            if profile.international:
                first, last = rng.choice(vocab.EN_PEOPLE_FIRST), rng.choice(vocab.EN_PEOPLE_LAST)
                name, title = f"{first} {last}", rng.choice(vocab.EN_TITLES)
                code = next(c[2] for c in vocab.INTERNATIONAL_CITIES if c[0] == customer["city"])
                phone = f"+{code} {rng.randint(2000, 9999)} {rng.randint(1000, 9999)}"
                local = f"{first}.{last.replace(' ', '')}".lower()
            else:
                (sur, sur_py), (given, given_py) = (
                    rng.choice(vocab.SURNAMES),
                    rng.choice(vocab.GIVEN_NAMES),
                )
                name, title = f"{sur}{given}", rng.choice(vocab.CN_TITLES)
                prefix = f"1{rng.choice('3589')}{rng.randint(0, 9)}"
                phone = f"+86 {prefix} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}"
                local = f"{sur_py}{given_py}"
            contacts.append(
                {
                    "id": record_id("contacts", len(contacts) + 1),
                    "customer_id": customer["id"],
                    "name": name,
                    "title": title,
                    "phone": phone,
                    "email": f"{local}@{profile.domain}",
                }
            )
    return contacts
