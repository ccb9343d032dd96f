"""Where reports and exports go: a file replaced atomically, or standard output.

Exported files hold what the data files hold (pay statements, customers), so they get
the data files' modes whatever the umask: 0600, or 0660 and the group when settings
name a ``group`` (:func:`file_modes`). Standard output is the shell's business: a
redirect (``> file.csv``) creates the file with the umask's mode.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from qsales_tui.errors import CommandError
from qsales_tui.i18n import _
from qsales_tui.storage.files import atomic_write_bytes
from qsales_tui.storage.permissions import Modes

PRIVATE = Modes()


def file_modes(settings: Mapping[str, Any]) -> Modes:
    """The modes of the data files for these settings, for a file written from them."""
    return Modes.for_group(settings.get("group"))


def write_atomic(path: Path, payload: bytes, modes: Modes = PRIVATE) -> None:
    """Write ``payload`` to a temporary file beside ``path`` with ``modes``, then rename
    it over ``path``: readers see the old file or the new one, never half of it, and
    never a readable-by-all moment."""
    try:
        atomic_write_bytes(Path(path), payload, modes)
    except OSError as exc:
        raise CommandError(
            _("cannot write {path}: {problem}", path=path, problem=exc.strerror or exc)
        ) from None


def emit(payload: bytes, path: Path | None, modes: Modes = PRIVATE) -> None:
    """To ``path`` atomically (with ``modes``), or to standard output when no path is given."""
    if path is None:
        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
    else:
        write_atomic(path, payload, modes)
