"""Unit tests of riskmotor.sampling against published reference values and the spec."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from riskmotor.errors import InvalidInputError
from riskmotor.sampling import (
    SamplingPlan,
    achievable_precision,
    allocate,
    bound_method,
    discovery_probability,
    draw_sample,
    proportion_interval,
    sample_size,
    spread_over_periods,
    upper_limit,
)
from riskmotor.simulation.summary import wilson_interval

# --- sample sizes -----------------------------------------------------------------------------


def test_plan_fields() -> None:
    plan = sample_size(0.95, 0.05)
    assert isinstance(plan, SamplingPlan)
    assert (plan.n, plan.allowed_deviations, plan.method) == (59, 0, "binomial")
    assert (plan.confidence, plan.tolerable_rate, plan.expected_rate) == (0.95, 0.05, 0.0)
    assert plan.population is None
    assert plan.upper_limit < 0.05
    with pytest.raises(ValueError):
        plan.n = 60  # type: ignore[misc]  # frozen


@pytest.mark.parametrize(
    ("confidence", "tolerable", "published"),
    [(0.95, 0.05, 59), (0.90, 0.10, 22)],  # AICPA tables
)
def test_spec_examples(confidence: float, tolerable: float, published: int) -> None:
    assert sample_size(confidence, tolerable).n == published


def test_hypergeometric_example() -> None:
    plan = sample_size(0.95, 0.05, population=1000, method="hypergeometric")
    assert (plan.n, plan.population, plan.method) == (57, 1000, "hypergeometric")
    # Independent check with exact integer combinatorics: with M = 50 deviating items of 1000
    # the chance of finding none must be at most 5 % at n = 57 and above it at n = 56.
    assert math.comb(950, 57) / math.comb(1000, 57) <= 0.05
    assert math.comb(950, 56) / math.comb(1000, 56) > 0.05


def test_poisson_zero_deviations_closed_form() -> None:
    # Poisson limit with k = 0 is -ln(1 - c) / n: n > 2.9957 / 0.05 = 59.9, so 60.
    assert sample_size(0.95, 0.05, method="poisson").n == 60


def test_binomial_with_population_keeps_binomial_size() -> None:
    assert sample_size(0.95, 0.05, population=10_000).n == 59


def test_hypergeometric_small_population_full_census() -> None:
    # A census of 10 items with 0 expected deviations shows the rate is 0 < 5 %.
    plan = sample_size(0.95, 0.05, population=10, method="hypergeometric")
    assert plan.n <= 10
    assert upper_limit(plan.n, 0, 0.95, population=10, method="hypergeometric") < 0.05


# --- upper limits and precision ---------------------------------------------------------------


def test_achievable_precision_sixty_files() -> None:
    # AICPA table A-3: n = 60, 0 deviations at 95 % -> 4.9 %.
    precision = achievable_precision(60, 0.95)
    assert 0.048 < precision <= 0.049
    assert precision == pytest.approx(1 - 0.05 ** (1 / 60), rel=1e-12)


def test_upper_limit_methods_closed_forms() -> None:
    assert upper_limit(100, 0, 0.95) == pytest.approx(1 - 0.05 ** (1 / 100), rel=1e-12)
    assert upper_limit(100, 0, 0.95, method="poisson") == pytest.approx(-math.log(0.05) / 100)
    assert upper_limit(5, 5, 0.95) == 1.0
    assert upper_limit(1, 0, 0.95, method="poisson") == 1.0  # capped


def test_hypergeometric_upper_limit_definition() -> None:
    n, k, population = 50, 1, 500
    rate = upper_limit(n, k, 0.95, population=population, method="hypergeometric")
    deviating = round(rate * population)
    alpha = 0.05
    assert stats.hypergeom.cdf(k, population, deviating, n) > alpha
    assert stats.hypergeom.cdf(k, population, deviating + 1, n) <= alpha
    assert rate < upper_limit(n, k, 0.95)  # finite population is tighter


# --- two-sided intervals ----------------------------------------------------------------------

# R package binom, binom.confint(x, n, tol = 1e-8), as published in statsmodels'
# statsmodels/stats/tests/results/results_proportion.py (methods "exact", "wilson", "bayes";
# binom's "bayes" interval with the default Jeffreys prior is the equal-tailed Jeffreys interval
# for these counts, which is how statsmodels tests its "jeffreys" method).
R_BINOM: list[tuple[int, int, str, float, float, float]] = [
    (4, 20, "clopper-pearson", 0.05733399705003284, 0.436614002996668, 1e-10),
    (4, 20, "wilson", 0.0806576625797981, 0.4160174322518935, 1e-10),
    (4, 20, "jeffreys", 0.07152005247873425, 0.4082257625169254, 1e-10),
    (18, 20, "clopper-pearson", 0.6830172859809176, 0.9876514728297052, 1e-10),
    (18, 20, "wilson", 0.6989663547715128, 0.972133518786232, 1e-10),
    (18, 20, "jeffreys", 0.716146742695748, 0.97862751197755, 1e-10),
    (4, 200, "clopper-pearson", 0.005475565879556443, 0.05041360908989634, 1e-10),
    (4, 200, "wilson", 0.00780442641634947, 0.05028708690582643, 1e-10),
    (4, 200, "jeffreys", 0.00678759879519299, 0.0468465669668423, 1e-10),
    (190, 200, "clopper-pearson", 0.9099724622986486, 0.975765834527891, 1e-10),
    (190, 200, "wilson", 0.910421851861224, 0.972617354399236, 1e-10),
    # Printed with 7-8 significant digits in the source, hence the looser tolerance.
    (1, 30, "clopper-pearson", 8.435709e-04, 0.17216946, 1e-7),
    (1, 30, "wilson", 5.908590e-03, 0.16670391, 1e-7),
    (29, 30, "clopper-pearson", 0.8278305, 0.9991564, 1e-7),
    (29, 30, "wilson", 0.8332961, 0.9940914, 1e-7),
    (0, 30, "clopper-pearson", 0.0, 0.11570331, 1e-7),
    (0, 30, "wilson", 0.0, 0.11351339, 1e-7),
    (30, 30, "clopper-pearson", 0.8842967, 1.0, 1e-7),
    (30, 30, "wilson", 0.8864866, 1.0, 1e-7),
]


@pytest.mark.parametrize(("k", "n", "method", "low", "high", "tolerance"), R_BINOM)
def test_interval_matches_r_binom(
    k: int, n: int, method: str, low: float, high: float, tolerance: float
) -> None:
    result = proportion_interval(k, n, 0.95, method=method)  # type: ignore[arg-type]
    assert result == pytest.approx((low, high), abs=tolerance)


def test_zero_and_all_of_ten_closed_forms() -> None:
    # Clopper-Pearson with k = 0: upper = 1 - (alpha/2)^(1/n); Wilson with k = 0: z^2/(n + z^2).
    z = stats.norm.isf(0.025)
    assert proportion_interval(0, 10) == pytest.approx((0.0, 1 - 0.025 ** (1 / 10)), abs=1e-12)
    assert proportion_interval(10, 10) == pytest.approx((0.025 ** (1 / 10), 1.0), abs=1e-12)
    wilson_high = z * z / (10 + z * z)
    assert proportion_interval(0, 10, method="wilson") == pytest.approx((0.0, wilson_high))
    assert proportion_interval(10, 10, method="wilson") == pytest.approx((1 - wilson_high, 1.0))
    low, high = proportion_interval(0, 10, method="jeffreys")
    assert low == 0.0 and 0 < high < 1  # statsmodels convention: low is 0 when k = 0
    low, high = proportion_interval(10, 10, method="jeffreys")
    assert high == 1.0 and 0 < low < 1


@pytest.mark.parametrize(("k", "n"), [(0, 10), (10, 10), (4, 20), (1, 30), (7, 59), (13, 400)])
@pytest.mark.parametrize("confidence", [0.90, 0.95, 0.99])
def test_clopper_pearson_agrees_with_scipy_binomtest(k: int, n: int, confidence: float) -> None:
    """scipy's binomtest(...).proportion_ci is an independent implementation of the exact
    interval (the Wilson interval *is* scipy's, so it is checked against R's values above)."""
    reference = stats.binomtest(k, n).proportion_ci(confidence_level=confidence, method="exact")
    ours = proportion_interval(k, n, confidence)
    assert ours == pytest.approx((reference.low, reference.high), abs=1e-9)


def test_wilson_of_the_simulation_is_the_sampling_engines() -> None:
    """One Wilson interval in the program: the simulation's summary gives R's values too
    (binom::binom.confint(50, 100, method = "wilson"): 0.4038315, 0.5961685)."""
    assert wilson_interval(50, 100) == pytest.approx((0.4038315, 0.5961685), abs=1e-7)
    assert wilson_interval(4.0, 20) == proportion_interval(4, 20, method="wilson")
    assert wilson_interval(0, 0) == (0.0, 1.0)


@pytest.mark.parametrize(
    ("population", "requested", "reviewed", "expected"),
    [
        (1000, None, 0, "hypergeometric"),  # a known population: the exact bound
        (None, None, 0, "binomial"),  # unknown: binomial
        (0, None, 0, "binomial"),  # the page's "0 = okänt"
        (1000, "binomial", 0, "binomial"),  # an approximation asked for is kept
        (1000, "poisson", 0, "poisson"),
        (1000, "hypergeometric", 0, "hypergeometric"),
        (50, "hypergeometric", 60, "binomial"),  # more reviewed than the population holds
        (None, "hypergeometric", 0, "hypergeometric"),  # the engine then asks for N
    ],
)
def test_bound_method_is_hypergeometric_exactly_when_the_population_is_known(
    population: int | None, requested: str | None, reviewed: int, expected: str
) -> None:
    assert bound_method(population, requested, reviewed=reviewed) == expected


def test_bound_method_refuses_an_unknown_method() -> None:
    with pytest.raises(InvalidInputError, match="okänd metod"):
        bound_method(100, "normal")


# --- discovery probability --------------------------------------------------------------------


def test_discovery_probability_binomial() -> None:
    # AICPA A-1 gives n = 59 at 95 % / 5 %: 59 items find a 5 % deviation with >= 95 % chance.
    assert discovery_probability(59, 0.05) == pytest.approx(1 - 0.95**59, rel=1e-12)
    assert discovery_probability(59, 0.05) >= 0.95 > discovery_probability(58, 0.05)
    assert discovery_probability(0, 0.3) == 0.0
    assert discovery_probability(3, 1.0) == 1.0


def test_discovery_probability_hypergeometric() -> None:
    exact = 1 - math.comb(950, 57) / math.comb(1000, 57)
    assert discovery_probability(57, 0.05, population=1000) == pytest.approx(exact, rel=1e-10)
    assert discovery_probability(1000, 0.05, population=1000) == pytest.approx(1.0)


# --- allocation and periods -------------------------------------------------------------------


def test_allocate_proportional_largest_remainder() -> None:
    # Quotas 33.33.., 33.33.., 33.33..: one extra item; equal remainders and sizes -> by name.
    assert allocate(100, {"b": 300, "a": 300, "c": 300}) == {"b": 33, "a": 34, "c": 33}
    # Quotas 62.5 / 37.5 / 0: remainders tie at 0.5, the larger stratum wins.
    assert allocate(100, {"x": 500, "y": 300, "z": 0}) == {"x": 63, "y": 37, "z": 0}


def test_allocate_caps_and_minimum() -> None:
    result = allocate(100, {"a": 500, "b": 300, "c": 20, "d": 0}, minimum=30)
    assert result == {"a": 50, "b": 30, "c": 20, "d": 0}
    assert allocate(30, {"a": 5, "b": 100}, method="equal") == {"a": 5, "b": 25}


def test_allocate_minimums_can_exceed_total() -> None:
    assert allocate(10, {"a": 100, "b": 100, "c": 3}, minimum=5) == {"a": 5, "b": 5, "c": 3}


def test_allocate_errors() -> None:
    with pytest.raises(ValueError, match=r"^total:"):
        allocate(11, {"a": 5, "b": 5})
    with pytest.raises(ValueError, match=r"^method:"):
        allocate(1, {"a": 5}, method="neyman")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"^strata_sizes:"):
        allocate(1, {"a": -1})


@pytest.mark.parametrize(
    ("n", "periods", "expected"),
    [(10, 3, [4, 3, 3]), (11, 3, [4, 4, 3]), (9, 3, [3, 3, 3]), (2, 3, [1, 1, 0]), (5, 1, [5])],
)
def test_spread_over_periods(n: int, periods: int, expected: list[int]) -> None:
    assert spread_over_periods(n, periods) == expected


# --- drawing ----------------------------------------------------------------------------------


def _documented_recipe(ids: list[str], size: int, seed: int, reserve: int) -> list[str]:
    """The algorithm exactly as the draw_sample docstring tells an auditor to re-run it."""
    ordered = sorted(ids)
    perm = np.random.default_rng(seed).permutation(len(ordered))
    return [ordered[i] for i in perm[: size + reserve]]


def test_draw_follows_documented_algorithm() -> None:
    ids = [f"ärende-{i:04d}" for i in range(997, 0, -1)]
    result = draw_sample(ids, 40, seed=20240101, reserve=10)
    recipe = _documented_recipe(ids, 40, 20240101, 10)
    assert result.sample == recipe[:40]
    assert result.reserve == recipe[40:]
    assert (result.seed, result.population_size) == (20240101, 997)


def test_draw_errors() -> None:
    with pytest.raises(ValueError, match=r"^case_ids:.*'a'"):
        draw_sample(["a", "b", "a"], 1, seed=1)
    with pytest.raises(ValueError, match=r"^size:"):
        draw_sample(["a", "b", "c"], 2, seed=1, reserve=2)
    with pytest.raises(ValueError, match=r"^seed:"):
        draw_sample(["a", "b"], 1, seed=-1)
    with pytest.raises(ValueError, match=r"^case_ids:"):
        draw_sample(["a", 1], 1, seed=1)  # type: ignore[list-item]
    with pytest.raises(ValueError, match=r"^case_ids:"):
        draw_sample([1, 2], 1, seed=1)  # type: ignore[list-item]


def test_draw_whole_population_and_empty() -> None:
    assert sorted(draw_sample(["c", "a", "b"], 3, seed=5).sample) == ["a", "b", "c"]
    assert draw_sample([], 0, seed=5).sample == []


# --- validation -------------------------------------------------------------------------------


@pytest.mark.parametrize("confidence", [0, 1, -0.1, 1.5, math.nan, True])
def test_confidence_must_be_inside_unit_interval(confidence: float) -> None:
    for call in (
        lambda: sample_size(confidence, 0.05),
        lambda: upper_limit(50, 0, confidence),
        lambda: proportion_interval(1, 10, confidence),
    ):
        with pytest.raises(ValueError, match=r"^confidence: konfidensnivån måste ligga mellan"):
            call()


@pytest.mark.parametrize(("tolerable", "expected"), [(0.05, 0.05), (0.03, 0.05)])
def test_tolerable_must_exceed_expected(tolerable: float, expected: float) -> None:
    with pytest.raises(ValueError, match=r"^tolerable_rate:"):
        sample_size(0.95, tolerable, expected)


def test_population_errors() -> None:
    with pytest.raises(ValueError, match=r"^population:.*mindre än stickprovet"):
        upper_limit(100, 0, 0.95, population=50)
    with pytest.raises(ValueError, match=r"^population:"):
        sample_size(0.95, 0.05, population=30)  # binomial needs 59 > 30
    with pytest.raises(ValueError, match=r"^population:.*hypergeometriska"):
        sample_size(0.95, 0.05, method="hypergeometric")
    with pytest.raises(ValueError, match=r"^population:"):
        upper_limit(10, 0, 0.95, method="hypergeometric")


def test_other_field_errors() -> None:
    with pytest.raises(ValueError, match=r"^method:"):
        sample_size(0.95, 0.05, method="normal")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"^deviations:"):
        upper_limit(10, 11, 0.95)
    with pytest.raises(ValueError, match=r"^expected_rate:"):
        sample_size(0.95, 0.05, -0.01)
    with pytest.raises(ValueError, match=r"^tolerable_rate:"):
        sample_size(0.95, 1.0)
    with pytest.raises(ValueError, match=r"^successes:"):
        proportion_interval(11, 10)
    with pytest.raises(ValueError, match=r"^rate:"):
        discovery_probability(10, 1.5)


def test_errors_are_user_facing_riskmotor_errors() -> None:
    with pytest.raises(InvalidInputError) as caught:
        sample_size(1.5, 0.05)
    assert caught.value.field == "confidence"  # type: ignore[attr-defined]
