"""One-sided upper limits, two-sided intervals and discovery probabilities for a deviation rate.

Conventions follow the AICPA Audit Guide "Audit Sampling" (appendix A) and the R package jfa:

* ``binomial``: Clopper–Pearson upper limit, ``beta.ppf(confidence, k + 1, n - k)``.
* ``poisson``: gamma limit, ``gamma.ppf(confidence, k + 1) / n`` (capped at 1).
* ``hypergeometric``: exact for a population of N items. The limit on the number of deviating
  items is the largest M with ``P(X <= k | N, M, n) > 1 - confidence``; the rate is M / N.
"""

from __future__ import annotations

import functools
import math
from fractions import Fraction
from typing import Literal

import numpy as np
from numpy.typing import NDArray
from scipy import stats

from riskmotor.sampling import _validate as check
from riskmotor.sampling import exact
from riskmotor.sampling._validate import Method
from riskmotor.sampling.errors import SamplingInputError

IntervalMethod = Literal["clopper-pearson", "wilson", "jeffreys"]
INTERVAL_METHODS: tuple[str, ...] = ("clopper-pearson", "wilson", "jeffreys")


def bound_method(
    population: int | None, requested: str | None = None, *, reviewed: int = 0
) -> Method:
    """The upper-limit method to use: the one home of "hypergeometric when N is known".

    An explicitly requested approximation (binomial, Poisson) is kept. Otherwise a known
    population gives the exact hypergeometric bound, provided it can hold the ``reviewed``
    items; without one it is binomial (or the requested hypergeometric, which the engine then
    refuses with a message that the population is missing).

    >>> bound_method(1000), bound_method(None), bound_method(1000, "binomial")
    ('hypergeometric', 'binomial', 'binomial')
    """
    chosen = None if requested is None else check.method(requested)
    if chosen in ("binomial", "poisson"):
        return chosen
    if population is None or population <= 0:
        return chosen or "binomial"
    return "hypergeometric" if population >= reviewed else "binomial"


def upper_limit(
    n: int,
    deviations: int,
    confidence: float,
    *,
    population: int | None = None,
    method: Method = "binomial",
) -> float:
    """One-sided upper confidence limit on the deviation rate after ``deviations`` in ``n``.

    >>> round(upper_limit(60, 0, 0.95), 4)
    0.0487
    """
    n = check.count("n", n, "stickprovets storlek", minimum=1)
    k = check.count("deviations", deviations, "antalet avvikelser")
    if k > n:
        raise SamplingInputError(
            "deviations", f"antalet avvikelser ({k}) kan inte vara fler än stickprovet ({n})"
        )
    level = check.open_unit("confidence", confidence, "konfidensnivån")
    chosen = check.method(method)
    size = check.population(population, chosen)
    check.sample_within_population(n, size)
    if chosen == "binomial":
        return _binomial_limit(n, k, level)
    if chosen == "poisson":
        return _poisson_limit(n, k, level)
    assert size is not None  # check.population guarantees it for this method
    return hypergeometric_limit_count(size, n, k, level) / size


def _binomial_limit(n: int, k: int, confidence: float) -> float:
    # With every item deviating the Beta(k + 1, 0) quantile is undefined; the limit is 1.
    if k >= n:
        return 1.0
    return float(stats.beta.ppf(confidence, k + 1, n - k))


def _poisson_limit(n: int, k: int, confidence: float) -> float:
    # The gamma limit is a rate of a Poisson process and can exceed 1 for tiny samples;
    # a deviation rate cannot, so it is capped.
    return min(1.0, float(stats.gamma.ppf(confidence, k + 1)) / n)


@functools.lru_cache(maxsize=4096)
def hypergeometric_limit_count(
    population: int, n: int, k: int, confidence: float | Fraction
) -> int:
    """Largest M with ``P(X <= k | N=population, M, n) > 1 - confidence`` (bisection on M).

    The probability falls as M grows, so bisection finds the boundary in O(log N) steps. The
    comparison with α is exact (see :mod:`riskmotor.sampling.exact`).
    """
    alpha = exact.risk(confidence)
    low = k  # with M = k every draw has at most k deviations, so P = 1 > alpha
    high = population - (n - k)  # the sample holds n - k items without deviation
    if _cdf_above(k, population, high, n, alpha):
        return high
    while high - low > 1:
        middle = (low + high) // 2
        if _cdf_above(k, population, middle, n, alpha):
            low = middle
        else:
            high = middle
    return low


