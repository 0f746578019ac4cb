"""Compiled per-replication simulation (Numba).

One replication is simulated sequentially in compiled code; a chunk of replications is a
loop over replication indices, each seeded from ``(key, replication, stream)`` only.

Queue rule (non-preemptive FCFS with a time-varying slot count ``c(t)``): case ``i`` starts
at the earliest ``t >= max(arrival_i, start_{i-1})`` at which fewer than ``c(t)`` cases are
running. When ``c(t)`` drops below the running count nothing is interrupted; running cases
continue and no new case starts until enough of them finish. Running cases are kept in a
binary min-heap of completion times, so a case costs O(log c); with constant capacity this
is exactly the Kiefer–Wolfowitz recursion of the M/M/c (G/G/c) FCFS queue.
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np

from riskmotor.simulation.rng import (
    ARRIVAL_STREAM,
    BACKLOG_STREAM,
    DETERMINISTIC,
    DURATION_STREAM,
    EXPONENTIAL,
    GAMMA,
    POSITION_STREAM,
)

# --------------------------------------------------------------------------- random numbers
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_STREAM_MULT = np.uint64(0xD1B54A32D192ED03)
_S30, _S27, _S31 = np.uint64(30), np.uint64(27), np.uint64(31)
_S17, _S45, _S7, _S11 = np.uint64(17), np.uint64(45), np.uint64(7), np.uint64(11)
_FIVE, _NINE = np.uint64(5), np.uint64(9)
_TO_UNIT = 1.0 / 9007199254740992.0  # 2**-53
_TWO_PI = 2.0 * math.pi

# ``cache=True``: compiled code is kept on disk (``__pycache__`` beside this file, or
# Numba's per-user cache folder when that is read-only) and reused by every later process,
# so the 20–85 s compilation happens once per installation and kernel change.
jit = nb.njit(cache=True, nogil=True, fastmath=False)


@jit
def _mix64(z: np.uint64) -> np.uint64:
    z = (z ^ (z >> _S30)) * _MIX1
    z = (z ^ (z >> _S27)) * _MIX2
    return z ^ (z >> _S31)


@jit
def seed_stream(state: np.ndarray, key: np.ndarray, rep: int, stream: int) -> None:
    """Fill ``state`` (4 × uint64) for stream ``stream`` of replication ``rep``."""
    x = _mix64(key[0] + np.uint64(rep) * _GOLDEN)
    x = _mix64(x ^ (key[1] + (np.uint64(stream) + np.uint64(1)) * _STREAM_MULT))
    for i in range(4):
        x = x + _GOLDEN
        state[i] = _mix64(x)


@jit
def _rotl(x: np.uint64, k: np.uint64) -> np.uint64:
    return (x << k) | (x >> (np.uint64(64) - k))


@jit
def next_u64(s: np.ndarray) -> np.uint64:
    result = _rotl(s[1] * _FIVE, _S7) * _NINE
    t = s[1] << _S17
    s[2] ^= s[0]
    s[3] ^= s[1]
    s[1] ^= s[2]
    s[0] ^= s[3]
    s[2] ^= t
    s[3] = _rotl(s[3], _S45)
    return result


@jit
def uniform(s: np.ndarray) -> float:
    """Uniform on [0, 1) with 53 random bits."""
    return float(next_u64(s) >> _S11) * _TO_UNIT


@jit
def exponential(s: np.ndarray) -> float:
    """Standard exponential by inversion (log of a number in (0, 1])."""
    return -math.log(1.0 - uniform(s))


@jit
def normal(s: np.ndarray) -> float:
    """Standard normal by Box–Muller (one value per pair, keeps streams aligned)."""
    r = math.sqrt(-2.0 * math.log(1.0 - uniform(s)))
    return r * math.cos(_TWO_PI * uniform(s))


@jit
def _gamma_shape_at_least_one(s: np.ndarray, shape: float) -> float:
    d = shape - 1.0 / 3.0
    c = 1.0 / math.sqrt(9.0 * d)
    while True:
        x = normal(s)
        v = 1.0 + c * x
        if v <= 0.0:
            continue
        v = v * v * v
        u = 1.0 - uniform(s)
        if math.log(u) < 0.5 * x * x + d - d * v + d * math.log(v):
            return d * v


@jit
def standard_gamma(s: np.ndarray, shape: float) -> float:
    """Gamma(shape, 1) by Marsaglia & Tsang (2000); shape < 1 via the u^(1/shape) boost."""
    if shape >= 1.0:
        return _gamma_shape_at_least_one(s, shape)
    boost = math.pow(1.0 - uniform(s), 1.0 / shape)
    return _gamma_shape_at_least_one(s, shape + 1.0) * boost


@jit
def draw_duration(s: np.ndarray, code: int, p0: float, p1: float) -> float:
    """One duration. Parameters by code: det (mean, –), exp (mean, –), gamma (shape,
    scale), lognormal (mu, sigma) — see :func:`duration_parameters`."""
    if code == DETERMINISTIC:
        return p0
    if code == EXPONENTIAL:
        return p0 * exponential(s)
    if code == GAMMA:
        return p1 * standard_gamma(s, p0)
    return math.exp(p0 + p1 * normal(s))


@jit
def sample_many(
    key: np.ndarray,
    rep: int,
    stream: int,
    code: int,
    p0: float,
    p1: float,
    n: int,
) -> np.ndarray:
    """``n`` draws from one stream; used by the tests to check the distributions."""
    state = np.empty(4, dtype=np.uint64)
    seed_stream(state, key, rep, stream)
    out = np.empty(n)
    for i in range(n):
        out[i] = draw_duration(state, code, p0, p1)
    return out


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

EVENT_BREACH_SHARE = 0
EVENT_BREACHES = 1
EVENT_MAX_BACKLOG = 2

_SLOT_EPS = 1e-9
_SMALL_C = 24


@jit
def _overlap(a: float, b: float, lo: float, hi: float) -> float:
    """Length of [a, b) ∩ [lo, hi)."""
    x = max(a, lo)
    y = min(b, hi)
    return y - x if y > x else 0.0


@jit
def _grow(values: np.ndarray, need: int) -> np.ndarray:
    if need <= values.shape[0]:
        return values
    bigger = np.empty(max(need, 2 * values.shape[0]), dtype=values.dtype)
    bigger[: values.shape[0]] = values
    return bigger


# --------------------------------------------------------------------------- arrivals
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
            out = _grow(out, n + 1)
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
            out = _grow(out, n + 1)
        while cum[d + 1] <= e:
            d += 1
        out[n] = d + (e - cum[d]) / day_rate[d]
        n += 1
    return out, n


@jit
def _arrivals(
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


# --------------------------------------------------------------------------- staffing
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
    ev_t = _grow(ev_t, n + 1)
    ev_full = _grow(ev_full, n + 1)
    ev_ramp = _grow(ev_ramp, n + 1)
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
        vacant += _overlap(vacancy_start, hire, w, horizon)
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
def _staffing(
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


# --------------------------------------------------------------------------- queue
@jit
def _heap_push(heap: np.ndarray, n: int, value: float) -> None:
    i = n
    while i > 0:
        parent = (i - 1) >> 1
        if heap[parent] <= value:
            break
        heap[i] = heap[parent]
        i = parent
    heap[i] = value


@jit
def _heap_pop(heap: np.ndarray, n: int) -> None:
    """Remove the minimum of a heap holding ``n`` items (``n`` > 0): the last item takes
    the top's place in the heap that is one shorter."""
    if n > 1:
        _heap_replace_top(heap, n - 1, heap[n - 1])


