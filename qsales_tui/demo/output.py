"""Write a generated dataset through the Store, and hand the app a fresh demo copy."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from qsales_tui import context
from qsales_tui.demo.generator import DEFAULT_SEED, DEFAULT_TODAY, Dataset, generate
from qsales_tui.storage.files import CACHE_DIR, LOCK_FILE
from qsales_tui.storage.store import Store

DEMO_USER = "demo"


def write_dataset(out_dir: Path | str, dataset: Dataset) -> Store:
    """Create a new data directory at ``out_dir`` holding ``dataset`` (no audit entries).

    Refuses a directory that already holds qsales data (``StorageError``).
    """
    store = Store.create(out_dir, dataset.settings, user=DEMO_USER)
    for table, records in dataset.tables.items():
        if records:
            store.insert_many(table, records, audit=False)
    return store


def sample_data_dir() -> Path:
    """The shipped sample company (``sample_data/data``, or ``QSALES_SAMPLE_DATA``/data)."""
    return context.SAMPLE_DATA_DIR / "data"


def make_demo_copy(dest_dir: Path | str) -> Path:
    """Copy the sample company to ``dest_dir`` (must not exist yet) and return it.

    Only data files and ``.state.json`` are copied (no lock, cache or backups), made
    private (0700/0600) whatever the checkout's modes. Without a sample copy the
    company is generated afresh (seed 7, today 2026-11-27, scale 1: a few seconds).
    """
    dest = Path(dest_dir)
    source = sample_data_dir()
    if not (source / "settings.json").is_file():
        write_dataset(dest, generate(DEFAULT_SEED, DEFAULT_TODAY, 1.0))
        return dest
    shutil.copytree(source, dest, ignore=shutil.ignore_patterns(LOCK_FILE, CACHE_DIR, "backups"))
    for folder, _dirs, files in os.walk(dest):
        os.chmod(folder, 0o700)
        for name in files:
            os.chmod(os.path.join(folder, name), 0o600)
    return dest
