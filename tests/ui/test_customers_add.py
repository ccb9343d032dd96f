"""Adding a customer (key a on the customers screen) and picking region/industry from the
values in use, on the tiny company (tests/conftest.py)."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Select, Static

from qsales_tui.errors import WriteRefused
from qsales_tui.services.customers import add_customer, canonical_value, known_values
from qsales_tui.ui.screens.customer_detail import CustomerDetailScreen
from qsales_tui.ui.screens.customer_edit import OTHER, CustomerEditScreen

SIZE = (100, 30)
TODAY_ISO = "2026-11-27"


async def open_add_form(app, pilot, settle) -> CustomerEditScreen:
    await settle(pilot)
    await pilot.press("a")
    await settle(pilot)
    assert isinstance(app.screen, CustomerEditScreen)
    return app.screen


def error_text(app) -> str:
    return str(app.screen.query_one("#error", Static).render())


def new_customers(store) -> list[dict]:
    return [c for c in store.all("customers") if c["id"] > "C-0004"]


async def test_manager_adds_a_customer_for_a_rep_and_it_opens(tiny_ctx, make_app, settle):
    store = tiny_ctx.store
    app = make_app(tiny_ctx, start_mode="customers")
    async with app.run_test(size=SIZE) as pilot:
        form = await open_add_form(app, pilot, settle)
        owner = form.query_one("#owner_id", Select)
        assert owner.value == "R-0001" and not owner.disabled  # the manager, who may choose
        assert form.query_one("#status", Select).value == "lead"
        await pilot.press(*"Contoso")
        owner.value = "R-0003"
        form.query_one("#region-pick", Select).value = "International"
        await pilot.press("ctrl+s")
        await settle(pilot)
        [added] = new_customers(store)
        assert isinstance(app.screen, CustomerDetailScreen)
        assert app.screen.customer_id == added["id"]
        assert "Contoso" in str(app.screen.query_one("#profile", Static).render())
    assert {
        k: added[k]
        for k in ("name", "owner_id", "status", "created_on", "region", "industry", "segment")
    } == {
        "name": "Contoso",
        "owner_id": "R-0003",
        "status": "lead",
        "created_on": TODAY_ISO,
        "region": "International",
        "industry": "",
        "segment": "standard",
    }
    entry = [a for a in store.audit() if a["record_id"] == added["id"]][-1]
    assert entry["action"] == "insert" and entry["user"] == "wangjl"


async def test_a_rep_adds_customers_they_own(tiny_ctx, make_app, settle):
    tiny_ctx.os_user = "lucy"
    app = make_app(tiny_ctx, start_mode="customers")
    async with app.run_test(size=SIZE) as pilot:
        form = await open_add_form(app, pilot, settle)
        owner = form.query_one("#owner_id", Select)
        assert owner.value == "R-0003" and owner.disabled
        form.query_one("#name", Input).value = "Fabrikam"
        await pilot.press("ctrl+s")
        await settle(pilot)
    [added] = new_customers(tiny_ctx.store)
    assert (added["name"], added["owner_id"]) == ("Fabrikam", "R-0003")


def test_a_rep_cannot_add_a_customer_for_someone_else(tiny_ctx):
    store = tiny_ctx.store
    lucy = store.get("reps", "R-0003")
    with pytest.raises(WriteRefused):
        add_customer(
            store, lucy, {"name": "X", "segment": "key", "owner_id": "R-0002"}, tiny_ctx.today
        )
    with pytest.raises(WriteRefused, match="not mapped"):
        add_customer(store, None, {"name": "X", "segment": "key"}, tiny_ctx.today)
    with pytest.raises(ValueError, match="not editable: created_on"):
        add_customer(store, lucy, {"name": "X", "created_on": "2020-01-01"}, tiny_ctx.today)
    assert new_customers(store) == []


async def test_unmapped_user_gets_the_usual_refusal(tiny_ctx, make_app, settle):
    tiny_ctx.os_user = "nobody"
    app = make_app(tiny_ctx, start_mode="customers")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert not isinstance(app.screen, CustomerEditScreen)
        assert any("not mapped to a rep" in n.message for n in app._notifications)
    assert new_customers(tiny_ctx.store) == []


async def test_an_empty_name_is_refused_in_chinese(tiny_ctx, make_app, settle):
    from qsales_tui.i18n import set_language

    set_language("zh")
    app = make_app(tiny_ctx, start_mode="customers")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_add_form(app, pilot, settle)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert error_text(app) == "名称：不能为空"
        assert isinstance(app.screen, CustomerEditScreen)  # still open, nothing saved
    assert new_customers(tiny_ctx.store) == []


async def test_region_offers_the_values_in_use_translated(tiny_ctx, make_app, settle):
    from qsales_tui.i18n import set_language

    set_language("zh")
    app = make_app(tiny_ctx, start_mode="customers")
    async with app.run_test(size=SIZE) as pilot:
        form = await open_add_form(app, pilot, settle)
        region = form.query_one("#region-pick", Select)
        options = {value: str(prompt) for prompt, value in region._options}
        assert options["International"] == "海外"
        assert set(options) >= {"华东", "华北", "华南", "International", OTHER}


async def test_other_reveals_a_box_and_a_known_value_typed_there_is_kept_as_stored(
    tiny_ctx, make_app, settle
):
    app = make_app(tiny_ctx, start_mode="customers")
    async with app.run_test(size=SIZE) as pilot:
        form = await open_add_form(app, pilot, settle)
        form.query_one("#name", Input).value = "Litware"
        new_region = form.query_one("#region-new", Input)
        assert not new_region.display
        form.query_one("#region-pick", Select).value = OTHER
        await pilot.pause()
        assert new_region.display and new_region.has_focus
        await pilot.press("ctrl+s")  # Other… but nothing typed
        await pilot.pause()
        assert error_text(app) == "Region: type the new value"
        assert new_customers(tiny_ctx.store) == []
        await pilot.press(*"海外")
        form.query_one("#industry-pick", Select).value = OTHER
        await pilot.pause()
        await pilot.press(*"Aerospace")
        await pilot.press("ctrl+s")
        await settle(pilot)
    [added] = new_customers(tiny_ctx.store)
    assert (added["region"], added["industry"]) == ("International", "Aerospace")


def test_known_values_and_their_spellings(tiny_ctx):
    known = known_values(tiny_ctx.store, "region")
    assert known == ["International", "华东", "华北", "华南"]
    assert canonical_value("海外", known) == "International"
    assert canonical_value("  inter national ", known) == "International"
    assert canonical_value("华东", known) == "华东"
    assert canonical_value("  Central   Asia ", known) == "Central Asia"
