"""Validated records for every table of DATA.md.

Records travel as plain dicts (the JSON in the data files); these models check them
on the way in. ``validate_record(table, data)`` returns the cleaned dict or raises
``RecordError`` naming the field and the value. Extra fields are allowed (DATA.md:
"others may be added") but the required ones are checked strictly.

Each problem's message is short and translated (``"at most 5"``, ``"须为以下之一：key,
growth, standard"``), made from pydantic's error type by :func:`problem_message`; the
field and the value stay separate in ``RecordError.problems`` so a form can put the
message beside the field. Error types without a message of our own keep pydantic's text.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import ErrorDetails, PydanticCustomError

from qsales_tui.i18n import _

Segment = Literal["key", "growth", "standard"]
SEGMENTS: tuple[str, ...] = get_args(Segment)
CustomerStatus = Literal["lead", "active", "churned"]
CUSTOMER_STATUSES: tuple[str, ...] = get_args(CustomerStatus)
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
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            raise PydanticCustomError("date_format", "not a date (YYYY-MM-DD)") from None
    if isinstance(value, date):
        return value.isoformat()
    return value


def _iso_datetime(value: Any) -> Any:
    """A timestamp with a timezone; a string is checked and kept as written."""
    parsed = value
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise PydanticCustomError("datetime_format", "not a timestamp") from None
    if isinstance(parsed, datetime):
        if parsed.tzinfo is None:
            raise PydanticCustomError("timezone_missing", "timestamp needs a timezone")
        return value if isinstance(value, str) else value.isoformat()
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
    status: CustomerStatus
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

    _dates = field_validator("created_on", "expected_close", "closed_on", mode="before")(_iso_date)


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


# Patterns of the models above → an example of what fits, for the message.
_PATTERN_EXAMPLES = {r"^\d{4}-Q[1-4]$": "2026-Q4", r"^[A-Z]{3}$": "CNY"}


def problem_message(error: ErrorDetails) -> str:
    """One pydantic error as a short translated message (without the field or the value)."""
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "missing":
        return _("required")
    if kind == "string_too_short":
        if ctx.get("min_length") == 1:
            return _("cannot be empty")
        return _("at least {n} characters", n=ctx.get("min_length"))
    if kind == "string_too_long":
        return _("at most {n} characters", n=ctx.get("max_length"))
    if kind in ("less_than_equal", "less_than"):
        return _("at most {limit}", limit=ctx.get("le", ctx.get("lt")))
    if kind in ("greater_than_equal", "greater_than"):
        return _("at least {limit}", limit=ctx.get("ge", ctx.get("gt")))
    if kind == "literal_error":
        allowed = ctx.get("expected", "").replace("'", "").replace(" or ", ", ")
        return _("must be one of: {values}", values=allowed)
    if kind == "string_pattern_mismatch":
        pattern = ctx.get("pattern", "")
        return _("should look like {example}", example=_PATTERN_EXAMPLES.get(pattern, pattern))
    if kind in ("date_format", "date_parsing", "date_from_datetime_parsing", "date_type"):
        return _("not a date: use YYYY-MM-DD")
    if kind in ("datetime_format", "datetime_parsing", "datetime_type"):
        return _("not a timestamp: use YYYY-MM-DDTHH:MM:SS+08:00")
    if kind == "timezone_missing":
        return _("the timestamp needs a timezone, such as +08:00")
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("must be a whole number")
    if kind in ("float_parsing", "float_type"):
        return _("must be a number")
    if kind in ("bool_parsing", "bool_type"):
        return _("must be true or false")
    if kind == "string_type":
        return _("must be text")
    return error["msg"]


def _problems(exc: ValidationError, data: dict[str, Any]) -> list[tuple[str, Any, str]]:
    """(field, value as given, message) for each error of ``exc``."""
    problems = []
    for error in exc.errors():
        field = ".".join(str(part) for part in error["loc"]) or "(record)"
        value = data.get(str(error["loc"][0])) if error["loc"] else None
        problems.append((field, value, problem_message(error)))
    return problems


def validate_record(table: str, data: dict[str, Any]) -> dict[str, Any]:
    """Check one record of ``table``; return it cleaned (dates ISO, strings stripped)."""
    model = MODELS.get(table)
    if model is None:
        return dict(data)
    try:
        cleaned = model.model_validate(data)
    except ValidationError as exc:
        raise RecordError(table, _problems(exc, data)) from None
    return cleaned.model_dump(mode="json")


def validate_settings(data: dict[str, Any]) -> dict[str, Any]:
    try:
        return Settings.model_validate(data).model_dump(mode="json")
    except ValidationError as exc:
        raise RecordError("settings", _problems(exc, data)) from None
