"""Exports carry only what the acting user may see (services/visibility.py).

Tiny company: manager R-0001 (wangjl); rep R-0002 (zhangwei) owns C-0001 and C-0002;
rep R-0003 (lucy) owns C-0003 and C-0004.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from qsales_tui.cli.main import main
from qsales_tui.services.visibility import ROWS, NotVisible, Viewer
from qsales_tui.storage.store import Store

ARGS = ["--today", "2026-11-27"]
TZ = "+08:00"


def _export(monkeypatch, capsys, data_dir, user: str, *argv: str) -> tuple[int, dict, str]:
    """Run ``qsales export … --format json`` as ``user``: (exit code, document, stderr)."""
    monkeypatch.setenv("QSALES_USER", user)
    code = main(["--db", str(data_dir), *ARGS, "export", *argv, "--format", "json"])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if code == 0 else {}), err


def _ids(document: dict, column: str = "id") -> list[str]:
    return sorted(row[column] for row in document["rows"])


@pytest.fixture
def shared_dir(tiny_dir):
    """The tiny company plus rows that cross owners: R-0002's sale to Lucy's C-0003,
    Lucy's interaction with C-0001, contacts, needs, trainings and drafts of both."""
    store = Store(tiny_dir, user="test")
    store.insert_many(
        "sales",
        [
            dict(
                id="S-0007",
                date="2026-11-05",
                customer_id="C-0003",
                rep_id="R-0002",
                product="QS-Cloud",
                quantity=1,
                amount_minor=5_000_00,
            ),
        ],
        audit=False,
    )
    store.insert_many(
        "interactions",
        [
            dict(
                id="I-0003",
                customer_id="C-0001",
                rep_id="R-0003",
                at=f"2026-11-02T10:00:00{TZ}",
                channel="visit",
                note="covering for 张伟",
                outcome="",
                author="lucy",
            ),
        ],
        audit=False,
    )
    store.insert_many(
        "contacts",
        [
            dict(id="P-0001", customer_id="C-0001", name="李总", email="li@example.cn"),
            dict(id="P-0002", customer_id="C-0003", name="Ann", email="ann@example.com"),
        ],
        audit=False,
    )
    store.insert_many(
        "needs",
        [
            dict(id="ND-0001", customer_id="C-0002", at=f"2026-11-01T09:00:00{TZ}", text="冷链"),
            dict(id="ND-0002", customer_id="C-0004", at=f"2026-11-01T09:00:00{TZ}", text="HIS"),
        ],
        audit=False,
    )
    store.insert_many(
        "trainings",
        [
            dict(id="TR-0001", rep_id="R-0002", date="2026-11-05", course="谈判", hours=4.0),
            dict(id="TR-0002", rep_id="R-0003", date="2026-11-06", course="CRM", hours=2.0),
        ],
        audit=False,
    )
    store.insert_many(
        "drafts",
        [
            dict(id="DR-0001", user="zhangwei", kind="goal"),
            dict(id="DR-0002", user="lucy", kind="goal"),
        ],
        audit=False,
    )
    return tiny_dir


@pytest.mark.parametrize(
    "table, mine",
    [
        ("customers", ["C-0001", "C-0002"]),
        # own customers' rows, plus R-0002's own sale to C-0003
        ("sales", ["S-0001", "S-0002", "S-0003", "S-0005", "S-0007"]),
        # Lucy's interaction with C-0001 is that customer's history
        ("interactions", ["I-0001", "I-0003"]),
        ("followups", ["F-0001"]),
        ("deals", ["D-0001"]),
        ("contacts", ["P-0001"]),
        ("needs", ["ND-0001"]),
        ("trainings", ["TR-0001"]),
        ("drafts", ["DR-0001"]),
    ],
)
def test_a_rep_exports_only_their_rows(shared_dir, monkeypatch, capsys, table, mine):
    code, document, _ = _export(monkeypatch, capsys, shared_dir, "zhangwei", table)
    assert code == 0
    assert _ids(document) == mine


