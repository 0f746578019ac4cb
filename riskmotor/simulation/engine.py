"""Run a capacity scenario: pack parameters, simulate replications in chunks, summarise.

``simulate(scenario, replications, seed)`` is pure: no I/O, no global random state. Each
replication draws only from streams keyed by ``(seed, replication index, stream)`` (see
:mod:`riskmotor.simulation.rng`), so the result is bit-identical for any ``chunk_size``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any

import numpy as np

from riskmotor.simulation import kernel as k
from riskmotor.simulation.rng import duration_parameters
from riskmotor.simulation.scenario import DAYS_PER_MONTH, DAYS_PER_YEAR, CapacityScenario
from riskmotor.simulation.summary import BacklogHistogram, build_summary

DEFAULT_CHUNK_SIZE = 4096
STAFFING_TAIL_DAYS = 365.0
WARM_UP_MESSAGE = "Förbereder simuleringsmotorn … (bara första gången, högst några minuter)"
# The smallest valid scenario: compiling depends only on argument types, never on values.
_WARM_UP_SCENARIO: dict[str, Any] = {
    "name": "uppvärmning",
    "horizon_days": 7,
    "arrivals": {"per_day": 1},
    "case_duration_days": {"distribution": "exponential", "mean": 1},
    "staffing": {"positions": 1, "caseload_per_worker": 1},
    "deadline_days": 7,
    "event": {"breaches_above": 0},
}

METRIC_NAMES: dict[str, int] = {
    "cases": k.CASES,
    "waits": k.WAITS,
    "breaches": k.BREACHES,
    "breach_share": k.BREACH_SHARE,
    "mean_wait_days": k.MEAN_WAIT,
    "mean_lead_time_days": k.MEAN_LEAD,
    "p90_lead_time_days": k.P90_LEAD,
    "max_backlog": k.MAX_BACKLOG,
    "vacant_position_days": k.VACANT_DAYS,
    "consultant_days": k.CONSULTANT_DAYS,
    "wait_sum_days": k.WAIT_SUM,
    "lead_time_sum_days": k.LEAD_SUM,
    "queue_area": k.QUEUE_AREA,
    "system_area": k.SYSTEM_AREA,
    "mean_slots": k.MEAN_SLOTS,
    "simulated_cases": k.SIMULATED_CASES,
    "event": k.EVENT,
}
_EVENT_KINDS = {
    "breach_share_above": k.EVENT_BREACH_SHARE,
    "breaches_above": k.EVENT_BREACHES,
    "max_backlog_above": k.EVENT_MAX_BACKLOG,
}


def riskmotor_version() -> str:
    try:
        return metadata.version("riskmotor")
    except metadata.PackageNotFoundError:
        return "0.1.0"


@dataclass(frozen=True)
class SimulationResult:
    """Outcome of :func:`simulate`.

    ``metrics`` has one row per replication (columns in :data:`METRIC_NAMES`);
    ``summary`` is a plain JSON-friendly dict; ``backlog_fan`` holds P10/P50/P90 of the
    waiting-case count per week of the measurement window.
    """

    scenario: CapacityScenario
    seed: int
    replications: int
    numpy_version: str
    riskmotor_version: str
    metrics: np.ndarray = field(repr=False)
    summary: dict[str, Any] = field(repr=False)
    backlog_fan: dict[str, list[float]] = field(repr=False)

    def per_replication(self, name: str) -> np.ndarray:
        """One per-replication metric by name (a read-only view)."""
        column = self.metrics[:, METRIC_NAMES[name]]
        column.flags.writeable = False
        return column

    @property
    def overloaded(self) -> bool:
        return bool(self.summary["overloaded"])


@dataclass(frozen=True)
class _Packed:
    day_rate: np.ndarray
    cum: np.ndarray
    scal: np.ndarray
    iscal: np.ndarray
    staff: np.ndarray
    istaff: np.ndarray
    cons_t: np.ndarray
    cons_d: np.ndarray
    weeks: np.ndarray


def arrival_grid(scenario: CapacityScenario) -> tuple[np.ndarray, np.ndarray]:
    """Daily arrival rates (constant within a day) and cumulative intensity Λ at day starts.

    The rate of day ``d`` is evaluated at its midpoint: base × seasonality[month] ×
    (1 + trend)^(t / 365.25). The last day may be partial when the horizon is fractional.
    """
    horizon = scenario.horizon_days
    arrivals = scenario.arrivals
    n_days = max(1, math.ceil(horizon))
    mid = np.arange(n_days) + 0.5
    rate = np.full(n_days, arrivals.base_per_day)
    if arrivals.seasonality is not None:
        month = np.floor(mid / DAYS_PER_MONTH).astype(np.int64) % 12
        rate = rate * np.asarray(arrivals.seasonality)[month]
    if arrivals.trend:
        rate = rate * (1.0 + arrivals.trend) ** (mid / DAYS_PER_YEAR)
    length = np.minimum(1.0, horizon - np.arange(n_days))
    cum = np.concatenate(([0.0], np.cumsum(rate * length)))
    return rate, cum


def _consultant_arrays(scenario: CapacityScenario) -> tuple[np.ndarray, np.ndarray, float]:
    times: list[float] = []
    deltas: list[int] = []
    days = 0.0
    window = (scenario.warmup_days, scenario.horizon_days)
    for period in scenario.staffing.consultants:
        times += [period.from_day, period.to_day]
        deltas += [period.count, -period.count]
        overlap = min(period.to_day, window[1]) - max(period.from_day, window[0])
        days += period.count * max(0.0, overlap)
    return np.asarray(times, dtype=np.float64), np.asarray(deltas, dtype=np.int64), days


def _pack(scenario: CapacityScenario) -> _Packed:
    day_rate, cum = arrival_grid(scenario)
    duration = scenario.case_duration_days
    d_code, d0, d1 = duration_parameters(
        duration.distribution, duration.mean, duration.effective_cv
    )
    staffing = scenario.staffing
    rec = staffing.recruitment_days
    r_code, r0, r1 = duration_parameters(rec.distribution, rec.mean, rec.effective_cv)
    cons_t, cons_d, consultant_days = _consultant_arrays(scenario)
    horizon, warmup = scenario.horizon_days, scenario.warmup_days
    staffing_end = horizon + scenario.deadline_days + STAFFING_TAIL_DAYS
    event = scenario.event
    scal = [horizon, warmup, scenario.deadline_days, d0, d1, event.threshold, consultant_days]
    staff = [
        staffing.annual_turnover / DAYS_PER_YEAR,
        r0,
        r1,
        staffing.ramp_up_days,
        staffing.ramp_up_capacity,
        staffing_end,
        warmup,
        horizon,
        staffing.sick_leave_rate,
        staffing.caseload_per_worker,
    ]
    return _Packed(
        day_rate=day_rate,
        cum=cum,
        scal=np.asarray(scal, dtype=np.float64),
        iscal=np.asarray([scenario.initial_backlog, d_code, _EVENT_KINDS[event.kind]], np.int64),
        staff=np.asarray(staff, dtype=np.float64),
        istaff=np.asarray([staffing.positions, staffing.vacant_at_start, r_code], np.int64),
        cons_t=cons_t,
        cons_d=cons_d,
        weeks=np.arange(warmup, horizon + 1e-9, 7.0),
    )


def run_key(seed: int) -> np.ndarray:
    """Two 64-bit words from NumPy's SeedSequence: the root of every stream of a run."""
    return np.random.SeedSequence(seed).generate_state(2, dtype=np.uint64)


