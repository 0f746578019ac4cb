"""Small compiled helpers shared by the kernel modules."""

from __future__ import annotations

import numpy as np

from riskmotor.simulation.kernel.cache import jit


@jit
def overlap(a: float, b: float, lo: float, hi: float) -> float:
    """Length of [a, b) ∩ [lo, hi)."""
    x = max(a, lo)
    y = min(b, hi)
    return y - x if y > x else 0.0


@jit
def grow(values: np.ndarray, need: int) -> np.ndarray:
    """``values`` if it holds ``need`` items, else a copy at least twice as long."""
    if need <= values.shape[0]:
        return values
    bigger = np.empty(max(need, 2 * values.shape[0]), dtype=values.dtype)
    bigger[: values.shape[0]] = values
    return bigger
