"""The audit log (ändringsloggen): reading it with filters, and checking its hash chain."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from riskmotor.domain.audit_chain import ChainBreak, first_break
from riskmotor.domain.models import AuditEntry
from riskmotor.domain.terms import ACTION_LABELS, ENTITY_LABELS, local_time
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.reports.audit import (
    AuditFilterChoices,
    AuditLine,
    AuditLogView,
    AuditQuery,
    EntityChoice,
)
from riskmotor.reports.audit_format import change_texts
from riskmotor.services.audit_names import NameBook

SWEDEN = ZoneInfo("Europe/Stockholm")


def audit_log(
    uow: UnitOfWork,
    *,
    analysis_id: int | None = None,
    entity: str | None = None,
    entity_id: int | None = None,
    actor: str | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int = 500,
) -> list[AuditEntry]:
    """Entries newest first; ``since`` and ``until`` are Swedish dates, both included."""
    with uow:
        return uow.audit.entries(
            analysis_id=analysis_id,
            entity=entity,
            entity_id=entity_id,
            actor=actor,
            since=_start_of(since) if since else None,
            until=_start_of(until + timedelta(days=1)) if until else None,
            limit=limit,
        )


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=SWEDEN)


def audit_view(uow: UnitOfWork, query: AuditQuery) -> AuditLogView:
    """The Ändringslogg as a reader sees it: Swedish names for every kind of row and field,
    names instead of ids, formatted values and Swedish time; newest first."""
    with uow:
        entries = uow.audit.entries(
            analysis_id=query.analysis_id,
            entity=query.entity,
            actor=query.actor,
            since=_start_of(query.since) if query.since else None,
            until=_start_of(query.until + timedelta(days=1)) if query.until else None,
            limit=query.limit,
        )
        book = NameBook(uow, entries)
        return AuditLogView(query, [_line(book, entry) for entry in entries])


def _line(book: NameBook, entry: AuditEntry) -> AuditLine:
    field, old, new = change_texts(entry.entity, entry.field, entry.old, entry.new, book.name)
    return AuditLine(
        entry_id=entry.id,
        at=local_time(entry.at),
        actor=entry.actor,
        entity=ENTITY_LABELS.get(entry.entity, entry.entity.replace("_", " ").capitalize()),
        subject=book.subject(entry),
        action=ACTION_LABELS.get(entry.action, entry.action),
        field=field,
        old=old,
        new=new,
    )


def audit_filters(uow: UnitOfWork) -> AuditFilterChoices:
    """Every kind of row the log can hold (whether or not it has entries yet), by its Swedish
    name, and every person who has changed something."""
    with uow:
        actors = uow.audit.actors()
    entities = [EntityChoice(key, text) for key, text in ENTITY_LABELS.items()]
    return AuditFilterChoices(sorted(entities, key=lambda e: e.label.casefold()), actors)


@dataclass(frozen=True)
class ChainVerification:
    """What ``riskmotor audit verify`` found."""

    entries: int
    broken: ChainBreak | None

    @property
    def ok(self) -> bool:
        return self.broken is None

    def message(self) -> str:
        if self.broken is None:
            return f"Ändringsloggen är obruten: alla {self.entries} poster stämmer med hashkedjan."
        where = f"post {self.broken.entry_id}" if self.broken.entry_id else "kedjans huvud"
        seq = f" (löpnummer {self.broken.seq})" if self.broken.seq is not None else ""
        return f"Ändringsloggen är bruten vid {where}{seq}: {self.broken.reason}."

    def as_dict(self) -> dict[str, object]:
        data: dict[str, object] = {"entries": self.entries, "ok": self.ok}
        if self.broken is not None:
            data["first_broken"] = {
                "id": self.broken.entry_id,
                "seq": self.broken.seq,
                "reason": self.broken.reason,
            }
            data["message"] = self.message()
        return data


def verify_audit_log(uow: UnitOfWork) -> ChainVerification:
    """Recompute every entry's hash and link, and compare the newest with the chain head."""
    with uow:
        entries, head = uow.audit.chain()
    return ChainVerification(len(entries), first_break(entries, head))
