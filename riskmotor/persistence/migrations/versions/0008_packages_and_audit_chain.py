"""decision-bound packages, and a hash-chained audit log

- ``plan_package``: one row per exported approval package — the plan version it was made
  from, the SHA-256 of the frozen plan content and of the package (its manifest), so
  ``riskmotor export verify --db`` can prove a package is the one made from the decision.
  Triggers refuse UPDATE and DELETE of these rows on SQLite and PostgreSQL.
- ``audit_log`` gets ``seq``, ``prev_hash`` and ``entry_hash``: every entry is chained to
  the one before it (``riskmotor.domain.audit_chain``). Entries already stored are chained
  here, in id order. ``audit_chain`` holds the chain head (one row): writers lock it so
  they append one after the other, and ``riskmotor audit verify`` compares the newest entry
  with it, so removing the newest entries is caught too.
- PostgreSQL: ``audit_log.at`` defaults to the server's ``now()`` (the application also
  takes the time from the server).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 10:00:00
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from alembic import op

from riskmotor.domain.audit_chain import GENESIS, ChainEntry, entry_hash

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

AUDIT_MESSAGE = "Ändringsloggen kan inte ändras eller tas bort."
PACKAGE_MESSAGE = "Ett registrerat beslutspaket kan inte ändras eller tas bort."


def _sqlite() -> bool:
    return bool(op.get_bind().dialect.name == "sqlite")


def _refuse(name: str, when: str, table: str, message: str) -> str:
    if _sqlite():
        return (
            f"CREATE TRIGGER {name} BEFORE {when} ON {table} FOR EACH ROW "
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
        )
    return (
        f"CREATE TRIGGER {name} BEFORE {when} ON {table} FOR EACH ROW "
        f"EXECUTE FUNCTION riskmotor_refuse('{message}')"
    )


def _drop_trigger(name: str, table: str) -> None:
    op.execute(f"DROP TRIGGER IF EXISTS {name}" + ("" if _sqlite() else f" ON {table}"))


def upgrade() -> None:
    op.add_column("audit_log", sa.Column("seq", sa.Integer(), nullable=True))
    op.add_column("audit_log", sa.Column("prev_hash", sa.String(length=64), nullable=True))
    op.add_column("audit_log", sa.Column("entry_hash", sa.String(length=64), nullable=True))
    if not _sqlite():
        op.alter_column("audit_log", "at", server_default=sa.func.now())
    op.create_table(
        "audit_chain",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("entry_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    head = _chain_existing_entries()
    op.execute(
        sa.text("INSERT INTO audit_chain (id, seq, entry_hash) VALUES (1, :seq, :hash)").bindparams(
            seq=head[0], hash=head[1]
        )
    )
    op.create_index("uq_audit_log_seq", "audit_log", ["seq"], unique=True)
    op.create_table(
        "plan_package",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("plan_version", sa.Integer(), nullable=False),
        sa.Column("plan_status", sa.String(length=20), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("package_sha256", sa.String(length=64), nullable=False),
        sa.Column("files", sa.Integer(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["control_plan.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_plan_package_plan_id", "plan_package", ["plan_id"], unique=False)
    op.execute(_refuse("plan_package_update", "UPDATE", "plan_package", PACKAGE_MESSAGE))
    op.execute(_refuse("plan_package_delete", "DELETE", "plan_package", PACKAGE_MESSAGE))


def downgrade() -> None:
    _drop_trigger("plan_package_update", "plan_package")
    _drop_trigger("plan_package_delete", "plan_package")
    op.drop_index("ix_plan_package_plan_id", table_name="plan_package")
    op.drop_table("plan_package")
    op.drop_index("uq_audit_log_seq", table_name="audit_log")
    op.drop_table("audit_chain")
    if not _sqlite():
        op.alter_column("audit_log", "at", server_default=None)
    # SQLite 3.35+ drops a column in place; a batch migration would recreate the table
    # and lose the triggers of migration 0007.
    for column in ("entry_hash", "prev_hash", "seq"):
        op.execute(f"ALTER TABLE audit_log DROP COLUMN {column}")


def _chain_existing_entries() -> tuple[int, str]:
    """Chain the entries written before this migration, in id order; returns the head.

    The audit log's UPDATE trigger is lifted for this one statement series and restored.
    """
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT id, at, actor, entity, entity_id, analysis_id, action, field, old, new"
            " FROM audit_log ORDER BY id"
        )
    ).all()
    if not rows:
        return 0, GENESIS
    _drop_trigger("audit_log_update", "audit_log")
    previous = GENESIS
    for seq, row in enumerate(rows, start=1):
        at = row.at if isinstance(row.at, datetime) else datetime.fromisoformat(str(row.at))
        entry = ChainEntry(
            seq, previous, at, row.actor, row.entity, row.entity_id, row.analysis_id,
            row.action, row.field, row.old, row.new,
        )  # fmt: skip
        current = entry_hash(entry)
        bind.execute(
            sa.text(
                "UPDATE audit_log SET seq = :seq, prev_hash = :prev, entry_hash = :hash"
                " WHERE id = :id"
            ),
            {"seq": seq, "prev": previous, "hash": current, "id": row.id},
        )
        previous = current
    op.execute(_refuse("audit_log_update", "UPDATE", "audit_log", AUDIT_MESSAGE))
    return len(rows), previous
