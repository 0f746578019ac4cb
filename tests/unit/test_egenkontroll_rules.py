"""Egenkontroll rules: periods, status from the catalog rules, and the Swedish sentences."""

from __future__ import annotations

from datetime import date

import pytest

from riskmotor.catalogs import Catalog
from riskmotor.domain.egenkontroll import (
    ControlEvaluation,
    ListedCase,
    ReviewedCase,
    combine_strata,
    evaluate_control,
    parse_period,
    plan_sentence,
    precision_sentence,
    reserve_problems,
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


def _cases(ja: int, nej: int, dropped: int = 0, na: int = 0) -> list[ReviewedCase]:
    cases = [ReviewedCase(f"j{i}", False, {"k": "ja"}) for i in range(ja)]
    cases += [ReviewedCase(f"n{i}", False, {"k": "nej"}) for i in range(nej)]
    cases += [ReviewedCase(f"e{i}", False, {"k": "ej_tillämplig"}) for i in range(na)]
    cases += [ReviewedCase(f"d{i}", True, {"k": None}) for i in range(dropped)]
    return cases


def _evaluate(
    catalog: Catalog,
    ja: int,
    nej: int,
    *,
    population: int | None = None,
    census: bool = False,
    dropped: int = 0,
    na: int = 0,
) -> ControlEvaluation:
    return evaluate_control(
        "k",
        "Kontroll",
        _cases(ja, nej, dropped=dropped, na=na),
        confidence=0.95,
        tolerable_rate=0.05,
        settings=catalog.egenkontroll,
        population=population,
        census=census,
    )


@pytest.mark.parametrize(
    ("ja", "nej", "status", "verdict"),
    [
        (59, 0, "grön", "shown_to_meet"),
        (59, 1, "gul", "not_shown"),
        (56, 4, "gul", "not_shown"),  # 6,7 % found, but the lower limit is below 5 %
        (50, 10, "röd", "shown_not_to_meet"),
    ],
)
def test_status_follows_the_three_way_verdict(
    catalog: Catalog, ja: int, nej: int, status: str, verdict: str
) -> None:
    result = _evaluate(catalog, ja, nej, dropped=2)
    assert (result.status, result.verdict) == (status, verdict)
    assert result.dropped == 2 and result.reviewed == ja + nej


def test_one_deviation_in_sixty_is_not_called_unmet(catalog: Catalog) -> None:
    # The first example: failing to show compliance is not non-compliance.
    result = _evaluate(catalog, 59, 1)
    assert result.status == "gul"
    assert "inte uppfylld" not in result.conclusion and "hålls inte" not in result.conclusion
    assert result.conclusion == (
        "Granskningen av 60 ärenden hittade 1 avvikelse (1,7 %). Med 95 % konfidens är andelen "
        "avvikelser bland alla ärenden under perioden högst 7,7 %. Det räcker inte för att visa "
        "att den är lägre än toleransen 5 %, men granskningen visar inte heller att den är "
        "högre (den nedre gränsen är 0,0 %). Frågan kan inte avgöras med det här urvalet."
    )


def test_zero_deviations_in_59_files_meets_five_percent(catalog: Catalog) -> None:
    # AICPA Table A-1: 95 %, tolerable 5 %, expected 0 → 59 files; with none found the
    # upper limit is 1 - 0.05 ** (1/59) = 4,951 %, printed rounded up with the decimals that
    # keep it visibly below 5 % (one decimal would give "5,0 %").
    result = _evaluate(catalog, 59, 0)
    assert result.upper_deviation_limit is not None and result.upper_deviation_limit < 0.05
    assert result.conclusion == (
        "Granskningen av 59 ärenden hittade ingen avvikelse. Med 95 % konfidens är andelen "
        "avvikelser bland alla ärenden under perioden högst 4,96 %, alltså lägre än toleransen "
        "5 %. Toleransen hålls."
    )
    assert result.compliance_interval == pytest.approx((1 - result.upper_deviation_limit, 1.0))


def test_full_review_reports_the_exact_rate(catalog: Catalog) -> None:
    # The second example: 30 of 30 reviewed, none deviating: the rate is 0 %.
    result = _evaluate(catalog, 30, 0, population=30, census=True)
    assert (result.status, result.method, result.rate) == ("grön", "census", 0.0)
    assert result.upper_deviation_limit is None
    assert "totalgranskning" in result.conclusion and "0,0 %" in result.conclusion


def test_full_review_with_not_applicable_cases_is_exact(catalog: Catalog) -> None:
    result = _evaluate(catalog, 27, 1, population=30, census=True, na=2)
    assert (result.method, result.population) == ("census", 28)
    assert result.rate == pytest.approx(1 / 28)


def test_not_applicable_answers_fall_back_to_binomial(catalog: Catalog) -> None:
    result = _evaluate(catalog, 60, 0, population=1000, na=3)
    assert (result.method, result.population) == ("binomial", None)


def test_no_reviewed_files_is_not_assessed(catalog: Catalog) -> None:
    result = _evaluate(catalog, 0, 0, dropped=3)
    assert result.status == "" and result.status_name == "Ej bedömd"


def test_overall_from_the_counterexample_is_not_green(catalog: Catalog) -> None:
    big = _evaluate(catalog, 56, 4, population=1000)
    small = _evaluate(catalog, 30, 0, population=30, census=True)
    overall = combine_strata({"A": big, "B": small, "C": small, "D": small}, catalog.egenkontroll)
    assert overall.method == "stratified-bonferroni"
    assert overall.status == "gul"
    assert overall.rate == pytest.approx(1000 * 4 / 60 / 1090)


def test_overall_explains_why_it_is_missing(catalog: Catalog) -> None:
    unknown = _evaluate(catalog, 60, 0, population=1000, na=3)
    small = _evaluate(catalog, 30, 0, population=30, census=True)
    overall = combine_strata({"A": unknown, "B": small}, catalog.egenkontroll)
    assert overall.status == "" and overall.status_name == "Ej sammanvägd"
    assert "okänt för A" in overall.conclusion


def test_reserves_only_replace_bortfall_in_order() -> None:
    sample = [ListedCase("s1", "A", True, True), ListedCase("s2", "A", False, True)]
    in_order = [ListedCase("r1", "A", False, True), ListedCase("r2", "A", False, False)]
    assert reserve_problems(sample, in_order) == []
    skipped = [ListedCase("r1", "A", False, False), ListedCase("r2", "A", False, True)]
    assert "'r2'" in reserve_problems(sample, skipped)[0]
    too_many = [ListedCase("r1", "A", False, True), ListedCase("r2", "A", False, True)]
    assert "inget bortfall" in reserve_problems(sample, too_many)[0]
    dropped_reserve = [ListedCase("r1", "A", True, True), ListedCase("r2", "A", False, True)]
    assert reserve_problems(sample, dropped_reserve) == []


def test_sentences_for_the_plan() -> None:
    assert plan_sentence(59, 0, 0.95, 0.05) == (
        "Om ni granskar 59 akter och hittar ingen avvikelse kan ni med 95 % konfidens säga att "
        "andelen avvikelser bland alla ärenden under perioden är lägre än 5 %."
    )
    assert precision_sentence(60, 0.95, 0.0487) == (
        "60 granskade akter utan avvikelser visar med 95 % konfidens att andelen avvikelser "
        "bland alla ärenden är högst 4,9 %."
    )
