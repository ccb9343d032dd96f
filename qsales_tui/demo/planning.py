"""Goals, market sizes, competitors, risks, strategies, trainings, notes and the last review.

Goals are company revenue goals, one per quarter. Past targets are the quarter's
actual divided by an attainment drawn from ``ATTAINMENTS`` (shuffled by the seed), so
some quarters hit and some miss. The current target is the projected quarter (actual
to date scaled by last year's share of the quarter done by this date) plus 0–7%, so
the pace reads from on track to caution. Splits follow last year's months (working
days when there is no last year); allocations follow each rep's previous-quarter
revenue. Both add up exactly to the target. Market sizes give an own share of
about 3–8% by segment.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from qsales_tui.demo import vocab
from qsales_tui.demo.world import World, record_id, stamp
from qsales_tui.domain.calendar import Quarter
from qsales_tui.domain.splits import split_exact

ATTAINMENTS = (1.07, 1.03, 1.01, 0.98, 0.94, 0.91, 1.05, 0.87)
TARGET_ROUNDING = 1_000_000  # ¥10,000
MARKET_ROUNDING = 10_000_000  # ¥100,000
SHARE = {"key": 0.075, "growth": 0.05, "standard": 0.032}

COURSES = (
    ("Consultative selling / 顾问式销售", "consultative_selling", 8.0),
    ("QS-Cloud product certification / QS-Cloud 产品认证", "product", 12.0),
    ("Negotiation / 商务谈判", "negotiation", 6.0),
    ("Key account management / 大客户管理", "key_accounts", 8.0),
    ("CRM data hygiene / CRM 数据规范", "crm", 2.0),
    ("English for international sales / 国际销售英语", "language", 16.0),
)


class Revenue:
    """Sales sums by quarter, month, segment and rep, in minor units."""

    def __init__(self, world: World, sales: list[dict]):
        segment_of = {c["id"]: c["segment"] for c in world.customers}
        self.quarter: dict[str, int] = defaultdict(int)
        self.month: dict[str, int] = defaultdict(int)
        self.segment: dict[tuple[str, str], int] = defaultdict(int)
        self.rep: dict[tuple[str, str], int] = defaultdict(int)
        self.day: dict[str, int] = defaultdict(int)
        quarter_of: dict[str, str] = {}
        for line in sales:
            day, amount = line["date"], line["amount_minor"]
            if day not in quarter_of:
                quarter_of[day] = world.calendar.quarter_of(date.fromisoformat(day)).name
            quarter = quarter_of[day]
            self.day[day] += amount
            self.month[day[:7]] += amount
            self.quarter[quarter] += amount
            self.segment[quarter, segment_of[line["customer_id"]]] += amount
            self.rep[quarter, line["rep_id"]] += amount

    def until(self, quarter: Quarter, last: date) -> int:
        return sum(
            v for d, v in self.day.items() if quarter.start.isoformat() <= d <= last.isoformat()
        )


def _round(amount: float, unit: int) -> int:
    return max(unit, round(amount / unit) * unit)


def projection_factor(world: World, revenue: Revenue) -> float:
    """Full quarter ÷ to date, from last year's same quarter (1.0 without one)."""
    current, today = world.current, world.today
    last_year = current.last_year
    same_day = today.replace(year=today.year - 1, day=min(today.day, 28))
    done = revenue.until(last_year, same_day)
    return (
        revenue.quarter[last_year.name] / done if done and revenue.quarter[last_year.name] else 1.0
    )


def make_goals(world: World, revenue: Revenue) -> list[dict]:
    rng = world.rng("goals")
    attainments = list(ATTAINMENTS)
    rng.shuffle(attainments)
    director = world.rep_ids["director"]
    goals = []
    for n, quarter in enumerate(world.quarters):
        actual = revenue.quarter[quarter.name]
        current = quarter == world.current
        if current:
            target = _round(
                actual * projection_factor(world, revenue) * rng.uniform(1.0, 1.07), TARGET_ROUNDING
            )
        else:
            target = _round(actual / attainments[n % len(attainments)], TARGET_ROUNDING)
        split, split_method = _split(world, revenue, quarter, target)
        goals.append(
            {
                "id": record_id("goals", n + 1),
                "quarter": quarter.name,
                "metric": "revenue",
                "scope": "company",
                "target": target,
                "baseline": revenue.quarter.get(quarter.last_year.name),
                "relevance": vocab.OBJECTIVES[0],
                "split": split,
                "split_method": split_method,
                "allocation": _allocation(world, revenue, quarter, target),
                "allocation_method": "history",
                "status": "active" if current else "closed",
                "created_by": world.rep(director)["os_user"],
                "created_at": stamp(quarter.start - timedelta(days=10), 10),
            }
        )
    return goals


