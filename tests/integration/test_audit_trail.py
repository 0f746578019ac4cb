"""A complete, tamper-evident audit trail (issue 11, point 5).

- Every row a public use case inserts, deletes or changes — cascaded deletes included — is
  in the audit log, with every field for creates and deletes (a table-driven test over
  every use case of ``test_transactions``; a use case without an expectation fails).
- Entries carry the database server's time and a hash chained to the previous entry;
  ``riskmotor audit verify`` reports the first broken link.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, MetaData, select, text

from riskmotor.catalogs import Catalog
from riskmotor.cli import main
from riskmotor.clock import FixedClock
from riskmotor.persistence.database import engine_for
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.services import audit, demo, workshop
from tests.integration.test_transactions import (  # the one enumeration of use cases
    USE_CASES,
    World,
    public_use_cases,
    template,
    world,
)

__all__ = ["template", "world"]  # fixtures used below

UowFactory = Callable[..., UnitOfWork]
NOT_AUDITED = {"audit_log", "audit_chain", "alembic_version", "installation_setting"}
ROW_ACTIONS = {"create", "update", "delete"}

# Per use case: the (entity, action) pairs of the audit entries it leaves on the populated
# database of test_transactions. Read-only use cases leave none.
EXPECTED: dict[str, set[tuple[str, str]]] = {}  # filled below


Rows = dict[tuple[str, int], dict[str, Any]]


def _rows(engine: Engine) -> Rows:
    metadata = MetaData()
    metadata.reflect(engine)
    found: Rows = {}
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            if table.name in NOT_AUDITED or "id" not in table.c:
                continue
            for row in connection.execute(select(table)).mappings():
                found[(table.name, row["id"])] = dict(row)
    return found


def _new_entries(engine: Engine, after: int) -> list[dict[str, Any]]:
    with engine.connect() as connection:
        result = connection.execute(
            text("SELECT * FROM audit_log WHERE seq > :after ORDER BY seq"), {"after": after}
        )
        return [dict(r) for r in result.mappings()]


def _last_seq(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT seq FROM audit_chain")).scalar_one())


def _unlogged(before: Rows, after: Rows, entries: list[dict[str, Any]]) -> list[str]:
    """Every change between ``before`` and ``after`` that no entry records."""
    logged = {(e["entity"], e["entity_id"], e["action"], e["field"]) for e in entries}
    batch = any(e["action"] not in ROW_ACTIONS for e in entries)
    missing = []
    for key in after.keys() - before.keys():
        if (*key, "create", "*") not in logged and not batch:
            missing.append(f"create {key}")
    for key in before.keys() - after.keys():
        if (*key, "delete", "*") not in logged:
            missing.append(f"delete {key}")
    for key in before.keys() & after.keys():
        for column, old in before[key].items():
            changed = after[key][column] != old and column != "version"
            if changed and (*key, "update", column) not in logged and not batch:
                missing.append(f"update {key}.{column}")
    return sorted(missing)


def test_every_use_case_has_an_audit_expectation() -> None:
    assert sorted(public_use_cases() - EXPECTED.keys()) == [], "use cases without expectation"


@pytest.mark.parametrize("name", sorted(USE_CASES))
def test_use_case_leaves_the_audit_rows_it_should(name: str, world: World) -> None:
    engine = engine_for(world.url)
    # The row's own preparation (submitting a plan, reading versions) runs first, through
    # the same helpers; everything is compared around the whole row, so preparation that
    # writes must be audited as well.
    seq, before = _last_seq(engine), _rows(engine)
    USE_CASES[name](world)
    entries = _new_entries(engine, seq)
    assert _unlogged(before, _rows(engine), entries) == []
    creates = [e for e in entries if e["action"] in ("create", "delete")]
    for entry in creates:
        values = json.loads(entry["new"] if entry["action"] == "create" else entry["old"])
        assert values["id"] == entry["entity_id"]  # every field, not one
    assert name in EXPECTED, f"{name}: add its expected audit rows to EXPECTED"
    assert {(e["entity"], e["action"]) for e in entries} >= EXPECTED[name]


# cascades, server time, the chain ---------------------------------------------------------


@pytest.fixture
def loaded(uow_factory: UowFactory, catalog: Catalog, db_url: str) -> tuple[int, Engine]:
    ids = demo.load_demo(uow_factory(), catalog)
    return ids.analysis_id, engine_for(db_url)


def test_delete_risk_logs_every_row_the_database_cascades(
    uow_factory: UowFactory, catalog: Catalog, loaded: tuple[int, Engine]
) -> None:
    analysis_id, engine = loaded
    risk = workshop.list_risks(uow_factory(), catalog, analysis_id)[0]
    seq, before = _last_seq(engine), _rows(engine)
    workshop.delete_risk(uow_factory(), risk.id, risk.version)
    after = _rows(engine)
    gone = sorted(before.keys() - after.keys())
    assert ("risk", risk.id) in gone and len(gone) > 1  # votes went with it
    entries = _new_entries(engine, seq)
    deleted = sorted((e["entity"], e["entity_id"]) for e in entries if e["action"] == "delete")
    assert deleted == gone
    for entry in entries:
        if entry["action"] == "delete":
            values = json.loads(entry["old"])
            stored = before[(entry["entity"], entry["entity_id"])]
            assert set(values) == set(stored)  # every field of the row


def test_a_created_risk_logs_every_field(
    uow_factory: UowFactory, catalog: Catalog, loaded: tuple[int, Engine]
) -> None:
    analysis_id, _ = loaded
    created = workshop.add_risk(
        uow_factory(), catalog, {"analysis_id": analysis_id, "title": "Ny risk", "cause": "X"}
    )
    entry = audit.audit_log(uow_factory(), entity="risk", entity_id=created.id)[0]
    values = json.loads(entry.new or "{}")
    assert entry.action == "create" and values["title"] == "Ny risk" and values["cause"] == "X"
    assert {"likelihood", "consequence", "description", "analysis_id"} <= set(values)


def test_entries_carry_the_database_servers_time(
    catalog: Catalog, loaded: tuple[int, Engine]
) -> None:
    analysis_id, engine = loaded
    long_ago = FixedClock(datetime(2001, 1, 1, tzinfo=UTC))
    workshop.add_participant(UnitOfWork(engine, "klocka", long_ago), analysis_id, "Ny", "Chef")
    entry = audit.audit_log(UnitOfWork(engine, "läsare"), actor="klocka")[0]
    at = datetime.fromisoformat(entry.at)
    at = at if at.tzinfo else at.replace(tzinfo=UTC)
    assert abs(at - datetime.now(UTC)) < timedelta(hours=1)  # not the client's 2001


def test_the_log_filters_by_entity_person_and_date(
    uow_factory: UowFactory, loaded: tuple[int, Engine]
) -> None:
    analysis_id, _ = loaded
    workshop.add_participant(uow_factory("Sara"), analysis_id, "Ny Deltagare", "Chef")
    by_sara = audit.audit_log(uow_factory(), actor="Sara")
    assert [(e.entity, e.action) for e in by_sara] == [("participant", "create")]
    assert audit.audit_log(uow_factory(), entity="participant", actor="Sara") == by_sara
    today = datetime.now(UTC).date()
    assert audit.audit_log(uow_factory(), actor="Sara", since=today - timedelta(days=1)) == by_sara
    assert audit.audit_log(uow_factory(), actor="Sara", until=today - timedelta(days=2)) == []
    filters = audit.audit_filters(uow_factory())
    assert "Sara" in filters.actors and "participant" in filters.entities


def _verify(db_url: str) -> tuple[int, dict[str, Any]]:
    result = CliRunner().invoke(main, ["audit", "verify", "--db", db_url, "--json"])
    return result.exit_code, json.loads(result.output)


def _lift_trigger(engine: Engine, name: str) -> None:
    with engine.begin() as connection:
        suffix = "" if engine.dialect.name == "sqlite" else " ON audit_log"
        connection.execute(text(f"DROP TRIGGER {name}{suffix}"))


def test_audit_verify_holds_and_names_the_first_edited_entry(
    loaded: tuple[int, Engine], db_url: str
) -> None:
    _, engine = loaded
    code, report = _verify(db_url)
    assert code == 0 and report["ok"] is True and report["entries"] > 10
    # Someone with database rights lifts the trigger and edits one entry.
    _lift_trigger(engine, "audit_log_update")
    with engine.begin() as connection:
        target = connection.execute(text("SELECT id FROM audit_log ORDER BY seq LIMIT 1 OFFSET 5"))
        entry_id = target.scalar_one()
        connection.execute(
            text("UPDATE audit_log SET actor = 'någon annan' WHERE id = :id"), {"id": entry_id}
        )
    code, report = _verify(db_url)
    assert code == 1 and report["ok"] is False
    assert report["first_broken"]["id"] == entry_id


def test_audit_verify_catches_removed_newest_entries(
    loaded: tuple[int, Engine], db_url: str
) -> None:
    _, engine = loaded
    _lift_trigger(engine, "audit_log_delete")
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)"))
    code, report = _verify(db_url)
    assert code == 1 and "huvud" in report["message"]
