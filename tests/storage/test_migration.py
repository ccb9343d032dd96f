"""Opening an older directory backs it up and migrates it; a newer one is refused."""

from __future__ import annotations

import pytest

from qsales_tui.storage import migrations, schema
from qsales_tui.storage.errors import StorageError
from qsales_tui.storage.store import Store


@pytest.fixture
def version_two(monkeypatch):
    """Pretend the code knows format 2, reached by a step that tags every customer."""

    def tag_customers(data_dir, modes):
        migrations.rewrite_records(data_dir, modes, "customers", lambda c: {**c, "tier": "gold"})

    monkeypatch.setitem(migrations.MIGRATIONS, 1, tag_customers)
    monkeypatch.setattr(schema, "SCHEMA_VERSION", 2)


CUSTOMER = {"name": "华鑫科技", "segment": "key", "status": "active", "created_on": "2025-03-01"}


def test_older_directory_is_backed_up_then_migrated(store, data_dir, monkeypatch, version_two):
    monkeypatch.setattr(schema, "SCHEMA_VERSION", 1)
    store.insert("customers", CUSTOMER)
    old_customers = (data_dir / "customers.json").read_bytes()
    monkeypatch.setattr(schema, "SCHEMA_VERSION", 2)

    migrated = Store(data_dir, user="bob")

    assert migrated.settings["schema_version"] == 2
    assert migrated.get("customers", "C-0001")["tier"] == "gold"
    backups = list((data_dir / "backups").iterdir())
    assert len(backups) == 1 and backups[0].name.endswith("-v1")
    assert (backups[0] / "customers.json").read_bytes() == old_customers
    assert (backups[0] / "settings.json").is_file()
    Store(data_dir)  # already current: no second backup
    assert len(list((data_dir / "backups").iterdir())) == 1


def test_newer_directory_is_refused(store, data_dir):
    store.update_settings({"schema_version": schema.SCHEMA_VERSION + 1})
    with pytest.raises(StorageError, match=r"newer qsales .*upgrade qsales"):
        Store(data_dir)


def test_missing_migration_step_is_reported(store, data_dir, monkeypatch):
    monkeypatch.setattr(schema, "SCHEMA_VERSION", 2)
    with pytest.raises(StorageError, match="no migration from data format 1 to 2"):
        Store(data_dir)


def test_a_version_can_have_only_one_step(monkeypatch):
    monkeypatch.setitem(migrations.MIGRATIONS, 7, lambda d, m: None)
    with pytest.raises(ValueError):
        migrations.migration(7)(lambda d, m: None)
