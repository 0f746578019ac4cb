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
EXPECTED: dict[str, set[tuple[str, str]]] = {
    "access.bootstrap_administrator": {("user_role", "create")},
    "access.grant": {("user_role", "create")},
    "access.is_shared": set(),
    "access.list_grants": set(),
    "access.my_roles": set(),
    "access.revoke": {("user_role", "delete")},
    "audit.audit_filters": set(),
    "audit.audit_log": set(),
    "audit.audit_view": set(),
    "changes.change_stamp": set(),
    "audit.verify_audit_log": set(),
    "demo.load_demo": {("deviation_import", "import")},
    "deviations.compare_periods": set(),
    "deviations.create_risk_from_pattern": {("deviation_link", "create"), ("risk", "create")},
    "deviations.export_rows": set(),
    "deviations.import_deviations": {("deviation_import", "import")},
    "deviations.link_to_risk": {("deviation_link", "create")},
    "deviations.monthly_counts": set(),
    "deviations.preview_import": set(),
    "deviations.namnd_id": set(),
    "deviations.risk_evidence": set(),
    "deviations.summary": set(),
    "deviations.tertial_counts": set(),
    "deviations.top_causes": set(),
    "deviations.years": set(),
    "egenkontroll.answer_counts": set(),
    "egenkontroll.checklist_workbook": set(),
    "egenkontroll.draw": {("sample_draw", "create"), ("sampled_case", "create")},
    "egenkontroll.draws": set(),
    "egenkontroll.evaluate": set(),
    "egenkontroll.evaluate_checklist": {("checklist_answer", "create")},
    "egenkontroll.record_draw": {
        ("egenkontroll_plan", "create"),
        ("sample_draw", "create"),
        ("sampled_case", "create"),
    },
    "egenkontroll.import_checklist": {("checklist_answer", "create")},
    "egenkontroll.plan_egenkontroll": {("egenkontroll_plan", "create")},
    "egenkontroll.plans": set(),
    "egenkontroll.sampled_cases": set(),
    "egenkontroll.trend": set(),
    "exports.export_excel": {("export", "export")},
    "exports.export_kvalitetsberattelse": {("export", "export")},
    "exports.export_overview": set(),
    "exports.export_package": {
        ("control_plan", "update"),
        ("plan_control", "create"),
        ("plan_package", "create"),
        ("plan_package", "export"),
        ("plan_snapshot", "create"),
        ("risk", "update"),
    },
    "exports.verify_package": {
        ("control_plan", "update"),
        ("plan_control", "create"),
        ("plan_package", "create"),
        ("plan_package", "export"),
        ("plan_snapshot", "create"),
        ("risk", "update"),
    },
    "organisation.create_namnd": {("org_unit", "create")},
    "organisation.list_namnder": set(),
    "organisation.namnd_named": set(),
    "organisation.units_below": set(),
    "plan.add_action": {("plan_action", "create")},
    "plan.add_catalog_suggestions": {("plan_control", "create")},
    "plan.add_control": {("plan_control", "create")},
    "plan.approve": {
        ("control_plan", "update"),
        ("plan_control", "create"),
        ("plan_snapshot", "create"),
        ("risk", "update"),
    },
    "plan.copy_to_next_year": {
        ("control_plan", "create"),
        ("plan_action", "create"),
        ("plan_control", "create"),
        ("plan_risk", "create"),
        ("risk", "create"),
        ("risk_analysis", "create"),
    },
    "plan.current_plan": set(),
    "plan.delete_action": {("plan_action", "delete")},
    "plan.delete_control": {("plan_control", "delete")},
    "plan.diff": set(),
    "plan.find_plan": set(),
    "plan.find_plan_risk": set(),
    "plan.find_plan_view": set(),
    "plan.followup_summary": set(),
    "plan.new_version": {
        ("control_plan", "create"),
        ("control_plan", "update"),
        ("plan_action", "create"),
        ("plan_control", "create"),
        ("plan_risk", "create"),
        ("plan_snapshot", "create"),
        ("risk", "update"),
    },
    "plan.propose": {("control_plan", "update")},
    "plan.record_control_followup": {("control_followup", "create")},
    "plan.record_followup": set(),
    "plan.record_risk_followup": {("risk_followup", "create")},
    "plan.save_actions": {("plan_action", "create"), ("plan_action", "delete")},
    "plan.save_controls": {("plan_control", "create"), ("plan_control", "update")},
    "plan.set_action_status": {("plan_action", "update")},
    "plan.set_must_include": {("plan_risk", "update")},
    "plan.set_opinion": {("control_plan", "update")},
    "plan.set_override": {("plan_risk", "update")},
    "plan.set_treatment": {("plan_risk", "update")},
    "plan.submit": {
        ("control_plan", "update"),
        ("plan_control", "create"),
        ("plan_snapshot", "create"),
        ("risk", "update"),
    },
    "plan.update_control": {("plan_control", "update")},
    "plan.versions": set(),
    "plan.view": set(),
    "plan.withdraw": {
        ("control_plan", "update"),
        ("plan_control", "create"),
        ("plan_snapshot", "create"),
        ("plan_snapshot", "update"),
        ("risk", "update"),
    },
    "pseudonym_key.create": {("installation_setting", "create")},
    "pseudonym_key.export": set(),
    "pseudonym_key.key_status": set(),
    "pseudonym_key.open_key": {("installation_setting", "create")},
    "scenarios.apply_likelihood": {("risk", "update"), ("simulation_run", "update")},
    "scenarios.evidence_for": set(),
    "scenarios.get_run": set(),
    "scenarios.record_run": {("simulation_run", "create")},
    "scenarios.runs_for_scenario": set(),
    "scenarios.save_scenario": {("scenario", "create")},
    "scenarios.scenarios": set(),
    "workshop.add_participant": {("participant", "create")},
    "workshop.add_risk": {("risk", "create")},
    "workshop.add_risk_from_template": {("risk", "create")},
    "workshop.analyses_for": set(),
    "workshop.cast_vote": {("vote", "update")},
    "workshop.check_scales_in_use": set(),
    "workshop.chosen_or_default_analysis": set(),
    "workshop.confirm_all": {("risk", "update")},
    "workshop.confirm_assessment": {("risk", "update")},
    "workshop.confirm_undisputed": set(),
    "workshop.create_analysis": {("risk_analysis", "create")},
    "workshop.delete_risk": {("plan_risk", "delete"), ("risk", "delete"), ("vote", "delete")},
    # the delete it undoes, then the risk and its votes created again
    "workshop.restore_risk": {("risk", "delete"), ("risk", "create"), ("vote", "create")},
    "workshop.find_analysis": set(),
    "workshop.get_analysis": set(),
    "workshop.get_risk": set(),
    "workshop.list_risks": set(),
    "workshop.participants": set(),
    "workshop.remove_participant": {("participant", "delete"), ("vote", "delete")},
    "workshop.update_analysis": {("risk_analysis", "update")},
    "workshop.update_participant": {("participant", "update")},
    "workshop.update_risk": {("risk", "update")},
    "workshop.votes_for_analysis": set(),
}


Rows = dict[tuple[str, int], dict[str, Any]]


def _rows(engine: Engine) -> Rows:
    metadata = MetaData()
    metadata.reflect(engine)
    found: Rows = {}
    with engine.connect() as connection:
        for table in metadata.tables.values():
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
    creates = [e for e in entries if e["action"] in ("create", "delete") and e["field"] == "*"]
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
        uow_factory(), catalog, {"analysis_id": analysis_id, "title": "Ny risk", "description": "X"}
    )
    entry = audit.audit_log(uow_factory(), entity="risk", entity_id=created.id)[0]
    values = json.loads(entry.new or "{}")
    assert (
        entry.action == "create" and values["title"] == "Ny risk" and values["description"] == "X"
    )
    assert {"inherent_likelihood", "residual_consequence", "analysis_id"} <= set(values)


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
    assert "Sara" in filters.actors and "participant" in {e.key for e in filters.entities}


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
        connection.execute(
            text("DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)")
        )
    code, report = _verify(db_url)
    assert code == 1 and "huvud" in report["message"]
