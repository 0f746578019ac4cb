"""Evaluation of reviewed samples: exact limits, census, three-way conclusions, exact α.

Reference values come from exact rational arithmetic (math.comb and fractions) written out
here, independent of scipy and of the code under test, and from closed forms.
"""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from riskmotor.sampling import (
    StratumInput,
    evaluate,
    evaluate_overall,
    sample_size,
    upper_limit,
)
from riskmotor.sampling.bounds import hypergeometric_limit_count, hypergeometric_lower_count

CONFIDENCES = ["0.8", "0.9", "0.95", "0.99"]


def _cdf(k: int, big_n: int, m: int, n: int) -> Fraction:
    """P(X <= k), Hypergeometric(N, M, n), by brute-force exact counting."""
    return Fraction(
        sum(math.comb(m, i) * math.comb(big_n - m, n - i) for i in range(0, k + 1)),
        math.comb(big_n, n),
    )


def _reference_upper(big_n: int, n: int, k: int, alpha: Fraction) -> int:
    return max(m for m in range(k, big_n - (n - k) + 1) if _cdf(k, big_n, m, n) > alpha)


def _reference_lower(big_n: int, n: int, k: int, alpha: Fraction) -> int:
    return min(m for m in range(k, big_n - (n - k) + 1) if 1 - _cdf(k - 1, big_n, m, n) > alpha)


@pytest.mark.parametrize("level", CONFIDENCES)
@pytest.mark.parametrize(("big_n", "n"), [(20, 5), (50, 10), (40, 40), (30, 12)])
def test_hypergeometric_limits_equal_exact_counting(big_n: int, n: int, level: str) -> None:
    alpha = 1 - Fraction(level)
    for k in range(0, n + 1):
        assert hypergeometric_limit_count(big_n, n, k, float(level)) == _reference_upper(
            big_n, n, k, alpha
        )
        assert hypergeometric_lower_count(big_n, n, k, float(level)) == _reference_lower(
            big_n, n, k, alpha
        )


@pytest.mark.parametrize(("level", "expected"), [(0.9, 45), (0.8, 40)])
def test_tie_cells_use_exact_alpha(level: float, expected: int) -> None:
    # N = 50, tolerable 2 %: one intolerable item; P(none found) = (50 - n) / 50 exactly,
    # which equals α = 1 - level at n = expected. A limit *at* α already shows the rate is
    # below 2 %, so that n is enough (1 - 0.9 = 0.09999999999999998 in floats gave 46).
    plan = sample_size(level, 0.02, population=50, method="hypergeometric")
    assert plan.n == expected
    assert Fraction(50 - expected, 50) == 1 - Fraction(str(level))


def test_census_reports_the_exact_rate_and_no_interval() -> None:
    result = evaluate(30, 0, 0.95, 0.05, population=30)
    assert (result.method, result.rate, result.upper_limit) == ("census", 0.0, None)
    assert result.conclusion == "shown_to_meet"
    assert evaluate(40, 2, 0.95, 0.05, population=40).conclusion == "not_shown"  # exactly 5 %
    assert evaluate(30, 3, 0.95, 0.05, population=30).conclusion == "shown_not_to_meet"


def test_one_deviation_in_sixty_is_not_shown_either_way() -> None:
    result = evaluate(60, 1, 0.95, 0.05)
    assert result.method == "binomial"
    assert result.conclusion == "not_shown"
    # Clopper–Pearson one-sided limits in closed form for k = 1 are not available for the
    # upper limit, but the lower one is 1 - 0.95 ** (1/60).
    assert result.lower_limit == pytest.approx(1 - 0.95 ** (1 / 60), rel=1e-9)
    assert result.upper_limit == pytest.approx(upper_limit(60, 1, 0.95))


def test_binomial_zero_deviations_closed_form() -> None:
    # k = 0: upper limit 1 - α^(1/n); n = 59 is the AICPA size for 95 % / 5 %.
    result = evaluate(59, 0, 0.95, 0.05)
    assert result.upper_limit == pytest.approx(1 - 0.05 ** (1 / 59), rel=1e-9)
    assert result.conclusion == "shown_to_meet"


def test_shown_not_to_meet_needs_the_lower_limit_above_tolerance() -> None:
    big, n = 1000, 60
    alpha = Fraction(1, 20)
    # Smallest k whose lower count is above 50 (5 % of 1000), by exact counting.
    first = next(k for k in range(n + 1) if 1 - _cdf(k - 1, big, 50, n) <= alpha)
    assert evaluate(n, first, 0.95, 0.05, population=big).conclusion == "shown_not_to_meet"
    assert evaluate(n, first - 1, 0.95, 0.05, population=big).conclusion == "not_shown"


def test_overall_weights_strata_by_population() -> None:
    strata = {
        "Stor": StratumInput(1000, 60, 6),
        "Liten 1": StratumInput(30, 30, 0),
        "Liten 2": StratumInput(30, 30, 0),
    }
    result = evaluate_overall(strata, 0.95, 0.05)
    assert not isinstance(result, str)
    assert result.method == "stratified-bonferroni"
    assert result.rate == pytest.approx(1000 * 0.1 / 1060)
    # One sampled stratum: its limit at the full confidence plus the exact census counts.
    assert result.upper_limit == pytest.approx(hypergeometric_limit_count(1000, 60, 6, 0.95) / 1060)


def test_overall_refused_when_a_population_is_unknown() -> None:
    reason = evaluate_overall(
        {"A": StratumInput(None, 60, 1), "B": StratumInput(100, 60, 0)}, 0.95, 0.05
    )
    assert isinstance(reason, str) and "A" in reason
