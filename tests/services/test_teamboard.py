"""Team board, scorecards, payouts and team notes on the tiny company with its Q4 goal.

Hand-worked (fixture ``board_ctx``, today 2026-11-27, sample rules):

R-0002 sold ¥80,000 of ¥100,000 (80 %). Scorecard: attainment 80 → 36 points, new
customers 0, CSAT 5 (capped at the 4.5 target) → 15, follow-ups 0 of 1 on time → 0,
training 4 h of 8 → 5: 56.00, grade D (×0.5). Payout on the ``standard`` plan: base
1 % = ¥800, tier 0–80 % at 1 % = ¥800, earned ¥1,600, ×0.5 → −¥800; clawback on the
churned C-0002 (¥30,000 sold 2026-08-20, lapsed 2026-11-18) at 1,600 ÷ 80,000 = 2 %
→ −¥600. Total ¥200.

R-0003 sold ¥20,000 of ¥50,000 (40 %): below the 50 % threshold, nothing earned.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from qsales_tui.errors import QsalesError, WriteRefused
from qsales_tui.rules import RulesRegistry
from qsales_tui.services.team_notes import (
    FieldProblem,
    list_notes,
    list_trainings,
    post_note,
    record_training,
)
from qsales_tui.services.teamboard import (
    PAYOUT_HIDDEN,
    PAYOUT_NO_TARGET,
    TeamData,
    payout_visible,
    rep_detail,
    sort_rows,
    statement_csv,
    statement_document,
    team_board,
)

TODAY = date(2026, 11, 27)


@pytest.fixture
def rules(board_ctx):
    registry = RulesRegistry()
    assert registry.reload(board_ctx.rules_dir).ok
    return registry.rules


@pytest.fixture
def data(board_ctx):
    return TeamData.load(board_ctx.store, TODAY)


def board_for(board_ctx, data, rules, os_user="wangjl", quarter="2026-Q4"):
    viewer = next((r for r in board_ctx.store.all("reps") if r["os_user"] == os_user), None)
    return team_board(data, board_ctx.calendar.quarter(quarter), rules, viewer)


def test_board_rows_rank_pace_and_team_totals(board_ctx, data, rules):
    board = board_for(board_ctx, data, rules)
    (team,) = board.teams
    assert team.name == "华东 East"
    assert [row.rep_id for row in team.reps] == ["R-0002", "R-0003"]  # by rank
    first, second = team.reps
    assert (first.rank, first.target_minor, first.actual_minor) == (1, 100_000_00, 80_000_00)
    assert (second.rank, second.target_minor, second.actual_minor) == (2, 50_000_00, 20_000_00)
    assert first.share == pytest.approx(2 / 3)
    # October whole, November 20 of its 21 working days: ¥97,619.05 of the company's ¥150,000
    assert first.expected_minor == 65_079_37 and second.expected_minor == 32_539_68
    assert first.status == "on_track" and second.status == "off_track"
    assert first.pace == pytest.approx(80_000_00 / 65_079_37)
    assert first.forecast_minor == 80_000_00 + 35_000_00  # D-0001 ¥50,000 × 0.7
    assert (team.target_minor, team.actual_minor) == (150_000_00, 100_000_00)


def test_the_manager_is_scored_and_paid_on_the_teams_figures(board_ctx, data, rules):
    manager = board_for(board_ctx, data, rules).teams[0].manager
    assert manager is not None and manager.rep_id == "R-0001" and manager.rank is None
    assert manager.members == {"R-0001", "R-0002", "R-0003"}
    assert (manager.target_minor, manager.actual_minor) == (150_000_00, 100_000_00)
    # the team's follow-ups: F-0001 late, F-0003 on time, F-0004 late
    assert manager.kpi_values["followups_on_time"] == Decimal("33.33")
    assert manager.kpi_values["csat"] == Decimal("5.0")
    assert manager.scorecard.score == Decimal("50.55")  # 30.00 + 15.00 + 5.55
    statement = manager.statement
    assert statement is not None and statement.plan_name == "manager"
    assert [line.kind for line in statement.lines] == ["threshold", "total"]  # 66.7 % < 70 %
    hidden = board_for(board_ctx, data, rules, os_user="zhangwei").teams[0].manager
    assert hidden is not None and hidden.payout_reason == PAYOUT_HIDDEN


def test_scorecards_are_hand_worked(board_ctx, data, rules):
    first, second = board_for(board_ctx, data, rules).reps
    assert first.kpi_values == {
        "revenue_attainment": Decimal("80.0"),
        "new_customers": Decimal(0),
        "csat": Decimal("5.0"),
        "followups_on_time": Decimal("0.00"),
        "training_hours": Decimal("4.0"),
    }
    assert (first.scorecard.score, first.grade) == (Decimal("56.00"), "D")
    # R-0003: one of two follow-ups on time (the open one due today is not late yet)
    assert second.kpi_values["followups_on_time"] == Decimal("50.00")
    assert second.kpi_values["csat"] is None
    assert second.scorecard.score == Decimal("26.33")


def test_payout_statement_explains_every_line(board_ctx, data, rules):
    first, second = board_for(board_ctx, data, rules).reps
    statement = first.statement
    assert statement is not None and statement.plan_name == "standard"
    lines = [(line.kind, line.basis_minor, line.amount_minor) for line in statement.lines]
    assert lines == [
        ("base", 80_000_00, 800_00),
        ("tier", 80_000_00, 800_00),
        ("tier", 0, 0),
        ("tier", 0, 0),
        ("tier", 0, 0),
        ("multiplier", 1_600_00, -800_00),
        ("clawback", 30_000_00, -600_00),
        ("total", None, 200_00),
    ]
    clawback = statement.lines[-2]
    assert "C-0002" in clawback.label and "2026-11-18" in clawback.detail
    assert second.statement is not None
    assert [line.kind for line in second.statement.lines] == ["threshold", "total"]
    assert second.payout_minor == 0


def test_a_rep_sees_every_grade_but_only_their_own_payout(board_ctx, data, rules):
    board = board_for(board_ctx, data, rules, os_user="zhangwei")
    mine, theirs = board.reps
    assert mine.payout_minor == 200_00
    assert theirs.statement is None and theirs.payout_reason == PAYOUT_HIDDEN
    assert theirs.grade == "D" and theirs.attainment == pytest.approx(0.4)
    nobody = board_for(board_ctx, data, rules, os_user="stranger")
    assert all(row.payout_reason == PAYOUT_HIDDEN for row in nobody.reps)
    assert payout_visible({"id": "R-0001", "role": "director"}, "R-0003")
    assert not payout_visible(None, "R-0003")


def test_a_quarter_without_goal_has_no_targets_ranks_or_payouts(board_ctx, data, rules):
    board = board_for(board_ctx, data, rules, quarter="2026-Q3")
    assert [row.rep_id for row in board.reps] == ["R-0002", "R-0003"]
    for row in board.reps:
        assert row.rank is None and row.target_minor is None and row.attainment is None
        assert row.payout_reason == PAYOUT_NO_TARGET
    assert board.reps[0].actual_minor == 150_000_00  # sales still count


def test_sort_rows_by_any_column_with_missing_values_last(board_ctx, data, rules):
    rows = board_for(board_ctx, data, rules, os_user="zhangwei").reps
    assert [r.rep_id for r in sort_rows(rows, "payout_minor", reverse=True)] == ["R-0002", "R-0003"]
    assert [r.rep_id for r in sort_rows(rows, "payout_minor")] == ["R-0002", "R-0003"]
    assert [r.rep_id for r in sort_rows(rows, "attainment")] == ["R-0003", "R-0002"]
    assert [r.rep_id for r in sort_rows(rows, "grade")] == ["R-0002", "R-0003"]  # score
    assert [r.rep_id for r in sort_rows(rows, "name")] == ["R-0003", "R-0002"]
    with pytest.raises(ValueError):
        sort_rows(rows, "salary")


def test_rep_detail_and_statement_exports(board_ctx, data, rules):
    quarter = board_ctx.calendar.quarter("2026-Q4")
    manager = board_ctx.store.get("reps", "R-0001")
    team = rep_detail(data, quarter, rules, manager, "R-0001")
    assert team.discipline.due == 3 and team.row.statement is not None
    detail = rep_detail(data, quarter, rules, manager, "R-0002")
    assert [(c["id"], c["revenue_minor"]) for c in detail.customers] == [
        ("C-0001", 80_000_00),
        ("C-0002", 0),
    ]
    assert [d["id"] for d in detail.deals] == ["D-0001"]
    assert detail.deals[0]["expected_close"] == "2026-12-15"
    assert (detail.discipline.due, detail.discipline.on_time, detail.discipline.overdue) == (
        1,
        0,
        1,
    )
    assert [t["id"] for t in detail.trainings] == ["TR-0001", "TR-0002"]
    rows = list(csv.DictReader(io.StringIO(statement_csv(detail.row))))
    assert sum(int(r["amount_minor"]) for r in rows if r["kind"] != "total") == 200_00
    assert rows[-1]["kind"] == "total" and rows[-1]["amount_minor"] == "20000"
    document = statement_document(detail.row, "2026-Q4")
    assert document["total_minor"] == 200_00 and document["scorecard"]["grade"] == "D"
    with pytest.raises(QsalesError):
        rep_detail(data, quarter, rules, manager, "R-0999")
    other = rep_detail(data, quarter, rules, board_ctx.store.get("reps", "R-0002"), "R-0003")
    assert other.book_hidden and other.customers == [] and other.deals == []
    assert other.row.grade == "D"  # the scorecard is on the board for everyone
    with pytest.raises(QsalesError):
        statement_csv(other.row)
    assert not detail.book_hidden and detail.customers


# --- team notes and the training log -------------------------------------------------------


def test_notes_are_posted_by_the_user_and_listed_newest_first(board_ctx):
    store = board_ctx.store
    first = post_note(store, "zhangwei", "  华鑫续约已签 ", TODAY)
    assert first["author"] == "zhangwei" and first["text"] == "华鑫续约已签"
    store.insert("notes", {"at": "2026-11-27T23:59:00+08:00", "author": "lucy", "text": "later"})
    notes = list_notes(store)
    assert [n.text for n in notes] == ["later", "华鑫续约已签"]
    assert notes[1].author_name == "张伟"
    assert [n.text for n in list_notes(store, 1)] == ["later"]
    assert any(e["table"] == "notes" and e["record_id"] == first["id"] for e in store.audit())


@pytest.mark.parametrize("text", ["", "   ", "x" * 501])
def test_bad_notes_are_refused_naming_the_field(board_ctx, text):
    with pytest.raises(FieldProblem) as problem:
        post_note(board_ctx.store, "zhangwei", text, TODAY)
    assert problem.value.field == "text"
    assert board_ctx.store.all("notes") == []


def test_unmapped_users_cannot_post(board_ctx):
    with pytest.raises(WriteRefused):
        post_note(board_ctx.store, "stranger", "hello", TODAY)


def test_trainings_are_recorded_and_listed_newest_first(board_ctx):
    store = board_ctx.store
    record = record_training(
        store,
        "zhangwei",
        TODAY,
        rep_id="R-0002",
        day="2026-11-20",
        course=" Pricing ",
        hours="2.5",
        skill="pricing",
    )
    assert (record["course"], record["hours"], record["date"]) == ("Pricing", 2.5, "2026-11-20")
    record_training(
        store, "wangjl", TODAY, rep_id="R-0003", day="2026-11-27", course="CRM", hours="1"
    )
    assert [t["date"] for t in list_trainings(store, "R-0002")] == [
        "2026-11-20",
        "2026-11-05",
        "2026-09-01",
    ]
    assert len(list_trainings(store)) == 4


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"rep_id": "R-0999"}, "rep_id"),
        ({"rep_id": ""}, "rep_id"),
        ({"day": "27/11/2026"}, "date"),
        ({"day": "2026-11-28"}, "date"),
        ({"course": "  "}, "course"),
        ({"course": "c" * 121}, "course"),
        ({"hours": "two"}, "hours"),
        ({"hours": "0"}, "hours"),
        ({"hours": "-1"}, "hours"),
        ({"hours": "NaN"}, "hours"),
        ({"hours": "201"}, "hours"),
    ],
)
def test_bad_training_values_name_the_field_and_save_nothing(board_ctx, values, field):
    given = {"rep_id": "R-0002", "day": "2026-11-20", "course": "Pricing", "hours": "2", **values}
    with pytest.raises(FieldProblem) as problem:
        record_training(board_ctx.store, "wangjl", TODAY, **given)
    assert problem.value.field == field
    assert len(board_ctx.store.all("trainings")) == 2


def test_a_rep_logs_only_their_own_training(board_ctx):
    with pytest.raises(WriteRefused):
        record_training(
            board_ctx.store,
            "zhangwei",
            TODAY,
            rep_id="R-0003",
            day="2026-11-20",
            course="CRM",
            hours="1",
        )


def add_director_sales(store) -> None:
    """The director (no team) sells ¥7,000 and the manager ¥3,000 in 2026-Q4, and the
    director has a ¥10,000 deal at 50 % closing this quarter."""
    store.insert_many(
        "reps",
        [
            dict(
                id="R-0009",
                name="赵总",
                role="director",
                os_user="zhao",
                hired_on="2019-01-01",
                active=True,
            )
        ],
        audit=False,
    )
    store.insert_many(
        "sales",
        [
            dict(
                id="S-0090",
                date="2026-11-05",
                customer_id="C-0003",
                rep_id="R-0009",
                product="QS-Cloud",
                quantity=1,
                amount_minor=7_000_00,
            ),
            dict(
                id="S-0091",
                date="2026-11-06",
                customer_id="C-0001",
                rep_id="R-0001",
                product="QS-Cloud",
                quantity=1,
                amount_minor=3_000_00,
            ),
        ],
        audit=False,
    )
    store.insert(
        "deals",
        dict(
            name="总部大单",
            customer_id="C-0003",
            rep_id="R-0009",
            stage="proposal",
            probability=0.5,
            amount_minor=10_000_00,
            created_on="2026-11-01",
            expected_close="2026-12-20",
            status="open",
        ),
    )


def test_the_board_total_is_the_company_revenue_with_others_outside_the_teams(board_ctx, rules):
    from qsales_tui.analytics.kpis import compute_all

    add_director_sales(board_ctx.store)
    data = TeamData.load(board_ctx.store, TODAY)
    board = board_for(board_ctx, data, rules)
    (team,) = board.teams
    assert team.actual_minor == 103_000_00  # the reps' ¥100,000 and the manager's own sale
    assert board.others is not None and board.others.actual_minor == 7_000_00
    assert board.others.forecast_minor == 7_000_00 + 5_000_00
    assert (board.others.reps, board.others.manager, board.others.target_minor) == ((), None, None)
    revenue = compute_all(data.inputs, "2026-Q4").kpis["revenue"].current.value
    assert board.actual_minor == revenue == 110_000_00


def test_without_sales_outside_the_teams_there_is_no_others_block(board_ctx, data, rules):
    board = board_for(board_ctx, data, rules)
    assert board.others is None
    assert board.actual_minor == sum(team.actual_minor for team in board.teams) == 100_000_00
