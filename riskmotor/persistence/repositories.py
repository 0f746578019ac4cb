"""Repositories: convert between ORM rows and domain objects, check versions, write audit.

Every save goes through :meth:`Repository.update`, which compares the version the caller
read with the version in the database and refuses with :class:`ConflictError` (carrying the
other person's values) when they differ. Each changed field is written to the audit log.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy import Date, DateTime, Select, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from riskmotor.domain.models import (
    AuditEntry,
    ChecklistAnswer,
    Deviation,
    DeviationLink,
    EgenkontrollPlan,
    OrgUnit,
    Participant,
    Risk,
    RiskAnalysis,
    SampledCase,
    SampleDraw,
    Scenario,
    SimulationRun,
    UnitKind,
    Vote,
)
from riskmotor.domain.plan import (
    ControlFollowup,
    ControlPlan,
    PlanAction,
    PlanControl,
    PlanRisk,
    RiskFollowup,
)
from riskmotor.errors import ConflictError, NotFoundError
from riskmotor.persistence.orm import (
    AuditRow,
    Base,
    ChecklistAnswerRow,
    ControlFollowupRow,
    ControlPlanRow,
    DeviationLinkRow,
    DeviationRow,
    EgenkontrollPlanRow,
    OrgUnitRow,
    ParticipantRow,
    PlanActionRow,
    PlanControlRow,
    PlanRiskRow,
    RiskAnalysisRow,
    RiskFollowupRow,
    RiskRow,
    SampledCaseRow,
    SampleDrawRow,
    ScenarioRow,
    SimulationRunRow,
    VoteRow,
)

D = TypeVar("D", bound=BaseModel)
R = TypeVar("R", bound=Base)

_KEYS = {"id", "version"}


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


class AuditTrail:
    """Writes one audit row per changed field, in the same transaction as the change."""

    def __init__(self, session: Session, actor: str) -> None:
        self.session = session
        self.actor = actor

    def record(
        self,
        entity: str,
        entity_id: int,
        analysis_id: int | None,
        action: str,
        field: str,
        old: Any = None,
        new: Any = None,
    ) -> None:
        self.session.add(
            AuditRow(
                at=datetime.now(UTC),
                actor=self.actor,
                entity=entity,
                entity_id=entity_id,
                analysis_id=analysis_id,
                action=action,
                field=field,
                old=_as_text(old),
                new=_as_text(new),
            )
        )

    def entries(
        self,
        *,
        analysis_id: int | None = None,
        entity: str | None = None,
        entity_id: int | None = None,
        limit: int = 500,
    ) -> list[AuditEntry]:
        query = select(AuditRow).order_by(AuditRow.id.desc()).limit(limit)
        if analysis_id is not None:
            query = query.where(AuditRow.analysis_id == analysis_id)
        if entity is not None:
            query = query.where(AuditRow.entity == entity)
        if entity_id is not None:
            query = query.where(AuditRow.entity_id == entity_id)
        return [
            AuditEntry(
                id=row.id,
                at=row.at.isoformat(timespec="seconds"),
                actor=row.actor,
                entity=row.entity,
                entity_id=row.entity_id,
                action=row.action,
                field=row.field,
                old=row.old,
                new=row.new,
            )
            for row in self.session.scalars(query)
        ]


class Repository(Generic[D, R]):
    entity: ClassVar[str]
    domain_type: type[D]
    row_type: type[R]
    summary_field: ClassVar[str] = "name"

    def __init__(self, session: Session, audit: AuditTrail) -> None:
        self.session = session
        self.audit = audit

    # conversion -------------------------------------------------------------------------
    def to_domain(self, row: R) -> D:
        values = {name: getattr(row, name) for name in self.domain_type.model_fields}
        return self.domain_type.model_validate(values)

    def _row_values(self, item: D) -> dict[str, Any]:
        """JSON-ready values (enums as text, dates in JSON columns as ISO), but real
        date and datetime objects for Date and DateTime columns, as the drivers want."""
        values = item.model_dump(mode="json", exclude=_KEYS)
        table = self.row_type.__table__  # type: ignore[attr-defined]
        for column in table.columns:
            if isinstance(column.type, DateTime | Date) and column.name in values:
                values[column.name] = getattr(item, column.name)
        return values

    def analysis_id_of(self, row: R) -> int | None:
        return getattr(row, "analysis_id", None)

    # queries ----------------------------------------------------------------------------
    def _row(self, item_id: int) -> R:
        row = self.session.get(self.row_type, item_id)
        if row is None:
            raise NotFoundError(f"{self.entity} med id {item_id} finns inte.")
        return row

    def get(self, item_id: int) -> D:
        return self.to_domain(self._row(item_id))

    def _all(self, query: Select[tuple[R]]) -> list[D]:
        return [self.to_domain(row) for row in self.session.scalars(query)]

    # commands ---------------------------------------------------------------------------
    def add(self, item: D) -> D:
        row = self.row_type(**self._row_values(item))
        self.session.add(row)
        self.session.flush()
        self.audit.record(
            self.entity,
            row.id,  # type: ignore[attr-defined]
            self.analysis_id_of(row),
            "create",
            self.summary_field,
            None,
            getattr(row, self.summary_field),
        )
        return self.to_domain(row)

    def update(self, item: D) -> D:
        item_id: int = item.id  # type: ignore[attr-defined]
        row = self._row(item_id)
        if row.version != item.version:  # type: ignore[attr-defined]
            raise ConflictError(self.entity, item_id, self.to_domain(row).model_dump(mode="json"))
        for field, new in self._row_values(item).items():
            old = getattr(row, field)
            if old != new:
                self.audit.record(
                    self.entity, item_id, self.analysis_id_of(row), "update", field, old, new
                )
                setattr(row, field, new)
        try:
            self.session.flush()
        except StaleDataError:
            # Another transaction committed between our check and our UPDATE.
            self.session.rollback()
            raise ConflictError(self.entity, item_id, self._fresh_values(item_id)) from None
        return self.to_domain(row)

    def _fresh_values(self, item_id: int) -> dict[str, Any]:
        row = self.session.get(self.row_type, item_id, populate_existing=True)
        return self.to_domain(row).model_dump(mode="json") if row is not None else {}

    def put(self, item: D, over: D | None) -> D:
        """Add ``item``, or make it replace ``over`` (the row currently stored in its place)."""
        if over is None:
            return self.add(item)
        return self.update(item.model_copy(update={"id": over.id, "version": over.version}))  # type: ignore[attr-defined]

    def delete(self, item_id: int, expected_version: int | None = None) -> None:
        row = self._row(item_id)
        if expected_version is not None and row.version != expected_version:  # type: ignore[attr-defined]
            raise ConflictError(self.entity, item_id, self.to_domain(row).model_dump(mode="json"))
        self.audit.record(
            self.entity,
            item_id,
            self.analysis_id_of(row),
            "delete",
            self.summary_field,
            getattr(row, self.summary_field),
            None,
        )
        self.session.delete(row)
        self.session.flush()


class OrgUnitRepository(Repository[OrgUnit, OrgUnitRow]):
    entity = "org_unit"
    domain_type = OrgUnit
    row_type = OrgUnitRow

    def find(self, name: str, kind: UnitKind, parent_id: int | None) -> OrgUnit | None:
        query = select(OrgUnitRow).where(OrgUnitRow.name == name, OrgUnitRow.kind == kind.value)
        query = query.where(
            OrgUnitRow.parent_id.is_(None)
            if parent_id is None
            else OrgUnitRow.parent_id == parent_id
        )
        found = self._all(query)
        return found[0] if found else None

    def of_kind(self, kind: UnitKind) -> list[OrgUnit]:
        return self._all(
            select(OrgUnitRow).where(OrgUnitRow.kind == kind.value).order_by(OrgUnitRow.name)
        )

    def children(self, parent_id: int) -> list[OrgUnit]:
        return self._all(
            select(OrgUnitRow).where(OrgUnitRow.parent_id == parent_id).order_by(OrgUnitRow.name)
        )


class AnalysisRepository(Repository[RiskAnalysis, RiskAnalysisRow]):
    entity = "risk_analysis"
    domain_type = RiskAnalysis
    row_type = RiskAnalysisRow
    summary_field = "title"

    def analysis_id_of(self, row: RiskAnalysisRow) -> int | None:
        return row.id

    def find(self, namnd_id: int, year: int) -> RiskAnalysis | None:
        found = self._all(
            select(RiskAnalysisRow).where(
                RiskAnalysisRow.namnd_id == namnd_id, RiskAnalysisRow.year == year
            )
        )
        return found[0] if found else None

    def for_namnd(self, namnd_id: int) -> list[RiskAnalysis]:
        return self._all(
            select(RiskAnalysisRow)
            .where(RiskAnalysisRow.namnd_id == namnd_id)
            .order_by(RiskAnalysisRow.year.desc())
        )


class ParticipantRepository(Repository[Participant, ParticipantRow]):
    entity = "participant"
    domain_type = Participant
    row_type = ParticipantRow

    def for_analysis(self, analysis_id: int) -> list[Participant]:
        return self._all(
            select(ParticipantRow)
            .where(ParticipantRow.analysis_id == analysis_id)
            .order_by(ParticipantRow.id)
        )


class RiskRepository(Repository[Risk, RiskRow]):
    entity = "risk"
    domain_type = Risk
    row_type = RiskRow
    summary_field = "title"

    def for_analysis(self, analysis_id: int) -> list[Risk]:
        return self._all(
            select(RiskRow).where(RiskRow.analysis_id == analysis_id).order_by(RiskRow.id)
        )

    def find_by_title(self, analysis_id: int, title: str) -> Risk | None:
        found = self._all(
            select(RiskRow).where(RiskRow.analysis_id == analysis_id, RiskRow.title == title)
        )
        return found[0] if found else None


class VoteRepository(Repository[Vote, VoteRow]):
    entity = "vote"
    domain_type = Vote
    row_type = VoteRow
    summary_field = "likelihood"

    def analysis_id_of(self, row: VoteRow) -> int | None:
        risk = self.session.get(RiskRow, row.risk_id)
        return risk.analysis_id if risk else None

    def for_analysis(self, analysis_id: int) -> list[Vote]:
        return self._all(
            select(VoteRow)
            .join(RiskRow, RiskRow.id == VoteRow.risk_id)
            .where(RiskRow.analysis_id == analysis_id)
            .order_by(VoteRow.id)
        )

    def for_participant(self, participant_id: int) -> list[Vote]:
        return self._all(
            select(VoteRow).where(VoteRow.participant_id == participant_id).order_by(VoteRow.id)
        )

    def find(self, risk_id: int, participant_id: int) -> Vote | None:
        found = self._all(
            select(VoteRow).where(
                VoteRow.risk_id == risk_id, VoteRow.participant_id == participant_id
            )
        )
        return found[0] if found else None


def _analysis_of_risk(session: Session, risk_id: int | None) -> int | None:
    risk = session.get(RiskRow, risk_id) if risk_id is not None else None
    return risk.analysis_id if risk else None


class ScenarioRepository(Repository[Scenario, ScenarioRow]):
    entity = "scenario"
    domain_type = Scenario
    row_type = ScenarioRow

    def analysis_id_of(self, row: ScenarioRow) -> int | None:
        return _analysis_of_risk(self.session, row.risk_id)

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
        return _analysis_of_risk(self.session, row.risk_id)

    def for_scenario(self, scenario_id: int) -> list[SimulationRun]:
        return self._all(
            select(SimulationRunRow)
            .where(SimulationRunRow.scenario_id == scenario_id)
            .order_by(SimulationRunRow.id.desc())
        )


class EgenkontrollPlanRepository(Repository[EgenkontrollPlan, EgenkontrollPlanRow]):
    entity = "egenkontroll_plan"
    domain_type = EgenkontrollPlan
    row_type = EgenkontrollPlanRow

    def analysis_id_of(self, row: EgenkontrollPlanRow) -> int | None:
        return _analysis_of_risk(self.session, row.risk_id)

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


class DeviationRepository(Repository[Deviation, DeviationRow]):
    entity = "deviation"
    domain_type = Deviation
    row_type = DeviationRow
    summary_field = "category"

    def for_namnd(
        self, namnd_id: int, start: date | None = None, end: date | None = None
    ) -> list[Deviation]:
        query = select(DeviationRow).where(DeviationRow.namnd_id == namnd_id)
        if start is not None:
            query = query.where(DeviationRow.occurred_on >= start)
        if end is not None:
            query = query.where(DeviationRow.occurred_on <= end)
        return self._all(query.order_by(DeviationRow.occurred_on, DeviationRow.id))

    def fingerprints(self, namnd_id: int) -> set[str]:
        query = select(DeviationRow.fingerprint).where(DeviationRow.namnd_id == namnd_id)
        return set(self.session.scalars(query))


class DeviationLinkRepository(Repository[DeviationLink, DeviationLinkRow]):
    entity = "deviation_link"
    domain_type = DeviationLink
    row_type = DeviationLinkRow
    summary_field = "risk_id"

    def analysis_id_of(self, row: DeviationLinkRow) -> int | None:
        return _analysis_of_risk(self.session, row.risk_id)

    def for_risk(self, risk_id: int) -> list[DeviationLink]:
        return self._all(
            select(DeviationLinkRow)
            .where(DeviationLinkRow.risk_id == risk_id)
            .order_by(DeviationLinkRow.id)
        )


def _analysis_of_plan_risk(session: Session, plan_risk_id: int) -> int | None:
    plan_risk = session.get(PlanRiskRow, plan_risk_id)
    plan = session.get(ControlPlanRow, plan_risk.plan_id) if plan_risk else None
    return plan.analysis_id if plan else None


class ControlPlanRepository(Repository[ControlPlan, ControlPlanRow]):
    entity = "control_plan"
    domain_type = ControlPlan
    row_type = ControlPlanRow
    summary_field = "status"

    def analysis_id_of(self, row: ControlPlanRow) -> int | None:
        return row.analysis_id

    def versions(self, namnd_id: int, year: int) -> list[ControlPlan]:
        return self._all(
            select(ControlPlanRow)
            .where(ControlPlanRow.namnd_id == namnd_id, ControlPlanRow.year == year)
            .order_by(ControlPlanRow.plan_version)
        )


class PlanRiskRepository(Repository[PlanRisk, PlanRiskRow]):
    entity = "plan_risk"
    domain_type = PlanRisk
    row_type = PlanRiskRow
    summary_field = "reason"

    def analysis_id_of(self, row: PlanRiskRow) -> int | None:
        return _analysis_of_plan_risk(self.session, row.id)

    def for_plan(self, plan_id: int) -> list[PlanRisk]:
        return self._all(
            select(PlanRiskRow).where(PlanRiskRow.plan_id == plan_id).order_by(PlanRiskRow.position)
        )


class _PlanRiskChild:
    def analysis_id_of(self, row: PlanControlRow | PlanActionRow | RiskFollowupRow) -> int | None:
        return _analysis_of_plan_risk(self.session, row.plan_risk_id)  # type: ignore[attr-defined]


class PlanControlRepository(_PlanRiskChild, Repository[PlanControl, PlanControlRow]):
    entity = "plan_control"
    domain_type = PlanControl
    row_type = PlanControlRow
    summary_field = "control_activity"

    def for_plan_risks(self, plan_risk_ids: list[int]) -> list[PlanControl]:
        return self._all(
            select(PlanControlRow)
            .where(PlanControlRow.plan_risk_id.in_(plan_risk_ids))
            .order_by(PlanControlRow.id)
        )


class PlanActionRepository(_PlanRiskChild, Repository[PlanAction, PlanActionRow]):
    entity = "plan_action"
    domain_type = PlanAction
    row_type = PlanActionRow
    summary_field = "what"

    def for_plan_risks(self, plan_risk_ids: list[int]) -> list[PlanAction]:
        return self._all(
            select(PlanActionRow)
            .where(PlanActionRow.plan_risk_id.in_(plan_risk_ids))
            .order_by(PlanActionRow.id)
        )


class RiskFollowupRepository(_PlanRiskChild, Repository[RiskFollowup, RiskFollowupRow]):
    entity = "risk_followup"
    domain_type = RiskFollowup
    row_type = RiskFollowupRow
    summary_field = "period"

    def for_plan_risks(self, plan_risk_ids: list[int]) -> list[RiskFollowup]:
        return self._all(
            select(RiskFollowupRow)
            .where(RiskFollowupRow.plan_risk_id.in_(plan_risk_ids))
            .order_by(RiskFollowupRow.period)
        )


class ControlFollowupRepository(Repository[ControlFollowup, ControlFollowupRow]):
    entity = "control_followup"
    domain_type = ControlFollowup
    row_type = ControlFollowupRow
    summary_field = "status"

    def analysis_id_of(self, row: ControlFollowupRow) -> int | None:
        control = self.session.get(PlanControlRow, row.plan_control_id)
        return _analysis_of_plan_risk(self.session, control.plan_risk_id) if control else None

    def for_controls(self, control_ids: list[int]) -> list[ControlFollowup]:
        return self._all(
            select(ControlFollowupRow)
            .where(ControlFollowupRow.plan_control_id.in_(control_ids))
            .order_by(ControlFollowupRow.period)
        )
