"""What the exports show: one nämnd's year, read in one unit of work.

The workbook, the tjänsteutlåtande and the kvalitetsberättelse lay out an
:class:`ExportData`; they never read the database or call a service. Deviation free text
and personnummer pseudonyms are not part of it, so no export can leak them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from riskmotor.domain.catalog import Scale
from riskmotor.domain.deviations import CauseCount
from riskmotor.domain.models import RiskAnalysis
from riskmotor.domain.plan import ControlPlan
from riskmotor.domain.plan_diff import PlanDiff
from riskmotor.reports.matrix import RiskMatrix
from riskmotor.reports.plan import FollowupReport, PlanRiskView, PlanView
from riskmotor.reports.risks import RiskView

# The package sections beside the plan are part of the frozen plan content, so their read
# models live with it; they are re-exported here with the rest of what an export shows.
from riskmotor.reports.snapshot import DeviationSummary as DeviationSummary
from riskmotor.reports.snapshot import Evidence as Evidence
from riskmotor.reports.snapshot import FrozenParticipant
from riskmotor.reports.snapshot import SamplingResult as SamplingResult


@dataclass(frozen=True)
class Signatories:
    """Who the documents name as handläggare and who signs them — from the settings and the
    Export page, never the computer's login. Empty fields are left for the förvaltning."""

    handlaggare: str = ""
    title: str = ""
    phone: str = ""
    email: str = ""
    forvaltningschef: str = ""
    avdelningschef: str = ""


@dataclass(frozen=True)
class ExportData:
    """Everything an export shows, read once from the database and the catalog."""

    kommun: str
    namnd: str
    year: int
    analysis: RiskAnalysis
    scale: Scale
    participants: list[FrozenParticipant]
    risks: list[RiskView]
    plan: PlanView | None
    plan_diff: PlanDiff | None
    inherent: RiskMatrix
    residual: RiskMatrix
    sampling: list[SamplingResult]
    followups: list[FollowupReport]
    deviation_summary: DeviationSummary | None
    top_causes: list[CauseCount]
    deviation_labels: dict[str, str]
    evidence: list[Evidence]
    legal: dict[str, str]
    generated_at: datetime
    today: date
    signatories: Signatories = Signatories()
    unverified_references: tuple[str, ...] = ()

    @property
    def document_date(self) -> date:
        """The date the documents carry: the decision date of an adopted plan (so the same
        decision re-exports to the same bytes), otherwise the day of the export."""
        if self.plan is not None and self.plan.plan.decision_date is not None:
            return self.plan.plan.decision_date
        return self.today

    @property
    def included(self) -> list[PlanRiskView]:
        """The risks in the plan (none without a plan)."""
        return self.plan.included if self.plan else []

    @property
    def plan_label(self) -> str:
        if self.plan is None:
            return "ingen plan"
        return f"version {self.plan.plan.plan_version} ({self.plan.plan.status.value})"


@dataclass(frozen=True)
class ExportOverview:
    """What the Export page shows before anything is written."""

    namnd: str
    year: int
    current_plan: ControlPlan | None


@dataclass(frozen=True)
class PackageHeader:
    """What a package's manifest says about the decision it belongs to."""

    namnd: str
    year: int
    plan_version: int
    plan_status: str
    dnr: str
    decision_date: date | None
    paragraf: str
    content_sha256: str  # of the frozen plan content (riskmotor.reports.snapshot)
    frozen_at: str
    generator: str


@dataclass(frozen=True)
class PackageRecord:
    """What the database holds about the plan version a package names.

    ``frozen_sha256``, ``dnr``, ``decision_date`` and ``paragraf`` are those of the valid
    snapshot with the package's status (None: there is none, e.g. the plan was withdrawn);
    ``adopted_sha256`` is the fastställd content once adopted.
    """

    plan_status: str
    frozen_sha256: str | None
    dnr: str
    decision_date: date | None
    paragraf: str
    adopted_sha256: str | None
    package_hashes: tuple[str, ...]
