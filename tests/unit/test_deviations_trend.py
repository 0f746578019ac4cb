"""The trend test: the exact conditional test for two Poisson rates, checked against the
binomial distribution computed independently here with scipy.stats.binom and beta."""

from __future__ import annotations

import math

import pytest
from scipy.stats import beta, binom

from riskmotor.domain.deviations import compare_rates, p_text, period_months, tertial_of
from riskmotor.domain.egenkontroll import parse_period

# (n1, days1, n2, days2): tertials of 2023 are 120, 123 and 122 days long.
CASES = [
    (112, 123, 164, 122),
    (112, 120, 115, 123),
    (30, 120, 50, 122),
    (3, 365, 11, 365),
    (0, 120, 4, 123),
    (21, 90, 6, 92),
]


def exact_two_sided_p(n1: int, n: int, p0: float) -> float:
    """Twice the smaller exact tail (capped at 1): the test the Clopper–Pearson interval
    inverts (R: the p-value belonging to ``binom.test``'s interval, ``exactci`` "central")."""
    lower = float(binom.cdf(n1, n, p0))
    upper = float(binom.sf(n1 - 1, n, p0))
    return min(1.0, 2 * min(lower, upper))


def clopper_pearson(k: int, n: int, confidence: float) -> tuple[float, float]:
    alpha = 1 - confidence
    low = 0.0 if k == 0 else float(beta.ppf(alpha / 2, k, n - k + 1))
    high = 1.0 if k == n else float(beta.ppf(1 - alpha / 2, k + 1, n - k))
    return low, high


@pytest.mark.parametrize(("n1", "days1", "n2", "days2"), CASES)
def test_p_value_is_the_exact_conditional_binomial_test(
    n1: int, days1: int, n2: int, days2: int
) -> None:
    result = compare_rates(n1, days1, n2, days2)
    expected = exact_two_sided_p(n1, n1 + n2, days1 / (days1 + days2))
    assert result.p_value == pytest.approx(expected, rel=1e-9, abs=1e-12)
    assert result.significant == (expected < 0.05)


@pytest.mark.parametrize(("n1", "days1", "n2", "days2"), CASES)
def test_rate_ratio_and_its_exact_interval(n1: int, days1: int, n2: int, days2: int) -> None:
    result = compare_rates(n1, days1, n2, days2)
    low_share, high_share = clopper_pearson(n1, n1 + n2, 0.95)

    def ratio(share: float) -> float:
        return math.inf if share == 0 else (1 - share) / share * days1 / days2

    assert result.ratio == pytest.approx(ratio(n1 / (n1 + n2)))
    assert result.ratio_low == pytest.approx(ratio(high_share), rel=1e-9)
    assert result.ratio_high == pytest.approx(ratio(low_share), rel=1e-9)
    if n1 > 0:
        assert result.ratio == pytest.approx((n2 / days2) / (n1 / days1))


def test_worked_example_by_hand() -> None:
    """10 reports in 100 days, then 30 in 100 days: under equal rates n1 ~ Bin(40, 1/2).

    P(X <= 10) = sum_{k<=10} C(40, k) / 2^40, two-sided doubled by symmetry.
    """
    tail = sum(math.comb(40, k) for k in range(11)) / 2**40
    result = compare_rates(10, 100, 30, 100)
    assert result.p_value == pytest.approx(2 * tail, rel=1e-12)
    assert result.ratio == pytest.approx(3.0)


def test_equal_rates_give_p_one() -> None:
    assert compare_rates(10, 100, 10, 100).p_value == pytest.approx(1.0)


def test_sentence_for_a_clear_rise() -> None:
    t2, t3 = parse_period("2023-T2"), parse_period("2023-T3")
    result = compare_rates(
        115,
        123,
        164,
        122,
        months1=period_months(t2),
        months2=period_months(t3),
        labels=(t2.label, t3.label),
    )
    assert result.rate1_per_month == 115 / 4 and result.rate2_per_month == 164 / 4
    assert result.sentence.startswith("Antalet avvikelser per månad ökade från 29 till 41 (kvot ")
    assert "95 % KI" in result.sentence
    assert result.sentence.endswith(
        f"Skillnaden är statistiskt säkerställd ({p_text(result.p_value)})."
    )
    assert result.p_value < 0.05


def test_sentence_for_a_change_that_may_be_chance() -> None:
    result = compare_rates(12, 120, 9, 123, months1=4, months2=4)
    assert result.sentence.startswith("Antalet avvikelser per månad minskade från 3,0 till 2,3")
    assert "Skillnaden kan bero på slumpen (p = " in result.sentence
    assert not result.significant


def test_no_reports_in_the_first_period() -> None:
    result = compare_rates(0, 120, 4, 123)
    assert result.ratio == math.inf and result.ratio_high == math.inf
    assert "∞" in result.sentence
    assert compare_rates(0, 120, 0, 123).sentence.startswith("Det finns inga avvikelser")


@pytest.mark.parametrize(
    ("p_value", "text"),
    [
        (0.0004, "p < 0,001"),
        (0.0051, "p = 0,005"),
        (0.0496, "p < 0,05"),  # rounding must not print 0,050 for a significant result
        (0.0504, "p = 0,050"),
        (0.314, "p = 0,31"),
        (1.0, "p = 1,00"),
    ],
)
def test_p_is_printed_the_swedish_way(p_value: float, text: str) -> None:
    assert p_text(p_value) == text


def test_periods() -> None:
    assert period_months(parse_period("2023-T1")) == 4
    assert period_months(parse_period("2024")) == 12
    assert [tertial_of(parse_period(f"2023-T{t}").end) for t in (1, 2, 3)] == [
        "2023-T1",
        "2023-T2",
        "2023-T3",
    ]


def test_invalid_periods_are_refused() -> None:
    with pytest.raises(ValueError, match="positiv längd"):
        compare_rates(1, 0, 1, 10)


@pytest.mark.parametrize(("months1", "months2"), [(4, 4), (4, 3), (12, 4)])
def test_p_value_and_interval_agree_for_all_small_counts(months1: int, months2: int) -> None:
    disagreements = []
    for n1 in range(40):
        for n2 in range(40):
            if n1 + n2 == 0:
                continue
            result = compare_rates(
                n1, 30 * months1, n2, 30 * months2, months1=months1, months2=months2
            )
            assert result.ratio_low is not None and result.ratio_high is not None
            excludes_one = not result.ratio_low <= 1.0 <= result.ratio_high
            if excludes_one != result.significant:
                disagreements.append((n1, n2, result.p_value))
    assert disagreements == []


def test_ratio_is_in_the_unit_of_the_rates_shown() -> None:
    # 30 reports in a 4-month tertial, then 30 in 3 months: rates 7,5 and 10 per month.
    result = compare_rates(30, 120, 30, 123, months1=4, months2=3)
    assert result.ratio == pytest.approx(result.rate2_per_month / result.rate1_per_month)
    assert result.ratio == pytest.approx(4 / 3)
