"""Use cases of the internkontrollplan: propose, complete, adopt, version, copy, follow up."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from riskmotor.catalogs import Catalog
from riskmotor.domain import scoring
from riskmotor.domain.egenkontroll import parse_period
from riskmotor.domain.models import Risk, RiskAnalysis
from riskmotor.domain.plan import (
    ActionStatus,
    Candidate,
    ControlFollowup,
    ControlPlan,
    Decision,
    FollowupStatus,
    PlanAction,
    PlanControl,
    PlanDiff,
    PlanItem,
    PlanRisk,
    PlanStatus,
    RiskFollowup,
    Strategy,
    diff_plans,
    is_overdue,
    select_risks,
)
from riskmotor.errors import InvalidInputError, NotFoundError
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.services import egenkontroll, workshop
from riskmotor.services.organisation import namnd_named
from riskmotor.services.workshop import RiskView

STATUS_ORDER = {"grön": 0, "gul": 1, "röd": 2}


class PlanFrozenError(InvalidInputError):
    """The plan is adopted (or awaiting decision) and cannot be edited."""


@dataclass
class PlanRiskView:
    plan_risk: PlanRisk
    risk: RiskView
    controls: list[PlanControl] = field(default_factory=list)
    actions: list[PlanAction] = field(default_factory=list)


@dataclass
class PlanView:
    plan: ControlPlan
    risks: list[PlanRiskView]

    @property
    def included(self) -> list[PlanRiskView]:
        return [r for r in self.risks if r.plan_risk.included]


# reading -------------------------------------------------------------------------------


def versions(uow: UnitOfWork, namnd_id: int, year: int) -> list[ControlPlan]:
    with uow:
        return uow.control_plans.versions(namnd_id, year)


def current_plan(uow: UnitOfWork, namnd_id: int, year: int) -> ControlPlan:
    found = versions(uow, namnd_id, year)
    if not found:
        raise NotFoundError(
            f"Det finns ingen internkontrollplan för {year} ännu. Föreslå en först."
        )
    return found[-1]


def find_plan(uow: UnitOfWork, namnd_name: str, year: int) -> ControlPlan:
    namnd = namnd_named(uow, namnd_name)
    assert namnd.id is not None
    return current_plan(uow, namnd.id, year)


def view(uow: UnitOfWork, catalog: Catalog, plan_id: int) -> PlanView:
    with uow:
        plan = uow.control_plans.get(plan_id)
        plan_risks = uow.plan_risks.for_plan(plan_id)
        ids = [p.id for p in plan_risks if p.id is not None]
        controls = uow.plan_controls.for_plan_risks(ids)
        actions = uow.plan_actions.for_plan_risks(ids)
    risks = {r.id: r for r in workshop.list_risks(uow, catalog, plan.analysis_id)}
    views = [PlanRiskView(p, risks[p.risk_id]) for p in plan_risks if p.risk_id in risks]
    by_id = {v.plan_risk.id: v for v in views}
    for control in controls:
        by_id[control.plan_risk_id].controls.append(control)
    for action in actions:
        by_id[action.plan_risk_id].actions.append(action)
    return PlanView(plan, views)


def plan_json(plan_view: PlanView, today: date | None = None) -> dict[str, Any]:
    """The plan as the CLI prints it (pinned keys: status, version, threshold, risks)."""
    plan = plan_view.plan
    when = today or date.today()
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
        "risks": [
            {
                "id": v.risk.id,
                "plan_risk_id": v.plan_risk.id,
                "title": v.risk.title,
                "risk_value": v.plan_risk.risk_value,
                "included": v.plan_risk.included,
                "reason": v.plan_risk.reason,
                "strategy": v.plan_risk.strategy.value if v.plan_risk.strategy else None,
                "target_likelihood": v.plan_risk.target_likelihood,
                "target_consequence": v.plan_risk.target_consequence,
                "controls": [c.model_dump(mode="json") for c in v.controls],
                "actions": [
                    {**a.model_dump(mode="json"), "overdue": is_overdue(a, when)} for a in v.actions
                ],
            }
            for v in plan_view.risks
        ],
    }


# proposal and selection ----------------------------------------------------------------


def _candidates(views: list[RiskView]) -> list[Candidate]:
    return [Candidate(v.id, v.title, v.risk_value, v.likelihood, v.consequence) for v in views]


def _editable(plan: ControlPlan) -> None:
    if plan.status == PlanStatus.FASTSTALLD:
        raise PlanFrozenError(
            f"Internkontrollplanen för {plan.year} (version {plan.plan_version}) är fastställd "
            "och kan inte ändras. Skapa en ny version för att göra ändringar."
        )
    if plan.status == PlanStatus.FOR_BESLUT:
        raise PlanFrozenError(
            f"Internkontrollplanen för {plan.year} är skickad för beslut. Ta tillbaka den till "
            "utkast för att ändra den."
        )


def _reselect(uow: UnitOfWork, plan: ControlPlan, views: list[RiskView]) -> None:
    """Re-apply the rule to the plan's risks, keeping manual decisions; within a uow."""
    assert plan.id is not None
    existing = {p.risk_id: p for p in uow.plan_risks.for_plan(plan.id)}
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
                uow.plan_risks.update(current.model_copy(update=values))
        else:
            uow.plan_risks.add(PlanRisk(plan_id=plan.id, risk_id=risk_id, **values))


