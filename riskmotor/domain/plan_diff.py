"""What changed between two versions of a plan (a new version, or next year's copy).

Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


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
