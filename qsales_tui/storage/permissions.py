"""Who may read and write the data directory.

Private by default (directory 0700, files 0600). With ``group`` in settings the team
shares it: 0770/0660 and every file is given to that group. Modes are set explicitly
on each file written, so the user's umask never matters.
"""

from __future__ import annotations

import grp
import os
import shlex
import stat
from dataclasses import dataclass
from pathlib import Path

from qsales_tui.i18n import _
from qsales_tui.storage.errors import PermissionProblem, StorageError


@dataclass(frozen=True)
class Modes:
    dir_mode: int = 0o700
    file_mode: int = 0o600
    gid: int | None = None  # chgrp target; None keeps the file's group

    @classmethod
    def for_group(cls, group: str | None) -> Modes:
        if not group:
            return cls()
        try:
            gid = grp.getgrnam(group).gr_gid
        except KeyError:
            raise StorageError(
                _("the group {group} named in settings does not exist on this machine", group=group)
            ) from None
        return cls(0o770, 0o660, gid)

    def apply_fd(self, fd: int) -> None:
        """Set mode (and group) of an open file before it is renamed into place."""
        os.fchmod(fd, self.file_mode)
        if self.gid is not None and os.fstat(fd).st_gid != self.gid:
            os.fchown(fd, -1, self.gid)

    def apply(self, path: Path) -> None:
        is_dir = path.is_dir()
        os.chmod(path, self.dir_mode if is_dir else self.file_mode)
        if self.gid is not None and path.stat().st_gid != self.gid:
            os.chown(path, -1, self.gid)

    def make_dir(self, path: Path) -> None:
        """Create ``path`` (and parents inside the data directory) with the right mode."""
        if not path.is_dir():
            path.mkdir(parents=True, exist_ok=True)
            self.apply(path)


def world_writable(data_dir: Path, files: list[Path]) -> list[Path]:
    """The data directory, its folders and ``files`` that any user may write."""
    found = []
    for path in sorted({data_dir, *files, *(f.parent for f in files)}):
        try:
            if path.stat().st_mode & stat.S_IWOTH:
                found.append(path)
        except FileNotFoundError:
            continue
    return found


def world_writable_message(data_dir: Path, paths: list[Path]) -> str:
    shown = ", ".join(str(p) for p in paths[:3]) + (" …" if len(paths) > 3 else "")
    return _(
        "any user on this machine can change {files}; fix it with: chmod -R o-w {dir}",
        files=shown,
        dir=shlex.quote(str(data_dir)),
    )


def refuse_world_writable(data_dir: Path, paths: list[Path]) -> None:
    found = world_writable(data_dir, paths)
    if found:
        raise PermissionProblem(world_writable_message(data_dir, found))
