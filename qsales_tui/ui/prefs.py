"""Per-user UI preferences (the chosen theme), kept in the user's config directory.

``QSALES_CONFIG_DIR`` points it elsewhere (tests use a temporary one).
"""

from __future__ import annotations

import json
import os
from pathlib import Path


def _path() -> Path:
    override = os.environ.get("QSALES_CONFIG_DIR")
    if override:
        return Path(override) / "ui.json"
    from platformdirs import user_config_dir

    return Path(user_config_dir("qsales", appauthor=False)) / "ui.json"


def load_prefs() -> dict:
    try:
        data = json.loads(_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_pref(key: str, value: object) -> None:
    path = _path()
    prefs = load_prefs()
    prefs[key] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_suffix(".tmp")
    temp.write_text(json.dumps(prefs, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(temp, path)
