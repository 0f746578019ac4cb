"""The Ändringslogg as a revisor reads it: Swedish names, formatted values, local time.

The services build these from the raw audit entries (:mod:`riskmotor.services.audit`); the
page, the CSV and the workbook only lay them out, so all three say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# Column headings of the table on the page and of the downloads, in order.
AUDIT_COLUMNS: tuple[str, ...] = (
    "Tid",
    "Vem",
    "Vad",
    "Vilken",
    "Händelse",
    "Ändrat fält",
    "Gammalt värde",
    "Nytt värde",
)


@dataclass(frozen=True)
class AuditLine:
    """One entry: every text already formatted for a reader (never an id or a column name)."""

    entry_id: int
    at: str  # yyyy-mm-dd hh:mm:ss, Swedish time
    actor: str
    entity: str  # what kind of thing, e.g. "Risk", "Egenkontrollplan"
    subject: str  # which one, e.g. the risk's title
    action: str  # skapad, ändrad, borttagen, exporterad, importerad
    field: str  # the field's label, "alla fält" for a created or deleted row
    old: str
    new: str

    def cells(self) -> tuple[str, ...]:
        """The line's texts in the order of :data:`AUDIT_COLUMNS`."""
        return (
            self.at,
            self.actor,
            self.entity,
            self.subject,
            self.action,
            self.field,
            self.old,
            self.new,
        )

    def as_row(self) -> dict[str, str]:
        return dict(zip(AUDIT_COLUMNS, self.cells(), strict=True))


@dataclass(frozen=True)
class EntityChoice:
    """A kind of thing the log can be filtered on: its stored key and its Swedish name."""

    key: str
    label: str


@dataclass(frozen=True)
class AuditQuery:
    """What the reader asked for; ``None`` means no restriction. Dates are Swedish dates,
    both included."""

    analysis_id: int | None = None
    entity: str | None = None
    actor: str | None = None
    since: date | None = None
    until: date | None = None
    limit: int = 1000


@dataclass(frozen=True)
class AuditLogView:
    """The entries that match a query, newest first."""

    query: AuditQuery
    lines: list[AuditLine]

    @property
    def truncated(self) -> bool:
        """True when more entries match than were read (the oldest are left out)."""
        return len(self.lines) >= self.query.limit

    def rows(self) -> list[dict[str, str]]:
        return [line.as_row() for line in self.lines]


@dataclass(frozen=True)
class AuditFilterChoices:
    """What the Ändringslogg offers to filter on: every kind of thing and every person."""

    entities: list[EntityChoice]
    actors: list[str]
