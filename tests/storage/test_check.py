"""qsales check-data: all is well, or each problem and a non-zero exit."""

from __future__ import annotations

from qsales_tui.cli.main import main


def company(store) -> None:
    store.insert("teams", {"name": "East", "manager_id": "R-0001"})
    store.insert(
        "reps", {"name": "王经理", "team_id": "T-0001", "role": "manager", "hired_on": "2020-01-01"}
    )
    store.insert(
        "customers",
        {
            "name": "华鑫科技",
            "segment": "key",
            "status": "active",
            "owner_id": "R-0001",
            "created_on": "2025-03-01",
        },
    )


def check(data_dir, capsys) -> tuple[int, str]:
    code = main(["--db", str(data_dir), "check-data"])
    return code, capsys.readouterr().out


def test_clean_directory_passes(store, data_dir, sale, capsys):
    company(store)
    store.insert("sales", sale())
    code, out = check(data_dir, capsys)
    assert code == 0 and "all is well" in out


def test_dangling_references_fail(store, data_dir, sale, capsys):
    company(store)
    store.insert("sales", sale(customer_id="C-0404"))
    store.insert(
        "reps", {"name": "Lucy", "team_id": "T-0009", "role": "rep", "hired_on": "2021-01-01"}
    )
    code, out = check(data_dir, capsys)
    assert code == 1
    assert "sales S-0001: customer_id C-0404 is not in customers" in out
    assert "reps R-0002: team_id T-0009 is not in teams" in out
    assert "2 problem(s)" in out


def test_damage_permissions_and_version_are_reported(store, data_dir, capsys):
    company(store)
    (data_dir / "teams.json").write_bytes(b"{")
    (data_dir / "customers.json").chmod(0o666)
    store.update_settings({"schema_version": 99})
    code, out = check(data_dir, capsys)
    assert code == 1
    assert "teams.json is damaged" in out
    assert f"chmod -R o-w {data_dir}" in out
    assert "newer than this qsales knows" in out


def test_missing_directory_fails(tmp_path, capsys):
    code, out = check(tmp_path / "absent", capsys)
    assert code == 1 and "no data directory" in out
