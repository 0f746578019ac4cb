"""installation settings: the pseudonym key's fingerprint

The pseudonym key is a file (or a secret) outside the database. Its fingerprint (an HMAC of
a fixed label, which reveals nothing about the key) is stored here on first use, so a lost
or different key is refused instead of silently giving every person a new pseudonym.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "installation_setting",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("value", sa.String(200), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("set_by", sa.String(200), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("installation_setting")
