"""Settings that belong to the database, not to one client: the pseudonym key's fingerprint."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from riskmotor.persistence.orm.base import Base


class InstallationSettingRow(Base):
    """Written once and never updated (a changed key is refused, not recorded)."""

    __tablename__ = "installation_setting"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    set_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    set_by: Mapped[str] = mapped_column(String(200))
