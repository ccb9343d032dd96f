"""Exported and report files get the data files' modes whatever the umask, atomically."""

from __future__ import annotations

import grp
import os
import stat

import pandas as pd
import pytest

from qsales_tui.cli.main import main
from qsales_tui.errors import CommandError, QsalesError
from qsales_tui.reports.exports import ExportTable
from qsales_tui.reports.output import file_modes, write_atomic
from qsales_tui.storage.store import Store

ARGS = ["--today", "2026-11-27"]


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def lax_umask():
    """The usual umask 022, under which plain writes come out 0644."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def _own_group() -> str:
    return grp.getgrgid(os.getgid()).gr_name


@pytest.mark.parametrize("suffix", ["csv", "xlsx", "json"])
def test_export_files_are_private(tiny_dir, tmp_path, suffix):
    out = tmp_path / f"customers.{suffix}"
    assert main(["--db", str(tiny_dir), *ARGS, "export", "customers", "-o", str(out)]) == 0
    assert _mode(out) == 0o600


@pytest.mark.parametrize("fmt", ["html", "md", "json"])
def test_report_files_are_private(tiny_dir, tmp_path, fmt):
    out = tmp_path / f"report.{fmt}"
    assert main(["--db", str(tiny_dir), *ARGS, "report", "--format", fmt, "-o", str(out)]) == 0
    assert _mode(out) == 0o600


def test_replacing_a_readable_file_makes_it_private(tiny_dir, tmp_path):
    out = tmp_path / "exports" / "sales.csv"
    out.parent.mkdir()
    out.write_text("old")
    out.chmod(0o644)
    assert main(["--db", str(tiny_dir), *ARGS, "export", "sales", "-o", str(out)]) == 0
    assert _mode(out) == 0o600 and "S-0001" in out.read_text(encoding="utf-8-sig")
    assert [p.name for p in out.parent.iterdir()] == ["sales.csv"]  # no temporary left


def test_a_shared_group_gives_group_read_write(tiny_dir, tmp_path):
    group = _own_group()
    Store(tiny_dir, user="test").update_settings({"group": group})
    out = tmp_path / "kpis.json"
    assert main(["--db", str(tiny_dir), *ARGS, "export", "kpis", "-o", str(out)]) == 0
    assert _mode(out) == 0o660
    assert out.stat().st_gid == grp.getgrnam(group).gr_gid


def test_file_modes_follow_the_settings():
    assert file_modes({}).file_mode == 0o600
    assert file_modes({"group": _own_group()}).file_mode == 0o660
    with pytest.raises(QsalesError, match="does not exist"):
        file_modes({"group": "no-such-group-qsales"})


def test_a_missing_folder_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="cannot write"):
        write_atomic(tmp_path / "nowhere" / "x.csv", b"x")


def test_the_kpi_screens_export_uses_the_same_modes(tmp_path):
    from qsales_tui.ui.screens.kpi_rows import write_export

    out = tmp_path / "rows.csv"
    write_export(ExportTable("rows", pd.DataFrame({"id": ["S-1"]})), out, {})
    assert _mode(out) == 0o600 and "S-1" in out.read_text(encoding="utf-8-sig")
