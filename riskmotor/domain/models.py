"""Domain entities of the risk workshop. Pure pydantic, no persistence.

``id`` is ``None`` until a repository has stored the entity; ``version`` is the
optimistic-locking counter the repository checks on every save.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from riskmotor.domain.access import checked_email


class UnitKind(StrEnum):
    KOMMUN = "kommun"
    NAMND = "nämnd"
    FORVALTNING = "förvaltning"
    AVDELNING = "avdelning"
    ENHET = "enhet"


PARENT_KIND: dict[UnitKind, UnitKind | None] = {
    UnitKind.KOMMUN: None,
    UnitKind.NAMND: UnitKind.KOMMUN,
    UnitKind.FORVALTNING: UnitKind.NAMND,
    UnitKind.AVDELNING: UnitKind.FORVALTNING,
    UnitKind.ENHET: UnitKind.AVDELNING,
}


class RiskSource(StrEnum):
    KATALOG = "katalog"
    NY = "ny"
    AVVIKELSE = "avvikelse"
    SIMULERING = "simulering"


class AnalysisStatus(StrEnum):
    PAGAR = "pågår"
    FASTSTALLD = "fastställd"


class Entity(BaseModel):
    model_config = ConfigDict(validate_assignment=True)

    id: int | None = None
    version: int = 0


def _required_text(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("får inte vara tomt")
    return value


class OrgUnit(Entity):
    name: str
    kind: UnitKind
    parent_id: int | None = None

    _name = field_validator("name")(_required_text)


class Participant(Entity):
    analysis_id: int | None = None
    name: str
    role: str = ""
    function: str = ""
    email: str | None = None  # ties a logged-in person to their own votes

    _name = field_validator("name")(_required_text)

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        return checked_email(value) if value and value.strip() else None


class RiskAnalysis(Entity):
    namnd_id: int
    year: int = Field(ge=2000, le=2100)
    title: str
    scale_key: str
    workshop_dates: list[date] = Field(default_factory=list)
    status: AnalysisStatus = AnalysisStatus.PAGAR

    _title = field_validator("title")(_required_text)


class Risk(Entity):
    analysis_id: int
    title: str
    description: str = ""
    process: str = ""
    activity: str = ""
    unit_id: int | None = None
    causes: str = ""
    consequence_description: str = ""
    existing_controls: str = ""
    consequence_areas: list[str] = Field(default_factory=list)
    source: RiskSource = RiskSource.NY
    template_key: str | None = None
    inherent_likelihood: int | None = None
    inherent_consequence: int | None = None
    residual_likelihood: int | None = None
    residual_consequence: int | None = None
    assessment_confirmed: bool = False
    likelihood_evidence_id: int | None = Field(
        default=None, description="the simulation run whose suggestion set the likelihood"
    )

    _title = field_validator("title")(_required_text)


class Vote(Entity):
    risk_id: int
    participant_id: int
    likelihood: int = Field(ge=1)
    consequence: int = Field(ge=1)
    comment: str = ""
    consequence_by_area: dict[str, int] = Field(
        default_factory=dict,
        description="optional per-area consequence; when given, consequence is their maximum",
    )


class Scenario(Entity):
    """A saved capacity scenario (its spec validates as simulation.CapacityScenario)."""

    namnd_id: int
    unit_id: int | None = None
    risk_id: int | None = None
    name: str
    spec: dict[str, Any]

    _name = field_validator("name")(_required_text)


class SimulationRun(Entity):
    """One simulation kept as evidence: the exact scenario, seed and result."""

    scenario_id: int | None = None
    risk_id: int | None = None
    scenario_name: str
    spec: dict[str, Any]
    seed: int
    replications: int
    summary: dict[str, Any]
    backlog_fan: dict[str, list[float]]
    numpy_version: str
    riskmotor_version: str
    created_at: datetime
    created_by: str
    suggested_level: int
    straddles: bool
    suggestion_text: str
    applied: bool = False


class EgenkontrollPlan(Entity):
    """A sampling plan for a set of kontrollmoment, linked to the risk it exists for."""

    namnd_id: int
    year: int = Field(ge=2000, le=2100)
    name: str
    risk_id: int | None = None
    control_keys: list[str] = Field(min_length=1)
    confidence: float = Field(gt=0, lt=1)
    tolerable_rate: float = Field(gt=0, lt=1)
    expected_rate: float = Field(ge=0, lt=1)
    method: str = "binomial"
    population: int | None = Field(default=None, ge=1)
    sample_size: int = Field(ge=1)
    allowed_deviations: int = Field(ge=0)
    reserve_size: int = Field(default=10, ge=0)
    stratify_by_unit: bool = True

    _name = field_validator("name")(_required_text)


class SampleDraw(Entity):
    """One reproducible draw: which list, which seed, which cases (per stratum)."""

    plan_id: int
    period: str
    seed: int
    sample_size: int
    reserve_size: int
    case_list_name: str
    case_list_sha256: str
    population_size: int
    strata: dict[str, dict[str, Any]]
    numpy_version: str
    created_at: datetime
    created_by: str


class SampledCase(Entity):
    draw_id: int
    case_id: str
    stratum: str = ""
    role: str = Field(description="urval or reserv")
    position: int = Field(ge=1, description="order within its stratum and role")
    closed_date: date | None = None
    case_type: str = ""
    handler: str = ""
    person_key: str | None = Field(default=None, description="keyed pseudonym, never the number")


class ChecklistAnswer(Entity):
    draw_id: int
    case_id: str
    control_key: str
    answer: str | None = None
    dropped: bool = False
    comment: str = ""


class Deviation(Entity):
    """One imported deviation report (avvikelse). Free text may hold personal data: it is
    stored but never exported unless the user asks for it."""

    namnd_id: int
    occurred_on: date
    avdelning: str = ""
    enhet: str = ""
    category: str = Field(description="a deviation category key from the catalog")
    category_text: str = Field(default="", description="the category as written in the file")
    reported_to: str = Field(default="", description="IVO, IMY or empty")
    serious: bool = False
    cause: str = ""
    process: str = ""
    description: str = ""
    source_file: str = ""
    source_row: int = 0
    fingerprint: str = Field(description="hash of the row's content; makes re-import idempotent")
    imported_at: datetime


class DeviationLink(Entity):
    """Evidence: a deviation, or a whole root-cause group, linked to a risk."""

    risk_id: int
    deviation_id: int | None = None
    cause_group: str | None = None
    note: str = ""


class AuditEntry(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    at: str
    actor: str
    entity: str
    entity_id: int
    action: str
    field: str
    old: str | None
    new: str | None
