"""The audit trail (ändringsloggen), written in the same transaction as the change.

- An update is one entry per changed field; a create or a delete is one entry per row
  with every field (``field`` is :data:`ALL_FIELDS`, the values as JSON). A delete also
  records, before the database cascades, every row the cascade removes and every reference
  it sets to NULL, found from the foreign keys on ``Base.metadata``.
- The time of an entry comes from the database server (``now()``), not the client.
- Entries are hash-chained (``riskmotor.domain.audit_chain``). The first entry of a
  transaction locks the chain head row (``audit_chain``; an UPDATE takes the row lock on
  PostgreSQL and the write lock on SQLite), so concurrent writers append one after the
  other; the head is moved on commit.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Table, event, func, inspect, select, update
from sqlalchemy.orm import Session

from riskmotor.domain.audit_chain import ChainEntry, entry_hash
from riskmotor.domain.models import AuditEntry
from riskmotor.persistence.orm import AuditChainRow, AuditRow, Base
from riskmotor.persistence.read_access import ALL_AUDIT_ENTRIES

ALL_FIELDS = "*"
HEAD_ID = 1


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=_json_default)


def _json_default(value: Any) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _aware(at: datetime) -> datetime:
    """SQLite keeps no zone; what it stores is UTC (the server's CURRENT_TIMESTAMP)."""
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at


def row_values(row: Base) -> dict[str, Any]:
    """Every mapped column of an ORM row, by attribute name."""
    return {attr.key: getattr(row, attr.key) for attr in inspect(row).mapper.column_attrs}


class AuditTrail:
    """Appends hash-chained entries to the audit log inside the session's transaction."""

    def __init__(self, session: Session, actor: str) -> None:
        self.session = session
        self.actor = actor
        self._head: tuple[int, str] | None = None  # (seq, hash) while the head is locked
        self._at: datetime | None = None
        self._moved = False
        event.listen(session, "before_commit", self._seal)
        event.listen(session, "after_commit", self._forget)
        event.listen(session, "after_rollback", self._forget)

    # writing -------------------------------------------------------------------------
    def record(
        self,
        entity: str,
        entity_id: int,
        analysis_id: int | None,
        action: str,
        field: str,
        old: Any = None,
        new: Any = None,
    ) -> None:
        seq, prev, at = self._next()
        entry = ChainEntry(
            seq, prev, at, self.actor, entity, entity_id, analysis_id, action, field,
            _as_text(old), _as_text(new),
        )  # fmt: skip
        digest = entry_hash(entry)
        self.session.add(
            AuditRow(
                at=at,
                actor=self.actor,
                entity=entity,
                entity_id=entity_id,
                analysis_id=analysis_id,
                action=action,
                field=field,
                old=entry.old,
                new=entry.new,
                seq=seq,
                prev_hash=prev,
                entry_hash=digest,
            )
        )
        self._head = (seq, digest)
        self._moved = True

    def record_created(self, entity: str, row: Base, analysis_id: int | None) -> None:
        """A new row, every field."""
        values = row_values(row)
        self.record(entity, values["id"], analysis_id, "create", ALL_FIELDS, None, values)

    def record_deleted(self, entity: str, row: Base, analysis_id: int | None) -> None:
        """A row about to be deleted, every field, after the rows its delete cascades to."""
        values = row_values(row)
        table = inspect(row).mapper.local_table
        assert isinstance(table, Table)  # every mapped class here maps one table
        self._record_cascade(table, values["id"], analysis_id)
        self.record(entity, values["id"], analysis_id, "delete", ALL_FIELDS, values, None)

    def _record_cascade(self, table: Table, key: int, analysis_id: int | None) -> None:
        """Record what the database's ON DELETE rules will do to rows referring to ``key``."""
        for child in table.metadata.tables.values():
            for foreign_key in child.foreign_keys:
                if foreign_key.column.table is not table or foreign_key.ondelete not in (
                    "CASCADE",
                    "SET NULL",
                ):
                    continue
                query = select(child).where(foreign_key.parent == key).order_by(*child.primary_key)
                for found in self.session.execute(query).mappings().all():
                    values = dict(found)
                    child_analysis = values.get("analysis_id", analysis_id)
                    if foreign_key.ondelete == "SET NULL":
                        self.record(
                            child.name, values["id"], child_analysis, "update",
                            foreign_key.parent.name, key, None,
                        )  # fmt: skip
                        continue
                    self._record_cascade(child, values["id"], child_analysis)
                    self.record(
                        child.name, values["id"], child_analysis, "delete", ALL_FIELDS,
                        values, None,
                    )  # fmt: skip

    def record_batch(
        self,
        entity: str,
        entity_id: int,
        action: str,
        summary: Mapping[str, Any],
        at: datetime | None = None,
    ) -> None:
        """One entry for a whole batch (an import of thousands of rows, a draw, an export).

        ``summary`` says what the batch was (file name, SHA-256 of the file) and what it did
        (counts); it is stored as JSON in ``new`` with ``field`` set to ``action``. ``at`` is
        accepted for older callers and not used: the time comes from the database server.
        """
        del at
        self.record(entity, entity_id, None, action, action, None, dict(summary))

    # the chain head ------------------------------------------------------------------
    def _next(self) -> tuple[int, str, datetime]:
        if self._head is None or self._at is None:
            self._lock_head()
        assert self._head is not None and self._at is not None
        seq, prev = self._head
        return seq + 1, prev, self._at

    def _lock_head(self) -> None:
        # The no-op UPDATE takes the lock before the head is read: a row lock on
        # PostgreSQL, the database write lock on SQLite. Both are held until commit.
        self.session.execute(
            update(AuditChainRow)
            .where(AuditChainRow.id == HEAD_ID)
            .values(seq=AuditChainRow.seq)
            .execution_options(synchronize_session=False)
        )
        head = self.session.execute(
            select(AuditChainRow.seq, AuditChainRow.entry_hash, func.now()).where(
                AuditChainRow.id == HEAD_ID
            )
        ).first()
        if head is None:
            raise RuntimeError("audit_chain has no head row: the database is not migrated")
        self._head = (head[0], head[1])
        self._at = head[2]

    def _seal(self, _session: Session) -> None:
        if self._moved and self._head is not None:
            seq, digest = self._head
            self.session.execute(
                update(AuditChainRow)
                .where(AuditChainRow.id == HEAD_ID)
                .values(seq=seq, entry_hash=digest)
                .execution_options(synchronize_session=False)
            )

    def _forget(self, _session: Session, *_: object) -> None:
        self._head, self._at, self._moved = None, None, False

    # reading -------------------------------------------------------------------------
    def head_seq(self) -> int:
        """The newest committed entry's sequence number (0 before the first)."""
        seq = self.session.scalar(select(AuditChainRow.seq).where(AuditChainRow.id == HEAD_ID))
        return int(seq or 0)

    def entries(
        self,
        *,
        analysis_id: int | None = None,
        entity: str | None = None,
        entity_id: int | None = None,
        actor: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 500,
    ) -> list[AuditEntry]:
        """Newest first; ``since`` inclusive, ``until`` exclusive."""
        query = select(AuditRow).order_by(AuditRow.id.desc()).limit(limit)
        if analysis_id is not None:
            query = query.where(AuditRow.analysis_id == analysis_id)
        if entity is not None:
            query = query.where(AuditRow.entity == entity)
        if entity_id is not None:
            query = query.where(AuditRow.entity_id == entity_id)
        if actor is not None:
            query = query.where(AuditRow.actor == actor)
        if since is not None:
            query = query.where(AuditRow.at >= since)
        if until is not None:
            query = query.where(AuditRow.at < until)
        return [
            AuditEntry(
                id=row.id,
                at=_aware(row.at).isoformat(timespec="seconds"),
                actor=row.actor,
                entity=row.entity,
                entity_id=row.entity_id,
                action=row.action,
                field=row.field,
                old=row.old,
                new=row.new,
            )
            for row in self.session.scalars(query)
        ]

    def actors(self) -> list[str]:
        return list(
            self.session.scalars(select(AuditRow.actor).distinct().order_by(AuditRow.actor))
        )

    def entities(self) -> list[str]:
        return list(
            self.session.scalars(select(AuditRow.entity).distinct().order_by(AuditRow.entity))
        )

    def chain(self) -> tuple[list[tuple[int, ChainEntry | None, str | None]], tuple[int, str]]:
        """Every entry in chain order (entries without a seq first) and the recorded head."""
        # Every entry, also those the identity may not read: the check returns only a
        # count and the position of a break (see riskmotor.persistence.read_access).
        rows = self.session.scalars(
            select(AuditRow)
            .order_by(AuditRow.seq.is_not(None), AuditRow.seq, AuditRow.id)
            .execution_options(**{ALL_AUDIT_ENTRIES: True})
        )
        entries = [
            (
                row.id,
                None
                if row.seq is None or row.prev_hash is None
                else ChainEntry(
                    row.seq,
                    row.prev_hash,
                    row.at,
                    row.actor,
                    row.entity,
                    row.entity_id,
                    row.analysis_id,
                    row.action,
                    row.field,
                    row.old,
                    row.new,
                ),
                row.entry_hash,
            )
            for row in rows
        ]
        head = self.session.get(AuditChainRow, HEAD_ID)
        return entries, (head.seq, head.entry_hash) if head else (0, "")
