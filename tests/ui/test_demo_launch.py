"""`qsales --demo`: a fresh copy of the sample data, as a manager, able to act as any rep."""

from __future__ import annotations

from datetime import date

from textual.widgets import OptionList

from qsales_tui.context import SAMPLE_DATA_DIR, Context
from qsales_tui.ui.launch import _prepare_demo


def test_demo_uses_a_fresh_copy_as_a_manager(tmp_path):
    ctx = Context(data_dir=tmp_path / "mine", os_user="someone-else")
    _prepare_demo(ctx)
    assert ctx.data_dir != SAMPLE_DATA_DIR / "data"
    assert SAMPLE_DATA_DIR not in ctx.data_dir.parents
    assert not (tmp_path / "mine").exists()  # the user's own data is never touched
    assert ctx.today == date(2026, 11, 27)
    rep = next(r for r in ctx.store.all("reps") if r["os_user"] == ctx.os_user)
    assert rep["role"] == "manager"


async def test_demo_switch_user_changes_who_acts(tmp_path, make_app, settle):
    ctx = Context(data_dir=tmp_path / "mine", os_user="someone-else")
    _prepare_demo(ctx)
    app = make_app(ctx, demo=True, start_mode="customers")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "manager" in app.sub_title
        await pilot.press("ctrl+u")
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        rep_ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        target = next(r for r in ctx.store.all("reps") if r["role"] == "rep" and r["active"])
        options.highlighted = rep_ids.index(target["id"])
        await pilot.press("enter")
        await settle(pilot)
        assert app.session.rep["id"] == target["id"]
        assert target["name"] in app.sub_title


async def test_switch_user_is_refused_outside_the_demo(tiny_ctx, make_app):
    app = make_app(tiny_ctx, start_mode="customers")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+u")
        await pilot.pause()
        assert not app.screen.query(OptionList)
        assert any("only possible in the demo" in n.message for n in app._notifications)
