"""One user action is one transaction: every public use case, counted on a real database.

The table below has one row per public use case in ``riskmotor.services`` (a public
function whose first parameter is an unopened unit of work named ``uow``). Each row calls
the use case on a copy of a fully populated database and counts the transactions the
SQLAlchemy sessions begin. A new use case without a row fails
``test_every_use_case_has_a_row``.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

import riskmotor.services
from riskmotor.catalogs import Catalog
from riskmotor.domain.access import Identity, Role
from riskmotor.domain.models import Scenario, UnitKind
from riskmotor.domain.plan import ActionStatus, FollowupStatus, Strategy
from riskmotor.imports import KeyLocation, Pseudonymiser
from riskmotor.persistence.database import engine_for
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.reports.audit import AuditQuery
from riskmotor.services import (
    access,
    audit,
    changes,
    demo,
    deviations,
    egenkontroll,
    exports,
    organisation,
    plan,
    pseudonym_key,
    scenarios,
    workshop,
)
from riskmotor.simulation import simulate
from tests.integration.test_egenkontroll import case_list

PSEUDONYMISER = Pseudonymiser(b"transaction-count-test-secret-00")
TEST_KEY = KeyLocation(
    Path("/nonexistent/pseudonym.key"), b"transaction-count-test-secret-00".hex()
)
EXAMPLE_DEVIATIONS = Path(__file__).resolve().parents[2] / "catalogs/exempeldata"
SCENARIO_FILE = (
    Path(__file__).resolve().parents[2] / "catalogs/scenarier/utredning-barn-och-unga.yaml"
)


@dataclass
class World:
    """Ids of a database with every kind of row, and the means to open units of work."""

    url: str
    catalog: Catalog
    out: Path
    namnd_id: int
    analysis_id: int
    risk_id: int
    participant_id: int
    plan_id: int
    plan_risk_id: int
    control_id: int
    action_id: int
    ek_plan_id: int
    draw_id: int
    scenario_id: int
    run_id: int
    deviation_id: int

    def uow(self) -> UnitOfWork:
        return UnitOfWork(engine_for(self.url), "transaktionstest")

    def risk(self) -> Any:
        with self.uow() as tx:
            return tx.risks.get(self.risk_id)

    def version(self, repository: str, item_id: int) -> int:
        with self.uow() as tx:
            return int(getattr(tx, repository).get(item_id).version)


def _populate(url: str, catalog: Catalog, out: Path) -> World:
    def uow() -> UnitOfWork:
        return UnitOfWork(engine_for(url), "förberedelse")

    loaded = demo.load_demo(uow(), catalog)
    risks = workshop.list_risks(uow(), catalog, loaded.analysis_id)
    people = workshop.participants(uow(), loaded.analysis_id)
    proposed = plan.propose(uow(), catalog, loaded.namnd_id, 2027)
    assert proposed.id is not None
    included = plan.view(uow(), catalog, proposed.id).included[0].plan_risk
    assert included.id is not None
    control = plan.add_control(
        uow(),
        {
            "plan_risk_id": included.id,
            "control_activity": "Granska akter",
            "control_method": "stickprov",
            "frequency": "tertial",
            "responsible": "Enhetschef",
            "timing": "Varje tertial",
        },
    )
    action = plan.add_action(
        uow(), {"plan_risk_id": included.id, "what": "Ny rutin", "owner": "Enhetschef"}
    )
    ek_plan = egenkontroll.plan_egenkontroll(
        uow(),
        catalog,
        {
            "namnd_id": loaded.namnd_id,
            "year": 2027,
            "name": "Aktgranskning",
            "control_keys": ["delaktighet"],
            "confidence": 0.95,
            "tolerable_rate": 0.05,
            "expected_rate": 0.0,
            "reserve_size": 2,
            "stratify_by_unit": True,
        },
    )
    drawn = egenkontroll.draw(
        uow(),
        ek_plan.id or 0,
        case_list({"Enhet A": 40, "Enhet B": 20}),
        "arenden.csv",
        "2027-T1",
        7,
        pseudonymiser=PSEUDONYMISER,
    )
    saved = scenarios.scenarios(uow(), loaded.namnd_id)[0]
    result = simulate(scenarios.load_scenario_file(SCENARIO_FILE), replications=50, seed=1)
    run = scenarios.record_run(
        uow(), result, catalog.scale("standard-4x4"), scenario_id=saved.id, risk_id=risks[0].id
    )
    with uow() as tx:
        deviation = tx.deviations.for_namnd(loaded.namnd_id)[0]
    return World(
        url=url,
        catalog=catalog,
        out=out,
        namnd_id=loaded.namnd_id,
        analysis_id=loaded.analysis_id,
        risk_id=risks[0].id,
        participant_id=people[0].id or 0,
        plan_id=proposed.id,
        plan_risk_id=included.id,
        control_id=control.id or 0,
        action_id=action.id or 0,
        ek_plan_id=ek_plan.id or 0,
        draw_id=drawn.id or 0,
        scenario_id=saved.id or 0,
        run_id=run.id or 0,
        deviation_id=deviation.id or 0,
    )


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> tuple[Path, World]:
    folder = tmp_path_factory.mktemp("transaktioner")
    database = folder / "mall.db"
    world = _populate(f"sqlite:///{database}", catalog, folder)
    engine_for(world.url).dispose()
    return database, world


@pytest.fixture
def world(template: tuple[Path, World], tmp_path: Path) -> World:
    source, populated = template
    copy = tmp_path / "riskmotor.db"
    shutil.copyfile(source, copy)
    return World(**{**populated.__dict__, "url": f"sqlite:///{copy}", "out": tmp_path})


@pytest.fixture
def transactions() -> Iterator[list[int]]:
    begun: list[int] = []

    def count(*_: object) -> None:
        begun.append(1)

    event.listen(Session, "after_begin", count)
    yield begun
    event.remove(Session, "after_begin", count)


def _title(world: World) -> str:
    return str(world.risk().title)


Row = Callable[[World], object]

USE_CASES: dict[str, Row] = {
    # audit, demo, organisation
    "audit.audit_log": lambda w: audit.audit_log(w.uow(), analysis_id=w.analysis_id),
    "changes.change_stamp": lambda w: changes.change_stamp(w.uow()),
    "audit.audit_filters": lambda w: audit.audit_filters(w.uow()),
    "audit.audit_view": lambda w: audit.audit_view(w.uow(), AuditQuery(entity="risk")),
    "audit.verify_audit_log": lambda w: audit.verify_audit_log(w.uow()),
    "demo.load_demo": lambda w: demo.load_demo(w.uow(), w.catalog),
    "organisation.create_namnd": lambda w: organisation.create_namnd(w.uow(), "Ny kommun", "SN"),
    "organisation.list_namnder": lambda w: organisation.list_namnder(w.uow()),
    # access (roles per nämnd)
    "access.grant": lambda w: access.grant(
        w.uow(), email="ny@kommun.se", role=Role.REDAKTOR, namnd_id=w.namnd_id
    ),
    "access.bootstrap_administrator": lambda w: access.bootstrap_administrator(
        w.uow(), email="chef@kommun.se", namnd_id=w.namnd_id
    ),
    "access.revoke": lambda w: (  # on a shared database: by a logged-in administrator
        access.bootstrap_administrator(w.uow(), email="chef@kommun.se", namnd_id=w.namnd_id)
        and access.revoke(
            UnitOfWork(
                engine_for(w.url), Identity.login(subject="c", name="C", email="chef@kommun.se")
            ),
            email="chef@kommun.se",
            namnd_id=w.namnd_id,
        )
    ),
    "access.list_grants": lambda w: access.list_grants(w.uow(), w.namnd_id),
    "access.my_roles": lambda w: access.my_roles(w.uow()),
    "access.is_shared": lambda w: access.is_shared(w.uow()),
    "organisation.namnd_named": lambda w: organisation.namnd_named(w.uow(), "Socialnämnden"),
    "organisation.units_below": lambda w: organisation.units_below(
        w.uow(), w.namnd_id, UnitKind.ENHET
    ),
    # workshop
    "workshop.create_analysis": lambda w: workshop.create_analysis(
        w.uow(), w.catalog, w.namnd_id, 2031
    ),
    "workshop.find_analysis": lambda w: workshop.find_analysis(w.uow(), "Socialnämnden", 2027),
    "workshop.analyses_for": lambda w: workshop.analyses_for(w.uow(), w.namnd_id),
    "workshop.check_scales_in_use": lambda w: workshop.check_scales_in_use(w.uow(), w.catalog),
    "workshop.chosen_or_default_analysis": lambda w: workshop.chosen_or_default_analysis(
        w.uow(), None
    ),
    "workshop.get_analysis": lambda w: workshop.get_analysis(w.uow(), w.analysis_id),
    "workshop.update_analysis": lambda w: workshop.update_analysis(
        w.uow(),
        w.catalog,
        workshop.get_analysis(w.uow(), w.analysis_id).model_copy(update={"title": "Ny titel"}),
    ),
    "workshop.participants": lambda w: workshop.participants(w.uow(), w.analysis_id),
    "workshop.add_participant": lambda w: workshop.add_participant(
        w.uow(), w.analysis_id, "Ny Deltagare", "Enhetschef"
    ),
    "workshop.update_participant": lambda w: workshop.update_participant(
        w.uow(),
        workshop.participants(w.uow(), w.analysis_id)[0].model_copy(update={"role": "Chef"}),
    ),
    "workshop.remove_participant": lambda w: workshop.remove_participant(
        w.uow(), w.participant_id, w.version("participants", w.participant_id)
    ),
    "workshop.add_risk": lambda w: workshop.add_risk(
        w.uow(), w.catalog, {"analysis_id": w.analysis_id, "title": "Helt ny risk"}
    ),
    "workshop.add_risk_from_template": lambda w: workshop.add_risk_from_template(
        w.uow(),
        w.catalog,
        w.analysis_id,
        w.catalog.templates[0].key,
        title="Mallrisk med egen rubrik",
    ),
    "workshop.get_risk": lambda w: workshop.get_risk(w.uow(), w.risk_id),
    "workshop.update_risk": lambda w: workshop.update_risk(
        w.uow(), w.catalog, w.risk().model_copy(update={"description": "Ändrad"})
    ),
    "workshop.delete_risk": lambda w: workshop.delete_risk(
        w.uow(), w.risk_id, w.version("risks", w.risk_id)
    ),
    "workshop.restore_risk": lambda w: workshop.restore_risk(
        w.uow(), w.catalog, workshop.delete_risk(w.uow(), w.risk_id, w.version("risks", w.risk_id))
    ),
    "workshop.list_risks": lambda w: workshop.list_risks(w.uow(), w.catalog, w.analysis_id),
    "workshop.cast_vote": lambda w: workshop.cast_vote(
        w.uow(), w.catalog, w.risk_id, w.participant_id, 2, 2
    ),
    "workshop.votes_for_analysis": lambda w: workshop.votes_for_analysis(w.uow(), w.analysis_id),
    "workshop.confirm_assessment": lambda w: workshop.confirm_assessment(
        w.uow(), w.catalog, w.risk_id, 2, 3, w.version("risks", w.risk_id)
    ),
    "workshop.confirm_undisputed": lambda w: workshop.confirm_undisputed(
        w.uow(), w.catalog, w.analysis_id
    ),
    "workshop.confirm_all": lambda w: workshop.confirm_all(w.uow(), w.catalog, w.analysis_id),
    # scenarios
    "scenarios.scenarios": lambda w: scenarios.scenarios(w.uow(), w.namnd_id),
    "scenarios.save_scenario": lambda w: scenarios.save_scenario(
        w.uow(),
        Scenario.model_validate(
            {
                **scenarios.scenarios(w.uow(), w.namnd_id)[0].model_dump(exclude={"id"}),
                "name": "Kopia",
                "version": 0,
            }
        ),
    ),
    "scenarios.record_run": lambda w: scenarios.record_run(
        w.uow(),
        simulate(scenarios.load_scenario_file(SCENARIO_FILE), replications=20, seed=2),
        w.catalog.scale("standard-4x4"),
        scenario_id=w.scenario_id,
    ),
    "scenarios.runs_for_scenario": lambda w: scenarios.runs_for_scenario(w.uow(), w.scenario_id),
    "scenarios.get_run": lambda w: scenarios.get_run(w.uow(), w.run_id),
    "scenarios.apply_likelihood": lambda w: scenarios.apply_likelihood(
        w.uow(), w.catalog, w.run_id, w.risk_id, w.version("risks", w.risk_id)
    ),
    "scenarios.evidence_for": lambda w: scenarios.evidence_for(w.uow(), w.risk_id),
    # plan
    "plan.propose": lambda w: plan.propose(w.uow(), w.catalog, w.namnd_id, 2027, top_n=30),
    "plan.set_override": lambda w: plan.set_override(
        w.uow(), w.catalog, w.plan_risk_id, False, "Hanteras i annan plan"
    ),
    "plan.set_must_include": lambda w: plan.set_must_include(
        w.uow(), w.catalog, w.plan_risk_id, True, "Kommunstyrelsens beslut"
    ),
    "plan.set_treatment": lambda w: plan.set_treatment(
        w.uow(), w.catalog, w.plan_risk_id, Strategy.REDUCERA, 1, 2
    ),
    "plan.add_control": lambda w: plan.add_control(
        w.uow(),
        {
            "plan_risk_id": w.plan_risk_id,
            "control_activity": "Ny kontroll",
            "control_method": "genomgång",
            "frequency": "år",
            "responsible": "A",
            "timing": "December",
        },
    ),
    "plan.update_control": lambda w: plan.update_control(
        w.uow(), _control(w).model_copy(update={"responsible": "Avdelningschef"})
    ),
    "plan.delete_control": lambda w: plan.delete_control(
        w.uow(), w.control_id, _control(w).version
    ),
    "plan.add_action": lambda w: plan.add_action(
        w.uow(), {"plan_risk_id": w.plan_risk_id, "what": "Utbildning", "owner": "B"}
    ),
    "plan.delete_action": lambda w: plan.delete_action(
        w.uow(), w.action_id, w.version("plan_actions", w.action_id)
    ),
    "plan.add_catalog_suggestions": lambda w: plan.add_catalog_suggestions(
        w.uow(), w.catalog, w.plan_id
    ),
    "plan.save_controls": lambda w: plan.save_controls(
        w.uow(),
        w.plan_risk_id,
        [
            {**_control(w).model_dump(exclude={"version"}), "responsible": "Avdelningschef"},
            {"control_activity": "Ny rad", "control_method": "enkät", "frequency": "år"},
        ],
        {w.control_id: _control(w).version},
    ),
    "plan.save_actions": lambda w: plan.save_actions(
        w.uow(),
        w.plan_risk_id,
        [{"what": "Ersätter den gamla åtgärden", "owner": "C"}],
        {w.action_id: w.version("plan_actions", w.action_id)},
    ),
    "plan.set_opinion": lambda w: plan.set_opinion(w.uow(), w.plan_id, "Förvaltningen anser …"),
    "plan.record_control_followup": lambda w: plan.record_control_followup(
        w.uow(), w.catalog, w.control_id, "2027-T1", status=FollowupStatus.GRON
    ),
    "plan.set_action_status": lambda w: plan.set_action_status(
        w.uow(), w.action_id, ActionStatus.PAGAR
    ),
    "plan.record_risk_followup": lambda w: plan.record_risk_followup(
        w.uow(), w.catalog, w.plan_risk_id, "2027-T1", 2, 2
    ),
    "plan.followup_summary": lambda w: plan.followup_summary(
        w.uow(), w.catalog, w.plan_id, "2027-T1"
    ),
    "plan.record_followup": lambda w: plan.record_followup(
        w.uow(), w.catalog, w.plan_id, "2027-T1"
    ),
    "plan.submit": lambda w: _submittable(w) and plan.submit(w.uow(), w.catalog, w.plan_id),
    "plan.withdraw": lambda w: _submitted(w) and plan.withdraw(w.uow(), w.plan_id),
    "plan.approve": lambda w: (
        _submittable(w)
        and plan.approve(w.uow(), w.catalog, w.plan_id, date(2027, 2, 20), "§ 12", "SN 2027/14")
    ),
    "plan.current_plan": lambda w: plan.current_plan(w.uow(), w.namnd_id, 2027),
    "plan.find_plan": lambda w: plan.find_plan(w.uow(), "Socialnämnden", 2027),
    "plan.find_plan_view": lambda w: plan.find_plan_view(w.uow(), w.catalog, "Socialnämnden", 2027),
    "plan.find_plan_risk": lambda w: plan.find_plan_risk(
        w.uow(), "Socialnämnden", 2027, _plan_risk(w).risk_id
    ),
    "plan.view": lambda w: plan.view(w.uow(), w.catalog, w.plan_id),
    "plan.versions": lambda w: plan.versions(w.uow(), w.namnd_id, 2027),
    "plan.new_version": lambda w: _approved(w) and plan.new_version(w.uow(), w.plan_id),
    "plan.copy_to_next_year": lambda w: plan.copy_to_next_year(w.uow(), w.catalog, w.plan_id),
    "plan.diff": lambda w: plan.diff(w.uow(), w.catalog, w.plan_id),
    # egenkontroll
    "egenkontroll.plan_egenkontroll": lambda w: egenkontroll.plan_egenkontroll(
        w.uow(),
        w.catalog,
        {
            "namnd_id": w.namnd_id,
            "year": 2027,
            "name": "Ytterligare plan",
            "control_keys": ["delaktighet"],
            "confidence": 0.9,
            "tolerable_rate": 0.1,
            "expected_rate": 0.0,
        },
    ),
    "egenkontroll.plans": lambda w: egenkontroll.plans(w.uow(), w.namnd_id, 2027),
    "egenkontroll.draw": lambda w: egenkontroll.draw(
        w.uow(),
        w.ek_plan_id,
        case_list({"Enhet A": 30}, start=date(2027, 5, 2)),
        "arenden.csv",
        "2027-T2",
        9,
        pseudonymiser=PSEUDONYMISER,
    ),
    "egenkontroll.draws": lambda w: egenkontroll.draws(w.uow(), w.ek_plan_id),
    "egenkontroll.sampled_cases": lambda w: egenkontroll.sampled_cases(w.uow(), w.draw_id),
    "egenkontroll.checklist_workbook": lambda w: egenkontroll.checklist_workbook(
        w.uow(), w.catalog, w.draw_id, "Socialnämnden"
    ),
    "egenkontroll.import_checklist": lambda w: egenkontroll.import_checklist(
        w.uow(),
        w.catalog,
        w.draw_id,
        egenkontroll.checklist_workbook(w.uow(), w.catalog, w.draw_id, "Socialnämnden"),
    ),
    "egenkontroll.answer_counts": lambda w: egenkontroll.answer_counts(w.uow(), w.draw_id),
    "egenkontroll.evaluate": lambda w: egenkontroll.evaluate(w.uow(), w.catalog, w.draw_id),
    "egenkontroll.trend": lambda w: egenkontroll.trend(w.uow(), w.catalog, w.ek_plan_id),
    "egenkontroll.record_draw": lambda w: egenkontroll.record_draw(
        w.uow(),
        w.catalog,
        "Socialnämnden",
        _file(w, "csv", case_list({"Enhet A": 30}, start=date(2027, 9, 2))),
        pseudonymiser=PSEUDONYMISER,
        size=10,
        seed=5,
        period="2027-T3",
        stratify=True,
        reserve=2,
        control_keys=["delaktighet"],
        out=w.out / f"{uuid.uuid4().hex}.xlsx",
    ),
    "egenkontroll.evaluate_checklist": lambda w: egenkontroll.evaluate_checklist(
        w.uow(),
        w.catalog,
        _file(
            w,
            "xlsx",
            egenkontroll.checklist_workbook(w.uow(), w.catalog, w.draw_id, "Socialnämnden"),
        ),
    ),
    # deviations
    "deviations.namnd_id": lambda w: deviations.namnd_id(w.uow(), "Socialnämnden"),
    "deviations.years": lambda w: deviations.years(w.uow(), w.namnd_id),
    "deviations.summary": lambda w: deviations.summary(w.uow(), w.catalog, w.namnd_id, 2023),
    "deviations.monthly_counts": lambda w: deviations.monthly_counts(
        w.uow(), w.catalog, w.namnd_id, 2023
    ),
    "deviations.tertial_counts": lambda w: deviations.tertial_counts(
        w.uow(), w.catalog, w.namnd_id, 2023
    ),
    "deviations.compare_periods": lambda w: deviations.compare_periods(
        w.uow(), w.catalog, w.namnd_id, "2023-T1", "2023-T2"
    ),
    "deviations.top_causes": lambda w: deviations.top_causes(w.uow(), w.catalog, w.namnd_id, 2023),
    "deviations.export_rows": lambda w: deviations.export_rows(w.uow(), w.namnd_id, 2023),
    "deviations.import_deviations": lambda w: deviations.import_deviations(
        w.uow(),
        w.catalog,
        w.namnd_id,
        EXAMPLE_DEVIATIONS / "avvikelser-2023.csv",
        "avvikelser-2023.csv",
    ),
    "deviations.preview_import": lambda w: deviations.preview_import(
        w.uow(),
        w.catalog,
        w.namnd_id,
        EXAMPLE_DEVIATIONS / "avvikelser-2023.csv",
        "avvikelser-2023.csv",
    ),
    "deviations.link_to_risk": lambda w: deviations.link_to_risk(
        w.uow(), w.risk_id, [w.deviation_id]
    ),
    "deviations.risk_evidence": lambda w: deviations.risk_evidence(w.uow(), w.catalog, w.risk_id),
    # pseudonym key
    "pseudonym_key.open_key": lambda w: pseudonym_key.open_key(w.uow(), TEST_KEY),
    "pseudonym_key.key_status": lambda w: pseudonym_key.key_status(w.uow(), TEST_KEY),
    "pseudonym_key.create": lambda w: pseudonym_key.create(
        w.uow(), KeyLocation(w.out / f"{uuid.uuid4().hex}.key")
    ),
    "pseudonym_key.export": lambda w: pseudonym_key.export(
        w.uow(), TEST_KEY, w.out / f"{uuid.uuid4().hex}.bak"
    ),
    "deviations.create_risk_from_pattern": lambda w: deviations.create_risk_from_pattern(
        w.uow(),
        w.catalog,
        w.analysis_id,
        deviations.top_causes(w.uow(), w.catalog, w.namnd_id, 2023)[0].cause,
        "Mönster i avvikelserna",
    ),
    # exports
    "exports.export_overview": lambda w: exports.export_overview(w.uow(), w.namnd_id, 2027),
    "exports.export_excel": lambda w: exports.export_excel(
        w.uow(), w.catalog, "Socialnämnden", 2027, w.out / "plan.xlsx"
    ),
    "exports.export_package": lambda w: (
        _submitted(w)
        and exports.export_package(w.uow(), w.catalog, "Socialnämnden", 2027, w.out / "paket")
    ),
    "exports.verify_package": lambda w: exports.verify_package(w.uow(), _package(w)),
    "exports.export_kvalitetsberattelse": lambda w: exports.export_kvalitetsberattelse(
        w.uow(), w.catalog, "Socialnämnden", 2027, w.out / "kb.docx"
    ),
}


def _file(world: World, suffix: str, content: bytes) -> Path:
    path = world.out / f"{uuid.uuid4().hex}.{suffix}"
    path.write_bytes(content)
    return path


def _control(world: World) -> Any:
    with world.uow() as tx:
        return tx.plan_controls.get(world.control_id)


def _plan_risk(world: World) -> Any:
    with world.uow() as tx:
        return tx.plan_risks.get(world.plan_risk_id)


def _submittable(world: World) -> bool:
    """Confirm every included risk's assessment and give it a kontrollmoment with ansvarig
    and tidpunkt (preparation, not counted)."""
    for view in plan.view(world.uow(), world.catalog, world.plan_id).included:
        if not view.risk.confirmed:
            workshop.confirm_assessment(
                world.uow(),
                world.catalog,
                view.risk.id,
                view.risk.likelihood or 1,
                view.risk.consequence or 1,
                view.risk.version,
            )
        if not view.controls and view.plan_risk.id is not None:
            plan.add_control(
                world.uow(),
                {
                    "plan_risk_id": view.plan_risk.id,
                    "control_activity": "Granska akter",
                    "control_method": "stickprov",
                    "frequency": "tertial",
                    "responsible": "Enhetschef",
                    "timing": "Varje tertial",
                },
            )
    return True


def _package(world: World) -> Path:
    """An approval package of the plan sent for decision (preparation, not counted)."""
    _submitted(world)
    return exports.export_package(
        world.uow(), world.catalog, "Socialnämnden", 2027, world.out / "paket"
    ).folder


def _submitted(world: World) -> bool:
    _submittable(world)
    plan.submit(world.uow(), world.catalog, world.plan_id)
    return True


def _approved(world: World) -> bool:
    _submittable(world)
    plan.approve(world.uow(), world.catalog, world.plan_id, date(2027, 2, 20), "§ 12", "SN 1")
    return True


def public_use_cases() -> set[str]:
    found: set[str] = set()
    for info in pkgutil.walk_packages(riskmotor.services.__path__, "riskmotor.services."):
        module = importlib.import_module(info.name)
        capability = info.name.split(".")[2]
        for name, function in vars(module).items():
            if (
                inspect.isfunction(function)
                and function.__module__ == module.__name__
                and not name.startswith("_")
                and next(iter(inspect.signature(function).parameters), None) == "uow"
            ):
                found.add(f"{capability}.{name}")
    return found


def test_every_use_case_has_a_row() -> None:
    found = public_use_cases()
    assert sorted(found - set(USE_CASES)) == [], "use cases without a row"
    assert sorted(set(USE_CASES) - found) == [], "rows for functions that are not use cases"


@pytest.mark.parametrize("name", sorted(USE_CASES))
def test_use_case_runs_in_one_transaction(name: str, world: World, transactions: list[int]) -> None:
    row = USE_CASES[name]
    # Preparation (reading versions, giving risks controls) happens inside the row's
    # helpers; count only the use case itself by wrapping it.
    capability, function_name = name.split(".")
    module = getattr(riskmotor.services, capability)
    use_case = getattr(module, function_name)
    counted: list[int] = []

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        before = len(transactions)
        try:
            return use_case(*args, **kwargs)
        finally:
            counted.append(len(transactions) - before)

    setattr(module, function_name, wrapped)
    try:
        row(world)
    finally:
        setattr(module, function_name, use_case)
    assert counted, f"the row for {name} never called it"
    assert counted[-1] == 1, f"{name} ran in {counted[-1]} transactions"
