"""The files of a data directory: where they are, atomic writes, and checked reads.

A data file is TinyDB's JSON shape ``{table: {doc_id: record}}``. Writes go to a
temporary file in the same directory, are fsynced, renamed over the old file and the
directory is fsynced, so a reader (or a crash) sees the old or the new file, never half
of one. Temporary files left by a killed writer are removed at open, under the lock.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import orjson

from qsales_tui.i18n import _
from qsales_tui.storage.errors import DamagedFileError, PermissionProblem
from qsales_tui.storage.permissions import Modes
from qsales_tui.storage.schema import TABLES

TEMP_SUFFIX = ".qsales-tmp"
SETTINGS_FILE = "settings.json"
BACKUPS_DIR = "backups"
CACHE_DIR = ".cache"
LOCK_FILE = ".lock"
STATE_FILE = ".state.json"  # change counter and id high-water marks (derived, rebuildable)

StatKey = tuple[int, int, int]  # (mtime_ns, size, inode): changes with every atomic write


def stat_key(st: os.stat_result) -> StatKey:
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def table_path(data_dir: Path, table: str, shard: str | None = None) -> Path:
    return data_dir / table / f"{shard}.json" if shard else data_dir / f"{table}.json"


def shard_paths(data_dir: Path, table: str) -> list[Path]:
    """The shard files of a sharded table, oldest first (shard names sort by date)."""
    folder = data_dir / table
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def data_files(data_dir: Path) -> list[Path]:
    """Every data file: settings, small tables, shards (not backups, cache or lock)."""
    found = [data_dir / SETTINGS_FILE] if (data_dir / SETTINGS_FILE).exists() else []
    for spec in TABLES.values():
        if spec.sharded:
            found.extend(shard_paths(data_dir, spec.name))
        elif (path := table_path(data_dir, spec.name)).exists():
            found.append(path)
    return found


def atomic_write_bytes(path: Path, payload: bytes, modes: Modes) -> os.stat_result:
    """Replace ``path`` with ``payload``; returns the new file's stat."""
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    except PermissionError:
        raise PermissionProblem(_("you may not write in {path}", path=path.parent)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            modes.apply_fd(handle.fileno())
            os.fsync(handle.fileno())
            written = os.fstat(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    return written


def remove_temp_files(data_dir: Path) -> int:
    """Delete temporary files of writers that died mid-write; call holding the lock."""
    removed = 0
    for folder in [
        data_dir,
        *(data_dir / t for t, s in TABLES.items() if s.sharded),
        data_dir / CACHE_DIR,
    ]:
        if folder.is_dir():
            for temp in folder.rglob(f"*{TEMP_SUFFIX}"):
                temp.unlink(missing_ok=True)
                removed += 1
    return removed


def newest_backup_of(path: Path) -> Path | None:
    """The copy of ``path`` in the newest backup that has one (backup names sort by time)."""
    for data_dir in (path.parent, path.parent.parent):
        backups = data_dir / BACKUPS_DIR
        if backups.is_dir():
            relative = path.relative_to(data_dir)
            for folder in sorted(backups.iterdir(), reverse=True):
                if (folder / relative).is_file():
                    return folder / relative
    return None


def parse_tables(path: Path, raw: bytes) -> dict[str, dict[str, dict[str, Any]]]:
    """Decode a data file and check its shape, or raise DamagedFileError."""
    if not raw.strip():
        raise DamagedFileError(path, _("the file is empty"), newest_backup_of(path))
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise DamagedFileError(
            path, _("not valid JSON ({detail})", detail=exc), newest_backup_of(path)
        ) from None
    problem = shape_problem(data)
    if problem:
        raise DamagedFileError(path, problem, newest_backup_of(path))
    return data


def shape_problem(data: Any) -> str | None:
    if not isinstance(data, dict):
        return _("expected {{table: {{id: record}}}}, found {kind}", kind=type(data).__name__)
    for table, records in data.items():
        if not isinstance(records, dict):
            return _(
                "table {table} is a {kind}, not a mapping of records",
                table=table,
                kind=type(records).__name__,
            )
        for doc_id, record in records.items():
            if not doc_id.isdigit() or not isinstance(record, dict):
                return _("table {table} has a bad entry {doc_id!r}", table=table, doc_id=doc_id)
    return None


def read_tables(path: Path) -> tuple[dict[str, dict[str, dict[str, Any]]] | None, StatKey | None]:
    """Load a data file with the stat of exactly the bytes read; (None, None) if absent."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None, None
    except PermissionError:
        raise PermissionProblem(
            _(
                "you may not read {path}; its owner can share the directory with a group "
                "(set group in settings)",
                path=path,
            )
        ) from None
    with os.fdopen(fd, "rb") as handle:
        key = stat_key(os.fstat(handle.fileno()))
        raw = handle.read()
    return parse_tables(path, raw), key


def dump_tables(data: dict[str, Any]) -> bytes:
    return orjson.dumps(data)
