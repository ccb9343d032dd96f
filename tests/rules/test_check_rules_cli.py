"""``qsales check-rules [DIR]``: problems on stdout and exit 1; OK summary and exit 0."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from qsales_tui.cli.main import main
from qsales_tui.context import SAMPLE_RULES_DIR


@pytest.fixture
def rules_dir(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(SAMPLE_RULES_DIR, target)
    return target


def check(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["--db", "/nonexistent-data-dir", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_good_rules_exit_0_with_a_summary(rules_dir, capsys):
    code, out, err = check(capsys, "check-rules", str(rules_dir))
    assert code == 0 and err == ""
    assert out.startswith(f"Rules OK in {rules_dir}: 3 incentive plans, 5 KPIs, 4 grades")


def test_each_problem_is_printed_and_exit_is_1(rules_dir, capsys):
    text = (rules_dir / "incentives.yaml").read_text()
    (rules_dir / "incentives.yaml").write_text(text.replace("rate: 0.03}", "rat: 0.03}", 1))
    (rules_dir / "cadences.yaml").write_text("followup_days: [14, 30, 60]\n")
    code, out, _ = check(capsys, "check-rules", str(rules_dir))
    assert code == 1
    lines = out.splitlines()
    assert any(
        line.startswith("incentives.yaml:") and "unknown key 'rat' (did you mean 'rate'?)" in line
        for line in lines
    )
    assert "cadences.yaml:1: followup_days: expected a mapping (key: value), got a list" in lines
    assert lines[-1] == f"2 problem(s) in {rules_dir}"


def test_default_directory_comes_from_the_rules_option(rules_dir, capsys):
    (rules_dir / "scoring.yaml").write_text("kpis: {}\ngrades: []\n")
    code, out, _ = check(capsys, "--rules", str(rules_dir), "check-rules")
    assert code == 1
    assert "scoring.yaml:1: kpis: must not be empty" in out


def test_a_missing_file_is_a_note_not_an_error(rules_dir, capsys):
    (rules_dir / "alerts.yaml").unlink()
    code, out, _ = check(capsys, "check-rules", str(rules_dir))
    assert code == 0
    assert "alerts.yaml not found; the default rules are used" in out


@pytest.mark.parametrize(
    "make", [lambda p: p / "absent", lambda p: (p / "empty").mkdir() or p / "empty"]
)
def test_no_rules_directory_is_a_usage_error(tmp_path, capsys, make):
    code, out, err = check(capsys, "check-rules", str(make(tmp_path)))
    assert code == 2 and out == ""
    assert err.startswith("qsales: error: no rule")


def test_write_schema(rules_dir, tmp_path, capsys):
    out_dir = tmp_path / "schema"
    code, _, _ = check(capsys, "check-rules", str(rules_dir), "--write-schema", str(out_dir))
    assert code == 0
    assert sorted(p.name for p in out_dir.iterdir()) == [
        "alerts.schema.json",
        "cadences.schema.json",
        "incentives.schema.json",
        "scoring.schema.json",
    ]
    schema = json.loads((out_dir / "incentives.schema.json").read_text())
    assert schema["additionalProperties"] is False
    assert schema["$defs"]["Tier"]["additionalProperties"] is False


def test_exit_code_from_the_shell(rules_dir):
    (rules_dir / "scoring.yaml").write_text("kpis: [\n")
    done = subprocess.run(
        [sys.executable, "-m", "qsales_tui", "check-rules", str(rules_dir)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert done.stdout.startswith("scoring.yaml:2: YAML syntax error")
