"""Deviation (avvikelse) rules: reading one report, its fingerprint, and the aggregate analysis
SOSFS 2011:9 5 kap. asks for — cross table, shares, reporting to IVO/IMY, trend and root causes.

Pure functions over :class:`~riskmotor.domain.models.Deviation`; no I/O. One module per job;
this package re-exports them.
"""

from riskmotor.domain.deviations.aggregation import (
    CauseCount,
    CrossRow,
    category_shares,
    count_by_category,
    cross_table,
    deviation_count,
    in_cell,
    reported_share,
    same_cause,
    top_causes,
)
from riskmotor.domain.deviations.parsing import (
    REPORTED,
    category_parser,
    parse_authority,
    resolve_reporting,
)
from riskmotor.domain.deviations.records import (
    DeviationRecord,
    RecordBuilder,
    as_deviation,
    deviation_from_row,
    fingerprint,
    fingerprint_of,
)
from riskmotor.domain.deviations.text import fold, swedish_sort_key, tidy
from riskmotor.domain.deviations.trend import (
    DAYS_PER_MONTH,
    RateComparison,
    compare_rates,
    counts_by,
    month_of,
    period_days,
    period_months,
    previous_tertial,
    tertial_of,
)
from riskmotor.domain.deviations.wording import p_text, rate_sentence

__all__ = [
    "DAYS_PER_MONTH",
    "REPORTED",
    "CauseCount",
    "CrossRow",
    "DeviationRecord",
    "RateComparison",
    "RecordBuilder",
    "as_deviation",
    "category_parser",
    "category_shares",
    "compare_rates",
    "count_by_category",
    "counts_by",
    "cross_table",
    "deviation_count",
    "deviation_from_row",
    "fingerprint",
    "fingerprint_of",
    "fold",
    "in_cell",
    "month_of",
    "p_text",
    "parse_authority",
    "period_days",
    "period_months",
    "previous_tertial",
    "rate_sentence",
    "reported_share",
    "resolve_reporting",
    "same_cause",
    "swedish_sort_key",
    "tertial_of",
    "tidy",
    "top_causes",
]
