"""Egenkontroll rules: review periods, and the evaluation of a reviewed sample.

Pure functions: the statistics come from :mod:`riskmotor.sampling`, the status rules from
the egenkontroll catalog. A "ja" answer means the requirement is met; "nej" is a deviation
(avvikelse); "ej tillämplig" and unanswered cases do not count; bortfall (a case file that
could not be reviewed) is counted separately and replaced from the reserve list.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from riskmotor.domain.catalog import EgenkontrollSettings, StatusRule
from riskmotor.domain.terms import percent
from riskmotor.errors import InvalidInputError
from riskmotor.sampling import proportion_interval, upper_limit

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


def _percent_up(share: float, below: float | None = None) -> str:
    """An upper bound rounded up, to one decimal as the AICPA tables print them.

    When rounding up would lift a bound that is below ``below`` (the tolerance) onto or over
    it, more decimals are shown, so the text never contradicts the conclusion.
    """
    for decimals in (1, 2, 3):
        scale = 10 ** (decimals + 2)
        rounded = math.ceil(round(scale * share, 6)) / scale
        if below is None or share >= below or rounded < below:
            break
    return percent(rounded, decimals)


def _rule(
    rules: Sequence[StatusRule], observed: float, limit: float, tolerable: float
) -> StatusRule:
    holds = {
        "upper_limit_below_tolerable": limit < tolerable,
        "observed_rate_at_most_tolerable": observed <= tolerable,
        "always": True,
    }
    return next(rule for rule in rules if holds[rule.when])


def conclusion_text(confidence: float, limit: float, tolerable: float, deviations: int) -> str:
    """The plain Swedish conclusion the nämnd reads."""
    met = "är uppfylld" if limit < tolerable else "är inte uppfylld"
    found = "ingen avvikelse" if deviations == 0 else f"{deviations} avvikelser"
    if deviations == 1:
        found = "1 avvikelse"
    return (
        f"Granskningen hittade {found}. Med {percent(confidence).replace(',0', '')} säkerhet "
        f"är andelen avvikelser högst {_percent_up(limit, tolerable)}. Toleransen "
        f"{percent(tolerable).replace(',0', '')} {met}."
    )


def evaluate_control(
    control_key: str,
    control_name: str,
    cases: Iterable[ReviewedCase],
    *,
    confidence: float,
    tolerable_rate: float,
    settings: EgenkontrollSettings,
    population: int | None = None,
    method: str = "binomial",
) -> ControlEvaluation:
    counts = {"ja": 0, "nej": 0, "ej_tillämplig": 0, None: 0}
    dropped = 0
    for case in cases:
        if case.dropped:
            dropped += 1
            continue
        counts[case.answers.get(control_key)] += 1
    compliant, deviations = counts["ja"], counts["nej"]
    reviewed = compliant + deviations
    common = {
        "control_key": control_key,
        "control_name": control_name,
        "reviewed": reviewed,
        "compliant": compliant,
        "deviations": deviations,
        "not_applicable": counts["ej_tillämplig"],
        "unanswered": counts[None],
        "dropped": dropped,
        "tolerable_rate": tolerable_rate,
        "confidence": confidence,
    }
    if reviewed == 0:
        return ControlEvaluation(
            **common,
            compliance_share=None,
            compliance_interval=None,
            upper_deviation_limit=None,
            status="",
            status_name="Ej bedömd",
            conclusion="Inga granskade ärenden för kontrollmomentet ännu.",
        )
    hypergeometric = (
        method == "hypergeometric" and population is not None and population >= reviewed
    )
    limit = upper_limit(
        reviewed,
        deviations,
        confidence,
        population=population if hypergeometric else None,
        method="hypergeometric" if hypergeometric else "binomial",
    )
    rule = _rule(settings.status_rules, deviations / reviewed, limit, tolerable_rate)
    return ControlEvaluation(
        **common,
        compliance_share=compliant / reviewed,
        compliance_interval=proportion_interval(compliant, reviewed, confidence),
        upper_deviation_limit=limit,
        status=rule.status,
        status_name=rule.name,
        conclusion=conclusion_text(confidence, limit, tolerable_rate, deviations),
    )


def plan_sentence(n: int, allowed: int, confidence: float, tolerable: float) -> str:
    """What a planned sample can show, in one plain Swedish sentence."""
    found = "ingen avvikelse" if allowed == 0 else f"högst {allowed} avvikelser"
    if allowed == 1:
        found = "högst 1 avvikelse"
    return (
        f"Om ni granskar {n} akter och hittar {found} kan ni med "
        f"{percent(confidence).replace(',0', '')} säkerhet säga att andelen avvikelser i hela "
        f"verksamheten är lägre än {percent(tolerable).replace(',0', '')}."
    )


def precision_sentence(n: int, confidence: float, limit: float) -> str:
    """What a fixed number of files can show when no deviation is found."""
    return (
        f"{n} granskade akter utan avvikelser visar med "
        f"{percent(confidence).replace(',0', '')} säkerhet att andelen avvikelser är högst "
        f"{_percent_up(limit)}."
    )
