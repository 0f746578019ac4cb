"""Imported deviation reports and their links to risks."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from riskmotor.persistence.orm.base import Base


class DeviationRow(Base):
    __tablename__ = "deviation"
    __table_args__ = (UniqueConstraint("namnd_id", "fingerprint", name="uq_deviation_fingerprint"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    namnd_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    occurred_on: Mapped[date] = mapped_column(Date, index=True)
    avdelning: Mapped[str] = mapped_column(String(200), default="")
    enhet: Mapped[str] = mapped_column(String(200), default="")
    category: Mapped[str] = mapped_column(String(40), index=True)
    category_text: Mapped[str] = mapped_column(String(200), default="")
    reported_to: Mapped[str] = mapped_column(String(20), default="")
    serious: Mapped[bool] = mapped_column(default=False)
    cause: Mapped[str] = mapped_column(String(300), default="")
    process: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    source_file: Mapped[str] = mapped_column(String(300), default="")
    source_row: Mapped[int] = mapped_column(Integer, default=0)
    fingerprint: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}


class DeviationLinkRow(Base):
    __tablename__ = "deviation_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    risk_id: Mapped[int] = mapped_column(ForeignKey("risk.id", ondelete="CASCADE"), index=True)
    deviation_id: Mapped[int | None] = mapped_column(ForeignKey("deviation.id", ondelete="CASCADE"))
    cause_group: Mapped[str | None] = mapped_column(String(300))
    note: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}
