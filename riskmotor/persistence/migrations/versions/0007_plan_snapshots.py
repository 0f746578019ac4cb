"""plan snapshots, and triggers that keep adopted plans and the audit log unchanged

A plan version's content is frozen in ``plan_snapshot`` when it goes för beslut and when
it is fastställd. The database itself then refuses, on SQLite and PostgreSQL alike:

- any UPDATE or DELETE of a fastställd ``control_plan`` row;
- any INSERT, UPDATE or DELETE of ``plan_risk`` and ``plan_control`` rows of a fastställd
  plan, and of ``plan_action`` rows except an UPDATE of ``status`` (follow-up of an
  åtgärd continues after adoption; the lock counter ``version`` moves with it). Control and
  risk follow-ups live in their own tables and are not restricted;
- any DELETE of a ``plan_snapshot`` row, and any UPDATE except voiding a för-beslut
  snapshot once (setting ``voided_at``; the lock counter ``version`` moves with it);
- any UPDATE or DELETE of ``audit_log``.

A refused statement fails with a constraint error (SQLite ABORT, PostgreSQL SQLSTATE 23001
restrict_violation) and changes nothing. TRUNCATE (PostgreSQL) and dropping the tables
are schema-level operations and not covered; neither is used by the application.

Note for later migrations: on SQLite a batch migration that *recreates* one of these tables
drops its triggers; such a migration must create them again (``create_triggers``).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

ADOPTED = "fastställd"
PLAN_MESSAGE = "Planversionen är fastställd och kan inte ändras."
SNAPSHOT_MESSAGE = "Det frysta innehållet i en planversion kan inte ändras eller tas bort."
AUDIT_MESSAGE = "Ändringsloggen kan inte ändras eller tas bort."

# SQL expressions (SQLite) for the status of the plan a row belongs to.
_PLAN_OF_RISK = "(SELECT status FROM control_plan WHERE id = {ref}.plan_id)"
_PLAN_OF_CHILD = (
    "(SELECT cp.status FROM control_plan cp JOIN plan_risk pr ON pr.plan_id = cp.id"
    " WHERE pr.id = {ref}.plan_risk_id)"
)
# plan_action columns that must stay as adopted (status and version may change).
ACTION_FROZEN_COLUMNS = ["id", "plan_risk_id", "what", "owner", "due_date", "expected_effect"]
SNAPSHOT_FROZEN_COLUMNS = [
    "id",
    "plan_id",
    "kind",
    "content",
    "content_sha256",
    "dnr",
    "decision_date",
    "paragraf",
    "created_at",
]


def upgrade() -> None:
    op.create_table(
        "plan_snapshot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("dnr", sa.String(length=50), nullable=False),
        sa.Column("decision_date", sa.Date(), nullable=True),
        sa.Column("paragraf", sa.String(length=50), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("voided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["control_plan.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_plan_snapshot_plan_id", "plan_snapshot", ["plan_id"], unique=False)
    create_triggers()


def downgrade() -> None:
    drop_triggers()
    op.drop_index("ix_plan_snapshot_plan_id", table_name="plan_snapshot")
    op.drop_table("plan_snapshot")


def create_triggers() -> None:
    statements = _sqlite() if op.get_bind().dialect.name == "sqlite" else _postgresql()
    for statement in statements:
        op.execute(statement)


def drop_triggers() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for name, table in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}" + ("" if sqlite else f" ON {table}"))
    if not sqlite:
        for function in FUNCTIONS:
            op.execute(f"DROP FUNCTION IF EXISTS {function}")


TRIGGERS = [
    ("control_plan_adopted_update", "control_plan"),
    ("control_plan_adopted_delete", "control_plan"),
    ("plan_risk_adopted_insert", "plan_risk"),
    ("plan_risk_adopted_update", "plan_risk"),
    ("plan_risk_adopted_delete", "plan_risk"),
    ("plan_control_adopted_insert", "plan_control"),
    ("plan_control_adopted_update", "plan_control"),
    ("plan_control_adopted_delete", "plan_control"),
    ("plan_action_adopted_insert", "plan_action"),
    ("plan_action_adopted_update", "plan_action"),
    ("plan_action_adopted_delete", "plan_action"),
    ("plan_snapshot_update", "plan_snapshot"),
    ("plan_snapshot_delete", "plan_snapshot"),
    ("audit_log_update", "audit_log"),
    ("audit_log_delete", "audit_log"),
]
FUNCTIONS = [
    "riskmotor_guard_plan_row()",
    "riskmotor_plan_adopted(text, jsonb)",
    "riskmotor_refuse()",
]


# SQLite ------------------------------------------------------------------------------


def _sqlite_trigger(name: str, when: str, table: str, condition: str, message: str) -> str:
    guard = f" WHEN {condition}" if condition else ""
    return (
        f"CREATE TRIGGER {name} BEFORE {when} ON {table} FOR EACH ROW{guard} "
        f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
    )


def _changed(columns: list[str]) -> str:
    return "(" + " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in columns) + ")"


def _sqlite() -> list[str]:
    adopted = f"'{ADOPTED}'"
    risk_old = f"{_PLAN_OF_RISK.format(ref='OLD')} = {adopted}"
    risk_new = f"{_PLAN_OF_RISK.format(ref='NEW')} = {adopted}"
    child_old = f"{_PLAN_OF_CHILD.format(ref='OLD')} = {adopted}"
    child_new = f"{_PLAN_OF_CHILD.format(ref='NEW')} = {adopted}"
    voiding = (
        "(OLD.kind = 'för beslut' AND OLD.voided_at IS NULL AND NEW.voided_at IS NOT NULL"
        f" AND NOT {_changed(SNAPSHOT_FROZEN_COLUMNS)})"
    )
    t = _sqlite_trigger
    return [
        t(
            "control_plan_adopted_update",
            "UPDATE",
            "control_plan",
            f"OLD.status = {adopted}",
            PLAN_MESSAGE,
        ),
        t(
            "control_plan_adopted_delete",
            "DELETE",
            "control_plan",
            f"OLD.status = {adopted}",
            PLAN_MESSAGE,
        ),
        t("plan_risk_adopted_insert", "INSERT", "plan_risk", risk_new, PLAN_MESSAGE),
        t(
            "plan_risk_adopted_update",
            "UPDATE",
            "plan_risk",
            f"{risk_old} OR {risk_new}",
            PLAN_MESSAGE,
        ),
        t("plan_risk_adopted_delete", "DELETE", "plan_risk", risk_old, PLAN_MESSAGE),
        t("plan_control_adopted_insert", "INSERT", "plan_control", child_new, PLAN_MESSAGE),
        t(
            "plan_control_adopted_update",
            "UPDATE",
            "plan_control",
            f"{child_old} OR {child_new}",
            PLAN_MESSAGE,
        ),
        t("plan_control_adopted_delete", "DELETE", "plan_control", child_old, PLAN_MESSAGE),
        t("plan_action_adopted_insert", "INSERT", "plan_action", child_new, PLAN_MESSAGE),
        t(
            "plan_action_adopted_update",
            "UPDATE",
            "plan_action",
            f"({child_old} OR {child_new}) AND {_changed(ACTION_FROZEN_COLUMNS)}",
            PLAN_MESSAGE,
        ),
        t("plan_action_adopted_delete", "DELETE", "plan_action", child_old, PLAN_MESSAGE),
        t("plan_snapshot_update", "UPDATE", "plan_snapshot", f"NOT {voiding}", SNAPSHOT_MESSAGE),
        t("plan_snapshot_delete", "DELETE", "plan_snapshot", "", SNAPSHOT_MESSAGE),
        t("audit_log_update", "UPDATE", "audit_log", "", AUDIT_MESSAGE),
        t("audit_log_delete", "DELETE", "audit_log", "", AUDIT_MESSAGE),
    ]


# PostgreSQL --------------------------------------------------------------------------

_PG_REFUSE = """
CREATE FUNCTION riskmotor_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'restrict_violation';
END
$$
"""

# One guard for plan_risk, plan_control and plan_action: looks up the status of the plan
# the old and the new row belong to, and lets through only an åtgärd's status change.
_PG_GUARD = f"""
CREATE FUNCTION riskmotor_guard_plan_row() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    adopted boolean := false;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        adopted := adopted OR riskmotor_plan_adopted(TG_TABLE_NAME, to_jsonb(OLD));
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        adopted := adopted OR riskmotor_plan_adopted(TG_TABLE_NAME, to_jsonb(NEW));
    END IF;
    IF adopted AND NOT (
        TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'plan_action'
        AND (to_jsonb(OLD) - 'status' - 'version') = (to_jsonb(NEW) - 'status' - 'version')
    ) THEN
        RAISE EXCEPTION '{PLAN_MESSAGE}' USING ERRCODE = 'restrict_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$
