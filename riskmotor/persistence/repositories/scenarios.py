"""Capacity scenarios and simulation runs."""

from __future__ import annotations

from sqlalchemy import select

from riskmotor.domain.models import Scenario, SimulationRun
from riskmotor.persistence.orm import ScenarioRow, SimulationRunRow
from riskmotor.persistence.repositories.base import Repository, analysis_of_risk


class ScenarioRepository(Repository[Scenario, ScenarioRow]):
    entity = "scenario"
    domain_type = Scenario
    row_type = ScenarioRow

    def analysis_id_of(self, row: ScenarioRow) -> int | None:
        return analysis_of_risk(self.session, row.risk_id)

    def for_namnd(self, namnd_id: int) -> list[Scenario]:
        return self._all(
            select(ScenarioRow).where(ScenarioRow.namnd_id == namnd_id).order_by(ScenarioRow.name)
        )

    def find(self, namnd_id: int, name: str) -> Scenario | None:
        found = self._all(
            select(ScenarioRow).where(ScenarioRow.namnd_id == namnd_id, ScenarioRow.name == name)
        )
        return found[0] if found else None


class SimulationRunRepository(Repository[SimulationRun, SimulationRunRow]):
    entity = "simulation_run"
    domain_type = SimulationRun
    row_type = SimulationRunRow
    summary_field = "scenario_name"

    def analysis_id_of(self, row: SimulationRunRow) -> int | None:
        return analysis_of_risk(self.session, row.risk_id)

    def for_scenario(self, scenario_id: int) -> list[SimulationRun]:
        return self._all(
            select(SimulationRunRow)
            .where(SimulationRunRow.scenario_id == scenario_id)
            .order_by(SimulationRunRow.id.desc())
        )
