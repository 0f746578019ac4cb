"""Egenkontroll: sampling plans, draws, sampled cases and checklist answers."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from riskmotor.persistence.orm.base import Base


class EgenkontrollPlanRow(Base):
    __tablename__ = "egenkontroll_plan"
    __table_args__ = (UniqueConstraint("namnd_id", "year", "name", name="uq_egenkontroll_plan"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    namnd_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    year: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    risk_id: Mapped[int | None] = mapped_column(ForeignKey("risk.id", ondelete="SET NULL"))
    control_keys: Mapped[list[Any]] = mapped_column(JSON)
    confidence: Mapped[float] = mapped_column(Float)
    tolerable_rate: Mapped[float] = mapped_column(Float)
    expected_rate: Mapped[float] = mapped_column(Float)
    method: Mapped[str] = mapped_column(String(20))
    population: Mapped[int | None] = mapped_column(Integer)
    sample_size: Mapped[int] = mapped_column(Integer)
    allowed_deviations: Mapped[int] = mapped_column(Integer)
    reserve_size: Mapped[int] = mapped_column(Integer)
    stratify_by_unit: Mapped[bool] = mapped_column()
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}


class SampleDrawRow(Base):
    __tablename__ = "sample_draw"
    __table_args__ = (UniqueConstraint("plan_id", "period", name="uq_sample_draw_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("egenkontroll_plan.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(20))
    seed: Mapped[int] = mapped_column(BigInteger)
    sample_size: Mapped[int] = mapped_column(Integer)
    reserve_size: Mapped[int] = mapped_column(Integer)
    case_list_name: Mapped[str] = mapped_column(String(300))
    case_list_sha256: Mapped[str] = mapped_column(String(64))
    population_size: Mapped[int] = mapped_column(Integer)
    strata: Mapped[dict[str, Any]] = mapped_column(JSON)
    numpy_version: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}


class SampledCaseRow(Base):
    __tablename__ = "sampled_case"
    __table_args__ = (UniqueConstraint("draw_id", "case_id", name="uq_sampled_case"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draw_id: Mapped[int] = mapped_column(
        ForeignKey("sample_draw.id", ondelete="CASCADE"), index=True
    )
    case_id: Mapped[str] = mapped_column(String(100))
    stratum: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(10))
    position: Mapped[int] = mapped_column(Integer)
    closed_date: Mapped[date | None] = mapped_column(Date)
    case_type: Mapped[str] = mapped_column(String(200), default="")
    handler: Mapped[str] = mapped_column(String(200), default="")
    person_key: Mapped[str | None] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}


class ChecklistAnswerRow(Base):
    __tablename__ = "checklist_answer"
    __table_args__ = (
        UniqueConstraint("draw_id", "case_id", "control_key", name="uq_checklist_answer"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    draw_id: Mapped[int] = mapped_column(
        ForeignKey("sample_draw.id", ondelete="CASCADE"), index=True
    )
    case_id: Mapped[str] = mapped_column(String(100))
    control_key: Mapped[str] = mapped_column(String(100))
    answer: Mapped[str | None] = mapped_column(String(20))
    dropped: Mapped[bool] = mapped_column()
    comment: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}
