"""Use cases for capacity scenarios: save, run with evidence, and apply to a risk."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from riskmotor.catalogs import Catalog
from riskmotor.domain import scoring
from riskmotor.domain.catalog import Scale
from riskmotor.domain.models import Scenario, SimulationRun
from riskmotor.errors import InvalidInputError, NotFoundError
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.simulation import (
    CapacityScenario,
    ComparisonResult,
    LikelihoodSuggestion,
    SimulationResult,
    compare_results,
    simulate,
    suggest_likelihood,
    validation_messages,
    warm_up,
)

DEFAULT_SCENARIO: dict[str, Any] = {
    "name": "Utredningsenheten barn och unga",
    "horizon_days": 365,
    "warmup_days": 0,
    "initial_backlog": 0,
    "arrivals": {"per_month": 40},
    "case_duration_days": {"distribution": "lognormal", "mean": 78, "cv": 0.35},
    "staffing": {
        "positions": 10,
        "caseload_per_worker": 12,
        "vacant_at_start": 2,
        "annual_turnover": 0.25,
        "recruitment_days": {"distribution": "gamma", "mean": 90, "cv": 0.5},
        "ramp_up_days": 60,
        "ramp_up_capacity": 0.5,
        "sick_leave_rate": 0.08,
        "consultants": [{"count": 2, "from_day": 0, "to_day": 180}],
    },
    "deadline_days": 120,
    "event": {"breach_share_above": 0.10},
}


def validate_spec(spec: dict[str, Any], source: str = "scenario") -> CapacityScenario:
    """The scenario model, or InvalidInputError listing every field problem in Swedish."""
    try:
        return CapacityScenario.model_validate(spec)
    except ValidationError as exc:
        raise InvalidInputError(f"{source}: " + "; ".join(validation_messages(exc))) from None


def load_scenario_file(path: Path) -> CapacityScenario:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InvalidInputError(f"{path}: kan inte läsas ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" rad {mark.line + 1}" if mark else ""
        raise InvalidInputError(f"{path}:{where}: ogiltig YAML") from None
    if not isinstance(raw, dict):
        raise InvalidInputError(f"{path}: scenariot ska vara en mappning med nycklar")
    return validate_spec(raw, str(path))


def run(
    spec: dict[str, Any],
    replications: int,
    seed: int,
    progress: Callable[[float], None] | None = None,
) -> SimulationResult:
    scenario = validate_spec(spec)
    if replications < 1:
        raise InvalidInputError("Antal replikeringar måste vara minst 1.")
    return simulate(scenario, replications=replications, seed=seed, progress=progress)


def prepare_engine(notify: Callable[[str], object]) -> bool:
    """Compile the simulation kernel before the first run of a process; ``notify`` gets a
    Swedish notice first when that takes a while. Returns whether it compiled."""
    return warm_up(notify)


def suggestion(result: SimulationResult, scale: Scale) -> LikelihoodSuggestion:
    """The scale's probability bands applied to the simulated event probability."""
    summary = result.summary
    scenario = result.scenario
    return suggest_likelihood(
        summary["event_probability"],
        summary["event_probability_ci"],
        scale.likelihood,
        window_days=scenario.horizon_days - scenario.warmup_days,
    )


def compare(results: list[SimulationResult]) -> list[ComparisonResult]:
    """Each scenario against the first, pairwise on common random numbers."""
    return [compare_results(results[0], other) for other in results[1:]]


# persistence ---------------------------------------------------------------------------


def scenarios(uow: UnitOfWork, namnd_id: int) -> list[Scenario]:
    with uow:
        return uow.scenarios.for_namnd(namnd_id)


def save_scenario(uow: UnitOfWork, scenario: Scenario) -> Scenario:
    """Create or update a saved scenario; the spec is validated before anything is written."""
    validate_spec(scenario.spec)
    with uow:
        clash = uow.scenarios.find(scenario.namnd_id, scenario.name)
        if clash and clash.id != scenario.id:
            raise InvalidInputError(f"Det finns redan ett scenario som heter {scenario.name!r}.")
        stored = (
            uow.scenarios.add(scenario) if scenario.id is None else uow.scenarios.update(scenario)
        )
        uow.commit()
        return stored


