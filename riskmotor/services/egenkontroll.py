"""Use cases of egenkontroll: plan a sample, draw it from a case list, hand out the
checklist, import the reviewed checklist and evaluate it per kontrollmoment."""

from __future__ import annotations

import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np

from riskmotor.catalogs import Catalog
from riskmotor.domain.egenkontroll import (
    ControlEvaluation,
    ReviewedCase,
    evaluate_control,
    parse_period,
)
from riskmotor.domain.models import ChecklistAnswer, EgenkontrollPlan, SampledCase, SampleDraw
from riskmotor.errors import DuplicateError, InvalidInputError
from riskmotor.export.checklist import (
    ChecklistCase,
    ChecklistControl,
    ChecklistPlan,
    read_checklist,
    write_checklist,
)
from riskmotor.imports import (
    Column,
    Pseudonymiser,
    installation_secret,
    parse_date,
    parse_optional_text,
    parse_personnummer_with,
    parse_text,
    read_table,
)
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.sampling import StratumDraw, draw_stratified, sample_size

SAMPLE, RESERVE = "urval", "reserv"
DEFAULT_CONTROL_KEYS = ["delaktighet", "kommunicering", "utredningstid_barn"]
WHOLE_POPULATION = "Alla"


def case_list_columns(pseudonymiser: Pseudonymiser) -> list[Column]:
    """The columns of a case list export; header synonyms are documented in docs/imports.md."""
    return [
        Column(
            "case_id",
            "Ärende-id",
            ("ärendenummer", "ärendenr", "ärende", "aktnummer", "diarienummer", "case id", "id"),
            True,
            parse_text,
        ),
        Column(
            "closed_date",
            "Avslutad",
            ("avslutat", "avslutsdatum", "avslutat datum", "datum avslutat", "closed date"),
            True,
            parse_date,
        ),
        Column("unit", "Enhet", ("enhetsnamn", "arbetsgrupp", "unit"), False, parse_optional_text),
        Column(
            "case_type",
            "Ärendetyp",
            ("typ", "ärendekategori", "case type"),
            False,
            parse_optional_text,
        ),
        Column(
            "handler",
            "Handläggare",
            ("socialsekreterare", "ansvarig handläggare", "handler"),
            False,
            parse_optional_text,
        ),
        Column(
            "person_key",
            "Personnummer",
            ("pnr", "personnr", "personnummer barn", "personnummer klient"),
            False,
            parse_personnummer_with(pseudonymiser),
        ),
    ]


@dataclass(frozen=True)
class CaseListRow:
    case_id: str
    closed_date: date
    unit: str
    case_type: str
    handler: str
    person_key: str | None


def read_case_list(source: bytes | Path, filename: str) -> tuple[list[CaseListRow], str]:
    """Every row of a case list, pseudonymised, or an error naming rows and columns."""
    table = read_table(source, filename, case_list_columns(Pseudonymiser(installation_secret())))
    table.raise_for_errors()
    seen: dict[str, int] = {}
    duplicates = []
    for row in table.rows:
        first = seen.setdefault(row["case_id"], row["_row"])
        if first != row["_row"]:
            duplicates.append(
                f"rad {row['_row']}: ärende-id {row['case_id']!r} finns redan på rad {first}"
            )
    if duplicates:
        raise InvalidInputError(
            f"{filename}: ärende-id måste vara unika. " + "; ".join(duplicates[:20])
        )
    rows = [
        CaseListRow(
            r["case_id"],
            r["closed_date"],
            r["unit"] or "",
            r["case_type"] or "",
            r["handler"] or "",
            r["person_key"],
        )
        for r in table.rows
    ]
    return rows, table.sha256


# plans ---------------------------------------------------------------------------------


def plan_egenkontroll(uow: UnitOfWork, catalog: Catalog, draft: dict[str, Any]) -> EgenkontrollPlan:
    """Create or update a plan; the sample size is computed, never typed in."""
    for key in draft.get("control_keys", []):
        catalog.control_activity(key)
    method = "hypergeometric" if draft.get("population") else draft.get("method", "binomial")
    sizing = sample_size(
        draft["confidence"],
        draft["tolerable_rate"],
        draft.get("expected_rate", 0.0),
        population=draft.get("population"),
        method=method,
    )
    plan = EgenkontrollPlan.model_validate(
        {
            **draft,
            "method": method,
            "sample_size": sizing.n,
            "allowed_deviations": sizing.allowed_deviations,
        }
    )
    with uow:
        clash = uow.egenkontroll_plans.find(plan.namnd_id, plan.year, plan.name)
        if clash and clash.id != plan.id:
            raise DuplicateError(f"Det finns redan en stickprovsplan som heter {plan.name!r}.")
        stored = (
            uow.egenkontroll_plans.add(plan)
            if plan.id is None
            else uow.egenkontroll_plans.update(plan)
        )
        uow.commit()
        return stored


