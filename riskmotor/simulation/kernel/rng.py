"""Compiled random numbers: SplitMix64 seeding, xoshiro256**, and the distributions.

The stream layout (which stream feeds what) and the distribution codes live in
:mod:`riskmotor.simulation.rng`; this module is the generator itself.
"""

from __future__ import annotations

import math

import numpy as np

from riskmotor.simulation.kernel.cache import jit
from riskmotor.simulation.rng import DETERMINISTIC, EXPONENTIAL, GAMMA

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_STREAM_MULT = np.uint64(0xD1B54A32D192ED03)
_S30, _S27, _S31 = np.uint64(30), np.uint64(27), np.uint64(31)
_S17, _S45, _S7, _S11 = np.uint64(17), np.uint64(45), np.uint64(7), np.uint64(11)
_FIVE, _NINE = np.uint64(5), np.uint64(9)
_TO_UNIT = 1.0 / 9007199254740992.0  # 2**-53
_TWO_PI = 2.0 * math.pi


@jit
def mix64(z: np.uint64) -> np.uint64:
    """The SplitMix64 output function (Steele, Lea & Flood 2014)."""
    z = (z ^ (z >> _S30)) * _MIX1
    z = (z ^ (z >> _S27)) * _MIX2
    return z ^ (z >> _S31)


@jit
def seed_stream(state: np.ndarray, key: np.ndarray, rep: int, stream: int) -> None:
    """Fill ``state`` (4 × uint64) for stream ``stream`` of replication ``rep``."""
    x = mix64(key[0] + np.uint64(rep) * _GOLDEN)
    x = mix64(x ^ (key[1] + (np.uint64(stream) + np.uint64(1)) * _STREAM_MULT))
    for i in range(4):
        x = x + _GOLDEN
        state[i] = mix64(x)


@jit
def _rotl(x: np.uint64, k: np.uint64) -> np.uint64:
    return (x << k) | (x >> (np.uint64(64) - k))


@jit
def next_u64(s: np.ndarray) -> np.uint64:
    """Next output of xoshiro256** (Blackman & Vigna 2018); advances the state ``s``."""
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
