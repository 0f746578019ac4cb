"""Monte Carlo capacity simulation of a social-services unit (see docs/simulation.md)."""

from riskmotor.simulation.compare import ComparisonResult, compare, compare_results
from riskmotor.simulation.engine import METRIC_NAMES, SimulationResult, simulate, warm_up
from riskmotor.simulation.erlang import erlang_c, mmc_mean_wait
from riskmotor.simulation.likelihood import LikelihoodSuggestion, level_for, suggest_likelihood
from riskmotor.simulation.scenario import CapacityScenario, validation_messages
from riskmotor.simulation.summary import OVERLOAD_LABEL, summary_to_json, wilson_interval

__all__ = [
    "METRIC_NAMES",
    "OVERLOAD_LABEL",
    "CapacityScenario",
    "ComparisonResult",
    "LikelihoodSuggestion",
    "SimulationResult",
    "compare",
    "compare_results",
    "erlang_c",
    "level_for",
    "mmc_mean_wait",
    "simulate",
    "suggest_likelihood",
    "summary_to_json",
    "validation_messages",
    "warm_up",
    "wilson_interval",
]
