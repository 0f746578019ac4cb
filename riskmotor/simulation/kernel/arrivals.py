"""Compiled Poisson arrivals with a piecewise-constant daily rate."""

from __future__ import annotations

import numpy as np

from riskmotor.simulation.kernel.arrays import grow
from riskmotor.simulation.kernel.cache import jit
from riskmotor.simulation.kernel.rng import exponential


@jit
def _arrivals_constant(
    state: np.ndarray, inv_rate: float, total: float, out: np.ndarray, first: int
) -> tuple[np.ndarray, int]:
    n = first
    e = 0.0
    while True:
        e += exponential(state)
        if e >= total:
            break
        if n >= out.shape[0]:
            out = grow(out, n + 1)
        out[n] = e * inv_rate
        n += 1
    return out, n


@jit
def _arrivals_varying(
    state: np.ndarray, day_rate: np.ndarray, cum: np.ndarray, out: np.ndarray, first: int
) -> tuple[np.ndarray, int]:
    total = cum[cum.shape[0] - 1]
    n = first
    e = 0.0
    d = 0
    while True:
        e += exponential(state)
        if e >= total:
            break
        if n >= out.shape[0]:
            out = grow(out, n + 1)
        while cum[d + 1] <= e:
            d += 1
        out[n] = d + (e - cum[d]) / day_rate[d]
        n += 1
    return out, n


@jit
def arrivals(
    state: np.ndarray, day_rate: np.ndarray, cum: np.ndarray, out: np.ndarray, first: int
) -> tuple[np.ndarray, int]:
    """Poisson arrivals by time change: unit-rate points mapped through Λ⁻¹.

    ``cum[d]`` is Λ at the start of day ``d`` (piecewise-linear Λ, constant rate per day),
    ``cum[-1]`` is Λ at the horizon. Arrivals are written from ``out[first]`` on. A
    constant rate (no seasonality or trend) skips the day lookup: t = e / rate.
    """
    if day_rate.min() == day_rate.max():
        if day_rate[0] <= 0.0:
            return out, first
        return _arrivals_constant(state, 1.0 / day_rate[0], cum[-1], out, first)
    return _arrivals_varying(state, day_rate, cum, out, first)
