"""Engine creation and schema migration.

SQLite is the embedded default: foreign keys on, WAL journal so readers never block the
writer, and a busy timeout so two workshop participants saving at once wait instead of
failing. PostgreSQL is used through ``postgresql+psycopg://``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

from riskmotor.errors import DatabaseUnavailableError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 10_000


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()


def create_database_engine(url: str) -> Engine:
    """An engine for ``url``; raises DatabaseUnavailableError with a readable message."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseUnavailableError(f"Ogiltig databasadress: {url!r}") from None
    try:
        if parsed.get_backend_name() == "sqlite":
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(parsed, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
            event.listen(engine, "connect", _sqlite_pragmas)
        else:
            engine = create_engine(parsed, pool_pre_ping=True)
    except (NoSuchModuleError, ModuleNotFoundError) as exc:
        raise DatabaseUnavailableError(
            f"Databasdrivrutinen för {parsed.drivername} saknas ({exc}). "
            "Installera riskmotor med tillägget [postgres] för PostgreSQL."
        ) from None
    return engine


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision (idempotent)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    sqlite = engine.dialect.name == "sqlite"
    try:
        with engine.begin() as connection:
            if sqlite:
                # A batch migration recreates tables; with foreign keys on, dropping the old
                # table would cascade-delete the rows that reference it.
                connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
    except OperationalError as exc:
        raise DatabaseUnavailableError(
            f"Kan inte ansluta till databasen {engine.url.render_as_string(hide_password=True)}: "
            f"{str(exc.orig).strip().splitlines()[0] if exc.orig else exc}"
        ) from None


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    """One migrated engine per URL and process."""
    engine = create_database_engine(url)
    migrate(engine)
    return engine
