"""AICPA Audit Guide "Audit Sampling" (2017), appendix A, tables A-1 to A-4.

Source of the published values: AICPA (2017), Audit Guide: Audit Sampling, appendix A
(https://onlinelibrary.wiley.com/doi/pdf/10.1002/9781119448617.app1), as transcribed in the
test suite of the R package jfa (koenderks/jfa, tests/testthat/test-validation-appendix-a.R).
jfa edited three A-2 cells to its own output and says so in comments; those cells carry the
published value here (112, 112, 1300), and the one whose published value is uncertain is marked.

The 2017 edition prints a number in the cells that older editions marked "*"; cells the table
leaves empty are not listed. Only the rows up to 7 % expected deviation rate are ported.
"""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from riskmotor.sampling import sample_size, upper_limit

EXPECTED_RATES_PERCENT = (
    "0", "0.25", "0.5", "0.75", "1", "1.25", "1.5", "1.75", "2", "2.25",
    "2.5", "2.75", "3", "3.25", "3.5", "3.75", "4", "5", "6", "7",
)  # fmt: skip

# Tolerable rate (%) -> sample sizes down the expected-rate rows, until the column ends.
TABLE_A1_95: dict[int, list[int]] = {
    2: [149, 236, 313, 386, 590, 1030],
    3: [99, 157, 157, 208, 257, 303, 392, 562, 846, 1466],
    4: [74, 117, 117, 117, 156, 156, 192, 227, 294, 390, 513, 722, 1098, 1936],
    5: [59, 93, 93, 93, 93, 124, 124, 153, 181, 208, 234, 286, 361, 458, 624, 877, 1348],
    6: [49, 78, 78, 78, 78, 78, 103, 103, 127, 127, 150, 173, 195, 238, 280, 341, 421, 1580],
    7: [42, 66, 66, 66, 66, 66, 66, 88, 88, 88, 109, 109, 129, 148, 167, 185, 221, 478, 1832],
    8: [36, 58, 58, 58, 58, 58, 58, 77, 77, 77, 77, 95, 95, 112, 112, 129, 146, 240, 532],
    9: [32, 51, 51, 51, 51, 51, 51, 51, 68, 68, 68, 68, 84, 84, 84, 100, 100, 158, 266, 585],
    10: [29, 46, 46, 46, 46, 46, 46, 46, 46, 61, 61, 61, 61, 61, 76, 76, 89, 116, 179, 298],
    15: [19, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 40, 40, 40, 40, 50, 68],
    20: [14, 22, 22, 22, 22, 22, 22, 22, 22, 22, 22, 22, 22, 22, 22, 22, 22, 30, 30, 37],
}

TABLE_A2_90: dict[int, list[int]] = {
    2: [114, 194, 194, 265, 398, 708, 1463],
    3: [76, 129, 129, 129, 176, 221, 265, 390, 590, 974],
    4: [57, 96, 96, 96, 96, 132, 132, 166, 198, 262, 353, 471, 730, 1258],
    5: [45, 77, 77, 77, 77, 77, 105, 105, 132, 132, 158, 209, 258, 306, 200, 583, 873],
    6: [38, 64, 64, 64, 64, 64, 64, 88, 88, 88, 110, 132, 132, 153, 194, 235, 274, 1019],
    7: [32, 55, 55, 55, 55, 55, 55, 55, 75, 75, 75, 94, 94, 112, 112, 131, 149, 318, 1150],
    8: [28, 48, 48, 48, 48, 48, 48, 48, 48, 65, 65, 65, 65, 82, 82, 98, 98, 160, 349, 1300],
    9: [25, 42, 42, 42, 42, 42, 42, 42, 42, 42, 58, 58, 58, 58, 73, 73, 73, 115, 182, 385],
    10: [22, 38, 38, 38, 38, 38, 38, 38, 38, 38, 38, 52, 52, 52, 52, 52, 65, 78, 116, 199],
    15: [15, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 34, 43, 52],
    20: [11, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 25, 25],
}

_ROUNDED_LIMIT = (
    "table convention: AICPA prints 112, but with 4 expected deviations the exact 90 % "
    "Clopper-Pearson limit at n = 112 is 7.0104 % (P(X <= 4 | n = 112, p = 0.07) = 0.1007 > 0.10),"
    " i.e. not strictly below 7 %; the table evidently compared a limit rounded to one decimal. "
    "The strict definition needs n = 113 (jfa documents the same cell)."
)
_UNCERTAIN_PUBLISHED = (
    "published value doubtful: jfa records the AICPA 2017 cell as 200, which no definition "
    "produces (n = 200 with 7 deviations has a 90 % limit near 5.6 %); jfa's own explanation "
    "(ceil(14.000000000000002) = 15 instead of 14) points to a printed 400. The exact-arithmetic "
    "answer n = 400, k = 14 is checked against the definition in test_exact_expected_deviations."
)
KNOWN_DIFFERENCES: dict[tuple[float, int, str], pytest.MarkDecorator] = {
    (0.90, 7, "3.25"): pytest.mark.xfail(strict=True, reason=_ROUNDED_LIMIT),
    (0.90, 7, "3.5"): pytest.mark.xfail(strict=True, reason=_ROUNDED_LIMIT),
    (0.90, 5, "3.5"): pytest.mark.xfail(strict=True, reason=_UNCERTAIN_PUBLISHED),
}


