"""Repositories: convert between ORM rows and domain objects, check versions, write audit.

One module per capability on top of the generic :class:`Repository` (``base``) and the
:class:`AuditTrail` (``audit``); everything is re-exported here for the unit of work.
"""

from __future__ import annotations

from riskmotor.persistence.repositories.access import UserRoleRepository
from riskmotor.persistence.repositories.audit import AuditTrail
from riskmotor.persistence.repositories.base import Repository, analysis_of_risk
from riskmotor.persistence.repositories.deviations import (
    DeviationLinkRepository,
    DeviationRepository,
)
from riskmotor.persistence.repositories.egenkontroll import (
    ChecklistAnswerRepository,
    EgenkontrollPlanRepository,
    SampledCaseRepository,
    SampleDrawRepository,
)
from riskmotor.persistence.repositories.organisation import OrgUnitRepository
from riskmotor.persistence.repositories.plan import (
    ControlFollowupRepository,
    ControlPlanRepository,
    PlanActionRepository,
    PlanControlRepository,
    PlanPackageRepository,
    PlanRiskRepository,
    PlanSnapshotRepository,
    RiskFollowupRepository,
)
from riskmotor.persistence.repositories.scenarios import (
    ScenarioRepository,
    SimulationRunRepository,
)
from riskmotor.persistence.repositories.workshop import (
    AnalysisRepository,
    ParticipantRepository,
    RiskRepository,
    VoteRepository,
)

__all__ = [
    "AnalysisRepository",
    "AuditTrail",
    "ChecklistAnswerRepository",
    "ControlFollowupRepository",
    "ControlPlanRepository",
    "DeviationLinkRepository",
    "DeviationRepository",
    "EgenkontrollPlanRepository",
    "OrgUnitRepository",
    "ParticipantRepository",
    "PlanActionRepository",
    "PlanControlRepository",
    "PlanPackageRepository",
    "PlanRiskRepository",
    "PlanSnapshotRepository",
    "Repository",
    "RiskFollowupRepository",
    "RiskRepository",
    "SampleDrawRepository",
    "SampledCaseRepository",
    "ScenarioRepository",
    "SimulationRunRepository",
    "UserRoleRepository",
    "VoteRepository",
    "analysis_of_risk",
]
