"""Read models of the internkontrollplan: the plan with its risks, and a period's follow-up.

Built by ``riskmotor.services.plan`` inside one unit of work; read by the CLI, the pages
and the exports. ``to_json`` is the one JSON rendering the CLI prints (its keys are pinned
by tests and scripts, so they stay stable).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from riskmotor.domain.catalog import Scale
from riskmotor.domain.plan import (
    NOT_REPORTED,
    ActionStatus,
    ControlPlan,
    FollowupStatus,
    PlanAction,
    PlanControl,
    PlanRisk,
    PlanStatus,
    is_overdue,
)
from riskmotor.reports.risks import RiskView
from riskmotor.reports.snapshot import FrozenParticipant, PlanContent

JsonObject = dict[str, Any]  # rendering only: what json.dumps receives


@dataclass
class PlanRiskView:
    """One risk of the plan: the plan's decision about it and its controls and actions.

    ``changed_since_decision``: in a draft, the risk shows something other than the
    adopted version of the plan does (or is new since it).
    """

    plan_risk: PlanRisk
    risk: RiskView
    controls: list[PlanControl] = field(default_factory=list)
    actions: list[PlanAction] = field(default_factory=list)
    changed_since_decision: bool = False


@dataclass(frozen=True)
class FrozenMark:
    """Which frozen content a view was rendered from."""

    kind: PlanStatus
    content_sha256: str
    frozen_at: datetime


@dataclass
class PlanView:
    """A plan version as shown: a draft live from the risk analysis; a version för beslut or
    fastställd from its frozen content only (``frozen`` says which)."""

    plan: ControlPlan
    risks: list[PlanRiskView]
    scale: Scale | None = None
    participants: list[FrozenParticipant] = field(default_factory=list)
    analysis_title: str = ""
    frozen: FrozenMark | None = None
    adopted_version: int | None = None  # a draft's comparison base for changed_since_decision

    @classmethod
    def of(cls, plan: ControlPlan, content: PlanContent, frozen: FrozenMark | None) -> PlanView:
        """The view of ``content``; the plan's own fields that are content come from it."""
        header = plan.model_copy(
            update={
                "threshold": content.threshold,
                "top_n": content.top_n,
                "opinion": content.opinion,
            }
        )
        risks = [
            PlanRiskView(r.plan_risk, r.risk, list(r.controls), list(r.actions))
            for r in content.risks
        ]
        return cls(
            header, risks, content.scale, list(content.participants), content.analysis_title, frozen
        )

    @property
    def included(self) -> list[PlanRiskView]:
        return [r for r in self.risks if r.plan_risk.included]

    def to_json(self, today: date) -> JsonObject:
        """The plan as the CLI prints it (pinned keys: status, version, threshold, risks)."""
        plan = self.plan
        return {
            "id": plan.id,
            "year": plan.year,
            "status": plan.status.value,
            "version": plan.plan_version,
            "threshold": plan.threshold,
            "top_n": plan.top_n,
            "decision": {
                "date": plan.decision_date.isoformat() if plan.decision_date else None,
                "paragraf": plan.paragraf,
                "dnr": plan.dnr,
            },
            "frozen": (
                {
                    "kind": self.frozen.kind.value,
                    "content_sha256": self.frozen.content_sha256,
                    "frozen_at": self.frozen.frozen_at.isoformat(),
                }
                if self.frozen
                else None
            ),
            "adopted_version": self.adopted_version,
            "risks": [_risk_json(v, today) for v in self.risks],
        }


def _risk_json(view: PlanRiskView, today: date) -> JsonObject:
    plan_risk = view.plan_risk
    return {
        "id": view.risk.id,
        "plan_risk_id": plan_risk.id,
        "title": view.risk.title,
        "risk_value": plan_risk.risk_value,
        "included": plan_risk.included,
        "reason": plan_risk.reason,
        "strategy": plan_risk.strategy.value if plan_risk.strategy else None,
        "target_likelihood": plan_risk.target_likelihood,
        "target_consequence": plan_risk.target_consequence,
        "controls": [c.model_dump(mode="json") for c in view.controls],
        "actions": [
            {**a.model_dump(mode="json"), "overdue": is_overdue(a, today)} for a in view.actions
        ],
        "changed_since_decision": view.changed_since_decision,
    }


