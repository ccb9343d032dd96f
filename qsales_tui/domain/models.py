"""Validated records for every table of DATA.md.

Records travel as plain dicts (the JSON in the data files); these models check them
on the way in. ``validate_record(table, data)`` returns the cleaned dict or raises
``RecordError`` naming the field and the value. Extra fields are allowed (DATA.md:
"others may be added") but the required ones are checked strictly.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

Segment = Literal["key", "growth", "standard"]
Role = Literal["rep", "manager", "director"]


class RecordError(ValueError):
    """A record value that does not fit its table: names the table, field and value."""

    def __init__(self, table: str, problems: list[tuple[str, Any, str]]):
        self.table = table
        self.problems = problems  # (field, value, message)
        text = "; ".join(f"{field} = {value!r}: {message}" for field, value, message in problems)
        super().__init__(f"{table}: {text}")


class _Record(BaseModel):
    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)

    id: str = Field(min_length=1, max_length=40)


def _iso_date(value: Any) -> Any:
    if isinstance(value, str):
        return date.fromisoformat(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _iso_datetime(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("timestamp needs a timezone")
        return value.isoformat()
    if isinstance(value, str):
        parsed = datetime.fromisoformat(value)
        if parsed.tzinfo is None:
            raise ValueError("timestamp needs a timezone")
        return value
    return value


class Settings(BaseModel):
    model_config = ConfigDict(extra="allow")

    company: str = Field(min_length=1)
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    fiscal_year_start_month: int = Field(ge=1, le=12)
    inactive_after_days: int = Field(ge=1)
    schema_version: int = Field(ge=1)


class Team(_Record):
    name: str = Field(min_length=1)
    manager_id: str | None = None


class Rep(_Record):
    name: str = Field(min_length=1)
    team_id: str | None = None
    role: Role
    os_user: str | None = None
    hired_on: str
    active: bool = True

    _dates = field_validator("hired_on", mode="before")(_iso_date)


class Customer(_Record):
    name: str = Field(min_length=1, max_length=200)
    segment: Segment
    industry: str = ""
    region: str = ""
    owner_id: str | None = None
    status: Literal["lead", "active", "churned"]
    created_on: str

    _dates = field_validator("created_on", mode="before")(_iso_date)


class Sale(_Record):
    date: str
    customer_id: str
    rep_id: str
    product: str = Field(min_length=1)
    quantity: int = Field(ge=0)
    amount_minor: int

    _dates = field_validator("date", mode="before")(_iso_date)


class Deal(_Record):
    name: str = Field(min_length=1)
    customer_id: str
    rep_id: str
    stage: str = Field(min_length=1)
    probability: float = Field(ge=0, le=1)
    amount_minor: int = Field(ge=0)
    created_on: str
    expected_close: str
    status: Literal["open", "won", "lost"]
    closed_on: str | None = None
    competitor: str | None = None
    lost_reason: str | None = None

    _dates = field_validator("created_on", "expected_close", "closed_on", mode="before")(
        _iso_date
    )


class Interaction(_Record):
    customer_id: str
    rep_id: str
    at: str
    channel: str = Field(min_length=1)
    note: str = ""
    outcome: str = ""
    csat: int | None = Field(default=None, ge=1, le=5)
    nps: int | None = Field(default=None, ge=0, le=10)
    author: str = ""

    _times = field_validator("at", mode="before")(_iso_datetime)


class Followup(_Record):
    customer_id: str
    rep_id: str
    due: str
    priority: int | str = "normal"
    status: Literal["open", "done", "cancelled"]
    created_at: str
    done_at: str | None = None
    outcome: str | None = None

    _dates = field_validator("due", mode="before")(_iso_date)
    _times = field_validator("created_at", "done_at", mode="before")(_iso_datetime)


class Goal(_Record):
    quarter: str = Field(pattern=r"^\d{4}-Q[1-4]$")
    metric: str = Field(min_length=1)
    scope: str = Field(min_length=1)
    target: int = Field(ge=0)
    baseline: int | None = None
    relevance: str = ""
    split: dict[str, int] = Field(default_factory=dict)
    allocation: dict[str, int] = Field(default_factory=dict)
    status: str = "active"


class Market(_Record):
    quarter: str = Field(pattern=r"^\d{4}-Q[1-4]$")
    segment: str = Field(min_length=1)
    size_minor: int = Field(ge=0)


class Competitor(_Record):
    name: str = Field(min_length=1)
    products: str = ""
    price_note: str = ""
    strengths: str = ""
    weaknesses: str = ""


class Risk(_Record):
    category: str = Field(min_length=1)
    title: str = Field(min_length=1)
    likelihood: int = Field(ge=1, le=5)
    impact: int = Field(ge=1, le=5)
    owner_id: str | None = None
    mitigation: str = ""
    contingency: str = ""
    status: str = "open"
    review_on: str | None = None

    _dates = field_validator("review_on", mode="before")(_iso_date)


class Strategy(_Record):
    date: str
    kind: str = Field(min_length=1)
    description: str = ""
    expected_effect: str = ""

    _dates = field_validator("date", mode="before")(_iso_date)


class Training(_Record):
    rep_id: str
    date: str
    course: str = Field(min_length=1)
    hours: float = Field(ge=0, le=1000)
    skill: str = ""

    _dates = field_validator("date", mode="before")(_iso_date)


class Note(_Record):
    at: str
    author: str
    text: str = Field(min_length=1)

    _times = field_validator("at", mode="before")(_iso_datetime)


class Review(_Record):
    quarter: str = Field(pattern=r"^\d{4}-Q[1-4]$")
    summary: str = ""
    lessons: list[str] | str = ""
    actions: list[Any] | str = ""
    closed_at: str | None = None


class Contact(_Record):
    """A person at a customer (addition to DATA.md, documented in the README)."""

    customer_id: str
    name: str = Field(min_length=1)
    title: str = ""
    phone: str = ""
    email: str = ""


class NeedNote(_Record):
    """A customer-need note with tags (addition to DATA.md)."""

    customer_id: str
    at: str
    author: str = ""
    text: str = Field(min_length=1)
    tags: list[str] = Field(default_factory=list)


MODELS: dict[str, type[BaseModel]] = {
    "teams": Team,
    "reps": Rep,
    "customers": Customer,
    "sales": Sale,
    "deals": Deal,
    "interactions": Interaction,
    "followups": Followup,
    "goals": Goal,
    "market": Market,
    "competitors": Competitor,
    "risks": Risk,
    "strategies": Strategy,
    "trainings": Training,
    "notes": Note,
    "reviews": Review,
    "contacts": Contact,
    "needs": NeedNote,
}


def validate_record(table: str, data: dict[str, Any]) -> dict[str, Any]:
    """Check one record of ``table``; return it cleaned (dates ISO, strings stripped)."""
    model = MODELS.get(table)
    if model is None:
        return dict(data)
    try:
        cleaned = model.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            field = ".".join(str(part) for part in error["loc"]) or "(record)"
            value = data.get(str(error["loc"][0])) if error["loc"] else data
            problems.append((field, value, error["msg"]))
        raise RecordError(table, problems) from None
    return cleaned.model_dump(mode="json")


def validate_settings(data: dict[str, Any]) -> dict[str, Any]:
    try:
        return Settings.model_validate(data).model_dump(mode="json")
    except ValidationError as exc:
        problems = [
            (".".join(str(p) for p in e["loc"]), data.get(str(e["loc"][0])) if e["loc"] else None,
             e["msg"])
            for e in exc.errors()
        ]
        raise RecordError("settings", problems) from None