def _split(
    world: World, revenue: Revenue, quarter: Quarter, target: int
) -> tuple[dict[str, int], str]:
    months = quarter.months()
    last_year = [revenue.month.get(m, 0) for m in quarter.last_year.months()]
    if all(last_year):
        weights, method = [float(v) for v in last_year], "seasonality"
    else:
        weights, method = (
            [float(_month_working_days(world, quarter, m)) for m in months],
            "working_days",
        )
    return split_exact(target, dict(zip(months, weights, strict=True))), method


def _month_working_days(world: World, quarter: Quarter, month: str) -> int:
    first = date.fromisoformat(f"{month}-01")
    last = min((first + timedelta(days=31)).replace(day=1) - timedelta(days=1), quarter.end)
    return world.calendar.working_days(first, last)


def _allocation(world: World, revenue: Revenue, quarter: Quarter, target: int) -> dict[str, int]:
    reps = [
        r["id"]
        for r in world.reps
        if r["role"] == "rep"
        and r["hired_on"] <= quarter.end.isoformat()
        and (r["left_on"] is None or r["left_on"] >= quarter.start.isoformat())
    ]
    history = quarter.previous if revenue.quarter.get(quarter.previous.name) else quarter
    weights = [float(revenue.rep.get((history.name, r), 0)) for r in reps]
    known = [w for w in weights if w]
    ramp = 0.6 * sum(known) / len(known) if known else 1.0  # a newcomer gets a ramp-up share
    return split_exact(target, dict(zip(reps, [w or ramp for w in weights], strict=True)))


def make_market(world: World, revenue: Revenue) -> list[dict]:
    rng = world.rng("market")
    factor = projection_factor(world, revenue)
    rows = []
    for n, quarter in enumerate(world.quarters):
        for segment, share in SHARE.items():
            own = revenue.segment.get((quarter.name, segment), 0)
            if quarter == world.current:
                own = round(own * factor)
            drift = share * (1 + 0.01 * n) * rng.uniform(0.9, 1.1)  # share creeps up
            rows.append(
                {
                    "id": record_id("market", len(rows) + 1),
                    "quarter": quarter.name,
                    "segment": segment,
                    "size_minor": _round(own / drift, MARKET_ROUNDING),
                    "source": "industry estimate",
                }
            )
    return rows


def make_competitors() -> list[dict]:
    return [
        {
            "id": record_id("competitors", n),
            "name": name,
            "products": products,
            "price_note": price,
            "strengths": strengths,
            "weaknesses": weaknesses,
        }
        for n, (name, products, price, strengths, weaknesses) in enumerate(vocab.COMPETITORS, 1)
    ]


def make_risks(world: World) -> list[dict]:
    ids, review = world.rep_ids, (world.today + timedelta(days=14)).isoformat()
    risks = (
        (
            "market",
            "Manufacturing key accounts cut budgets / 制造业重点客户预算收紧",
            3,
            4,
            "director",
            "Offer phased roll-outs and QS-Care bundles",
            "Shift campaign budget to logistics and energy",
            "open",
        ),
        (
            "competition",
            "CloudQi price war in North China / 云启科技华北价格战",
            4,
            3,
            "m_north",
            "Sell on total cost and service; reference visits",
            "Approve up to 12% extra discount for key deals",
            "open",
        ),
        (
            "customer",
            "Top-10 customers are 35% of revenue / 前十大客户占收入35%",
            2,
            5,
            "director",
            "Quarterly business reviews with each top-10 account",
            "Accelerate growth-segment campaigns",
            "monitoring",
        ),
        (
            "people",
            "New rep ramp-up in the East team / 华东新人爬坡",
            3,
            2,
            "m_east",
            "Pair 罗佳 with 张伟 on key accounts",
            "Manager covers two key accounts",
            "monitoring",
        ),
        (
            "finance",
            "USD exchange-rate swings on international deals / 美元结算汇率波动",
            3,
            3,
            "m_south",
            "Quote in CNY where possible; 60-day price validity",
            "Hedge large USD contracts",
            "closed",
        ),
    )
    return [
        {
            "id": record_id("risks", n),
            "category": category,
            "title": title,
            "likelihood": likelihood,
            "impact": impact,
            "owner_id": ids[owner],
            "mitigation": mitigation,
            "contingency": contingency,
            "status": status,
            "review_on": review,
        }
        for n, (
            category,
            title,
            likelihood,
            impact,
            owner,
            mitigation,
            contingency,
            status,
        ) in enumerate(risks, 1)
    ]


