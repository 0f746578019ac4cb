"""Installation settings: values written once per database (the pseudonym key fingerprint)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from riskmotor.persistence.orm.installation import InstallationSettingRow
from riskmotor.persistence.repositories.audit import AuditTrail

AUDIT_ENTITY = "installation_setting"


@dataclass(frozen=True)
class InstallationSetting:
    name: str
    value: str
    set_at: datetime
    set_by: str


class InstallationSettingRepository:
    def __init__(self, session: Session, audit: AuditTrail) -> None:
        self.session = session
        self.audit = audit

    def get(self, name: str) -> InstallationSetting | None:
        row = self.session.get(InstallationSettingRow, name)
        if row is None:
            return None
        return InstallationSetting(row.name, row.value, row.set_at, row.set_by)

    def add(self, name: str, value: str, at: datetime) -> InstallationSetting:
        """Store a setting that is not set yet; a concurrent first writer wins (unique key)."""
        row = InstallationSettingRow(name=name, value=value, set_at=at, set_by=self.audit.actor)
        self.session.add(row)
        self.session.flush()
        self.audit.record(AUDIT_ENTITY, 0, None, "create", name, None, value)
        return InstallationSetting(name, value, at, self.audit.actor)
