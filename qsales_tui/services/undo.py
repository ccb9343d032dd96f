"""One-level undo: each action returns an :class:`Undo` that reverses it exactly.

An action records, per record it wrote, the version it left and (for an update) the
previous values of the fields it changed. Undoing deletes what the action inserted —
including a follow-up it planned by the cadence — and restores the previous values,
each with ``expected_version``, so an undo never overwrites someone else's later
change: it raises ``ConflictError`` instead, and nothing is undone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from qsales_tui.storage.errors import ConflictError


@dataclass(frozen=True)
class UndoStep:
    table: str
    record_id: str
    version: int  # the record's ``_v`` right after the action
    before: dict[str, Any] | None  # previous values of changed fields; None: inserted


@dataclass(frozen=True)
class Undo:
    label: str  # what is undone, for the user ("log call for C-0042")
    steps: tuple[UndoStep, ...]


class Recorder:
    """Writes through the store and remembers how to reverse each write."""

    def __init__(self, store: Any):
        self.store = store
        self.steps: list[UndoStep] = []

    def insert(self, table: str, record: dict[str, Any]) -> dict[str, Any]:
        stored = self.store.insert(table, record)
        self.steps.append(UndoStep(table, stored["id"], stored["_v"], None))
        return stored

    def update(
        self,
        table: str,
        current: dict[str, Any],
        changes: dict[str, Any],
        expected_version: int | None = None,
    ) -> dict[str, Any]:
        """Change ``current`` (as just read); ``expected_version`` defaults to its ``_v``."""
        version = current["_v"] if expected_version is None else expected_version
        stored = self.store.update(table, current["id"], changes, expected_version=version)
        before = {name: current.get(name) for name in changes}
        self.steps.append(UndoStep(table, stored["id"], stored["_v"], before))
        return stored

    def undo(self, label: str) -> Undo:
        return Undo(label, tuple(self.steps))


def apply_undo(store: Any, undo: Undo) -> None:
    """Reverse ``undo``'s steps, newest first, under one lock."""
    with store.transaction():
        for step in reversed(undo.steps):
            current = store.get(step.table, step.record_id)
            found = None if current is None else current.get("_v")
            if found != step.version:
                raise ConflictError(step.table, step.record_id, step.version, found or 0)
        for step in reversed(undo.steps):
            if step.before is None:
                store.delete(step.table, step.record_id, expected_version=step.version)
            else:
                store.update(step.table, step.record_id, step.before, expected_version=step.version)


class UndoHistory:
    """Holds the last action's :class:`Undo`; undoing it once clears it."""

    def __init__(self) -> None:
        self.last: Undo | None = None

    def remember(self, undo: Undo) -> None:
        self.last = undo

    def undo_last(self, store: Any) -> Undo | None:
        """Reverse the last action; returns it, or None when there is nothing to undo."""
        undo = self.last
        if undo is None:
            return None
        apply_undo(store, undo)
        self.last = None
        return undo
