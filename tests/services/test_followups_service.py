"""Follow-up actions on a real data directory (the tiny company of conftest).

R-0001 王经理 (manager, wangjl); R-0002 张伟 (zhangwei) owns C-0001 华鑫科技 (key) and
C-0002 恒达物流 (growth, open F-0001 due 11-20); R-0003 Lucy Li (lucy) owns C-0003
Northwind (standard, open F-0002 due today) and C-0004 (lead). Today is Friday 2026-11-27.
"""

from datetime import date, datetime, timedelta, timezone

import pytest

from qsales_tui.domain.followups import (
    DEFAULT_CADENCES,
    InvalidInput,
    NeedsConfirmation,
    QueueFilter,
)
from qsales_tui.errors import WriteRefused
from qsales_tui.services.followups import (
    Desk,
    QueueSnapshot,
    ScopeRefused,
    add_followup,
    log_interaction,
    mark_done,
    reassign,
    reschedule,
    scope_rep_ids,
)
from qsales_tui.services.identity import current_rep, require_writer
from qsales_tui.services.undo import UndoHistory, apply_undo
from qsales_tui.storage.errors import ConflictError

NOW = datetime(2026, 11, 27, 10, 30, tzinfo=timezone(timedelta(hours=8)))
TODAY = NOW.date()


@pytest.fixture
def store(tiny_ctx):
    return tiny_ctx.store


def desk(store, user):
    return Desk(store, require_writer(store, user), NOW, _calendar(store), DEFAULT_CADENCES)


def _calendar(store):
    from qsales_tui.domain.calendar import FiscalCalendar

    return FiscalCalendar.from_settings(store.settings)


def queue_ids(store, rep_ids):
    snapshot = QueueSnapshot.load(store, TODAY, _calendar(store))
    assert snapshot.token == store.change_token()
    items = snapshot.queue(QueueFilter(rep_ids=rep_ids), cadences=DEFAULT_CADENCES, currency="CNY")
    return [item.followup_id or item.customer_id for item in items]


def counts(store):
    return {table: len(store.all(table)) for table in ("interactions", "followups")}


# --------------------------------------------------------------------- log and plan


def test_logging_a_call_on_the_top_item_finishes_it_and_plans_the_next(store):
    assert queue_ids(store, {"R-0002"}) == ["F-0001"]
    note = "客户说：下周再谈 👍\nsecond line"
    result = log_interaction(
        desk(store, "zhangwei"),
        "C-0002",
        "call",
        note,
        "positive",
        4,
        8,
        followup_id="F-0001",
        expected_version=1,
    )

    saved = store.get("interactions", result.record["id"])
    assert (saved["note"], saved["author"], saved["rep_id"], saved["csat"], saved["nps"]) == (
        note,
        "zhangwei",
        "R-0002",
        4,
        8,
    )
    assert saved["at"] == "2026-11-27T10:30:00+08:00"
    done = store.get("followups", "F-0001")
    assert (done["status"], done["outcome"], done["done_at"]) == ("done", "positive", saved["at"])
    planned = result.planned
    assert (planned["customer_id"], planned["rep_id"], planned["due"], planned["status"]) == (
        "C-0002",
        "R-0002",
        "2026-12-28",
        "open",
    )  # growth: 30 days, Sunday → Monday
    assert queue_ids(store, {"R-0002"}) == []
    audited = {(e["table"], e["action"], e["record_id"]) for e in store.audit()}
    assert {
        ("interactions", "insert", saved["id"]),
        ("followups", "update", "F-0001"),
        ("followups", "insert", planned["id"]),
    } <= audited
    assert "2026-12-28" in result.message


def test_no_follow_up_is_planned_when_one_is_open(store):
    result = log_interaction(desk(store, "lucy"), "C-0003", "email", "quote sent")
    assert result.planned is None
    assert store.get("followups", "F-0002")["status"] == "open"  # not given: stays open


def test_cadence_plans_from_the_contact_day(store):
    result = log_interaction(desk(store, "zhangwei"), "C-0001", "visit", "")
    assert result.planned["due"] == "2026-12-11"  # key: 14 days


def test_mark_done_plans_next_and_undo_reverses_both(store):
    before = store.get("followups", "F-0002")
    result = mark_done(desk(store, "lucy"), "F-0002", "asked for a demo")
    assert result.planned["due"] == "2027-01-26"  # standard: 60 days
    apply_undo(store, result.undo)
    assert store.get("followups", result.planned["id"]) is None
    restored = store.get("followups", "F-0002")
    assert {k: restored.get(k) for k in ("status", "done_at", "outcome", "due")} == {
        k: before.get(k) for k in ("status", "done_at", "outcome", "due")
    }
    assert restored["_v"] == before["_v"] + 2


