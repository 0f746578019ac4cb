"""Exact reduction: without staffing dynamics the model is an M/M/c FCFS queue.

The reference (Erlang C) is verified first against published values, then the simulation
is checked against it with 99 % confidence intervals over independent replications.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from riskmotor.simulation import CapacityScenario, erlang_c, mmc_mean_wait, simulate
from riskmotor.simulation.summary import mean_interval, ratio_interval

Z99 = 2.5758


def erlang_c_direct(c: int, a: float) -> float:
    """Textbook form: (a^c/c! · c/(c−a)) / (Σ_{k<c} a^k/k! + a^c/c! · c/(c−a))."""
    top = a**c / math.factorial(c) * c / (c - a)
    return top / (sum(a**k / math.factorial(k) for k in range(c)) + top)


def test_erlang_c_matches_published_call_centre_example() -> None:
    # Mitan Ltd / Call Centre Helper "Erlang-C formula" worked example: 360 calls per
    # 30 minutes, 240 s average handling time, 55 agents → traffic intensity 48 Erlang,
    # probability of waiting 23.9 %, average speed of answer 8.2 s, 84.6 % within 15 s.
    a = 360 * 240 / 1800
    assert a == 48
    pw = erlang_c(55, a)
    assert pw == pytest.approx(0.2387, abs=5e-5)
    asa_seconds = pw * 240 / (55 - a)
    assert asa_seconds == pytest.approx(8.2, abs=0.05)
    service_level = 1 - pw * math.exp(-(55 - a) * 15 / 240)
    assert service_level == pytest.approx(0.846, abs=5e-4)


@pytest.mark.parametrize("rho", [0.1, 0.5, 0.9])
def test_erlang_c_closed_forms(rho: float) -> None:
    assert erlang_c(1, rho) == pytest.approx(rho)  # M/M/1: P(wait) = ρ
    assert erlang_c(2, 2 * rho) == pytest.approx(2 * rho**2 / (1 + rho))  # M/M/2


@pytest.mark.parametrize(("c", "a"), [(3, 2.0), (14, 12.0), (55, 48.0), (144, 130.0)])
def test_erlang_c_recursion_equals_textbook_sum(c: int, a: float) -> None:
    assert erlang_c(c, a) == pytest.approx(erlang_c_direct(c, a), rel=1e-10)


def test_mean_wait_formula() -> None:
    # M/M/1: Wq = ρ/(μ − λ)
    assert mmc_mean_wait(1, 0.5, 1.0) == pytest.approx(0.5 / 0.5)
    assert mmc_mean_wait(2, 3.0, 1.0) == float("inf")


REDUCTIONS = [
    # positions × caseload = c, arrivals per day, mean duration, horizon, warm-up
    pytest.param((7, 2, 1.2, 10.0, 2500, 500), id="M/M/14 rho 0.86"),
    pytest.param((3, 1, 0.2, 10.0, 4500, 500), id="M/M/3 rho 0.67"),
]


def mmc(positions: int, caseload: int, lam: float, mean: float, horizon: int, warmup: int):
    return CapacityScenario.model_validate(
        {
            "horizon_days": horizon,
            "warmup_days": warmup,
            "arrivals": {"per_day": lam},
            "case_duration_days": {"distribution": "exponential", "mean": mean},
            "staffing": {"positions": positions, "caseload_per_worker": caseload},
            "deadline_days": 30,
        }
    )


@pytest.fixture(scope="module", params=REDUCTIONS)
def reduction(request: pytest.FixtureRequest):
    positions, caseload, lam, mean, horizon, warmup = request.param
    scenario = mmc(positions, caseload, lam, mean, horizon, warmup)
    result = simulate(scenario, replications=400, seed=20240607)
    return result, positions * caseload, lam, mean


def _contains(interval: tuple[float, float, float], value: float) -> bool:
    return interval[1] <= value <= interval[2]


def test_capacity_is_exactly_c(reduction) -> None:
    result, c, _, _ = reduction
    assert np.all(result.per_replication("mean_slots") == c)
    assert np.all(result.per_replication("vacant_position_days") == 0)
    assert np.all(result.per_replication("consultant_days") == 0)


def test_wait_probability_matches_erlang_c(reduction) -> None:
    result, c, lam, mean = reduction
    estimate = ratio_interval(
        result.per_replication("waits"), result.per_replication("cases"), confidence=0.99
    )
    assert _contains(estimate, erlang_c(c, lam * mean)), (estimate, erlang_c(c, lam * mean))


def test_mean_wait_matches_erlang_c(reduction) -> None:
    result, c, lam, mean = reduction
    estimate = ratio_interval(
        result.per_replication("wait_sum_days"), result.per_replication("cases"), 0.99
    )
    assert _contains(estimate, mmc_mean_wait(c, lam, mean)), estimate


def test_mean_lead_time_is_wait_plus_service(reduction) -> None:
    result, c, lam, mean = reduction
    estimate = ratio_interval(
        result.per_replication("lead_time_sum_days"), result.per_replication("cases"), 0.99
    )
    assert _contains(estimate, mmc_mean_wait(c, lam, mean) + mean), estimate


def test_littles_law(reduction) -> None:
    """L = λW: time-average number in system over the window versus λ × mean lead time."""
    result, c, lam, mean = reduction
    scenario = result.scenario
    window = scenario.horizon_days - scenario.warmup_days
    number_in_system = result.per_replication("system_area") / window
    expected = lam * (mmc_mean_wait(c, lam, mean) + mean)
    assert _contains(mean_interval(number_in_system, 0.99), expected)
    paired = result.per_replication("system_area") - result.per_replication("lead_time_sum_days")
    assert _contains(mean_interval(paired / window, 0.99), 0.0)
    queue = result.per_replication("queue_area") / window
    assert _contains(mean_interval(queue, 0.99), lam * mmc_mean_wait(c, lam, mean))


def test_arrival_count_is_poisson(reduction) -> None:
    result, _, lam, _ = reduction
    scenario = result.scenario
    cases = result.per_replication("cases")
    expected = lam * (scenario.horizon_days - scenario.warmup_days)
    assert _contains(mean_interval(cases, 0.99), expected)
    assert cases.var(ddof=1) == pytest.approx(expected, rel=0.25)