@jit
def _serve_constant(
    arr: np.ndarray,
    dur: np.ndarray,
    n: int,
    c: int,
    start: np.ndarray,
    done: np.ndarray,
) -> None:
    """Constant capacity: Kiefer–Wolfowitz recursion over the c slots' free times
    (linear minimum search for small c, a binary heap otherwise)."""
    free = np.zeros(c)
    if c <= _SMALL_C:
        for i in range(n):
            j = 0
            best = free[0]
            for q in range(1, c):
                if free[q] < best:
                    best = free[q]
                    j = q
            t = max(arr[i], best)
            start[i] = t
            done[i] = t + dur[i]
            free[j] = done[i]
        return
    for i in range(n):
        t = max(arr[i], free[0])
        start[i] = t
        done[i] = t + dur[i]
        _heap_replace_top(free, c, done[i])


@jit
def _heap_replace_top(heap: np.ndarray, n: int, value: float) -> None:
    """Replace the minimum of a full heap of ``n`` items by ``value``."""
    i = 0
    while True:
        child = 2 * i + 1
        if child >= n:
            break
        if child + 1 < n and heap[child + 1] < heap[child]:
            child += 1
        if heap[child] >= value:
            break
        heap[i] = heap[child]
        i = child
    heap[i] = value


@jit
def _serve(
    arr: np.ndarray,
    dur: np.ndarray,
    n: int,
    seg_t: np.ndarray,
    seg_c: np.ndarray,
    m: int,
    start: np.ndarray,
    done: np.ndarray,
) -> None:
    """Non-preemptive FCFS with slot count seg_c on segments seg_t (see module docstring)."""
    if m == 1:
        _serve_constant(arr, dur, n, seg_c[0], start, done)
        return
    heap = np.empty(seg_c[:m].max() + 1)
    hn = 0
    seg = 0
    last = 0.0
    for i in range(n):
        t = max(arr[i], last)
        while True:
            while hn > 0 and heap[0] <= t:
                _heap_pop(heap, hn)
                hn -= 1
            while seg + 1 < m and seg_t[seg + 1] <= t:
                seg += 1
            if hn < seg_c[seg]:
                break
            nxt = seg_t[seg + 1]
            if hn > 0 and heap[0] < nxt:
                nxt = heap[0]
            if nxt == math.inf:
                break
            t = nxt
        start[i] = t
        done[i] = t + dur[i]
        if t < math.inf:
            _heap_push(heap, hn, done[i])
            hn += 1
        last = t


