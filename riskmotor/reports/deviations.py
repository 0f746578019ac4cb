"""Read models of avvikelser: what an import did, a year's summary, counts per period and the
evidence linked to a risk. Built by :mod:`riskmotor.services.deviations` in one unit of work.

``to_json`` gives the pinned JSON of the CLI (``riskmotor deviations … --json``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from riskmotor.domain.deviations import CrossRow, RateComparison
from riskmotor.domain.models import DeviationLink
from riskmotor.domain.personal_data import PersonalDataFinding


@dataclass(frozen=True)
class RejectedRow:
    row: int
    reason: str


@dataclass(frozen=True)
class ImportReport:
    """What an import did. ``refused``: bad rows and no permission to skip them; nothing stored."""

    imported: int
    duplicates: int
    rejected: list[RejectedRow]
    refused: bool = False
    sha256: str = ""
    # Where personnummer were replaced (row and column, never the value).
    personal_data: list[PersonalDataFinding] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {
            "imported": self.imported,
            "duplicates": self.duplicates,
            "rejected": [{"row": r.row, "reason": r.reason} for r in self.rejected],
            "personal_data": [finding.to_json() for finding in self.personal_data],
        }

    as_dict = to_json  # the name the CLI used first


@dataclass(frozen=True)
class ImportPreview:
    """What importing a file would do, computed against the database before anything is
    stored: ``new`` reports would be added, ``duplicates`` are already imported (or repeat
    an earlier row of the same file), ``rejected`` rows cannot be read."""

    filename: str
    new: int
    duplicates: int
    rejected: list[RejectedRow]
    personal_data: list[PersonalDataFinding] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return self.new + self.duplicates + len(self.rejected)


@dataclass(frozen=True)
class DeviationSummary:
    """A year's reports as the nämnd reports them: counts, shares, reporting, cross table."""

    year: int
    total: int
    deviations: int
    by_category: dict[str, int]
    shares: dict[str, float | None]
    ivo_share: float | None
    imy_share: float | None
    table: list[CrossRow]

    def to_json(self) -> dict[str, object]:
        return {
            "year": self.year,
            "total": self.total,
            "deviations": self.deviations,
            "by_category": self.by_category,
            "shares": self.shares,
            "ivo_share": self.ivo_share,
            "imy_share": self.imy_share,
            "table": [row.as_dict() for row in self.table],
        }


@dataclass(frozen=True)
class PeriodCount:
    """Reports of one category in one period (a month ``2023-05`` or a tertial ``2023-T2``)."""

    period: str
    category: str
    label: str
    is_deviation: bool
    count: int


@dataclass(frozen=True)
class RiskEvidence:
    """The deviations linked to a risk: counts per category and tertial, and the latest trend."""

    risk_id: int
    links: list[DeviationLink]
    total: int
    by_category: dict[str, int]
    by_tertial: dict[str, int]
    cause_groups: list[str] = field(default_factory=list)
    trend: RateComparison | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "risk_id": self.risk_id,
            "total": self.total,
            "by_category": self.by_category,
            "by_tertial": self.by_tertial,
            "cause_groups": self.cause_groups,
            "deviation_links": sum(link.deviation_id is not None for link in self.links),
            "trend": self.trend.sentence if self.trend else None,
        }

    as_dict = to_json  # the name the CLI used first
