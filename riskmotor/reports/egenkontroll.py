"""Read models of egenkontroll: a draw's evaluation, the trend over periods, and what a
planned sample can show.

The per-kontrollmoment result (:class:`~riskmotor.domain.egenkontroll.ControlEvaluation`) is
produced by the pure rule in the domain, so it stays there; it is re-exported here so pages
and documents import every egenkontroll read model from one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from riskmotor.domain.egenkontroll import ControlEvaluation
from riskmotor.domain.models import EgenkontrollPlan, SampleDraw
from riskmotor.domain.personal_data import PersonalDataFinding


@dataclass(frozen=True)
class DrawEvaluation:
    """A reviewed draw: every kontrollmoment pooled over the strata and per stratum (enhet)."""

    draw: SampleDraw
    plan: EgenkontrollPlan
    overall: list[ControlEvaluation]
    by_stratum: dict[str, list[ControlEvaluation]]

    @property
    def reviewed(self) -> bool:
        """Whether any kontrollmoment has a reviewed case yet."""
        return any(item.reviewed for item in self.overall)


def _figures(item: ControlEvaluation) -> dict[str, object]:
    """The pinned figures of one kontrollmoment in one stratum or overall."""
    return {
        "population": item.population,
        "reviewed": item.reviewed,
        "deviations": item.deviations,
        "method": item.method or None,
        "upper_limit": item.upper_deviation_limit,
        "lower_limit": item.lower_deviation_limit,
        "rate": item.rate,
        "status": item.status or None,
        "conclusion": item.conclusion,
    }


@dataclass(frozen=True)
class ChecklistEvaluation:
    """A reviewed checklist evaluated (``riskmotor sample evaluate``): every kontrollmoment
    overall and per stratum, at the confidence and tolerance of its plan. ``draw_id`` is the
    stored draw when the answers were imported into the database, else None."""

    namnd: str
    period: str
    confidence: float
    tolerable_rate: float
    draw_id: int | None
    overall: list[ControlEvaluation]
    by_stratum: dict[str, list[ControlEvaluation]]

    def to_json(self) -> dict[str, object]:
        """The CLI's pinned JSON: per kontrollmoment, ``overall`` and ``strata``."""
        return {
            "namnd": self.namnd,
            "period": self.period,
            "confidence": self.confidence,
            "tolerable_rate": self.tolerable_rate,
            "draw_id": self.draw_id,
            "controls": [
                {
                    "key": item.control_key,
                    "name": item.control_name,
                    "overall": _figures(item),
                    "strata": {
                        stratum: _figures(items[index])
                        for stratum, items in self.by_stratum.items()
                    },
                }
                for index, item in enumerate(self.overall)
            ],
        }


@dataclass(frozen=True)
class StratumFacts:
    """One stratum of a draw: its population and the drawn case ids in order."""

    population: int
    sample: list[str]
    reserve: list[str]
    census: bool

    def as_stored(self) -> dict[str, int | bool]:
        """The counts kept with a stored draw (the case ids are stored as sampled cases)."""
        return {
            "population": self.population,
            "sample": len(self.sample),
            "reserve": len(self.reserve),
            "census": self.census,
        }

    def to_json(self) -> dict[str, object]:
        return {
            "population": self.population,
            "sample": self.sample,
            "reserve": self.reserve,
            "census": self.census,
        }


@dataclass(frozen=True)
class FileDraw:
    """A draw made without a database (``riskmotor sample draw``) and its checklist file."""

    seed: int
    period: str
    population_size: int
    case_list_sha256: str
    numpy_version: str
    strata: dict[str, StratumFacts]
    sample: list[str]
    reserve: list[str]
    checklist: str
    # Where personnummer were replaced in the case list (row and column, never the value).
    personal_data: list[PersonalDataFinding] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        """The CLI's pinned JSON keys."""
        return {
            "seed": self.seed,
            "period": self.period,
            "population_size": self.population_size,
            "case_list_sha256": self.case_list_sha256,
            "numpy_version": self.numpy_version,
            "strata": {name: facts.to_json() for name, facts in self.strata.items()},
            "sample": self.sample,
            "reserve": self.reserve,
            "checklist": self.checklist,
            "personal_data": [finding.to_json() for finding in self.personal_data],
        }


@dataclass(frozen=True)
class TrendPoint:
    """One kontrollmoment in one reviewed period, for the chart over tertials."""

    period: str
    control: str
    share: float
    low: float
    high: float
    status: str


@dataclass(frozen=True)
class SampleSizing:
    """The sample a plan needs, with the bound method chosen and the plain-Swedish reading."""

    n: int
    allowed_deviations: int
    method: str
    sentence: str


@dataclass(frozen=True)
class FixedSampleReach:
    """What a fixed number of reviewed files can show (no deviation found)."""

    files: int
    upper_limit: float
    sentence: str
    discovery_probability: float


__all__ = [
    "ChecklistEvaluation",
    "ControlEvaluation",
    "DrawEvaluation",
    "FileDraw",
    "FixedSampleReach",
    "SampleSizing",
    "StratumFacts",
    "TrendPoint",
]
