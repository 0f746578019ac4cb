"""Follow-up of an adopted plan per tertial: control results, action status, residual risk.

Follow-up does not change the plan itself, so it is allowed after adoption.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from riskmotor.catalogs import Catalog
from riskmotor.domain import scoring
from riskmotor.domain.catalog import Scale
from riskmotor.domain.egenkontroll import parse_period
from riskmotor.domain.plan import (
    ActionStatus,
    ControlFollowup,
    ControlPlan,
    FollowupStatus,
    PlanAction,
    PlanControl,
    RiskFollowup,
    is_overdue,
    worst_status,
)
from riskmotor.errors import InvalidInputError
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.reports.plan import (
    ActionFollowupRow,
    ControlFollowupRow,
    FollowupReport,
    PlanRiskView,
    RiskFollowupRow,
    StatusCounts,
)
from riskmotor.reports.snapshot import parse_content
from riskmotor.services import egenkontroll
from riskmotor.services.plan.read import plan_of_risk, plan_risk_of, plan_view
from riskmotor.services.plan.snapshots import active_snapshot

# "grön, gul eller röd", from the statuses themselves.
_STATUS_CHOICES = (
    ", ".join(s.value for s in list(FollowupStatus)[:-1]) + f" eller {list(FollowupStatus)[-1]}"
)

# inputs of record_followup -------------------------------------------------------------


@dataclass(frozen=True)
class ControlResult:
    """A kontrollmoment's result; without a status it is taken from the linked egenkontroll."""

    plan_control_id: int
    status: FollowupStatus | None = None
    result: str = ""
    comment: str = ""


@dataclass(frozen=True)
class ActionProgress:
    """An åtgärd's new status; ``expected_version`` is the version the user saw (None: any)."""

    action_id: int
    status: ActionStatus
    expected_version: int | None = None


@dataclass(frozen=True)
class ResidualScore:
    """The re-scored residual risk of a plan risk, named by its analysis risk id."""

    risk_id: int
    likelihood: int
    consequence: int
    comment: str = ""


# helpers (take the open unit of work) --------------------------------------------------


def _put_control_result(
    tx: UnitOfWork, catalog: Catalog, entry: ControlResult, period: str
) -> ControlFollowup:
    control = tx.plan_controls.get(entry.plan_control_id)
    if entry.status is not None:
        followup = ControlFollowup(
            plan_control_id=entry.plan_control_id,
            period=period,
            status=entry.status,
            result=entry.result,
            comment=entry.comment,
        )
    else:
        from_sampling = _from_sampling(tx, catalog, control, period)
        if from_sampling is None:
            raise InvalidInputError(
                f"Ange status ({_STATUS_CHOICES}): kontrollmomentet har inget utvärderat "
                f"stickprov för {period}."
            )
        followup = from_sampling.model_copy(update={"comment": entry.comment})
    existing = {f.period: f for f in tx.control_followups.for_controls([entry.plan_control_id])}
    return tx.control_followups.put(followup, existing.get(period))


def _from_sampling(
    tx: UnitOfWork, catalog: Catalog, control: PlanControl, period: str
) -> ControlFollowup | None:
    """The worst status of the linked stickprovsplan's evaluated draw for the period."""
    if control.egenkontroll_plan_id is None:
        return None
    draws = tx.sample_draws.for_plan(control.egenkontroll_plan_id)
    draw = next((d for d in draws if d.period == period), None)
    if draw is None or draw.id is None:
        return None
    evaluation = egenkontroll.evaluate_draw(tx, catalog, draw.id)
    evaluated = [e for e in evaluation.overall if e.status]
    if not evaluated:
        return None
    return ControlFollowup(
        plan_control_id=control.id or 0,
        period=period,
        status=worst_status(FollowupStatus(e.status) for e in evaluated),
        share=min(e.compliance_share or 0 for e in evaluated),
        result=" ".join(f"{e.control_name}: {e.conclusion}" for e in evaluated),
        source="egenkontroll",
    )


