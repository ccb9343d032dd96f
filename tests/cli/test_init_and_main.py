"""qsales init, --version/--help, and errors on stderr with a non-zero exit code."""

from __future__ import annotations

import pytest

from qsales_tui import __version__
from qsales_tui.cli.main import main
from qsales_tui.storage.store import Store


def test_init_creates_a_private_directory_with_the_user_as_manager(tmp_path, capsys):
    data = tmp_path / "team"
    assert main(["--db", str(data), "init", "--company", "Acme 测试", "--currency", "usd"]) == 0
    store = Store(data)
    assert store.settings["company"] == "Acme 测试"
    assert store.settings["currency"] == "USD"
    (rep,) = store.all("reps")
    assert rep["role"] == "manager" and rep["os_user"] == "wangjl"  # QSALES_USER in tests
    assert (data / "settings.json").stat().st_mode & 0o077 == 0
    assert "first manager" in capsys.readouterr().out


def test_init_refuses_existing_data_and_bad_values(tmp_path, capsys):
    data = tmp_path / "team"
    main(["--db", str(data), "init", "--company", "Acme"])
    capsys.readouterr()
    assert main(["--db", str(data), "init", "--company", "Other"]) == 2
    assert "already holds qsales data" in capsys.readouterr().err
    assert Store(data).settings["company"] == "Acme"
    other = tmp_path / "other"
    assert main(["--db", str(other), "init", "--company", "X", "--currency", "usdd"]) == 2
    assert "currency" in capsys.readouterr().err
    assert not other.exists()


def test_version_and_chinese_help(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert __version__ in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["--lang", "zh", "--help"])
    assert "数据目录" in capsys.readouterr().out


def test_missing_data_directory_is_a_clear_error(tmp_path, capsys):
    assert main(["--db", str(tmp_path / "nowhere"), "check-data"]) != 0
    assert main(["--db", str(tmp_path / "nowhere"), "--today", "2026-13-01", "check-data"]) == 2
    assert "is not a date (YYYY-MM-DD)" in capsys.readouterr().err
