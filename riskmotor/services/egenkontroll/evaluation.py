"""Evaluating a reviewed draw per kontrollmoment, and the trend over a plan's periods."""

from __future__ import annotations

from collections.abc import Mapping

from riskmotor.catalogs import Catalog
from riskmotor.domain.egenkontroll import (
    ControlEvaluation,
    ReviewedCase,
    combine_strata,
    evaluate_control,
)
from riskmotor.domain.models import ChecklistAnswer
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.reports.egenkontroll import DrawEvaluation, TrendPoint


def evaluate_draw(tx: UnitOfWork, catalog: Catalog, draw_id: int) -> DrawEvaluation:
    """Per kontrollmoment and stratum (enhet), and overall: figures, status and conclusion.

    Runs inside an open unit of work. Each stratum is judged with its own population (a
    census when it was drawn in full and every case answered); the overall figure weights
    the strata by population (see :func:`riskmotor.domain.egenkontroll.combine_strata`).
    """
    sample_draw = tx.sample_draws.get(draw_id)
    plan = tx.egenkontroll_plans.get(sample_draw.plan_id)
    stratum_of = {c.case_id: c.stratum for c in tx.sampled_cases.for_draw(draw_id)}
    reviewed = _reviewed_cases(tx.checklist_answers.for_draw(draw_id))
    strata = {
        stratum: (facts["population"], bool(facts.get("census", False)))
        for stratum, facts in sample_draw.strata.items()
    }
    overall, by_stratum = evaluate_strata(
        catalog,
        plan.control_keys,
        plan.confidence,
        plan.tolerable_rate,
        {s: [c for c in reviewed if stratum_of.get(c.case_id) == s] for s in strata},
        strata,
    )
    return DrawEvaluation(sample_draw, plan, overall, by_stratum)


def evaluate_strata(
    catalog: Catalog,
    control_keys: list[str],
    confidence: float,
    tolerable_rate: float,
    cases: Mapping[str, list[ReviewedCase]],
    strata: Mapping[str, tuple[int | None, bool]],
) -> tuple[list[ControlEvaluation], dict[str, list[ControlEvaluation]]]:
    """Every kontrollmoment per stratum (population, drawn in full?) and overall.

    The one rule for a stored draw and for a checklist file evaluated without a database.
    """
    by_stratum = {
        stratum: [
            evaluate_control(
                key,
                catalog.control_activity(key).name,
                cases.get(stratum, []),
                confidence=confidence,
                tolerable_rate=tolerable_rate,
                settings=catalog.egenkontroll,
                population=population,
                census=census,
            )
            for key in control_keys
        ]
        for stratum, (population, census) in strata.items()
    }
    overall = [
        combine_strata(
            {stratum: items[index] for stratum, items in by_stratum.items()}, catalog.egenkontroll
        )
        for index in range(len(control_keys))
    ]
    return overall, by_stratum


def _reviewed_cases(stored: list[ChecklistAnswer]) -> list[ReviewedCase]:
    dropped: dict[str, bool] = {}
    answers: dict[str, dict[str, str | None]] = {}
    for answer in stored:
        dropped.setdefault(answer.case_id, answer.dropped)
        answers.setdefault(answer.case_id, {})[answer.control_key] = answer.answer
    return [ReviewedCase(case_id, dropped[case_id], given) for case_id, given in answers.items()]


def evaluate(uow: UnitOfWork, catalog: Catalog, draw_id: int) -> DrawEvaluation:
    """A draw's evaluation for the page and the CLI (one transaction)."""
    with uow:
        return evaluate_draw(uow, catalog, draw_id)


def trend(uow: UnitOfWork, catalog: Catalog, plan_id: int) -> list[TrendPoint]:
    """Every reviewed period of a plan, per kontrollmoment, for the chart over tertials."""
    with uow:
        evaluations = [
            evaluate_draw(uow, catalog, sample_draw.id)
            for sample_draw in uow.sample_draws.for_plan(plan_id)
            if sample_draw.id is not None
        ]
    return [
        TrendPoint(
            period=evaluation.draw.period,
            control=item.control_name,
            share=item.compliance_share,
            low=item.compliance_interval[0],
            high=item.compliance_interval[1],
            status=item.status,
        )
        for evaluation in evaluations
        for item in evaluation.overall
        if item.compliance_share is not None and item.compliance_interval is not None
    ]
