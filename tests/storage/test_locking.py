"""Reads never wait for the lock; writes from threads serialise; orphans are cleaned."""

from __future__ import annotations

import threading

from filelock import FileLock

from qsales_tui.storage.files import TEMP_SUFFIX
from qsales_tui.storage.store import Store


def test_reads_do_not_wait_for_a_writer(store, data_dir, followup):
    store.insert("followups", followup())
    with FileLock(data_dir / ".lock"):  # another writer holds the lock
        reader = Store(data_dir, user="bob")
        assert [f["id"] for f in reader.all("followups")] == ["F-0001"]
        assert reader.get("followups", "F-0001")["_v"] == 1


def test_orphaned_temp_files_are_removed_at_open_but_not_while_someone_writes(store, data_dir):
    orphan = data_dir / f".teams.json.x1{TEMP_SUFFIX}"
    orphan.write_bytes(b"{half")
    with FileLock(data_dir / ".lock"):
        Store(data_dir)
        assert orphan.exists()  # may be a live writer's file
    Store(data_dir)
    assert not orphan.exists()


def test_threads_sharing_one_store_lose_no_write(store, followup):
    def work() -> None:
        for _ in range(40):
            store.insert("followups", followup())

    threads = [threading.Thread(target=work) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ids = [f["id"] for f in store.all("followups")]
    assert len(ids) == len(set(ids)) == 120
