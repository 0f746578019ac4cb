"""The glossary's number formatters write numbers the way a Swedish reader expects."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from riskmotor.domain.terms import days, local_time, number, percent


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (1_000, 0, "1 000"),
        (50_000, 0, "50 000"),
        (999, 0, "999"),
        (12.34, 1, "12,3"),
        (1234.5, 2, "1 234,50"),
        (-3.5, 1, "−3,5"),
        (41.6, 0, "42"),
        (2.25, 1, "2,3"),  # half up, as printed; Python's own format gives 2,2
        (0.125, 2, "0,13"),
        (float("inf"), 2, "∞"),
    ],
)
def test_numbers_have_decimal_comma_and_spaced_thousands(
    value: float, decimals: int, expected: str
) -> None:
    assert number(value, decimals) == expected


@pytest.mark.parametrize(
    ("share", "decimals", "trim", "expected"),
    [
        (0.076, 1, False, "7,6 %"),
        (0.95, 1, False, "95,0 %"),
        (0.95, 1, True, "95 %"),
        (0.025, 1, True, "2,5 %"),
        (1.0, 1, True, "100 %"),
        (0.0625, 1, False, "6,3 %"),
        (None, 1, False, "–"),
    ],
)
def test_percent_is_written_with_decimal_comma(
    share: float | None, decimals: int, trim: bool, expected: str
) -> None:
    assert percent(share, decimals, trim=trim) == expected


def test_days_are_written_with_one_decimal() -> None:
    assert days(12.34) == "12,3 dagar"
    assert days(0) == "0,0 dagar"


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        ("2027-01-05T10:00:00+00:00", "2027-01-05 11:00:00"),  # winter time, UTC+1
        ("2027-07-05T10:00:00+00:00", "2027-07-05 12:00:00"),  # summer time, UTC+2
        (datetime(2027, 3, 28, 1, 30, tzinfo=UTC), "2027-03-28 03:30:00"),  # the switch night
    ],
)
def test_stored_instants_are_shown_in_swedish_time(stored: str | datetime, expected: str) -> None:
    assert local_time(stored) == expected
