"""The frozen content of a plan version: what the nämnd receives för beslut and adopts.

When a plan goes för beslut, and again when it is fastställd, everything the plan shows is
stored as :class:`PlanContent` in canonical JSON with its SHA-256. A version that is för
beslut or fastställd is rendered from this content only, so later changes to the risk
analysis cannot change what the nämnd decided on. A package can be rendered from the same
content and carry the same hash.

The decision itself (status, date, §, dnr) is deliberately *not* part of the hashed
content: the package the nämnd receives before the meeting and the adopted version must
have the same content hash. The decision is stored beside the content, on the snapshot row.

Besides the plan itself, the content holds the sections of the decision package that are
not part of the plan but were read live before (:class:`FrozenSections`): the egenkontroll
sampling results, the simulation evidence, the diff against the earlier version, the
deviation summary and the workshop dates, as they stood when the plan went för beslut.

Canonical JSON: keys sorted, no insignificant whitespace, UTF-8 text kept as is, dates as
ISO 8601 strings, no NaN or infinity. Floats (the scale's probability bands, sampling
figures and deviation shares) are written with Python's shortest round-trip repr, so the
same content always gives the same bytes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel, ConfigDict

from riskmotor.domain.catalog import Scale
from riskmotor.domain.deviations import CauseCount, CrossRow
from riskmotor.domain.models import EgenkontrollPlan
from riskmotor.domain.plan import PlanAction, PlanControl, PlanRisk
from riskmotor.domain.plan_diff import PlanDiff
from riskmotor.reports.egenkontroll import DrawEvaluation
from riskmotor.reports.risks import RiskView

# Bumped when the shape of the content changes, so an old snapshot is read as it was written.
# 2: the package sections beside the plan (``sections``) are frozen too.
CONTENT_FORMAT = 2


@dataclass(frozen=True)
class SamplingResult:
    """One egenkontroll sampling plan and the evaluation of each of its draws."""

    plan: EgenkontrollPlan
    risk_title: str
    evaluations: list[DrawEvaluation]


@dataclass(frozen=True)
class DeviationSummary:
    """The year's deviation reports as counts and shares; never their free text."""

    total: int
    deviations: int
    by_category: dict[str, int]
    shares: dict[str, float | None]
    ivo_share: float | None
    imy_share: float | None
    table: list[CrossRow]


@dataclass(frozen=True)
class Evidence:
    """A simulation run a risk's likelihood rests on, as the documents cite it."""

    risk_title: str
    scenario_name: str
    replications: int
    seed: int
    run_on: date
    suggestion_text: str


class FrozenParticipant(BaseModel):
    """A workshop participant as the plan names them."""

    model_config = ConfigDict(frozen=True)

    name: str
    role: str = ""
    function: str = ""


class FrozenRisk(BaseModel):
    """One risk of the plan: the plan's decision, the scored risk, controls and actions."""

    plan_risk: PlanRisk
    risk: RiskView
    controls: list[PlanControl]
    actions: list[PlanAction]


class FrozenSections(BaseModel):
    """The sections of the decision package beside the plan, as they stood when frozen:
    the read models the export shows (``riskmotor.reports.export.ExportData``)."""

    sampling: list[SamplingResult]
    evidence: list[Evidence]
    plan_diff: PlanDiff | None
    deviation_summary: DeviationSummary | None
    top_causes: list[CauseCount]
    workshop_dates: list[date]


class PlanContent(BaseModel):
    """Everything a plan version shows, except the decision about it."""

    format: int = CONTENT_FORMAT
    namnd_id: int
    namnd: str
    year: int
    plan_version: int
    threshold: int
    top_n: int | None
    opinion: str
    based_on_id: int | None
    based_on_kind: str
    analysis_id: int
    analysis_title: str
    scale: Scale
    participants: list[FrozenParticipant]
    risks: list[FrozenRisk]
    # None in content frozen before format 2: those sections are then rendered live.
    sections: FrozenSections | None = None


def canonical_json(data: object) -> str:
    """``data`` (JSON-ready: dicts, lists, str, int, float, bool, None) as canonical JSON."""
    return json.dumps(
        data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    )


def content_json(content: PlanContent) -> str:
    return canonical_json(content.model_dump(mode="json"))


def sha256_of(text: str) -> str:
    """The SHA-256 (hex) of canonical JSON text, as stored and as written in a manifest."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def content_sha256(content: PlanContent) -> str:
    return sha256_of(content_json(content))


def parse_content(text: str) -> PlanContent:
    return PlanContent.model_validate_json(text)


def is_canonical(text: str) -> bool:
    """Whether stored content is exactly the canonical form of itself (nothing edited by hand
    in a way that keeps it parseable but changes the bytes)."""
    return canonical_json(json.loads(text)) == text


# What a decision-maker would notice: ids, lock versions, positions and action progress
# (follow-up, which continues after adoption) do not count as a change of the plan.
_IGNORED = {
    "plan_risk": {"id", "version", "plan_id", "position"},
    "risk": {"version"},
    "controls": {"id", "version", "plan_risk_id"},
    "actions": {"id", "version", "plan_risk_id", "status"},
}


def risk_signature(item: FrozenRisk) -> str:
    """A comparable form of one plan risk, equal for two versions that show the same thing."""
    data = item.model_dump(mode="json")
    signature = {
        "plan_risk": _without(data["plan_risk"], _IGNORED["plan_risk"]),
        "risk": _without(data["risk"], _IGNORED["risk"]),
        "controls": sorted(
            canonical_json(_without(c, _IGNORED["controls"])) for c in data["controls"]
        ),
        "actions": sorted(
            canonical_json(_without(a, _IGNORED["actions"])) for a in data["actions"]
        ),
    }
    return canonical_json(signature)


def _without(values: dict[str, object], keys: set[str]) -> dict[str, object]:
    return {k: v for k, v in values.items() if k not in keys}
