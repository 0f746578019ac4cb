"""Drawing the period's sample from a case list: stored with its seed and the list's hash,
or (without a database) written straight to a checklist."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from riskmotor.catalogs import Catalog
from riskmotor.clock import Clock
from riskmotor.domain.egenkontroll import parse_period
from riskmotor.domain.models import SampledCase, SampleDraw
from riskmotor.errors import DuplicateError, InvalidInputError
from riskmotor.export.xlsx.checklist import ChecklistPlan
from riskmotor.imports import Pseudonymiser
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.reports.egenkontroll import FileDraw, StratumFacts
from riskmotor.sampling import StratumDraw, draw_stratified
from riskmotor.services.egenkontroll.caselist import CaseListRow, read_case_list
from riskmotor.services.egenkontroll.checklist import (
    RESERVE,
    SAMPLE,
    checklist_bytes,
    checklist_case,
    checklist_control,
)
from riskmotor.services.egenkontroll.planning import DEFAULT_CONTROL_KEYS

WHOLE_POPULATION = "Alla"
NO_UNIT = "Utan enhet"


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
        by_stratum[(row.unit or NO_UNIT) if stratify else WHOLE_POPULATION].append(row.case_id)
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
    pseudonymiser: Pseudonymiser,
    size: int | None = None,
) -> SampleDraw:
    """Draw the period's sample from a case list and store it with its seed and list hash."""
    case_list = read_case_list(source, filename, pseudonymiser)
    rows, sha256 = case_list.rows, case_list.sha256
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
                strata={k: _facts(d).as_stored() for k, d in drawn.strata.items()},
                numpy_version=np.__version__,
                created_at=uow.clock.now(),
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


def _facts(drawn: StratumDraw) -> StratumFacts:
    return StratumFacts(
        population=drawn.population,
        sample=list(drawn.sample),
        reserve=list(drawn.reserve),
        census=drawn.census,
    )


def draw_to_file(
    catalog: Catalog,
    cases: Path,
    *,
    pseudonymiser: Pseudonymiser,
    clock: Clock,
    size: int,
    seed: int,
    period: str | None,
    stratify: bool,
    reserve: int,
    control_keys: list[str],
    out: Path,
) -> FileDraw:
    """Draw without a database and write the checklist (``riskmotor sample draw``)."""
    case_list = read_case_list(cases, cases.name, pseudonymiser)
    rows, sha256 = case_list.rows, case_list.sha256
    drawn = draw_cases(
        rows, cases.name, period, stratify=stratify, size=size, seed=seed, reserve=reserve
    )
    controls = [checklist_control(catalog, key) for key in control_keys or DEFAULT_CONTROL_KEYS]
    strata = {k: _facts(d) for k, d in drawn.strata.items()}
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
        strata={k: (f.population, len(f.sample)) for k, f in strata.items()},
        numpy_version=np.__version__,
        case_list_sha256=sha256,
        created_at=clock.now().replace(tzinfo=None),
    )
    as_case = {cid: checklist_case(cid, r.unit, r) for cid, r in drawn.rows.items()}
    sample = [c for f in strata.values() for c in f.sample]
    reserves = [c for f in strata.values() for c in f.reserve]
    out.write_bytes(
        checklist_bytes(
            plan, [as_case[c] for c in sample], [as_case[c] for c in reserves], controls
        )
    )
    return FileDraw(
        seed=seed,
        period=drawn.period,
        population_size=drawn.population_size,
        case_list_sha256=sha256,
        numpy_version=np.__version__,
        strata=strata,
        sample=sample,
        reserve=reserves,
        checklist=str(out),
        personal_data=case_list.personal_data,
    )


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
