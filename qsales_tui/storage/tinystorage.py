"""TinyDB storage for one data file: orjson, atomic replace, and a stat-checked read cache.

No CachingMiddleware: every read checks the file's stat (mtime_ns, size, inode) and
re-reads only when another process replaced the file, so two users never work from a
stale copy. Writes happen only inside ``Store``'s cross-process lock.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from qsales_tui.storage.files import StatKey, atomic_write_bytes, dump_tables, read_tables, stat_key
from qsales_tui.storage.permissions import Modes


class AtomicJSONStorage(Storage):
    def __init__(self, path: Path, modes: Modes):
        self.path = path
        self.modes = modes
        self._data: dict[str, Any] | None = None
        self._key: StatKey | None = None

    def read(self) -> dict[str, Any] | None:
        try:
            current = stat_key(os.stat(self.path))
        except FileNotFoundError:
            self._data, self._key = None, None
            return None
        if current != self._key:
            self._data, self._key = read_tables(self.path)
        return self._data

    def write(self, data: dict[str, Any]) -> None:
        # TinyDB mutates the dict read() returned before writing it: forget it if this fails.
        self._key = None
        written = atomic_write_bytes(self.path, dump_tables(data), self.modes)
        self._data, self._key = data, stat_key(written)

    def close(self) -> None:
        self._data, self._key = None, None
