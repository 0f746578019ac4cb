"""``riskmotor sample evaluate``: a reviewed checklist evaluated per kontrollmoment, per
stratum and overall — from the file alone, or imported into the stored draw it belongs to."""

from __future__ import annotations

from pathlib import Path

from riskmotor.catalogs import Catalog
from riskmotor.domain.egenkontroll import ListedCase, ReviewedCase, parse_period
from riskmotor.domain.models import SampleDraw
from riskmotor.errors import InvalidInputError, NotFoundError
from riskmotor.export.xlsx.checklist import (
    CaseAnswers,
    ChecklistFacts,
    read_checklist,
    read_checklist_facts,
)
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.reports.egenkontroll import ChecklistEvaluation
from riskmotor.services.egenkontroll.checklist import (
    checklist_control,
    counted,
    refuse_misused_reserves,
    store_answers,
    used,
)
from riskmotor.services.egenkontroll.evaluation import evaluate_draw, evaluate_strata
from riskmotor.services.organisation import namnd_by_name


def evaluate_checklist_file(catalog: Catalog, source: Path) -> ChecklistEvaluation:
    """Evaluate a filled-in checklist without a database.

    Everything needed is on the checklist: the population of every stratum, the confidence
    and the tolerance (sheet Plan), the kontrollmoment (sheet Kontrollmoment) and each case's
    stratum. Reserves are held to the same rule as on import.
    """
    facts = read_checklist_facts(source)
    answers = read_checklist(source, [checklist_control(catalog, k) for k in facts.control_keys])
    rows = [*answers.sample, *answers.reserve]
    outside = [r.case_id for r in rows if facts.stratum_of.get(r.case_id) not in facts.strata]
    if outside:
        raise InvalidInputError(
            "Ärendena " + ", ".join(repr(c) for c in outside[:20]) + " hör inte till någon "
            "enhet i tabellen på bladet Plan."
        )
    refuse_misused_reserves(
        [_listed(r, facts) for r in answers.sample], [_listed(r, facts) for r in answers.reserve]
    )
    cases = {
        stratum: [
            ReviewedCase(r.case_id, r.dropped, dict(r.answers))
            for r in rows
            if counted(r) and facts.stratum_of[r.case_id] == stratum
        ]
        for stratum in facts.strata
    }
    strata = {s: (population, facts.census(s)) for s, (population, _) in facts.strata.items()}
    overall, by_stratum = evaluate_strata(
        catalog, facts.control_keys, facts.confidence, facts.tolerable_rate, cases, strata
    )
    return ChecklistEvaluation(
        facts.namnd, facts.period, facts.confidence, facts.tolerable_rate, None, overall,
        by_stratum,
    )  # fmt: skip


def _listed(row: CaseAnswers, facts: ChecklistFacts) -> ListedCase:
    return ListedCase(row.case_id, facts.stratum_of[row.case_id], row.dropped, used(row))


def evaluate_checklist(uow: UnitOfWork, catalog: Catalog, source: Path) -> ChecklistEvaluation:
    """Import a filled-in checklist into the stored draw it belongs to and evaluate the draw.

    The draw is found from what the checklist carries: its number in the database, checked
    against the seed and the case list's SHA-256 (or, without a number, the nämnd, period,
    seed and SHA-256). One transaction: the answers are stored only with the evaluation.
    """
    facts = read_checklist_facts(source)
    with uow:
        sample_draw = _stored_draw(uow, facts)
        assert sample_draw.id is not None
        store_answers(uow, catalog, sample_draw.id, source)
        result = evaluate_draw(uow, catalog, sample_draw.id)
        uow.commit()
    return ChecklistEvaluation(
        namnd=facts.namnd,
        period=sample_draw.period,
        confidence=result.plan.confidence,
        tolerable_rate=result.plan.tolerable_rate,
        draw_id=sample_draw.id,
        overall=result.overall,
        by_stratum=result.by_stratum,
    )


def _stored_draw(tx: UnitOfWork, facts: ChecklistFacts) -> SampleDraw:
    described = f"fröet {facts.seed}, ärendelistans kontrollsumma {facts.case_list_sha256[:12]}…"
    if facts.draw_id is not None:
        try:
            stored = tx.sample_draws.get(facts.draw_id)
        except NotFoundError:
            stored = None
        if stored is None or (stored.seed, stored.case_list_sha256) != (
            facts.seed,
            facts.case_list_sha256,
        ):
            raise InvalidInputError(
                f"Urval nr {facts.draw_id} i databasen är inte det som checklistan gjordes "
                f"från ({described}). Kontrollera --db, eller läs in checklistan utan --db."
            )
        return stored
    if not (facts.namnd and facts.period):
        raise InvalidInputError(
            "Checklistan säger inte vilket sparat urval den hör till (nämnd och period "
            "saknas på bladet Plan). Läs in den utan --db."
        )
    unit = namnd_by_name(tx, facts.namnd)
    year = parse_period(facts.period).start.year
    for plan in tx.egenkontroll_plans.for_namnd(unit.id or 0, year):
        for stored in tx.sample_draws.for_plan(plan.id or 0):
            if (stored.period, stored.seed, stored.case_list_sha256) == (
                facts.period,
                facts.seed,
                facts.case_list_sha256,
            ):
                return stored
    raise InvalidInputError(
        f"Det finns inget sparat urval för {facts.namnd} {facts.period} med {described}. "
        "Dra urvalet med riskmotor sample draw --namnd, eller läs in checklistan utan --db."
    )
