"""``riskmotor sample draw --namnd``: a draw from the command line, recorded in the database.

The draw is stored like one made on the Egenkontroll page (seed, the case list's SHA-256,
population per stratum, the drawn and reserve cases), under a stickprovsplan of the nämnd
and year called "Stickprov <period>", so the seed cannot be re-rolled unnoticed.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from riskmotor.catalogs import Catalog
from riskmotor.domain.access import Role
from riskmotor.domain.egenkontroll import parse_period
from riskmotor.domain.models import EgenkontrollPlan, SampleDraw
from riskmotor.errors import InvalidInputError
from riskmotor.imports import Pseudonymiser
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.reports.egenkontroll import FileDraw
from riskmotor.services.egenkontroll.caselist import read_case_list
from riskmotor.services.egenkontroll.draws import (
    CaseDraw,
    checklist_header,
    draw_cases,
    earlier_draws,
    store_draw,
    write_drawn,
)
from riskmotor.services.egenkontroll.planning import DEFAULT_CONTROL_KEYS, sample_sizing
from riskmotor.services.organisation import namnd_by_name


def record_draw(
    uow: UnitOfWork,
    catalog: Catalog,
    namnd: str,
    cases: Path,
    *,
    pseudonymiser: Pseudonymiser,
    size: int,
    seed: int,
    period: str | None,
    stratify: bool,
    reserve: int,
    control_keys: list[str],
    out: Path,
) -> FileDraw:
    """Draw, store the draw for ``namnd`` and write its checklist (one transaction).

    Drawing the same list for the same period again with the same seed and size gives the
    stored draw's checklist again; with another seed it is refused, naming the earlier draw.
    """
    if not period:
        raise InvalidInputError(
            "Ange --period (till exempel 2027-T1) när dragningen sparas för en nämnd."
        )
    case_list = read_case_list(cases, cases.name, pseudonymiser)
    drawn = draw_cases(
        case_list.rows, cases.name, period, stratify=stratify, size=size, seed=seed,
        reserve=reserve,
    )  # fmt: skip
    keys = list(control_keys) or DEFAULT_CONTROL_KEYS
    for key in keys:
        catalog.control_activity(key)  # an unknown key is refused before anything is stored
    with uow:
        unit = namnd_by_name(uow, namnd)
        assert unit.id is not None
        uow.require(Role.REDAKTOR, unit.id)  # a repeated draw writes only the checklist file
        found = earlier_draws(uow, unit.id, drawn.period, case_list.sha256, seed, namnd=namnd)
        stored = _same_draw(found, drawn, size, reserve)
        if stored is None:
            plan = _plan_for(uow, catalog, unit.id, drawn, keys, size, reserve, stratify)
            stored = store_draw(uow, plan, drawn, cases.name, case_list.sha256, seed, size)
        else:
            keys = uow.egenkontroll_plans.get(stored.plan_id).control_keys
        uow.commit()
    header = checklist_header(catalog, drawn, case_list.sha256, seed, size)
    plan_header = replace(header, namnd=namnd, draw_id=stored.id, created_at=stored.created_at)
    return write_drawn(catalog, drawn, case_list, plan_header, keys, out)


def _same_draw(
    found: list[SampleDraw], drawn: CaseDraw, size: int, reserve: int
) -> SampleDraw | None:
    """The stored draw this one repeats (same seed, size, reserve and strata), if any."""
    for stored in found:
        same_strata = {k: v["population"] for k, v in stored.strata.items()} == {
            k: d.population for k, d in drawn.strata.items()
        }
        if (stored.sample_size, stored.reserve_size) == (size, reserve) and same_strata:
            return stored
    return None


def _plan_for(
    tx: UnitOfWork,
    catalog: Catalog,
    namnd_id: int,
    drawn: CaseDraw,
    control_keys: list[str],
    size: int,
    reserve: int,
    stratify: bool,
) -> EgenkontrollPlan:
    """The nämnd's stickprovsplan "Stickprov <period>", created (or, without draws yet,
    updated) with the catalog's confidence and tolerance and the command's settings."""
    settings = catalog.egenkontroll
    year = parse_period(drawn.period).start.year
    name = f"Stickprov {drawn.period}"
    sizing = sample_sizing(
        settings.default_confidence,
        settings.default_tolerable_rate,
        settings.default_expected_rate,
    )
    wanted = {
        "namnd_id": namnd_id,
        "year": year,
        "name": name,
        "control_keys": control_keys,
        "confidence": settings.default_confidence,
        "tolerable_rate": settings.default_tolerable_rate,
        "expected_rate": settings.default_expected_rate,
        "method": sizing.method,
        "sample_size": size,
        "allowed_deviations": sizing.allowed_deviations,
        "reserve_size": reserve,
        "stratify_by_unit": stratify,
    }
    existing = tx.egenkontroll_plans.find(namnd_id, year, name)
    if existing is None:
        return tx.egenkontroll_plans.add(EgenkontrollPlan.model_validate(wanted))
    if existing.id is not None and tx.sample_draws.for_plan(existing.id):
        return existing  # store_draw refuses a second draw for the period, naming the plan
    return tx.egenkontroll_plans.update(existing.model_copy(update=wanted))
