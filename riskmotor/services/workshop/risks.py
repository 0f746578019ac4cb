"""Use cases for the risks of an analysis: add (free or from a template), update, delete
and undo a delete."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from riskmotor.catalogs import Catalog
from riskmotor.domain.models import Risk, RiskAnalysis, RiskSource
from riskmotor.domain.plan import PlanStatus
from riskmotor.errors import InvalidInputError, NotFoundError
from riskmotor.persistence.repositories import Repository
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.reports.risks import DeletedRisk, RiskView
from riskmotor.services.workshop.rules import (
    check_risk_scores,
    check_unique_title,
    checked_process,
    ensure_editable,
    invalid_input,
)
from riskmotor.services.workshop.views import views_of


def add_risk(uow: UnitOfWork, catalog: Catalog, draft: dict[str, Any]) -> RiskView:
    """Create a risk from field values; a given S and K become its agreed assessment."""
    risk = _validated(draft)
    with uow:
        view = _add(uow, catalog, risk)
        uow.commit()
        return view


def add_risk_from_template(
    uow: UnitOfWork,
    catalog: Catalog,
    analysis_id: int,
    template_key: str,
    *,
    unit_id: int | None = None,
    title: str | None = None,
) -> RiskView:
    template = catalog.template(template_key)
    risk = _validated(
        {
            "analysis_id": analysis_id,
            "title": title or template.title,
            "description": template.description,
            "process": template.process,
            "activity": template.activity,
            "unit_id": unit_id,
            "causes": "\n".join(template.causes),
            "consequence_description": "\n".join(template.consequences),
            "consequence_areas": template.consequence_areas,
            "source": RiskSource.KATALOG,
            "template_key": template.key,
        }
    )
    with uow:
        view = _add(uow, catalog, risk)
        uow.commit()
        return view


def _validated(draft: dict[str, Any]) -> Risk:
    try:
        risk = Risk.model_validate(draft)
    except ValidationError as exc:
        raise invalid_input(exc) from None
    if risk.inherent_likelihood is not None:
        risk.assessment_confirmed = True
    return risk


def _add(tx: UnitOfWork, catalog: Catalog, risk: Risk) -> RiskView:
    risk = checked_process(catalog, risk)
    analysis = tx.analyses.get(risk.analysis_id)
    ensure_editable(analysis)
    check_risk_scores(catalog, analysis, risk)
    check_unique_title(tx, risk)
    stored = tx.risks.add(risk)
    return views_of(tx, catalog, analysis, [stored])[0]


def get_risk(uow: UnitOfWork, risk_id: int) -> Risk:
    with uow:
        return uow.risks.get(risk_id)


def update_risk(uow: UnitOfWork, catalog: Catalog, risk: Risk) -> Risk:
    """Save the changed fields of ``risk`` (its process too) if nobody saved it since."""
    risk = checked_process(catalog, risk)
    with uow:
        analysis = uow.analyses.get(risk.analysis_id)
        ensure_editable(analysis)
        check_risk_scores(catalog, analysis, risk)
        check_unique_title(uow, risk)
        stored = uow.risks.update(risk)
        uow.commit()
        return stored


def delete_risk(uow: UnitOfWork, risk_id: int, expected_version: int) -> DeletedRisk:
    """Delete the risk (its votes and evidence links go with it); the returned copy lets
    :func:`restore_risk` undo the delete."""
    with uow:
        risk = uow.risks.get(risk_id)
        analysis = uow.analyses.get(risk.analysis_id)
        ensure_editable(analysis)
        _ensure_in_no_decided_plan(uow, analysis, risk)
        deleted = DeletedRisk(
            risk=risk,
            votes=[v for v in uow.votes.for_analysis(analysis.id or 0) if v.risk_id == risk_id],
            links=uow.deviation_links.for_risk(risk_id),
        )
        uow.risks.delete(risk_id, expected_version)
        uow.commit()
        return deleted


def restore_risk(uow: UnitOfWork, catalog: Catalog, deleted: DeletedRisk) -> RiskView:
    """Undo a delete: the risk is created again (a new row and a new "create" in the audit
    log, so the log tells both the delete and the undo) with its votes and evidence links.

    A vote whose participant, or a link whose deviation, has been removed since is left
    out; so is a reference to a unit or a simulation run that no longer exists.
    """
    with uow:
        analysis = uow.analyses.get(deleted.risk.analysis_id)
        ensure_editable(analysis)
        risk = deleted.risk.model_copy(
            update={
                "id": None,
                "version": 0,
                "unit_id": _existing(uow.units, deleted.risk.unit_id),
                "likelihood_evidence_id": _existing(
                    uow.simulation_runs, deleted.risk.likelihood_evidence_id
                ),
            }
        )
        check_risk_scores(catalog, analysis, risk)
        check_unique_title(uow, risk)
        stored = uow.risks.add(risk)
        assert stored.id is not None
        present = {p.id for p in uow.participants.for_analysis(analysis.id or 0)}
        for vote in deleted.votes:
            if vote.participant_id in present:
                uow.votes.add(vote.model_copy(update={"id": None, "risk_id": stored.id}))
        for link in deleted.links:
            if link.deviation_id is None or _existing(uow.deviations, link.deviation_id):
                uow.deviation_links.add(link.model_copy(update={"id": None, "risk_id": stored.id}))
        view = views_of(uow, catalog, analysis, [stored])[0]
        uow.commit()
        return view


def _existing(repository: Repository[Any, Any], item_id: int | None) -> int | None:
    """``item_id`` if the row is still there, else None."""
    if item_id is None:
        return None
    try:
        repository.get(item_id)
    except NotFoundError:
        return None
    return item_id


def _ensure_in_no_decided_plan(tx: UnitOfWork, analysis: RiskAnalysis, risk: Risk) -> None:
    """A risk that a plan för beslut or fastställd contains stays: the plan shows it."""
    decided = [
        p
        for p in tx.control_plans.versions(analysis.namnd_id, analysis.year)
        if p.analysis_id == analysis.id and p.status != PlanStatus.UTKAST and p.id is not None
    ]
    holding = [
        p
        for p in decided
        if any(entry.risk_id == risk.id for entry in tx.plan_risks.for_plan(p.id or 0))
    ]
    if holding:
        versions = ", ".join(f"version {p.plan_version} ({p.status.value})" for p in holding)
        raise InvalidInputError(
            f"Risken {risk.title!r} kan inte tas bort: den ingår i internkontrollplanen för "
            f"{analysis.year}, {versions}. Ett beslutat innehåll ändras inte i efterhand; "
            "ta bort risken ur en ny version av planen i stället."
        )
