"""unique root units

A unique constraint on (parent_id, kind, name) does not stop two root units (kommuner)
with the same name: NULL never equals NULL, on SQLite as on PostgreSQL. Concurrent first
starts therefore built several Exempelkommun trees. A partial unique index over the root
units closes that gap on both databases. Roots already duplicated are renamed "Namn (2)",
"Namn (3)", … so the index can be created without deleting anyone's data.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 01:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

INDEX = "uq_org_unit_root_name"
ROOTS_ONLY = sa.text("parent_id IS NULL")


def upgrade() -> None:
    _rename_duplicate_roots()
    op.create_index(
        INDEX,
        "org_unit",
        ["kind", "name"],
        unique=True,
        sqlite_where=ROOTS_ONLY,
        postgresql_where=ROOTS_ONLY,
    )


def downgrade() -> None:
    op.drop_index(INDEX, table_name="org_unit")


def _rename_duplicate_roots() -> None:
    connection = op.get_bind()
    roots = connection.execute(
        sa.text("SELECT id, kind, name FROM org_unit WHERE parent_id IS NULL ORDER BY id")
    ).all()
    taken = {(kind, name) for _, kind, name in roots}
    seen: set[tuple[str, str]] = set()
    for unit_id, kind, name in roots:
        if (kind, name) not in seen:
            seen.add((kind, name))
            continue
        number = 2
        while (kind, f"{name} ({number})") in taken:
            number += 1
        renamed = f"{name} ({number})"
        taken.add((kind, renamed))
        connection.execute(
            sa.text("UPDATE org_unit SET name = :name WHERE id = :id"),
            {"name": renamed, "id": unit_id},
        )
