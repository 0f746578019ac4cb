"""Migrations upgrade a populated database from the first revision without losing rows."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from riskmotor.persistence.database import MIGRATIONS_DIR, create_database_engine, migrate

FIRST_SCHEMA_ROWS = [
    "INSERT INTO org_unit (id, name, kind, parent_id, version) VALUES (1, 'K', 'kommun', NULL, 1)",
    "INSERT INTO org_unit (id, name, kind, parent_id, version) VALUES (2, 'SN', 'nämnd', 1, 1)",
    "INSERT INTO risk_analysis (id, namnd_id, year, title, scale_key, workshop_dates, status,"
    " version) VALUES (1, 2, 2027, 'RA', 'standard-4x4', '[]', 'pågår', 1)",
    "INSERT INTO participant (id, analysis_id, name, role, function, version)"
    " VALUES (1, 1, 'Anna', '', '', 1)",
    "INSERT INTO risk (id, analysis_id, title, description, process, activity, causes,"
    " consequence_description, existing_controls, consequence_areas, source,"
    " assessment_confirmed, version) VALUES (1, 1, 'R', '', '', '', '', '', '', '[]', 'ny',"
    " false, 1)",
    "INSERT INTO vote (id, risk_id, participant_id, likelihood, consequence, comment,"
    " consequence_by_area, version) VALUES (1, 1, 1, 2, 3, '', '{}', 1)",
]


def _config(connection: object) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def test_upgrade_from_first_revision_keeps_every_row(db_url: str) -> None:
    engine = create_database_engine(db_url)
    with engine.begin() as connection:
        command.upgrade(_config(connection), "0001")
        for statement in FIRST_SCHEMA_ROWS:
            connection.execute(text(statement))

    migrate(engine)

    with engine.connect() as connection:
        votes = connection.execute(text("SELECT likelihood, consequence FROM vote")).all()
        risks = connection.execute(text("SELECT title, likelihood_evidence_id FROM risk")).all()
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    assert [tuple(v) for v in votes] == [(2, 3)]
    assert [tuple(r) for r in risks] == [("R", None)]
    assert revision == ScriptDirectory.from_config(_config(None)).get_current_head()


def test_root_units_become_unique_and_existing_twins_are_renamed(db_url: str) -> None:
    engine = create_database_engine(db_url)
    with engine.begin() as connection:
        command.upgrade(_config(connection), "0005")
        for unit_id in (1, 2, 3):
            connection.execute(
                text(
                    "INSERT INTO org_unit (id, name, kind, parent_id, version)"
                    " VALUES (:id, 'Exempelkommun', 'kommun', NULL, 1)"
                ),
                {"id": unit_id},
            )

    migrate(engine)

    with engine.connect() as connection:
        names = connection.execute(text("SELECT name FROM org_unit ORDER BY id")).scalars()
        assert list(names) == ["Exempelkommun", "Exempelkommun (2)", "Exempelkommun (3)"]
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO org_unit (id, name, kind, parent_id, version)"
                " VALUES (4, 'Exempelkommun', 'kommun', NULL, 1)"
            )
        )
    engine.dispose()
