"""Versions of the plan: a new version after adoption, next year's plan, and their diffs."""

from __future__ import annotations

from riskmotor.catalogs import Catalog
from riskmotor.domain.models import RiskAnalysis
from riskmotor.domain.plan import ActionStatus, ControlPlan, PlanStatus
from riskmotor.domain.plan_diff import PlanDiff, PlanItem, diff_plans
from riskmotor.errors import InvalidInputError
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.reports.plan import PlanView
from riskmotor.reports.risks import RiskView
from riskmotor.services import workshop
from riskmotor.services.plan.proposal import reselect
from riskmotor.services.plan.read import plan_versions, plan_view


def versions(uow: UnitOfWork, namnd_id: int, year: int) -> list[ControlPlan]:
    """Every version of the nämnd's plan for the year, oldest first."""
    with uow:
        return plan_versions(uow, namnd_id, year)


def new_version(uow: UnitOfWork, plan_id: int) -> ControlPlan:
    """A change after adoption: a new draft version that carries everything over."""
    with uow:
        source = uow.control_plans.get(plan_id)
        latest = plan_versions(uow, source.namnd_id, source.year)[-1]
        if latest.id != source.id:
            raise InvalidInputError(
                f"Det finns redan en nyare version ({latest.plan_version}) av planen."
            )
        if source.status != PlanStatus.FASTSTALLD:
            raise InvalidInputError("En ny version skapas först när planen är fastställd.")
        copy = uow.control_plans.add(
            _copy_header(
                uow, source, source.year, source.plan_version + 1, source.analysis_id, "ny version"
            )
        )
        same_risks = {p.risk_id: p.risk_id for p in uow.plan_risks.for_plan(plan_id)}
        _copy_contents(uow, source, copy, same_risks, keep_done=True)
        uow.commit()
        return copy


def copy_to_next_year(uow: UnitOfWork, catalog: Catalog, plan_id: int) -> ControlPlan:
    """Next year's plan starts from this year's: risks, controls and open actions carry over.

    Next year's risk analysis is created from this year's risks when it does not exist yet;
    its scores are the starting point for the new workshop.
    """
    with uow:
        source = uow.control_plans.get(plan_id)
        year = source.year + 1
        if plan_versions(uow, source.namnd_id, year):
            raise InvalidInputError(f"Det finns redan en internkontrollplan för {year}.")
        target_analysis = uow.analyses.find(source.namnd_id, year) or _copy_analysis(
            uow, catalog, uow.analyses.get(source.analysis_id), year
        )
        old_titles = {r.id: r.title for r in uow.risks.for_analysis(source.analysis_id)}
        new_ids = {r.title: r.id for r in uow.risks.for_analysis(target_analysis.id or 0)}
        risk_map = {
            old: new_id
            for old, title in old_titles.items()
            if old is not None and (new_id := new_ids.get(title))
        }
        copy = uow.control_plans.add(
            _copy_header(uow, source, year, 1, target_analysis.id or 0, "föregående år")
        )
        _copy_contents(uow, source, copy, risk_map, keep_done=False)
        reselect(uow, catalog, copy)
        uow.commit()
        return copy


def _copy_header(
    tx: UnitOfWork,
    source: ControlPlan,
    year: int,
    plan_version: int,
    analysis_id: int,
    kind: str,
) -> ControlPlan:
    return ControlPlan(
        namnd_id=source.namnd_id,
        analysis_id=analysis_id,
        year=year,
        plan_version=plan_version,
        threshold=source.threshold,
        top_n=source.top_n,
        based_on_id=source.id,
        based_on_kind=kind,
        opinion=source.opinion,
        created_at=tx.clock.now(),
    )


def _copy_contents(
    tx: UnitOfWork,
    source: ControlPlan,
    target: ControlPlan,
    risk_map: dict[int, int],
    *,
    keep_done: bool,
) -> None:
    """Copy plan risks (mapped to the target's risks), controls and actions."""
    assert source.id is not None and target.id is not None
    for old in tx.plan_risks.for_plan(source.id):
        if old.risk_id not in risk_map:
            continue
        new = tx.plan_risks.add(
            old.model_copy(
                update={
                    "id": None,
                    "version": 0,
                    "plan_id": target.id,
                    "risk_id": risk_map[old.risk_id],
                }
            )
        )
        assert old.id is not None
        for control in tx.plan_controls.for_plan_risks([old.id]):
            tx.plan_controls.add(
                control.model_copy(update={"id": None, "version": 0, "plan_risk_id": new.id})
            )
        for action in tx.plan_actions.for_plan_risks([old.id]):
            if keep_done or action.status != ActionStatus.KLAR:
                tx.plan_actions.add(
                    action.model_copy(update={"id": None, "version": 0, "plan_risk_id": new.id})
                )


def _copy_analysis(
    tx: UnitOfWork, catalog: Catalog, source: RiskAnalysis, year: int
) -> RiskAnalysis:
    """Next year's analysis with this year's risks; this year's scores (agreed, or the vote
    aggregate when not yet agreed) are the starting point."""
    scored: dict[int, RiskView] = {
        v.id: v for v in workshop.risk_views(tx, catalog, source.id or 0)
    }
    analysis = tx.analyses.add(
        RiskAnalysis(
            namnd_id=source.namnd_id,
            year=year,
            title=source.title.replace(str(source.year), str(year)),
            scale_key=source.scale_key,
        )
    )
    for risk in tx.risks.for_analysis(source.id or 0):
        this_year = scored[risk.id or 0]
        tx.risks.add(
            risk.model_copy(
                update={
                    "id": None,
                    "version": 0,
                    "analysis_id": analysis.id,
                    "assessment_confirmed": False,
                    "likelihood_evidence_id": None,
                    "inherent_likelihood": this_year.likelihood,
                    "inherent_consequence": this_year.consequence,
                }
            )
        )
    return analysis


# diffs ---------------------------------------------------------------------------------


def plan_diff(tx: UnitOfWork, catalog: Catalog, plan_id: int) -> PlanDiff | None:
    """What changed against the plan this one is based on (None for a first plan)."""
    current = plan_view(tx, catalog, plan_id)
    if current.plan.based_on_id is None:
        return None
    before = plan_view(tx, catalog, current.plan.based_on_id)
    return diff_plans(_items(before), _items(current))


def diff(uow: UnitOfWork, catalog: Catalog, plan_id: int) -> PlanDiff | None:
    with uow:
        return plan_diff(uow, catalog, plan_id)


def _items(view: PlanView) -> list[PlanItem]:
    return [
        PlanItem(
            v.risk.title,
            v.plan_risk.risk_value,
            v.plan_risk.included,
            frozenset(c.control_activity for c in v.controls),
        )
        for v in view.risks
    ]
