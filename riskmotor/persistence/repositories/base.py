"""The generic repository: convert between ORM rows and domain objects, check versions, audit.

Every save goes through :meth:`Repository.update`, which compares the version the caller
read with the version in the database and refuses with :class:`ConflictError` (carrying the
other person's values) when they differ. Each changed field is written to the audit log.
"""

from __future__ import annotations

from typing import Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy import Date, DateTime, Select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from riskmotor.domain.terms import local_time
from riskmotor.errors import ConflictError, NotFoundError
from riskmotor.persistence.orm import Base, RiskRow
from riskmotor.persistence.repositories.audit import AuditTrail

D = TypeVar("D", bound=BaseModel)
R = TypeVar("R", bound=Base)

_KEYS = {"id", "version"}
# Summary fields that name a row the way a person knows it (others are a status or an id).
_NAME_FIELDS = {"title", "name", "scenario_name", "control_activity", "what"}


class Repository(Generic[D, R]):
    entity: ClassVar[str]
    domain_type: type[D]
    row_type: type[R]
    summary_field: ClassVar[str] = "name"

    def __init__(self, session: Session, audit: AuditTrail) -> None:
        self.session = session
        self.audit = audit

    # conversion -------------------------------------------------------------------------
    def to_domain(self, row: R) -> D:
        values = {name: getattr(row, name) for name in self.domain_type.model_fields}
        return self.domain_type.model_validate(values)

    def _row_values(self, item: D) -> dict[str, Any]:
        """JSON-ready values (enums as text, dates in JSON columns as ISO), but real
        date and datetime objects for Date and DateTime columns, as the drivers want."""
        values = item.model_dump(mode="json", exclude=_KEYS)
        table = self.row_type.__table__  # type: ignore[attr-defined]
        for column in table.columns:
            if isinstance(column.type, DateTime | Date) and column.name in values:
                values[column.name] = getattr(item, column.name)
        return values

    def analysis_id_of(self, row: R) -> int | None:
        return getattr(row, "analysis_id", None)

    # queries ----------------------------------------------------------------------------
    def _row(self, item_id: int) -> R:
        row = self.session.get(self.row_type, item_id)
        if row is None:
            raise NotFoundError(f"{self.entity} med id {item_id} finns inte.")
        return row

    def get(self, item_id: int) -> D:
        return self.to_domain(self._row(item_id))

    def _all(self, query: Select[R]) -> list[D]:
        return [self.to_domain(row) for row in self.session.scalars(query)]

    # commands ---------------------------------------------------------------------------
    def add(self, item: D) -> D:
        row = self.row_type(**self._row_values(item))
        self.session.add(row)
        self.session.flush()
        self.audit.record_created(self.entity, row, self.analysis_id_of(row))
        return self.to_domain(row)

    def update(self, item: D) -> D:
        item_id: int = item.id  # type: ignore[attr-defined]
        row = self._row(item_id)
        if row.version != item.version:  # type: ignore[attr-defined]
            raise self._conflict(row)
        for field, new in self._row_values(item).items():
            old = getattr(row, field)
            if old != new:
                self.audit.record(
                    self.entity, item_id, self.analysis_id_of(row), "update", field, old, new
                )
                setattr(row, field, new)
        try:
            self.session.flush()
        except StaleDataError:
            # Another transaction committed between our check and our UPDATE.
            self.session.rollback()
            fresh = self.session.get(self.row_type, item_id, populate_existing=True)
            if fresh is None:
                raise ConflictError(self.entity, item_id, {}) from None
            raise self._conflict(fresh) from None
        return self.to_domain(row)

    def _conflict(self, row: R) -> ConflictError:
        """The refusal of a stale save: the saved values, the row's name, and who saved it
        last and when (the newest audit entry of the row), so the person can compare."""
        current = self.to_domain(row).model_dump(mode="json")
        item_id: int = current["id"]
        title = current.get(self.summary_field)
        last = self.audit.entries(entity=self.entity, entity_id=item_id, limit=1)
        return ConflictError(
            self.entity,
            item_id,
            current,
            title=title if self.summary_field in _NAME_FIELDS and title else None,
            changed_by=last[0].actor if last else None,
            changed_at=local_time(last[0].at) if last else None,
        )

    def put(self, item: D, over: D | None) -> D:
        """Add ``item``, or make it replace ``over`` (the row currently stored in its place)."""
        if over is None:
            return self.add(item)
        return self.update(item.model_copy(update={"id": over.id, "version": over.version}))  # type: ignore[attr-defined]

    def delete(self, item_id: int, expected_version: int | None = None) -> None:
        row = self._row(item_id)
        if expected_version is not None and row.version != expected_version:  # type: ignore[attr-defined]
            raise self._conflict(row)
        # Every field of the row and of each row the database's cascade removes with it.
        self.audit.record_deleted(self.entity, row, self.analysis_id_of(row))
        self.session.delete(row)
        self.session.flush()


def analysis_of_risk(session: Session, risk_id: int | None) -> int | None:
    risk = session.get(RiskRow, risk_id) if risk_id is not None else None
    return risk.analysis_id if risk else None
