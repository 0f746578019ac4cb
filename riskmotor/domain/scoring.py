"""Scoring rules: risk value and level from the scale grid, vote aggregation, disagreement.

This module is the one place these rules live; the UI, the CLI and the exports all call it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from riskmotor.domain.catalog import RiskLevel, Scale
from riskmotor.errors import InvalidInputError

DISAGREEMENT_SPAN = 2
"""A risk whose votes span this many steps or more on either axis is flagged for discussion."""


class Aggregation(StrEnum):
    MEDIAN = "median"
    MEAN = "mean"
    MAX = "max"


class ScoreError(InvalidInputError):
    """A likelihood or consequence outside the scale."""


class Scored(Protocol):
    likelihood: int
    consequence: int


@dataclass(frozen=True)
class Assessment:
    likelihood: int
    consequence: int
    risk_value: int
    level: RiskLevel


def check_score(scale: Scale, likelihood: int, consequence: int) -> None:
    if not 1 <= likelihood <= scale.max_likelihood:
        raise ScoreError(
            f"Sannolikhet {likelihood} ligger utanför skalan {scale.name} "
            f"(1–{scale.max_likelihood})."
        )
    if not 1 <= consequence <= scale.max_consequence:
        raise ScoreError(
            f"Konsekvens {consequence} ligger utanför skalan {scale.name} "
            f"(1–{scale.max_consequence})."
        )


def risk_value(scale: Scale, likelihood: int, consequence: int) -> int:
    check_score(scale, likelihood, consequence)
    return likelihood * consequence


def risk_level(scale: Scale, likelihood: int, consequence: int) -> RiskLevel:
    check_score(scale, likelihood, consequence)
    return scale.risk_level(scale.grid[likelihood - 1][consequence - 1])


def assess(scale: Scale, likelihood: int, consequence: int) -> Assessment:
    return Assessment(
        likelihood=likelihood,
        consequence=consequence,
        risk_value=risk_value(scale, likelihood, consequence),
        level=risk_level(scale, likelihood, consequence),
    )


def aggregate_levels(values: Sequence[int], method: Aggregation = Aggregation.MEDIAN) -> int:
    """Combine ordinal scores into one level on the same scale.

    Tie rule: with an even number of votes the median lies between two levels; we take the
    higher one (the upper median), and a mean is rounded half up. Both err towards the more
    cautious score, which is what an auditor expects of a risk assessment.
    """
    if not values:
        raise ValueError("inga röster att sammanväga")
    ordered = sorted(values)
    if method == Aggregation.MEDIAN:
        return ordered[len(ordered) // 2]
    if method == Aggregation.MEAN:
        return math.floor(sum(ordered) / len(ordered) + 0.5)
    return ordered[-1]


def aggregate_consequence(by_area: Mapping[str, int], method: Aggregation = Aggregation.MAX) -> int:
    """One consequence from per-area scores; the worst area decides by default."""
    return aggregate_levels(list(by_area.values()), method)


def aggregate_votes(
    votes: Iterable[Scored], method: Aggregation = Aggregation.MEDIAN
) -> tuple[int, int] | None:
    collected = list(votes)
    if not collected:
        return None
    return (
        aggregate_levels([v.likelihood for v in collected], method),
        aggregate_levels([v.consequence for v in collected], method),
    )


def has_disagreement(votes: Iterable[Scored]) -> bool:
    collected = list(votes)
    if len(collected) < 2:
        return False
    likelihoods = [v.likelihood for v in collected]
    consequences = [v.consequence for v in collected]
    return (
        max(likelihoods) - min(likelihoods) >= DISAGREEMENT_SPAN
        or max(consequences) - min(consequences) >= DISAGREEMENT_SPAN
    )
