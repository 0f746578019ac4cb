"""Counting reports: per category, shares, reporting to IVO/IMY, the cross table and the
most common root causes (SOSFS 2011:9 5 kap. 6 §)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from riskmotor.domain.catalog import DeviationCategory
from riskmotor.domain.deviations.text import fold, swedish_sort_key
from riskmotor.domain.models import Deviation


def count_by_category(deviations: Iterable[Deviation], keys: Sequence[str]) -> dict[str, int]:
    """Reports per category key, every key present (zero when none)."""
    counted = Counter(d.category for d in deviations)
    return {key: counted.get(key, 0) for key in keys}


def deviation_count(counts: Mapping[str, int], categories: Sequence[DeviationCategory]) -> int:
    """Reports judged to be deviations: every category except those with is_deviation false."""
    return sum(counts.get(c.key, 0) for c in categories if c.is_deviation)


def category_shares(
    counts: Mapping[str, int], categories: Sequence[DeviationCategory]
) -> dict[str, float | None]:
    """Each deviation category's share of the deviations (so "ej avvikelse" is left out)."""
    total = deviation_count(counts, categories)
    return {
        c.key: (counts.get(c.key, 0) / total if total else None)
        for c in categories
        if c.is_deviation
    }


def reported_share(deviations: Iterable[Deviation], category: DeviationCategory) -> float | None:
    """Share of a category's reports sent to its authority (lex Sarah → IVO, PUI → IMY)."""
    of_category = [d for d in deviations if d.category == category.key]
    if not of_category or not category.reported_to:
        return None
    sent = sum(d.reported_to == category.reported_to for d in of_category)
    return sent / len(of_category)


@dataclass(frozen=True)
class CrossRow:
    """One row of the cross table: an avdelning's subtotal, one of its enheter, or the total."""

    level: str  # "avdelning", "enhet" or "totalt"
    avdelning: str
    enhet: str
    counts: dict[str, int]
    total: int

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        return {**{k: v for k, v in data.items() if k != "counts"}, **self.counts}


def cross_table(deviations: Sequence[Deviation], keys: Sequence[str]) -> list[CrossRow]:
    """Category × avdelning and enhet with totals — the shape of Norrtälje's Figur 5.1.

    Each avdelning's row (its subtotal) is followed by one row per enhet in it; the last row
    is the total of all reports.
    """
    by_avdelning: dict[str, list[Deviation]] = {}
    for deviation in deviations:
        by_avdelning.setdefault(deviation.avdelning, []).append(deviation)
    rows: list[CrossRow] = []
    for avdelning in sorted(by_avdelning, key=swedish_sort_key):
        members = by_avdelning[avdelning]
        rows.append(_cross_row("avdelning", avdelning, "", members, keys))
        for enhet in sorted({d.enhet for d in members}, key=swedish_sort_key):
            in_enhet = [d for d in members if d.enhet == enhet]
            rows.append(_cross_row("enhet", avdelning, enhet, in_enhet, keys))
    rows.append(_cross_row("totalt", "", "", deviations, keys))
    return rows


def _cross_row(
    level: str, avdelning: str, enhet: str, members: Sequence[Deviation], keys: Sequence[str]
) -> CrossRow:
    counts = count_by_category(members, keys)
    return CrossRow(level, avdelning, enhet, counts, sum(counts.values()))


def in_cell(
    deviation: Deviation, avdelning: str | None, enhet: str | None, category: str | None
) -> bool:
    """Whether a report is counted in a cell of the cross table (None: any value)."""
    return (
        (avdelning is None or deviation.avdelning == avdelning)
        and (enhet is None or deviation.enhet == enhet)
        and (category is None or deviation.category == category)
    )


@dataclass(frozen=True)
class CauseCount:
    cause: str
    count: int
    share: float


def same_cause(deviation: Deviation, cause_group: str) -> bool:
    """A root-cause group is every report whose cause reads the same (case and spaces aside)."""
    return bool(deviation.cause) and fold(deviation.cause) == fold(cause_group)


def top_causes(deviations: Sequence[Deviation], limit: int | None = 10) -> list[CauseCount]:
    """The most common root causes; the share is of all reports with a cause given."""
    spelled: dict[str, Counter[str]] = {}
    for deviation in deviations:
        if deviation.cause:
            spelled.setdefault(fold(deviation.cause), Counter())[deviation.cause] += 1
    with_cause = sum(sum(c.values()) for c in spelled.values())
    ranked = sorted(
        spelled.values(), key=lambda c: (-sum(c.values()), swedish_sort_key(c.most_common(1)[0][0]))
    )
    return [
        CauseCount(c.most_common(1)[0][0], sum(c.values()), sum(c.values()) / with_cause)
        for c in ranked[:limit]
    ]
