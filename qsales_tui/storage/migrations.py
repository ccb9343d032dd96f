"""Steps that bring an older data directory up to ``schema.SCHEMA_VERSION``.

A step is registered for the version it upgrades *from* and works on the raw files
(the models of today may not accept yesterday's records)::

    @migration(1)
    def _split_names(data_dir: Path, modes: Modes) -> None:
        rewrite_records(data_dir, modes, "reps", lambda rep: {**rep, "given_name": ...})

``Store`` backs the whole directory up before the first step and records the new
``schema_version`` in settings after each step, so an interrupted migration resumes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from qsales_tui.i18n import _
from qsales_tui.storage.errors import StorageError
from qsales_tui.storage.files import (
    atomic_write_bytes,
    dump_tables,
    read_tables,
    shard_paths,
    table_path,
)
from qsales_tui.storage.permissions import Modes
from qsales_tui.storage.schema import TABLES

Step = Callable[[Path, Modes], None]
MIGRATIONS: dict[int, Step] = {}


def migration(from_version: int) -> Callable[[Step], Step]:
    def register(step: Step) -> Step:
        if from_version in MIGRATIONS:
            raise ValueError(f"two migrations from version {from_version}")
        MIGRATIONS[from_version] = step
        return step

    return register


def step(from_version: int) -> Step:
    try:
        return MIGRATIONS[from_version]
    except KeyError:
        raise StorageError(
            _(
                "no migration from data format {n} to {m} is known",
                n=from_version,
                m=from_version + 1,
            )
        ) from None


def rewrite_records(
    data_dir: Path, modes: Modes, table: str, change: Callable[[dict[str, Any]], dict[str, Any]]
) -> None:
    """Replace every record of ``table`` by ``change(record)``, file by file."""
    spec = TABLES[table]
    paths = shard_paths(data_dir, table) if spec.sharded else [table_path(data_dir, table)]
    for path in paths:
        data, _key = read_tables(path)
        if data is None:
            continue
        records = data.get(table, {})
        data[table] = {doc_id: change(record) for doc_id, record in records.items()}
        atomic_write_bytes(path, dump_tables(data), modes)