def _put_action_status(tx: UnitOfWork, entry: ActionProgress) -> PlanAction:
    action = tx.plan_actions.get(entry.action_id)
    version = action.version if entry.expected_version is None else entry.expected_version
    return tx.plan_actions.update(
        action.model_copy(update={"status": entry.status, "version": version})
    )


def _put_residual(
    tx: UnitOfWork, catalog: Catalog, plan_risk_id: int, period: str, score: ResidualScore
) -> RiskFollowup:
    """Store ``score`` (its risk already resolved to ``plan_risk_id``) for the period."""
    plan = plan_of_risk(tx, plan_risk_id)
    scoring.check_score(_scale_of(tx, catalog, plan), score.likelihood, score.consequence)
    existing = {f.period: f for f in tx.risk_followups.for_plan_risks([plan_risk_id])}
    followup = RiskFollowup(
        plan_risk_id=plan_risk_id,
        period=period,
        residual_likelihood=score.likelihood,
        residual_consequence=score.consequence,
        comment=score.comment,
    )
    return tx.risk_followups.put(followup, existing.get(period))


def _scale_of(tx: UnitOfWork, catalog: Catalog, plan: ControlPlan) -> Scale:
    """The scale the plan version was decided on (frozen), else the analysis's current one."""
    frozen = active_snapshot(tx, plan)
    if frozen is not None:
        return parse_content(frozen.content).scale
    return catalog.scale(tx.analyses.get(plan.analysis_id).scale_key)


def _ensure_in_plan(tx: UnitOfWork, plan_id: int, plan_risk_id: int, what: str) -> None:
    if tx.plan_risks.get(plan_risk_id).plan_id != plan_id:
        raise InvalidInputError(f"{what} hör inte till den här versionen av planen.")


def followup_report(
    tx: UnitOfWork, catalog: Catalog, plan_id: int, period: str, today: date
) -> FollowupReport:
    """Uppföljning av internkontrollplan for one period: results, statuses, actions, risks.

    An action counts as overdue as of the period's end once the period is over, and as of
    ``today`` while it runs: a tertial report never calls an action late for a day after its
    period, nor for a day that has not come yet.
    """
    reported = parse_period(period)
    label = reported.label
    as_of = min(reported.end, today)
    view = plan_view(tx, catalog, plan_id)
    included = view.included
    control_ids = [c.id or 0 for v in included for c in v.controls]
    by_control = {
        f.plan_control_id: f
        for f in tx.control_followups.for_controls(control_ids)
        if f.period == label
    }
    # Ordered by period, so the last one up to the period wins.
    residuals = tx.risk_followups.for_plan_risks([v.plan_risk.id or 0 for v in included])
    latest = {f.plan_risk_id: f for f in residuals if f.period <= label}
    controls = [_control_row(v, c, by_control.get(c.id or 0)) for v in included for c in v.controls]
    return FollowupReport(
        plan_id=plan_id,
        year=view.plan.year,
        version=view.plan.plan_version,
        period=label,
        status_counts=StatusCounts.of([c.status for c in controls]),
        controls=controls,
        actions=[_action_row(v, a, as_of) for v in included for a in v.actions],
        risks=[_risk_row(v, latest.get(v.plan_risk.id or 0)) for v in included],
    )


def _control_row(
    item: PlanRiskView, control: PlanControl, followup: ControlFollowup | None
) -> ControlFollowupRow:
    return ControlFollowupRow(
        risk=item.risk.title,
        control_id=control.id or 0,
        control=control.control_activity,
        method=control.control_method,
        responsible=control.responsible,
        status=followup.status if followup else None,
        result=followup.result if followup else "",
        comment=followup.comment if followup else "",
        source=followup.source if followup else "",
    )


