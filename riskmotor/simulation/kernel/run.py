"""The compiled replication loop: one chunk of replications into the metrics matrix.

One replication is simulated sequentially; a chunk is a loop over replication indices,
each seeded from ``(key, replication, stream)`` only, so chunking never changes a result.
"""

from __future__ import annotations

import math

import numpy as np

from riskmotor.simulation.kernel.arrivals import arrivals
from riskmotor.simulation.kernel.cache import is_cached, jit
from riskmotor.simulation.kernel.metrics import (
    BREACH_SHARE,
    BREACHES,
    CONSULTANT_DAYS,
    EVENT,
    EVENT_BREACH_SHARE,
    EVENT_BREACHES,
    MAX_BACKLOG,
    MEAN_SLOTS,
    SIMULATED_CASES,
    VACANT_DAYS,
    backlog,
    case_metrics,
    mean_slots,
)
from riskmotor.simulation.kernel.queue import serve
from riskmotor.simulation.kernel.rng import draw_duration, seed_stream
from riskmotor.simulation.kernel.staffing import staffing
from riskmotor.simulation.rng import ARRIVAL_STREAM, BACKLOG_STREAM, DURATION_STREAM


@jit
def simulate_chunk(
    key: np.ndarray,
    rep0: int,
    n_reps: int,
    day_rate: np.ndarray,
    cum: np.ndarray,
    scal: np.ndarray,
    iscal: np.ndarray,
    staff: np.ndarray,
    istaff: np.ndarray,
    cons_t: np.ndarray,
    cons_d: np.ndarray,
    weeks: np.ndarray,
    metrics: np.ndarray,
    weekly: np.ndarray,
) -> None:
    """Simulate replications ``rep0 … rep0 + n_reps − 1`` into ``metrics``/``weekly``.

    scal: horizon, warmup, deadline, duration p0, duration p1, event threshold,
    consultant days. iscal: initial backlog, duration code, event kind.
    staff: turnover/day, recruitment p0, p1, ramp days, ramp capacity, staffing end,
    warmup, horizon, sick leave, caseload. istaff: positions, vacant at start, recruitment
    code.
    """
    horizon, w, deadline, d0, d1, threshold = scal[0], scal[1], scal[2], scal[3], scal[4], scal[5]
    initial, d_code, event_kind = iscal[0], iscal[1], iscal[2]
    state = np.empty(4, dtype=np.uint64)
    static = staff[0] == 0.0 and istaff[1] == 0
    seg_t, seg_c, m, vacant = staffing(key, rep0, state, staff, istaff, cons_t, cons_d)
    size = initial + int(cum[-1] + 10.0 * math.sqrt(cum[-1]) + 32.0)
    arr = np.empty(size)
    dur = np.empty(size)
    start = np.empty(size)
    done = np.empty(size)
    for r in range(n_reps):
        rep = rep0 + r
        seed_stream(state, key, rep, ARRIVAL_STREAM)
        arr[:initial] = 0.0
        arr, n = arrivals(state, day_rate, cum, arr, initial)
        if n > dur.shape[0]:
            dur = np.empty(arr.shape[0])
            start = np.empty(arr.shape[0])
            done = np.empty(arr.shape[0])
        seed_stream(state, key, rep, BACKLOG_STREAM)
        for i in range(initial):
            dur[i] = draw_duration(state, d_code, d0, d1)
        seed_stream(state, key, rep, DURATION_STREAM)
        for i in range(initial, n):
            dur[i] = draw_duration(state, d_code, d0, d1)
        if not static:  # otherwise the capacity timeline has no random part
            seg_t, seg_c, m, vacant = staffing(key, rep, state, staff, istaff, cons_t, cons_d)
        serve(arr, dur, n, seg_t, seg_c, m, start, done)
        out = metrics[r]
        # ``dur`` is not needed after serving; it doubles as the lead-time buffer.
        case_metrics(arr, start, done, n, w, horizon, deadline, dur, out)
        out[MAX_BACKLOG] = backlog(arr, start, n, w, horizon, weeks, weekly[r])
        out[VACANT_DAYS] = vacant
        out[CONSULTANT_DAYS] = scal[6]
        out[MEAN_SLOTS] = mean_slots(seg_t, seg_c, m, w, horizon)
        out[SIMULATED_CASES] = n
        if event_kind == EVENT_BREACH_SHARE:
            value = out[BREACH_SHARE]
        elif event_kind == EVENT_BREACHES:
            value = out[BREACHES]
        else:
            value = out[MAX_BACKLOG]
        out[EVENT] = 1.0 if value > threshold else 0.0


def is_compiled() -> bool:
    """Whether :func:`simulate_chunk` runs without compiling first: it is already loaded in
    this process, or Numba's disk cache holds it for this source and this machine."""
    return is_cached(simulate_chunk)
