"""user roles per nämnd and participants' e-mail

Login (issue 14): an administrator grants each person (by e-mail, as the identity provider
names them) one role per nämnd. The first row of ``user_role`` makes the database shared:
from then on every change is checked against the roles. A participant's e-mail ties a
logged-in person to their own votes.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-10 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "user_role",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column(
            "namnd_id",
            sa.Integer,
            sa.ForeignKey("org_unit.id", ondelete="RESTRICT"),
            nullable=False,
        ),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("granted_by", sa.String(300), nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.UniqueConstraint("email", "namnd_id", name="uq_user_role_email_namnd"),
    )
    op.create_index("ix_user_role_namnd_id", "user_role", ["namnd_id"])
    # Batch mode: SQLite cannot alter a table in place (a plain ADD COLUMN on PostgreSQL).
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email", sa.String(320), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.drop_column("email")
    op.drop_index("ix_user_role_namnd_id", table_name="user_role")
    op.drop_table("user_role")
