"""Freezing a plan version's content, and rendering a version from it (helpers inside ``tx``).

A draft is shown live from the risk analysis. When it goes för beslut, and again when it
is fastställd, its content (``riskmotor.reports.snapshot.PlanContent``) is stored as
canonical JSON with its SHA-256; from then on the version is rendered from that content
only. Withdrawing to utkast voids the för-beslut snapshot (the row stays for the record).
"""

from __future__ import annotations

from collections import defaultdict

from riskmotor.catalogs import Catalog
from riskmotor.domain.plan import (
    ControlPlan,
    PlanAction,
    PlanControl,
    PlanSnapshot,
    PlanStatus,
    SubmissionItem,
)
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.reports.plan import FrozenMark, PlanView
from riskmotor.reports.snapshot import (
    FrozenParticipant,
    FrozenRisk,
    PlanContent,
    parse_content,
    risk_signature,
    sha256_of,
)
from riskmotor.services import workshop


def plan_content(tx: UnitOfWork, catalog: Catalog, plan: ControlPlan) -> PlanContent:
    """Everything the plan version shows, read live from the plan and its risk analysis."""
    assert plan.id is not None
    analysis = tx.analyses.get(plan.analysis_id)
    views = {v.id: v for v in workshop.risk_views(tx, catalog, plan.analysis_id)}
    plan_risks = [p for p in tx.plan_risks.for_plan(plan.id) if p.risk_id in views]
    ids = [p.id for p in plan_risks if p.id is not None]
    controls: defaultdict[int, list[PlanControl]] = defaultdict(list)
    for control in tx.plan_controls.for_plan_risks(ids):
        controls[control.plan_risk_id].append(control)
    actions: defaultdict[int, list[PlanAction]] = defaultdict(list)
    for action in tx.plan_actions.for_plan_risks(ids):
        actions[action.plan_risk_id].append(action)
    return PlanContent(
        namnd_id=plan.namnd_id,
        namnd=tx.units.get(plan.namnd_id).name,
        year=plan.year,
        plan_version=plan.plan_version,
        threshold=plan.threshold,
        top_n=plan.top_n,
        opinion=plan.opinion,
        based_on_id=plan.based_on_id,
        based_on_kind=plan.based_on_kind,
        analysis_id=plan.analysis_id,
        analysis_title=analysis.title,
        scale=catalog.scale(analysis.scale_key),
        participants=[
            FrozenParticipant(name=p.name, role=p.role, function=p.function)
            for p in tx.participants.for_analysis(plan.analysis_id)
        ],
        risks=[
            FrozenRisk(
                plan_risk=p,
                risk=views[p.risk_id],
                controls=controls[p.id or 0],
                actions=actions[p.id or 0],
            )
            for p in plan_risks
        ],
    )


def submission_items(content: PlanContent) -> list[SubmissionItem]:
    """The included risks as the completeness rule (``ControlPlan.submit``) sees them."""
    return [
        SubmissionItem(r.risk.title, r.risk.confirmed, r.controls)
        for r in content.risks
        if r.plan_risk.included
    ]


def active_snapshot(tx: UnitOfWork, plan: ControlPlan) -> PlanSnapshot | None:
    """The snapshot the version is rendered from: the newest valid one of its status.

    None for a draft, and for a version frozen before snapshots existed (rendered live).
    """
    if plan.status == PlanStatus.UTKAST or plan.id is None:
        return None
    valid = [
        s
        for s in tx.plan_snapshots.for_plan(plan.id)
        if s.kind == plan.status and s.voided_at is None
    ]
    return valid[-1] if valid else None


def freeze(tx: UnitOfWork, plan: ControlPlan, content: str) -> PlanSnapshot:
    """Store ``content`` (canonical JSON) as the frozen content of ``plan`` in its new status,
    with the decision data as it stands."""
    assert plan.id is not None
    return tx.plan_snapshots.add(
        PlanSnapshot(
            plan_id=plan.id,
            kind=plan.status,
            content=content,
            content_sha256=sha256_of(content),
            dnr=plan.dnr,
            decision_date=plan.decision_date,
            paragraf=plan.paragraf,
            created_at=tx.clock.now(),
        )
    )


def void(tx: UnitOfWork, plan: ControlPlan) -> None:
    """Mark the för-beslut content void: the plan goes back to utkast to be changed."""
    snapshot = active_snapshot(tx, plan)
    if snapshot is not None:
        tx.plan_snapshots.update(snapshot.model_copy(update={"voided_at": tx.clock.now()}))


def frozen_view(tx: UnitOfWork, plan: ControlPlan, snapshot: PlanSnapshot) -> PlanView:
    """The version as frozen. Only an åtgärd's status (and lock version) is read live: its
    follow-up continues after adoption and is not part of what the nämnd decided."""
    content = parse_content(snapshot.content)
    mark = FrozenMark(snapshot.kind, snapshot.content_sha256, snapshot.created_at)
    view = PlanView.of(plan, content, mark)
    ids = [r.plan_risk.id for r in content.risks if r.plan_risk.id is not None]
    live = {a.id: a for a in tx.plan_actions.for_plan_risks(ids)}
    for item in view.risks:
        item.actions = [
            a.model_copy(update={"status": live[a.id].status, "version": live[a.id].version})
            if a.id in live
            else a
            for a in item.actions
        ]
    return view


def draft_view(tx: UnitOfWork, catalog: Catalog, plan: ControlPlan) -> PlanView:
    """A draft, live, with each risk marked where it differs from the adopted version."""
    content = plan_content(tx, catalog, plan)
    view = PlanView.of(plan, content, None)
    adopted = _adopted_content(tx, plan)
    if adopted is None:
        return view
    version, decided = adopted
    before = {r.risk.id: risk_signature(r) for r in decided.risks}
    view.adopted_version = version
    for item, frozen in zip(view.risks, content.risks, strict=True):
        item.changed_since_decision = before.get(frozen.risk.id) != risk_signature(frozen)
    return view


def _adopted_content(tx: UnitOfWork, plan: ControlPlan) -> tuple[int, PlanContent] | None:
    """The newest fastställd version of the same plan (same nämnd, year and analysis)."""
    for other in reversed(tx.control_plans.versions(plan.namnd_id, plan.year)):
        if other.id == plan.id or other.analysis_id != plan.analysis_id:
            continue
        snapshot = active_snapshot(tx, other) if other.status == PlanStatus.FASTSTALLD else None
        if snapshot is not None:
            return other.plan_version, parse_content(snapshot.content)
    return None
