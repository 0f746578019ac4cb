"""Compiled per-replication simulation (Numba), split by job:

- :mod:`.rng` — SplitMix64 seeding, xoshiro256** and the duration distributions
- :mod:`.arrivals` — Poisson arrivals with a daily rate
- :mod:`.staffing` — position histories and the slot count over time
- :mod:`.queue` — non-preemptive FCFS with a time-varying slot count
- :mod:`.metrics` — per-replication metrics and their column layout
- :mod:`.run` — the replication loop :func:`simulate_chunk`
- :mod:`.cache` — the ``cache=True`` decorator and the guard that keeps the cache true

Importing this package compiles nothing. Its last step purges Numba's on-disk cache of
the package when any kernel source (or Numba's or NumPy's version) changed since the cache
was written; see :mod:`riskmotor.simulation.kernel.cache` for why that is needed.
"""

from riskmotor.simulation.kernel.cache import guard
from riskmotor.simulation.kernel.metrics import (
    BREACH_SHARE,
    BREACHES,
    CASES,
    CONSULTANT_DAYS,
    EVENT,
    EVENT_BREACH_SHARE,
    EVENT_BREACHES,
    EVENT_MAX_BACKLOG,
    LEAD_SUM,
    MAX_BACKLOG,
    MEAN_LEAD,
    MEAN_SLOTS,
    MEAN_WAIT,
    N_METRICS,
    P90_LEAD,
    QUEUE_AREA,
    SIMULATED_CASES,
    SYSTEM_AREA,
    VACANT_DAYS,
    WAIT_SUM,
    WAITS,
)
from riskmotor.simulation.kernel.rng import next_u64, sample_many, seed_stream
from riskmotor.simulation.kernel.run import is_compiled, simulate_chunk

# Before any kernel function is called or its cache index read (all modules are imported
# above, and importing only decorates): they share one cache folder, so one guard covers all.
guard(simulate_chunk)

__all__ = [
    "BREACHES",
    "BREACH_SHARE",
    "CASES",
    "CONSULTANT_DAYS",
    "EVENT",
    "EVENT_BREACHES",
    "EVENT_BREACH_SHARE",
    "EVENT_MAX_BACKLOG",
    "LEAD_SUM",
    "MAX_BACKLOG",
    "MEAN_LEAD",
    "MEAN_SLOTS",
    "MEAN_WAIT",
    "N_METRICS",
    "P90_LEAD",
    "QUEUE_AREA",
    "SIMULATED_CASES",
    "SYSTEM_AREA",
    "VACANT_DAYS",
    "WAITS",
    "WAIT_SUM",
    "is_compiled",
    "next_u64",
    "sample_many",
    "seed_stream",
    "simulate_chunk",
]
