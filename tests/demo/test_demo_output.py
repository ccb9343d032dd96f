"""Writing through the Store, the demo-data command, and the --demo copy."""

import hashlib
import os
import stat
from datetime import date
from pathlib import Path

import pytest

from qsales_tui import context
from qsales_tui.cli.main import main
from qsales_tui.demo import generate, make_demo_copy, write_dataset
from qsales_tui.storage.errors import StorageError
from qsales_tui.storage.store import Store

TODAY = date(2026, 11, 27)


def digest(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != ".lock"
    }


def test_the_command_writes_the_same_bytes_for_the_same_arguments(tmp_path, capsys):
    args = ["demo-data", "--seed", "3", "--scale", "0.1", "--today", "2026-11-27", "--out"]
    assert main([*args, str(tmp_path / "a")]) == 0
    assert "sales lines" in capsys.readouterr().out
    assert main([*args, str(tmp_path / "b")]) == 0
    first, second = digest(tmp_path / "a"), digest(tmp_path / "b")
    assert "sales/2026-11.json" in first and "settings.json" in first
    assert first == second
    assert main(["demo-data", "--seed", "4", "--scale", "0.1", "--out", str(tmp_path / "c")]) == 0
    assert digest(tmp_path / "c") != first


def test_written_data_reads_back_through_the_store(tmp_path):
    dataset = generate(7, TODAY, 0.1)
    write_dataset(tmp_path / "data", dataset)
    store = Store(tmp_path / "data", user="zhangwei")
    assert store.settings["company"] == dataset.settings["company"]
    for table, records in dataset.tables.items():
        assert len(store.all(table)) == len(records), table
    assert store.audit() == []  # bulk load: no audit entries, so no wall-clock timestamps
    with pytest.raises(StorageError):
        write_dataset(tmp_path / "data", dataset)


def test_global_today_is_used_when_the_command_has_none(tmp_path):
    out = tmp_path / "d"
    assert main(["--today", "2026-05-20", "demo-data", "--scale", "0.1", "--out", str(out)]) == 0
    goals = Store(out).all("goals")
    assert max(g["quarter"] for g in goals) == "2026-Q2"


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--scale", "0"], "--scale"),
        (["--scale", "-2"], "--scale"),
        (["--today", "27/11/2026"], "not a date"),
    ],
)
def test_bad_options_fail_with_a_message(tmp_path, capsys, extra, message):
    assert main(["demo-data", *extra, "--out", str(tmp_path / "x")]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_refuses_a_directory_that_is_not_empty(tmp_path, capsys):
    (tmp_path / "keep.txt").write_text("mine")
    assert main(["demo-data", "--scale", "0.1", "--out", str(tmp_path)]) == 2
    assert "not an empty directory" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]


def test_demo_copy_is_a_private_copy_of_the_sample(tmp_path, monkeypatch):
    sample = tmp_path / "sample"
    write_dataset(sample / "data", generate(7, TODAY, 0.1))
    (sample / "data" / "sales" / "2026-11.json").chmod(0o644)  # as a git checkout leaves it
    monkeypatch.setattr(context, "SAMPLE_DATA_DIR", sample)
    copy = make_demo_copy(tmp_path / "tmp" / "data")
    assert digest(copy) == digest(sample / "data")
    for folder, _dirs, files in os.walk(copy):
        assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
        assert all(stat.S_IMODE(os.stat(Path(folder, f)).st_mode) == 0o600 for f in files)
    Store(copy).insert("notes", {"at": "2026-11-27T10:00:00+08:00", "author": "demo", "text": "x"})
    assert len(Store(sample / "data").all("notes")) == len(Store(copy).all("notes")) - 1


def test_demo_copy_generates_when_the_sample_is_missing(tmp_path, monkeypatch):
    monkeypatch.setattr(context, "SAMPLE_DATA_DIR", tmp_path / "nothing")
    copy = make_demo_copy(tmp_path / "data")
    store = Store(copy)
    assert store.settings["demo"]["today"] == "2026-11-27"
    assert len(store.all("customers")) == 400


def test_shipped_sample_matches_the_generator(tmp_path):
    """sample_data/data is `demo-data --seed 7 --today 2026-11-27`.

    Regenerate it when this fails.
    """
    store = Store(make_demo_copy(tmp_path / "data"))
    expected = generate(7, TODAY, 1.0)
    assert store.settings["demo"] == expected.settings["demo"]
    for table, records in expected.tables.items():
        stored = {r["id"]: {k: v for k, v in r.items() if k != "_v"} for r in store.all(table)}
        assert stored == {r["id"]: r for r in records}, table
