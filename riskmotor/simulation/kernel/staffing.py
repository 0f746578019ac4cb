"""Compiled staffing: each position's history of leaving, vacancy and ramp-up, folded
with consultants into a piecewise-constant number of case slots."""

from __future__ import annotations

import math

import numpy as np

from riskmotor.simulation.kernel.arrays import grow, overlap
from riskmotor.simulation.kernel.cache import jit
from riskmotor.simulation.kernel.rng import draw_duration, exponential, seed_stream
from riskmotor.simulation.rng import POSITION_STREAM

_SLOT_EPS = 1e-9


@jit
def _add_event(
    ev_t: np.ndarray,
    ev_full: np.ndarray,
    ev_ramp: np.ndarray,
    n: int,
    t: float,
    d_full: int,
    d_ramp: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    ev_t = grow(ev_t, n + 1)
    ev_full = grow(ev_full, n + 1)
    ev_ramp = grow(ev_ramp, n + 1)
    ev_t[n] = t
    ev_full[n] = d_full
    ev_ramp[n] = d_ramp
    return ev_t, ev_full, ev_ramp, n + 1


@jit
def _position_history(
    state: np.ndarray,
    filled: bool,
    staff: np.ndarray,
    rec_code: int,
    ev_t: np.ndarray,
    ev_full: np.ndarray,
    ev_ramp: np.ndarray,
    n: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, float]:
    """Events (time, Δfull, Δramping) of one position until ``staff[T_END]``.

    A filled position keeps its worker for an exponential tenure; the vacancy then lasts a
    recruitment time; the new hire works at ramp-up capacity for ``ramp_up_days``. Returns
    the events and the vacant days inside the measurement window.
    """
    turnover, rec_p0, rec_p1 = staff[0], staff[1], staff[2]
    ramp_days, t_end, w, horizon = staff[3], staff[5], staff[6], staff[7]
    vacant = 0.0
    hire = 0.0
    ramping = False
    if filled:
        ev_t, ev_full, ev_ramp, n = _add_event(ev_t, ev_full, ev_ramp, n, 0.0, 1, 0)
    while True:
        if filled:
            leave = hire + exponential(state) / turnover if turnover > 0 else math.inf
            ramp_end = hire + ramp_days
            if ramping and leave <= ramp_end:
                if leave < t_end:
                    ev_t, ev_full, ev_ramp, n = _add_event(ev_t, ev_full, ev_ramp, n, leave, 0, -1)
            else:
                if ramping and ramp_end < t_end:
                    ev_t, ev_full, ev_ramp, n = _add_event(
                        ev_t, ev_full, ev_ramp, n, ramp_end, 1, -1
                    )
                if leave < t_end:
                    ev_t, ev_full, ev_ramp, n = _add_event(ev_t, ev_full, ev_ramp, n, leave, -1, 0)
            if leave >= t_end:
                return ev_t, ev_full, ev_ramp, n, vacant
            vacancy_start = leave
        else:
            vacancy_start = 0.0
        hire = vacancy_start + draw_duration(state, rec_code, rec_p0, rec_p1)
        vacant += overlap(vacancy_start, hire, w, horizon)
        if hire >= t_end:
            return ev_t, ev_full, ev_ramp, n, vacant
        ramping = ramp_days > 0.0
        if ramping:
            ev_t, ev_full, ev_ramp, n = _add_event(ev_t, ev_full, ev_ramp, n, hire, 0, 1)
        else:
            ev_t, ev_full, ev_ramp, n = _add_event(ev_t, ev_full, ev_ramp, n, hire, 1, 0)
        filled = True


@jit
def _slots(full: int, ramp: int, consultants: int, staff: np.ndarray) -> int:
    """floor(((full + ramp_up_capacity·ramping)·(1 − sick_leave) + consultants)·caseload)."""
    fte = (full + staff[4] * ramp) * (1.0 - staff[8]) + consultants
    return math.floor(fte * staff[9] + _SLOT_EPS)


@jit
def _capacity_segments(
    ev_t: np.ndarray,
    ev_full: np.ndarray,
    ev_ramp: np.ndarray,
    ev_cons: np.ndarray,
    n: int,
    staff: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, int]:
    """Piecewise-constant slot count: segment ``i`` is [seg_t[i], seg_t[i+1]) with
    ``seg_c[i]`` slots; the last segment ends at +inf and has at least one slot (drain)."""
    order = np.argsort(ev_t[:n], kind="mergesort")
    seg_t = np.empty(n + 3)
    seg_c = np.empty(n + 3, dtype=np.int64)
    full = 0
    ramp = 0
    cons = 0
    m = 0
    i = 0
    while i < n:
        t = ev_t[order[i]]
        while i < n and ev_t[order[i]] == t:
            k = order[i]
            full += ev_full[k]
            ramp += ev_ramp[k]
            cons += ev_cons[k]
            i += 1
        c = _slots(full, ramp, cons, staff)
        if m > 0 and seg_c[m - 1] == c:
            continue
        seg_t[m] = t
        seg_c[m] = c
        m += 1
    if m == 0 or seg_t[0] > 0.0:
        seg_t[1 : m + 1] = seg_t[:m].copy()
        seg_c[1 : m + 1] = seg_c[:m].copy()
        seg_t[0] = 0.0
        seg_c[0] = 0
        m += 1
    if seg_c[m - 1] < 1:
        seg_t[m] = max(staff[5], seg_t[m - 1])
        seg_c[m] = 1
        m += 1
    seg_t[m] = math.inf
    return seg_t, seg_c, m


@jit
def staffing(
    key: np.ndarray,
    rep: int,
    state: np.ndarray,
    staff: np.ndarray,
    istaff: np.ndarray,
    cons_t: np.ndarray,
    cons_d: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, int, float]:
    """Capacity segments and vacant position-days of one replication."""
    positions, vacant_at_start, rec_code = istaff[0], istaff[1], istaff[2]
    n_cons = cons_t.shape[0]
    size = 2 * positions + n_cons + 8
    ev_t = np.empty(size)
    ev_full = np.zeros(size, dtype=np.int64)
    ev_ramp = np.zeros(size, dtype=np.int64)
    n = 0
    for k in range(n_cons):
        ev_t, ev_full, ev_ramp, n = _add_event(ev_t, ev_full, ev_ramp, n, cons_t[k], 0, 0)
    vacant = 0.0
    draws_needed = staff[0] > 0.0
    for j in range(positions):
        if draws_needed or j < vacant_at_start:
            seed_stream(state, key, rep, POSITION_STREAM + j)
        ev_t, ev_full, ev_ramp, n, v = _position_history(
            state, j >= vacant_at_start, staff, rec_code, ev_t, ev_full, ev_ramp, n
        )
        vacant += v
    ev_cons = np.zeros(n, dtype=np.int64)
    ev_cons[:n_cons] = cons_d
    seg_t, seg_c, m = _capacity_segments(ev_t, ev_full, ev_ramp, ev_cons, n, staff)
    return seg_t, seg_c, m, vacant