def test_undo_of_a_logged_call_deletes_what_it_inserted(store):
    start = counts(store)
    history = UndoHistory()
    result = log_interaction(desk(store, "zhangwei"), "C-0002", "call", "hi", followup_id="F-0001")
    history.remember(result.undo)
    assert history.undo_last(store) is result.undo
    assert counts(store) == start
    assert store.get("followups", "F-0001")["status"] == "open"
    assert queue_ids(store, {"R-0002"}) == ["F-0001"]
    assert history.undo_last(store) is None  # one level only


def test_undo_refuses_when_someone_changed_a_record_since(store):
    result = mark_done(desk(store, "lucy"), "F-0002", "ok")
    reassign(desk(store, "wangjl"), result.planned["id"], "R-0002")
    with pytest.raises(ConflictError):
        apply_undo(store, result.undo)
    assert store.get("followups", "F-0002")["status"] == "done"  # nothing half-undone


def test_stale_version_saves_nothing(store):
    start = counts(store)
    with pytest.raises(ConflictError):
        log_interaction(
            desk(store, "zhangwei"), "C-0002", "call", "x", followup_id="F-0001", expected_version=7
        )
    assert counts(store) == start
    assert store.get("followups", "F-0001")["status"] == "open"


# ---------------------------------------------------------------- snooze and reschedule


def test_snooze_by_quick_pick_and_undo(store):
    result = reschedule(desk(store, "lucy"), "F-0002", "next-week", expected_version=1)
    assert store.get("followups", "F-0002")["due"] == "2026-11-30"
    assert "2026-11-30" in result.message
    apply_undo(store, result.undo)
    assert store.get("followups", "F-0002")["due"] == "2026-11-27"


def test_reschedule_to_the_past_needs_confirmation(store):
    with pytest.raises(NeedsConfirmation):
        reschedule(desk(store, "lucy"), "F-0002", "2026-11-20")
    assert store.get("followups", "F-0002")["due"] == "2026-11-27"
    reschedule(desk(store, "lucy"), "F-0002", "2026-11-20", confirm_past=True)
    assert store.get("followups", "F-0002")["due"] == "2026-11-20"


# --------------------------------------------------------------------- add, reassign


def test_add_follow_up_in_the_past_asks_first(store):
    start = counts(store)
    with pytest.raises(NeedsConfirmation):
        add_followup(desk(store, "zhangwei"), "C-0001", "2026-11-01")
    assert counts(store) == start
    result = add_followup(desk(store, "zhangwei"), "C-0001", "2026-11-01", confirm_past=True)
    assert (result.record["due"], result.record["rep_id"], result.record["priority"]) == (
        "2026-11-01",
        "R-0002",
        "normal",
    )
    apply_undo(store, result.undo)
    assert counts(store) == start


@pytest.mark.parametrize(
    ("customer", "due", "priority", "field"),
    [
        ("C-0001", "2026-02-30", "normal", "due"),
        ("C-0001", "soon", "normal", "due"),
        ("C-9999", "tomorrow", "normal", "customer"),
        ("C-0001", "tomorrow", "urgent", "priority"),
    ],
)
def test_add_follow_up_bad_input_names_the_field(store, customer, due, priority, field):
    start = counts(store)
    with pytest.raises(InvalidInput) as error:
        add_followup(desk(store, "zhangwei"), customer, due, priority=priority)
    assert error.value.field == field
    assert counts(store) == start


def test_only_managers_assign_to_others_and_reassign(store):
    with pytest.raises(WriteRefused):
        add_followup(desk(store, "zhangwei"), "C-0001", "tomorrow", rep_id="R-0003")
    with pytest.raises(WriteRefused):
        reassign(desk(store, "zhangwei"), "F-0001", "R-0003")
    with pytest.raises(InvalidInput) as error:
        reassign(desk(store, "wangjl"), "F-0001", "R-0042")
    assert error.value.field == "rep"
    result = reassign(desk(store, "wangjl"), "F-0001", "R-0003", expected_version=1)
    assert store.get("followups", "F-0001")["rep_id"] == "R-0003"
    apply_undo(store, result.undo)
    assert store.get("followups", "F-0001")["rep_id"] == "R-0002"


