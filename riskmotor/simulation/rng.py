"""Random-stream layout and distribution parameters for the compiled kernel.

The generator itself lives in :mod:`riskmotor.simulation.kernel.rng`; the constants here are
compiled into the kernel, so `kernel/cache.py` includes this file in the stamp that purges
Numba's on-disk cache when any kernel source changes.

Every random number in a replication comes from a xoshiro256** generator (Blackman & Vigna
2018, the family behind Julia's default RNG) whose 256-bit state is derived with SplitMix64
from three integers: the run key (two 64-bit words from ``numpy.random.SeedSequence(seed)``),
the replication index and a stream id. Streams therefore depend only on
``(seed, replication, stream)``: chunking cannot change a result, and two scenarios run
with the same seed share their arrival, duration and per-position staffing streams
(common random numbers). Nothing here touches global state.

Stream ids: 0 arrivals, 1 durations of arriving cases, 2 durations of the initial backlog,
``POSITION_STREAM + j`` staffing history of position ``j``.
"""

from __future__ import annotations

import math

ARRIVAL_STREAM = 0
DURATION_STREAM = 1
BACKLOG_STREAM = 2
POSITION_STREAM = 16

DETERMINISTIC, EXPONENTIAL, GAMMA, LOGNORMAL = 0, 1, 2, 3
DISTRIBUTION_CODES = {
    "deterministic": DETERMINISTIC,
    "exponential": EXPONENTIAL,
    "gamma": GAMMA,
    "lognormal": LOGNORMAL,
}


def duration_parameters(distribution: str, mean: float, cv: float) -> tuple[int, float, float]:
    """Map (distribution, mean, cv) to the kernel's (code, p0, p1)."""
    code = DISTRIBUTION_CODES[distribution]
    if code == GAMMA:
        return code, 1.0 / cv**2, mean * cv**2
    if code == LOGNORMAL:
        sigma2 = math.log1p(cv**2)
        return code, math.log(mean) - sigma2 / 2.0, math.sqrt(sigma2)
    return code, mean, 0.0
