"""Exact significance levels and tail probabilities, used to settle ties that floats get wrong.

``1 - 0.9`` is ``0.09999999999999998`` in binary floating point, so a tail probability of
exactly 1/10 was judged *above* the 10 % risk and a sample came out one item too large. Here
the risk α is the exact rational ``1 - confidence`` (the confidence read through its shortest
decimal string, 0.9 → 9/10), and a comparison of a tail probability with α is made in floats
only when the two are clearly apart; near a tie it is recomputed in exact rational arithmetic
with :func:`math.comb`.
"""

from __future__ import annotations

import math
from fractions import Fraction

from riskmotor.sampling import _validate as check

# A float tail probability this close to α (relative) is recomputed exactly. scipy's
# hypergeometric and binomial CDFs are accurate to far better than this for the sizes here.
_TIE_TOLERANCE = 1e-9


def risk(confidence: float | Fraction) -> Fraction:
    """α = 1 − confidence, exactly: ``risk(0.9) == Fraction(1, 10)``."""
    return 1 - check.exact(confidence)


def near(probability: float, alpha: Fraction) -> bool:
    """Whether a float probability is too close to α to compare in floats."""
    return abs(probability - float(alpha)) <= _TIE_TOLERANCE * max(float(alpha), 1e-300)


def hypergeometric_cdf(k: int, population: int, deviating: int, n: int) -> Fraction:
    """P(X ≤ k) for X ~ Hypergeometric(N = population, M = deviating, n), exactly."""
    total = math.comb(population, n)
    favourable = sum(
        math.comb(deviating, i) * math.comb(population - deviating, n - i)
        for i in range(max(0, n - (population - deviating)), min(k, deviating, n) + 1)
    )
    return Fraction(favourable, total)


def hypergeometric_sf(k: int, population: int, deviating: int, n: int) -> Fraction:
    """P(X ≥ k), exactly."""
    return 1 - hypergeometric_cdf(k - 1, population, deviating, n) if k > 0 else Fraction(1)


def binomial_cdf(k: int, n: int, rate: Fraction) -> Fraction:
    """P(X ≤ k) for X ~ Binomial(n, rate), exactly for a rational rate."""
    return sum(
        (math.comb(n, i) * rate**i * (1 - rate) ** (n - i) for i in range(0, min(k, n) + 1)),
        Fraction(0),
    )


def binomial_sf(k: int, n: int, rate: Fraction) -> Fraction:
    """P(X ≥ k), exactly."""
    return 1 - binomial_cdf(k - 1, n, rate) if k > 0 else Fraction(1)
