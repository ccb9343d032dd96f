"""Where reports and exports go: a file replaced atomically, or standard output."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from qsales_tui.errors import CommandError
from qsales_tui.i18n import _


def write_atomic(path: Path, payload: bytes) -> None:
    """Write ``payload`` to a temporary file beside ``path``, then rename it over
    ``path``: readers see the old file or the new one, never half of it. The new file
    gets the usual permissions for the user's umask."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise CommandError(_("cannot write in {folder}: {problem}", folder=folder,
                             problem=exc.strerror or exc)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)
        os.replace(temp, path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise CommandError(_("cannot write {path}: {problem}", path=path,
                             problem=exc.strerror or exc)) from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def emit(payload: bytes, path: Path | None) -> None:
    """To ``path`` atomically, or to standard output when no path is given."""
    if path is None:
        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
    else:
        write_atomic(path, payload)
