"""Pilot tests of the app shell and the customers screens on the tiny company."""

from __future__ import annotations

import hashlib

import pytest
from textual.widgets import DataTable, Input, Static

SIZE = (100, 30)


def digest(path) -> dict[str, str]:
    return {
        str(p.relative_to(path)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(path.rglob("*.json"))
        if ".cache" not in p.parts
    }


@pytest.fixture
def open_customers(settle):
    async def open_(pilot):
        await pilot.press("5")
        await settle(pilot)
        return pilot.app.screen.query_one("#customers", DataTable)

    return open_


async def test_customers_search_sort_open_and_browsing_changes_nothing(
    tiny_ctx, tiny_dir, make_app, settle, open_customers
):
    before = digest(tiny_dir)
    app = make_app(tiny_ctx, start_mode="customers")
    async with app.run_test(size=SIZE) as pilot:
        table = await open_customers(pilot)
        assert table.row_count == 4
        # search as you type, by pinyin initials and by English substring
        await pilot.press("slash", *"hxkj")
        await pilot.pause()
        assert [str(k.value) for k in table.rows] == ["C-0001"]
        search = app.screen.query_one("#search", Input)
        search.value = "north"
        await pilot.pause()
        assert [str(k.value) for k in table.rows] == ["C-0003"]
        await pilot.press("escape")
        assert table.row_count == 4
        # sort by the revenue column, descending on the second press
        table.move_cursor(column=4)
        await pilot.press("s", "s")
        first = table.get_row_at(0)
        assert first[0] == "C-0001"  # the biggest buyer over the last 4 quarters
        # open the detail
        table.move_cursor(row=0)
        await pilot.press("enter")
        await settle(pilot)
        profile = str(app.screen.query_one("#profile", Static).render())
        assert "华鑫科技" in profile
        history = app.screen.query_one("#history", DataTable)
        assert history.row_count == 1
        purchases = app.screen.query_one("#purchases", DataTable)
        assert purchases.get_row_at(7) == ["2026-Q4", "¥80,000.00"]
        await pilot.press("escape")
    assert digest(tiny_dir) == before


async def test_edit_customer_validates_and_saves_with_audit(
    tiny_ctx, make_app, settle, open_customers
):
    app = make_app(tiny_ctx, start_mode="customers")
    async with app.run_test(size=SIZE) as pilot:
        table = await open_customers(pilot)
        table.move_cursor(row=[str(k.value) for k in table.rows].index("C-0004"))
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        name = app.screen.query_one("#name", Input)
        name.value = "   "
        await pilot.press("ctrl+s")
        await pilot.pause()
        error = str(app.screen.query_one("#error", Static).render())
        assert "Name" in error  # the field is named, nothing saved
        assert tiny_ctx.store.get("customers", "C-0004")["name"] == "蓝海医疗"
        name.value = "蓝海医疗集团"
        await pilot.press("ctrl+s")
        await pilot.pause()
    saved = tiny_ctx.store.get("customers", "C-0004")
    assert saved["name"] == "蓝海医疗集团"
    assert saved["_v"] == 2
    entry = [a for a in tiny_ctx.store.audit() if a["record_id"] == "C-0004"][-1]
    assert entry["action"] == "update" and entry["after"]["name"] == "蓝海医疗集团"


async def test_rep_sees_only_own_customers(tiny_ctx, make_app, open_customers):
    tiny_ctx.os_user = "lucy"
    app = make_app(tiny_ctx, start_mode="customers")
    async with app.run_test(size=SIZE) as pilot:
        table = await open_customers(pilot)
        assert sorted(str(k.value) for k in table.rows) == ["C-0003", "C-0004"]


async def test_quarter_switch_help_and_theme(tiny_ctx, make_app):
    app = make_app(tiny_ctx, start_mode="customers")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "2026-Q4" in app.sub_title
        await pilot.press("left_square_bracket")
        assert "2026-Q3" in app.sub_title
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert "2027-Q1" in app.sub_title
        first_theme = app.theme
        await pilot.press("ctrl+t")
        assert app.theme != first_theme
        await pilot.press("question_mark")
        await pilot.pause()
        keys = app.screen.query_one("#help-keys", DataTable)
        rows = [keys.get_row_at(i) for i in range(keys.row_count)]
        assert any("Customers" in row[1] for row in rows)
        await pilot.press("escape")
    # the theme choice is remembered for the next start
    again = make_app(tiny_ctx)
    async with again.run_test(size=SIZE):
        assert again.theme == app.theme


async def test_chinese_ui(tiny_ctx, make_app, open_customers):
    from qsales_tui.i18n import set_language

    set_language("zh")
    app = make_app(tiny_ctx, start_mode="customers")
    async with app.run_test(size=(80, 24)) as pilot:
        table = await open_customers(pilot)
        labels = [str(column.label) for column in table.columns.values()]
        assert "名称" in labels and "负责人" in labels
        assert "重点客户" in table.get_row_at([str(k.value) for k in table.rows].index("C-0001"))


async def test_unmapped_user_is_told_how_to_map(tiny_ctx, make_app):
    tiny_ctx.os_user = "nobody"
    app = make_app(tiny_ctx, start_mode="customers")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("QSALES_USER" in m for m in messages)
        assert "read-only" in app.sub_title


async def test_edit_customer_can_clear_the_owner(tiny_ctx, make_app, settle, open_customers):
    from textual.widgets import Select

    app = make_app(tiny_ctx, start_mode="customers")
    async with app.run_test(size=SIZE) as pilot:
        table = await open_customers(pilot)
        table.move_cursor(row=[str(k.value) for k in table.rows].index("C-0003"))
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#owner_id", Select).clear()
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert tiny_ctx.store.get("customers", "C-0003")["owner_id"] is None


async def test_help_lists_the_screens_own_keys_first(tiny_ctx, make_app, settle):
    app = make_app(tiny_ctx, start_mode="customers")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()
        keys = app.screen.query_one("#help-keys", DataTable)
        first = keys.get_row_at(0)[1]
        assert first in {"Search", "Sort by column", "Open", "Clear search"}


async def test_bad_rules_stay_flagged_in_the_header(tiny_ctx, make_app, settle, tmp_path):
    import shutil

    from qsales_tui.context import SAMPLE_RULES_DIR

    rules = tmp_path / "rules"
    shutil.copytree(SAMPLE_RULES_DIR, rules)
    scoring = rules / "scoring.yaml"
    scoring.write_text(
        scoring.read_text(encoding="utf-8").replace("weight:", "wieght:", 1), encoding="utf-8"
    )
    tiny_ctx.rules_dir_override = rules
    app = make_app(tiny_ctx, start_mode="customers")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "rule errors" in app.sub_title
        assert any("scoring.yaml" in n.message for n in app._notifications)


async def open_edit_form(app, pilot, settle, customer_id: str):
    from qsales_tui.ui.screens.customer_detail import CustomerDetailScreen
    from qsales_tui.ui.screens.customer_edit import CustomerEditScreen

    await settle(pilot)
    await app.push_screen(CustomerDetailScreen(customer_id))
    await settle(pilot)
    await pilot.press("e")
    await settle(pilot)
    assert isinstance(app.screen, CustomerEditScreen)
    return app.screen


def on_screen(widget, size) -> bool:
    region = widget.region
    return (
        region.height > 0
        and region.y >= 0
        and region.bottom <= size[1]
        and region.x >= 0
        and region.right <= size[0]
    )


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_edit_form_fits_80x24_and_tab_scrolls_to_the_field(tiny_ctx, make_app, settle, lang):
    from textual.widgets import Button

    from qsales_tui.i18n import set_language

    set_language(lang)
    size = (80, 24)
    app = make_app(tiny_ctx, start_mode="customers")
    async with app.run_test(size=size) as pilot:
        form = await open_edit_form(app, pilot, settle, "C-0003")
        form.query_one("#name", Input).value = ""
        await pilot.press("ctrl+s")
        await pilot.pause()
        error = form.query_one("#error", Static)
        assert on_screen(form.query_one("#save", Button), size)
        assert on_screen(error, size) and str(error.render())
        fields = form.query_one("#fields")
        region = form.query_one("#region-pick")
        assert not fields.region.contains_region(region.region)  # below the fold at first
        form.query_one("#name", Input).focus()
        for _ in range(5):  # name → segment → status → owner → industry → region
            await pilot.press("tab")
        await pilot.pause()
        assert region.has_focus
        assert fields.region.contains_region(region.region)
        assert on_screen(form.query_one("#save", Button), size)


async def test_edit_region_from_the_values_in_use(tiny_ctx, make_app, settle):
    from textual.widgets import Select

    app = make_app(tiny_ctx, start_mode="customers")
    async with app.run_test(size=SIZE) as pilot:
        form = await open_edit_form(app, pilot, settle, "C-0004")
        pick = form.query_one("#region-pick", Select)
        assert pick.value == "华南"
        values = [value for _prompt, value in pick._options]
        assert values[:5] == [Select.NULL, "International", "华东", "华北", "华南"]
        pick.value = "华东"
        await pilot.press("ctrl+s")
        await settle(pilot)
    saved = tiny_ctx.store.get("customers", "C-0004")
    assert (saved["region"], saved["industry"], saved["_v"]) == ("华东", "医疗", 2)


async def test_a_conflicting_save_explains_and_ctrl_r_loads_their_version(
    tiny_ctx, tiny_dir, make_app, settle
):
    from textual.widgets import Select

    from qsales_tui.storage.store import Store

    app = make_app(tiny_ctx, start_mode="customers")
    async with app.run_test(size=SIZE) as pilot:
        form = await open_edit_form(app, pilot, settle, "C-0003")
        await pilot.press("ctrl+r")  # nothing to reload yet: the key does nothing
        assert form.query_one("#name", Input).value == "Northwind Ltd"
        # Lucy renames the customer in her own session meanwhile
        Store(tiny_dir, user="lucy").update(
            "customers", "C-0003", {"name": "Northwind Group"}, expected_version=1
        )
        form.query_one("#segment", Select).value = "growth"
        await pilot.press("ctrl+s")
        await pilot.pause()
        error = str(form.query_one("#error", Static).render())
        assert error.startswith("Lucy Li saved changes to Northwind Group while you were editing")
        assert "Press ctrl+r to load their version." in error
        assert "version" not in error.split(".")[0]  # plain words, no version numbers
        assert tiny_ctx.store.get("customers", "C-0003")["segment"] == "standard"
        await pilot.press("ctrl+r")
        await settle(pilot)
        form = app.screen
        assert form.query_one("#name", Input).value == "Northwind Group"
        assert form.query_one("#segment", Select).value == "standard"
        assert "Their version is loaded" in str(form.query_one("#error", Static).render())
        form.query_one("#segment", Select).value = "growth"
        await pilot.press("ctrl+s")
        await settle(pilot)
    saved = tiny_ctx.store.get("customers", "C-0003")
    assert (saved["name"], saved["segment"], saved["_v"]) == ("Northwind Group", "growth", 3)
