"""Risk analysis workshop: the analysis, participants, risks and votes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from riskmotor.persistence.orm.base import Base


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
    # Ties a logged-in person to their own votes (normalised, lower case).
    email: Mapped[str | None] = mapped_column(String(320))
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
