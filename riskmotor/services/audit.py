"""Reading the audit log (ändringslogg)."""

from __future__ import annotations

from riskmotor.domain.models import AuditEntry
from riskmotor.persistence.uow import UnitOfWork


def audit_log(
    uow: UnitOfWork,
    *,
    analysis_id: int | None = None,
    entity: str | None = None,
    entity_id: int | None = None,
    limit: int = 500,
) -> list[AuditEntry]:
    with uow:
        return uow.audit.entries(
            analysis_id=analysis_id, entity=entity, entity_id=entity_id, limit=limit
        )
