"""The internkontrollplan: entities, the selection rule, overdue actions and plan diffs.

Pure: no I/O. The services persist these objects and enforce the lifecycle.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from pydantic import Field

from riskmotor.domain.models import Entity


class PlanStatus(StrEnum):
    UTKAST = "utkast"
    FOR_BESLUT = "för beslut"
    FASTSTALLD = "fastställd"


class Strategy(StrEnum):
    ACCEPTERA = "acceptera"
    REDUCERA = "reducera"
    ELIMINERA = "eliminera"
    KONTROLLERA = "kontrollera"


class ActionStatus(StrEnum):
    PLANERAD = "planerad"
    PAGAR = "pågår"
    KLAR = "klar"
    FORSENAD = "försenad"


class FollowupStatus(StrEnum):
    GRON = "grön"
    GUL = "gul"
    ROD = "röd"


CONTROL_METHODS = ["stickprov", "systemuttag", "genomgång", "enkät", "loggkontroll", "intervju"]
FREQUENCIES = ["månad", "tertial", "halvår", "år"]


class ControlPlan(Entity):
    namnd_id: int
    analysis_id: int
    year: int
    plan_version: int = Field(ge=1)
    status: PlanStatus = PlanStatus.UTKAST
    threshold: int = Field(ge=1)
    top_n: int | None = Field(default=None, ge=1)
    decision_date: date | None = None
    paragraf: str = ""
    dnr: str = ""
    based_on_id: int | None = None
    based_on_kind: str = ""
    opinion: str = Field(default="", description="Förvaltningens synpunkter, for the export")
    created_at: datetime


class PlanRisk(Entity):
    plan_id: int
    risk_id: int
    position: int
    risk_value: int | None
    included: bool
    reason: str
    must_include: bool = False
    must_include_reason: str = ""
    override: bool | None = Field(default=None, description="manual in (True) or out (False)")
    override_motivation: str = ""
    strategy: Strategy | None = None
    target_likelihood: int | None = None
    target_consequence: int | None = None


class PlanControl(Entity):
    plan_risk_id: int
    control_activity: str = Field(min_length=1)
    control_method: str
    frequency: str
    responsible: str = ""
    reported_to: str = ""
    timing: str = ""
    egenkontroll_plan_id: int | None = None


class PlanAction(Entity):
    plan_risk_id: int
    what: str = Field(min_length=1)
    owner: str = ""
    due_date: date | None = None
    status: ActionStatus = ActionStatus.PLANERAD
    expected_effect: str = ""


class ControlFollowup(Entity):
    plan_control_id: int
    period: str
    result: str = ""
    share: float | None = None
    status: FollowupStatus
    comment: str = ""
    source: str = "manuell"


class RiskFollowup(Entity):
    plan_risk_id: int
    period: str
    residual_likelihood: int
    residual_consequence: int
    comment: str = ""


# selection -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    risk_id: int
    title: str
    risk_value: int | None
    likelihood: int | None
    consequence: int | None


@dataclass(frozen=True)
class Decision:
    included: bool
    motivation: str


@dataclass(frozen=True)
class Selection:
    candidate: Candidate
    position: int
    included: bool
    reason: str


def selection_order(candidate: Candidate) -> tuple[int, int, int, str, int]:
    """Highest risk value first; ties broken by higher konsekvens, then higher sannolikhet,
    then title (alphabetical) and id, so the same risks always come out in the same order."""
    return (
        -(candidate.risk_value or 0),
        -(candidate.consequence or 0),
        -(candidate.likelihood or 0),
        candidate.title.casefold(),
        candidate.risk_id,
    )


def select_risks(
    candidates: Iterable[Candidate],
    threshold: int,
    *,
    top_n: int | None = None,
    must_include: Mapping[int, str] | None = None,
    overrides: Mapping[int, Decision] | None = None,
) -> list[Selection]:
    """Apply the selection rule and give every risk a reason, in a deterministic order."""
    must = must_include or {}
    manual = overrides or {}
    ordered = sorted(candidates, key=selection_order)
    above = [c for c in ordered if c.risk_value is not None and c.risk_value >= threshold]
    within_top = {c.risk_id for c in (above[:top_n] if top_n else above)}
    return [
        Selection(c, position, *_decide(c, threshold, top_n, within_top, must, manual))
        for position, c in enumerate(ordered, start=1)
    ]


def _decide(
    candidate: Candidate,
    threshold: int,
    top_n: int | None,
    within_top: set[int],
    must: Mapping[int, str],
    manual: Mapping[int, Decision],
) -> tuple[bool, str]:
    value = candidate.risk_value
    if candidate.risk_id in manual:
        decision = manual[candidate.risk_id]
        verdict = "Ingår" if decision.included else "Ingår ej"
        return decision.included, f"{verdict} (manuellt beslut): {decision.motivation}"
    if candidate.risk_id in must:
        return True, f"Ingår: obligatoriskt kontrollområde – {must[candidate.risk_id]}"
    if value is None:
        return False, "Ingår ej: risken är inte bedömd"
    if value < threshold:
        return False, f"Ingår ej: riskvärde {value} < {threshold} – hanteras i verksamheten"
    if candidate.risk_id not in within_top:
        return False, (
            f"Ingår ej: riskvärde {value} ≥ tröskel {threshold} men utanför de {top_n} högsta "
            "– hanteras i verksamheten"
        )
    return True, f"Ingår: riskvärde {value} ≥ tröskel {threshold}"


def is_overdue(action: PlanAction, today: date) -> bool:
    return (
        action.status != ActionStatus.KLAR
        and action.due_date is not None
        and action.due_date < today
    )


# diffs ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanItem:
    """What a diff compares for one risk: its title, value, inclusion and controls."""

    title: str
    risk_value: int | None
    included: bool
    controls: frozenset[str]


@dataclass(frozen=True)
class PlanDiff:
    new: list[str]
    removed: list[str]
    changed: list[tuple[str, list[str]]]

    @property
    def empty(self) -> bool:
        return not (self.new or self.removed or self.changed)


def diff_plans(before: Iterable[PlanItem], after: Iterable[PlanItem]) -> PlanDiff:
    """New, removed and changed risks of the plan (only included risks count as 'in')."""
    old = {item.title: item for item in before if item.included}
    new = {item.title: item for item in after if item.included}
    changed = []
    for title in sorted(old.keys() & new.keys()):
        notes = _changes(old[title], new[title])
        if notes:
            changed.append((title, notes))
    return PlanDiff(sorted(new.keys() - old.keys()), sorted(old.keys() - new.keys()), changed)


def _changes(old: PlanItem, new: PlanItem) -> list[str]:
    notes = []
    if old.risk_value != new.risk_value:
        notes.append(f"riskvärde {old.risk_value} → {new.risk_value}")
    notes += [f"nytt kontrollmoment: {c}" for c in sorted(new.controls - old.controls)]
    notes += [f"borttaget kontrollmoment: {c}" for c in sorted(old.controls - new.controls)]
    return notes
