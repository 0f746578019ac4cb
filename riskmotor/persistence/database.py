"""Engine creation and schema migration.

SQLite is the embedded default: foreign keys on, WAL journal so readers never block the
writer, and a busy timeout so two workshop participants saving at once wait instead of
failing. PostgreSQL is used through ``postgresql+psycopg://``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

from riskmotor.errors import DatabaseUnavailableError

if TYPE_CHECKING:
    from alembic.config import Config

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


MIGRATION_LOCK_KEY = 0x5249534B4D4F54  # "RISKMOT": the advisory lock every process shares


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision (idempotent, safe to run concurrently).

    Several processes may start on one fresh database at once (the UI and a few CLI
    commands). The upgrade therefore runs under a database-wide lock: the first process
    migrates, the others wait, then find the schema at head and do nothing.
    """
    try:
        if _at_head(engine):
            return  # the common start: no lock needed just to find nothing to do
        config = _alembic_config()
        if engine.dialect.name == "sqlite":
            _migrate_sqlite(engine, config)
        else:
            _migrate_postgresql(engine, config)
    except OperationalError as exc:
        raise DatabaseUnavailableError(
            f"Kan inte ansluta till databasen {engine.url.render_as_string(hide_password=True)}: "
            f"{str(exc.orig).strip().splitlines()[0] if exc.orig else exc}"
        ) from None


def _alembic_config() -> Config:
    # Alembic is imported only when there is something to migrate: importing it takes
    # longer than a whole CLI command on an up-to-date database.
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def _at_head(engine: Engine) -> bool:
    """Whether the stored revision is the newest migration (asked without loading Alembic)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return False
        stored = connection.execute(text("SELECT version_num FROM alembic_version"))
        return list(stored.scalars()) == [newest_revision()]


@lru_cache(maxsize=1)
def newest_revision() -> str:
    """The newest migration's revision. Migration files are named after their revision
    (``0006_unique_root_units.py`` is revision ``0006``, revising ``0005``); a test checks
    that this agrees with Alembic's own head."""
    files = (MIGRATIONS_DIR / "versions").glob("[0-9]*_*.py")
    return max(path.name.split("_", 1)[0] for path in files)


def _upgrade(connection: Connection, config: Config) -> None:
    from alembic import command

    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def _migrate_postgresql(engine: Engine, config: Config) -> None:
    # A transaction-scoped advisory lock: released by the commit, or by the server if this
    # process dies. PostgreSQL DDL is transactional, so a waiting process sees all or nothing.
    with engine.begin() as connection:
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        _upgrade(connection, config)


def _migrate_sqlite(engine: Engine, config: Config) -> None:
    # The driver's own transaction handling would run the DDL outside any transaction, so
    # two processes could both create alembic_version. In autocommit mode we issue BEGIN
    # EXCLUSIVE ourselves: one writer migrates, the others wait (busy timeout) for it.
    with engine.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT")
        # A batch migration recreates tables; with foreign keys on, dropping the old table
        # would cascade-delete the rows that reference it. The pragma is ignored inside a
        # transaction, so it is switched before BEGIN.
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        try:
            connection.exec_driver_sql("BEGIN EXCLUSIVE")
            try:
                _upgrade(connection, config)
            except BaseException:
                connection.exec_driver_sql("ROLLBACK")
                raise
            connection.exec_driver_sql("COMMIT")
        finally:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    """One migrated engine per URL and process."""
    engine = create_database_engine(url)
    migrate(engine)
    return engine