def test_reps_act_only_on_their_own_customers_or_assigned_follow_ups(store):
    start = counts(store)
    with pytest.raises(WriteRefused) as error:
        log_interaction(desk(store, "lucy"), "C-0001", "call", "hi")
    assert "C-0001" in str(error.value)
    with pytest.raises(WriteRefused):
        mark_done(desk(store, "lucy"), "F-0001", "done")
    assert counts(store) == start
    reassign(desk(store, "wangjl"), "F-0001", "R-0003")
    mark_done(desk(store, "lucy"), "F-0001", "handled for 张伟")
    assert store.get("followups", "F-0001")["status"] == "done"


# -------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("customer", "channel", "csat", "nps", "field"),
    [
        ("C-0001", "call", 7, None, "csat"),
        ("C-0001", "call", None, 11, "nps"),
        ("C-0001", "fax", None, None, "channel"),
        ("C-9999", "call", None, None, "customer"),
    ],
)
def test_bad_interaction_saves_nothing(store, customer, channel, csat, nps, field):
    start = counts(store)
    with pytest.raises(InvalidInput) as error:
        log_interaction(desk(store, "zhangwei"), customer, channel, "note", "", csat, nps)
    assert error.value.field == field
    assert counts(store) == start


def test_mark_done_needs_an_outcome_and_an_open_follow_up(store):
    with pytest.raises(InvalidInput) as error:
        mark_done(desk(store, "zhangwei"), "F-0001", "  ")
    assert error.value.field == "outcome"
    mark_done(desk(store, "zhangwei"), "F-0001", "ok")
    with pytest.raises(InvalidInput) as error:
        mark_done(desk(store, "zhangwei"), "F-0001", "again")
    assert error.value.field == "followup"


# ------------------------------------------------------------------- identity, scope


def test_identity_maps_os_user_to_an_active_rep(store):
    assert current_rep(store, "lucy")["id"] == "R-0003"
    assert current_rep(store, "nobody") is None
    with pytest.raises(WriteRefused) as error:
        require_writer(store, "nobody")
    assert "os_user" in str(error.value) and "QSALES_USER" in str(error.value)
    store.update("reps", "R-0003", {"active": False})
    assert current_rep(store, "lucy") is None


def test_desk_from_context_refuses_an_unmapped_user(tiny_ctx):
    tiny_ctx.os_user = "nobody"
    with pytest.raises(WriteRefused):
        Desk.from_context(tiny_ctx)


def test_scopes(store):
    manager, rep = current_rep(store, "wangjl"), current_rep(store, "zhangwei")
    assert scope_rep_ids(store, rep, "mine") == {"R-0002"}
    assert scope_rep_ids(store, manager, "team") == {"R-0001", "R-0002", "R-0003"}
    assert scope_rep_ids(store, manager, "all") is None
    assert scope_rep_ids(store, manager, rep_id="R-0003") == {"R-0003"}
    assert scope_rep_ids(store, None, "all") is None  # browsing without a rep
    for viewer, scope, rep_id in (
        (rep, "team", None),
        (rep, "all", None),
        (rep, "mine", "R-0003"),
        (None, "mine", None),
    ):
        with pytest.raises(ScopeRefused):
            scope_rep_ids(store, viewer, scope, rep_id)


def test_queue_mine_and_team(store):
    assert queue_ids(store, {"R-0003"}) == ["F-0002"]
    assert sorted(queue_ids(store, scope_rep_ids(store, current_rep(store, "wangjl"), "team"))) == [
        "F-0001",
        "F-0002",
    ]


def test_desk_takes_cadences_from_the_rules(tiny_ctx, tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "cadences.yaml").write_text("followup_days: {key: 7, growth: 21, standard: 45}\n")
    tiny_ctx.rules_dir_override = rules
    tiny_ctx.os_user = "zhangwei"
    result = log_interaction(Desk.from_context(tiny_ctx), "C-0001", "call", "")
    assert result.planned["due"] == "2026-12-04"  # key: 7 days from the rules


def test_moment_keeps_a_fixed_today():
    from qsales_tui.services.followups import moment

    assert moment(date(2026, 1, 5)).date() == date(2026, 1, 5)
    assert moment(date(2026, 1, 5)).tzinfo is not None


def test_moment_stamps_in_the_datasets_timezone():
    from qsales_tui.services.followups import moment

    stamped = moment(date(2026, 11, 27), "Asia/Shanghai")
    assert stamped.date() == date(2026, 11, 27)
    assert stamped.utcoffset().total_seconds() == 8 * 3600
    assert moment(date(2026, 11, 27), "Not/AZone").date() == date(2026, 11, 27)
