"""Several processes on one data directory: no lost writes, no damage after SIGKILL."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from qsales_tui.storage.files import TEMP_SUFFIX
from qsales_tui.storage.store import Store

WORKER = Path(__file__).with_name("worker.py")


def _start(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(WORKER), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_four_processes_lose_no_insert_or_update(store, data_dir):
    store.insert(
        "goals", {"quarter": "2026-Q4", "metric": "revenue", "scope": "company", "target": 0}
    )
    workers = [_start("mixed", str(data_dir), "125") for _ in range(4)]
    for worker in workers:
        _out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
    followups = store.all("followups")
    assert len(followups) == 500
    assert len({f["id"] for f in followups}) == 500
    goal = store.get("goals", "G-0001")
    assert goal["target"] == 500 and goal["_v"] == 501
    assert len(store.audit()) == 1 + 1000


def test_change_token_sees_a_write_from_another_process(store, data_dir):
    before = store.change_token()
    worker = _start("insert", str(data_dir))
    assert worker.wait(timeout=60) == 0
    assert store.change_token() != before
    assert len(store.all("followups")) == 1  # and the reader's cache saw the new file


def test_writer_killed_mid_write_never_leaves_unloadable_data(store, data_dir):
    rounds = 20
    for _ in range(rounds):
        worker = _start("forever", str(data_dir))
        assert worker.stdout.readline().strip() == "ready"
        time.sleep(random.uniform(0.0, 0.05))
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        reopened = Store(data_dir, user="check")  # removes orphaned temp files
        assert not list(data_dir.rglob(f"*{TEMP_SUFFIX}"))
        followups, notes = reopened.all("followups"), reopened.all("notes")
        assert len({f["id"] for f in followups}) == len(followups)
        assert all(n["text"] for n in notes)
        reopened.insert(
            "notes",
            {"at": "2026-11-27T10:00:00+08:00", "author": "check", "text": "still writable"},
        )
    assert len(store.find("notes", author="check")) == rounds
