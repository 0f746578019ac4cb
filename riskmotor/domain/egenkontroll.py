"""Egenkontroll rules: review periods, and the evaluation of a reviewed sample.

Pure functions: the statistics come from :mod:`riskmotor.sampling`, the status rules from
the egenkontroll catalog. A "ja" answer means the requirement is met; "nej" is a deviation
(avvikelse); "ej tillämplig" and unanswered cases do not count; bortfall (a case file that
could not be reviewed) is counted separately and replaced from the reserve list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING

from riskmotor.domain.catalog import EgenkontrollSettings, StatusRule
from riskmotor.domain.egenkontroll_wording import (
    NOT_ASSESSED,
    Figures,
    census_sentence,
    confidence_text,
    no_overall_sentence,
    percent_up,
    sample_sentence,
)
from riskmotor.domain.terms import percent
from riskmotor.errors import InvalidInputError

if TYPE_CHECKING:
    from riskmotor.sampling.evaluation import Evaluation

STRATIFIED = "stratified-bonferroni"  # riskmotor.sampling.evaluation.STRATIFIED_METHOD

TERTIALS = {1: (1, 4), 2: (5, 8), 3: (9, 12)}
PERIOD_PATTERN = re.compile(r"^(\d{4})(?:-T([123]))?$")


@dataclass(frozen=True)
class Period:
    """A review period: a tertial (``2027-T1``: January–April) or a whole year (``2027``)."""

    label: str
    start: date
    end: date

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def parse_period(text: str) -> Period:
    match = PERIOD_PATTERN.match(text.strip())
    if not match:
        raise InvalidInputError(
            f"Okänd period {text!r}. Skriv till exempel 2027-T1 (januari–april), 2027-T2, "
            "2027-T3 eller 2027 för hela året."
        )
    year = int(match.group(1))
    if match.group(2) is None:
        return Period(str(year), date(year, 1, 1), date(year, 12, 31))
    tertial = int(match.group(2))
    first_month, last_month = TERTIALS[tertial]
    last_day = date(year + (last_month == 12), last_month % 12 + 1, 1).toordinal() - 1
    return Period(f"{year}-T{tertial}", date(year, first_month, 1), date.fromordinal(last_day))


def periods_of_year(year: int) -> list[str]:
    return [f"{year}-T{t}" for t in TERTIALS]


@dataclass(frozen=True)
class ReviewedCase:
    case_id: str
    dropped: bool
    answers: Mapping[str, str | None]


@dataclass(frozen=True)
class ControlEvaluation:
    """One kontrollmoment in one stratum (or overall).

    ``verdict`` is the three-way conclusion (``shown_to_meet``, ``not_shown``,
    ``shown_not_to_meet``; empty when not assessed) that both ``status`` and ``conclusion``
    come from. ``method`` is ``census``, ``hypergeometric``, ``binomial`` or
    ``stratified-bonferroni``. Limits are one-sided at ``confidence`` and ``None`` for a
    census; ``compliance_interval`` is the matching one-sided interval for the share of
    compliant cases, ``(1 - upper limit, 1)``, or the exact share twice for a census.
    ``population`` is the number of cases the kontrollmoment applies to, when known.
    """

    control_key: str
    control_name: str
    reviewed: int
    compliant: int
    deviations: int
    not_applicable: int
    unanswered: int
    dropped: int
    compliance_share: float | None
    compliance_interval: tuple[float, float] | None
    upper_deviation_limit: float | None
    tolerable_rate: float
    confidence: float
    status: str
    status_name: str
    conclusion: str
    population: int | None = None
    method: str = ""
    rate: float | None = None
    lower_deviation_limit: float | None = None
    verdict: str = ""


def status_rule(rules: Sequence[StatusRule], verdict: str) -> StatusRule:
    """The first catalog rule whose condition is the verdict (or ``always``)."""
    return next(rule for rule in rules if rule.when in (verdict, "always"))


def _counts(control_key: str, cases: Iterable[ReviewedCase]) -> dict[str | None, int]:
    counts: dict[str | None, int] = {"ja": 0, "nej": 0, "ej_tillämplig": 0, None: 0, "bortfall": 0}
    for case in cases:
        key = "bortfall" if case.dropped else case.answers.get(control_key)
        counts[key] += 1
    return counts


def evaluate_control(
    control_key: str,
    control_name: str,
    cases: Iterable[ReviewedCase],
    *,
    confidence: float,
    tolerable_rate: float,
    settings: EgenkontrollSettings,
    population: int | None = None,
    census: bool = False,
) -> ControlEvaluation:
    """Evaluate one kontrollmoment in one stratum of ``population`` cases.

    A stratum drawn in full (``census``) whose every case was answered is a full review: the
    exact rate decides. Otherwise the reviewed cases are a sample of the stratum; the exact
    hypergeometric limits need the number of cases the kontrollmoment applies to, which is
    the population only when no reviewed case was "ej tillämplig" — else the binomial limits
    are used, which hold for any population size.
    """
    counts = _counts(control_key, cases)
    compliant, deviations = counts["ja"], counts["nej"]
    reviewed = compliant + deviations
    blank = ControlEvaluation(
        control_key, control_name, reviewed, compliant, deviations,
        counts["ej_tillämplig"], counts[None], counts["bortfall"], None, None, None,
        tolerable_rate, confidence, "", "Ej bedömd", NOT_ASSESSED,
    )  # fmt: skip
    if reviewed == 0:
        full = census and counts[None] == 0 and counts["bortfall"] == 0
        return replace(blank, population=0 if full else None)
    applicable: int | None = None
    if census and counts[None] == 0 and counts["bortfall"] == 0:
        applicable = reviewed  # everything answered: the applicable cases are known exactly
    elif population is not None and counts["ej_tillämplig"] == 0 and population >= reviewed:
        applicable = population
    # Imported here: the sampling engine loads numpy and scipy.stats, while the period
    # helpers of this module are needed by every command that opens the database.
    from riskmotor.sampling.evaluation import evaluate

    result = evaluate(reviewed, deviations, confidence, tolerable_rate, population=applicable)
    return with_result(blank, result, settings)


def with_result(
    blank: ControlEvaluation,
    result: Evaluation,
    settings: EgenkontrollSettings,
    *,
    strata: int = 1,
) -> ControlEvaluation:
    """Fill in figures, status and sentence from one evaluation (one decision for both)."""
    rule = status_rule(settings.status_rules, result.conclusion)
    figures = Figures(
        result.reviewed, result.deviations, result.population, result.confidence,
        result.tolerable_rate, result.rate, result.upper_limit, result.lower_limit, strata,
    )  # fmt: skip
    if result.census:
        sentence = census_sentence(figures, Fraction(result.deviations, result.reviewed))
        interval = (1 - result.rate, 1 - result.rate)
    else:
        overall = result.method == STRATIFIED
        sentence = sample_sentence(figures, result.conclusion, overall=overall)
        interval = (1 - (result.upper_limit or 0.0), 1.0)
    return replace(
        blank,
        compliance_share=1 - result.rate,
        compliance_interval=interval,
        upper_deviation_limit=result.upper_limit,
        lower_deviation_limit=result.lower_limit,
        status=rule.status,
        status_name=rule.name,
        conclusion=sentence,
        population=result.population,
        method=result.method,
        rate=result.rate,
        verdict=result.conclusion,
    )


def combine_strata(
    by_stratum: Mapping[str, ControlEvaluation],
    settings: EgenkontrollSettings,
) -> ControlEvaluation:
    """The overall result of one kontrollmoment: population-weighted across the strata.

    With a single stratum it is that stratum's result. Otherwise the stratified bound of
    :func:`riskmotor.sampling.evaluation.evaluate_overall`; when it cannot be given (a
    stratum's applicable population is unknown or nothing was reviewed there) the result has
    no status and the sentence says why.
    """
    items = list(by_stratum.values())
    first = items[0]
    if len(items) == 1:
        return first
    totals = ControlEvaluation(
        first.control_key, first.control_name,
        sum(i.reviewed for i in items), sum(i.compliant for i in items),
        sum(i.deviations for i in items), sum(i.not_applicable for i in items),
        sum(i.unanswered for i in items), sum(i.dropped for i in items),
        None, None, None, first.tolerable_rate, first.confidence, "", "Ej bedömd", NOT_ASSESSED,
    )  # fmt: skip
    if totals.reviewed == 0:
        return totals
    from riskmotor.sampling.evaluation import StratumInput, evaluate_overall

    inputs = {
        name: StratumInput(item.population, item.reviewed, item.deviations)
        for name, item in by_stratum.items()
    }
    result = evaluate_overall(inputs, first.confidence, first.tolerable_rate)
    if isinstance(result, str):
        return replace(totals, status_name="Ej sammanvägd", conclusion=no_overall_sentence(result))
    counted = sum(1 for item in inputs.values() if item.population != 0)
    return with_result(totals, result, settings, strata=counted)


def plan_sentence(n: int, allowed: int, confidence: float, tolerable: float) -> str:
    """What a planned sample can show, in one plain Swedish sentence."""
    found = "ingen avvikelse" if allowed == 0 else f"högst {allowed} avvikelser"
    if allowed == 1:
        found = "högst 1 avvikelse"
    return (
        f"Om ni granskar {n} akter och hittar {found} kan ni med "
        f"{confidence_text(confidence)} konfidens säga att andelen avvikelser bland alla "
        f"ärenden under perioden är lägre än {percent(tolerable, 1, trim=True)}."
    )


def precision_sentence(n: int, confidence: float, limit: float) -> str:
    """What a fixed number of files can show when no deviation is found."""
    return (
        f"{n} granskade akter utan avvikelser visar med {confidence_text(confidence)} "
        f"konfidens att andelen avvikelser bland alla ärenden är högst {percent_up(limit)}."
    )


@dataclass(frozen=True)
class ListedCase:
    """A case on the checklist: its stratum, whether it is bortfall and whether it was used
    (answered or marked as bortfall)."""

    case_id: str
    stratum: str
    dropped: bool
    used: bool


def reserve_problems(sample: Sequence[ListedCase], reserve: Sequence[ListedCase]) -> list[str]:
    """Every reserve case used against the rules, named (empty when all is in order).

    A reserve case may only replace a bortfall of its own stratum, in the reserve list's
    order (``reserve`` is in that order): the first reserve replaces the first bortfall, and
    a reserve that is itself bortfall is replaced by the next one. So the reviewer cannot
    choose which reserves count.
    """
    problems: list[str] = []
    for stratum in dict.fromkeys(case.stratum for case in reserve):
        needed = sum(1 for case in sample if case.stratum == stratum and case.dropped)
        skipped: str | None = None
        for case in (c for c in reserve if c.stratum == stratum):
            where = f" i {stratum}" if stratum else ""
            if not case.used:
                skipped = skipped or (case.case_id if needed > 0 else None)
                continue
            if needed == 0:
                problems.append(
                    f"reservärendet {case.case_id!r} är granskat, men det finns inget bortfall"
                    f"{where} som det ska ersätta"
                )
            elif skipped is not None:
                problems.append(
                    f"reservärendet {case.case_id!r} är granskat före {skipped!r}, som står "
                    f"före det i reservlistan{where}; reserverna ska användas i ordning"
                )
            elif not case.dropped:
                needed -= 1
    return problems