def make_strategies(world: World) -> list[dict]:
    q = world.quarters
    items = (
        (
            q[1].start + timedelta(days=45),
            "price",
            "m_north",
            "QS-Edge list price cut 8% to answer Xunjie IoT / QS-Edge 降价8%应对迅捷物联",
            "Edge win rate +10 points",
        ),
        (
            q[3].start + timedelta(days=10),
            "channel",
            "m_south",
            "Two resellers signed in Singapore and Malaysia / 签约新马两家渠道商",
            "International revenue +20% within two quarters",
        ),
        (
            q[4].start + timedelta(days=31),
            "campaign",
            "director",
            "Year-end key-account campaign / 年终重点客户冲刺",
            "Q4 key-account revenue +15%",
        ),
        (
            q[6].start + timedelta(days=1),
            "price",
            "director",
            "Three-year QS-Cloud prepay at 10% off / QS-Cloud 三年预付九折",
            "Renewal rate +5 points",
        ),
        (
            q[8].start + timedelta(days=40),
            "campaign",
            "m_east",
            "Double-11 bundle for small customers: Edge + Sense / 双十一中小客户套餐",
            "60 more standard-segment orders",
        ),
    )
    return [
        {
            "id": record_id("strategies", n),
            "date": day.isoformat(),
            "kind": kind,
            "description": text,
            "expected_effect": effect,
            "author": world.rep(world.rep_ids[author])["os_user"],
        }
        for n, (day, kind, author, text, effect) in enumerate(sorted(items), 1)
        if day <= world.today
    ]


def make_trainings(world: World) -> list[dict]:
    rng = world.rng("trainings")
    rows = []
    for rep in world.reps:
        if rep["role"] != "rep":
            continue
        first = max(date.fromisoformat(rep["hired_on"]), world.start)
        last = min(date.fromisoformat(rep["left_on"] or world.today.isoformat()), world.today)
        for course, skill, hours in rng.sample(COURSES, rng.randint(2, 3)):
            day = first + timedelta(days=rng.randint(0, max((last - first).days, 0)))
            rows.append(
                {
                    "rep_id": rep["id"],
                    "date": day.isoformat(),
                    "course": course,
                    "hours": hours,
                    "skill": skill,
                }
            )
    rows.sort(key=lambda r: (r["date"], r["rep_id"]))
    return [{"id": record_id("trainings", n), **row} for n, row in enumerate(rows, 1)]


def make_notes(world: World) -> list[dict]:
    texts = (
        (20, "m_east", "华东本月冲刺：重点跟进5个大客户续约。"),
        (15, "director", "Reminder: Q4 forecast calls due Friday / 周五前提交Q4预测。"),
        (9, "m_south", "Singapore reseller brought two new leads this week."),
        (6, "r6", "恒达项目需要售前支持，谁有空？"),
        (3, "m_north", "华北价格战：折扣超过12%需要我审批。"),
        (1, "r11", "Demo kit for QS-Vision is back in the Shanghai office."),
    )
    return [
        {
            "id": record_id("notes", n),
            "at": stamp(world.today - timedelta(days=days), 9 + n),
            "author": world.rep(world.rep_ids[who])["os_user"],
            "text": text,
        }
        for n, (days, who, text) in enumerate(texts, 1)
    ]


def make_review(world: World, goals: list[dict], revenue: Revenue) -> list[dict]:
    quarter = world.current.previous
    goal = next(g for g in goals if g["quarter"] == quarter.name)
    actual = revenue.quarter[quarter.name]
    attainment = actual / goal["target"]
    growth = actual / revenue.quarter[quarter.last_year.name] - 1
    ids = world.rep_ids
    closed = quarter.end + timedelta(days=12)
    return [
        {
            "id": record_id("reviews", 1),
            "quarter": quarter.name,
            "summary": (
                f"Revenue reached {attainment:.0%} of target, {growth:+.0%} year on year. "
                f"收入完成目标的{attainment:.0%}，同比{growth:+.0%}。"
            ),
            "lessons": [
                (
                    "Key accounts grew; the standard segment lost customers after the Edge price "
                    "change. / 重点客户增长，标准客户流失。"
                ),
                "Deals with a site visit closed twice as often. / 有现场拜访的商机赢单率翻倍。",
                "The new East rep needed more help in month one. / 华东新人首月需要更多支持。",
            ],
            "actions": [
                {
                    "text": "Win-back calls to lapsed standard customers / 回访流失的标准客户",
                    "owner_id": ids["m_east"],
                    "due": (quarter.end + timedelta(days=45)).isoformat(),
                },
                {
                    "text": "Visit every key account once a quarter / 每季度拜访所有重点客户",
                    "owner_id": ids["director"],
                    "due": world.current.end.isoformat(),
                },
                {
                    "text": "Pair new reps with a mentor for 8 weeks / 新人配导师8周",
                    "owner_id": ids["m_east"],
                    "due": (quarter.end + timedelta(days=60)).isoformat(),
                },
            ],
            "closed_at": stamp(closed, 17) if closed < world.today else None,
        }
    ]


def make_plans(world: World, sales: list[dict]) -> dict[str, list[dict]]:
    revenue = Revenue(world, sales)
    goals = make_goals(world, revenue)
    return {
        "goals": goals,
        "market": make_market(world, revenue),
        "competitors": make_competitors(),
        "risks": make_risks(world),
        "strategies": make_strategies(world),
        "trainings": make_trainings(world),
        "notes": make_notes(world),
        "reviews": make_review(world, goals, revenue),
    }
