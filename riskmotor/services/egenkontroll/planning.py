"""Planning an egenkontroll: the sample size is computed from the plan, never typed in."""

from __future__ import annotations

from typing import Any

from riskmotor.catalogs import Catalog
from riskmotor.domain.egenkontroll import plan_sentence, precision_sentence
from riskmotor.domain.models import EgenkontrollPlan
from riskmotor.errors import DuplicateError
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.reports.egenkontroll import FixedSampleReach, SampleSizing
from riskmotor.sampling import (
    achievable_precision,
    bound_method,
    discovery_probability,
    sample_size,
)

DEFAULT_CONTROL_KEYS = ["delaktighet", "kommunicering", "utredningstid_barn"]


def sample_sizing(
    confidence: float,
    tolerable_rate: float,
    expected_rate: float = 0.0,
    *,
    population: int | None = None,
    method: str | None = None,
) -> SampleSizing:
    """The sample a plan needs (the page shows it before the plan is saved)."""
    chosen = bound_method(population, method)
    sizing = sample_size(
        confidence,
        tolerable_rate,
        expected_rate,
        population=population if chosen == "hypergeometric" else None,
        method=chosen,
    )
    return SampleSizing(
        n=sizing.n,
        allowed_deviations=sizing.allowed_deviations,
        method=chosen,
        sentence=plan_sentence(sizing.n, sizing.allowed_deviations, confidence, tolerable_rate),
    )


def fixed_sample_reach(files: int, confidence: float, tolerable_rate: float) -> FixedSampleReach:
    """What reviewing ``files`` case files can show, and how likely they reveal a problem."""
    limit = achievable_precision(files, confidence)
    return FixedSampleReach(
        files=files,
        upper_limit=limit,
        sentence=precision_sentence(files, confidence, limit),
        discovery_probability=discovery_probability(files, tolerable_rate),
    )


def plan_egenkontroll(uow: UnitOfWork, catalog: Catalog, draft: dict[str, Any]) -> EgenkontrollPlan:
    """Create or update a plan; its bound method and sample size are computed from the
    population, never typed in (a ``method`` in the draft is replaced)."""
    for key in draft.get("control_keys", []):
        catalog.control_activity(key)
    sizing = sample_sizing(
        draft["confidence"],
        draft["tolerable_rate"],
        draft.get("expected_rate", 0.0),
        population=draft.get("population"),
    )
    plan = EgenkontrollPlan.model_validate(
        {
            **draft,
            "method": sizing.method,
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
