"""Compare two scenarios with common random numbers (CRN).

Both scenarios are simulated with the same seed, so replication ``r`` of each uses the same
arrival, duration and per-position staffing streams. The paired differences
``b_r − a_r`` then have a much smaller variance than two independent runs, and their mean
± z·sd/√R is the interval reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from riskmotor.simulation.engine import SimulationResult, simulate
from riskmotor.simulation.scenario import CapacityScenario
from riskmotor.simulation.summary import mean_interval

_PAIRED = {"event_probability": "event", "breach_share": "breach_share"}


@dataclass(frozen=True)
class ComparisonResult:
    first: SimulationResult
    second: SimulationResult
    summary: dict[str, Any]


def _paired(first: SimulationResult, second: SimulationResult, metric: str) -> dict[str, Any]:
    a = first.per_replication(metric)
    b = second.per_replication(metric)
    mean, low, high = mean_interval(b - a)
    return {
        "first": float(a.mean()),
        "second": float(b.mean()),
        "difference": mean,
        "difference_ci": [low, high],
        "correlation": float(np.corrcoef(a, b)[0, 1]) if a.std() > 0 and b.std() > 0 else None,
    }


def compare_results(first: SimulationResult, second: SimulationResult) -> ComparisonResult:
    """Paired comparison of two results that share seed and replication count."""
    if first.seed != second.seed or first.replications != second.replications:
        raise ValueError(
            "jämförelsen kräver samma seed och samma antal replikeringar i båda scenarierna"
        )
    summary: dict[str, Any] = {
        "first": first.scenario.name,
        "second": second.scenario.name,
        "seed": first.seed,
        "replications": first.replications,
        "method": "gemensamma slumptal, parvisa differenser (andra minus första), 95 % intervall",
    }
    for name, metric in _PAIRED.items():
        summary[name] = _paired(first, second, metric)
    return ComparisonResult(first=first, second=second, summary=summary)


def compare(
    first: CapacityScenario | dict[str, Any],
    second: CapacityScenario | dict[str, Any],
    replications: int = 10_000,
    seed: int = 1,
) -> ComparisonResult:
    """Simulate both scenarios with the same seed and compare them pairwise."""
    return compare_results(
        simulate(first, replications=replications, seed=seed),
        simulate(second, replications=replications, seed=seed),
    )
