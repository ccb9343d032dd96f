"""A market-share goal's progress is the market-share KPI, in basis points.

The tiny company (tests/conftest.py) sold in 2026-Q4, up to 2026-11-27: C-0001 (key)
¥80,000 and C-0003 (standard) ¥20,000, ¥100,000 in all; nothing to growth.
"""

import orjson
import pytest

from qsales_tui.cli.main import main

YUAN = 100


def qsales(tiny_dir, capsys, *args: str):
    assert main(["--db", str(tiny_dir), "--today", "2026-11-27", *args]) == 0
    return orjson.loads(capsys.readouterr().out)


@pytest.mark.parametrize(
    ("sizes", "basis_points"),
    [
        # a whole-market row counts alone: ¥100,000 ÷ ¥2,000,000 = 5.00 % (the segment
        # rows added in as well gave ¥100,000 ÷ ¥3,500,000 = 2.86 %)
        ([("all", 2_000_000), ("key", 1_000_000), ("standard", 500_000)], 500),
        # no whole-market row: only the sales in segments with a size, key ¥80,000 ÷
        # (¥1,000,000 + ¥400,000) = 5.714 % → 571 (all sales gave ¥100,000 ÷ … = 714)
        ([("key", 1_000_000), ("growth", 400_000)], 571),
        # the same row entered twice: the later counts, ¥100,000 ÷ ¥3,000,000 = 333.3
        ([("all", 2_000_000), ("all", 3_000_000)], 333),
    ],
)
def test_goal_progress_and_the_kpi_export_give_the_same_share(
    tiny_dir, tiny_ctx, capsys, sizes, basis_points
):
    store = tiny_ctx.store
    for segment, yuan in sizes:
        store.insert(
            "market", {"quarter": "2026-Q4", "segment": segment, "size_minor": yuan * YUAN}
        )
    store.insert(
        "goals",
        {
            "quarter": "2026-Q4",
            "metric": "market_share",
            "scope": "company",
            "target": 600,
            "status": "active",
        },
    )
    [goal] = qsales(tiny_dir, capsys, "goals", "list", "--quarter", "2026-Q4", "--format", "json")
    kpis = qsales(tiny_dir, capsys, "export", "kpis", "--quarter", "2026-Q4", "--format", "json")
    [q4] = [row for row in kpis["rows"] if row["quarter"] == "2026-Q4"]
    assert goal["progress"]["actual_to_date"] == basis_points
    assert round(q4["market_share"] * 10_000) == basis_points


def test_a_segment_goal_uses_its_own_size_and_sales(tiny_dir, tiny_ctx, capsys):
    store = tiny_ctx.store
    for segment, yuan in [("all", 2_000_000), ("key", 1_000_000)]:
        store.insert(
            "market", {"quarter": "2026-Q4", "segment": segment, "size_minor": yuan * YUAN}
        )
    store.insert(
        "goals",
        {
            "quarter": "2026-Q4",
            "metric": "market_share",
            "scope": "segment:key",
            "target": 900,
            "status": "active",
        },
    )
    [goal] = qsales(tiny_dir, capsys, "goals", "list", "--quarter", "2026-Q4", "--format", "json")
    assert goal["progress"]["actual_to_date"] == 800  # ¥80,000 ÷ ¥1,000,000
    segments = qsales(
        tiny_dir, capsys, "export", "kpis-segment", "--quarter", "2026-Q4", "--format", "json"
    )
    [key] = [row for row in segments["rows"] if row["segment"] == "key"]
    assert key["market_share"] == pytest.approx(0.08)


def test_no_size_for_the_quarter_gives_no_progress(tiny_dir, tiny_ctx, capsys):
    tiny_ctx.store.insert(
        "market", {"quarter": "2026-Q3", "segment": "all", "size_minor": 1_000_000 * YUAN}
    )
    tiny_ctx.store.insert(
        "goals",
        {
            "quarter": "2026-Q4",
            "metric": "market_share",
            "scope": "company",
            "target": 600,
            "status": "active",
        },
    )
    [goal] = qsales(tiny_dir, capsys, "goals", "list", "--quarter", "2026-Q4", "--format", "json")
    assert goal["progress"]["actual_to_date"] is None


def test_a_list_of_goals_reads_the_sales_once_and_gives_each_its_own_progress(
    tiny_ctx, monkeypatch
):
    from qsales_tui.services import goals as service
    from qsales_tui.storage import frames

    store = tiny_ctx.store
    store.insert("market", {"quarter": "2026-Q4", "segment": "key", "size_minor": 10**8})
    listed = [
        {"quarter": "2026-Q4", "metric": "revenue", "scope": "company", "target": 10**7},
        {"quarter": "2026-Q4", "metric": "revenue", "scope": "segment:standard", "target": 10**6},
        {"quarter": "2026-Q4", "metric": "market_share", "scope": "segment:key", "target": 900},
    ]
    alone = [service.goal_progress(tiny_ctx, goal) for goal in listed]
    loads = []
    load_frame = frames.load_frame
    monkeypatch.setattr(
        frames,
        "load_frame",
        lambda store, table, columns=None: loads.append(table) or load_frame(store, table, columns),
    )
    together = service.goals_progress(tiny_ctx, listed)
    assert together == alone
    # ¥100,000 in all; ¥20,000 to standard; key ¥80,000 ÷ ¥1,000,000 = 800 basis points
    assert [progress.actual_to_date for progress in together] == [
        100_000 * YUAN,
        20_000 * YUAN,
        800,
    ]
    assert loads == ["sales"]
