"""Shared fixtures: the catalog, and databases (SQLite always, PostgreSQL when configured).

Set RISKMOTOR_TEST_DATABASE_URL=postgresql+psycopg://user@host/db to run every database
test a second time against PostgreSQL; each test gets its own schema there.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from riskmotor.catalogs import DEFAULT_CATALOG_DIR, Catalog, cached_catalog, load_catalog
from riskmotor.persistence.database import engine_for
from riskmotor.persistence.uow import UnitOfWork

POSTGRES_URL = os.environ.get("RISKMOTOR_TEST_DATABASE_URL", "")
BACKENDS = ["sqlite", *(["postgresql"] if POSTGRES_URL else [])]


def shared_catalog() -> Catalog:
    """The repository's catalog, read once per test process."""
    return cached_catalog(str(DEFAULT_CATALOG_DIR))


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


def _postgres_schema_url() -> Iterator[str]:
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in POSTGRES_URL else "?"
    yield f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"
    with admin.connect() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'riskmotor.db'}"
    else:
        yield from _postgres_schema_url()


@pytest.fixture
def uow_factory(db_url: str) -> Callable[..., UnitOfWork]:
    engine = engine_for(db_url)

    def make(actor: str = "testare") -> UnitOfWork:
        return UnitOfWork(engine, actor)

    return make