def propose(
    uow: UnitOfWork, catalog: Catalog, namnd_id: int, year: int, *, top_n: int | None = None
) -> ControlPlan:
    """Create the plan's proposal from the assessed risk analysis, or refresh the draft."""
    with uow:
        analysis = _analysis(uow, namnd_id, year)
    views = workshop.list_risks(uow, catalog, analysis.id or 0)
    with uow:
        existing = uow.control_plans.versions(namnd_id, year)
        if existing:
            plan = existing[-1]
            _editable(plan)
            if top_n != plan.top_n and top_n is not None:
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
                    created_at=datetime.now(UTC),
                )
            )
        _reselect(uow, plan, views)
        uow.commit()
        return plan


def _analysis(uow: UnitOfWork, namnd_id: int, year: int) -> RiskAnalysis:
    analysis = uow.analyses.find(namnd_id, year)
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
    _change_plan_risk(
        uow,
        catalog,
        plan_risk_id,
        override=include,
        override_motivation=motivation.strip() if include is not None else "",
    )


def set_must_include(
    uow: UnitOfWork, catalog: Catalog, plan_risk_id: int, required: bool, reason: str = ""
) -> None:
    """Kommunstyrelsen's common control areas and similar risks that must be in the plan."""
    if required and not reason.strip():
        raise InvalidInputError(
            "Ange varför risken måste ingå (till exempel kommunstyrelsens beslut)."
        )
    _change_plan_risk(
        uow,
        catalog,
        plan_risk_id,
        must_include=required,
        must_include_reason=reason.strip() if required else "",
    )


def _change_plan_risk(uow: UnitOfWork, catalog: Catalog, plan_risk_id: int, **changes: Any) -> None:
    with uow:
        plan_risk = uow.plan_risks.get(plan_risk_id)
        plan = uow.control_plans.get(plan_risk.plan_id)
        _editable(plan)
    views = workshop.list_risks(uow, catalog, plan.analysis_id)
    with uow:
        uow.plan_risks.update(uow.plan_risks.get(plan_risk_id).model_copy(update=changes))
        _reselect(uow, plan, views)
        uow.commit()


def set_treatment(
    uow: UnitOfWork,
    catalog: Catalog,
    plan_risk_id: int,
    strategy: Strategy,
    target_likelihood: int | None,
    target_consequence: int | None,
) -> PlanRisk:
    with uow:
        plan_risk = uow.plan_risks.get(plan_risk_id)
        plan = uow.control_plans.get(plan_risk.plan_id)
        _editable(plan)
        if (target_likelihood is None) != (target_consequence is None):
            raise InvalidInputError("Ange både sannolikhet och konsekvens för målet, eller inget.")
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


# controls and actions ------------------------------------------------------------------


def suggested_controls(catalog: Catalog, risk: RiskView | Risk) -> list[dict[str, str]]:
    """Kontrollmoment proposed by the risk's catalog template, if it came from one."""
    if not risk.template_key:
        return []
    template = catalog.template(risk.template_key)
    return [c.model_dump() for c in template.suggested_controls]


def _plan_of_risk(uow: UnitOfWork, plan_risk_id: int) -> ControlPlan:
    return uow.control_plans.get(uow.plan_risks.get(plan_risk_id).plan_id)


def add_control(uow: UnitOfWork, draft: dict[str, Any]) -> PlanControl:
    control = PlanControl.model_validate(draft)
    with uow:
        plan_risk = uow.plan_risks.get(control.plan_risk_id)
        _editable(_plan_of_risk(uow, control.plan_risk_id))
        if not plan_risk.included:
            raise InvalidInputError("Kontrollmoment läggs bara till risker som ingår i planen.")
        stored = uow.plan_controls.add(control)
        uow.commit()
        return stored


