"""Periods of reports and the trend test: did the rate of reports change between two periods?"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from riskmotor.domain.deviations.wording import rate_sentence
from riskmotor.domain.egenkontroll import TERTIALS, Period
from riskmotor.domain.models import Deviation

DAYS_PER_MONTH = 365.25 / 12


def tertial_of(day: date) -> str:
    tertial = next(t for t, (first, last) in TERTIALS.items() if first <= day.month <= last)
    return f"{day.year}-T{tertial}"


def counts_by(
    deviations: Iterable[Deviation], period_of: Callable[[date], str], keys: Sequence[str]
) -> dict[str, dict[str, int]]:
    """{period label: {category: count}} for the periods that have reports, in order."""
    table: dict[str, dict[str, int]] = {}
    for deviation in sorted(deviations, key=lambda d: d.occurred_on):
        row = table.setdefault(period_of(deviation.occurred_on), dict.fromkeys(keys, 0))
        row[deviation.category] = row.get(deviation.category, 0) + 1
    return table


def previous_tertial(label: str) -> str:
    """The tertial before ``2024-T1`` is ``2023-T3``."""
    year, tertial = int(label[:4]), int(label[-1])
    return f"{year - 1}-T3" if tertial == 1 else f"{year}-T{tertial - 1}"


def month_of(day: date) -> str:
    return f"{day.year}-{day.month:02d}"


def period_days(period: Period) -> int:
    return (period.end - period.start).days + 1


def period_months(period: Period) -> float:
    """Length in months: whole calendar months when the period is made of them, else days."""
    starts_first = period.start.day == 1
    ends_last = (period.end.toordinal() + 1) == _first_of_next_month(period.end).toordinal()
    if starts_first and ends_last:
        return (
            (period.end.year - period.start.year) * 12 + period.end.month - period.start.month + 1
        )
    return period_days(period) / DAYS_PER_MONTH


def _first_of_next_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


@dataclass(frozen=True)
class RateComparison:
    """Two periods' counts compared with the exact conditional test for Poisson rates.

    Given n1 + n2 reports, under equal rates n1 ~ Bin(n1 + n2, t1 / (t1 + t2)) where t1, t2 are
    the periods' lengths in months (the unit of the rates shown). The rate ratio (second
    period / first) and its exact interval follow from the binomial proportion and its
    Clopper–Pearson interval; the p-value is the central one that interval inverts, so both
    always agree on significance.
    """

    first: str
    second: str
    n1: int
    n2: int
    days1: int
    days2: int
    rate1_per_month: float
    rate2_per_month: float
    ratio: float | None
    ratio_low: float | None
    ratio_high: float | None
    p_value: float
    confidence: float
    significant: bool
    sentence: str


def compare_rates(
    n1: int,
    days1: int,
    n2: int,
    days2: int,
    *,
    months1: float | None = None,
    months2: float | None = None,
    labels: tuple[str, str] = ("", ""),
    what: str = "avvikelser",
    confidence: float = 0.95,
) -> RateComparison:
    """Compare the rate of reports in two periods (see :class:`RateComparison`)."""
    if days1 <= 0 or days2 <= 0 or n1 < 0 or n2 < 0:
        raise ValueError("perioderna måste ha positiv längd och antalen får inte vara negativa")
    months1 = months1 if months1 is not None else days1 / DAYS_PER_MONTH
    months2 = months2 if months2 is not None else days2 / DAYS_PER_MONTH
    rate1, rate2 = n1 / months1, n2 / months2
    ratio = low = high = None
    p_value = 1.0
    if n1 + n2 > 0:
        # Imported here: scipy.stats takes seconds to load, and every command that opens the
        # database reaches this module through the repositories.
        from scipy.stats import binomtest

        # Exposure in months, the unit of the rates shown, so the ratio is rate2 / rate1.
        share = months1 / (months1 + months2)
        p_value = _central_p_value(n1, n1 + n2, share)
        interval = binomtest(n1, n1 + n2, share).proportion_ci(
            confidence_level=confidence, method="exact"
        )
        # ratio = (n2/m2) / (n1/m1) = (1 - π)/π · m1/m2 with π = n1/(n1 + n2): decreasing in π.
        ratio = _ratio_from_share(n1 / (n1 + n2), months1, months2)
        low = _ratio_from_share(interval.high, months1, months2)
        high = _ratio_from_share(interval.low, months1, months2)
    significant = p_value < 1 - confidence
    sentence = rate_sentence(what, rate1, rate2, ratio, low, high, p_value, confidence)
    return RateComparison(
        labels[0], labels[1], n1, n2, days1, days2, rate1, rate2, ratio, low, high,
        p_value, confidence, significant, sentence,
    )  # fmt: skip


def _central_p_value(k: int, n: int, share: float) -> float:
    """Two-sided p-value as twice the smaller exact tail (capped at 1).

    This is the test the Clopper–Pearson interval inverts: the interval leaves out the null
    share exactly when this p-value is below 1 − confidence, so the sentence's p-value and
    interval can never disagree (scipy's default "minlike" p-value can).
    """
    from scipy.stats import binom

    lower_tail = float(binom.cdf(k, n, share))
    upper_tail = float(binom.sf(k - 1, n, share))
    return min(1.0, 2 * min(lower_tail, upper_tail))


def _ratio_from_share(share: float, months1: float, months2: float) -> float:
    return math.inf if share == 0 else (1 - share) / share * months1 / months2
