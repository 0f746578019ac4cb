"""Sample sizes for attribute sampling of controls (AICPA "Audit Sampling", appendix A; jfa)."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict

from riskmotor.sampling import _validate as check
from riskmotor.sampling._validate import Method
from riskmotor.sampling.bounds import bound_below, upper_limit
from riskmotor.sampling.errors import SamplingInputError

# Without a population the search has to stop somewhere; a plan beyond this is never practical.
MAX_SAMPLE_SIZE = 1_000_000
# Candidates tested per vectorised call at first; the block doubles so far-away answers
# still take only a logarithmic number of calls.
_FIRST_BLOCK = 64


class SamplingPlan(BaseModel):
    """A planned attribute sample: test ``n`` items, accept at most ``allowed_deviations``.

    ``upper_limit`` is the one-sided upper limit on the deviation rate if exactly
    ``allowed_deviations`` are found; by construction it is strictly below ``tolerable_rate``.
    """

    model_config = ConfigDict(frozen=True)

    n: int
    allowed_deviations: int
    method: Method
    confidence: float
    tolerable_rate: float
    expected_rate: float
    population: int | None
    upper_limit: float


def sample_size(
    confidence: float,
    tolerable_rate: float,
    expected_rate: float = 0.0,
    *,
    population: int | None = None,
    method: Method = "binomial",
) -> SamplingPlan:
    """Smallest sample size whose upper limit stays strictly below the tolerable rate.

    For each candidate n the expected deviations are ``k = ceil(expected_rate x n)``, computed
    exactly from the decimal value of ``expected_rate`` (0.035 x 400 is 14, not 14.000000000000002).
    The answer is the smallest n whose upper limit for (n, k) with ``method`` is strictly below
    ``tolerable_rate``. Because k jumps with n the limit is a saw-tooth in n, so the search steps
    upwards from a lower bound (the k = 0 answer) in growing vectorised blocks rather than
    bisecting.

    >>> sample_size(0.95, 0.05).n
    59
    """
    level = check.open_unit("confidence", confidence, "konfidensnivån")
    tolerable = check.open_unit("tolerable_rate", tolerable_rate, "den tolerabla avvikelsegraden")
    expected = check.half_open_unit(
        "expected_rate", expected_rate, "den förväntade avvikelsegraden"
    )
    chosen = check.method(method)
    size = check.population(population, chosen)
    expected_exact = check.exact(expected_rate)
    tolerable_exact = check.exact(tolerable_rate)
    if tolerable_exact <= expected_exact:
        raise SamplingInputError(
            "tolerable_rate",
            "den tolerabla avvikelsegraden måste vara högre än den förväntade (expected_rate)",
        )
    n, k = _search(level, tolerable, tolerable_exact, expected_exact, chosen, size)
    return SamplingPlan(
        n=n,
        allowed_deviations=k,
        method=chosen,
        confidence=level,
        tolerable_rate=tolerable,
        expected_rate=expected,
        population=size,
        upper_limit=upper_limit(n, k, level, population=size, method=chosen),
    )


def _search(
    confidence: float,
    tolerable: float,
    tolerable_exact: Fraction,
    expected_exact: Fraction,
    method: Method,
    population: int | None,
) -> tuple[int, int]:
    """Step upwards through candidate sizes in doubling blocks; return the first fitting (n, k)."""
    last = MAX_SAMPLE_SIZE if population is None else population
    critical = None if population is None else math.ceil(tolerable_exact * population)
    start = _lower_bound(confidence, tolerable, method)
    block = _FIRST_BLOCK
    while start <= last:
        candidates = np.arange(start, min(start + block, last + 1), dtype=np.int64)
        deviations = _expected_deviations(candidates, expected_exact)
        fits = bound_below(
            candidates, deviations, confidence, tolerable, method, critical, population
        )
        if fits.any():
            first = int(np.argmax(fits))
            return int(candidates[first]), int(deviations[first])
        start += len(candidates)
        block *= 2
    raise _no_size_error(population)


def _no_size_error(population: int | None) -> SamplingInputError:
    if population is None:
        return SamplingInputError(
            "tolerable_rate",
            f"kräver ett stickprov större än {MAX_SAMPLE_SIZE}; höj den tolerabla "
            "avvikelsegraden eller sänk den förväntade",
        )
    return SamplingInputError(
        "population",
        f"inte ens en totalgranskning av populationen ({population}) räcker för att visa att "
        "avvikelsegraden ligger under den tolerabla",
    )


def _lower_bound(confidence: float, tolerable: float, method: Method) -> int:
    """A size no larger than the answer: the zero-deviation size, rounded down for safety.

    More expected deviations only raise the limit, so the k = 0 size is a floor. The
    hypergeometric size can be far below it for small populations, so that search starts at 1.
    """
    alpha = 1.0 - confidence
    if method == "binomial":
        zero_deviation = math.log(alpha) / math.log1p(-tolerable)
    elif method == "poisson":
        zero_deviation = -math.log(alpha) / tolerable
    else:
        return 1
    # Step back one so floating-point error in the logarithms can never skip the answer.
    return max(1, math.floor(zero_deviation) - 1)


def _expected_deviations(candidates: NDArray[np.int64], expected: Fraction) -> NDArray[np.int64]:
    """``ceil(expected x n)`` for every candidate n, in exact integer arithmetic."""
    numerator, denominator = expected.numerator, expected.denominator
    # Python ints: numerator x n may overflow int64 for rates with many decimals.
    ceilings = [-((-int(n) * numerator) // denominator) for n in candidates]
    return np.asarray(ceilings, dtype=np.int64)


def achievable_precision(
    n: int,
    confidence: float,
    expected_deviations: int = 0,
    *,
    population: int | None = None,
    method: Method = "binomial",
) -> float:
    """What a fixed sample can show: the upper limit if ``expected_deviations`` are found.

    Answers "what can 60 files per unit show?": with 0 deviations at 95 % the deviation rate is
    below about 4.9 %.

    >>> round(achievable_precision(60, 0.95), 3)
    0.049
    """
    return upper_limit(n, expected_deviations, confidence, population=population, method=method)
