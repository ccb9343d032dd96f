"""A fresh data directory per test, and small record makers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from qsales_tui.storage.store import Store

SETTINGS = {
    "company": "ACME",
    "currency": "CNY",
    "fiscal_year_start_month": 1,
    "inactive_after_days": 60,
}


@pytest.fixture
def followup() -> Callable[..., dict]:
    def make(**fields: object) -> dict:
        return {
            "customer_id": "C-0001",
            "rep_id": "R-0001",
            "due": "2026-12-01",
            "status": "open",
            "created_at": "2026-11-27T09:00:00+08:00",
            **fields,
        }

    return make


@pytest.fixture
def sale() -> Callable[..., dict]:
    def make(**fields: object) -> dict:
        return {
            "date": "2026-11-03",
            "customer_id": "C-0001",
            "rep_id": "R-0001",
            "product": "Alpha",
            "quantity": 2,
            "amount_minor": 12_345,
            **fields,
        }

    return make


@pytest.fixture
def settings() -> dict:
    return dict(SETTINGS)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store(data_dir: Path, settings: dict) -> Store:
    return Store.create(data_dir, settings, user="alice")
