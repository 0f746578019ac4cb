"""Organisation units."""

from __future__ import annotations

from sqlalchemy import select

from riskmotor.domain.models import OrgUnit, UnitKind
from riskmotor.persistence.orm import OrgUnitRow
from riskmotor.persistence.repositories.base import Repository


class OrgUnitRepository(Repository[OrgUnit, OrgUnitRow]):
    entity = "org_unit"
    domain_type = OrgUnit
    row_type = OrgUnitRow

    def find(self, name: str, kind: UnitKind, parent_id: int | None) -> OrgUnit | None:
        query = select(OrgUnitRow).where(OrgUnitRow.name == name, OrgUnitRow.kind == kind.value)
        query = query.where(
            OrgUnitRow.parent_id.is_(None)
            if parent_id is None
            else OrgUnitRow.parent_id == parent_id
        )
        found = self._all(query)
        return found[0] if found else None

    def of_kind(self, kind: UnitKind) -> list[OrgUnit]:
        return self._all(
            select(OrgUnitRow).where(OrgUnitRow.kind == kind.value).order_by(OrgUnitRow.name)
        )

    def children(self, parent_id: int) -> list[OrgUnit]:
        return self._all(
            select(OrgUnitRow).where(OrgUnitRow.parent_id == parent_id).order_by(OrgUnitRow.name)
        )