@functools.lru_cache(maxsize=4096)
def hypergeometric_lower_count(
    population: int, n: int, k: int, confidence: float | Fraction
) -> int:
    """Smallest M with ``P(X >= k | N=population, M, n) > 1 - confidence``: the one-sided
    lower limit on the number of deviating items (0 when no deviation was found)."""
    alpha = exact.risk(confidence)
    low = k  # the sample itself holds k deviating items
    high = population - (n - k)  # P(X >= k) = 1 here, which is above alpha
    if k == 0 or _sf_above(k, population, low, n, alpha):
        return low
    while high - low > 1:
        middle = (low + high) // 2
        if _sf_above(k, population, middle, n, alpha):
            high = middle
        else:
            low = middle
    return high


def _cdf_above(k: int, population: int, deviating: int, n: int, alpha: Fraction) -> bool:
    probability = float(stats.hypergeom.cdf(k, population, deviating, n))
    if exact.near(probability, alpha):
        return exact.hypergeometric_cdf(k, population, deviating, n) > alpha
    return probability > alpha


def _sf_above(k: int, population: int, deviating: int, n: int, alpha: Fraction) -> bool:
    probability = float(stats.hypergeom.sf(k - 1, population, deviating, n))
    if exact.near(probability, alpha):
        return exact.hypergeometric_sf(k, population, deviating, n) > alpha
    return probability > alpha


def binomial_lower_limit(n: int, k: int, confidence: float) -> float:
    """One-sided Clopper–Pearson lower limit on the rate: ``beta.ppf(1 - c, k, n - k + 1)``."""
    if k == 0:
        return 0.0
    return float(stats.beta.ppf(float(exact.risk(confidence)), k, n - k + 1))


def binomial_shown_below(n: int, k: int, confidence: float, tolerable: float) -> bool:
    """Whether the one-sided upper limit of (n, k) is strictly below ``tolerable``.

    By the Clopper–Pearson duality this holds exactly when ``P(X <= k | n, tolerable) < α``;
    near a tie the probability is recomputed exactly.
    """
    alpha, rate = exact.risk(confidence), check.exact(tolerable)
    probability = float(stats.binom.cdf(k, n, tolerable))
    if exact.near(probability, alpha):
        return exact.binomial_cdf(k, n, rate) < alpha
    return probability < alpha


def binomial_shown_above(n: int, k: int, confidence: float, tolerable: float) -> bool:
    """Whether the one-sided lower limit of (n, k) is strictly above ``tolerable``
    (``P(X >= k | n, tolerable) < α``)."""
    if k == 0:
        return False
    alpha, rate = exact.risk(confidence), check.exact(tolerable)
    probability = float(stats.binom.sf(k - 1, n, tolerable))
    if exact.near(probability, alpha):
        return exact.binomial_sf(k, n, rate) < alpha
    return probability < alpha


def bound_below(
    n: NDArray[np.int64],
    k: NDArray[np.int64],
    confidence: float,
    tolerable: float,
    method: Method,
    critical_count: int | None = None,
    population: int | None = None,
) -> NDArray[np.bool_]:
    """Vectorised test "upper limit of (n, k) is strictly below ``tolerable``" for many n at once.

    Uses the duality between a limit and a tail probability instead of inverting a distribution
    per candidate: ``beta.ppf(c, k+1, n-k) < t`` exactly when ``binom.cdf(k, n, t) < 1 - c``,
    and ``gamma.ppf(c, k+1) / n < t`` exactly when ``poisson.cdf(k, n t) < 1 - c``. For the
    hypergeometric method ``M_upper / N < t`` exactly when the smallest intolerable count
    ``critical_count = ceil(t N)`` already has ``P(X <= k) <= 1 - c``. α is exact, and
    probabilities within a hair of it are recomputed in rational arithmetic (binomial,
    hypergeometric; a Poisson tail at a rational mean is never rational, so it cannot tie).
    """
    alpha = exact.risk(confidence)
    if method == "poisson":
        return np.asarray(stats.poisson.cdf(k, n * tolerable) < float(alpha))
    if method == "binomial":
        probabilities = np.asarray(stats.binom.cdf(k, n, tolerable), dtype=float)
        fits = probabilities < float(alpha)
    else:
        assert population is not None and critical_count is not None
        probabilities = np.asarray(
            stats.hypergeom.cdf(k, population, critical_count, n), dtype=float
        )
        fits = probabilities <= float(alpha)
    for index in np.flatnonzero([exact.near(p, alpha) for p in probabilities]):
        size, found = int(n[index]), int(k[index])
        if method == "binomial":
            fits[index] = exact.binomial_cdf(found, size, check.exact(tolerable)) < alpha
        else:
            assert population is not None and critical_count is not None
            cdf = exact.hypergeometric_cdf(found, population, critical_count, size)
            fits[index] = cdf <= alpha
    return np.asarray(fits)


