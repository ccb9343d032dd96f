"""load_frame: typed columns from the big tables, cached per shard, rebuilt on change."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from qsales_tui.storage.errors import StorageError
from qsales_tui.storage.frames import load_frame


def cache_of(data_dir, table, shard):
    return data_dir / ".cache" / table / f"{shard}.npz"


def test_sales_frame_has_typed_columns(store, sale):
    store.insert_many(
        "sales",
        [
            sale(date="2026-10-01", amount_minor=10**15),
            sale(date="2026-11-02", product="Beta", rep_id="R-0002"),
        ],
    )
    frame = load_frame(store, "sales")
    assert list(frame.columns) == [
        "id",
        "date",
        "customer_id",
        "rep_id",
        "product",
        "quantity",
        "amount_minor",
    ]
    assert frame["amount_minor"].dtype == np.int64
    assert frame["amount_minor"].tolist() == [10**15, 12_345]
    assert frame["date"].tolist() == [pd.Timestamp("2026-10-01"), pd.Timestamp("2026-11-02")]
    assert isinstance(frame["product"].dtype, pd.CategoricalDtype)
    assert frame["product"].tolist() == ["Alpha", "Beta"]
    assert frame.groupby("rep_id", observed=True)["amount_minor"].sum()["R-0002"] == 12_345


def test_only_the_changed_shard_is_rebuilt(store, data_dir, sale):
    store.insert_many("sales", [sale(date="2026-10-01"), sale(date="2026-11-02")])
    load_frame(store, "sales")
    october = cache_of(data_dir, "sales", "2026-10").stat().st_mtime_ns
    november = cache_of(data_dir, "sales", "2026-11").stat().st_mtime_ns

    store.insert("sales", sale(date="2026-11-20", amount_minor=7))

    frame = load_frame(store, "sales")
    assert frame["amount_minor"].tolist()[-1] == 7 and len(frame) == 3
    assert cache_of(data_dir, "sales", "2026-10").stat().st_mtime_ns == october
    assert cache_of(data_dir, "sales", "2026-11").stat().st_mtime_ns != november


def test_unreadable_cache_is_rebuilt(store, data_dir, sale):
    store.insert_many("sales", [sale()])
    load_frame(store, "sales")
    cache_of(data_dir, "sales", "2026-11").write_bytes(b"garbage")
    assert load_frame(store, "sales")["quantity"].tolist() == [2]


def test_nullable_numbers_timestamps_and_missing_text(store):
    store.insert_many(
        "interactions",
        [
            {
                "customer_id": "C-0001",
                "rep_id": "R-0001",
                "at": "2026-11-27T09:00:00+08:00",
                "channel": "call",
                "csat": 4,
                "nps": None,
            },
            {
                "customer_id": "C-0002",
                "rep_id": "R-0001",
                "at": "2026-10-02T09:00:00+00:00",
                "channel": "visit",
                "csat": None,
                "nps": 9,
            },
        ],
    )
    frame = load_frame(store, "interactions", ["at", "csat", "nps", "channel"])
    assert list(frame.columns) == ["at", "csat", "nps", "channel"]
    assert frame["csat"].isna().tolist() == [True, False]  # October shard first
    assert frame["nps"].tolist()[0] == 9
    assert frame["at"].tolist()[1] == pd.Timestamp("2026-11-27T01:00:00", tz="UTC")


def test_empty_table_and_bad_requests(store):
    frame = load_frame(store, "deals")
    assert len(frame) == 0 and "amount_minor" in frame.columns
    with pytest.raises(StorageError, match="no columnar view"):
        load_frame(store, "customers")
    with pytest.raises(StorageError, match="no column colour"):
        load_frame(store, "sales", ["colour"])