def plans(uow: UnitOfWork, namnd_id: int, year: int) -> list[EgenkontrollPlan]:
    with uow:
        return uow.egenkontroll_plans.for_namnd(namnd_id, year)


def get_plan(uow: UnitOfWork, plan_id: int) -> EgenkontrollPlan:
    with uow:
        return uow.egenkontroll_plans.get(plan_id)


# draws ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseDraw:
    """A drawn sample before it is stored or written: the rows and each stratum's draw."""

    period: str
    rows: dict[str, CaseListRow]
    strata: dict[str, StratumDraw]

    @property
    def population_size(self) -> int:
        return len(self.rows)


def draw_cases(
    rows: list[CaseListRow],
    filename: str,
    period: str | None,
    *,
    stratify: bool,
    size: int,
    seed: int,
    reserve: int,
) -> CaseDraw:
    """Choose the period's cases and draw every stratum (the rule shared by UI and CLI)."""
    chosen = parse_period(period) if period else None
    in_period = [r for r in rows if chosen is None or chosen.contains(r.closed_date)]
    if not in_period:
        where = f" under {chosen.label} ({chosen.start}–{chosen.end})" if chosen else ""
        raise InvalidInputError(f"{filename}: inga avslutade ärenden{where}.")
    by_stratum: dict[str, list[str]] = defaultdict(list)
    for row in in_period:
        by_stratum[(row.unit or "Utan enhet") if stratify else WHOLE_POPULATION].append(row.case_id)
    return CaseDraw(
        period=chosen.label if chosen else "",
        rows={r.case_id: r for r in in_period},
        strata=draw_stratified(by_stratum, size, seed, reserve),
    )


def draw(
    uow: UnitOfWork,
    plan_id: int,
    source: bytes | Path,
    filename: str,
    period: str,
    seed: int,
    *,
    size: int | None = None,
) -> SampleDraw:
    """Draw the period's sample from a case list and store it with its seed and list hash."""
    rows, sha256 = read_case_list(source, filename)
    with uow:
        plan = uow.egenkontroll_plans.get(plan_id)
        label = parse_period(period).label
        if any(d.period == label for d in uow.sample_draws.for_plan(plan_id)):
            raise DuplicateError(f"Det finns redan ett urval för {label} i planen {plan.name!r}.")
        n = size or plan.sample_size
        drawn = draw_cases(
            rows,
            filename,
            period,
            stratify=plan.stratify_by_unit,
            size=n,
            seed=seed,
            reserve=plan.reserve_size,
        )
        stored = uow.sample_draws.add(
            SampleDraw(
                plan_id=plan_id,
                period=label,
                seed=seed,
                sample_size=n,
                reserve_size=plan.reserve_size,
                case_list_name=filename,
                case_list_sha256=sha256,
                population_size=drawn.population_size,
                strata=_strata_facts(drawn),
                numpy_version=np.__version__,
                created_at=datetime.now(UTC),
                created_by=uow.actor,
            )
        )
        assert stored.id is not None
        for stratum, result in drawn.strata.items():
            for role, ids in ((SAMPLE, result.sample), (RESERVE, result.reserve)):
                for position, case_id in enumerate(ids, start=1):
                    uow.sampled_cases.add(
                        _sampled(stored.id, stratum, role, position, drawn.rows[case_id])
                    )
        uow.commit()
        return stored


def _strata_facts(drawn: CaseDraw) -> dict[str, dict[str, Any]]:
    return {
        k: {
            "population": d.population,
            "sample": len(d.sample),
            "reserve": len(d.reserve),
            "census": d.census,
        }
        for k, d in drawn.strata.items()
    }


