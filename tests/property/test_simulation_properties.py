"""Property-based checks of the capacity simulation (small scenarios, few replications)."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from riskmotor.simulation import CapacityScenario, erlang_c, level_for, simulate
from riskmotor.simulation.summary import wilson_interval
from tests.unit.test_simulation_reduction import erlang_c_direct

FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

durations = st.sampled_from(["deterministic", "exponential", "gamma", "lognormal"]).flatmap(
    lambda name: st.fixed_dictionaries(
        {
            "distribution": st.just(name),
            "mean": st.floats(1.0, 120.0),
            **({"cv": st.floats(0.1, 2.0)} if name in ("gamma", "lognormal") else {}),
        }
    )
)


@st.composite
def scenarios(draw: st.DrawFn) -> CapacityScenario:
    positions = draw(st.integers(1, 8))
    horizon = draw(st.integers(30, 400))
    start = draw(st.floats(0, horizon))
    return CapacityScenario.model_validate(
        {
            "horizon_days": horizon,
            "warmup_days": draw(st.floats(0, horizon * 0.5)),
            "initial_backlog": draw(st.integers(0, 20)),
            "arrivals": {
                "per_day": draw(st.floats(0.0, 3.0)),
                "seasonality": draw(
                    st.none() | st.lists(st.floats(0.2, 3.0), min_size=12, max_size=12)
                ),
                "trend": draw(st.floats(-0.5, 0.5)),
            },
            "case_duration_days": draw(durations),
            "staffing": {
                "positions": positions,
                "caseload_per_worker": draw(st.floats(0.5, 15.0)),
                "vacant_at_start": draw(st.integers(0, positions)),
                "annual_turnover": draw(st.floats(0.0, 2.0)),
                "recruitment_days": draw(durations),
                "ramp_up_days": draw(st.floats(0, 90)),
                "ramp_up_capacity": draw(st.floats(0, 1)),
                "sick_leave_rate": draw(st.floats(0, 0.5)),
                "consultants": [
                    {
                        "count": draw(st.integers(0, 3)),
                        "from_day": start,
                        "to_day": start + draw(st.floats(1, 200)),
                    }
                ],
            },
            "deadline_days": draw(st.floats(1, 200)),
            "event": draw(
                st.sampled_from(
                    [{"breach_share_above": 0.1}, {"breaches_above": 3}, {"max_backlog_above": 5}]
                )
            ),
        }
    )


@FAST
@given(scenarios(), st.integers(1, 9), st.integers(0, 2**32))
def test_invariants_and_chunk_independence(scenario, chunk, seed) -> None:
    result = simulate(scenario, replications=9, seed=seed)
    again = simulate(scenario, replications=9, seed=seed, chunk_size=chunk)
    assert np.array_equal(result.metrics, again.metrics, equal_nan=True)
    cases = result.per_replication("cases")
    assert np.all(result.per_replication("waits") <= cases)
    assert np.all(result.per_replication("breaches") <= cases)
    share = result.per_replication("breach_share")
    assert np.all((share >= 0) & (share <= 1))
    assert np.all(result.per_replication("wait_sum_days") >= 0)
    assert np.all(
        result.per_replication("lead_time_sum_days") >= result.per_replication("wait_sum_days")
    )
    assert np.all(result.per_replication("max_backlog") >= 0)
    window = scenario.horizon_days - scenario.warmup_days
    vacant = result.per_replication("vacant_position_days")
    assert np.all((vacant >= 0) & (vacant <= scenario.staffing.positions * window + 1e-6))
    assert np.all(np.isfinite(result.per_replication("lead_time_sum_days")))
    low, high = result.summary["event_probability_ci"]
    assert low <= result.summary["event_probability"] <= high


@FAST
@given(st.integers(1, 60), st.floats(0.01, 0.99))
def test_erlang_c_matches_textbook_sum(c: int, rho: float) -> None:
    assert abs(erlang_c(c, c * rho) - erlang_c_direct(c, c * rho)) < 1e-9


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 500), st.integers(1, 500))
def test_wilson_interval_contains_estimate(k: int, n: int) -> None:
    k = min(k, n)
    low, high = wilson_interval(k, n)
    assert 0 <= low <= k / n <= high <= 1


@settings(max_examples=200, deadline=None)
@given(st.floats(0, 1))
def test_every_probability_has_exactly_one_level(p: float) -> None:
    bands = [(1, 0.0, 0.1), (2, 0.1, 0.35), (3, 0.35, 1.0)]
    level = level_for(p, bands)
    low, high = bands[level - 1][1:]
    assert low <= p < high or (level == 3 and p == 1.0)
