"""The Swedish sentences of an egenkontroll evaluation, and figures that never contradict them.

Every sentence states only what the numbers beside it show: an upper limit is rounded *up*
and a lower limit *down*, with as many decimals as it takes to keep the comparison with the
tolerance visible (4,95 % is never printed as "5,0 %" beside "lägre än 5 %"); an exact rate
from a full review is rounded to the nearest, again keeping its side of the tolerance.
Every variant is listed in docs/egenkontroll.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from riskmotor.domain.terms import number, percent

MAX_DECIMALS = 3


def confidence_text(confidence: float) -> str:
    return percent(confidence, 1, trim=True)


def percent_up(share: float, below: float | None = None) -> str:
    """An upper limit rounded up; more decimals while rounding would lift it onto ``below``."""
    for decimals in range(1, MAX_DECIMALS + 1):
        scale = 10 ** (decimals + 2)
        rounded = math.ceil(round(scale * share, 6)) / scale
        if below is None or share >= below or rounded < below:
            break
    return percent(rounded, decimals)


def percent_down(share: float, above: float | None = None) -> str:
    """A lower limit rounded down; more decimals while rounding would drop it onto ``above``."""
    for decimals in range(1, MAX_DECIMALS + 1):
        scale = 10 ** (decimals + 2)
        rounded = math.floor(round(scale * share, 6)) / scale
        if above is None or share <= above or rounded > above:
            break
    return percent(rounded, decimals)


def percent_exact(rate: Fraction, tolerable: Fraction) -> str:
    """An exact rate rounded to the nearest, with the decimals that keep it on its side of
    the tolerance (equal shows equal)."""
    for decimals in range(1, MAX_DECIMALS + 1):
        scale = 10 ** (decimals + 2)
        rounded = Fraction(round(rate * scale), scale)
        same_side = (rounded > tolerable) - (rounded < tolerable) == (rate > tolerable) - (
            rate < tolerable
        )
        if same_side:
            break
    return percent(float(rounded), decimals)


def found_text(deviations: int) -> str:
    if deviations == 0:
        return "ingen avvikelse"
    return "1 avvikelse" if deviations == 1 else f"{deviations} avvikelser"


@dataclass(frozen=True)
class Figures:
    """The numbers a sentence talks about (rates as fractions of 1)."""

    reviewed: int
    deviations: int
    population: int | None
    confidence: float
    tolerable_rate: float
    rate: float
    upper_limit: float | None = None
    lower_limit: float | None = None
    strata: int = 1


NOT_ASSESSED = "Inga granskade ärenden för kontrollmomentet ännu."


def census_sentence(f: Figures, exact_rate: Fraction) -> str:
    """A full review: the exact rate, no interval."""
    tolerable = Fraction(repr(f.tolerable_rate))
    shown = percent_exact(exact_rate, tolerable)
    limit = percent(f.tolerable_rate, 1, trim=True)
    side = (
        f"lägre än toleransen {limit}"
        if exact_rate < tolerable
        else f"högre än toleransen {limit}"
        if exact_rate > tolerable
        else f"lika med toleransen {limit}, inte lägre"
    )
    return (
        f"Alla {number(f.reviewed)} ärenden granskades (totalgranskning) och "
        f"{found_text(f.deviations)} hittades. Andelen avvikelser är därför känd exakt, "
        f"utan osäkerhet från urvalet: "
        f"{shown}, vilket är {side}."
    )


def _about(f: Figures) -> str:
    """Whom the conclusion is about: all cases of the period, not only the reviewed ones."""
    if f.population is None:
        return "bland alla ärenden under perioden"
    return f"bland periodens alla {number(f.population)} ärenden"


def _lead(f: Figures) -> str:
    observed = f" ({percent(f.deviations / f.reviewed)})" if f.deviations else ""
    of = f" av {number(f.population)}" if f.population is not None else ""
    found = found_text(f.deviations)
    return f"Granskningen av {number(f.reviewed)}{of} ärenden hittade {found}{observed}."


def _overall_lead(f: Figures) -> str:
    assert f.population is not None
    return (
        f"Sammanvägt för {f.strata} enheter med {number(f.population)} ärenden granskades "
        f"{number(f.reviewed)} och {found_text(f.deviations)} hittades. Vägd efter "
        f"enheternas storlek är den uppskattade andelen avvikelser {percent(f.rate)}."
    )


def sample_sentence(f: Figures, conclusion: str, *, overall: bool = False) -> str:
    """A sample (or the overall figure): each claim is one-sided at the stated confidence."""
    assert f.upper_limit is not None and f.lower_limit is not None
    level = confidence_text(f.confidence)
    limit = percent(f.tolerable_rate, 1, trim=True)
    lead = _overall_lead(f) if overall else _lead(f)
    at_least = "minst " if overall else ""
    about = _about(f)
    if conclusion == "shown_to_meet":
        upper = percent_up(f.upper_limit, f.tolerable_rate)
        return (
            f"{lead} Med {at_least}{level} konfidens är andelen avvikelser {about} högst "
            f"{upper}, alltså lägre än toleransen {limit}. Toleransen hålls."
        )
    if conclusion == "shown_not_to_meet":
        lower = percent_down(f.lower_limit, f.tolerable_rate)
        return (
            f"{lead} Med {at_least}{level} konfidens är andelen avvikelser {about} minst "
            f"{lower}, alltså högre än toleransen {limit}. Toleransen hålls inte."
        )
    upper = percent_up(f.upper_limit, f.tolerable_rate)
    lower = percent_down(f.lower_limit, f.tolerable_rate)
    return (
        f"{lead} Med {at_least}{level} konfidens är andelen avvikelser {about} högst {upper}. "
        f"Det räcker inte för att visa att den är lägre än toleransen {limit}, men "
        f"granskningen visar inte heller att den är högre (den nedre gränsen är {lower}). "
        f"Frågan kan inte avgöras med det här urvalet."
    )


def no_overall_sentence(reason: str) -> str:
    return f"Ingen sammanvägd siffra för hela nämnden: {reason}. Se resultatet per enhet."
