"""A health check of a data directory that reads but never writes (``qsales check-data``).

It works without opening a ``Store`` (which refuses damaged or unsafe directories), so
it can list every problem at once. Dangling references are listed up to
``MAX_SHOWN_PER_FIELD`` per table field, then counted, so a broken import does not
print a million lines.
"""

from __future__ import annotations

import shlex
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from qsales_tui.i18n import _
from qsales_tui.storage import schema
from qsales_tui.storage.errors import StorageError
from qsales_tui.storage.files import SETTINGS_FILE, data_files, read_tables
from qsales_tui.storage.permissions import world_writable, world_writable_message
from qsales_tui.storage.schema import TABLES

MAX_SHOWN_PER_FIELD = 20

REFERENCES: dict[tuple[str, str], str] = {
    **{
        (table, field): target
        for table in ("sales", "deals", "interactions", "followups")
        for field, target in (("customer_id", "customers"), ("rep_id", "reps"))
    },
    ("customers", "owner_id"): "reps",
    ("reps", "team_id"): "teams",
}


def check_data(data_dir: Path) -> list[str]:
    """Every problem found in ``data_dir``, as messages for the user; empty when all is well."""
    if not data_dir.is_dir():
        return [_("no data directory at {path}", path=data_dir)]
    if not (data_dir / SETTINGS_FILE).is_file():
        return [
            _(
                "{path} is not a qsales data directory (no {file})",
                path=data_dir,
                file=SETTINGS_FILE,
            )
        ]
    files = data_files(data_dir)
    problems = _permission_problems(data_dir, files)
    records: dict[str, list[dict[str, Any]]] = {}
    for path in files:
        try:
            data, _key = read_tables(path)
        except StorageError as exc:  # damaged or unreadable
            problems.append(str(exc))
            continue
        for table, rows in (data or {}).items():
            records.setdefault(table, []).extend(rows.values())
    problems += _version_problems(records.get("settings", []), data_dir)
    problems += list(_dangling_references(records))
    return problems


def _permission_problems(data_dir: Path, files: list[Path]) -> list[str]:
    unsafe = world_writable(data_dir, files)
    if unsafe:
        return [world_writable_message(data_dir, unsafe)]
    readable = [p for p in [data_dir, *files] if p.stat().st_mode & stat.S_IROTH]
    if readable:
        return [
            _(
                "any user on this machine can read {path}; fix it with: chmod -R o-rwx {dir}",
                path=readable[0],
                dir=shlex.quote(str(data_dir)),
            )
        ]
    return []


def _version_problems(settings: list[dict[str, Any]], data_dir: Path) -> list[str]:
    if not settings:
        return [_("{path} holds no settings record", path=data_dir / SETTINGS_FILE)]
    version = settings[0].get("schema_version")
    if not isinstance(version, int):
        return [_("settings has no valid schema_version (found {value!r})", value=version)]
    if version > schema.SCHEMA_VERSION:
        return [
            _(
                "the data format is {found}, newer than this qsales knows ({known}): upgrade "
                "qsales",
                found=version,
                known=schema.SCHEMA_VERSION,
            )
        ]
    if version < schema.SCHEMA_VERSION:
        return [
            _(
                "the data format is {found}; opening the directory with qsales migrates it "
                "to {known} after a backup",
                found=version,
                known=schema.SCHEMA_VERSION,
            )
        ]
    return []


def _dangling_references(records: dict[str, list[dict[str, Any]]]) -> Iterator[str]:
    ids = {table: {r.get("id") for r in records.get(table, [])} for table in TABLES}
    for (table, field), target in REFERENCES.items():
        dangling = [
            (r.get("id"), r[field])
            for r in records.get(table, [])
            if r.get(field) is not None and r[field] not in ids[target]
        ]
        for record_id, value in dangling[:MAX_SHOWN_PER_FIELD]:
            yield _(
                "{table} {id}: {field} {value} is not in {target}",
                table=table,
                id=record_id,
                field=field,
                value=value,
                target=target,
            )
        if len(dangling) > MAX_SHOWN_PER_FIELD:
            yield _(
                "{table}: {n} more records with a {field} not in {target}",
                table=table,
                n=len(dangling) - MAX_SHOWN_PER_FIELD,
                field=field,
                target=target,
            )
