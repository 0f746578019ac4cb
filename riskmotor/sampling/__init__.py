"""Statistical sampling engine: sample sizes, limits, allocation and reproducible draws.

Pure functions without I/O or global random state; randomness comes only from an explicit seed.
"""

from riskmotor.sampling._validate import Method
from riskmotor.sampling.allocation import allocate, spread_over_periods
from riskmotor.sampling.bounds import (
    bound_method,
    discovery_probability,
    proportion_interval,
    upper_limit,
)
from riskmotor.sampling.errors import SamplingInputError
from riskmotor.sampling.evaluation import (
    Conclusion,
    Evaluation,
    StratumInput,
    evaluate,
    evaluate_overall,
)
from riskmotor.sampling.planning import SamplingPlan, achievable_precision, sample_size
from riskmotor.sampling.selection import (
    DrawResult,
    StratumDraw,
    draw_sample,
    draw_stratified,
    stratum_key,
    stratum_seed,
)

__all__ = [
    "Conclusion",
    "DrawResult",
    "Evaluation",
    "Method",
    "SamplingInputError",
    "SamplingPlan",
    "StratumDraw",
    "StratumInput",
    "achievable_precision",
    "allocate",
    "bound_method",
    "discovery_probability",
    "draw_sample",
    "draw_stratified",
    "evaluate",
    "evaluate_overall",
    "proportion_interval",
    "sample_size",
    "spread_over_periods",
    "stratum_key",
    "stratum_seed",
    "upper_limit",
]
