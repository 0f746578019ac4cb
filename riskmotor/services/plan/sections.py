"""The sections of a decision package beside the plan, read live inside ``tx``.

Sampling (egenkontroll) results, simulation evidence, the diff against the earlier version,
the deviation summary and the workshop dates. A draft's exports read them live; when a plan
goes för beslut they are frozen with its content (:func:`decision_content`), so a package
of a version för beslut or fastställd shows them as the nämnd received them.
"""

from __future__ import annotations

from datetime import date

from riskmotor.catalogs import Catalog
from riskmotor.domain.deviations import (
    CauseCount,
    category_shares,
    count_by_category,
    cross_table,
    deviation_count,
    reported_share,
    top_causes,
)
from riskmotor.domain.plan import ControlPlan
from riskmotor.domain.plan_diff import PlanDiff
from riskmotor.errors import NotFoundError
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.reports.export import DeviationSummary, Evidence, SamplingResult
from riskmotor.reports.snapshot import FrozenSections, PlanContent
from riskmotor.services.egenkontroll import evaluate_draw
from riskmotor.services.plan.snapshots import plan_content
from riskmotor.services.plan.versions import plan_diff

TOP_CAUSES = 5


def evidence(tx: UnitOfWork, analysis_id: int, titles: dict[int, str]) -> list[Evidence]:
    """Simulation runs used as likelihood evidence; only the few risks that have one."""
    found = []
    for risk in tx.risks.for_analysis(analysis_id):
        if risk.likelihood_evidence_id is None:
            continue
        try:
            run = tx.simulation_runs.get(risk.likelihood_evidence_id)
        except NotFoundError:
            continue  # the run was deleted; the risk keeps its score without the citation
        found.append(
            Evidence(
                risk_title=titles.get(risk.id or 0, ""),
                scenario_name=run.scenario_name,
                replications=run.replications,
                seed=run.seed,
                run_on=run.created_at.date(),
                suggestion_text=run.suggestion_text,
            )
        )
    return found


def sampling(
    tx: UnitOfWork, catalog: Catalog, namnd_id: int, year: int, titles: dict[int, str]
) -> list[SamplingResult]:
    results = []
    for sampling_plan in tx.egenkontroll_plans.for_namnd(namnd_id, year):
        draws = tx.sample_draws.for_plan(sampling_plan.id or 0)
        evaluations = [evaluate_draw(tx, catalog, d.id) for d in draws if d.id is not None]
        title = titles.get(sampling_plan.risk_id or 0, "")
        results.append(SamplingResult(sampling_plan, title, evaluations))
    return results


def deviations(
    tx: UnitOfWork, catalog: Catalog, namnd_id: int, year: int
) -> tuple[DeviationSummary | None, list[CauseCount]]:
    """The year's reports as counts and shares (None when there are none), and the most
    common root causes of those that are deviations."""
    found = tx.deviations.for_namnd(namnd_id, date(year, 1, 1), date(year, 12, 31))
    if not found:
        return None, []
    categories = catalog.deviation_categories
    keys = [c.key for c in categories]
    by_key = {c.key: c for c in categories}
    counts = count_by_category(found, keys)
    summary = DeviationSummary(
        total=len(found),
        deviations=deviation_count(counts, categories),
        by_category=counts,
        shares=category_shares(counts, categories),
        ivo_share=reported_share(found, by_key["lex_sarah"]),
        imy_share=reported_share(found, by_key["personuppgiftsincident"]),
        table=cross_table(found, keys),
    )
    wanted = {c.key for c in categories if c.is_deviation}
    return summary, top_causes([d for d in found if d.category in wanted], TOP_CAUSES)


def diff(tx: UnitOfWork, catalog: Catalog, plan: ControlPlan | None) -> PlanDiff | None:
    # plan_diff reads the whole plan again; skip it for a plan that is based on none.
    if plan is None or plan.based_on_id is None:
        return None
    return plan_diff(tx, catalog, plan.id or 0)


def live_sections(
    tx: UnitOfWork, catalog: Catalog, plan: ControlPlan, titles: dict[int, str]
) -> FrozenSections:
    """The package sections beside ``plan`` as they stand now."""
    summary, causes = deviations(tx, catalog, plan.namnd_id, plan.year)
    return FrozenSections(
        sampling=sampling(tx, catalog, plan.namnd_id, plan.year, titles),
        evidence=evidence(tx, plan.analysis_id, titles),
        plan_diff=diff(tx, catalog, plan),
        deviation_summary=summary,
        top_causes=causes,
        workshop_dates=tx.analyses.get(plan.analysis_id).workshop_dates,
    )


def decision_content(tx: UnitOfWork, catalog: Catalog, plan: ControlPlan) -> PlanContent:
    """What is frozen when ``plan`` goes för beslut: the plan's content and the package
    sections beside it, both read live from the draft."""
    content = plan_content(tx, catalog, plan)
    # Titles as a frozen package names them: those of the plan's risks.
    titles = {r.risk.id: r.risk.title for r in content.risks}
    return content.model_copy(update={"sections": live_sections(tx, catalog, plan, titles)})