def draw_to_file(
    catalog: Catalog,
    cases: Path,
    *,
    size: int,
    seed: int,
    period: str | None,
    stratify: bool,
    reserve: int,
    control_keys: list[str],
    out: Path,
) -> dict[str, Any]:
    """Draw without a database and write the checklist (``riskmotor sample draw``)."""
    rows, sha256 = read_case_list(cases, cases.name)
    drawn = draw_cases(
        rows, cases.name, period, stratify=stratify, size=size, seed=seed, reserve=reserve
    )
    keys = control_keys or DEFAULT_CONTROL_KEYS
    controls = [_control(catalog, key) for key in keys]
    facts = _strata_facts(drawn)
    plan = ChecklistPlan(
        title=f"Stickprov {drawn.period or 'hela listan'}",
        namnd="",
        period=drawn.period,
        confidence=catalog.egenkontroll.default_confidence,
        tolerable_rate=catalog.egenkontroll.default_tolerable_rate,
        expected_rate=catalog.egenkontroll.default_expected_rate,
        method="binomial",
        sample_size=size,
        allowed_deviations=0,
        seed=seed,
        population_size=drawn.population_size,
        strata={k: (v["population"], v["sample"]) for k, v in facts.items()},
        numpy_version=np.__version__,
        case_list_sha256=sha256,
        created_at=datetime.now(UTC).replace(tzinfo=None),
    )
    as_case = {cid: _checklist_case(cid, r.unit, r) for cid, r in drawn.rows.items()}
    out.write_bytes(
        _checklist_bytes(
            plan,
            [as_case[c] for d in drawn.strata.values() for c in d.sample],
            [as_case[c] for d in drawn.strata.values() for c in d.reserve],
            controls,
        )
    )
    return {
        "seed": seed,
        "period": drawn.period,
        "population_size": drawn.population_size,
        "case_list_sha256": sha256,
        "numpy_version": np.__version__,
        "strata": {
            k: {**facts[k], "sample": d.sample, "reserve": d.reserve}
            for k, d in drawn.strata.items()
        },
        "sample": [c for d in drawn.strata.values() for c in d.sample],
        "reserve": [c for d in drawn.strata.values() for c in d.reserve],
        "checklist": str(out),
    }


def _sampled(draw_id: int, stratum: str, role: str, position: int, row: CaseListRow) -> SampledCase:
    return SampledCase(
        draw_id=draw_id,
        case_id=row.case_id,
        stratum=stratum,
        role=role,
        position=position,
        closed_date=row.closed_date,
        case_type=row.case_type,
        handler=row.handler,
        person_key=row.person_key,
    )


def draws(uow: UnitOfWork, plan_id: int) -> list[SampleDraw]:
    with uow:
        return uow.sample_draws.for_plan(plan_id)


def sampled_cases(uow: UnitOfWork, draw_id: int) -> list[SampledCase]:
    with uow:
        return uow.sampled_cases.for_draw(draw_id)


def delete_draw(uow: UnitOfWork, draw_id: int, expected_version: int) -> None:
    with uow:
        uow.sample_draws.delete(draw_id, expected_version)
        uow.commit()


# checklist -----------------------------------------------------------------------------


def _control(catalog: Catalog, key: str) -> ChecklistControl:
    control = catalog.control_activity(key)
    return ChecklistControl(key=control.key, name=control.name, question=control.question)


def _controls(catalog: Catalog, plan: EgenkontrollPlan) -> list[ChecklistControl]:
    return [_control(catalog, key) for key in plan.control_keys]


def _checklist_case(case_id: str, stratum: str, row: CaseListRow | SampledCase) -> ChecklistCase:
    return ChecklistCase(
        case_id=case_id,
        stratum=stratum,
        closed_date=row.closed_date,
        case_type=row.case_type,
        handler=row.handler,
    )


def _checklist_bytes(
    plan: ChecklistPlan,
    sample: list[ChecklistCase],
    reserve: list[ChecklistCase],
    controls: list[ChecklistControl],
) -> bytes:
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
    as_case = {
        c.case_id: ChecklistCase(
            case_id=c.case_id,
            stratum=c.stratum,
            closed_date=c.closed_date,
            case_type=c.case_type,
            handler=c.handler,
        )
        for c in cases
    }
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
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "checklista.xlsx"
        write_checklist(
            path,
            checklist_plan,
            [as_case[c.case_id] for c in cases if c.role == SAMPLE],
            [as_case[c.case_id] for c in cases if c.role == RESERVE],
            _controls(catalog, plan),
        )
        return path.read_bytes()


