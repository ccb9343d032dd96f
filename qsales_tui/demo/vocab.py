"""Fixed word lists the demo company is built from: people, names, products, places.

Category values (industry, region, channel, outcome, tags) are stored as English
words, so they are stable keys in both UI languages; ``zh/demo.yaml`` translates
them for display. Proper names (customers, people, cities) keep their own language:
Chinese for domestic customers, English for international ones.
"""

from __future__ import annotations

from typing import NamedTuple

COMPANY = "华鑫智能科技有限公司 / Huaxin Smart Tech"

OBJECTIVES = (
    "Grow revenue 12% year on year / 收入同比增长12%",
    "Win and expand key accounts / 拓展并深耕重点客户",
    "Take QS-Cloud to international customers / QS-Cloud 出海",
    "Keep churn under 5% a quarter / 季度流失率低于5%",
)


class Person(NamedTuple):
    key: str  # stable handle used by the generator
    name: str
    os_user: str
    role: str
    team: int | None  # index into TEAMS
    hired_on: str
    left_on: str | None = None


TEAMS = ("East 华东", "North 华北", "South & International 华南与海外")

PEOPLE = (
    Person("director", "陈建国", "chenjianguo", "director", None, "2015-03-02"),
    Person("m_east", "王丽娜", "wanglina", "manager", 0, "2017-05-08"),
    Person("m_north", "刘强", "liuqiang", "manager", 1, "2018-02-26"),
    Person("m_south", "David Lin", "davidlin", "manager", 2, "2019-09-02"),
    Person("r1", "张伟", "zhangwei", "rep", 0, "2019-07-01"),
    Person("r2", "李娜", "lina", "rep", 0, "2021-03-15"),
    Person("r3", "赵敏", "zhaomin", "rep", 0, "2022-08-01"),
    Person("r4", "孙浩", "sunhao", "rep", 0, "2020-04-07", left_on="2026-06-30"),
    Person("r5", "罗佳", "luojia", "rep", 0, "2026-07-01"),
    Person("r6", "周杰", "zhoujie", "rep", 1, "2018-11-12"),
    Person("r7", "吴婷", "wuting", "rep", 1, "2021-06-01"),
    Person("r8", "郑磊", "zhenglei", "rep", 1, "2023-02-20"),
    Person("r9", "马晓燕", "maxiaoyan", "rep", 1, "2024-03-04"),
    Person("r10", "黄志强", "huangzhiqiang", "rep", 2, "2018-04-16"),
    Person("r11", "Emily Chen", "echen", "rep", 2, "2022-01-10"),
    Person("r12", "Jason Wu", "jasonwu", "rep", 2, "2023-09-18"),
)
# The rep who took over the leaver's customers.
SUCCESSOR = {"r4": "r5"}


class Region(NamedTuple):
    name: str
    team: int
    weight: float
    cities: tuple[str, ...]


REGIONS = (
    Region("East", 0, 0.36, ("上海", "杭州", "苏州", "南京", "宁波", "合肥")),
    Region("North", 1, 0.20, ("北京", "天津", "济南", "青岛", "石家庄")),
    Region("West", 1, 0.12, ("成都", "重庆", "西安", "昆明")),
    Region("South", 2, 0.17, ("广州", "深圳", "东莞", "厦门", "佛山")),
    Region("International", 2, 0.15, ()),
)

# (city, country, telephone country code)
INTERNATIONAL_CITIES = (
    ("Singapore", "Singapore", "65"),
    ("Kuala Lumpur", "Malaysia", "60"),
    ("Jakarta", "Indonesia", "62"),
    ("Bangkok", "Thailand", "66"),
    ("Ho Chi Minh City", "Vietnam", "84"),
    ("Dubai", "UAE", "971"),
    ("Munich", "Germany", "49"),
    ("Rotterdam", "Netherlands", "31"),
    ("Sydney", "Australia", "61"),
)

SEGMENTS = (("key", 0.10), ("growth", 0.30), ("standard", 0.60))

# industry → (weight, Chinese name words for domestic customers, English words)
INDUSTRIES: dict[str, tuple[float, tuple[str, ...], tuple[str, ...]]] = {
    "Manufacturing": (
        0.28,
        ("制造", "精密", "机械", "电子"),
        ("Manufacturing", "Precision", "Industries"),
    ),
    "Retail": (0.12, ("商贸", "零售", "百货"), ("Retail", "Trading", "Stores")),
    "Finance": (0.08, ("金融", "投资", "资本"), ("Capital", "Finance")),
    "Healthcare": (0.10, ("医疗", "医药", "健康"), ("Health", "Medical")),
    "Education": (0.07, ("教育", "文化"), ("Learning", "Education")),
    "Logistics": (0.15, ("物流", "供应链", "运输"), ("Logistics", "Freight")),
    "Software": (0.12, ("软件", "信息", "数据"), ("Software", "Digital")),
    "Energy": (0.08, ("能源", "电力", "新能源"), ("Energy", "Power")),
}

