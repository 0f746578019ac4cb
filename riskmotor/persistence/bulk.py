"""Bulk inserts: thousands of rows in one compiled Core ``insert()`` with ``executemany``.

For imports (200 000 deviation reports in a few seconds); PostgreSQL with psycopg uses
``COPY`` instead, its own bulk path. The ORM's unit of work, and even
SQLAlchemy's per-row parameter processing, cost more than the database's own work at that
size, so the parameters are built column-wise: each column is converted with the dialect's
own bind processor, each distinct value once (dates and flags repeat), and the rows are
zipped together in C.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from itertools import islice, repeat
from typing import Any

from sqlalchemy import Connection, Dialect, Table, insert
from sqlalchemy.exc import DBAPIError

Processor = Callable[[Any], Any] | None

# Rows per executemany: large enough to amortise the round trip, small enough that one
# chunk's parameters stay a few megabytes.
INSERT_CHUNK = 5_000
# SQLite page cache (KiB) during a bulk insert; see _large_sqlite_cache.
SQLITE_BULK_CACHE_KIB = 65_536


def insert_rows(
    connection: Connection,
    table: Table,
    fields: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    constants: Mapping[str, Any],
) -> int:
    """Insert ``rows`` (tuples in the order of ``fields``) with ``constants`` in every row,
    in the connection's open transaction; returns how many rows were inserted."""
    dialect = connection.dialect
    if dialect.name == "postgresql" and dialect.driver == "psycopg":
        return _copy_rows(connection, table, fields, rows, constants)
    compiled = insert(table).compile(dialect=dialect, column_keys=[*fields, *constants])
    positional = bool(compiled.positiontup)
    keys = list(compiled.positiontup or compiled.params)
    convert = {name: _bind_processor(table.c[name].type, dialect) for name in keys}
    fixed = {name: _converted(convert[name], value) for name, value in constants.items()}
    inserted = 0
    iterator = iter(rows)
    with _large_sqlite_cache(connection):
        while chunk := list(islice(iterator, INSERT_CHUNK)):
            by_field = dict(zip(fields, zip(*chunk, strict=True), strict=True))
            columns = [
                repeat(fixed[key])
                if key in fixed
                else _converted_column(convert[key], by_field[key])
                for key in keys
            ]
            # The constants repeat forever; the row columns end together.
            parameters: list[Any] = list(zip(*columns, strict=False))
            if not positional:  # a named paramstyle (psycopg): one mapping per row
                parameters = [dict(zip(keys, row, strict=True)) for row in parameters]
            connection.exec_driver_sql(compiled.string, parameters)
            inserted += len(chunk)
    return inserted


def _copy_rows(
    connection: Connection,
    table: Table,
    fields: Sequence[str],
    rows: Iterable[Sequence[Any]],
    constants: Mapping[str, Any],
) -> int:
    """PostgreSQL's own bulk path, ``COPY … FROM STDIN``, in the connection's transaction.

    An ``executemany`` waits for the server once per batch of rows; COPY streams them, which
    is several times faster for a large import. psycopg adapts the Python values itself.
    """
    quote = connection.dialect.identifier_preparer
    names = ", ".join(quote.quote(name) for name in (*fields, *constants))
    tail = tuple(constants.values())
    driver = connection.connection.driver_connection
    assert driver is not None  # an open connection always has its driver connection
    statement = f"COPY {quote.format_table(table)} ({names}) FROM STDIN"
    dbapi_error = connection.dialect.loaded_dbapi.Error
    inserted = 0
    try:
        with driver.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row((*row, *tail))
                inserted += 1
    except dbapi_error as error:
        # Straight from the driver: wrap it as SQLAlchemy would (IntegrityError for a
        # duplicate), so callers and the unit of work see the usual exceptions.
        raise DBAPIError.instance(statement, None, error, dbapi_error) from error
    return inserted


@contextmanager
def _large_sqlite_cache(connection: Connection) -> Iterator[None]:
    """A larger SQLite page cache while a bulk insert runs, then the old size again.

    New reports land at random places in the fingerprint index; with SQLite's default 2 MB
    cache those index pages are written out and read back again and again, which makes a
    200 000-row import several times slower.
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    previous = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size=-{SQLITE_BULK_CACHE_KIB}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size={int(previous or 0)}")


def _bind_processor(type_: Any, dialect: Dialect) -> Callable[[Any], Any] | None:
    """The dialect's conversion of a Python value for a column (None: passed as it is)."""
    processor: Callable[[Any], Any] | None = type_.dialect_impl(dialect).bind_processor(dialect)
    return processor


def _converted(processor: Callable[[Any], Any] | None, value: Any) -> Any:
    return value if processor is None else processor(value)


def _converted_column(
    processor: Callable[[Any], Any] | None, values: Sequence[Any]
) -> Sequence[Any]:
    """A column of values converted; each distinct value once (dates and flags repeat)."""
    if processor is None:
        return values
    seen: dict[Any, Any] = {}
    for value in set(values):
        seen[value] = processor(value)
    return list(map(seen.__getitem__, values))
