"""The selection rule of the internkontrollplan: which risks go in, in which order, and why.

Pure: no I/O. The reasons are the Swedish sentences the plan shows beside each risk.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


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
