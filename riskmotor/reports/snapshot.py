"""The frozen content of a plan version: what the nämnd receives för beslut and adopts.

When a plan goes för beslut, and again when it is fastställd, everything the plan shows is
stored as :class:`PlanContent` in canonical JSON with its SHA-256. A version that is för
beslut or fastställd is rendered from this content only, so later changes to the risk
analysis cannot change what the nämnd decided on. A package can be rendered from the same
content and carry the same hash.

The decision itself (status, date, §, dnr) is deliberately *not* part of the hashed
content: the package the nämnd receives before the meeting and the adopted version must
have the same content hash. The decision is stored beside the content, on the snapshot row.

Canonical JSON: keys sorted, no insignificant whitespace, UTF-8 text kept as is, dates as
ISO 8601 strings, no NaN or infinity. The only floats are the scale's probability bands,
written from the catalog's decimal values with Python's shortest round-trip repr, so the
same content always gives the same bytes.
"""

from __future__ import annotations

import hashlib
import json

from pydantic import BaseModel, ConfigDict

from riskmotor.domain.catalog import Scale
from riskmotor.domain.plan import PlanAction, PlanControl, PlanRisk
from riskmotor.reports.risks import RiskView

# Bumped when the shape of the content changes, so an old snapshot is read as it was written.
CONTENT_FORMAT = 1


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
