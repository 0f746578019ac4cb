"""SQLAlchemy 2 typed ORM: a mapping of the domain, converted at the repository edge.

Every editable table has a ``version`` column used by SQLAlchemy's optimistic locking:
an UPDATE carries ``WHERE version = :old`` so a concurrent writer can never be overwritten
silently, even between the repository's own check and the flush.
"""

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
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class OrgUnitRow(Base):
    __tablename__ = "org_unit"
    __table_args__ = (UniqueConstraint("parent_id", "kind", "name", name="uq_org_unit_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}


class RiskAnalysisRow(Base):
    __tablename__ = "risk_analysis"
    __table_args__ = (UniqueConstraint("namnd_id", "year", name="uq_risk_analysis_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    namnd_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    year: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    scale_key: Mapped[str] = mapped_column(String(100))
    workshop_dates: Mapped[list[Any]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}


class ParticipantRow(Base):
    __tablename__ = "participant"
    __table_args__ = (UniqueConstraint("analysis_id", "name", name="uq_participant_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    analysis_id: Mapped[int] = mapped_column(ForeignKey("risk_analysis.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(200), default="")
    function: Mapped[str] = mapped_column(String(200), default="")
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}


class RiskRow(Base):
    __tablename__ = "risk"
    __table_args__ = (UniqueConstraint("analysis_id", "title", name="uq_risk_title"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    analysis_id: Mapped[int] = mapped_column(ForeignKey("risk_analysis.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    process: Mapped[str] = mapped_column(String(100), default="")
    activity: Mapped[str] = mapped_column(String(100), default="")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id", ondelete="SET NULL"))
    causes: Mapped[str] = mapped_column(Text, default="")
    consequence_description: Mapped[str] = mapped_column(Text, default="")
    existing_controls: Mapped[str] = mapped_column(Text, default="")
    consequence_areas: Mapped[list[Any]] = mapped_column(JSON, default=list)
    source: Mapped[str] = mapped_column(String(20))
    template_key: Mapped[str | None] = mapped_column(String(100))
    inherent_likelihood: Mapped[int | None] = mapped_column(Integer)
    inherent_consequence: Mapped[int | None] = mapped_column(Integer)
    residual_likelihood: Mapped[int | None] = mapped_column(Integer)
    residual_consequence: Mapped[int | None] = mapped_column(Integer)
    assessment_confirmed: Mapped[bool] = mapped_column(default=False)
    likelihood_evidence_id: Mapped[int | None] = mapped_column(
        ForeignKey(
            "simulation_run.id",
            ondelete="SET NULL",
            use_alter=True,
            name="fk_risk_likelihood_evidence",
        )
    )
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}


class VoteRow(Base):
    __tablename__ = "vote"
    __table_args__ = (UniqueConstraint("risk_id", "participant_id", name="uq_vote_participant"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    risk_id: Mapped[int] = mapped_column(ForeignKey("risk.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"))
    likelihood: Mapped[int] = mapped_column(Integer)
    consequence: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    consequence_by_area: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}


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


class AuditRow(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(200))
    entity: Mapped[str] = mapped_column(String(50), index=True)
    entity_id: Mapped[int] = mapped_column(Integer, index=True)
    analysis_id: Mapped[int | None] = mapped_column(Integer, index=True)
    action: Mapped[str] = mapped_column(String(20))
    field: Mapped[str] = mapped_column(String(100))
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)