def _size_cells() -> list[object]:
    cells: list[object] = []
    for confidence, table in ((0.95, TABLE_A1_95), (0.90, TABLE_A2_90)):
        for tolerable, column in table.items():
            for expected, published in zip(EXPECTED_RATES_PERCENT, column, strict=False):
                mark = KNOWN_DIFFERENCES.get((confidence, tolerable, expected))
                cell_id = f"{confidence:.0%}-tol{tolerable}%-exp{expected}%"
                cells.append(
                    pytest.param(
                        confidence, tolerable, expected, published,
                        id=cell_id, marks=[mark] if mark else [],
                    )
                )  # fmt: skip
    return cells


@pytest.mark.parametrize(("confidence", "tolerable", "expected", "published"), _size_cells())
def test_sample_size_matches_aicpa_tables_a1_a2(
    confidence: float, tolerable: int, expected: str, published: int
) -> None:
    expected_rate = float(Fraction(expected) / 100)
    plan = sample_size(confidence, tolerable / 100, expected_rate)
    assert plan.n == published
    # The tables' allowed deviations (in parentheses) are ceil(expected rate x n).
    assert plan.allowed_deviations == math.ceil(Fraction(expected) / 100 * published)


def test_exact_expected_deviations() -> None:
    """90 %, tolerable 5 %, expected 3.5 %: 0.035 x 400 is exactly 14 deviations."""
    from scipy import stats

    plan = sample_size(0.90, 0.05, 0.035)
    assert (plan.n, plan.allowed_deviations) == (400, 14)
    # Independent check of the definition with the quantile form of the limit.
    assert stats.beta.ppf(0.90, 14 + 1, 400 - 14) < 0.05
    for n in range(300, 400):
        k = math.ceil(Fraction(35, 1000) * n)
        assert stats.beta.ppf(0.90, k + 1, n - k) >= 0.05


SAMPLE_SIZES = (20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 90, 100, 125, 150, 200, 300,
                400, 500)  # fmt: skip

# Upper deviation limit (%) by sample size (rows) and deviations found 0..10 (columns).
TABLE_A3_95 = """
    14.0, 21.7, 28.3, 34.4, 40.2, 45.6, 50.8, 55.9, 60.7, 65.4, 69.9,
    11.3, 17.7, 23.2, 28.2, 33.0, 37.6, 42.0, 46.3, 50.4, 54.4, 58.4,
    9.6, 14.9, 19.6, 23.9, 28.0, 31.9, 35.8, 39.4, 43.0, 46.6, 50.0,
    8.3, 12.9, 17.0, 20.7, 24.3, 27.8, 31.1, 34.4, 37.5, 40.6, 43.7,
    7.3, 11.4, 15.0, 18.3, 21.5, 24.6, 27.5, 30.4, 33.3, 36.0, 38.8,
    6.5, 10.2, 13.4, 16.4, 19.2, 22.0, 24.7, 27.3, 29.8, 32.4, 34.8,
    5.9, 9.2, 12.1, 14.8, 17.4, 19.9, 22.4, 24.7, 27.1, 29.4, 31.6,
    5.4, 8.4, 11.1, 13.5, 15.9, 18.2, 20.5, 22.6, 24.8, 26.9, 28.9,
    4.9, 7.7, 10.2, 12.5, 14.7, 16.8, 18.8, 20.8, 22.8, 24.8, 26.7,
    4.6, 7.1, 9.4, 11.5, 13.6, 15.5, 17.5, 19.3, 21.2, 23.0, 24.7,
    4.2, 6.6, 8.8, 10.8, 12.7, 14.5, 16.3, 18.0, 19.7, 21.4, 23.1,
    4.0, 6.2, 8.2, 10.1, 11.8, 13.6, 15.2, 16.9, 18.5, 20.1, 21.6,
    3.7, 5.8, 7.7, 9.5, 11.1, 12.7, 14.3, 15.9, 17.4, 18.9, 20.3,
    3.3, 5.2, 6.9, 8.4, 9.9, 11.4, 12.8, 14.2, 15.5, 16.9, 18.2,
    3.0, 4.7, 6.2, 7.6, 9.0, 10.3, 11.5, 12.8, 14.0, 15.2, 16.4,
    2.4, 3.8, 5.0, 6.1, 7.2, 8.3, 9.3, 10.3, 11.3, 12.3, 13.2,
    2.0, 3.2, 4.2, 5.1, 6.0, 6.9, 7.8, 8.6, 9.5, 10.3, 11.1,
    1.5, 2.4, 3.2, 3.9, 4.6, 5.2, 5.9, 6.5, 7.2, 7.8, 8.4,
    1.0, 1.6, 2.1, 2.6, 3.1, 3.5, 4.0, 4.4, 4.8, 5.2, 5.6,
    0.8, 1.2, 1.6, 2.0, 2.3, 2.7, 3.0, 3.3, 3.6, 3.9, 4.3,
    0.6, 1.0, 1.3, 1.6, 1.9, 2.1, 2.4, 2.7, 2.9, 3.2, 3.4
"""

