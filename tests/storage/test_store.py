"""Reading and writing records: ids, versions, validation, audit, settings."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from qsales_tui.domain.models import RecordError
from qsales_tui.errors import QsalesError
from qsales_tui.storage.errors import ConflictError, StorageError
from qsales_tui.storage.store import Store


def test_insert_assigns_prefixed_ids_and_version(store, followup):
    first = store.insert("followups", followup())
    second = store.insert("followups", followup(due="2026-12-05"))
    assert (first["id"], second["id"]) == ("F-0001", "F-0002")
    assert first["_v"] == 1
    assert store.get("followups", "F-0002")["due"] == "2026-12-05"
    assert store.insert("teams", {"name": "East"})["id"] == "T-0001"


def test_next_id_follows_the_highest_existing_one(store, sale):
    store.insert_many("sales", [sale(id="S-0041"), sale(id="S-0007", date="2025-01-02")])
    assert store.insert("sales", sale())["id"] == "S-0042"


def test_sharded_tables_write_one_file_per_month(store, data_dir, sale):
    store.insert_many("sales", [sale(date="2026-10-31"), sale(date="2026-11-01")])
    assert sorted(p.name for p in (data_dir / "sales").iterdir()) == [
        "2026-10.json",
        "2026-11.json",
    ]
    assert not (data_dir / "audit").exists()  # bulk load: no audit


def test_update_bumps_version_and_keeps_other_fields(store, followup):
    made = store.insert("followups", followup())
    changed = store.update("followups", made["id"], {"status": "done"}, expected_version=1)
    assert changed["_v"] == 2 and changed["status"] == "done"
    assert changed["due"] == made["due"]
    assert store.get("followups", made["id"]) == changed


def test_update_that_changes_the_shard_field_moves_the_record(store, data_dir, sale):
    made = store.insert("sales", sale(date="2026-11-03"))
    store.update("sales", made["id"], {"date": "2026-09-30"})
    assert [r["id"] for r in store.all("sales")] == [made["id"]]
    assert store.get("sales", made["id"])["date"] == "2026-09-30"


def test_delete_removes_the_record(store, followup):
    made = store.insert("followups", followup())
    store.delete("followups", made["id"], expected_version=1)
    assert store.get("followups", made["id"]) is None
    with pytest.raises(StorageError, match="no record F-0001"):
        store.delete("followups", made["id"])


def test_stale_expected_version_raises_conflict_naming_who_changed_it(data_dir, store, followup):
    made = store.insert("followups", followup())
    Store(data_dir, user="bob").update("followups", made["id"], {"priority": "high"})
    with pytest.raises(ConflictError, match="F-0001 was changed by bob") as caught:
        store.update("followups", made["id"], {"status": "done"}, expected_version=1)
    assert (caught.value.expected, caught.value.found) == (1, 2)
    with pytest.raises(ConflictError):
        store.delete("followups", made["id"], expected_version=1)
    assert store.get("followups", made["id"])["status"] == "open"


def test_invalid_records_are_refused_and_nothing_is_written(store, followup, data_dir):
    with pytest.raises(RecordError, match="status"):
        store.insert("followups", followup(status="maybe"))
    with pytest.raises(RecordError, match="due"):
        store.insert("followups", followup(due="next week"))
    assert store.all("followups") == [] and store.audit() == []
    made = store.insert("followups", followup())
    with pytest.raises(RecordError):
        store.update("followups", made["id"], {"status": "maybe"})
    assert store.get("followups", made["id"])["_v"] == 1


def test_bad_requests_are_refused(store, followup):
    with pytest.raises(StorageError, match="unknown table"):
        store.insert("nonsense", {})
    with pytest.raises(StorageError, match="unknown table"):
        store.all("audit")  # the audit log is read with store.audit()
    with pytest.raises(StorageError, match="assigns ids"):
        store.insert("followups", followup(id="F-0009"))
    with pytest.raises(StorageError, match="already has a record T-0001"):
        store.insert_many("teams", [{"id": "T-0001", "name": "a"}, {"id": "T-0001", "name": "b"}])
    store.insert("teams", {"name": "East"})
    with pytest.raises(StorageError, match="already has a record T-0001"):
        store.insert_many("teams", [{"id": "T-0001", "name": "a"}])
    assert store.insert_many("teams", []) == []
    assert [t["name"] for t in store.all("teams")] == ["East"]


def test_find_matches_every_criterion(store, followup):
    store.insert("followups", followup(rep_id="R-0003"))
    wanted = store.insert(
        "followups", followup(rep_id="R-0003", created_at="2026-10-01T09:00:00+08:00")
    )
    store.update("followups", wanted["id"], {"status": "done"})
    assert [r["id"] for r in store.find("followups", rep_id="R-0003", status="done")] == [
        wanted["id"]
    ]
    assert store.find("followups", rep_id="R-0999") == []


def test_every_write_is_audited_with_before_and_after(store, followup):
    made = store.insert("followups", followup())
    store.update("followups", made["id"], {"status": "done"})
    store.delete("followups", made["id"])
    store.update_settings({"inactive_after_days": 90})
    entries = store.audit()
    assert [(e["action"], e["table"], e["record_id"]) for e in entries] == [
        ("insert", "followups", "F-0001"),
        ("update", "followups", "F-0001"),
        ("delete", "followups", "F-0001"),
        ("update", "settings", "settings"),
    ]
    assert {e["user"] for e in entries} == {"alice"}
    assert all(datetime.fromisoformat(e["at"]).tzinfo is not None for e in entries)
    assert entries[1]["before"]["status"] == "open" and entries[1]["after"]["status"] == "done"
    assert entries[2]["after"] is None and entries[0]["before"] is None
    assert store.audit(since="2999-01-01T00:00:00+00:00") == []
    assert len({e["id"] for e in entries}) == 4


def test_settings_are_validated_and_versioned(store):
    assert store.settings["schema_version"] == 1 and store.settings["_v"] == 1
    assert store.update_settings({"currency": "USD"})["currency"] == "USD"
    with pytest.raises(RecordError, match="fiscal_year_start_month"):
        store.update_settings({"fiscal_year_start_month": 13})
    assert store.settings["currency"] == "USD" and store.settings["_v"] == 2


def test_transaction_groups_writes_under_one_lock(store, followup):
    with store.transaction():
        with store.transaction():  # re-entrant
            a = store.insert("followups", followup())
        b = store.insert("followups", followup())
    assert {a["id"], b["id"]} == {"F-0001", "F-0002"}


def test_change_token_changes_with_each_write(store, followup):
    before = store.change_token()
    assert store.change_token() == before
    tokens = {before}
    for _ in range(20):  # writes closer together than a clock tick still differ
        store.insert("followups", followup())
        tokens.add(store.change_token())
    assert len(tokens) == 21


def test_missing_directory_gives_a_clear_error(tmp_path: Path):
    with pytest.raises(QsalesError, match=r"no data directory at .*qsales init --company"):
        Store(tmp_path / "absent")
    (tmp_path / "empty").mkdir()
    with pytest.raises(StorageError, match="not a qsales data directory"):
        Store(tmp_path / "empty")


def test_create_refuses_an_existing_data_directory(store, data_dir, settings):
    with pytest.raises(StorageError, match="already holds"):
        Store.create(data_dir, settings)


def test_lost_state_file_is_rebuilt_from_the_data(store, data_dir, followup):
    store.insert("followups", followup())
    store.insert("followups", followup(created_at="2026-01-05T09:00:00+08:00"))
    (data_dir / ".state.json").unlink()
    assert (
        store.insert("followups", followup(created_at="2026-06-05T09:00:00+08:00"))["id"]
        == "F-0003"
    )


def test_backup_copies_every_data_file(store, data_dir, followup):
    store.insert("followups", followup())
    target = store.backup()
    assert target.parent == data_dir / "backups"
    assert (target / "settings.json").read_bytes() == (data_dir / "settings.json").read_bytes()
    assert (target / "followups" / "2026-11.json").is_file()


def test_audit_is_stamped_in_the_datasets_timezone(store):
    store.update_settings({"timezone": "Asia/Shanghai"})
    store.update_settings({"company": "After the zone is set"})
    entry = store.audit()[-1]
    assert entry["after"]["company"] == "After the zone is set"
    assert entry["at"].endswith("+08:00")


def test_a_failed_write_leaves_neither_the_change_nor_a_half_of_it(store, monkeypatch):
    """The change and its audit entry land together: a full disk on the audit write puts
    the data file back as it was (found in review: the change stayed, unaudited)."""
    from qsales_tui.storage import store as store_module

    rep = store.insert("reps", {"name": "A", "role": "rep", "hired_on": "2026-01-01"})
    audited = len(store.audit())
    real = store_module.Store._write_file

    def full_disk_on_audit(self, path, table, *args):
        if table == "audit":
            raise OSError(28, "No space left on device")
        return real(self, path, table, *args)

    monkeypatch.setattr(store_module.Store, "_write_file", full_disk_on_audit)
    with pytest.raises(OSError):
        store.update("reps", rep["id"], {"name": "B"}, expected_version=1)
    monkeypatch.undo()
    again = Store(store.data_dir)
    assert again.get("reps", rep["id"])["name"] == "A"
    assert again.get("reps", rep["id"])["_v"] == 1
    assert len(again.audit()) == audited


def test_a_failed_transaction_rolls_back_its_earlier_writes(store):
    rep = store.insert("reps", {"name": "A", "role": "rep", "hired_on": "2026-01-01"})
    with pytest.raises(RuntimeError), store.transaction():
        store.update("reps", rep["id"], {"name": "B"}, expected_version=1)
        store.insert("teams", {"name": "T"})
        raise RuntimeError("the third step of the action failed")
    again = Store(store.data_dir)
    assert again.get("reps", rep["id"])["name"] == "A"
    assert again.all("teams") == []
