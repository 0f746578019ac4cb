"""Deleting a risk can be undone: the risk comes back with its votes and its evidence."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from riskmotor.catalogs import Catalog
from riskmotor.domain.models import RiskAnalysis
from riskmotor.errors import DuplicateError
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.services import audit, deviations, organisation, workshop
from tests.integration.test_deviations import DEMO_FILE

UowFactory = Callable[..., UnitOfWork]


@pytest.fixture
def analysis(uow_factory: UowFactory, catalog: Catalog) -> RiskAnalysis:
    namnd = organisation.create_namnd(uow_factory(), "Testkommun", "Socialnämnden")
    assert namnd.id is not None
    return workshop.create_analysis(uow_factory(), catalog, namnd.id, 2027)


def _risk_with_votes(uow_factory: UowFactory, catalog: Catalog, analysis_id: int) -> int:
    risk = workshop.add_risk(
        uow_factory(),
        catalog,
        {"analysis_id": analysis_id, "title": "Vakanser", "causes": "Svårt att rekrytera"},
    )
    for name, score in (("Anna", 4), ("Bo", 2)):
        person = workshop.add_participant(uow_factory(), analysis_id, name, "Chef")
        assert person.id is not None
        workshop.cast_vote(uow_factory(), catalog, risk.id, person.id, score, score)
    return risk.id


def test_delete_then_restore_brings_back_risk_votes_and_evidence(
    uow_factory: UowFactory, catalog: Catalog, analysis: RiskAnalysis
) -> None:
    assert analysis.id is not None
    risk_id = _risk_with_votes(uow_factory, catalog, analysis.id)
    deviations.import_deviations(
        uow_factory(), catalog, analysis.namnd_id, DEMO_FILE, DEMO_FILE.name
    )
    deviations.link_to_risk(uow_factory(), risk_id, cause_group="Hög arbetsbelastning")
    before = workshop.list_risks(uow_factory(), catalog, analysis.id)[0]

    deleted = workshop.delete_risk(uow_factory("Anna"), risk_id, before.version)
    assert workshop.list_risks(uow_factory(), catalog, analysis.id) == []
    assert workshop.votes_for_analysis(uow_factory(), analysis.id) == []

    restored = workshop.restore_risk(uow_factory("Anna"), catalog, deleted)

    after = workshop.list_risks(uow_factory(), catalog, analysis.id)
    assert [r.id for r in after] == [restored.id]
    assert restored.title == "Vakanser" and restored.causes == "Svårt att rekrytera"
    assert restored.votes == 2
    assert (restored.likelihood, restored.consequence) == (before.likelihood, before.consequence)
    evidence = deviations.risk_evidence(uow_factory(), catalog, restored.id)
    assert evidence.cause_groups == ["Hög arbetsbelastning"]


def test_the_audit_log_tells_the_delete_and_the_undo(
    uow_factory: UowFactory, catalog: Catalog, analysis: RiskAnalysis
) -> None:
    assert analysis.id is not None
    risk_id = _risk_with_votes(uow_factory, catalog, analysis.id)
    risk = workshop.get_risk(uow_factory(), risk_id)
    deleted = workshop.delete_risk(uow_factory("Anna"), risk_id, risk.version)
    restored = workshop.restore_risk(uow_factory("Bo"), catalog, deleted)

    entries = audit.audit_log(uow_factory(), analysis_id=analysis.id)
    risk_rows = [(e.actor, e.action, e.entity_id) for e in entries if e.entity == "risk"]
    assert ("Anna", "delete", risk_id) in risk_rows
    assert ("Bo", "create", restored.id) in risk_rows


def test_votes_of_a_participant_removed_since_are_left_out(
    uow_factory: UowFactory, catalog: Catalog, analysis: RiskAnalysis
) -> None:
    assert analysis.id is not None
    risk_id = _risk_with_votes(uow_factory, catalog, analysis.id)
    deleted = workshop.delete_risk(
        uow_factory(), risk_id, workshop.get_risk(uow_factory(), risk_id).version
    )
    bo = next(p for p in workshop.participants(uow_factory(), analysis.id) if p.name == "Bo")
    assert bo.id is not None
    workshop.remove_participant(uow_factory(), bo.id, bo.version)

    restored = workshop.restore_risk(uow_factory(), catalog, deleted)
    assert restored.votes == 1


def test_restore_refuses_when_the_title_is_taken_again(
    uow_factory: UowFactory, catalog: Catalog, analysis: RiskAnalysis
) -> None:
    assert analysis.id is not None
    risk_id = _risk_with_votes(uow_factory, catalog, analysis.id)
    deleted = workshop.delete_risk(
        uow_factory(), risk_id, workshop.get_risk(uow_factory(), risk_id).version
    )
    workshop.add_risk(uow_factory(), catalog, {"analysis_id": analysis.id, "title": "Vakanser"})

    with pytest.raises(DuplicateError):
        workshop.restore_risk(uow_factory(), catalog, deleted)
    assert len(workshop.list_risks(uow_factory(), catalog, analysis.id)) == 1


def test_the_process_of_a_risk_can_be_changed(
    uow_factory: UowFactory, catalog: Catalog, analysis: RiskAnalysis
) -> None:
    assert analysis.id is not None
    template = catalog.templates[0]
    created = workshop.add_risk_from_template(uow_factory(), catalog, analysis.id, template.key)
    other = next(p for p in catalog.processes if p.key != template.process)
    risk = workshop.get_risk(uow_factory(), created.id)

    workshop.update_risk(uow_factory(), catalog, risk.model_copy(update={"process": other.key}))

    changed = workshop.get_risk(uow_factory(), created.id)
    assert changed.process == other.key
    # an activity of the old process does not stay behind under the new one
    assert changed.activity in {"", *(a.key for a in other.activities)}
