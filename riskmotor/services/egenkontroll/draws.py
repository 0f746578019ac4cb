"""Drawing the period's sample from a case list: stored with its seed and the list's hash,
or (without a database) written straight to a checklist."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

import numpy as np

from riskmotor.catalogs import Catalog
from riskmotor.clock import Clock
from riskmotor.domain.egenkontroll import parse_period
from riskmotor.domain.models import EgenkontrollPlan, SampledCase, SampleDraw
from riskmotor.domain.terms import local_time
from riskmotor.errors import DuplicateError, InvalidInputError
from riskmotor.export.xlsx.checklist import ChecklistPlan
from riskmotor.imports import Pseudonymiser
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.reports.egenkontroll import FileDraw, StratumFacts
from riskmotor.sampling import StratumDraw, bound_method, draw_stratified
from riskmotor.services.egenkontroll.caselist import CaseList, CaseListRow, read_case_list
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
    """Draw the period's sample from a case list and store it with its seed and list hash.

    Refused when the same case list was drawn for the nämnd and period with another seed.
    """
    case_list = read_case_list(source, filename, pseudonymiser)
    with uow:
        plan = uow.egenkontroll_plans.get(plan_id)
        label = parse_period(period).label
        n = size or plan.sample_size
        drawn = draw_cases(
            case_list.rows,
            filename,
            period,
            stratify=plan.stratify_by_unit,
            size=n,
            seed=seed,
            reserve=plan.reserve_size,
        )
        namnd = uow.units.get(plan.namnd_id).name
        earlier_draws(uow, plan.namnd_id, label, case_list.sha256, seed, namnd=namnd)
        stored = store_draw(uow, plan, drawn, filename, case_list.sha256, seed, n)
        uow.commit()
        return stored


def earlier_draws(
    tx: UnitOfWork, namnd_id: int, label: str, sha256: str, seed: int, *, namnd: str
) -> list[SampleDraw]:
    """The nämnd's stored draws of this case list for the period; refuses another seed.

    A seed is chosen once: drawing the same list again with a new seed would let anyone
    pick the sample they like, so it is refused, naming the earlier draw.
    """
    year = parse_period(label).start.year
    found = [
        stored
        for plan in tx.egenkontroll_plans.for_namnd(namnd_id, year)
        for stored in tx.sample_draws.for_plan(plan.id or 0)
        if stored.period == label and stored.case_list_sha256 == sha256
    ]
    for stored in found:
        if stored.seed != seed:
            raise DuplicateError(
                f"Ärendelistan drogs redan för {namnd} {label} med fröet {stored.seed} den "
                f"{local_time(stored.created_at)[:10]} (urval nr {stored.id}, av "
                f"{stored.created_by}). Ett nytt frö skulle ge ett annat urval; ange "
                f"--seed {stored.seed} för att få samma urval och checklista igen."
            )
    return found


def store_draw(
    tx: UnitOfWork,
    plan: EgenkontrollPlan,
    drawn: CaseDraw,
    filename: str,
    sha256: str,
    seed: int,
    size: int,
) -> SampleDraw:
    """Store a drawn sample of ``plan``: seed, list hash, strata and every drawn case."""
    assert plan.id is not None
    if any(d.period == drawn.period for d in tx.sample_draws.for_plan(plan.id)):
        raise DuplicateError(
            f"Det finns redan ett urval för {drawn.period} i planen {plan.name!r}."
        )
    stored = tx.sample_draws.add(
        SampleDraw(
            plan_id=plan.id,
            period=drawn.period,
            seed=seed,
            sample_size=size,
            reserve_size=plan.reserve_size,
            case_list_name=filename,
            case_list_sha256=sha256,
            population_size=drawn.population_size,
            strata={k: _facts(d).as_stored() for k, d in drawn.strata.items()},
            numpy_version=np.__version__,
            created_at=tx.clock.now(),
            created_by=tx.actor,
        )
    )
    assert stored.id is not None
    for stratum, result in drawn.strata.items():
        for role, ids in ((SAMPLE, result.sample), (RESERVE, result.reserve)):
            for position, case_id in enumerate(ids, start=1):
                tx.sampled_cases.add(
                    _sampled(stored.id, stratum, role, position, drawn.rows[case_id])
                )
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
    drawn = draw_cases(
        case_list.rows, cases.name, period, stratify=stratify, size=size, seed=seed,
        reserve=reserve,
    )  # fmt: skip
    header = checklist_header(catalog, drawn, case_list.sha256, seed, size)
    plan = replace(header, created_at=clock.now().replace(tzinfo=None))
    return write_drawn(catalog, drawn, case_list, plan, control_keys, out)


def checklist_header(
    catalog: Catalog, drawn: CaseDraw, sha256: str, seed: int, size: int
) -> ChecklistPlan:
    """The checklist's cover for a draw made from the command line (catalog defaults)."""
    settings = catalog.egenkontroll
    return ChecklistPlan(
        title=f"Stickprov {drawn.period or 'hela listan'}",
        namnd="",
        period=drawn.period,
        confidence=settings.default_confidence,
        tolerable_rate=settings.default_tolerable_rate,
        expected_rate=settings.default_expected_rate,
        method=bound_method(None, None),
        sample_size=size,
        allowed_deviations=0,
        seed=seed,
        population_size=drawn.population_size,
        strata={k: (d.population, len(d.sample)) for k, d in drawn.strata.items()},
        numpy_version=np.__version__,
        case_list_sha256=sha256,
        created_at=datetime.min,
    )


def write_drawn(
    catalog: Catalog,
    drawn: CaseDraw,
    case_list: CaseList,
    plan: ChecklistPlan,
    control_keys: list[str],
    out: Path,
) -> FileDraw:
    """Write the checklist of a drawn sample; every case is listed under its stratum."""
    controls = [checklist_control(catalog, key) for key in control_keys or DEFAULT_CONTROL_KEYS]
    strata = {k: _facts(d) for k, d in drawn.strata.items()}
    listed = {
        role: [
            checklist_case(case_id, stratum, drawn.rows[case_id])
            for stratum, facts in strata.items()
            for case_id in (facts.sample if role == SAMPLE else facts.reserve)
        ]
        for role in (SAMPLE, RESERVE)
    }
    out.write_bytes(checklist_bytes(plan, listed[SAMPLE], listed[RESERVE], controls))
    return FileDraw(
        seed=plan.seed,
        period=drawn.period,
        population_size=drawn.population_size,
        case_list_sha256=case_list.sha256,
        numpy_version=np.__version__,
        strata=strata,
        sample=[c.case_id for c in listed[SAMPLE]],
        reserve=[c.case_id for c in listed[RESERVE]],
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
