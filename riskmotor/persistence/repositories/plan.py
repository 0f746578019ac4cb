"""Internkontrollplan: plan versions, their risks, controls, actions, follow-up, snapshots."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from riskmotor.domain.plan import (
    ControlFollowup,
    ControlPlan,
    PlanAction,
    PlanControl,
    PlanPackage,
    PlanRisk,
    PlanSnapshot,
    RiskFollowup,
)
from riskmotor.persistence.orm import (
    ControlFollowupRow,
    ControlPlanRow,
    PlanActionRow,
    PlanControlRow,
    PlanPackageRow,
    PlanRiskRow,
    PlanSnapshotRow,
    RiskFollowupRow,
)
from riskmotor.persistence.repositories.base import Repository


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


class PlanSnapshotRepository(Repository[PlanSnapshot, PlanSnapshotRow]):
    """Frozen plan content; added and voided, never changed otherwise (triggers enforce it)."""

    entity = "plan_snapshot"
    domain_type = PlanSnapshot
    row_type = PlanSnapshotRow
    summary_field = "content_sha256"

    def analysis_id_of(self, row: PlanSnapshotRow) -> int | None:
        plan = self.session.get(ControlPlanRow, row.plan_id)
        return plan.analysis_id if plan else None

    def for_plan(self, plan_id: int) -> list[PlanSnapshot]:
        """Every snapshot of the plan version, oldest first (void ones included)."""
        return self._all(
            select(PlanSnapshotRow)
            .where(PlanSnapshotRow.plan_id == plan_id)
            .order_by(PlanSnapshotRow.id)
        )


class PlanPackageRepository(Repository[PlanPackage, PlanPackageRow]):
    """Exported approval packages; added, never changed (triggers enforce it)."""

    entity = "plan_package"
    domain_type = PlanPackage
    row_type = PlanPackageRow
    summary_field = "package_sha256"

    def analysis_id_of(self, row: PlanPackageRow) -> int | None:
        plan = self.session.get(ControlPlanRow, row.plan_id)
        return plan.analysis_id if plan else None

    def for_plan(self, plan_id: int) -> list[PlanPackage]:
        """Every package of the plan version, oldest first."""
        return self._all(
            select(PlanPackageRow)
            .where(PlanPackageRow.plan_id == plan_id)
            .order_by(PlanPackageRow.id)
        )
