"""Where each table lives on disk, and how its record ids look.

Small tables that change all day get one TinyDB file each. Tables that grow with the
history are *sharded*: one TinyDB file per month (``sales/2026-11.json``), chosen by an
immutable date field of the record, so a write only rewrites the shard it touches and
its cost does not grow with the history. The audit log is sharded by day.
"""

from __future__ import annotations

from dataclasses import dataclass

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class TableSpec:
    name: str
    prefix: str  # record ids look like f"{prefix}-{n:04d}"
    shard_field: str | None = None  # None: one file; else the date field that picks the shard
    shard_by: str = "month"  # "month" (YYYY-MM) or "day" (YYYY-MM-DD)

    @property
    def sharded(self) -> bool:
        return self.shard_field is not None

    def shard_key(self, record: dict) -> str:
        value = str(record[self.shard_field])  # type: ignore[index]
        return value[:7] if self.shard_by == "month" else value[:10]


TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        TableSpec("teams", "T"),
        TableSpec("reps", "R"),
        TableSpec("customers", "C"),
        TableSpec("contacts", "P"),
        TableSpec("needs", "ND"),
        TableSpec("goals", "G"),
        TableSpec("market", "M"),
        TableSpec("competitors", "K"),
        TableSpec("risks", "RK"),
        TableSpec("strategies", "ST"),
        TableSpec("trainings", "TR"),
        TableSpec("notes", "N"),
        TableSpec("reviews", "RV"),
        TableSpec("drafts", "DR"),
        TableSpec("sales", "S", shard_field="date"),
        TableSpec("deals", "D", shard_field="created_on"),
        TableSpec("interactions", "I", shard_field="at"),
        TableSpec("followups", "F", shard_field="created_at"),
        TableSpec("audit", "A", shard_field="at", shard_by="day"),
    )
}