def test_the_other_rep_gets_the_complement_of_customers(shared_dir, monkeypatch, capsys):
    _, document, _ = _export(monkeypatch, capsys, shared_dir, "lucy", "customers")
    assert _ids(document) == ["C-0003", "C-0004"]
    _, document, _ = _export(monkeypatch, capsys, shared_dir, "lucy", "sales")
    assert _ids(document) == ["S-0004", "S-0006", "S-0007"]  # S-0007: sold to her C-0003


def test_a_rep_sees_colleagues_names_but_not_their_logins(shared_dir, monkeypatch, capsys):
    _, document, _ = _export(monkeypatch, capsys, shared_dir, "zhangwei", "reps")
    assert _ids(document) == ["R-0001", "R-0002", "R-0003"]
    assert [c["name"] for c in document["columns"]] == ["id", "name", "team_id", "role"]
    assert "os_user" not in json.dumps(document)


def test_a_rep_exports_the_company_plan_whole(shared_dir, monkeypatch, capsys):
    code, document, _ = _export(monkeypatch, capsys, shared_dir, "zhangwei", "teams")
    assert code == 0 and _ids(document) == ["T-0001"]


def test_a_managers_export_holds_everything(shared_dir, monkeypatch, capsys):
    _, document, _ = _export(monkeypatch, capsys, shared_dir, "wangjl", "customers")
    assert _ids(document) == ["C-0001", "C-0002", "C-0003", "C-0004"]
    _, document, _ = _export(monkeypatch, capsys, shared_dir, "wangjl", "reps")
    assert sorted(row["os_user"] for row in document["rows"]) == ["lucy", "wangjl", "zhangwei"]
    _, document, _ = _export(monkeypatch, capsys, shared_dir, "wangjl", "drafts")
    assert _ids(document) == ["DR-0001", "DR-0002"]


def test_a_director_sees_everything_too(shared_dir, monkeypatch, capsys):
    Store(shared_dir, user="test").insert(
        "reps",
        dict(
            name="总监",
            team_id=None,
            role="director",
            os_user="boss",
            hired_on="2019-01-01",
            active=True,
        ),
    )
    _, document, _ = _export(monkeypatch, capsys, shared_dir, "boss", "sales")
    assert len(document["rows"]) == 7


def test_rows_behind_a_kpi_follow_the_sales_rule(shared_dir, monkeypatch, capsys):
    _, document, _ = _export(monkeypatch, capsys, shared_dir, "zhangwei", "rows:revenue")
    assert _ids(document) == ["S-0005", "S-0007"]
    _, document, _ = _export(monkeypatch, capsys, shared_dir, "wangjl", "rows:revenue")
    assert _ids(document) == ["S-0005", "S-0006", "S-0007"]


def test_customer_rows_behind_a_kpi_are_the_reps_customers(shared_dir, monkeypatch, capsys):
    _, document, _ = _export(monkeypatch, capsys, shared_dir, "lucy", "rows:customers_active_start")
    assert set(_ids(document, "customer_id")) <= {"C-0003", "C-0004"}
    assert "C-0003" in _ids(document, "customer_id")


def test_company_kpis_stay_visible_to_a_rep(shared_dir, monkeypatch, capsys):
    code, document, _ = _export(monkeypatch, capsys, shared_dir, "zhangwei", "kpis-rep")
    assert code == 0
    assert _ids(document, "rep") == ["R-0002", "R-0003"]


@pytest.mark.parametrize(
    "argv",
    [["customers"], ["sales", "--quarter", "2026-Q4"], ["rows:revenue"], ["reps"], ["audit"]],
)
def test_a_user_mapped_to_no_rep_is_refused_with_advice(shared_dir, monkeypatch, capsys, argv):
    code, _, err = _export(monkeypatch, capsys, shared_dir, "nobody", *argv)
    assert code == 2
    assert "nobody is not mapped to an active rep" in err and "QSALES_USER" in err


