"""The plan's proposal: which risks are in it and why, manual decisions and treatment."""

from __future__ import annotations

from riskmotor.catalogs import Catalog
from riskmotor.domain import scoring
from riskmotor.domain.catalog import SuggestedControl
from riskmotor.domain.models import Risk, RiskAnalysis
from riskmotor.domain.plan import ControlPlan, PlanRisk, Strategy
from riskmotor.domain.plan_selection import Candidate, Decision, select_risks
from riskmotor.errors import InvalidInputError, NotFoundError
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.reports.risks import RiskView
from riskmotor.services import workshop
from riskmotor.services.plan.read import plan_versions


def _candidates(views: list[RiskView]) -> list[Candidate]:
    return [Candidate(v.id, v.title, v.risk_value, v.likelihood, v.consequence) for v in views]


def reselect(tx: UnitOfWork, catalog: Catalog, plan: ControlPlan) -> None:
    """Re-apply the selection rule to the plan's risks, keeping the manual decisions."""
    assert plan.id is not None
    views = workshop.risk_views(tx, catalog, plan.analysis_id)
    existing = {p.risk_id: p for p in tx.plan_risks.for_plan(plan.id)}
    must = {k: p.must_include_reason for k, p in existing.items() if p.must_include}
    manual = {
        k: Decision(p.override, p.override_motivation)
        for k, p in existing.items()
        if p.override is not None
    }
    for chosen in select_risks(
        _candidates(views), plan.threshold, top_n=plan.top_n, must_include=must, overrides=manual
    ):
        risk_id = chosen.candidate.risk_id
        values = {
            "position": chosen.position,
            "risk_value": chosen.candidate.risk_value,
            "included": chosen.included,
            "reason": chosen.reason,
        }
        if risk_id in existing:
            current = existing[risk_id]
            if any(getattr(current, k) != v for k, v in values.items()):
                tx.plan_risks.update(current.model_copy(update=values))
        else:
            tx.plan_risks.add(PlanRisk(plan_id=plan.id, risk_id=risk_id, **values))


def propose(
    uow: UnitOfWork, catalog: Catalog, namnd_id: int, year: int, *, top_n: int | None = None
) -> ControlPlan:
    """Create the plan's proposal from the assessed risk analysis, or refresh the draft."""
    with uow:
        analysis = _analysis(uow, namnd_id, year)
        existing = plan_versions(uow, namnd_id, year)
        if existing:
            plan = existing[-1]
            plan.ensure_editable()
            if top_n is not None and top_n != plan.top_n:
                plan = uow.control_plans.update(plan.model_copy(update={"top_n": top_n}))
        else:
            plan = uow.control_plans.add(
                ControlPlan(
                    namnd_id=namnd_id,
                    analysis_id=analysis.id or 0,
                    year=year,
                    plan_version=1,
                    threshold=catalog.scale(analysis.scale_key).selection_threshold,
                    top_n=top_n,
                    created_at=uow.clock.now(),
                )
            )
        reselect(uow, catalog, plan)
        uow.commit()
        return plan


def _analysis(tx: UnitOfWork, namnd_id: int, year: int) -> RiskAnalysis:
    analysis = tx.analyses.find(namnd_id, year)
    if analysis is None:
        raise NotFoundError(f"Det finns ingen riskanalys för {year} att bygga planen på.")
    return analysis


def set_override(
    uow: UnitOfWork,
    catalog: Catalog,
    plan_risk_id: int,
    include: bool | None,
    motivation: str = "",
) -> None:
    """Manually include or exclude a risk (``None`` returns it to the rule)."""
    if include is not None and not motivation.strip():
        raise InvalidInputError("Ett manuellt beslut om en risk måste ha en skriven motivering.")
    with uow:
        _change_plan_risk(
            uow,
            catalog,
            plan_risk_id,
            override=include,
            override_motivation=motivation.strip() if include is not None else "",
        )
        uow.commit()


def set_must_include(
    uow: UnitOfWork, catalog: Catalog, plan_risk_id: int, required: bool, reason: str = ""
) -> None:
    """Kommunstyrelsen's common control areas and similar risks that must be in the plan."""
    if required and not reason.strip():
        raise InvalidInputError(
            "Ange varför risken måste ingå (till exempel kommunstyrelsens beslut)."
        )
    with uow:
        _change_plan_risk(
            uow,
            catalog,
            plan_risk_id,
            must_include=required,
            must_include_reason=reason.strip() if required else "",
        )
        uow.commit()


def _change_plan_risk(
    tx: UnitOfWork, catalog: Catalog, plan_risk_id: int, **changes: bool | str | None
) -> None:
    """Store a manual decision about a risk of a draft plan and re-run the selection."""
    plan_risk = tx.plan_risks.get(plan_risk_id)
    plan = tx.control_plans.get(plan_risk.plan_id)
    plan.ensure_editable()
    tx.plan_risks.update(plan_risk.model_copy(update=changes))
    reselect(tx, catalog, plan)


def set_treatment(
    uow: UnitOfWork,
    catalog: Catalog,
    plan_risk_id: int,
    strategy: Strategy,
    target_likelihood: int | None,
    target_consequence: int | None,
) -> PlanRisk:
    """The risk's strategy and the residual level the actions aim at."""
    if (target_likelihood is None) != (target_consequence is None):
        raise InvalidInputError("Ange både sannolikhet och konsekvens för målet, eller inget.")
    with uow:
        plan_risk = uow.plan_risks.get(plan_risk_id)
        plan = uow.control_plans.get(plan_risk.plan_id)
        plan.ensure_editable()
        if target_likelihood is not None and target_consequence is not None:
            scale_key = uow.analyses.get(plan.analysis_id).scale_key
            scoring.check_score(catalog.scale(scale_key), target_likelihood, target_consequence)
        stored = uow.plan_risks.update(
            plan_risk.model_copy(
                update={
                    "strategy": strategy,
                    "target_likelihood": target_likelihood,
                    "target_consequence": target_consequence,
                }
            )
        )
        uow.commit()
        return stored


def suggested_controls(catalog: Catalog, risk: RiskView | Risk) -> list[dict[str, str]]:
    """Kontrollmoment proposed by the risk's catalog template (a draft for ``add_control``)."""
    if not risk.template_key:
        return []
    return [_draft(c) for c in catalog.template(risk.template_key).suggested_controls]


def _draft(control: SuggestedControl) -> dict[str, str]:
    return control.model_dump(mode="json")
