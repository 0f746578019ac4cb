"""Compiled per-replication metrics and the column layout of the metrics matrix."""

from __future__ import annotations

import math

import numpy as np

from riskmotor.simulation.kernel.arrays import overlap
from riskmotor.simulation.kernel.cache import jit

# Columns of the per-replication metrics matrix.
CASES = 0
WAITS = 1
BREACHES = 2
BREACH_SHARE = 3
MEAN_WAIT = 4
MEAN_LEAD = 5
P90_LEAD = 6
MAX_BACKLOG = 7
VACANT_DAYS = 8
CONSULTANT_DAYS = 9
WAIT_SUM = 10
LEAD_SUM = 11
QUEUE_AREA = 12
SYSTEM_AREA = 13
MEAN_SLOTS = 14
SIMULATED_CASES = 15
EVENT = 16
N_METRICS = 17

# Which metric decides whether the risk event happened in a replication.
EVENT_BREACH_SHARE = 0
EVENT_BREACHES = 1
EVENT_MAX_BACKLOG = 2


@jit
def _quantile(values: np.ndarray, q: float) -> float:
    """Linear-interpolation quantile (NumPy's default) of a non-empty array (reorders it)."""
    m = values.shape[0]
    h = q * (m - 1)
    lo = math.floor(h)
    part = np.partition(values, lo)
    if lo + 1 >= m:
        return part[lo]
    return part[lo] + (h - lo) * (part[lo + 1 :].min() - part[lo])


@jit
def case_metrics(
    arr: np.ndarray,
    start: np.ndarray,
    done: np.ndarray,
    n: int,
    w: float,
    horizon: float,
    deadline: float,
    leads: np.ndarray,
    out: np.ndarray,
) -> None:
    """Counts, sums, means and the P90 lead time of the cases arriving in [w, horizon),
    and the queue and system areas over that window, into the metrics row ``out``."""
    cases = 0
    waits = 0
    breaches = 0
    wait_sum = 0.0
    lead_sum = 0.0
    queue_area = 0.0
    system_area = 0.0
    for i in range(n):
        queue_area += overlap(arr[i], start[i], w, horizon)
        system_area += overlap(arr[i], done[i], w, horizon)
        if arr[i] < w:
            continue
        lead = done[i] - arr[i]
        leads[cases] = lead
        cases += 1
        waits += start[i] > arr[i]
        breaches += lead > deadline
        wait_sum += start[i] - arr[i]
        lead_sum += lead
    out[CASES] = cases
    out[WAITS] = waits
    out[BREACHES] = breaches
    out[WAIT_SUM] = wait_sum
    out[LEAD_SUM] = lead_sum
    out[QUEUE_AREA] = queue_area
    out[SYSTEM_AREA] = system_area
    out[BREACH_SHARE] = breaches / cases if cases > 0 else 0.0
    out[MEAN_WAIT] = wait_sum / cases if cases > 0 else math.nan
    out[MEAN_LEAD] = lead_sum / cases if cases > 0 else math.nan
    out[P90_LEAD] = _quantile(leads[:cases], 0.9) if cases > 0 else math.nan


@jit
def backlog(
    arr: np.ndarray,
    start: np.ndarray,
    n: int,
    w: float,
    horizon: float,
    weeks: np.ndarray,
    weekly: np.ndarray,
) -> int:
    """Waiting cases Q(t) = #(arrival ≤ t) − #(start ≤ t): weekly values and the maximum
    over the window [w, horizon] (attained at w or just after an arrival)."""
    ia = 0
    js = 0
    for k in range(weeks.shape[0]):
        while ia < n and arr[ia] <= weeks[k]:
            ia += 1
        while js < n and start[js] <= weeks[k]:
            js += 1
        weekly[k] = ia - js
    ia = 0
    js = 0
    while ia < n and arr[ia] <= w:
        ia += 1
    while js < n and start[js] <= w:
        js += 1
    best = ia - js
    for i in range(ia, n):
        while js < n and start[js] <= arr[i]:
            js += 1
        if i + 1 - js > best:
            best = i + 1 - js
    return best


@jit
def mean_slots(seg_t: np.ndarray, seg_c: np.ndarray, m: int, w: float, h: float) -> float:
    """Time-average slot count over the window [w, h)."""
    total = 0.0
    for i in range(m):
        total += seg_c[i] * overlap(seg_t[i], seg_t[i + 1], w, h)
    return total / (h - w)
