"""Suggest a likelihood level (sannolikhet) from a simulated event probability.

Independent of the catalog module: bands are plain ``(level, low, high)`` tuples or objects
with ``.value``, ``.probability_low`` and ``.probability_high`` (the catalog's
``LikelihoodLevel``). Bands are half-open ``[low, high)``; the last one is closed so that a
probability of exactly 1 has a level.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from riskmotor.domain.catalog import check_bands_meet
from riskmotor.domain.terms import percent


@dataclass(frozen=True)
class Band:
    level: int
    low: float
    high: float


# The scale's bands speak of "under året": a probability for any other window is not on
# that scale (a longer window gives a higher probability for the same risk).
YEAR_DAYS = (365, 366)


@dataclass(frozen=True)
class LikelihoodSuggestion:
    """Suggested level for the point estimate and whether the interval crosses a boundary.

    ``level`` is None when no suggestion can be made (the measured window is not a year);
    ``message`` then says why.
    """

    level: int | None
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
    check_bands_meet([(band.level, band.low, band.high) for band in ordered])
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
    event_probability: float,
    interval: Sequence[float],
    bands: Iterable[Any],
    *,
    window_days: float | None = None,
) -> LikelihoodSuggestion:
    """Suggest a level from the simulated probability and its confidence interval.

    ``window_days`` is the measured window (horizon minus warm-up). The bands are annual, so
    a level is suggested only for a window of one year (365 or 366 days).
    """
    ordered = normalise_bands(bands)
    if window_days is not None and not YEAR_DAYS[0] <= window_days <= YEAR_DAYS[1]:
        return LikelihoodSuggestion(None, (0, 0), False, no_year_message(window_days))
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


def no_year_message(window_days: float) -> str:
    """Why a probability over another window is not placed on the annual scale."""
    return (
        f"Inget förslag på sannolikhetsnivå: simuleringen mäter {window_days:g} dagar efter "
        "uppstarten, men skalans nivåer gäller händelser under ett år. Sannolikheten för en "
        "annan period kan inte läsas av på skalan (en längre period ger högre sannolikhet för "
        "samma risk). Simulera 365 dagar efter uppstarten (horisont = uppstart + 365) för att "
        "få ett förslag."
    )
