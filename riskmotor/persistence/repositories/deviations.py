"""Deviation reports (bulk imported) and their links to risks."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import select, text

from riskmotor.domain.deviations import DeviationRecord
from riskmotor.domain.models import Deviation, DeviationLink
from riskmotor.persistence.bulk import insert_rows
from riskmotor.persistence.orm import DeviationLinkRow, DeviationRow
from riskmotor.persistence.repositories.base import Repository, analysis_of_risk

# First key of the PostgreSQL advisory lock that serialises deviation imports per nämnd.
_IMPORT_LOCK = 17_001


class DeviationRepository(Repository[Deviation, DeviationRow]):
    entity = "deviation"
    domain_type = Deviation
    row_type = DeviationRow
    summary_field = "category"

    def for_namnd(
        self, namnd_id: int, start: date | None = None, end: date | None = None
    ) -> list[Deviation]:
        query = select(DeviationRow).where(DeviationRow.namnd_id == namnd_id)
        if start is not None:
            query = query.where(DeviationRow.occurred_on >= start)
        if end is not None:
            query = query.where(DeviationRow.occurred_on <= end)
        return self._all(query.order_by(DeviationRow.occurred_on, DeviationRow.id))

    def fingerprints(self, namnd_id: int) -> set[str]:
        query = select(DeviationRow.fingerprint).where(DeviationRow.namnd_id == namnd_id)
        return set(self.session.scalars(query))

    def lock_for_import(self, namnd_id: int) -> None:
        """Make imports into one nämnd wait for each other; call first in the transaction.

        Two imports of the same file then see each other's reports as duplicates instead of
        colliding on the unique fingerprint. SQLite: take the write lock now (``BEGIN
        IMMEDIATE``), so the fingerprints read next are current. PostgreSQL: an advisory
        lock on the nämnd, held until the transaction ends.
        """
        connection = self.session.connection()
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        elif connection.dialect.name == "postgresql":
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:kind, :namnd)"),
                {"kind": _IMPORT_LOCK, "namnd": namnd_id},
            )

    def add_records(
        self,
        records: Iterable[DeviationRecord],
        *,
        namnd_id: int,
        source_file: str,
        imported_at: datetime,
    ) -> int:
        """Insert many reports with one compiled Core ``insert()`` and ``executemany`` in
        chunks; returns how many.

        No ORM object and no audit row per report: the caller records one audit entry for
        the batch (:meth:`AuditTrail.record_batch`). See :func:`insert_rows`.
        """
        return insert_rows(
            self.session.connection(),
            DeviationRow.__table__,  # type: ignore[arg-type]  # a mapped class has a Table
            DeviationRecord._fields,
            records,
            constants={
                "namnd_id": namnd_id,
                "source_file": source_file,
                "imported_at": imported_at,
                "version": 1,
            },
        )


class DeviationLinkRepository(Repository[DeviationLink, DeviationLinkRow]):
    entity = "deviation_link"
    domain_type = DeviationLink
    row_type = DeviationLinkRow
    summary_field = "risk_id"

    def analysis_id_of(self, row: DeviationLinkRow) -> int | None:
        return analysis_of_risk(self.session, row.risk_id)

    def for_risk(self, risk_id: int) -> list[DeviationLink]:
        return self._all(
            select(DeviationLinkRow)
            .where(DeviationLinkRow.risk_id == risk_id)
            .order_by(DeviationLinkRow.id)
        )
