"""Summaries of per-replication metrics: pooled ratios, intervals, quantiles, fan chart.

Everything returned is plain Python (float/int/bool/str/list/dict, ``None`` for "no
value"), so ``json.dumps(result.summary)`` works without a custom encoder.
"""

from __future__ import annotations

import json
import math
from statistics import NormalDist
from typing import TYPE_CHECKING, Any

import numpy as np

from riskmotor.sampling import proportion_interval

if TYPE_CHECKING:
    from riskmotor.simulation.engine import SimulationResult
    from riskmotor.simulation.scenario import CapacityScenario

OVERLOAD_LABEL = "ohållbar belastning"
SUSTAINABLE_LABEL = "hållbar belastning"
QUANTILES = {"p05": 0.05, "p10": 0.10, "p50": 0.50, "p90": 0.90, "p95": 0.95}
QUANTILE_METRICS = (
    "cases",
    "breaches",
    "breach_share",
    "mean_wait_days",
    "mean_lead_time_days",
    "p90_lead_time_days",
    "max_backlog",
    "vacant_position_days",
    "consultant_days",
    "mean_slots",
)


def z_value(confidence: float) -> float:
    return NormalDist().inv_cdf(0.5 + confidence / 2.0)


def wilson_interval(successes: float, trials: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion (well behaved at 0 and 1).

    One implementation for the whole program: the sampling engine's (scipy's score interval).
    """
    if trials <= 0:
        return (0.0, 1.0)
    # Events are counted per replication, so the sum is a whole number held in a float.
    return proportion_interval(round(successes), trials, confidence, method="wilson")


def mean_interval(values: np.ndarray, confidence: float = 0.95) -> tuple[float, float, float]:
    """Mean and normal-approximation interval of i.i.d. replication values."""
    values = np.asarray(values, dtype=np.float64)
    mean = float(values.mean())
    if values.shape[0] < 2:
        return mean, mean, mean
    half = z_value(confidence) * float(values.std(ddof=1)) / math.sqrt(values.shape[0])
    return mean, mean - half, mean + half


def ratio_interval(
    numerator: np.ndarray, denominator: np.ndarray, confidence: float = 0.95
) -> tuple[float, float, float]:
    """Pooled ratio Σx/Σy over replications with a delta-method interval.

    Used for per-case means (mean wait = total wait / total cases): replications are
    i.i.d., cases within one are not.
    """
    x = np.asarray(numerator, dtype=np.float64)
    y = np.asarray(denominator, dtype=np.float64)
    total = float(y.sum())
    if total <= 0:
        return math.nan, math.nan, math.nan
    ratio = float(x.sum()) / total
    n = x.shape[0]
    if n < 2:
        return ratio, ratio, ratio
    residual = x - ratio * y
    se = math.sqrt(float(residual.var(ddof=1)) / n) / float(y.mean())
    half = z_value(confidence) * se
    return ratio, ratio - half, ratio + half


def _clean(value: float) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None


def _quantiles(values: np.ndarray) -> dict[str, float | None]:
    finite = values[np.isfinite(values)]
    if finite.shape[0] == 0:
        return dict.fromkeys(QUANTILES)
    found = np.quantile(finite, list(QUANTILES.values()))
    return {name: _clean(v) for name, v in zip(QUANTILES, found, strict=True)}


def _nanmean(values: np.ndarray) -> float | None:
    finite = values[np.isfinite(values)]
    return _clean(finite.mean()) if finite.shape[0] else None


def build_summary(
    scenario: CapacityScenario, metrics: np.ndarray, names: dict[str, int], offered_load: float
) -> dict[str, Any]:
    """The summary mapping of a run (see docs/simulation.md for every key)."""

    def col(name: str) -> np.ndarray:
        return metrics[:, names[name]]

    cases = col("cases")
    reps = metrics.shape[0]
    wait_p = ratio_interval(col("waits"), cases)
    mean_wait = ratio_interval(col("wait_sum_days"), cases)
    mean_lead = ratio_interval(col("lead_time_sum_days"), cases)
    events = float(col("event").sum())
    slots = float(col("mean_slots").mean())
    overloaded = bool(offered_load >= slots)
    return {
        "scenario": scenario.name,
        "event": {"kind": scenario.event.kind, "threshold": scenario.event.threshold},
        "cases_mean": _clean(cases.mean()),
        "wait_probability": _clean(wait_p[0]),
        "wait_probability_ci": [_clean(wait_p[1]), _clean(wait_p[2])],
        "mean_wait_days": _clean(mean_wait[0]),
        "mean_wait_days_ci": [_clean(mean_wait[1]), _clean(mean_wait[2])],
        "mean_lead_time_days": _clean(mean_lead[0]),
        "mean_lead_time_days_ci": [_clean(mean_lead[1]), _clean(mean_lead[2])],
        "p90_lead_time_days": _nanmean(col("p90_lead_time_days")),
        "breach_share_mean": _clean(col("breach_share").mean()),
        "breaches_mean": _clean(col("breaches").mean()),
        "max_backlog_mean": _clean(col("max_backlog").mean()),
        "vacant_position_days_mean": _clean(col("vacant_position_days").mean()),
        "consultant_days_mean": _clean(col("consultant_days").mean()),
        "event_probability": events / reps,
        "event_probability_ci": list(wilson_interval(events, reps)),
        "quantiles": {name: _quantiles(col(name)) for name in QUANTILE_METRICS},
        "offered_load": _clean(offered_load),
        "mean_slots": _clean(slots),
        "utilisation": _clean(offered_load / slots) if slots > 0 else None,
        "overloaded": overloaded,
        "load_label": OVERLOAD_LABEL if overloaded else SUSTAINABLE_LABEL,
    }


class BacklogHistogram:
    """Per-week integer histogram of the waiting-case count across replications.

    Counts are integers, so folding chunks in any order gives exactly the same quantiles
    as sorting all replications at once, in O(weeks × max backlog) memory.
    """

    def __init__(self, n_weeks: int) -> None:
        self.counts = np.zeros((n_weeks, 1), dtype=np.int64)

    def add(self, weekly: np.ndarray) -> None:
        n_weeks = self.counts.shape[0]
        if n_weeks == 0 or weekly.shape[0] == 0:
            return
        top = int(weekly.max()) + 1
        if top > self.counts.shape[1]:
            wider = np.zeros((n_weeks, max(top, 2 * self.counts.shape[1])), dtype=np.int64)
            wider[:, : self.counts.shape[1]] = self.counts
            self.counts = wider
        width = self.counts.shape[1]
        flat = (np.arange(n_weeks) * width + weekly).ravel()
        self.counts += np.bincount(flat, minlength=n_weeks * width).reshape(n_weeks, width)

    def quantile(self, q: float) -> np.ndarray:
        """NumPy's default (linear) quantile per week, computed from the counts."""
        cum = np.cumsum(self.counts, axis=1)
        total = int(cum[0, -1]) if cum.shape[0] else 0
        h = q * (total - 1)
        lo, hi = math.floor(h), math.ceil(h)
        v_lo = np.array([np.searchsorted(row, lo, side="right") for row in cum], dtype=float)
        v_hi = np.array([np.searchsorted(row, hi, side="right") for row in cum], dtype=float)
        return v_lo + (h - lo) * (v_hi - v_lo)

    def fan(self, days: np.ndarray) -> dict[str, list[float]]:
        return {
            "day": [float(d) for d in days],
            "p10": self.quantile(0.10).tolist(),
            "p50": self.quantile(0.50).tolist(),
            "p90": self.quantile(0.90).tolist(),
        }


def summary_to_json(result: SimulationResult) -> str:
    """The summary and backlog fan chart as a JSON string (strict JSON: no NaN)."""
    payload = {**result.summary, "backlog_fan": result.backlog_fan}
    return json.dumps(payload, ensure_ascii=False, allow_nan=False, sort_keys=True)
