"""A damaged file is named with its problem and the newest backup, and never overwritten."""

from __future__ import annotations

import pytest

from qsales_tui.storage.errors import DamagedFileError
from qsales_tui.storage.store import Store

GOOD = {"name": "East"}


def truncated(raw: bytes) -> bytes:
    return raw[: len(raw) // 2]


DAMAGE = {
    "truncated": (truncated, "not valid JSON"),
    "not JSON": (lambda raw: b"<html>oops</html>", "not valid JSON"),
    "empty": (lambda raw: b"", "empty"),
    "a list": (lambda raw: b"[1, 2, 3]", "found list"),
    "table not a mapping": (lambda raw: b'{"teams": [1]}', "teams is a list"),
    "record not a mapping": (lambda raw: b'{"teams": {"1": "x"}}', "bad entry"),
}


@pytest.mark.parametrize("kind", DAMAGE)
def test_damaged_table_is_reported_and_left_untouched(store, data_dir, kind):
    store.insert("teams", GOOD)
    path = data_dir / "teams.json"
    damage, problem = DAMAGE[kind]
    path.write_bytes(damage(path.read_bytes()))
    damaged = path.read_bytes()

    with pytest.raises(DamagedFileError, match=problem) as caught:
        store.all("teams")
    assert str(path) in str(caught.value) and "No backup" in str(caught.value)
    with pytest.raises(DamagedFileError):
        store.insert("teams", GOOD)
    with pytest.raises(DamagedFileError):
        store.update("teams", "T-0001", {"name": "West"})
    assert path.read_bytes() == damaged
    store.insert(
        "followups",
        {
            "customer_id": "C-0001",
            "rep_id": "R-0001",
            "due": "2026-12-01",
            "status": "open",
            "created_at": "2026-11-27T09:00:00+08:00",
        },
    )


def test_message_offers_the_newest_backup(store, data_dir):
    store.insert("teams", GOOD)
    store.backup()
    newest = store.backup()
    (data_dir / "teams.json").write_bytes(b"{")
    with pytest.raises(DamagedFileError) as caught:
        store.get("teams", "T-0001")
    assert caught.value.backup == newest / "teams.json"
    assert str(newest / "teams.json") in str(caught.value)


def test_damaged_shard_names_the_shard(store, data_dir):
    store.insert_many(
        "sales",
        [
            {
                "date": "2026-10-03",
                "customer_id": "C-0001",
                "rep_id": "R-0001",
                "product": "A",
                "quantity": 1,
                "amount_minor": 5,
            }
        ],
    )
    shard = data_dir / "sales" / "2026-10.json"
    shard.write_bytes(truncated(shard.read_bytes()))
    with pytest.raises(DamagedFileError, match=r"2026-10\.json"):
        store.all("sales")


def test_damaged_settings_stop_the_open(store, data_dir):
    (data_dir / "settings.json").write_bytes(b"[]")
    with pytest.raises(DamagedFileError, match=r"settings\.json"):
        Store(data_dir)
