"""Big sharded tables as pandas DataFrames, through a columnar cache per shard.

Parsing a month of JSON sales lines is the slow part, so each shard's columns are kept
in ``.cache/<table>/<shard>.npz`` (numpy, no pickle), stamped with the stat of the
shard they came from and rebuilt when that changes. The cache is derived: deleting
``.cache/`` only costs one rebuild.

Column types: money and counts int64 (nullable ints such as ``csat`` become pandas
``Int64``), fractions float64, dates ``datetime64`` (day precision), timestamps
``datetime64[ns, UTC]``, text ``category`` (codes + categories in the cache).
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qsales_tui.i18n import _
from qsales_tui.storage.errors import StorageError
from qsales_tui.storage.files import (
    CACHE_DIR,
    atomic_write_bytes,
    read_tables,
    shard_paths,
    stat_key,
)

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from qsales_tui.storage.store import Store

CACHE_FORMAT = 2  # bump when the column spec or encoding changes

COLUMNS: dict[str, dict[str, str]] = {
    "sales": {
        "id": "str",
        "date": "date",
        "customer_id": "str",
        "rep_id": "str",
        "product": "str",
        "quantity": "int",
        "amount_minor": "int",
    },
    "deals": {
        "id": "str",
        "name": "str",
        "customer_id": "str",
        "rep_id": "str",
        "stage": "str",
        "probability": "float",
        "amount_minor": "int",
        "created_on": "date",
        "expected_close": "date",
        "status": "str",
        "closed_on": "date",
        "competitor": "str",
        "lost_reason": "str",
    },
    "interactions": {
        "id": "str",
        "customer_id": "str",
        "rep_id": "str",
        "at": "timestamp",
        "channel": "str",
        "note": "str",
        "outcome": "str",
        "csat": "int",
        "nps": "int",
        "author": "str",
    },
    "followups": {
        "id": "str",
        "customer_id": "str",
        "rep_id": "str",
        "due": "date",
        "priority": "str",
        "status": "str",
        "created_at": "timestamp",
        "done_at": "timestamp",
        "outcome": "str",
    },
}


def load_frame(store: Store, table: str, columns: list[str] | None = None) -> pd.DataFrame:
    """All records of a big table as a DataFrame with the columns of DATA.md."""
    import pandas as pd

    spec = COLUMNS.get(table)
    if spec is None:
        raise StorageError(
            _(
                "{table} has no columnar view; use one of {tables}",
                table=table,
                tables=", ".join(COLUMNS),
            )
        )
    wanted = list(columns) if columns is not None else list(spec)
    unknown = [c for c in wanted if c not in spec]
    if unknown:
        raise StorageError(_("{table} has no column {column}", table=table, column=unknown[0]))
    shards = [
        _shard_columns(store, table, path, wanted) for path in shard_paths(store.data_dir, table)
    ]
    return pd.DataFrame({c: _combine(spec[c], [s[c] for s in shards]) for c in wanted})


# -- one shard ----------------------------------------------------------------------


def _shard_columns(
    store: Store, table: str, shard: Path, wanted: list[str]
) -> dict[str, dict[str, np.ndarray]]:
    """The arrays of ``wanted`` columns of one shard, from the cache or rebuilt."""
    import numpy as np

    cache = store.data_dir / CACHE_DIR / table / (shard.stem + ".npz")
    try:
        source = stat_key(os.stat(shard))
        with np.load(cache, allow_pickle=False) as npz:
            if tuple(npz["__source__"].tolist()) == (*source, CACHE_FORMAT):
                return {c: _arrays_of(npz, c) for c in wanted}
    except (OSError, EOFError, KeyError, ValueError, zipfile.BadZipFile):
        pass  # missing, stale or unreadable cache: rebuild it
    arrays = _build(store, table, shard, cache)
    return {c: _arrays_of(arrays, c) for c in wanted}


def _arrays_of(source: Any, column: str) -> dict[str, np.ndarray]:
    return {
        part: source[f"{column}{part}"]
        for part in ("", ".cats", ".cats_nul", ".mask")
        if f"{column}{part}" in source
    }


def _build(store: Store, table: str, shard: Path, cache: Path) -> dict[str, np.ndarray]:
    import numpy as np

    data, key = read_tables(shard)
    records = list((data or {}).get(table, {}).values())
    arrays: dict[str, np.ndarray] = {
        "__source__": np.array([*(key or (0, 0, 0)), CACHE_FORMAT], dtype=np.int64)
    }
    for column, kind in COLUMNS[table].items():
        values = [record.get(column) for record in records]
        for part, array in _encode(kind, values).items():
            arrays[column + part] = array
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    store.modes.make_dir(cache.parent.parent)
    store.modes.make_dir(cache.parent)
    atomic_write_bytes(cache, buffer.getvalue(), store.modes)
    return arrays


def _encode(kind: str, values: list[Any]) -> dict[str, np.ndarray]:
    import numpy as np

    if kind == "str":
        index: dict[str, int] = {}
        codes = np.fromiter(
            (-1 if v is None else index.setdefault(str(v), len(index)) for v in values),
            dtype=np.int32,
            count=len(values),
        )
        categories = list(index)
        encoded = {"": codes, ".cats": np.array(categories, dtype=str)}
        # numpy's fixed-width text drops trailing NUL characters; keep their count so a
        # value like "A\x00" comes back exactly (rare, so only stored when present).
        trailing = np.array([len(c) - len(c.rstrip("\x00")) for c in categories], dtype=np.int32)
        if trailing.any():
            encoded[".cats_nul"] = trailing
        return encoded
    if kind == "int":
        mask = np.array([v is None for v in values], dtype=bool)
        ints = np.array([0 if v is None else int(v) for v in values], dtype=np.int64)
        return {"": ints, ".mask": mask} if mask.any() else {"": ints}
    if kind == "float":
        return {"": np.array([np.nan if v is None else float(v) for v in values], dtype=float)}
    if kind == "date":
        return {"": np.array([v or "NaT" for v in values], dtype="datetime64[D]")}
    if kind == "timestamp":
        import pandas as pd

        stamps = pd.to_datetime(pd.Series(values, dtype=object), utc=True, format="ISO8601")
        return {"": stamps.to_numpy(dtype="datetime64[ns]").view(np.int64)}
    raise ValueError(f"unknown column kind {kind}")


# -- all shards ---------------------------------------------------------------------


def _categories(part: dict[str, np.ndarray]) -> np.ndarray:
    """A shard's text categories, with any trailing NULs numpy dropped put back."""
    import numpy as np

    cats = part[".cats"]
    if ".cats_nul" not in part:
        return cats
    restored = cats.astype(object)
    for i in np.flatnonzero(part[".cats_nul"]):
        restored[i] = str(restored[i]) + "\x00" * int(part[".cats_nul"][i])
    return restored


def _combine(kind: str, parts: list[dict[str, np.ndarray]]) -> Any:
    import numpy as np
    import pandas as pd

    if kind == "str":
        if not parts:
            return pd.Categorical([])
        categories = pd.Index(np.concatenate([_categories(p) for p in parts])).unique()
        codes = []
        for part in parts:
            remap = np.append(categories.get_indexer(_categories(part)), -1).astype(np.int32)
            codes.append(remap[part[""]])  # code -1 (missing) picks the appended -1
        return pd.Categorical.from_codes(np.concatenate(codes), categories=categories)
    values = np.concatenate([p[""] for p in parts]) if parts else np.array([], dtype=_EMPTY[kind])
    if kind == "int" and any(".mask" in p for p in parts):
        mask = np.concatenate([p.get(".mask", np.zeros(len(p[""]), bool)) for p in parts])
        return pd.arrays.IntegerArray(values, mask)
    if kind == "timestamp":
        return pd.DatetimeIndex(values.view("datetime64[ns]")).tz_localize("UTC")
    return values


_EMPTY = {"int": "int64", "float": "float64", "date": "datetime64[D]", "timestamp": "int64"}
