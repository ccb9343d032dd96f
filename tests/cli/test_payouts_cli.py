"""``qsales payouts`` and ``qsales scorecards``: the board's figures, for scripts.

Figures hand-worked in tests/services/test_teamboard.py (R-0002 ¥200, R-0003 ¥0).
"""

from __future__ import annotations

import csv
import io
import json

import pytest

from qsales_tui.cli.main import main
from qsales_tui.rules import RulesRegistry
from qsales_tui.services.teamboard import TeamData, team_board

TODAY = "2026-11-27"


@pytest.fixture
def qsales(board_ctx, monkeypatch, capsys):
    def run(*args, user="wangjl"):
        monkeypatch.setenv("QSALES_USER", user)
        code = main(["--db", str(board_ctx.data_dir), "--today", TODAY, *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_payouts_json_has_the_boards_figures(qsales, board_ctx):
    code, out, _err = qsales("payouts", "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert (document["quarter"], document["as_of"], document["currency"]) == (
        "2026-Q4",
        TODAY,
        "CNY",
    )
    totals = {rep["rep_id"]: rep["total_minor"] for rep in document["reps"]}
    assert totals == {"R-0002": 200_00, "R-0003": 0, "R-0001": 0}  # the manager last
    registry = RulesRegistry()
    registry.reload(board_ctx.rules_dir)
    board = team_board(
        TeamData.load(board_ctx.store, board_ctx.today),
        board_ctx.calendar.quarter("2026-Q4"),
        registry.rules,
        board_ctx.store.get("reps", "R-0001"),
    )
    assert totals == {row.rep_id: row.payout_minor for row in [*board.reps, *board.managers]}
    first = document["reps"][0]
    assert first["scorecard"]["grade"] == "D" and first["attainment"] == "0.8000"
    assert [line["kind"] for line in first["lines"]][-2:] == ["clawback", "total"]


def test_payouts_csv_lines_add_up_to_each_total(qsales):
    code, out, _err = qsales("payouts", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    for rep in ("R-0002", "R-0003", "R-0001"):
        mine = [r for r in rows if r["rep_id"] == rep]
        total = int(mine[-1]["amount_minor"])
        assert mine[-1]["kind"] == "total"
        assert sum(int(r["amount_minor"]) for r in mine[:-1]) == total


def test_payouts_table_and_one_reps_statement(qsales):
    code, out, _err = qsales("payouts")
    assert code == 0
    assert "张伟" in out and "¥200.00" in out and "80.0%" in out
    code, out, _err = qsales("payouts", "--rep", "R-0002")
    assert code == 0
    assert "Clawback: C-0002" in out and "churned 2026-11-18" in out
    assert out.splitlines()[-1].split()[:2] == ["Total", "¥200.00"]


def test_a_rep_gets_only_their_own_payout(qsales):
    code, out, _err = qsales("payouts", "--format", "json", user="zhangwei")
    assert code == 0
    assert [rep["rep_id"] for rep in json.loads(out)["reps"]] == ["R-0002"]
    code, _out, err = qsales("payouts", "--rep", "R-0003", user="zhangwei")
    assert code == 2 and "R-0003" in err


def test_payouts_refused_to_an_unmapped_user(qsales):
    code, out, err = qsales("payouts", user="stranger")
    assert code == 2 and out == ""
    assert "QSALES_USER" in err


def test_a_quarter_without_goal_says_why_there_is_no_payout(qsales):
    code, out, _err = qsales("payouts", "--quarter", "2026-Q3", "--format", "json")
    assert code == 0
    reps = json.loads(out)["reps"]
    assert {(r["rep_id"], r["total_minor"], r["reason"]) for r in reps} == {
        ("R-0002", None, "no_target"),
        ("R-0003", None, "no_target"),
        ("R-0001", None, "no_target"),
    }
    code, out, _err = qsales("payouts", "--quarter", "2026-Q3")
    assert "no target" in out


@pytest.mark.parametrize("command", ["payouts", "scorecards"])
def test_a_bad_quarter_is_an_error(qsales, command):
    code, out, err = qsales(command, "--quarter", "2026-Q5")
    assert code == 2 and out == "" and "2026-Q5" in err


def test_scorecards_in_every_format(qsales):
    code, out, _err = qsales("scorecards", "--format", "json", user="stranger")
    assert code == 0  # grades are on the board for everyone
    cards = {rep["rep_id"]: rep for rep in json.loads(out)["reps"]}
    assert (cards["R-0002"]["score"], cards["R-0002"]["grade"]) == ("56.00", "D")
    assert cards["R-0003"]["score"] == "26.33"
    assert cards["R-0001"]["score"] == "50.55"  # the manager, on the team's figures
    code, out, _err = qsales("scorecards", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 3 * 5
    points = sum(float(r["points"]) for r in rows if r["rep_id"] == "R-0002")
    assert points == pytest.approx(56.0)
    code, out, _err = qsales("scorecards")
    assert code == 0 and "56.00" in out and "Lucy Li" in out


def test_scorecards_table_in_chinese_lines_up(board_ctx, monkeypatch, capsys):
    monkeypatch.setenv("QSALES_USER", "wangjl")
    code = main(["--db", str(board_ctx.data_dir), "--today", TODAY, "--lang", "zh", "scorecards"])
    out = capsys.readouterr().out
    assert code == 0 and "等级" in out
    from rich.cells import cell_len

    header, *rows = out.splitlines()[1:]
    score_end = cell_len(header[: header.index("分数") + 2])
    for row, score in zip(rows, ("56.00", "26.33", "50.55"), strict=True):
        assert cell_len(row[: row.index(score) + len(score)]) == score_end


def test_the_default_quarter_is_the_one_of_today(qsales):
    _code, out, _err = qsales("scorecards", "--format", "json")
    assert json.loads(out)["quarter"] == "2026-Q4"