def test_a_rep_who_left_is_refused_like_an_unmapped_user(shared_dir, monkeypatch, capsys):
    store = Store(shared_dir, user="test")
    rep = store.get("reps", "R-0002")
    store.update("reps", "R-0002", {"active": False}, expected_version=rep["_v"])
    code, _, err = _export(monkeypatch, capsys, shared_dir, "zhangwei", "customers")
    assert code == 2 and "QSALES_USER" in err


def test_a_user_mapped_to_no_rep_still_exports_company_kpis(shared_dir, monkeypatch, capsys):
    code, document, _ = _export(monkeypatch, capsys, shared_dir, "nobody", "kpis")
    assert code == 0 and document["rows"]


def test_an_unknown_table_is_named_as_such_for_anyone(shared_dir, monkeypatch, capsys):
    code, _, err = _export(monkeypatch, capsys, shared_dir, "nobody", "nonsense")
    assert code == 2 and "unknown table" in err


@pytest.mark.parametrize("table", ["audit", "settings"])
def test_audit_and_settings_are_for_managers(shared_dir, monkeypatch, capsys, table):
    code, _, err = _export(monkeypatch, capsys, shared_dir, "zhangwei", table)
    assert code == 2 and f"only managers may export {table}" in err


def test_a_manager_exports_the_audit_log_and_settings(shared_dir, monkeypatch, capsys):
    store = Store(shared_dir, user="wangjl")
    customer = store.get("customers", "C-0004")
    store.update("customers", "C-0004", {"status": "active"}, expected_version=customer["_v"])
    _, document, _ = _export(monkeypatch, capsys, shared_dir, "wangjl", "audit")
    entry = document["rows"][-1]
    assert (entry["record_id"], entry["user"]) == ("C-0004", "wangjl")
    assert entry["after"]["status"] == "active"
    _, document, _ = _export(monkeypatch, capsys, shared_dir, "wangjl", "settings")
    assert [row["company"] for row in document["rows"]] == ["Tiny Trading 小小贸易"]
    code, _, err = _export(
        monkeypatch, capsys, shared_dir, "wangjl", "audit", "--quarter", "2026-Q4"
    )
    assert code == 2 and "leave out --quarter" in err


def test_an_empty_table_exports_empty_for_a_rep(tiny_dir, monkeypatch, capsys):
    code, document, _ = _export(monkeypatch, capsys, tiny_dir, "zhangwei", "contacts")
    assert code == 0 and document["rows"] == []


# -- the rule itself ------------------------------------------------------------------------

REP = dict(id="R-0002", role="rep", os_user="zhangwei")


def test_viewer_of_a_rep_knows_their_customers(tiny_dir):
    viewer = Viewer.of(Store(tiny_dir, user="test"), "zhangwei")
    assert viewer.customer_ids == {"C-0001", "C-0002"}
    assert not viewer.sees_all


def test_rows_without_a_customer_or_rep_column_are_refused_to_a_rep():
    viewer = Viewer("zhangwei", REP, frozenset({"C-0001"}))
    with pytest.raises(NotVisible):
        viewer.visible("mystery", pd.DataFrame({"id": ["X-1"]}))


def test_rows_behind_a_kpi_keep_a_rows_customer_or_rep():
    viewer = Viewer("zhangwei", REP, frozenset({"C-0001"}))
    frame = pd.DataFrame(
        {
            "customer_id": ["C-0001", "C-0009", "C-0009", None],
            "rep_id": ["R-0003", "R-0002", "R-0003", None],
        }
    )
    kept = viewer.visible(ROWS, frame)
    assert kept.to_dict("records") == [
        {"customer_id": "C-0001", "rep_id": "R-0003"},
        {"customer_id": "C-0009", "rep_id": "R-0002"},
    ]
