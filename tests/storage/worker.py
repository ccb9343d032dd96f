"""A separate qsales process for the multi-process tests: ``worker.py JOB DATA_DIR [N]``.

Jobs: ``mixed`` (N follow-up inserts and N increments of goal G-0001), ``insert`` (one
follow-up), ``forever`` (insert follow-ups and notes until killed; prints "ready").
"""

from __future__ import annotations

import sys
from pathlib import Path

from qsales_tui.storage.store import Store


def followup(n: int) -> dict:
    return {
        "customer_id": "C-0001",
        "rep_id": "R-0001",
        "due": "2026-12-01",
        "status": "open",
        "created_at": f"2026-{n % 12 + 1:02d}-27T09:00:00+08:00",
    }


def main(job: str, data_dir: Path, count: int) -> None:
    store = Store(data_dir, user=f"worker-{job}")
    if job == "mixed":
        for n in range(count):
            store.insert("followups", followup(n))
            with store.transaction():
                goal = store.get("goals", "G-0001")
                store.update(
                    "goals", "G-0001", {"target": goal["target"] + 1}, expected_version=goal["_v"]
                )
    elif job == "insert":
        store.insert("followups", followup(0))
    elif job == "forever":
        print("ready", flush=True)
        n = 0
        while True:
            n += 1
            store.insert("followups", followup(n))
            store.insert(
                "notes",
                {"at": "2026-11-27T09:00:00+08:00", "author": "x", "text": "note " * (n % 50 + 1)},
            )


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 0)
