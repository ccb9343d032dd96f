"""The data directory as a set of TinyDB files, shared safely by several processes.

Decisions where the brief was silent:

- ``insert`` always assigns the id (a record that brings one is refused);
  ``insert_many`` keeps supplied ids (bulk loads, imports) and numbers the rest.
- Id numbers: next = high-water mark + 1, under the lock. The marks live in
  ``.state.json`` and are raised *before* the data is written, so a writer killed
  mid-write leaves a gap, never a duplicate. Small tables also look at their file (cheap,
  and it catches records added by hand); sharded ones trust the mark, so a new sale does
  not scan the history. ``.state.json`` is derived: delete it and one scan rebuilds it.
- A record is found in a sharded table by scanning its shards newest first (recent
  records are the ones people edit); each shard stays cached until its file changes.
- An update that changes a record's shard field moves it to its new shard.
- ``change_token()`` reflects writes made through qsales; hand edits to the files do not
  change it.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import orjson
from filelock import FileLock, Timeout
from tinydb import Query
from tinydb.table import Table

from qsales_tui.context import current_os_user
from qsales_tui.domain import clock
from qsales_tui.domain.models import validate_record, validate_settings
from qsales_tui.i18n import _
from qsales_tui.storage import migrations, schema
from qsales_tui.storage.errors import ConflictError, StorageError
from qsales_tui.storage.files import (
    BACKUPS_DIR,
    LOCK_FILE,
    SETTINGS_FILE,
    STATE_FILE,
    atomic_write_bytes,
    data_files,
    remove_temp_files,
    shard_paths,
    table_path,
)
from qsales_tui.storage.permissions import Modes, refuse_world_writable
from qsales_tui.storage.schema import TABLES, TableSpec
from qsales_tui.storage.tinystorage import AtomicJSONStorage

LOCK_TIMEOUT_S = 30.0
SETTINGS = "settings"
AUDIT = "audit"
_SETTINGS_DOC_ID = 1


@dataclass
class _Change:
    """One record written: ``before`` is None for an insert, ``after`` None for a delete."""

    action: str
    record_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    where: tuple[Path, int] | None = None  # file and TinyDB doc_id of ``before``


def now_iso(timezone: str | None = None) -> str:
    """Now as ISO 8601 with its offset, in ``timezone`` (the dataset's) when given."""
    return clock.now(timezone).isoformat(timespec="microseconds")


class Store:
    """Open an existing data directory (migrating it if it is older than this code)."""

    def __init__(self, data_dir: Path | str, user: str | None = None):
        self.data_dir = Path(data_dir).expanduser().absolute()
        self.user = user or current_os_user()
        if not self.data_dir.is_dir():
            raise StorageError(
                _(
                    "no data directory at {path}; start one with `qsales init --company NAME`, "
                    "try the sample with `qsales --demo`, "
                    "or point --db / QSALES_DB at an existing one",
                    path=self.data_dir,
                )
            )
        if not (self.data_dir / SETTINGS_FILE).is_file():
            raise StorageError(
                _(
                    "{path} is not a qsales data directory (no {file})",
                    path=self.data_dir,
                    file=SETTINGS_FILE,
                )
            )
        self._mutex = threading.RLock()
        self._journal: dict[Path, bytes | None] | None = None  # files a transaction wrote
        self._storages: dict[Path, AtomicJSONStorage] = {}
        self.modes = Modes()  # settings are read before their ``group`` is known
        self.modes = Modes.for_group(self.settings.get("group"))
        refuse_world_writable(self.data_dir, data_files(self.data_dir))
        self._lock = FileLock(
            self.data_dir / LOCK_FILE,
            timeout=LOCK_TIMEOUT_S,
            mode=self.modes.file_mode,
            preserve_lock_file=True,
            poll_interval=0.002,
        )
        self._tidy_and_migrate()

    @classmethod
    def create(
        cls, data_dir: Path | str, settings: dict[str, Any], user: str | None = None
    ) -> Store:
        """Make a new data directory holding ``settings``; refuses an existing one."""
        path = Path(data_dir).expanduser().absolute()
        if (path / SETTINGS_FILE).exists():
            raise StorageError(_("{path} already holds qsales data", path=path))
        cleaned = validate_settings({**settings, "schema_version": schema.SCHEMA_VERSION})
        cleaned["_v"] = 1
        modes = Modes.for_group(cleaned.get("group"))
        path.mkdir(parents=True, exist_ok=True)
        modes.apply(path)
        atomic_write_bytes(
            path / SETTINGS_FILE, orjson.dumps({SETTINGS: {str(_SETTINGS_DOC_ID): cleaned}}), modes
        )
        return cls(path, user)

    # -- reading ----------------------------------------------------------------

    @property
    def settings(self) -> dict[str, Any]:
        with self._mutex:
            found = self._table(self.data_dir / SETTINGS_FILE, SETTINGS).get(
                doc_id=_SETTINGS_DOC_ID
            )
        if found is None:
            raise StorageError(
                _("{path} holds no settings record", path=self.data_dir / SETTINGS_FILE)
            )
        return dict(found)

    def all(self, table: str) -> list[dict[str, Any]]:
        return self._records(self._spec(table))

    def get(self, table: str, record_id: str) -> dict[str, Any] | None:
        found = self._locate(self._spec(table), record_id)
        return found[0] if found else None

    def find(self, table: str, **criteria: Any) -> list[dict[str, Any]]:
        spec = self._spec(table)
        query = Query().fragment(criteria)
        with self._mutex:
            return [
                doc for path in self._paths(spec) for doc in self._table(path, table).search(query)
            ]

    def audit(self, since: datetime | date | str | None = None) -> list[dict[str, Any]]:
        """Audit entries, oldest first; with ``since``, only those at or after it."""
        entries = []
        start = _as_datetime(since) if since is not None else None
        with self._mutex:
            for path in shard_paths(self.data_dir, AUDIT):
                if start is not None and path.stem < start.date().isoformat():
                    continue
                entries.extend(self._table(path, AUDIT).all())
        if start is not None:
            entries = [e for e in entries if datetime.fromisoformat(e["at"]) >= start]
        return sorted(entries, key=lambda e: e["at"])

    def change_token(self) -> str:
        """A short string that differs after any write through qsales, from any process.

        It holds the change counter of ``.state.json`` (one small read): a file's mtime
        alone can repeat within a clock tick, and a freed inode number can be reused.
        """
        try:
            with open(self.data_dir / STATE_FILE, "rb") as handle:
                st = os.fstat(handle.fileno())
                changes = orjson.loads(handle.read()).get("changes", 0)
        except (FileNotFoundError, orjson.JSONDecodeError, AttributeError):
            return "0"
        return f"{changes}-{st.st_mtime_ns}-{st.st_ino}"

    # -- writing ----------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """Hold the cross-process lock for several writes (re-entrant in one thread)."""
        try:
            self._lock.acquire()
        except Timeout:
            raise StorageError(
                _(
                    "the data directory is busy: another qsales has held its lock for {n} s "
                    "({path}); try again",
                    n=int(LOCK_TIMEOUT_S),
                    path=self._lock.lock_file,
                )
            ) from None
        try:
            with self._mutex:
                outermost = self._journal is None
                if outermost:
                    self._journal = {}
                try:
                    yield self
                except BaseException:
                    if outermost:
                        self._roll_back()
                    raise
                finally:
                    if outermost:
                        self._journal = None
        finally:
            self._lock.release()

    def _roll_back(self) -> None:
        """Put back every file the failed transaction wrote, as it was before it.

        A change and its audit entry (and the several writes of one action, such as a
        logged call that also finishes and plans follow-ups) land together or not at
        all when a write fails (a full disk, an error). A process killed between two
        writes cannot roll back: each file is still whole, but the action may be half
        done; ``check-data`` then reports what does not fit.
        """
        for path, before in (self._journal or {}).items():
            if before is None:
                path.unlink(missing_ok=True)
            else:
                atomic_write_bytes(path, before, self.modes)
        for storage in self._storages.values():
            storage.close()  # cached reads must not outlive the rollback

    def insert(self, table: str, record: dict[str, Any]) -> dict[str, Any]:
        """Add a record; the store assigns its id. Returns the stored record."""
        spec = self._spec(table)
        if "id" in record:
            raise StorageError(_("insert assigns ids; leave out id {id}", id=record["id"]))
        with self.transaction():
            record_id = self._new_ids(spec, 1)[0]
            after = {**record, "id": record_id}
            return self._commit(table, [_Change("insert", record_id, None, after)])[0]

    def update(
        self,
        table: str,
        record_id: str,
        changes: dict[str, Any],
        expected_version: int | None = None,
    ) -> dict[str, Any]:
        """Change fields of one record; returns it as stored (with ``_v`` bumped)."""
        spec = self._spec(table)
        with self.transaction():
            before, where = self._existing(spec, record_id, expected_version)
            after = {**before, **changes, "id": record_id}
            change = _Change("update", record_id, before, after, where)
            return self._commit(table, [change])[0]

    def delete(self, table: str, record_id: str, expected_version: int | None = None) -> None:
        spec = self._spec(table)
        with self.transaction():
            before, where = self._existing(spec, record_id, expected_version)
            self._commit(table, [_Change("delete", record_id, before, None, where)])

    def update_settings(self, changes: dict[str, Any]) -> dict[str, Any]:
        """Change settings; a new ``group`` re-applies modes and group to every file."""
        with self.transaction():
            before = self.settings
            modes = Modes.for_group({**before, **changes}.get("group"))
            where = (self.data_dir / SETTINGS_FILE, _SETTINGS_DOC_ID)
            change = _Change("update", SETTINGS, before, {**before, **changes}, where)
            after = self._commit(SETTINGS, [change])[0]
            if modes != self.modes:
                self.modes = modes
                for path in [self.data_dir, self.data_dir / LOCK_FILE, *data_files(self.data_dir)]:
                    if path.parent != self.data_dir:
                        modes.apply(path.parent)
                    modes.apply(path)
        return after

    def insert_many(
        self, table: str, records: list[dict[str, Any]], audit: bool = False
    ) -> list[dict[str, Any]]:
        """Bulk load: keeps supplied ids, numbers the rest; one write per shard.

        Supplied ids must be new: they are checked against every record of the table
        (a scan, cheap next to the load itself; free into an empty table).
        """
        spec = self._spec(table)
        if not records:
            return []
        with self.transaction():
            missing = [r for r in records if not r.get("id")]
            fresh = iter(self._new_ids(spec, len(missing)))
            ids = [record.get("id") or next(fresh) for record in records]
            taken = self._ids(spec)
            seen: set[str] = set()
            for record_id in ids:
                if record_id in seen or record_id in taken:
                    raise StorageError(
                        _("{table} already has a record {id}", table=table, id=record_id)
                    )
                seen.add(record_id)
            changes = [
                _Change("insert", record_id, None, {**record, "id": record_id})
                for record_id, record in zip(ids, records, strict=True)
            ]
            return self._commit(table, changes, audit=audit)

    def backup(self, label: str | None = None) -> Path:
        """Copy every data file to ``backups/<UTC timestamp>[-label]/``; returns that folder."""
        with self.transaction():
            stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H%M%S.%fZ")
            target = self.data_dir / BACKUPS_DIR / (f"{stamp}-{label}" if label else stamp)
            self.modes.make_dir(target.parent)
            self.modes.make_dir(target)
            for source in data_files(self.data_dir):
                copy = target / source.relative_to(self.data_dir)
                self.modes.make_dir(copy.parent)
                shutil.copyfile(source, copy)
                self.modes.apply(copy)
        return target

    # -- the one write path ------------------------------------------------------

    def _commit(self, table: str, changes: list[_Change], audit: bool = True) -> list[dict]:
        """Validate, version, write and audit ``changes`` to ``table``; hold the lock."""
        for change in changes:
            if change.after is not None:
                change.after = self._validated(table, change.after, change.before)
        by_file: dict[Path, tuple[list[dict], dict[int, dict], list[int]]] = {}

        def bucket(path: Path) -> tuple[list[dict], dict[int, dict], list[int]]:
            return by_file.setdefault(path, ([], {}, []))  # (inserts, updates, removals)

        for change in changes:
            target = self._path_for(table, change.after) if change.after else None
            if change.where and change.where[0] == target:
                bucket(target)[1][change.where[1]] = change.after
                continue
            if change.where:
                bucket(change.where[0])[2].append(change.where[1])
            if target is not None:
                bucket(target)[0].append(change.after)
        marks = {}
        if table in TABLES:
            marks[table] = max(_id_number(TABLES[table], c.record_id) for c in changes)
        entries = self._audit_entries(table, changes) if audit else []
        if entries:
            marks[AUDIT] = _id_number(TABLES[AUDIT], entries[-1]["id"])
        try:
            self._save_state(marks, changed=False)  # reserve ids first: a crash leaves gaps only
            for path, (inserts, updates, removals) in by_file.items():
                self._write_file(path, table, inserts, updates, removals)
            if entries:
                self._write_file(self._path_for(AUDIT, entries[0]), AUDIT, entries, {}, [])
            self._save_state({}, changed=True)  # the change token moves once the data landed
        except BaseException:
            for storage in self._storages.values():
                storage.close()  # TinyDB edits cached dicts in place: re-read after a failure
            raise
        return [change.after for change in changes if change.after is not None]

    def _validated(self, table: str, record: dict, before: dict | None) -> dict:
        fields = {k: v for k, v in record.items() if k != "_v"}
        cleaned = validate_settings(fields) if table == SETTINGS else validate_record(table, fields)
        cleaned["_v"] = int((before or {}).get("_v", 0)) + 1
        return cleaned

    def _write_file(
        self,
        path: Path,
        table: str,
        inserts: list[dict],
        updates: dict[int, dict],
        removals: list[int],
    ) -> None:
        """One read-modify-write of one file (TinyDB's own update step)."""
        self.modes.make_dir(path.parent)
        if self._journal is not None and path not in self._journal:
            self._journal[path] = path.read_bytes() if path.exists() else None

        def apply(docs: dict[int, dict]) -> None:
            for doc_id in removals:
                docs.pop(doc_id, None)
            docs.update(updates)
            next_id = max(docs, default=0) + 1
            for offset, record in enumerate(inserts):
                docs[next_id + offset] = record

        self._table(path, table)._update_table(apply)

    def _audit_entries(self, table: str, changes: list[_Change]) -> list[dict[str, Any]]:
        at = now_iso(self.settings.get("timezone"))
        ids = self._new_ids(TABLES[AUDIT], len(changes))
        return [
            {
                "id": record_id,
                "at": at,
                "user": self.user,
                "action": c.action,
                "table": table,
                "record_id": c.record_id,
                "before": c.before,
                "after": c.after,
            }
            for record_id, c in zip(ids, changes, strict=True)
        ]

    # -- ids, state and change token -----------------------------------------------

    def _state(self) -> dict[str, Any]:
        """``{"changes": n, "last_ids": {table: n}}``, rebuilt by a scan if lost."""
        try:
            state = orjson.loads((self.data_dir / STATE_FILE).read_bytes())
            if isinstance(state, dict) and isinstance(state.get("last_ids"), dict):
                return state
        except (FileNotFoundError, orjson.JSONDecodeError):
            pass
        return {
            "changes": 0,
            "last_ids": {
                name: max((_id_number(spec, r.get("id")) for r in self._records(spec)), default=0)
                for name, spec in TABLES.items()
            },
        }

    def _save_state(self, marks: dict[str, int], changed: bool) -> None:
        """Raise id high-water marks and/or count a change; skips a write that changes nothing."""
        state = self._state()
        last = state["last_ids"]
        raised = {name: n for name, n in marks.items() if n > int(last.get(name, 0))}
        if not raised and not changed:
            return
        last.update(raised)
        state["changes"] = int(state.get("changes", 0)) + int(changed)
        atomic_write_bytes(self.data_dir / STATE_FILE, orjson.dumps(state), self.modes)

    def _new_ids(self, spec: TableSpec, count: int) -> list[str]:
        """``count`` fresh ids after the high-water mark (and, for small tables, the file)."""
        mark = int(self._state()["last_ids"].get(spec.name, 0))
        if not spec.sharded and count:
            records = (
                self._table(table_path(self.data_dir, spec.name), spec.name)._read_table().values()
            )
            mark = max([mark, *(_id_number(spec, r.get("id")) for r in records)])
        return [f"{spec.prefix}-{n:04d}" for n in range(mark + 1, mark + count + 1)]

    # -- helpers ------------------------------------------------------------------

    def _spec(self, table: str) -> TableSpec:
        spec = TABLES.get(table)
        if spec is None or table == AUDIT:
            raise StorageError(_("unknown table {table}", table=table))
        return spec

    def _table(self, path: Path, name: str) -> Table:
        """A fresh TinyDB table view (no query cache, no remembered next doc id)."""
        storage = self._storages.get(path)
        if storage is None:
            storage = self._storages[path] = AtomicJSONStorage(path, self.modes)
        storage.modes = self.modes
        return Table(storage, name, cache_size=0)

    def _records(self, spec: TableSpec) -> list[dict[str, Any]]:
        with self._mutex:
            return [doc for path in self._paths(spec) for doc in self._table(path, spec.name).all()]

    def _ids(self, spec: TableSpec) -> set[str]:
        return {
            record.get("id")
            for path in self._paths(spec)
            for record in self._table(path, spec.name)._read_table().values()
        }

    def _paths(self, spec: TableSpec) -> list[Path]:
        if spec.sharded:
            return shard_paths(self.data_dir, spec.name)
        return [table_path(self.data_dir, spec.name)]

    def _path_for(self, table: str, record: dict) -> Path:
        if table == SETTINGS:
            return self.data_dir / SETTINGS_FILE
        spec = TABLES[table]
        shard = spec.shard_key(record) if spec.sharded else None
        return table_path(self.data_dir, table, shard)

    def _locate(self, spec: TableSpec, record_id: str) -> tuple[dict, tuple[Path, int]] | None:
        query = Query().id == record_id
        with self._mutex:
            for path in reversed(self._paths(spec)):
                found = self._table(path, spec.name).get(query)
                if found is not None:
                    return dict(found), (path, found.doc_id)
        return None

    def _existing(
        self, spec: TableSpec, record_id: str, expected_version: int | None
    ) -> tuple[dict, tuple[Path, int]]:
        found = self._locate(spec, record_id)
        if found is None:
            raise StorageError(_("{table} has no record {id}", table=spec.name, id=record_id))
        record, where = found
        if expected_version is not None and record.get("_v", 1) != expected_version:
            raise ConflictError(
                spec.name,
                record_id,
                expected_version,
                record.get("_v", 1),
                self._last_writer(spec.name, record_id),
            )
        return record, where

    def _last_writer(self, table: str, record_id: str) -> str | None:
        """Who last changed the record, from the newest audit days (a few, for speed)."""
        for path in reversed(shard_paths(self.data_dir, AUDIT)[-7:]):
            entries = self._table(path, AUDIT).search(
                (Query().table == table) & (Query().record_id == record_id)
            )
            if entries:
                return max(entries, key=lambda e: e["at"])["user"]
        return None

    def _tidy_and_migrate(self) -> None:
        """Remove temp files of dead writers and bring an older directory up to date."""
        version = int(self.settings.get("schema_version", 0))
        if version > schema.SCHEMA_VERSION:
            raise StorageError(
                _(
                    "{path} was written by a newer qsales (data format {found}; this one knows "
                    "up to {known}): upgrade qsales",
                    path=self.data_dir,
                    found=version,
                    known=schema.SCHEMA_VERSION,
                )
            )
        try:
            self._lock.acquire(timeout=0 if version == schema.SCHEMA_VERSION else LOCK_TIMEOUT_S)
        except Timeout:
            if version == schema.SCHEMA_VERSION:
                return  # someone is writing; their temp file is not an orphan
            raise StorageError(_("the data directory is busy; try again")) from None
        try:
            remove_temp_files(self.data_dir)
            version = int(self.settings.get("schema_version", 0))
            if version < schema.SCHEMA_VERSION:
                self.backup(label=f"v{version}")
                for step_from in range(version, schema.SCHEMA_VERSION):
                    migrations.step(step_from)(self.data_dir, self.modes)
                    self.update_settings({"schema_version": step_from + 1})
        finally:
            self._lock.release()


def _id_number(spec: TableSpec, record_id: Any) -> int:
    if isinstance(record_id, str) and record_id.startswith(spec.prefix + "-"):
        digits = record_id[len(spec.prefix) + 1 :]
        if digits.isdigit():
            return int(digits)
    return 0


def _as_datetime(value: datetime | date | str) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    return value if value.tzinfo else value.astimezone()
