"""Internkontrollplan: plan versions, risks, controls, actions, follow-up, snapshots."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
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


class ControlPlanRow(Base):
    """Internkontrollplan: one version of one nämnd's plan for one year."""

    __tablename__ = "control_plan"
    __table_args__ = (
        UniqueConstraint("namnd_id", "year", "plan_version", name="uq_control_plan_version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    namnd_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    analysis_id: Mapped[int] = mapped_column(ForeignKey("risk_analysis.id", ondelete="RESTRICT"))
    year: Mapped[int] = mapped_column(Integer)
    plan_version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    threshold: Mapped[int] = mapped_column(Integer)
    top_n: Mapped[int | None] = mapped_column(Integer)
    decision_date: Mapped[date | None] = mapped_column(Date)
    paragraf: Mapped[str] = mapped_column(String(50), default="")
    dnr: Mapped[str] = mapped_column(String(50), default="")
    based_on_id: Mapped[int | None] = mapped_column(
        ForeignKey("control_plan.id", ondelete="SET NULL")
    )
    based_on_kind: Mapped[str] = mapped_column(String(20), default="")
    opinion: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}


class PlanRiskRow(Base):
    __tablename__ = "plan_risk"
    __table_args__ = (UniqueConstraint("plan_id", "risk_id", name="uq_plan_risk"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("control_plan.id", ondelete="CASCADE"), index=True
    )
    risk_id: Mapped[int] = mapped_column(ForeignKey("risk.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    risk_value: Mapped[int | None] = mapped_column(Integer)
    included: Mapped[bool] = mapped_column()
    reason: Mapped[str] = mapped_column(Text)
    must_include: Mapped[bool] = mapped_column(default=False)
    must_include_reason: Mapped[str] = mapped_column(Text, default="")
    override: Mapped[bool | None] = mapped_column()
    override_motivation: Mapped[str] = mapped_column(Text, default="")
    strategy: Mapped[str | None] = mapped_column(String(20))
    target_likelihood: Mapped[int | None] = mapped_column(Integer)
    target_consequence: Mapped[int | None] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}


class PlanControlRow(Base):
    __tablename__ = "plan_control"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_risk_id: Mapped[int] = mapped_column(
        ForeignKey("plan_risk.id", ondelete="CASCADE"), index=True
    )
    control_activity: Mapped[str] = mapped_column(Text)
    control_method: Mapped[str] = mapped_column(String(30))
    frequency: Mapped[str] = mapped_column(String(20))
    responsible: Mapped[str] = mapped_column(String(200), default="")
    reported_to: Mapped[str] = mapped_column(String(200), default="")
    timing: Mapped[str] = mapped_column(String(200), default="")
    egenkontroll_plan_id: Mapped[int | None] = mapped_column(
        ForeignKey("egenkontroll_plan.id", ondelete="SET NULL")
    )
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}


class PlanActionRow(Base):
    __tablename__ = "plan_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_risk_id: Mapped[int] = mapped_column(
        ForeignKey("plan_risk.id", ondelete="CASCADE"), index=True
    )
    what: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200), default="")
    due_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    expected_effect: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}


class ControlFollowupRow(Base):
    __tablename__ = "control_followup"
    __table_args__ = (UniqueConstraint("plan_control_id", "period", name="uq_control_followup"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_control_id: Mapped[int] = mapped_column(
        ForeignKey("plan_control.id", ondelete="CASCADE"), index=True
    )
    period: Mapped[str] = mapped_column(String(20))
    result: Mapped[str] = mapped_column(Text, default="")
    share: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(10))
    comment: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(20), default="manuell")
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}


class RiskFollowupRow(Base):
    __tablename__ = "risk_followup"
    __table_args__ = (UniqueConstraint("plan_risk_id", "period", name="uq_risk_followup"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_risk_id: Mapped[int] = mapped_column(
        ForeignKey("plan_risk.id", ondelete="CASCADE"), index=True
    )
    period: Mapped[str] = mapped_column(String(20))
    residual_likelihood: Mapped[int] = mapped_column(Integer)
    residual_consequence: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}


class PlanSnapshotRow(Base):
    """A plan version's content frozen för beslut or at adoption (see reports.snapshot).

    Database triggers (migration 0007) refuse every change but voiding, and every delete.
    """

    __tablename__ = "plan_snapshot"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("control_plan.id", ondelete="RESTRICT"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    content: Mapped[str] = mapped_column(Text)
    content_sha256: Mapped[str] = mapped_column(String(64))
    dnr: Mapped[str] = mapped_column(String(50), default="")
    decision_date: Mapped[date | None] = mapped_column(Date)
    paragraf: Mapped[str] = mapped_column(String(50), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    voided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}


class PlanPackageRow(Base):
    """An exported approval package: the plan version, its frozen content's hash and the
    package's hash (of its manifest). Triggers (migration 0008) refuse UPDATE and DELETE."""

    __tablename__ = "plan_package"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("control_plan.id", ondelete="RESTRICT"), index=True
    )
    plan_version: Mapped[int] = mapped_column(Integer)
    plan_status: Mapped[str] = mapped_column(String(20))
    content_sha256: Mapped[str] = mapped_column(String(64))
    package_sha256: Mapped[str] = mapped_column(String(64))
    files: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}