def record_run(
    uow: UnitOfWork,
    result: SimulationResult,
    scale: Scale,
    *,
    scenario_id: int | None = None,
    risk_id: int | None = None,
) -> SimulationRun:
    """Keep a run as evidence: the exact scenario, seed, versions and summary."""
    suggested = suggestion(result, scale)
    with uow:
        stored = uow.simulation_runs.add(_run_record(uow, result, suggested, scenario_id, risk_id))
        uow.commit()
        return stored


def _run_record(
    tx: UnitOfWork,
    result: SimulationResult,
    suggested: LikelihoodSuggestion,
    scenario_id: int | None,
    risk_id: int | None,
) -> SimulationRun:
    return SimulationRun(
        scenario_id=scenario_id,
        risk_id=risk_id,
        scenario_name=result.scenario.name,
        spec=result.scenario.model_dump(mode="json", exclude_none=True),
        seed=result.seed,
        replications=result.replications,
        summary=result.summary,
        backlog_fan=result.backlog_fan,
        numpy_version=result.numpy_version,
        riskmotor_version=result.riskmotor_version,
        created_at=tx.clock.now(),
        created_by=tx.actor,
        # 0 records "no suggestion" (the window was not a year); the text says why.
        suggested_level=suggested.level or 0,
        straddles=suggested.straddles,
        suggestion_text=suggested.message,
    )


def runs_for_scenario(uow: UnitOfWork, scenario_id: int) -> list[SimulationRun]:
    with uow:
        return uow.simulation_runs.for_scenario(scenario_id)


def get_run(uow: UnitOfWork, run_id: int) -> SimulationRun:
    with uow:
        return uow.simulation_runs.get(run_id)


def apply_likelihood(
    uow: UnitOfWork,
    catalog: Catalog,
    run_id: int,
    risk_id: int,
    expected_version: int,
) -> tuple[int, int]:
    """Använd som sannolikhet: the run's suggested level becomes the risk's likelihood.

    The consequence stays as agreed; without an agreed one the participants' aggregate is
    used, and with neither the user is asked to assess the consequence first. The run is
    linked to the risk as evidence and every change is audit logged.
    """
    with uow:
        simulation = uow.simulation_runs.get(run_id)
        risk = uow.risks.get(risk_id)
        analysis = uow.analyses.get(risk.analysis_id)
        consequence = risk.inherent_consequence
        if consequence is None:
            aggregate = scoring.aggregate_votes(
                [v for v in uow.votes.for_analysis(analysis.id or 0) if v.risk_id == risk_id]
            )
            if aggregate is None:
                raise InvalidInputError(
                    f"Risken {risk.title!r} saknar bedömd konsekvens. Bedöm konsekvensen först."
                )
            consequence = aggregate[1]
        if simulation.suggested_level == 0:
            raise InvalidInputError(simulation.suggestion_text)
        scoring.check_score(catalog.scale(analysis.scale_key), simulation.suggested_level, 1)
        risk.version = expected_version
        risk.inherent_likelihood = simulation.suggested_level
        risk.inherent_consequence = consequence
        risk.likelihood_evidence_id = run_id
        uow.risks.update(risk)
        simulation.risk_id = risk_id
        simulation.applied = True
        uow.simulation_runs.update(simulation)
        uow.commit()
        return simulation.suggested_level, consequence


def evidence_for(uow: UnitOfWork, risk_id: int) -> SimulationRun | None:
    with uow:
        risk = uow.risks.get(risk_id)
        if risk.likelihood_evidence_id is None:
            return None
        try:
            return uow.simulation_runs.get(risk.likelihood_evidence_id)
        except NotFoundError:
            return None
