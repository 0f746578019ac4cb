"""Hypothesis properties of riskmotor.sampling.

Confidence levels are drawn from the practical range 0.80-0.99: several textbook orderings
(an upper limit is at least k/n, Poisson is more conservative than binomial) only hold for
confidence levels well above one half.
"""

from __future__ import annotations

import random

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from riskmotor.sampling import (
    allocate,
    draw_sample,
    proportion_interval,
    sample_size,
    upper_limit,
)

confidences = st.sampled_from([0.80, 0.85, 0.90, 0.95, 0.975, 0.99])
# Rates as whole tenths of a percent, like the values auditors enter.
rates = st.integers(min_value=1, max_value=300).map(lambda tenths: tenths / 1000)
expected_rates = st.integers(min_value=0, max_value=150).map(lambda tenths: tenths / 1000)


@settings(deadline=None)  # tolerable close to expected means n in the 100 000s
@given(confidence=confidences, low=rates, high=rates, expected=expected_rates)
def test_size_falls_as_tolerable_rate_rises(
    confidence: float, low: float, high: float, expected: float
) -> None:
    low, high = sorted((low, high))
    assume(expected < low)
    assert sample_size(confidence, high, expected).n <= sample_size(confidence, low, expected).n


@settings(deadline=None)  # tolerable close to expected means n in the 100 000s
@given(first=confidences, second=confidences, tolerable=rates, expected=expected_rates)
def test_size_grows_with_confidence(
    first: float, second: float, tolerable: float, expected: float
) -> None:
    low, high = sorted((first, second))
    assume(expected < tolerable)
    assert sample_size(low, tolerable, expected).n <= sample_size(high, tolerable, expected).n


@settings(deadline=None)
@given(
    confidence=confidences,
    tolerable=rates,
    expected=expected_rates,
    extra=st.integers(min_value=0, max_value=5000),
)
def test_hypergeometric_needs_no_more_than_binomial(
    confidence: float, tolerable: float, expected: float, extra: int
) -> None:
    assume(expected < tolerable)
    binomial = sample_size(confidence, tolerable, expected)
    assume(binomial.n <= 20_000)
    population = binomial.n + extra
    hyper = sample_size(
        confidence, tolerable, expected, population=population, method="hypergeometric"
    )
    assert hyper.n <= binomial.n


@settings(deadline=None)  # tolerable close to expected means n in the 100 000s
@given(confidence=confidences, tolerable=rates, expected=expected_rates)
def test_poisson_needs_no_fewer_than_binomial(
    confidence: float, tolerable: float, expected: float
) -> None:
    assume(expected < tolerable)
    binomial = sample_size(confidence, tolerable, expected).n
    assert sample_size(confidence, tolerable, expected, method="poisson").n >= binomial


@given(
    confidence=confidences,
    n=st.integers(min_value=1, max_value=2000),
    data=st.data(),
    method=st.sampled_from(["binomial", "poisson", "hypergeometric"]),
)
def test_upper_limit_between_point_estimate_and_one(
    confidence: float, n: int, data: st.DataObject, method: str
) -> None:
    k = data.draw(st.integers(min_value=0, max_value=n))
    population = data.draw(st.integers(min_value=n, max_value=n + 5000))
    limit = upper_limit(n, k, confidence, population=population, method=method)  # type: ignore[arg-type]
    assert k / n <= limit <= 1.0


@given(
    n=st.integers(min_value=1, max_value=5000),
    data=st.data(),
    confidence=st.floats(min_value=0.5, max_value=0.999),
    method=st.sampled_from(["clopper-pearson", "wilson", "jeffreys"]),
)
def test_interval_contains_point_estimate(
    n: int, data: st.DataObject, confidence: float, method: str
) -> None:
    k = data.draw(st.integers(min_value=0, max_value=n))
    low, high = proportion_interval(k, n, confidence, method=method)  # type: ignore[arg-type]
    assert 0.0 <= low <= k / n <= high <= 1.0


strata = st.dictionaries(
    keys=st.text(alphabet="abcdefghij", min_size=1, max_size=4),
    values=st.integers(min_value=0, max_value=500),
    min_size=1,
    max_size=8,
)


@given(
    sizes=strata,
    data=st.data(),
    method=st.sampled_from(["proportional", "equal"]),
    minimum=st.integers(min_value=0, max_value=40),
)
def test_allocation_sums_and_respects_sizes(
    sizes: dict[str, int], data: st.DataObject, method: str, minimum: int
) -> None:
    total = data.draw(st.integers(min_value=0, max_value=sum(sizes.values())))
    result = allocate(total, sizes, method=method, minimum=minimum)  # type: ignore[arg-type]
    floors = {name: min(minimum, size) for name, size in sizes.items()}
    assert list(result) == list(sizes)
    assert all(floors[name] <= result[name] <= sizes[name] for name in sizes)
    assert sum(result.values()) == max(total, sum(floors.values()))


@settings(deadline=None)
@given(
    ids=st.lists(st.text(min_size=1, max_size=6), min_size=1, max_size=300, unique=True),
    data=st.data(),
    seed=st.integers(min_value=0, max_value=2**63),
    shuffle_seed=st.integers(),
)
def test_draws_are_valid_reproducible_and_order_free(
    ids: list[str], data: st.DataObject, seed: int, shuffle_seed: int
) -> None:
    size = data.draw(st.integers(min_value=0, max_value=len(ids)))
    reserve = data.draw(st.integers(min_value=0, max_value=len(ids) - size))
    first = draw_sample(ids, size, seed, reserve)
    drawn = first.sample + first.reserve
    assert len(first.sample) == size and len(first.reserve) == reserve
    assert len(set(drawn)) == len(drawn)
    assert set(drawn) <= set(ids)
    assert draw_sample(ids, size, seed, reserve) == first
    shuffled = list(ids)
    random.Random(shuffle_seed).shuffle(shuffled)
    assert draw_sample(shuffled, size, seed, reserve) == first