def _run_chunk(
    packed: _Packed, key: np.ndarray, first: int, count: int
) -> tuple[np.ndarray, np.ndarray]:
    metrics = np.empty((count, k.N_METRICS))
    weekly = np.empty((count, packed.weeks.shape[0]), dtype=np.int64)
    k.simulate_chunk(
        key,
        first,
        count,
        packed.day_rate,
        packed.cum,
        packed.scal,
        packed.iscal,
        packed.staff,
        packed.istaff,
        packed.cons_t,
        packed.cons_d,
        packed.weeks,
        metrics,
        weekly,
    )
    return metrics, weekly


def _check_arguments(replications: int, seed: int | None, chunk_size: int) -> int:
    if isinstance(replications, bool) or not isinstance(replications, int) or replications < 1:
        raise ValueError("replications måste vara ett heltal som är minst 1")
    if chunk_size < 1:
        raise ValueError("chunk_size måste vara minst 1")
    if seed is None:
        return int(np.random.SeedSequence().entropy % (2**63))  # type: ignore[operator]
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ValueError("seed måste vara ett icke-negativt heltal")
    return int(seed)


def simulate(
    scenario: CapacityScenario | dict[str, Any],
    replications: int = 10_000,
    seed: int | None = 1,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    progress: Callable[[float], None] | None = None,
) -> SimulationResult:
    """Simulate ``replications`` independent runs of ``scenario``.

    ``progress``, if given, is called with the finished share (0–1] after every chunk so a
    UI can show a progress bar; it cannot change the result.

    ``seed=None`` draws fresh entropy and records it as the seed. Memory is bounded by
    the chunk: per-replication scalars (17 floats) are kept, the weekly backlog is folded
    into an integer histogram chunk by chunk.
    """
    if not isinstance(scenario, CapacityScenario):
        scenario = CapacityScenario.model_validate(scenario)
    seed = _check_arguments(replications, seed, chunk_size)
    packed = _pack(scenario)
    key = run_key(seed)
    metrics = np.empty((replications, k.N_METRICS))
    histogram = BacklogHistogram(packed.weeks.shape[0])
    for first in range(0, replications, chunk_size):
        count = min(chunk_size, replications - first)
        chunk_metrics, weekly = _run_chunk(packed, key, first, count)
        metrics[first : first + count] = chunk_metrics
        histogram.add(weekly)
        if progress is not None:
            progress((first + count) / replications)
    mean_rate = (packed.cum[-1] - _cum_at(packed, scenario.warmup_days)) / (
        scenario.horizon_days - scenario.warmup_days
    )
    offered_load = mean_rate * scenario.case_duration_days.mean
    versions = {"numpy_version": np.__version__, "riskmotor_version": riskmotor_version()}
    summary = build_summary(scenario, metrics, METRIC_NAMES, offered_load)
    summary.update({"seed": seed, "replications": replications, **versions})
    fan = histogram.fan(packed.weeks)
    return SimulationResult(
        scenario=scenario,
        seed=seed,
        replications=replications,
        metrics=metrics,
        summary=summary,
        backlog_fan=fan,
        **versions,
    )


def warm_up(notify: Callable[[str], object] | None = None) -> bool:
    """Compile the kernel now (or load it from Numba's disk cache) so no simulation waits
    silently. ``notify`` gets :data:`WARM_UP_MESSAGE` first when that means compiling.

    Returns whether it compiled. Call it before the first :func:`simulate` of a process,
    from a command line or a page that can show the message.
    """
    if k.is_compiled():
        return False
    if notify is not None:
        notify(WARM_UP_MESSAGE)
    simulate(_WARM_UP_SCENARIO, replications=1, seed=0)
    return True


def _cum_at(packed: _Packed, t: float) -> float:
    """Λ(t) on the piecewise-linear daily grid."""
    days = np.minimum(np.arange(packed.cum.shape[0], dtype=np.float64), packed.scal[0])
    return float(np.interp(t, days, packed.cum))
