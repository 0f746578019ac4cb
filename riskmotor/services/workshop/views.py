"""Risks as read models (``RiskView``): the agreed or aggregated score, level and votes."""

from __future__ import annotations

from collections import defaultdict

from riskmotor.catalogs import Catalog
from riskmotor.domain import scoring
from riskmotor.domain.catalog import Scale
from riskmotor.domain.models import Risk, RiskAnalysis, UnitKind, Vote
from riskmotor.domain.scoring import Aggregation
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.reports.risks import RiskView


def risk_views(
    tx: UnitOfWork,
    catalog: Catalog,
    analysis_id: int,
    method: Aggregation = Aggregation.MEDIAN,
) -> list[RiskView]:
    """Every risk of the analysis as the workshop shows it (inside the open ``tx``)."""
    analysis = tx.analyses.get(analysis_id)
    return views_of(tx, catalog, analysis, tx.risks.for_analysis(analysis_id), method)


def list_risks(
    uow: UnitOfWork,
    catalog: Catalog,
    analysis_id: int,
    method: Aggregation = Aggregation.MEDIAN,
) -> list[RiskView]:
    with uow:
        return risk_views(uow, catalog, analysis_id, method)


def votes_by_risk(votes: list[Vote]) -> dict[int, list[Vote]]:
    grouped: dict[int, list[Vote]] = defaultdict(list)
    for vote in votes:
        grouped[vote.risk_id].append(vote)
    return grouped


def views_of(
    tx: UnitOfWork,
    catalog: Catalog,
    analysis: RiskAnalysis,
    risks: list[Risk],
    method: Aggregation = Aggregation.MEDIAN,
) -> list[RiskView]:
    """``risks`` of ``analysis`` as views, with their votes read in ``tx``."""
    assert analysis.id is not None
    by_risk = votes_by_risk(tx.votes.for_analysis(analysis.id))
    unit_names = {unit.id: unit.name for unit in tx.units.of_kind(UnitKind.ENHET)}
    scale = catalog.scale(analysis.scale_key)
    return [
        _view(catalog, scale, risk, by_risk.get(risk.id or 0, []), unit_names, method)
        for risk in risks
    ]


def _view(
    catalog: Catalog,
    scale: Scale,
    risk: Risk,
    votes: list[Vote],
    unit_names: dict[int | None, str],
    method: Aggregation,
) -> RiskView:
    aggregate = scoring.aggregate_votes(votes, method)
    if risk.inherent_likelihood is not None and risk.inherent_consequence is not None:
        current: tuple[int, int] | None = (risk.inherent_likelihood, risk.inherent_consequence)
    else:
        current = aggregate
    assessed = scoring.assess(scale, *current) if current else None
    residual = None
    if risk.residual_likelihood is not None and risk.residual_consequence is not None:
        residual = scoring.assess(scale, risk.residual_likelihood, risk.residual_consequence)
    assert risk.id is not None
    return RiskView(
        id=risk.id,
        version=risk.version,
        title=risk.title,
        description=risk.description,
        process=risk.process,
        process_name=catalog.process_name(risk.process),
        activity=risk.activity,
        unit_id=risk.unit_id,
        unit=unit_names.get(risk.unit_id, ""),
        causes=risk.causes,
        consequence_description=risk.consequence_description,
        existing_controls=risk.existing_controls,
        consequence_areas=risk.consequence_areas,
        source=risk.source.value,
        template_key=risk.template_key,
        likelihood=assessed.likelihood if assessed else None,
        consequence=assessed.consequence if assessed else None,
        risk_value=assessed.risk_value if assessed else None,
        level=assessed.level.key if assessed else None,
        level_name=assessed.level.name if assessed else None,
        colour=assessed.level.colour if assessed else None,
        residual_likelihood=risk.residual_likelihood,
        residual_consequence=risk.residual_consequence,
        residual_value=residual.risk_value if residual else None,
        residual_level=residual.level.key if residual else None,
        votes=len(votes),
        vote_likelihood=aggregate[0] if aggregate else None,
        vote_consequence=aggregate[1] if aggregate else None,
        disagreement=scoring.has_disagreement(votes),
        confirmed=risk.assessment_confirmed,
    )