# Two-character brand syllables with their pinyin (for e-mail domains).
BRAND_FIRST = (
    ("华", "hua"),
    ("恒", "heng"),
    ("鑫", "xin"),
    ("中", "zhong"),
    ("瑞", "rui"),
    ("金", "jin"),
    ("宏", "hong"),
    ("盛", "sheng"),
    ("天", "tian"),
    ("东", "dong"),
    ("新", "xin"),
    ("远", "yuan"),
    ("博", "bo"),
    ("永", "yong"),
    ("嘉", "jia"),
    ("康", "kang"),
    ("海", "hai"),
    ("信", "xin"),
    ("卓", "zhuo"),
    ("安", "an"),
    ("立", "li"),
    ("明", "ming"),
    ("启", "qi"),
    ("泰", "tai"),
    ("凯", "kai"),
)
BRAND_SECOND = (
    ("达", "da"),
    ("科", "ke"),
    ("丰", "feng"),
    ("通", "tong"),
    ("源", "yuan"),
    ("泰", "tai"),
    ("润", "run"),
    ("辉", "hui"),
    ("创", "chuang"),
    ("联", "lian"),
    ("图", "tu"),
    ("光", "guang"),
    ("德", "de"),
    ("诚", "cheng"),
    ("威", "wei"),
    ("捷", "jie"),
    ("鼎", "ding"),
    ("航", "hang"),
    ("芯", "xin"),
    ("峰", "feng"),
    ("和", "he"),
    ("业", "ye"),
    ("智", "zhi"),
    ("邦", "bang"),
    ("晟", "sheng"),
)
CN_SUFFIXES = ("有限公司", "股份有限公司", "集团有限公司")

EN_FIRST = (
    "Nordic",
    "Pacific",
    "Summit",
    "Harbor",
    "Vertex",
    "Blue",
    "Golden",
    "Crescent",
    "Atlas",
    "Silver",
    "Evergreen",
    "Orion",
    "Meridian",
    "Lumen",
    "Apex",
    "Coral",
    "Falcon",
    "Granite",
    "Horizon",
    "Kestrel",
    "Maple",
    "Northstar",
    "Polar",
    "Redwood",
)
EN_SECOND = ("Bay", "Ridge", "Point", "Line", "Bridge", "Gate", "Field", "Wave", "Stone", "Peak")
EN_SUFFIXES = ("Pte Ltd", "Sdn Bhd", "Ltd", "GmbH", "B.V.", "LLC", "Pty Ltd")

SURNAMES = (
    ("王", "wang"),
    ("李", "li"),
    ("张", "zhang"),
    ("刘", "liu"),
    ("陈", "chen"),
    ("杨", "yang"),
    ("赵", "zhao"),
    ("黄", "huang"),
    ("周", "zhou"),
    ("吴", "wu"),
    ("徐", "xu"),
    ("孙", "sun"),
    ("胡", "hu"),
    ("朱", "zhu"),
    ("高", "gao"),
    ("林", "lin"),
    ("何", "he"),
    ("郭", "guo"),
    ("马", "ma"),
    ("罗", "luo"),
)
GIVEN_NAMES = (
    ("伟", "wei"),
    ("芳", "fang"),
    ("娜", "na"),
    ("敏", "min"),
    ("静", "jing"),
    ("磊", "lei"),
    ("洋", "yang"),
    ("勇", "yong"),
    ("艳", "yan"),
    ("杰", "jie"),
    ("涛", "tao"),
    ("明", "ming"),
    ("超", "chao"),
    ("秀英", "xiuying"),
    ("丽", "li"),
    ("强", "qiang"),
    ("军", "jun"),
    ("平", "ping"),
    ("晓东", "xiaodong"),
    ("建华", "jianhua"),
)
EN_PEOPLE_FIRST = (
    "Anna",
    "Ben",
    "Chloe",
    "Daniel",
    "Farah",
    "Hugo",
    "Lena",
    "Marco",
    "Nadia",
    "Raj",
)
EN_PEOPLE_LAST = ("Tan", "Schmidt", "Nguyen", "Lim", "de Vries", "Kumar", "Walker", "Rahman")
CN_TITLES = ("采购经理", "IT总监", "总经理", "生产部经理", "财务总监", "运营副总")
EN_TITLES = ("Procurement Manager", "CIO", "Managing Director", "Operations Director", "CFO")


