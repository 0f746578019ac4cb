"""Egenkontroll: sampling plans, draws, sampled cases and checklist answers."""

from __future__ import annotations

from sqlalchemy import select

from riskmotor.domain.models import ChecklistAnswer, EgenkontrollPlan, SampledCase, SampleDraw
from riskmotor.persistence.orm import (
    ChecklistAnswerRow,
    EgenkontrollPlanRow,
    SampledCaseRow,
    SampleDrawRow,
)
from riskmotor.persistence.repositories.base import Repository, analysis_of_risk


class EgenkontrollPlanRepository(Repository[EgenkontrollPlan, EgenkontrollPlanRow]):
    entity = "egenkontroll_plan"
    domain_type = EgenkontrollPlan
    row_type = EgenkontrollPlanRow

    def analysis_id_of(self, row: EgenkontrollPlanRow) -> int | None:
        return analysis_of_risk(self.session, row.risk_id)

    def for_namnd(self, namnd_id: int, year: int) -> list[EgenkontrollPlan]:
        return self._all(
            select(EgenkontrollPlanRow)
            .where(EgenkontrollPlanRow.namnd_id == namnd_id, EgenkontrollPlanRow.year == year)
            .order_by(EgenkontrollPlanRow.name)
        )

    def find(self, namnd_id: int, year: int, name: str) -> EgenkontrollPlan | None:
        found = [plan for plan in self.for_namnd(namnd_id, year) if plan.name == name]
        return found[0] if found else None


class SampleDrawRepository(Repository[SampleDraw, SampleDrawRow]):
    entity = "sample_draw"
    domain_type = SampleDraw
    row_type = SampleDrawRow
    summary_field = "period"

    def for_plan(self, plan_id: int) -> list[SampleDraw]:
        return self._all(
            select(SampleDrawRow)
            .where(SampleDrawRow.plan_id == plan_id)
            .order_by(SampleDrawRow.period)
        )


class SampledCaseRepository(Repository[SampledCase, SampledCaseRow]):
    entity = "sampled_case"
    domain_type = SampledCase
    row_type = SampledCaseRow
    summary_field = "case_id"

    def for_draw(self, draw_id: int) -> list[SampledCase]:
        return self._all(
            select(SampledCaseRow)
            .where(SampledCaseRow.draw_id == draw_id)
            .order_by(SampledCaseRow.stratum, SampledCaseRow.role.desc(), SampledCaseRow.position)
        )


class ChecklistAnswerRepository(Repository[ChecklistAnswer, ChecklistAnswerRow]):
    entity = "checklist_answer"
    domain_type = ChecklistAnswer
    row_type = ChecklistAnswerRow
    summary_field = "answer"

    def for_draw(self, draw_id: int) -> list[ChecklistAnswer]:
        return self._all(
            select(ChecklistAnswerRow)
            .where(ChecklistAnswerRow.draw_id == draw_id)
            .order_by(ChecklistAnswerRow.id)
        )
