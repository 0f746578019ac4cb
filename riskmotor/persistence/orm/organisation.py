"""Organisation tree: kommun, nämnder, förvaltningar, enheter."""

from __future__ import annotations

from sqlalchemy import (
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from riskmotor.persistence.orm.base import Base


class OrgUnitRow(Base):
    __tablename__ = "org_unit"
    __table_args__ = (
        UniqueConstraint("parent_id", "kind", "name", name="uq_org_unit_name"),
        # NULL parents never compare equal, so root units need their own unique index
        # (migration 0006); without it concurrent first starts built several kommuner.
        Index(
            "uq_org_unit_root_name",
            "kind",
            "name",
            unique=True,
            sqlite_where=text("parent_id IS NULL"),
            postgresql_where=text("parent_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}
