"""Private files by default, group-shared on request, and no world-writable data."""

from __future__ import annotations

import grp
import os
import stat

import pytest

from qsales_tui.storage.errors import PermissionProblem, StorageError
from qsales_tui.storage.store import Store


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask():
    old = os.umask(0)
    yield
    os.umask(old)


def test_files_are_private_whatever_the_umask(open_umask, store, data_dir, followup):
    store.insert("followups", followup())
    store.insert("teams", {"name": "East"})
    assert mode(data_dir) == 0o700
    assert mode(data_dir / "followups") == 0o700
    for path in [
        data_dir / "teams.json",
        data_dir / "settings.json",
        data_dir / ".lock",
        data_dir / "followups" / "2026-11.json",
        *data_dir.glob("audit/*.json"),
    ]:
        assert mode(path) == 0o600, path


def test_group_setting_shares_with_the_group(open_umask, store, data_dir, followup):
    store.insert("followups", followup())
    group = grp.getgrgid(os.getgid()).gr_name
    store.update_settings({"group": group})
    store.insert("teams", {"name": "East"})
    assert mode(data_dir) == mode(data_dir / "followups") == 0o770
    for path in [
        data_dir / "teams.json",
        data_dir / "followups" / "2026-11.json",
        data_dir / "settings.json",
    ]:
        assert mode(path) == 0o660, path
        assert path.stat().st_gid == os.getgid()


def test_unknown_group_is_refused_before_anything_is_written(store, data_dir):
    with pytest.raises(StorageError, match="group no-such-group-xyz"):
        store.update_settings({"group": "no-such-group-xyz"})
    assert "group" not in Store(data_dir).settings


def test_world_writable_file_is_refused_with_the_fix(store, data_dir):
    store.insert("teams", {"name": "East"})
    (data_dir / "teams.json").chmod(0o666)
    with pytest.raises(PermissionProblem, match=f"chmod -R o-w {data_dir}") as caught:
        Store(data_dir)
    assert "teams.json" in str(caught.value)
    os.system(f"chmod -R o-w {data_dir}")  # the advice works
    Store(data_dir)


def test_world_writable_shard_folder_is_refused(store, data_dir, sale):
    store.insert("sales", sale())
    (data_dir / "sales").chmod(0o777)
    with pytest.raises(PermissionProblem, match="sales"):
        Store(data_dir)