TABLE_A4_90 = """
    10.9, 18.1, 24.5, 30.5, 36.1, 41.5, 46.8, 51.9, 56.8, 61.6, 66.2,
    8.8, 14.7, 20.0, 24.9, 29.5, 34.0, 38.4, 42.6, 46.8, 50.8, 54.8,
    7.4, 12.4, 16.8, 21.0, 24.9, 28.8, 32.5, 36.2, 39.7, 43.2, 46.7,
    6.4, 10.7, 14.5, 18.2, 21.6, 24.9, 28.2, 31.4, 34.5, 37.6, 40.6,
    5.6, 9.4, 12.8, 16.0, 19.0, 22.0, 24.9, 27.7, 30.5, 33.2, 35.9,
    5.0, 8.4, 11.4, 14.3, 17.0, 19.7, 22.3, 24.8, 27.3, 29.8, 32.2,
    4.6, 7.6, 10.3, 12.9, 15.4, 17.8, 20.2, 22.5, 24.7, 27.0, 29.2,
    4.2, 6.9, 9.4, 11.8, 14.1, 16.3, 18.4, 20.5, 22.6, 24.6, 26.7,
    3.8, 6.4, 8.7, 10.8, 12.9, 15.0, 16.9, 18.9, 20.8, 22.7, 24.6,
    3.5, 5.9, 8.0, 10.0, 12.0, 13.9, 15.7, 17.5, 19.3, 21.0, 22.8,
    3.3, 5.5, 7.5, 9.3, 11.1, 12.9, 14.6, 16.3, 18.0, 19.6, 21.2,
    3.1, 5.1, 7.0, 8.7, 10.4, 12.1, 13.7, 15.2, 16.8, 18.3, 19.8,
    2.9, 4.8, 6.6, 8.2, 9.8, 11.3, 12.8, 14.3, 15.8, 17.2, 18.7,
    2.6, 4.3, 5.9, 7.3, 8.7, 10.1, 11.5, 12.8, 14.1, 15.4, 16.7,
    2.3, 3.9, 5.3, 6.6, 7.9, 9.1, 10.3, 11.5, 12.7, 13.9, 15.0,
    1.9, 3.1, 4.3, 5.3, 6.3, 7.3, 8.3, 9.3, 10.2, 11.2, 12.1,
    1.6, 2.6, 3.6, 4.4, 5.3, 6.1, 7.0, 7.8, 8.6, 9.4, 10.1,
    1.2, 2.0, 2.7, 3.4, 4.0, 4.6, 5.3, 5.9, 6.5, 7.1, 7.6,
    0.8, 1.3, 1.8, 2.3, 2.7, 3.1, 3.5, 3.9, 4.3, 4.7, 5.1,
    0.6, 1.0, 1.4, 1.7, 2.0, 2.4, 2.7, 3.0, 3.3, 3.6, 3.9,
    0.5, 0.8, 1.1, 1.4, 1.6, 1.9, 2.1, 2.4, 2.6, 2.9, 3.1
"""


def _limit_cells() -> list[object]:
    cells: list[object] = []
    for confidence, text in ((0.95, TABLE_A3_95), (0.90, TABLE_A4_90)):
        values = [float(v) for v in text.replace("\n", " ").split(",") if v.strip()]
        assert len(values) == len(SAMPLE_SIZES) * 11
        for row, n in enumerate(SAMPLE_SIZES):
            for k in range(11):
                cell_id = f"{confidence:.0%}-n{n}-k{k}"
                cells.append(pytest.param(confidence, n, k, values[row * 11 + k], id=cell_id))
    return cells


@pytest.mark.parametrize(("confidence", "n", "deviations", "published"), _limit_cells())
def test_upper_limit_matches_aicpa_tables_a3_a4(
    confidence: float, n: int, deviations: int, published: float
) -> None:
    limit = upper_limit(n, deviations, confidence)
    # The tables round the limit UP to one decimal of a percent; round(.., 6) first removes
    # binary noise such as 140.00000000001 that would otherwise be rounded up a whole step.
    assert math.ceil(round(limit * 1000, 6)) / 10 == published
    assert limit <= published / 100 < limit + 0.001


@pytest.mark.parametrize(
    ("confidence", "n", "published"),
    [(0.95, 20, 14.0), (0.95, 50, 5.9), (0.95, 60, 4.9), (0.90, 100, 2.3)],
)
def test_quoted_limits(confidence: float, n: int, published: float) -> None:
    """Cells quoted when planning; the table has 5.9 for n = 50 (5.8 is nearest rounding)."""
    assert math.ceil(round(upper_limit(n, 0, confidence) * 1000, 6)) / 10 == published