def import_checklist(uow: UnitOfWork, catalog: Catalog, draw_id: int, source: bytes) -> int:
    """Store the reviewers' answers (replacing earlier ones); all or nothing."""
    with uow:
        plan = uow.egenkontroll_plans.get(uow.sample_draws.get(draw_id).plan_id)
        known = {c.case_id for c in uow.sampled_cases.for_draw(draw_id)}
    answers = read_checklist(source, _controls(catalog, plan))
    rows = [*answers.sample, *answers.reserve]
    strangers = [
        f"rad {r.row} på bladet {r.sheet}: {r.case_id!r}" for r in rows if r.case_id not in known
    ]
    if strangers:
        raise InvalidInputError(
            "Checklistan innehåller ärenden som inte finns i urvalet: " + "; ".join(strangers[:20])
        )
    with uow:
        for old in uow.checklist_answers.for_draw(draw_id):
            uow.checklist_answers.delete(old.id or 0)
        stored = 0
        for case in rows:
            if case.sheet == "Reserv" and not case.dropped and not any(case.answers.values()):
                continue  # an unused reserve case
            for control_key, answer in case.answers.items():
                uow.checklist_answers.add(
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
        uow.commit()
        return stored


# evaluation ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DrawEvaluation:
    draw: SampleDraw
    plan: EgenkontrollPlan
    overall: list[ControlEvaluation]
    by_stratum: dict[str, list[ControlEvaluation]]


def evaluate(uow: UnitOfWork, catalog: Catalog, draw_id: int) -> DrawEvaluation:
    """Per kontrollmoment: shares, interval, upper deviation limit, status and conclusion.

    The overall figures pool the strata; per-enhet figures use each enhet's own population
    (exact hypergeometric bound when the plan uses it).
    """
    with uow:
        sample_draw = uow.sample_draws.get(draw_id)
        plan = uow.egenkontroll_plans.get(sample_draw.plan_id)
        stratum_of = {c.case_id: c.stratum for c in uow.sampled_cases.for_draw(draw_id)}
        stored = uow.checklist_answers.for_draw(draw_id)
    grouped: dict[str, dict[str, Any]] = {}
    for answer in stored:
        case = grouped.setdefault(answer.case_id, {"dropped": answer.dropped, "answers": {}})
        case["answers"][answer.control_key] = answer.answer
    reviewed = [ReviewedCase(case_id, c["dropped"], c["answers"]) for case_id, c in grouped.items()]

    def evaluate_all(cases: list[ReviewedCase], population: int | None) -> list[ControlEvaluation]:
        return [
            evaluate_control(
                key,
                catalog.control_activity(key).name,
                cases,
                confidence=plan.confidence,
                tolerable_rate=plan.tolerable_rate,
                settings=catalog.egenkontroll,
                population=population,
                method=plan.method,
            )
            for key in plan.control_keys
        ]

    by_stratum = {
        stratum: evaluate_all(
            [c for c in reviewed if stratum_of.get(c.case_id) == stratum], facts["population"]
        )
        for stratum, facts in sample_draw.strata.items()
    }
    overall = evaluate_all(reviewed, sample_draw.population_size)
    return DrawEvaluation(sample_draw, plan, overall, by_stratum)


def trend(uow: UnitOfWork, catalog: Catalog, plan_id: int) -> list[dict[str, Any]]:
    """Every reviewed period of a plan, per kontrollmoment, for the chart over tertials."""
    rows = []
    for sample_draw in draws(uow, plan_id):
        assert sample_draw.id is not None
        for item in evaluate(uow, catalog, sample_draw.id).overall:
            if item.compliance_share is None or item.compliance_interval is None:
                continue
            rows.append(
                {
                    "period": sample_draw.period,
                    "control": item.control_name,
                    "share": item.compliance_share,
                    "low": item.compliance_interval[0],
                    "high": item.compliance_interval[1],
                    "status": item.status,
                }
            )
    return rows


def answer_counts(uow: UnitOfWork, draw_id: int) -> Counter[str]:
    with uow:
        return Counter(a.answer or "obesvarad" for a in uow.checklist_answers.for_draw(draw_id))
