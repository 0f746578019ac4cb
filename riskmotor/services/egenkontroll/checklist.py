"""The reviewers' checklist: written as a workbook, read back with the answers."""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path

from riskmotor.catalogs import Catalog
from riskmotor.domain.egenkontroll import ListedCase, reserve_problems
from riskmotor.domain.models import ChecklistAnswer, EgenkontrollPlan, SampledCase
from riskmotor.errors import InvalidInputError
from riskmotor.export.xlsx.checklist import (
    CaseAnswers,
    ChecklistCase,
    ChecklistControl,
    ChecklistPlan,
    read_checklist,
    write_checklist,
)
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.services.egenkontroll.caselist import CaseListRow

SAMPLE, RESERVE = "urval", "reserv"
RESERVE_SHEET = "Reserv"
UNANSWERED = "obesvarad"
MAX_LISTED_STRANGERS = 20


def checklist_control(catalog: Catalog, key: str) -> ChecklistControl:
    control = catalog.control_activity(key)
    return ChecklistControl(
        key=control.key,
        name=control.name,
        question=control.question,
        applies_to=tuple(control.applies_to),
    )


def _controls(catalog: Catalog, plan: EgenkontrollPlan) -> list[ChecklistControl]:
    return [checklist_control(catalog, key) for key in plan.control_keys]


def checklist_case(case_id: str, stratum: str, row: CaseListRow | SampledCase) -> ChecklistCase:
    return ChecklistCase(
        case_id=case_id,
        stratum=stratum,
        closed_date=row.closed_date,
        case_type=row.case_type,
        handler=row.handler,
    )


def checklist_bytes(
    plan: ChecklistPlan,
    sample: list[ChecklistCase],
    reserve: list[ChecklistCase],
    controls: list[ChecklistControl],
) -> bytes:
    """The checklist workbook as bytes (openpyxl writes to a path)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "checklista.xlsx"
        write_checklist(path, plan, sample, reserve, controls)
        return path.read_bytes()


def checklist_workbook(uow: UnitOfWork, catalog: Catalog, draw_id: int, namnd: str) -> bytes:
    """The XLSX checklist for reviewers: sample, reserve, kontrollmoment and the plan."""
    with uow:
        sample_draw = uow.sample_draws.get(draw_id)
        plan = uow.egenkontroll_plans.get(sample_draw.plan_id)
        cases = uow.sampled_cases.for_draw(draw_id)
    checklist_plan = ChecklistPlan(
        title=plan.name,
        namnd=namnd,
        period=sample_draw.period,
        confidence=plan.confidence,
        tolerable_rate=plan.tolerable_rate,
        expected_rate=plan.expected_rate,
        method=plan.method,
        sample_size=sample_draw.sample_size,
        allowed_deviations=plan.allowed_deviations,
        seed=sample_draw.seed,
        population_size=sample_draw.population_size,
        strata={k: (v["population"], v["sample"]) for k, v in sample_draw.strata.items()},
        numpy_version=sample_draw.numpy_version,
        case_list_sha256=sample_draw.case_list_sha256,
        created_at=sample_draw.created_at,
        draw_id=sample_draw.id,
    )
    return checklist_bytes(
        checklist_plan,
        [checklist_case(c.case_id, c.stratum, c) for c in cases if c.role == SAMPLE],
        [checklist_case(c.case_id, c.stratum, c) for c in cases if c.role == RESERVE],
        _controls(catalog, plan),
    )


def import_checklist(uow: UnitOfWork, catalog: Catalog, draw_id: int, source: bytes) -> int:
    """Store the reviewers' answers (replacing earlier ones); all or nothing."""
    with uow:
        stored = store_answers(uow, catalog, draw_id, source)
        uow.commit()
        return stored


def store_answers(tx: UnitOfWork, catalog: Catalog, draw_id: int, source: bytes | Path) -> int:
    """Check a filled-in checklist against the draw and store its answers (in ``tx``).

    Every case must belong to the draw, and reserves must replace bortfall in order.
    """
    plan = tx.egenkontroll_plans.get(tx.sample_draws.get(draw_id).plan_id)
    drawn = tx.sampled_cases.for_draw(draw_id)
    known = {c.case_id for c in drawn}
    answers = read_checklist(source, _controls(catalog, plan))
    rows = [*answers.sample, *answers.reserve]
    strangers = [
        f"rad {r.row} på bladet {r.sheet}: {r.case_id!r}" for r in rows if r.case_id not in known
    ]
    if strangers:
        raise InvalidInputError(
            "Checklistan innehåller ärenden som inte finns i urvalet: "
            + "; ".join(strangers[:MAX_LISTED_STRANGERS])
        )
    refuse_misused_reserves(*_listed(drawn, rows))
    for old in tx.checklist_answers.for_draw(draw_id):
        tx.checklist_answers.delete(old.id or 0)
    stored = 0
    for case in rows:
        if not counted(case):
            continue
        for control_key, answer in case.answers.items():
            tx.checklist_answers.add(
                ChecklistAnswer(
                    draw_id=draw_id,
                    case_id=case.case_id,
                    control_key=control_key,
                    answer=answer,
                    dropped=case.dropped,
                    comment=case.comment or "",
                )
            )
            stored += 1
    return stored


def counted(case: CaseAnswers) -> bool:
    """Whether a checklist row counts: every sample case, and the reserve cases used."""
    return case.sheet != RESERVE_SHEET or used(case)


def used(case: CaseAnswers) -> bool:
    return case.dropped or any(case.answers.values())


def refuse_misused_reserves(sample: list[ListedCase], reserve: list[ListedCase]) -> None:
    misused = reserve_problems(sample, reserve)
    if misused:
        raise InvalidInputError(
            "Reservärenden får bara ersätta bortfall, i reservlistans ordning: "
            + "; ".join(misused[:MAX_LISTED_STRANGERS])
        )


def _listed(
    drawn: list[SampledCase], rows: list[CaseAnswers]
) -> tuple[list[ListedCase], list[ListedCase]]:
    """The drawn cases as the reserve rule sees them; reserve order is the drawn order."""
    given = {row.case_id: row for row in rows}

    def listed(case: SampledCase) -> ListedCase:
        row = given.get(case.case_id)
        answered = row is not None and used(row)
        return ListedCase(case.case_id, case.stratum, row is not None and row.dropped, answered)

    ordered = sorted(drawn, key=lambda c: (c.stratum, c.position))
    return (
        [listed(c) for c in ordered if c.role == SAMPLE],
        [listed(c) for c in ordered if c.role == RESERVE],
    )


def answer_counts(uow: UnitOfWork, draw_id: int) -> Counter[str]:
    with uow:
        return Counter(a.answer or UNANSWERED for a in uow.checklist_answers.for_draw(draw_id))
