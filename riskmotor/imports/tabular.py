"""One reader for tabular imports (CSV and XLSX): case lists now, deviation reports later.

The caller describes the columns it wants (:class:`Column`); :func:`read_table` finds them by
header name, parses every cell and returns the good rows together with every problem found, so
the UI can either list all errors or import only the rows without errors.

Row numbers are the 1-based row numbers the user sees in Excel: with the header on the first
line, the first data row is row 2. This holds for CSV (one record = one row, also when a quoted
field spans several lines) and for XLSX (the worksheet's own row number).

Messages are Swedish because they are shown to the user as they are.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from riskmotor.domain.personal_data import PersonalDataFinding
from riskmotor.imports.cells import (
    as_text,
    is_empty,
    parse_bool,
    parse_date,
    parse_decimal,
    parse_int,
    parse_optional_text,
    parse_text,
)
from riskmotor.imports.columns import ROW_KEY, Column
from riskmotor.imports.display import CONTROL_CHARACTERS, displayable, file_label
from riskmotor.imports.errors import (
    RowError,
    SensitiveValueError,
    TableFormatError,
    TableRowsError,
)
from riskmotor.imports.hostile import MAX_CELL_CHARS, check_cells
from riskmotor.imports.personnummer import (
    PersonnummerScrubber,
)
from riskmotor.imports.pseudonym import Pseudonymiser
from riskmotor.imports.records import file_records
from riskmotor.imports.row_parser import RowParser, has_content


@dataclass(frozen=True, slots=True)
class Table:
    """The rows that parsed without error, and every error found in the other rows."""

    filename: str
    rows: list[dict[str, Any]]
    errors: list[RowError]
    headers: dict[str, str]
    ignored_headers: list[str]
    sha256: str
    personal_data: list[PersonalDataFinding]

    def raise_for_errors(self) -> None:
        """Raise :class:`TableRowsError` if any row had an error (import all or nothing)."""
        if self.errors:
            raise TableRowsError(self.filename, self.errors)


# --- reading ----------------------------------------------------------------------------------


def read_table(
    source: bytes | Path,
    filename: str,
    columns: Sequence[Column],
    *,
    sheet: str | None = None,
    pseudonymiser: Pseudonymiser | None = None,
) -> Table:
    """Read a CSV (.csv, .txt) or XLSX file and parse the wanted columns of every row.

    ``filename`` decides the format and is used in messages (for an uploaded file it is the
    name the user chose). ``sheet`` picks an XLSX worksheet by name; default the first one.
    Raises :class:`TableFormatError` when the file cannot be read at all; problems in single
    cells are collected in :attr:`Table.errors` and those rows are left out of :attr:`Table.rows`.
    Personnummer in any cell are replaced (see :class:`Column`); ``pseudonymiser`` makes the
    pseudonyms of id columns (without it they get "[personnummer]" too).
    """
    stream = stream_table(source, filename, columns, sheet=sheet, pseudonymiser=pseudonymiser)
    rows: list[dict[str, Any]] = []
    errors: list[RowError] = []
    for parsed, row_errors in stream:
        errors.extend(row_errors)
        if not row_errors:
            rows.append(parsed)
    return Table(
        filename=filename,
        rows=rows,
        errors=errors,
        headers=stream.headers,
        ignored_headers=stream.ignored_headers,
        sha256=stream.sha256,
        personal_data=stream.personal_data,
    )


def stream_table(
    source: bytes | Path,
    filename: str,
    columns: Sequence[Column],
    *,
    sheet: str | None = None,
    pseudonymiser: Pseudonymiser | None = None,
) -> TableStream:
    """Like :func:`read_table`, but the rows are parsed one at a time as they are iterated.

    For large files: the caller keeps only what it needs of each row, so a 200 000-row export
    never exists as 200 000 dictionaries. The header is checked at once (same errors as
    :func:`read_table`).
    """
    raw = source.read_bytes() if isinstance(source, Path) else bytes(source)
    sha256 = hashlib.sha256(raw).hexdigest()
    lookup = _header_lookup(columns)
    records, suspicious = file_records(raw, filename, sheet)
    del raw  # the records hold the decoded text; the bytes are no longer needed
    header_row, header = _first_non_empty(records, filename)
    if suspicious:
        check_cells(filename, header_row, header, None)
    positions, ignored = _match_headers(header, lookup, filename)
    _check_required(columns, positions, header, filename)
    return TableStream(
        filename=filename,
        headers={key: as_text(header[index]) for key, index in positions.items()},
        ignored_headers=[_header_label(text) for text in ignored],
        sha256=sha256,
        records=records,
        parse=RowParser(columns, positions, PersonnummerScrubber(pseudonymiser)),
        header=header if suspicious else None,
    )


def _header_label(text: str) -> str:
    """A header as it may be shown: a file without a header row has data there."""
    return displayable(text) or "[dold rubrik]"


@dataclass(slots=True)
class TableStream:
    """A checked header and the rows still to be parsed: iterate for (row, errors) pairs.

    Each pair is the parsed row (with its number under :data:`ROW_KEY`) and the errors in it;
    a row with errors is not usable. Iterate once.
    """

    filename: str
    headers: dict[str, str]
    ignored_headers: list[str]
    sha256: str
    records: Iterator[tuple[int, list[Any]]]
    parse: RowParser
    header: list[Any] | None = None  # set when the cells must be checked for hostile bytes

    @property
    def personal_data(self) -> list[PersonalDataFinding]:
        """Where personnummer were found and replaced in the rows iterated so far."""
        return self.parse.findings

    def __iter__(self) -> Iterator[tuple[dict[str, Any], list[RowError]]]:
        parse = self.parse
        header = self.header
        filename = self.filename
        search = CONTROL_CHARACTERS.search
        for row_number, cells in self.records:
            # One joined text per row answers both questions for a row of text cells (every
            # CSV row): may a cell be hostile, and does the row hold anything at all.
            try:
                joined = "".join(cells)
            except TypeError:  # an XLSX row with numbers, dates or empty cells
                if header is not None:
                    check_cells(filename, row_number, cells, header)
                if has_content(cells):
                    yield parse(row_number, cells)
                continue
            if header is not None and (len(joined) > MAX_CELL_CHARS or search(joined) is not None):
                check_cells(filename, row_number, cells, header)
            # Not blank: str.isspace and str.strip agree on what whitespace is.
            if joined and not joined.isspace():
                yield parse(row_number, cells)


def normalise_header(text: str) -> str:
    """Header comparison form: case-folded, '_' '-' '.' as spaces, whitespace collapsed."""
    spaced = re.sub(r"[_\-.]", " ", text)
    return " ".join(spaced.casefold().split())


def _header_lookup(columns: Sequence[Column]) -> dict[str, Column]:
    lookup: dict[str, Column] = {}
    for column in columns:
        for name in (column.key, column.label, *column.synonyms):
            normalised = normalise_header(name)
            other = lookup.setdefault(normalised, column)
            # Two columns answering to the same header is a bug in the caller's definition.
            if other.key != column.key:
                raise ValueError(f"header {name!r} matches both {other.key!r} and {column.key!r}")
    return lookup


def _match_headers(
    header: Sequence[Any], lookup: dict[str, Column], filename: str
) -> tuple[dict[str, int], list[str]]:
    """Map column key to header position; list the headers that matched no column."""
    positions: dict[str, int] = {}
    ignored: list[str] = []
    for index, cell in enumerate(header):
        text = as_text(cell)
        column = lookup.get(normalise_header(text))
        if column is None:
            if text:
                ignored.append(text)
            continue
        if column.key in positions:
            first = as_text(header[positions[column.key]])
            raise TableFormatError(
                f"Filen {file_label(filename)} har kolumnen {column.label} flera gånger "
                f"(rubrikerna '{_header_label(first)}' och '{_header_label(text)}'). "
                "Ta bort den ena och försök igen."
            )
        positions[column.key] = index
    return positions, ignored


def _check_required(
    columns: Sequence[Column], positions: dict[str, int], header: Sequence[Any], filename: str
) -> None:
    missing = [
        column.label for column in columns if column.required and column.key not in positions
    ]
    if missing:
        found = (
            ", ".join(f"'{_header_label(as_text(cell))}'" for cell in header if as_text(cell))
            or "inga"
        )
        what = "kolumnen" if len(missing) == 1 else "kolumnerna"
        raise TableFormatError(
            f"Filen {file_label(filename)} saknar {what} {', '.join(missing)}. "
            f"Rubriker som hittades: {found}."
        )


def _first_non_empty(
    records: Iterator[tuple[int, list[Any]]], filename: str
) -> tuple[int, list[Any]]:
    for row_number, cells in records:
        if not is_empty(cells):
            return row_number, cells
    raise TableFormatError(f"Filen {file_label(filename)} är tom: ingen rubrikrad hittades.")


__all__ = [
    "ROW_KEY",
    "Column",
    "RowError",
    "SensitiveValueError",
    "Table",
    "TableFormatError",
    "TableRowsError",
    "TableStream",
    "normalise_header",
    "parse_bool",
    "parse_date",
    "parse_decimal",
    "parse_int",
    "parse_optional_text",
    "parse_text",
    "read_table",
    "stream_table",
]
