"""Capacity scenarios: saved, run as evidence and applied to a risk's likelihood."""

from __future__ import annotations

import copy
from collections.abc import Callable

import pytest

from riskmotor.catalogs import Catalog
from riskmotor.domain.models import Scenario
from riskmotor.errors import InvalidInputError
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.services import audit, demo, scenarios, workshop
from riskmotor.simulation import CapacityScenario

UowFactory = Callable[..., UnitOfWork]


@pytest.fixture
def demo_ids(uow_factory: UowFactory, catalog: Catalog) -> demo.DemoResult:
    return demo.load_demo(uow_factory(), catalog)


def test_demo_has_scenarios_linked_to_the_investigation_risk(
    uow_factory: UowFactory, catalog: Catalog, demo_ids: demo.DemoResult
) -> None:
    saved = scenarios.scenarios(uow_factory(), demo_ids.namnd_id)
    assert len(saved) == 2
    risk = workshop.get_risk(uow_factory(), saved[0].risk_id or 0)
    assert risk.title == demo.DEMO_SCENARIO_RISK
    for scenario in saved:
        CapacityScenario.model_validate(scenario.spec)


def test_invalid_spec_names_the_field_and_writes_nothing(
    uow_factory: UowFactory, demo_ids: demo.DemoResult
) -> None:
    spec = copy.deepcopy(scenarios.DEFAULT_SCENARIO)
    spec["staffing"]["consultants"] = [{"count": 1, "from_day": 100, "to_day": 50}]
    with pytest.raises(InvalidInputError, match="consultants"):
        scenarios.save_scenario(
            uow_factory(), Scenario(namnd_id=demo_ids.namnd_id, name="Fel", spec=spec)
        )
    names = [s.name for s in scenarios.scenarios(uow_factory(), demo_ids.namnd_id)]
    assert "Fel" not in names


def test_run_is_kept_as_evidence_and_applied_to_the_risk(
    uow_factory: UowFactory, catalog: Catalog, demo_ids: demo.DemoResult
) -> None:
    scale = catalog.scale()
    scenario = scenarios.scenarios(uow_factory(), demo_ids.namnd_id)[0]
    result = scenarios.run(scenario.spec, replications=400, seed=7)
    evidence = scenarios.record_run(
        uow_factory("Erik"), result, scale, scenario_id=scenario.id, risk_id=scenario.risk_id
    )
    assert evidence.seed == 7 and evidence.replications == 400
    assert evidence.summary["event_probability"] == result.summary["event_probability"]
    rerun = scenarios.run(evidence.spec, replications=400, seed=evidence.seed)
    assert rerun.summary["event_probability"] == result.summary["event_probability"]

    risk = workshop.get_risk(uow_factory(), scenario.risk_id or 0)
    level, consequence = scenarios.apply_likelihood(
        uow_factory("Erik"), catalog, evidence.id or 0, risk.id or 0, risk.version
    )
    expected = scenarios.suggestion(result, scale).level
    assert level == expected
    updated = workshop.get_risk(uow_factory(), risk.id or 0)
    assert updated.inherent_likelihood == expected
    assert updated.inherent_consequence == consequence
    assert updated.likelihood_evidence_id == evidence.id
    kept = scenarios.evidence_for(uow_factory(), risk.id or 0)
    assert kept is not None and kept.applied and kept.seed == 7
    changes = audit.audit_log(uow_factory(), entity="risk", entity_id=risk.id)
    assert any(
        e.field == "likelihood_evidence_id" and e.new == str(evidence.id) and e.actor == "Erik"
        for e in changes
    )


def test_applying_needs_a_consequence(
    uow_factory: UowFactory, catalog: Catalog, demo_ids: demo.DemoResult
) -> None:
    bare = workshop.add_risk(
        uow_factory(), catalog, {"analysis_id": demo_ids.analysis_id, "title": "Utan bedömning"}
    )
    result = scenarios.run(scenarios.DEFAULT_SCENARIO, replications=50, seed=1)
    evidence = scenarios.record_run(uow_factory(), result, catalog.scale())
    with pytest.raises(InvalidInputError, match="Bedöm konsekvensen först"):
        scenarios.apply_likelihood(uow_factory(), catalog, evidence.id or 0, bare.id, bare.version)
    assert workshop.get_risk(uow_factory(), bare.id).inherent_likelihood is None


def test_comparison_uses_common_random_numbers(catalog: Catalog) -> None:
    lean = scenarios.run(scenarios.DEFAULT_SCENARIO, replications=300, seed=3)
    reinforced_spec = copy.deepcopy(scenarios.DEFAULT_SCENARIO)
    reinforced_spec["staffing"]["positions"] = 14
    reinforced = scenarios.run(reinforced_spec, replications=300, seed=3)
    [comparison] = scenarios.compare([lean, reinforced])
    difference = comparison.summary["breach_share"]
    assert difference["difference_ci"][1] < 0  # more staff: fewer breaches, clearly