def proportion_interval(
    successes: int,
    n: int,
    confidence: float = 0.95,
    method: IntervalMethod = "clopper-pearson",
) -> tuple[float, float]:
    """Two-sided confidence interval ``(low, high)`` for a proportion.

    * ``clopper-pearson``: exact, Beta quantiles ``(k, n-k+1)`` and ``(k+1, n-k)``.
    * ``wilson``: score interval without continuity correction (as statsmodels ``wilson``).
    * ``jeffreys``: equal-tailed Beta(k + 1/2, n - k + 1/2) quantiles with low = 0 when k = 0
      and high = 1 when k = n (as statsmodels ``jeffreys``).
    """
    n = check.count("n", n, "antalet observationer", minimum=1)
    k = check.count("successes", successes, "antalet träffar")
    if k > n:
        raise SamplingInputError(
            "successes", f"antalet träffar ({k}) kan inte vara fler än observationerna ({n})"
        )
    level = check.open_unit("confidence", confidence, "konfidensnivån")
    if method not in INTERVAL_METHODS:
        raise SamplingInputError(
            "method", f"okänd intervallmetod {method!r}; välj en av {', '.join(INTERVAL_METHODS)}"
        )
    tail = (1.0 - level) / 2.0
    if method == "clopper-pearson":
        return _clopper_pearson(k, n, tail)
    if method == "wilson":
        return _wilson(k, n, tail)
    return _jeffreys(k, n, tail)


def _clopper_pearson(k: int, n: int, tail: float) -> tuple[float, float]:
    low = 0.0 if k == 0 else float(stats.beta.ppf(tail, k, n - k + 1))
    high = 1.0 if k == n else float(stats.beta.isf(tail, k + 1, n - k))
    return low, high


def _wilson(k: int, n: int, tail: float) -> tuple[float, float]:
    # scipy's score interval (no continuity correction) is exactly 0 at k = 0 and 1 at k = n.
    interval = stats.binomtest(k, n).proportion_ci(
        confidence_level=1.0 - 2.0 * tail, method="wilson"
    )
    return float(interval.low), float(interval.high)


def _jeffreys(k: int, n: int, tail: float) -> tuple[float, float]:
    low = 0.0 if k == 0 else float(stats.beta.ppf(tail, k + 0.5, n - k + 0.5))
    high = 1.0 if k == n else float(stats.beta.isf(tail, k + 0.5, n - k + 0.5))
    return low, high


def discovery_probability(n: int, rate: float, *, population: int | None = None) -> float:
    """Probability that a sample of ``n`` contains at least one deviation at a true ``rate``.

    Without a population the draws are treated as independent: ``1 - (1 - rate) ** n``. With a
    population of N items the count is hypergeometric with M = floor(rate x N) deviating items
    (exact arithmetic); rounding down errs on the cautious side, never overstating detection.
    """
    n = check.count("n", n, "stickprovets storlek")
    p = check.closed_unit("rate", rate, "avvikelsefrekvensen")
    if population is None:
        # expm1/log1p keep precision when rate is tiny (1 - (1 - p)**n would cancel).
        return 1.0 if p == 1.0 else -math.expm1(n * math.log1p(-p))
    size = check.count("population", population, "populationens storlek", minimum=1)
    check.sample_within_population(n, size)
    deviating = math.floor(check.exact(rate) * size)
    return float(stats.hypergeom.sf(0, size, deviating, n))
