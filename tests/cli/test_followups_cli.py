"""``qsales followups list`` and ``qsales interactions add`` on the tiny company."""

import csv
import io
import json
import os
import subprocess
from pathlib import Path

import pytest
from rich.cells import cell_len

from qsales_tui.cli.main import main
from qsales_tui.storage.store import Store

ROOT = Path(__file__).resolve().parents[2]
PYTHON = ROOT / ".venv" / "bin" / "python"


def run(tiny_dir, *args, user="wangjl", monkeypatch, capsys):
    monkeypatch.setenv("QSALES_USER", user)
    code = main(["--db", str(tiny_dir), "--today", "2026-11-27", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def qsales(tiny_dir, monkeypatch, capsys):
    return lambda *args, user="wangjl": run(
        tiny_dir, *args, user=user, monkeypatch=monkeypatch, capsys=capsys
    )


def test_list_defaults_to_the_current_users_queue(qsales):
    code, out, _ = qsales("followups", "list", "--format", "json", user="zhangwei")
    assert code == 0
    items = json.loads(out)
    assert [(i["followup_id"], i["bucket"]) for i in items] == [("F-0001", "overdue")]
    assert {p["name"] for p in items[0]["parts"]} >= {"overdue", "priority"}
    assert items[0]["score"] == sum(p["points"] for p in items[0]["parts"])


def test_list_all_as_csv_and_by_rep(qsales):
    code, out, _ = qsales("followups", "list", "--all", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0
    assert [r["followup_id"] for r in rows] == ["F-0001", "F-0002"]
    assert [int(r["score"]) for r in rows] == sorted((int(r["score"]) for r in rows), reverse=True)
    code, out, _ = qsales(
        "followups", "list", "--rep", "R-0003", "--due", "today", "--format", "csv"
    )
    assert [r["followup_id"] for r in csv.DictReader(io.StringIO(out))] == ["F-0002"]
    code, out, _ = qsales("followups", "list", "--all", "--due", "overdue", "--format", "csv")
    assert [r["followup_id"] for r in csv.DictReader(io.StringIO(out))] == ["F-0001"]


def test_table_lines_up_chinese_names(qsales):
    code, out, _ = qsales("followups", "list", "--all")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 3
    assert any("恒达物流" in line for line in lines) and any("Northwind" in line for line in lines)
    for column in ("R-000", "F-000"):  # the rep and follow-up columns start at one cell
        starts = {cell_len(line[: line.index(column)]) for line in lines[1:]}
        assert len(starts) == 1


def test_rep_cannot_list_everyone(qsales):
    code, out, err = qsales("followups", "list", "--all", user="zhangwei")
    assert code == 2 and out == ""
    assert "managers" in err


def test_interactions_add_logs_plans_and_audits(qsales, tiny_dir):
    code, out, err = qsales(
        "interactions",
        "add",
        "--customer",
        "C-0001",
        "--channel",
        "call",
        "--note",
        "电话回访\n客户满意",
        "--outcome",
        "renewal likely",
        "--csat",
        "5",
        "--nps",
        "10",
        user="zhangwei",
    )
    assert (code, err) == (0, "")
    store = Store(tiny_dir)
    (added,) = [i for i in store.all("interactions") if i["note"] == "电话回访\n客户满意"]
    assert (added["author"], added["csat"], added["nps"], added["at"][:10]) == (
        "zhangwei",
        5,
        10,
        "2026-11-27",
    )
    assert added["id"] in out
    planned = store.find("followups", customer_id="C-0001", status="open")
    assert [f["due"] for f in planned] == ["2026-12-11"]
    entry = next(e for e in store.audit() if e["record_id"] == added["id"])
    assert entry["user"] == "zhangwei" and entry["action"] == "insert"


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--customer", "C-0001", "--channel", "call", "--csat", "7"], "csat"),
        (["--customer", "C-0001", "--channel", "call", "--nps", "11"], "nps"),
        (["--customer", "C-0001", "--channel", "call", "--csat", "x"], "csat"),
        (["--customer", "C-0001", "--channel", "pigeon"], "channel"),
        (["--customer", "C-0404", "--channel", "call"], "customer"),
    ],
)
def test_interactions_add_bad_input(qsales, tiny_dir, args, field):
    code, out, err = qsales("interactions", "add", "--note", "n", *args, user="zhangwei")
    assert code == 2 and out == ""
    assert err.startswith(f"qsales: error: {field} = ")
    assert len(Store(tiny_dir).all("interactions")) == 2


def test_interactions_add_refuses_an_unmapped_user(qsales, tiny_dir):
    code, _, err = qsales(
        "interactions",
        "add",
        "--customer",
        "C-0001",
        "--channel",
        "call",
        "--note",
        "n",
        user="mallory",
    )
    assert code == 2
    assert "QSALES_USER" in err and "os_user" in err
    assert len(Store(tiny_dir).all("interactions")) == 2


def test_ten_processes_adding_at_once_lose_nothing(tiny_dir):
    env = {**os.environ, "QSALES_USER": "zhangwei", "PYTHONPATH": str(ROOT)}
    loop = (
        f'for n in 1 2 3 4 5; do "{PYTHON}" -m qsales_tui --db "{tiny_dir}" '
        "--today 2026-11-27 interactions add --customer C-0002 --channel call "
        '--note "p$0 n$n" || exit 1; done'
    )
    workers = [
        subprocess.Popen(
            ["sh", "-c", loop, str(p)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        for p in range(10)
    ]
    for worker in workers:
        _, err = worker.communicate(timeout=240)
        assert worker.returncode == 0, err.decode()
    store = Store(tiny_dir)
    notes = sorted(i["note"] for i in store.all("interactions") if i["customer_id"] == "C-0002")
    assert notes == sorted(f"p{p} n{n}" for p in range(10) for n in range(1, 6))
    assert len({i["id"] for i in store.all("interactions")}) == 52
    # F-0001 was open, so none of the fifty planned another follow-up
    assert [f["id"] for f in store.find("followups", customer_id="C-0002")] == ["F-0001"]
