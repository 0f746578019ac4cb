"""Statistical sampling engine: sample sizes, limits, allocation and reproducible draws.

Pure functions without I/O or global random state; randomness comes only from an explicit seed.
"""

from riskmotor.sampling.allocation import allocate, spread_over_periods
from riskmotor.sampling.bounds import discovery_probability, proportion_interval, upper_limit
from riskmotor.sampling.errors import SamplingInputError
from riskmotor.sampling.planning import SamplingPlan, achievable_precision, sample_size
from riskmotor.sampling.selection import DrawResult, StratumDraw, draw_sample, draw_stratified

__all__ = [
    "DrawResult",
    "SamplingInputError",
    "SamplingPlan",
    "StratumDraw",
    "achievable_precision",
    "allocate",
    "discovery_probability",
    "draw_sample",
    "draw_stratified",
    "proportion_interval",
    "sample_size",
    "spread_over_periods",
    "upper_limit",
]