def update_control(uow: UnitOfWork, control: PlanControl) -> PlanControl:
    with uow:
        _editable(_plan_of_risk(uow, control.plan_risk_id))
        stored = uow.plan_controls.update(control)
        uow.commit()
        return stored


def delete_control(uow: UnitOfWork, control_id: int, expected_version: int) -> None:
    with uow:
        _editable(_plan_of_risk(uow, uow.plan_controls.get(control_id).plan_risk_id))
        uow.plan_controls.delete(control_id, expected_version)
        uow.commit()


def add_action(uow: UnitOfWork, draft: dict[str, Any]) -> PlanAction:
    action = PlanAction.model_validate(draft)
    with uow:
        _editable(_plan_of_risk(uow, action.plan_risk_id))
        stored = uow.plan_actions.add(action)
        uow.commit()
        return stored


def set_action_status(
    uow: UnitOfWork, action_id: int, status: ActionStatus, expected_version: int | None = None
) -> PlanAction:
    """Follow-up of an action; allowed after adoption, since it does not change the plan.

    ``expected_version`` is the version the user saw (None: whatever is stored now).
    """
    with uow:
        action = uow.plan_actions.get(action_id)
        version = action.version if expected_version is None else expected_version
        stored = uow.plan_actions.update(
            action.model_copy(update={"status": status, "version": version})
        )
        uow.commit()
        return stored


def delete_action(uow: UnitOfWork, action_id: int, expected_version: int) -> None:
    with uow:
        _editable(_plan_of_risk(uow, uow.plan_actions.get(action_id).plan_risk_id))
        uow.plan_actions.delete(action_id, expected_version)
        uow.commit()


def set_opinion(uow: UnitOfWork, plan_id: int, text: str) -> ControlPlan:
    """Förvaltningens synpunkter for the tjänsteutlåtande."""
    with uow:
        plan = uow.control_plans.get(plan_id)
        _editable(plan)
        stored = uow.control_plans.update(plan.model_copy(update={"opinion": text}))
        uow.commit()
        return stored


# lifecycle -----------------------------------------------------------------------------


def _set_status(
    uow: UnitOfWork, plan_id: int, allowed: set[PlanStatus], **changes: Any
) -> ControlPlan:
    with uow:
        plan = uow.control_plans.get(plan_id)
        if plan.status not in allowed:
            _editable(plan)
        stored = uow.control_plans.update(plan.model_copy(update=changes))
        uow.commit()
        return stored


def submit(uow: UnitOfWork, catalog: Catalog, plan_id: int) -> ControlPlan:
    """Utkast → för beslut, once every included risk has a kontrollmoment."""
    missing = [v.risk.title for v in view(uow, catalog, plan_id).included if not v.controls]
    if missing:
        raise InvalidInputError(
            "Följande risker i planen saknar kontrollmoment: " + "; ".join(missing)
        )
    return _set_status(uow, plan_id, {PlanStatus.UTKAST}, status=PlanStatus.FOR_BESLUT)


def withdraw(uow: UnitOfWork, plan_id: int) -> ControlPlan:
    return _set_status(uow, plan_id, {PlanStatus.FOR_BESLUT}, status=PlanStatus.UTKAST)


def approve(
    uow: UnitOfWork, catalog: Catalog, plan_id: int, decision_date: date, paragraf: str, dnr: str
) -> ControlPlan:
    """Nämnden fastställer planen: the plan is frozen from now on."""
    if not paragraf.strip() or not dnr.strip():
        raise InvalidInputError("Ange både paragraf (§) och diarienummer för nämndens beslut.")
    with uow:
        status = uow.control_plans.get(plan_id).status
    if status == PlanStatus.UTKAST:
        submit(uow, catalog, plan_id)
    return _set_status(
        uow,
        plan_id,
        {PlanStatus.FOR_BESLUT},
        status=PlanStatus.FASTSTALLD,
        decision_date=decision_date,
        paragraf=paragraf.strip(),
        dnr=dnr.strip(),
    )


def new_version(uow: UnitOfWork, plan_id: int) -> ControlPlan:
    """A change after adoption: a new draft version that carries everything over."""
    with uow:
        source = uow.control_plans.get(plan_id)
        latest = uow.control_plans.versions(source.namnd_id, source.year)[-1]
        if latest.id != source.id:
            raise InvalidInputError(
                f"Det finns redan en nyare version ({latest.plan_version}) av planen."
            )
        if source.status != PlanStatus.FASTSTALLD:
            raise InvalidInputError("En ny version skapas först när planen är fastställd.")
        copy = uow.control_plans.add(
            _copy_header(
                source, source.year, source.plan_version + 1, source.analysis_id, "ny version"
            )
        )
        _copy_contents(
            uow,
            source,
            copy,
            {p.risk_id: p.risk_id for p in uow.plan_risks.for_plan(plan_id)},
            keep_done=True,
        )
        uow.commit()
        return copy


