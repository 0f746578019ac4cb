"""The audit log (ändringsloggen): reading it with filters, and checking its hash chain."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from riskmotor.domain.audit_chain import ChainBreak, first_break
from riskmotor.domain.models import AuditEntry
from riskmotor.persistence.uow import UnitOfWork

SWEDEN = ZoneInfo("Europe/Stockholm")


@dataclass(frozen=True)
class AuditFilters:
    """What the Ändringslogg page offers to filter on."""

    entities: list[str]
    actors: list[str]


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


def audit_filters(uow: UnitOfWork) -> AuditFilters:
    """The entities and persons that occur in the log."""
    with uow:
        return AuditFilters(uow.audit.entities(), uow.audit.actors())


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