def _action_row(item: PlanRiskView, action: PlanAction, as_of: date) -> ActionFollowupRow:
    return ActionFollowupRow(
        risk=item.risk.title,
        action_id=action.id or 0,
        what=action.what,
        owner=action.owner,
        due_date=action.due_date,
        status=action.status,
        overdue=is_overdue(action, as_of),
        version=action.version,
    )


def _risk_row(item: PlanRiskView, residual: RiskFollowup | None) -> RiskFollowupRow:
    return RiskFollowupRow(
        risk_id=item.risk.id,
        plan_risk_id=item.plan_risk.id or 0,
        title=item.risk.title,
        risk_value=item.plan_risk.risk_value,
        residual_likelihood=residual.residual_likelihood if residual else None,
        residual_consequence=residual.residual_consequence if residual else None,
    )


# use cases -----------------------------------------------------------------------------


def record_control_followup(
    uow: UnitOfWork,
    catalog: Catalog,
    plan_control_id: int,
    period: str,
    *,
    status: FollowupStatus | None = None,
    result: str = "",
    comment: str = "",
) -> ControlFollowup:
    """One tertial's result of a kontrollmoment; taken from egenkontroll when it is linked
    to a stickprovsplan with an evaluated sample for the period and no status is given."""
    label = parse_period(period).label
    entry = ControlResult(plan_control_id, status, result, comment)
    with uow:
        stored = _put_control_result(uow, catalog, entry, label)
        uow.commit()
        return stored


def set_action_status(
    uow: UnitOfWork, action_id: int, status: ActionStatus, expected_version: int | None = None
) -> PlanAction:
    """Follow-up of an action; ``expected_version`` is the version the user saw."""
    with uow:
        stored = _put_action_status(uow, ActionProgress(action_id, status, expected_version))
        uow.commit()
        return stored


def record_risk_followup(
    uow: UnitOfWork,
    catalog: Catalog,
    plan_risk_id: int,
    period: str,
    likelihood: int,
    consequence: int,
    comment: str = "",
) -> RiskFollowup:
    """Re-scored residual risk for a tertial."""
    label = parse_period(period).label
    with uow:
        plan_risk = uow.plan_risks.get(plan_risk_id)
        score = ResidualScore(plan_risk.risk_id, likelihood, consequence, comment)
        stored = _put_residual(uow, catalog, plan_risk_id, label, score)
        uow.commit()
        return stored


def followup_summary(
    uow: UnitOfWork, catalog: Catalog, plan_id: int, period: str
) -> FollowupReport:
    """The period's follow-up report as of today (the unit of work's clock)."""
    with uow:
        return followup_report(uow, catalog, plan_id, period, uow.clock.today())


def record_followup(
    uow: UnitOfWork,
    catalog: Catalog,
    plan_id: int,
    period: str,
    *,
    control: ControlResult | None = None,
    action: ActionProgress | None = None,
    risk: ResidualScore | None = None,
) -> FollowupReport:
    """Record any of a control result, an action status and a residual score for the
    period, all or nothing, and return the period's report including them."""
    label = parse_period(period).label
    with uow:
        if control is not None:
            plan_risk_id = uow.plan_controls.get(control.plan_control_id).plan_risk_id
            _ensure_in_plan(uow, plan_id, plan_risk_id, f"Kontrollmoment {control.plan_control_id}")
            _put_control_result(uow, catalog, control, label)
        if action is not None:
            plan_risk_id = uow.plan_actions.get(action.action_id).plan_risk_id
            _ensure_in_plan(uow, plan_id, plan_risk_id, f"Åtgärd {action.action_id}")
            _put_action_status(uow, action)
        if risk is not None:
            plan_risk = plan_risk_of(uow, plan_id, risk.risk_id)
            _put_residual(uow, catalog, plan_risk.id or 0, label, risk)
        report = followup_report(uow, catalog, plan_id, label, uow.clock.today())
        uow.commit()
        return report
