"""Suggest a likelihood level (sannolikhet) from a simulated event probability.

Independent of the catalog module: bands are plain ``(level, low, high)`` tuples or objects
with ``.value``, ``.probability_low`` and ``.probability_high`` (the catalog's
``LikelihoodLevel``). Bands are half-open ``[low, high)``; the last one is closed so that a
probability of exactly 1 has a level.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from riskmotor.domain.terms import percent


@dataclass(frozen=True)
class Band:
    level: int
    low: float
    high: float


@dataclass(frozen=True)
class LikelihoodSuggestion:
    """Suggested level for the point estimate and whether the interval crosses a boundary."""

    level: int
    interval_levels: tuple[int, int]
    straddles: bool
    message: str


def _as_band(item: Any) -> Band:
    if isinstance(item, Band):
        return item
    if isinstance(item, Sequence) and len(item) == 3:
        level, low, high = item
        return Band(int(level), float(low), float(high))
    return Band(int(item.value), float(item.probability_low), float(item.probability_high))


def normalise_bands(bands: Iterable[Any]) -> list[Band]:
    """Bands sorted by ``low``; they must be non-empty and contiguous."""
    ordered = sorted((_as_band(b) for b in bands), key=lambda b: b.low)
    if not ordered:
        raise ValueError("sannolikhetsbanden saknas")
    for lower, upper in pairwise(ordered):
        if abs(lower.high - upper.low) > 1e-12:
            raise ValueError(
                f"sannolikhetsbanden för nivå {lower.level} och {upper.level} möts inte"
            )
    return ordered


def level_for(probability: float, bands: Iterable[Any]) -> int:
    """The level whose band [low, high) holds ``probability`` (the last band is closed)."""
    ordered = normalise_bands(bands)
    for band in ordered[:-1]:
        if band.low <= probability < band.high:
            return band.level
    last = ordered[-1]
    if last.low <= probability <= last.high:
        return last.level
    if probability < ordered[0].low:
        return ordered[0].level
    return last.level


def suggest_likelihood(
    event_probability: float, interval: Sequence[float], bands: Iterable[Any]
) -> LikelihoodSuggestion:
    """Suggest a level from the simulated probability and its confidence interval."""
    ordered = normalise_bands(bands)
    low, high = float(interval[0]), float(interval[1])
    level = level_for(event_probability, ordered)
    levels = (level_for(low, ordered), level_for(high, ordered))
    straddles = levels[0] != levels[1]
    estimate = percent(event_probability)
    span = f"{percent(low)}–{percent(high)}"
    if straddles:
        message = (
            f"Simuleringen ger sannolikheten {estimate} (95 % konfidensintervall {span}). "
            f"Intervallet sträcker sig över gränsen mellan nivå {levels[0]} och nivå "
            f"{levels[1]}, så förslaget nivå {level} är osäkert; kör fler replikeringar "
            "eller gör en egen bedömning."
        )
    else:
        message = (
            f"Simuleringen ger sannolikheten {estimate} (95 % konfidensintervall {span}), "
            f"som helt ligger inom nivå {level}."
        )
    return LikelihoodSuggestion(level, levels, straddles, message)
