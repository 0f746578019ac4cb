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
from riskmotor.domain.terms import ANSWER_LABELS, EXPORT_LABELS, label
from riskmotor.errors import InvalidInputError
from riskmotor.imports import normalise_header

Answer = Literal["ja", "nej", "ej_tillämplig"]
SheetName = Literal["Stickprov", "Reserv"]

PLAN_SHEET = "Plan"
SAMPLE_SHEET: SheetName = "Stickprov"
RESERVE_SHEET: SheetName = "Reserv"
CONTROLS_SHEET = EXPORT_LABELS["control_activity"]

ORDER_HEADER = "Ordning"
CASE_ID_HEADER = "Ärende-id"
DROPPED_HEADER = EXPORT_LABELS["dropped"]
COMMENT_HEADER = label("comment")
CASE_TYPE_HEADER = "Ärendetyp"
CASE_HEADERS = (
    CASE_ID_HEADER,
    label("unit"),
    "Avslutad",
    CASE_TYPE_HEADER,
    "Handläggare",
    DROPPED_HEADER,
)
# Narrow enough that the id, the facts, three questions and Kommentar fit A4 landscape.
CASE_WIDTHS = (15, 16, 11, 19, 14, 9)  # Ärendetyp holds "Förhandsbedömning" unbroken
NOT_APPLICABLE = ANSWER_LABELS["ej_tillämplig"]
ANSWER_CHOICES = tuple(ANSWER_LABELS.values())  # Ja, Nej, Ej tillämplig
DROPPED_CHOICES = (ANSWER_LABELS["ja"], ANSWER_LABELS["nej"])
MAX_LISTED_ERRORS = 20
DEFAULT_FILENAME = "checklista.xlsx"

# Cover ("Plan") labels that are read back by :mod:`riskmotor.export.xlsx.checklist_facts`.
NAMND_LABEL = label("namnd")
PERIOD_LABEL = EXPORT_LABELS["period"]
METHOD_LABEL = EXPORT_LABELS["evaluation_method"]
CONFIDENCE_LABEL = EXPORT_LABELS["confidence"]
TOLERABLE_LABEL = EXPORT_LABELS["tolerable_rate"]
SEED_LABEL = "Frö (seed)"
CASE_LIST_LABEL = "Ärendelistans kontrollsumma (SHA-256)"
DRAW_ID_LABEL = "Urvalets nummer i databasen"
STRATUM_HEADER = "Stratum (enhet)"
NO_STRATUM = "(ingen enhet)"  # the cover's name for the stratum without a unit ("")
TOTAL_ROW = "Totalt"
WHOLE_LIST = "hela ärendelistan"
KEY_HEADER = "Nyckel"


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
    draw_id: int | None = None  # the stored draw, so the checklist can be matched to it

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


@dataclass(frozen=True, slots=True)
class ChecklistFacts:
    """What a checklist file says about its draw: enough to evaluate it without a database
    and to find the stored draw it belongs to. Rates are fractions; ``period`` is the label
    (``2027-T1``) or empty for the whole list.
    """

    namnd: str
    period: str
    method: str
    confidence: float
    tolerable_rate: float
    seed: int
    case_list_sha256: str
    draw_id: int | None
    strata: dict[str, tuple[int, int]]  # stratum -> (population, n)
    control_keys: list[str]
    stratum_of: dict[str, str]  # case id -> its stratum, for every listed case

    def census(self, stratum: str) -> bool:
        """Whether the stratum was drawn in full (every case on the list)."""
        population, size = self.strata[stratum]
        return size >= population


def check_control_names(controls: Sequence[ChecklistControl]) -> None:
    """Control names become headers, so they must differ from each other and the case columns."""
    taken = {normalise_header(name) for name in (ORDER_HEADER, *CASE_HEADERS, COMMENT_HEADER)}
    for control in controls:
        name = normalise_header(control.name)
        if not name or name in taken:
            raise ValueError(f"control name {control.name!r} is empty or used twice as a header")
        taken.add(name)
