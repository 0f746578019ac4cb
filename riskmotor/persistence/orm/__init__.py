"""SQLAlchemy 2 typed ORM: a mapping of the domain, converted at the repository edge.

One module per capability; importing this package registers every table on
``Base.metadata`` (Alembic reads it from here).
"""

from __future__ import annotations

from riskmotor.persistence.orm.access import UserRoleRow
from riskmotor.persistence.orm.audit import AuditChainRow, AuditRow
from riskmotor.persistence.orm.base import Base
from riskmotor.persistence.orm.deviations import DeviationLinkRow, DeviationRow
from riskmotor.persistence.orm.egenkontroll import (
    ChecklistAnswerRow,
    EgenkontrollPlanRow,
    SampledCaseRow,
    SampleDrawRow,
)
from riskmotor.persistence.orm.installation import InstallationSettingRow
from riskmotor.persistence.orm.organisation import OrgUnitRow
from riskmotor.persistence.orm.plan import (
    ControlFollowupRow,
    ControlPlanRow,
    PlanActionRow,
    PlanControlRow,
    PlanPackageRow,
    PlanRiskRow,
    PlanSnapshotRow,
    RiskFollowupRow,
)
from riskmotor.persistence.orm.scenarios import ScenarioRow, SimulationRunRow
from riskmotor.persistence.orm.workshop import ParticipantRow, RiskAnalysisRow, RiskRow, VoteRow

__all__ = [
    "AuditChainRow",
    "AuditRow",
    "Base",
    "ChecklistAnswerRow",
    "ControlFollowupRow",
    "ControlPlanRow",
    "DeviationLinkRow",
    "DeviationRow",
    "EgenkontrollPlanRow",
    "InstallationSettingRow",
    "OrgUnitRow",
    "ParticipantRow",
    "PlanActionRow",
    "PlanControlRow",
    "PlanPackageRow",
    "PlanRiskRow",
    "PlanSnapshotRow",
    "RiskAnalysisRow",
    "RiskFollowupRow",
    "RiskRow",
    "SampleDrawRow",
    "SampledCaseRow",
    "ScenarioRow",
    "SimulationRunRow",
    "UserRoleRow",
    "VoteRow",
]