# --------------------------------------------------------------------------- metrics
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
def _case_metrics(
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
    cases = 0
    waits = 0
    breaches = 0
    wait_sum = 0.0
    lead_sum = 0.0
    queue_area = 0.0
    system_area = 0.0
    for i in range(n):
        queue_area += _overlap(arr[i], start[i], w, horizon)
        system_area += _overlap(arr[i], done[i], w, horizon)
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
def _backlog(
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
def _mean_slots(seg_t: np.ndarray, seg_c: np.ndarray, m: int, w: float, h: float) -> float:
    total = 0.0
    for i in range(m):
        total += seg_c[i] * _overlap(seg_t[i], seg_t[i + 1], w, h)
    return total / (h - w)


# --------------------------------------------------------------------------- driver
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
    backlog, d_code, event_kind = iscal[0], iscal[1], iscal[2]
    state = np.empty(4, dtype=np.uint64)
    static = staff[0] == 0.0 and istaff[1] == 0
    seg_t, seg_c, m, vacant = _staffing(key, rep0, state, staff, istaff, cons_t, cons_d)
    size = backlog + int(cum[-1] + 10.0 * math.sqrt(cum[-1]) + 32.0)
    arr = np.empty(size)
    dur = np.empty(size)
    start = np.empty(size)
    done = np.empty(size)
    for r in range(n_reps):
        rep = rep0 + r
        seed_stream(state, key, rep, ARRIVAL_STREAM)
        arr[:backlog] = 0.0
        arr, n = _arrivals(state, day_rate, cum, arr, backlog)
        if n > dur.shape[0]:
            dur = np.empty(arr.shape[0])
            start = np.empty(arr.shape[0])
            done = np.empty(arr.shape[0])
        seed_stream(state, key, rep, BACKLOG_STREAM)
        for i in range(backlog):
            dur[i] = draw_duration(state, d_code, d0, d1)
        seed_stream(state, key, rep, DURATION_STREAM)
        for i in range(backlog, n):
            dur[i] = draw_duration(state, d_code, d0, d1)
        if not static:  # otherwise the capacity timeline has no random part
            seg_t, seg_c, m, vacant = _staffing(key, rep, state, staff, istaff, cons_t, cons_d)
        _serve(arr, dur, n, seg_t, seg_c, m, start, done)
        out = metrics[r]
        # ``dur`` is not needed after serving; it doubles as the lead-time buffer.
        _case_metrics(arr, start, done, n, w, horizon, deadline, dur, out)
        out[MAX_BACKLOG] = _backlog(arr, start, n, w, horizon, weeks, weekly[r])
        out[VACANT_DAYS] = vacant
        out[CONSULTANT_DAYS] = scal[6]
        out[MEAN_SLOTS] = _mean_slots(seg_t, seg_c, m, w, horizon)
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
    if simulate_chunk.signatures:
        return True
    try:
        # Numba has no public "is it cached?" call; the cache index it would consult is the
        # same one read here (empty when missing or stale after a source change).
        cache = simulate_chunk._cache  # type: ignore[attr-defined]  # untyped Numba internals
        index = cache._cache_file._load_index()
        magic = simulate_chunk.targetctx.codegen().magic_tuple()  # type: ignore[attr-defined]
    except Exception:  # a Numba upgrade changed these internals: assume it compiles
        return False
    return any(key[1] == magic for key in index)
