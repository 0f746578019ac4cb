"""Capacity scenarios and their simulation runs (evidence)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from riskmotor.persistence.orm.base import Base


class ScenarioRow(Base):
    __tablename__ = "scenario"
    __table_args__ = (UniqueConstraint("namnd_id", "name", name="uq_scenario_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    namnd_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id", ondelete="SET NULL"))
    risk_id: Mapped[int | None] = mapped_column(ForeignKey("risk.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(200))
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}


class SimulationRunRow(Base):
    """Evidence rows are never edited; risk_id is a plain number so evidence outlives risks."""

    __tablename__ = "simulation_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int | None] = mapped_column(ForeignKey("scenario.id", ondelete="SET NULL"))
    risk_id: Mapped[int | None] = mapped_column(Integer, index=True)
    scenario_name: Mapped[str] = mapped_column(String(200))
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)
    seed: Mapped[int] = mapped_column(BigInteger)
    replications: Mapped[int] = mapped_column(Integer)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)
    backlog_fan: Mapped[dict[str, Any]] = mapped_column(JSON)
    numpy_version: Mapped[str] = mapped_column(String(40))
    riskmotor_version: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(200))
    suggested_level: Mapped[int] = mapped_column(Integer)
    straddles: Mapped[bool] = mapped_column()
    suggestion_text: Mapped[str] = mapped_column(Text)
    applied: Mapped[bool] = mapped_column(default=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}
