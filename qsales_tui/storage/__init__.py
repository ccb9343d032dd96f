"""Storage: the one module that owns TinyDB, the cross-process lock and the audit trail.

Public API (``from qsales_tui.storage.store import Store``)::

    store = Store(data_dir, user="alice")        # open an existing data directory
    store = Store.create(data_dir, settings, user="alice")   # new directory (0700, files 0600)

    store.settings -> dict                       # the settings record (company, currency, …)
    store.update_settings({"currency": "CNY"})
    store.all("customers") -> list[dict]         # every record (read-only dicts; copy to modify)
    store.get("customers", "C-0042") -> dict | None
    store.find("followups", rep_id="R-0003", status="open") -> list[dict]
    store.insert("followups", {...}) -> dict     # validates, assigns id (F-0001 …), _v=1, audits
    store.update("followups", "F-0001", {"status": "done"}, expected_version=3) -> dict
    store.delete("followups", "F-0001", expected_version=None)
    store.insert_many("sales", records, audit=False)   # bulk load: one write per shard
    with store.transaction():                    # several writes under one lock
        ...
    store.change_token() -> str                  # cheap; changes whenever any write lands
    store.audit(since=None) -> list[dict]

Every record carries ``_v`` (version, bumped by each update). ``update``/``delete``
with ``expected_version`` raise ``ConflictError`` when another user changed the
record first. Validation errors raise ``qsales_tui.domain.models.RecordError``.
Damaged files raise ``DamagedFileError`` (names the file, the problem and the newest
backup); a data file others can write raises ``PermissionProblem``.

Layout of a data directory (TinyDB JSON, ``{table: {doc_id: record}}`` in each file)::

    settings.json                 the settings record (with schema_version)
    customers.json, reps.json …   one file per small table
    sales/2026-11.json …          big tables, one file per month of the shard field
                                  (sales: date, deals: created_on, interactions: at,
                                  followups: created_at)
    audit/2026-11-27.json …       the audit log, one file per day
    backups/<UTC time>[-vN]/      copies made by ``store.backup()`` and before migrations
    .state.json                   change counter and id high-water marks (derived)
    .cache/<table>/<shard>.npz    columnar cache of ``frames.load_frame`` (derived)
    .lock                         the cross-process write lock

Other modules: ``frames.load_frame`` (pandas view of the big tables), ``check.check_data``
(``qsales check-data``), ``migrations`` (format upgrades), ``errors``.
"""
