"""Record validation: short translated messages, with the field and the value kept apart."""

from __future__ import annotations

import pytest

from qsales_tui.domain.models import RecordError, validate_record, validate_settings
from qsales_tui.domain.money import MoneyError, parse_money
from qsales_tui.i18n import set_language

CUSTOMER = dict(
    id="C-0001",
    name="华鑫科技",
    segment="key",
    industry="Software",
    region="East",
    owner_id="R-0002",
    status="active",
    created_on="2024-01-10",
)
INTERACTION = dict(
    id="I-0001",
    customer_id="C-0001",
    rep_id="R-0002",
    at="2026-11-20T10:00:00+08:00",
    channel="call",
)


def problems(table: str, record: dict) -> list[tuple[str, object, str]]:
    with pytest.raises(RecordError) as caught:
        validate_record(table, record)
    assert caught.value.table == table
    return caught.value.problems


@pytest.mark.parametrize(
    ("table", "change", "expected"),
    [
        ("customers", {"name": "  "}, ("name", "  ", "cannot be empty")),
        ("customers", {"name": "x" * 201}, ("name", "x" * 201, "at most 200 characters")),
        (
            "customers",
            {"segment": "vip"},
            ("segment", "vip", "must be one of: key, growth, standard"),
        ),
        (
            "customers",
            {"created_on": "2026-13-01"},
            ("created_on", "2026-13-01", "not a date: use YYYY-MM-DD"),
        ),
        ("customers", {"name": 42}, ("name", 42, "must be text")),
        ("interactions", {"csat": 7}, ("csat", 7, "at most 5")),
        ("interactions", {"nps": -1}, ("nps", -1, "at least 0")),
        ("interactions", {"csat": "abc"}, ("csat", "abc", "must be a whole number")),
        (
            "interactions",
            {"at": "2026-11-20T10:00:00"},
            ("at", "2026-11-20T10:00:00", "the timestamp needs a timezone, such as +08:00"),
        ),
        (
            "interactions",
            {"at": "yesterday"},
            ("at", "yesterday", "not a timestamp: use YYYY-MM-DDTHH:MM:SS+08:00"),
        ),
        ("goals", {}, ("quarter", None, "required")),
        ("trainings", {"hours": "lots"}, ("hours", "lots", "must be a number")),
        ("reps", {"active": "maybe"}, ("active", "maybe", "must be true or false")),
    ],
)
def test_each_error_type_has_a_short_message(table, change, expected):
    base = {
        "customers": CUSTOMER,
        "interactions": INTERACTION,
        "goals": dict(id="G-1", metric="revenue", scope="company", target=1),
        "trainings": dict(id="TR-1", rep_id="R-1", date="2026-01-01", course="CRM"),
        "reps": dict(id="R-1", name="n", role="rep", hired_on="2020-01-01"),
    }[table]
    assert expected in problems(table, {**base, **change})


def test_pattern_mismatch_shows_an_example():
    record = dict(id="G-1", quarter="2026Q4", metric="revenue", scope="company", target=1)
    assert problems("goals", record) == [("quarter", "2026Q4", "should look like 2026-Q4")]
    with pytest.raises(RecordError) as caught:
        validate_settings(
            dict(
                company="x",
                currency="rmb",
                fiscal_year_start_month=1,
                inactive_after_days=90,
                schema_version=1,
            )
        )
    assert caught.value.problems == [("currency", "rmb", "should look like CNY")]


def test_several_problems_are_all_named():
    found = problems("customers", {**CUSTOMER, "name": "", "status": "gone"})
    assert [field for field, _value, _message in found] == ["name", "status"]
    assert "name = ''" in str(RecordError("customers", found))


def test_messages_are_translated():
    set_language("zh")
    assert problems("customers", {**CUSTOMER, "name": ""}) == [("name", "", "不能为空")]
    assert problems("interactions", {**INTERACTION, "csat": 9})[0][2] == "不能大于 5"
    assert problems("customers", {**CUSTOMER, "segment": "x"})[0][2] == (
        "须为以下之一：key, growth, standard"
    )
    with pytest.raises(MoneyError, match="不是金额：“abc”"):
        parse_money("abc")


def test_good_records_pass_cleaned():
    cleaned = validate_record("customers", {**CUSTOMER, "name": " 华鑫科技 "})
    assert cleaned["name"] == "华鑫科技"
    stamp = "2026-11-20T10:00:00.5+08:00"
    assert validate_record("interactions", {**INTERACTION, "at": stamp})["at"] == stamp


@pytest.mark.parametrize("text", ["abc", "", "inf", "1.2.3"])
def test_money_that_is_not_an_amount(text):
    with pytest.raises(MoneyError, match=f"not an amount: '{text}'"):
        parse_money(text)
