"""Compiled queue: non-preemptive FCFS with a time-varying slot count ``c(t)``.

Case ``i`` starts at the earliest ``t >= max(arrival_i, start_{i-1})`` at which fewer than
``c(t)`` cases are running. When ``c(t)`` drops below the running count nothing is
interrupted; running cases continue and no new case starts until enough of them finish.
Running cases are kept in a binary min-heap of completion times, so a case costs
O(log c); with constant capacity this is exactly the Kiefer–Wolfowitz recursion of the
M/M/c (G/G/c) FCFS queue.
"""

from __future__ import annotations

import math

import numpy as np

from riskmotor.simulation.kernel.cache import jit

_SMALL_C = 24


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
def serve(
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
