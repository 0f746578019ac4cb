"""Scenario comparison with common random numbers."""

from __future__ import annotations

import pytest

from riskmotor.simulation import compare, compare_results, simulate
from tests.unit.test_simulation_engine import scenario


def test_obvious_improvement_has_a_negative_interval() -> None:
    event = {"breach_share_above": 0.3}
    lean = scenario(staffing={"positions": 9, "vacant_at_start": 2}, event=event)
    rich = scenario(staffing={"positions": 15, "vacant_at_start": 2}, event=event, name="Förstärkt")
    result = compare(lean, rich, replications=300, seed=8)
    share = result.summary["breach_share"]
    assert share["difference"] < 0 and share["difference_ci"][1] < 0
    event = result.summary["event_probability"]
    assert event["difference"] < 0 and event["difference_ci"][1] < 0
    assert event["first"] > event["second"]
    assert share["correlation"] is None or share["correlation"] > 0
    assert result.summary["second"] == "Förstärkt"


def test_common_random_numbers_shrink_the_interval() -> None:
    a = scenario(staffing={"positions": 12})
    b = scenario(staffing={"positions": 13})
    paired = compare(a, b, replications=200, seed=3).summary["breach_share"]
    independent = compare_results(
        simulate(a, replications=200, seed=3), simulate(b, replications=200, seed=3)
    )
    assert paired == independent.summary["breach_share"]
    width = paired["difference_ci"][1] - paired["difference_ci"][0]
    ra = simulate(a, replications=200, seed=3).per_replication("breach_share")
    rb = simulate(b, replications=200, seed=4).per_replication("breach_share")
    unpaired_width = 2 * 1.96 * ((ra.var(ddof=1) + rb.var(ddof=1)) / 200) ** 0.5
    assert width < unpaired_width


def test_same_scenario_has_zero_difference() -> None:
    a = scenario()
    result = compare(a, a, replications=50, seed=1).summary
    assert result["breach_share"]["difference"] == 0.0
    assert result["breach_share"]["difference_ci"] == [0.0, 0.0]


def test_results_must_share_seed_and_replications() -> None:
    a = simulate(scenario(), replications=20, seed=1)
    with pytest.raises(ValueError, match="samma seed"):
        compare_results(a, simulate(scenario(), replications=20, seed=2))
