"""Egenkontroll rules: periods, status from the catalog rules, and the Swedish sentences."""

from __future__ import annotations

from datetime import date

import pytest

from riskmotor.catalogs import Catalog
from riskmotor.domain.egenkontroll import (
    ReviewedCase,
    evaluate_control,
    parse_period,
    plan_sentence,
    precision_sentence,
)
from riskmotor.errors import InvalidInputError


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2027-T1", date(2027, 1, 1), date(2027, 4, 30)),
        ("2027-T2", date(2027, 5, 1), date(2027, 8, 31)),
        ("2027-T3", date(2027, 9, 1), date(2027, 12, 31)),
        ("2028", date(2028, 1, 1), date(2028, 12, 31)),
    ],
)
def test_tertials_follow_the_calendar(text: str, start: date, end: date) -> None:
    period = parse_period(text)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize("text", ["2027-T4", "T1", "27-T1", "2027-Q1"])
def test_unknown_periods_are_explained(text: str) -> None:
    with pytest.raises(InvalidInputError, match="2027-T1"):
        parse_period(text)


def _cases(ja: int, nej: int, dropped: int = 0) -> list[ReviewedCase]:
    cases = [ReviewedCase(f"j{i}", False, {"k": "ja"}) for i in range(ja)]
    cases += [ReviewedCase(f"n{i}", False, {"k": "nej"}) for i in range(nej)]
    cases += [ReviewedCase(f"d{i}", True, {"k": None}) for i in range(dropped)]
    return cases


@pytest.mark.parametrize(
    ("ja", "nej", "status"),
    [(59, 0, "grön"), (59, 1, "gul"), (50, 10, "röd")],
)
def test_status_comes_from_the_catalog_rules(
    catalog: Catalog, ja: int, nej: int, status: str
) -> None:
    result = evaluate_control(
        "k",
        "Kontroll",
        _cases(ja, nej, dropped=2),
        confidence=0.95,
        tolerable_rate=0.05,
        settings=catalog.egenkontroll,
    )
    assert result.status == status
    assert result.dropped == 2 and result.reviewed == ja + nej


def test_zero_deviations_in_59_files_meets_five_percent(catalog: Catalog) -> None:
    # AICPA Table A-1: 95 %, tolerable 5 %, expected 0 → 59 files; with none found the
    # upper limit is just below 5 % (Table A-3 prints 4.9 % for n = 60).
    result = evaluate_control(
        "k",
        "Kontroll",
        _cases(59, 0),
        confidence=0.95,
        tolerable_rate=0.05,
        settings=catalog.egenkontroll,
    )
    assert result.upper_deviation_limit is not None and result.upper_deviation_limit < 0.05
    assert result.conclusion == (
        "Granskningen hittade ingen avvikelse. Med 95 % säkerhet är andelen avvikelser högst "
        "4,96 %. Toleransen 5 % är uppfylld."  # 1 - 0.05 ** (1/59) = 0.04951, rounded up
    )


def test_no_reviewed_files_is_not_assessed(catalog: Catalog) -> None:
    result = evaluate_control(
        "k",
        "Kontroll",
        _cases(0, 0, dropped=3),
        confidence=0.95,
        tolerable_rate=0.05,
        settings=catalog.egenkontroll,
    )
    assert result.status == "" and result.status_name == "Ej bedömd"


def test_sentences_for_the_plan() -> None:
    assert plan_sentence(59, 0, 0.95, 0.05) == (
        "Om ni granskar 59 akter och hittar ingen avvikelse kan ni med 95 % säkerhet säga att "
        "andelen avvikelser i hela verksamheten är lägre än 5 %."
    )
    assert precision_sentence(60, 0.95, 0.0487) == (
        "60 granskade akter utan avvikelser visar med 95 % säkerhet att andelen avvikelser är "
        "högst 4,9 %."
    )