def _copy_header(
    source: ControlPlan, year: int, plan_version: int, analysis_id: int, kind: str
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
        created_at=datetime.now(UTC),
    )


def _copy_contents(
    uow: UnitOfWork,
    source: ControlPlan,
    target: ControlPlan,
    risk_map: dict[int, int],
    *,
    keep_done: bool,
) -> None:
    """Copy plan risks (mapped to the target's risks), controls and actions."""
    assert source.id is not None and target.id is not None
    for old in uow.plan_risks.for_plan(source.id):
        if old.risk_id not in risk_map:
            continue
        new = uow.plan_risks.add(
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
        for control in uow.plan_controls.for_plan_risks([old.id]):
            uow.plan_controls.add(
                control.model_copy(update={"id": None, "version": 0, "plan_risk_id": new.id})
            )
        for action in uow.plan_actions.for_plan_risks([old.id]):
            if keep_done or action.status != ActionStatus.KLAR:
                uow.plan_actions.add(
                    action.model_copy(update={"id": None, "version": 0, "plan_risk_id": new.id})
                )


def copy_to_next_year(uow: UnitOfWork, catalog: Catalog, plan_id: int) -> ControlPlan:
    """Next year's plan starts from this year's: risks, controls and open actions carry over.

    Next year's risk analysis is created from this year's risks when it does not exist yet;
    its scores are the starting point for the new workshop.
    """
    with uow:
        source = uow.control_plans.get(plan_id)
    this_year = {v.id: v for v in workshop.list_risks(uow, catalog, source.analysis_id)}
    with uow:
        year = source.year + 1
        if uow.control_plans.versions(source.namnd_id, year):
            raise InvalidInputError(f"Det finns redan en internkontrollplan för {year}.")
        target_analysis = uow.analyses.find(source.namnd_id, year) or _copy_analysis(
            uow, uow.analyses.get(source.analysis_id), year, this_year
        )
        old_titles = {r.id: r.title for r in uow.risks.for_analysis(source.analysis_id)}
        new_ids = {r.title: r.id for r in uow.risks.for_analysis(target_analysis.id or 0)}
        risk_map = {old: new_ids[t] for old, t in old_titles.items() if t in new_ids}
        copy = uow.control_plans.add(
            _copy_header(source, year, 1, target_analysis.id or 0, "föregående år")
        )
        _copy_contents(uow, source, copy, {k: v for k, v in risk_map.items() if v}, keep_done=False)
        uow.commit()
    views = workshop.list_risks(uow, catalog, copy.analysis_id)
    with uow:
        _reselect(uow, uow.control_plans.get(copy.id or 0), views)
        uow.commit()
    return copy


def _copy_analysis(
    uow: UnitOfWork, source: RiskAnalysis, year: int, scored: dict[int, RiskView]
) -> RiskAnalysis:
    """Next year's analysis with this year's risks; this year's scores (agreed, or the vote
    aggregate when not yet agreed) are the starting point."""
    analysis = uow.analyses.add(
        RiskAnalysis(
            namnd_id=source.namnd_id,
            year=year,
            title=source.title.replace(str(source.year), str(year)),
            scale_key=source.scale_key,
        )
    )
    for risk in uow.risks.for_analysis(source.id or 0):
        this_year = scored[risk.id or 0]
        uow.risks.add(
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


def diff(uow: UnitOfWork, catalog: Catalog, plan_id: int) -> PlanDiff | None:
    """What changed against the plan this one is based on (None for a first plan)."""
    current = view(uow, catalog, plan_id)
    if current.plan.based_on_id is None:
        return None
    before = view(uow, catalog, current.plan.based_on_id)
    return diff_plans(_items(before), _items(current))


def _items(plan_view: PlanView) -> list[PlanItem]:
    return [
        PlanItem(
            v.risk.title,
            v.plan_risk.risk_value,
            v.plan_risk.included,
            frozenset(c.control_activity for c in v.controls),
        )
        for v in plan_view.risks
    ]


# follow-up -----------------------------------------------------------------------------


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
    with uow:
        control = uow.plan_controls.get(plan_control_id)
    entry = ControlFollowup(
        plan_control_id=plan_control_id,
        period=label,
        status=status or FollowupStatus.GUL,
        result=result,
        comment=comment,
    )
    if status is None:
        from_sampling = _from_sampling(uow, catalog, control, label)
        if from_sampling is None:
            raise InvalidInputError(
                "Ange status (grön, gul eller röd): kontrollmomentet har inget utvärderat "
                f"stickprov för {label}."
            )
        entry = from_sampling.model_copy(update={"comment": comment})
    with uow:
        existing = {f.period: f for f in uow.control_followups.for_controls([plan_control_id])}
        stored = uow.control_followups.put(entry, existing.get(label))
        uow.commit()
        return stored


def _from_sampling(
    uow: UnitOfWork, catalog: Catalog, control: PlanControl, period: str
) -> ControlFollowup | None:
    if control.egenkontroll_plan_id is None:
        return None
    draw = next(
        (d for d in egenkontroll.draws(uow, control.egenkontroll_plan_id) if d.period == period),
        None,
    )
    if draw is None or draw.id is None:
        return None
    evaluated = [e for e in egenkontroll.evaluate(uow, catalog, draw.id).overall if e.status]
    if not evaluated:
        return None
    worst = max(evaluated, key=lambda e: STATUS_ORDER[e.status])
    return ControlFollowup(
        plan_control_id=control.id or 0,
        period=period,
        status=FollowupStatus(worst.status),
        share=min(e.compliance_share or 0 for e in evaluated),
        result=" ".join(f"{e.control_name}: {e.conclusion}" for e in evaluated),
        source="egenkontroll",
    )


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
        plan = _plan_of_risk(uow, plan_risk_id)
        scale_key = uow.analyses.get(plan.analysis_id).scale_key
        scoring.check_score(catalog.scale(scale_key), likelihood, consequence)
        existing = {f.period: f for f in uow.risk_followups.for_plan_risks([plan_risk_id])}
        entry = RiskFollowup(
            plan_risk_id=plan_risk_id,
            period=label,
            residual_likelihood=likelihood,
            residual_consequence=consequence,
            comment=comment,
        )
        stored = uow.risk_followups.put(entry, existing.get(label))
        uow.commit()
        return stored


def followup_summary(
    uow: UnitOfWork, catalog: Catalog, plan_id: int, period: str, today: date | None = None
) -> dict[str, Any]:
    """Uppföljning av internkontrollplan for one period: results, statuses, actions, risks."""
    label = parse_period(period).label
    when = today or date.today()
    plan_view = view(uow, catalog, plan_id)
    included = plan_view.included
    control_ids = [c.id or 0 for v in included for c in v.controls]
    with uow:
        followups = [
            f for f in uow.control_followups.for_controls(control_ids) if f.period == label
        ]
        residuals = [
            f
            for f in uow.risk_followups.for_plan_risks([v.plan_risk.id or 0 for v in included])
            if f.period <= label
        ]
    by_control = {f.plan_control_id: f for f in followups}
    latest_residual = {f.plan_risk_id: f for f in residuals}  # ordered by period
    controls = [
        {
            "risk": v.risk.title,
            "control_id": c.id,
            "control": c.control_activity,
            "method": c.control_method,
            "responsible": c.responsible,
            "status": by_control[c.id].status.value if c.id in by_control else None,
            "result": by_control[c.id].result if c.id in by_control else "",
            "comment": by_control[c.id].comment if c.id in by_control else "",
            "source": by_control[c.id].source if c.id in by_control else "",
        }
        for v in included
        for c in v.controls
    ]
    actions = [
        {
            "risk": v.risk.title,
            "action_id": a.id,
            "what": a.what,
            "owner": a.owner,
            "due_date": a.due_date.isoformat() if a.due_date else None,
            "status": a.status.value,
            "overdue": is_overdue(a, when),
            "version": a.version,
        }
        for v in included
        for a in v.actions
    ]
    risks = [
        {
            "risk_id": v.risk.id,
            "plan_risk_id": v.plan_risk.id,
            "title": v.risk.title,
            "risk_value": v.plan_risk.risk_value,
            "residual_likelihood": latest_residual[v.plan_risk.id].residual_likelihood
            if v.plan_risk.id in latest_residual
            else None,
            "residual_consequence": latest_residual[v.plan_risk.id].residual_consequence
            if v.plan_risk.id in latest_residual
            else None,
        }
        for v in included
    ]
    counts = {s.value: sum(1 for c in controls if c["status"] == s.value) for s in FollowupStatus}
    return {
        "plan_id": plan_id,
        "year": plan_view.plan.year,
        "version": plan_view.plan.plan_version,
        "period": label,
        "status_counts": {
            **counts,
            "ej rapporterad": sum(1 for c in controls if c["status"] is None),
        },
        "controls": controls,
        "actions": actions,
        "overdue_actions": [a for a in actions if a["overdue"]],
        "risks": risks,
    }