class Product(NamedTuple):
    name: str
    price_minor: int  # list price per unit, fen
    qty: tuple[int, int]  # usual quantity range of one order
    weight: float  # share of order lines


PRODUCTS = (
    Product("QS-Cloud 云平台", 980_000, (1, 4), 0.20),
    Product("QS-Edge 边缘网关", 360_000, (1, 6), 0.22),
    Product("QS-Sense 传感器套件", 68_000, (5, 30), 0.20),
    Product("QS-Vision 视觉质检", 4_500_000, (1, 1), 0.05),
    Product("QS-Analytics 数据分析", 1_200_000, (1, 1), 0.10),
    Product("QS-Care 运维服务", 600_000, (1, 2), 0.15),
    Product("QS-Train 实施培训", 400_000, (1, 3), 0.08),
)

COMPETITORS = (
    (
        "云启科技 CloudQi",
        "QiEdge gateways, QiCloud IoT platform",
        "About 15% below our list price; deep discounts to win logos",
        "Price; large reseller network in North China",
        "Thin service team; slow fixes",
    ),
    (
        "博拓工业互联 Botuo",
        "Botuo MES, vision inspection",
        "Similar price; bundles MES licences",
        "Strong in manufacturing; factory references",
        "Weak cloud analytics; rigid contracts",
    ),
    (
        "迅捷物联 Xunjie IoT",
        "Low-cost sensors and gateways",
        "30–40% cheaper hardware",
        "Cheap hardware; fast delivery",
        "Quality complaints; no analytics",
    ),
    (
        "Nexora Systems",
        "Industrial cloud suite",
        "20–30% above our price, in USD",
        "Global brand; strong with multinationals",
        "Expensive; little local support in China",
    ),
    (
        "AltoEdge GmbH",
        "Edge computing, predictive maintenance",
        "Premium pricing; annual licences",
        "Engineering depth; EU references",
        "Long sales cycle; small APAC team",
    ),
)

LOST_REASONS = ("price", "features", "relationship", "timing", "no_decision", "support")
DEAL_STAGES = (("lead", 0.1), ("qualified", 0.3), ("proposal", 0.5), ("negotiation", 0.7))

CHANNELS = (("call", 0.34), ("wechat", 0.26), ("visit", 0.16), ("email", 0.14), ("meeting", 0.10))
# Outcomes are free text, like notes: (English, Chinese), written in the note's language.
OUTCOMES = (
    ("interested", "有意向"),
    ("call back", "待回访"),
    ("quote sent", "已报价"),
    ("order placed", "已下单"),
    ("no answer", "未接通"),
)
COMPLAINT = ("complaint", "投诉")  # the outcome of some contacts with unhappy customers
DONE_OUTCOMES = OUTCOMES[:4]
CANCELLED_OUTCOME = ("customer postponed", "客户延期")

CN_NOTES = (
    "沟通了年度采购计划，客户关注交付周期。",
    "客户对 QS-Cloud 的报表功能很感兴趣，约下周演示。",
    "反馈网关偶发掉线，已安排技术支持排查。",
    "讨论续约价格，客户希望有批量折扣。",
    "拜访生产现场，了解质检痛点。",
    "客户预算下季度才能批下来。",
    "介绍新版数据分析模块，客户要求报价。",
    "客户表示竞争对手报价更低，需要进一步跟进。",
    "培训反馈良好，客户考虑扩展到第二工厂。",
    "确认了订单细节，等待客户付款。",
)
EN_NOTES = (
    "Reviewed rollout plan for the second site; they want a pilot first.",
    "Asked for a quote in USD with local support included.",
    "Gateway firmware issue reported; escalated to support.",
    "Discussed renewal; procurement pushing for a multi-year discount.",
    "Demo of QS-Analytics went well; CFO to join next call.",
    "Budget frozen until next quarter.",
)

FOLLOWUP_SUBJECTS = (
    "发送报价 / Send quote",
    "回访满意度 / Satisfaction call",
    "续约沟通 / Renewal talk",
    "产品演示 / Product demo",
    "催收款项 / Payment reminder",
    "技术问题跟进 / Support issue",
)

NEED_TAGS = ("price", "integration", "security", "delivery", "training", "support", "reporting")
NEED_TEXTS = (
    "需要与现有 MES 系统集成 / Needs MES integration",
    "希望数据本地部署，满足安全要求 / Wants on-premise data for security",
    "交付周期要控制在两周内 / Delivery within two weeks",
    "需要中英文双语报表 / Bilingual reports required",
    "关注总拥有成本，要求分期付款 / Focus on TCO, wants instalments",
    "一线员工需要现场培训 / On-site training for operators",
)
