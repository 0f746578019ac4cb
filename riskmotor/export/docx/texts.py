"""What both Word documents tell about the risk analysis: who took part, when, how, and
where the group disagreed."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from riskmotor.export.rows import method_in_brief
from riskmotor.export.swedish import counted, date_words, join_swedish, sentence
from riskmotor.reports.export import ExportData


@dataclass(frozen=True)
class ParticipantRow:
    namn: str
    roll: str
    funktion: str


def roles_text(data: ExportData) -> str:
    """'förvaltningschef, avdelningschef (2) och kvalitetsutvecklare'."""
    counts = Counter((p.role or "deltagare").lower() for p in data.participants)
    return join_swedish([f"{r} ({n})" if n > 1 else r for r, n in counts.items()])


def workshop_text(data: ExportData) -> str:
    dates = [date_words(d) for d in data.analysis.workshop_dates]
    if not dates:
        return "vid workshop"
    lead = "vid workshoppar den " if len(dates) > 1 else "vid en workshop den "
    return lead + join_swedish(dates)


def disagreement_text(data: ExportData) -> str:
    """How many risks split the group ('' when none did)."""
    disputed = sum(1 for r in data.risks if r.disagreement)
    if not disputed:
        return ""
    return sentence(
        f"För {counted(disputed, 'risk', 'risker')} skilde sig deltagarnas bedömningar två "
        "steg eller mer. De markerades för särskild diskussion i gruppen."
    )


def method_paragraphs(data: ExportData) -> list[str]:
    texts = [
        f"Riskanalysen genomfördes {workshop_text(data)} av förvaltningens ledningsgrupp. "
        + method_in_brief(data)
    ]
    disputed = disagreement_text(data)
    return [*texts, disputed] if disputed else texts


def participant_rows(data: ExportData) -> list[ParticipantRow]:
    return [ParticipantRow(p.name, p.role, p.function) for p in data.participants]