# follow-up ---------------------------------------------------------------------------


@dataclass(frozen=True)
class StatusCounts:
    """How many of the plan's kontrollmoment got each status in the period."""

    green: int = 0
    yellow: int = 0
    red: int = 0
    not_reported: int = 0

    def labelled(self) -> list[tuple[str, int]]:
        """(Swedish label, count) in the order a report lists them."""
        return [
            (FollowupStatus.GRON.value, self.green),
            (FollowupStatus.GUL.value, self.yellow),
            (FollowupStatus.ROD.value, self.red),
            (NOT_REPORTED, self.not_reported),
        ]

    @classmethod
    def of(cls, statuses: list[FollowupStatus | None]) -> StatusCounts:
        return cls(
            green=statuses.count(FollowupStatus.GRON),
            yellow=statuses.count(FollowupStatus.GUL),
            red=statuses.count(FollowupStatus.ROD),
            not_reported=statuses.count(None),
        )


@dataclass(frozen=True)
class ControlFollowupRow:
    risk: str
    control_id: int
    control: str
    method: str
    responsible: str
    status: FollowupStatus | None  # None: not reported for the period
    result: str = ""
    comment: str = ""
    source: str = ""

    def to_json(self) -> JsonObject:
        return {
            "risk": self.risk,
            "control_id": self.control_id,
            "control": self.control,
            "method": self.method,
            "responsible": self.responsible,
            "status": self.status.value if self.status else None,
            "result": self.result,
            "comment": self.comment,
            "source": self.source,
        }


@dataclass(frozen=True)
class ActionFollowupRow:
    risk: str
    action_id: int
    what: str
    owner: str
    due_date: date | None
    status: ActionStatus
    overdue: bool
    version: int

    def to_json(self) -> JsonObject:
        return {
            "risk": self.risk,
            "action_id": self.action_id,
            "what": self.what,
            "owner": self.owner,
            "due_date": self.due_date.isoformat() if self.due_date else None,
            "status": self.status.value,
            "overdue": self.overdue,
            "version": self.version,
        }


@dataclass(frozen=True)
class RiskFollowupRow:
    """An included risk with its latest residual score up to the period (None: not re-scored)."""

    risk_id: int
    plan_risk_id: int
    title: str
    risk_value: int | None
    residual_likelihood: int | None
    residual_consequence: int | None

    def to_json(self) -> JsonObject:
        return {
            "risk_id": self.risk_id,
            "plan_risk_id": self.plan_risk_id,
            "title": self.title,
            "risk_value": self.risk_value,
            "residual_likelihood": self.residual_likelihood,
            "residual_consequence": self.residual_consequence,
        }


@dataclass(frozen=True)
class FollowupReport:
    """Uppföljning av internkontrollplan for one period (a tertial label such as 2027-T1)."""

    plan_id: int
    year: int
    version: int
    period: str
    status_counts: StatusCounts
    controls: list[ControlFollowupRow]
    actions: list[ActionFollowupRow]
    risks: list[RiskFollowupRow]

    @property
    def overdue_actions(self) -> list[ActionFollowupRow]:
        return [a for a in self.actions if a.overdue]

    def summary_text(self) -> str:
        """One line for the CLI and the kvalitetsberättelse."""
        counts = ", ".join(f"{name} {count}" for name, count in self.status_counts.labelled())
        return (
            f"Uppföljning {self.period}: {counts}; försenade åtgärder: {len(self.overdue_actions)}"
        )

    def to_json(self) -> JsonObject:
        """The CLI's --json output (pinned: status_counts by Swedish status, overdue_actions)."""
        return {
            "plan_id": self.plan_id,
            "year": self.year,
            "version": self.version,
            "period": self.period,
            "status_counts": dict(self.status_counts.labelled()),
            "controls": [c.to_json() for c in self.controls],
            "actions": [a.to_json() for a in self.actions],
            "overdue_actions": [a.to_json() for a in self.overdue_actions],
            "risks": [r.to_json() for r in self.risks],
        }
