"""The egenkontroll checklist's shape: sheets, headers, what is written and what is read back.

Shared by the writer (:mod:`riskmotor.export.xlsx.checklist`) and the reader
(:mod:`riskmotor.export.xlsx.checklist_reading`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from riskmotor.domain.catalog import applies_to_case_type
from riskmotor.errors import InvalidInputError
from riskmotor.imports import normalise_header

Answer = Literal["ja", "nej", "ej_tillämplig"]
SheetName = Literal["Stickprov", "Reserv"]

PLAN_SHEET = "Plan"
SAMPLE_SHEET: SheetName = "Stickprov"
RESERVE_SHEET: SheetName = "Reserv"
CONTROLS_SHEET = "Kontrollmoment"

ORDER_HEADER = "Ordning"
CASE_ID_HEADER = "Ärende-id"
DROPPED_HEADER = "Bortfall"
COMMENT_HEADER = "Kommentar"
CASE_TYPE_HEADER = "Ärendetyp"
CASE_HEADERS = (
    CASE_ID_HEADER,
    "Enhet",
    "Avslutad",
    CASE_TYPE_HEADER,
    "Handläggare",
    DROPPED_HEADER,
)
# Narrow enough that the id, the facts, three questions and Kommentar fit A4 landscape.
CASE_WIDTHS = (15, 16, 11, 19, 14, 9)  # Ärendetyp holds "Förhandsbedömning" unbroken
NOT_APPLICABLE = "Ej tillämplig"
ANSWER_CHOICES = ("Ja", "Nej", NOT_APPLICABLE)
MAX_LISTED_ERRORS = 20
DEFAULT_FILENAME = "checklista.xlsx"


class ChecklistError(InvalidInputError):
    """The checklist could not be read; ``errors`` lists every problem, nothing was stored."""

    def __init__(self, errors: Sequence[str]) -> None:
        self.errors = list(errors)
        listed = [f"- {error}" for error in self.errors[:MAX_LISTED_ERRORS]]
        if len(self.errors) > MAX_LISTED_ERRORS:
            listed.append(f"- … och {len(self.errors) - MAX_LISTED_ERRORS} fel till")
        super().__init__(
            f"Checklistan kunde inte läsas in ({len(self.errors)} fel). Inget har sparats.\n"
            + "\n".join(listed)
        )


# --- what is written ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChecklistPlan:
    """The sampling plan as shown on the cover sheet; rates are fractions (0.05 = 5 %)."""

    title: str
    namnd: str
    period: str
    confidence: float
    tolerable_rate: float
    expected_rate: float
    method: str
    sample_size: int
    allowed_deviations: int
    seed: int
    population_size: int
    strata: Mapping[str, tuple[int, int]]  # stratum (enhet) -> (population, n)
    numpy_version: str
    case_list_sha256: str
    created_at: datetime

    @property
    def total_sample(self) -> int:
        """The cases drawn in all strata together; ``sample_size`` is per stratum."""
        return sum(size for _, size in self.strata.values())


@dataclass(frozen=True, slots=True)
class ChecklistCase:
    """One case to review. Deliberately without any personnummer or pseudonym field."""

    case_id: str
    stratum: str
    closed_date: date | None
    case_type: str
    handler: str


@dataclass(frozen=True, slots=True)
class ChecklistControl:
    """A kontrollmoment: one answer column, headed by ``name``, asking ``question`` of the
    cases whose ärendetyp matches ``applies_to`` (of every case when it is empty)."""

    key: str
    name: str
    question: str
    applies_to: tuple[str, ...] = ()

    def applies(self, case_type: str | None) -> bool:
        return applies_to_case_type(self.applies_to, case_type or "")

    @property
    def applies_to_text(self) -> str:
        return ", ".join(self.applies_to) if self.applies_to else "alla ärendetyper"


# --- what is read back --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CaseAnswers:
    """The reviewer's answers for one case. An answer of None means not reviewed yet."""

    case_id: str
    sheet: SheetName
    row: int
    order: int | None  # position in the reserve list; None on Stickprov
    dropped: bool  # bortfall: the file is missing or cannot be reviewed
    answers: dict[str, Answer | None]  # control key -> answer
    comment: str | None


@dataclass(frozen=True, slots=True)
class ChecklistAnswers:
    """All answers of a checklist file; ``reserve`` is in the order the cases must be used."""

    sample: list[CaseAnswers]
    reserve: list[CaseAnswers]
    sha256: str


def check_control_names(controls: Sequence[ChecklistControl]) -> None:
    """Control names become headers, so they must differ from each other and the case columns."""
    taken = {normalise_header(name) for name in (ORDER_HEADER, *CASE_HEADERS, COMMENT_HEADER)}
    for control in controls:
        name = normalise_header(control.name)
        if not name or name in taken:
            raise ValueError(f"control name {control.name!r} is empty or used twice as a header")
        taken.add(name)
