"""Evaluating a reviewed sample against a tolerable deviation rate: one stratum and overall.

Three conclusions, each a one-sided test at the chosen confidence:

* ``shown_to_meet``: the one-sided upper limit is below the tolerable rate;
* ``shown_not_to_meet``: the one-sided lower limit is above it;
* ``not_shown``: neither; the sample cannot tell.

A stratum reviewed in full (a census) has no sampling error: its exact rate decides. A
stratum with a known population uses the exact hypergeometric limits; without one, the
binomial (Clopper–Pearson) limits, which are conservative for sampling without replacement.

The overall figure weights each stratum by its population. Its limits are the sums of the
strata's limits on the *number* of deviating cases, each at confidence ``1 − α / H`` where H
is the number of strata that were sampled (censuses have no error and spend no risk). By
Boole's inequality all H limits hold together with probability at least ``1 − α``, so the
summed limit holds at least that often whatever the allocation (method
``stratified-bonferroni``). It needs each stratum's population of applicable cases; when one
is unknown the overall figure is not given and ``overall_missing`` says why.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from riskmotor.sampling import _validate as check
from riskmotor.sampling import exact
from riskmotor.sampling.bounds import (
    binomial_lower_limit,
    binomial_shown_above,
    binomial_shown_below,
    hypergeometric_limit_count,
    hypergeometric_lower_count,
    upper_limit,
)
from riskmotor.sampling.errors import SamplingInputError

Conclusion = Literal["shown_to_meet", "not_shown", "shown_not_to_meet"]
EvaluationMethod = Literal["census", "hypergeometric", "binomial", "stratified-bonferroni"]
STRATIFIED_METHOD: EvaluationMethod = "stratified-bonferroni"


@dataclass(frozen=True)
class Evaluation:
    """The result for one stratum, or overall. Limits are one-sided at ``confidence``.

    ``rate`` is the exact rate for a census, the observed share for one stratum, and the
    population-weighted estimate overall. ``upper_limit``/``lower_limit`` are ``None`` for a
    census (there is no sampling interval).
    """

    population: int | None
    reviewed: int
    deviations: int
    method: EvaluationMethod
    rate: float
    upper_limit: float | None
    lower_limit: float | None
    conclusion: Conclusion
    confidence: float
    tolerable_rate: float

    @property
    def census(self) -> bool:
        return self.method == "census"


@dataclass(frozen=True)
class StratumInput:
    """What was found in one stratum: ``population`` of applicable cases (None if unknown)."""

    population: int | None
    reviewed: int
    deviations: int


def evaluate(
    reviewed: int,
    deviations: int,
    confidence: float,
    tolerable_rate: float,
    *,
    population: int | None = None,
) -> Evaluation:
    """Evaluate one stratum: census when ``reviewed == population``, else exact limits."""
    n, k, size = _checked(reviewed, deviations, population)
    check.open_unit("confidence", confidence, "konfidensnivån")
    check.open_unit("tolerable_rate", tolerable_rate, "den tolerabla avvikelsegraden")
    tolerable = check.exact(tolerable_rate)
    if size is not None and n == size:
        rate = Fraction(k, n)
        verdict: Conclusion = (
            "shown_to_meet"
            if rate < tolerable
            else "shown_not_to_meet"
            if rate > tolerable
            else "not_shown"
        )
        return Evaluation(
            size, n, k, "census", float(rate), None, None, verdict, confidence, tolerable_rate
        )
    if size is not None:
        upper = hypergeometric_limit_count(size, n, k, confidence)
        lower = hypergeometric_lower_count(size, n, k, confidence)
        verdict = _verdict(Fraction(upper, size) < tolerable, Fraction(lower, size) > tolerable)
        return Evaluation(
            size, n, k, "hypergeometric", k / n, upper / size, lower / size, verdict,
            confidence, tolerable_rate,
        )  # fmt: skip
    verdict = _verdict(
        binomial_shown_below(n, k, confidence, tolerable_rate),
        binomial_shown_above(n, k, confidence, tolerable_rate),
    )
    return Evaluation(
        None, n, k, "binomial", k / n, upper_limit(n, k, confidence),
        binomial_lower_limit(n, k, confidence), verdict, confidence, tolerable_rate,
    )  # fmt: skip


def _checked(reviewed: int, deviations: int, population: int | None) -> tuple[int, int, int | None]:
    n = check.count("reviewed", reviewed, "antalet granskade", minimum=1)
    k = check.count("deviations", deviations, "antalet avvikelser")
    if k > n:
        raise SamplingInputError(
            "deviations", f"antalet avvikelser ({k}) kan inte vara fler än de granskade ({n})"
        )
    if population is None:
        return n, k, None
    size = check.count("population", population, "populationens storlek", minimum=1)
    check.sample_within_population(n, size)
    return n, k, size


def _verdict(below: bool, above: bool) -> Conclusion:
    if below:
        return "shown_to_meet"
    return "shown_not_to_meet" if above else "not_shown"


def evaluate_overall(
    strata: Mapping[str, StratumInput], confidence: float, tolerable_rate: float
) -> Evaluation | str:
    """The population-weighted overall result, or a Swedish reason why none can be given.

    Strata without reviewed cases count only if they are empty (population 0 is skipped).
    """
    check.open_unit("confidence", confidence, "konfidensnivån")
    tolerable = check.exact(tolerable_rate)
    present = {name: item for name, item in strata.items() if item.population != 0}
    if not present:
        return "inga ärenden att granska"
    unknown = [name for name, item in present.items() if item.population is None]
    if unknown:
        return (
            "antalet ärenden som kontrollmomentet gäller är okänt för "
            + ", ".join(sorted(unknown))
            + ", så delarna kan inte vägas samman"
        )
    unreviewed = [name for name, item in present.items() if item.reviewed == 0]
    if unreviewed:
        return "inga granskade ärenden i " + ", ".join(sorted(unreviewed))
    sampled = [item for item in present.values() if item.reviewed != item.population]
    if not sampled:
        return _overall_census(present, confidence, tolerable_rate)
    # Each sampled stratum gets an equal share of the risk (Bonferroni).
    share = 1 - exact.risk(confidence) / len(sampled)
    upper = lower = 0
    estimate = Fraction(0)
    for item in present.values():
        size = item.population
        assert size is not None
        estimate += Fraction(size * item.deviations, item.reviewed)
        if item.reviewed == size:
            upper, lower = upper + item.deviations, lower + item.deviations
            continue
        upper += hypergeometric_limit_count(size, item.reviewed, item.deviations, share)
        lower += hypergeometric_lower_count(size, item.reviewed, item.deviations, share)
    total = sum(item.population or 0 for item in present.values())
    verdict = _verdict(Fraction(upper, total) < tolerable, Fraction(lower, total) > tolerable)
    return Evaluation(
        total,
        sum(item.reviewed for item in present.values()),
        sum(item.deviations for item in present.values()),
        STRATIFIED_METHOD,
        float(estimate / total),
        upper / total,
        lower / total,
        verdict,
        confidence,
        tolerable_rate,
    )


def _overall_census(
    strata: Mapping[str, StratumInput], confidence: float, tolerable_rate: float
) -> Evaluation:
    total = sum(item.population or 0 for item in strata.values())
    deviations = sum(item.deviations for item in strata.values())
    return evaluate(total, deviations, confidence, tolerable_rate, population=total)