"""

_PG_ADOPTED = f"""
CREATE FUNCTION riskmotor_plan_adopted(tablename text, row_values jsonb) RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
DECLARE
    found_status text;
BEGIN
    IF tablename = 'plan_risk' THEN
        SELECT status INTO found_status FROM control_plan
        WHERE id = (row_values ->> 'plan_id')::integer;
    ELSE
        SELECT cp.status INTO found_status FROM control_plan cp
        JOIN plan_risk pr ON pr.plan_id = cp.id
        WHERE pr.id = (row_values ->> 'plan_risk_id')::integer;
    END IF;
    RETURN found_status IS NOT DISTINCT FROM '{ADOPTED}';
END
$$
"""


def _pg_refuse(name: str, when: str, table: str, condition: str, message: str) -> str:
    guard = f" WHEN ({condition})" if condition else ""
    return (
        f"CREATE TRIGGER {name} BEFORE {when} ON {table} FOR EACH ROW{guard} "
        f"EXECUTE FUNCTION riskmotor_refuse('{message}')"
    )


def _pg_guard(name: str, when: str, table: str) -> str:
    return (
        f"CREATE TRIGGER {name} BEFORE {when} ON {table} FOR EACH ROW "
        "EXECUTE FUNCTION riskmotor_guard_plan_row()"
    )


def _postgresql() -> list[str]:
    adopted = f"OLD.status = '{ADOPTED}'"
    same = " AND ".join(f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}" for c in SNAPSHOT_FROZEN_COLUMNS)
    voiding = f"OLD.kind = 'för beslut' AND OLD.voided_at IS NULL AND NEW.voided_at IS NOT NULL AND {same}"
    guarded = [
        _pg_guard(f"{table}_adopted_{op_name.lower()}", op_name, table)
        for table in ("plan_risk", "plan_control", "plan_action")
        for op_name in ("INSERT", "UPDATE", "DELETE")
    ]
    return [
        _PG_REFUSE,
        _PG_ADOPTED,
        _PG_GUARD,
        _pg_refuse("control_plan_adopted_update", "UPDATE", "control_plan", adopted, PLAN_MESSAGE),
        _pg_refuse("control_plan_adopted_delete", "DELETE", "control_plan", adopted, PLAN_MESSAGE),
        *guarded,
        _pg_refuse(
            "plan_snapshot_update", "UPDATE", "plan_snapshot", f"NOT ({voiding})", SNAPSHOT_MESSAGE
        ),
        _pg_refuse("plan_snapshot_delete", "DELETE", "plan_snapshot", "", SNAPSHOT_MESSAGE),
        _pg_refuse("audit_log_update", "UPDATE", "audit_log", "", AUDIT_MESSAGE),
        _pg_refuse("audit_log_delete", "DELETE", "audit_log", "", AUDIT_MESSAGE),
    ]
