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

import csv
import hashlib
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from riskmotor.errors import InvalidInputError

ROW_KEY = "_row"
CSV_EXTENSIONS = (".csv", ".txt")
XLSX_EXTENSIONS = (".xlsx",)
MAX_LISTED_ERRORS = 20

# --- errors -----------------------------------------------------------------------------------


class TableFormatError(InvalidInputError):
    """The file as a whole cannot be read: wrong format, missing or duplicated columns."""


class SensitiveValueError(ValueError):
    """A parser's error whose cell value must not be repeated (personal data).

    :func:`read_table` records such an error without the raw value, so a personnummer that
    fails validation never ends up in an error list, a log or a screenshot.
    """


@dataclass(frozen=True, slots=True)
class RowError:
    """A problem with one cell; ``value`` is None when it was withheld as personal data."""

    row: int
    column: str
    value: Any
    problem: str

    def __str__(self) -> str:
        shown = "" if self.value is None else f" (värde: '{self.value}')"
        return f"Rad {self.row}, kolumn {self.column}: {self.problem}{shown}"


class TableRowsError(InvalidInputError):
    """Raised by :meth:`Table.raise_for_errors`: one or more rows could not be read."""

    def __init__(self, filename: str, errors: Sequence[RowError]) -> None:
        self.errors = list(errors)
        listed = [f"- {error}" for error in self.errors[:MAX_LISTED_ERRORS]]
        if len(self.errors) > MAX_LISTED_ERRORS:
            listed.append(f"- … och {len(self.errors) - MAX_LISTED_ERRORS} fel till")
        super().__init__(
            f"Filen {filename} har {len(self.errors)} fel. Inget har importerats.\n"
            + "\n".join(listed)
        )


# --- column description and result ------------------------------------------------------------


def parse_text(value: Any) -> str:
    """Cell text with surrounding whitespace removed; numbers as Excel shows them (12, 1.5)."""
    text = _as_text(value)
    if not text:
        raise ValueError("saknar värde")
    return text


@dataclass(frozen=True, slots=True)
class Column:
    """A wanted column: matched by ``key``, ``label`` or any of ``synonyms`` (see module doc).

    ``required`` means the column must be present and every row must have a value in it. Empty
    cells of an optional column become None without calling ``parser``. ``parser`` receives
    the raw cell value (str for CSV; str, int, float, bool, date or datetime for XLSX) and
    raises ``ValueError`` with a Swedish message for a bad value.
    """

    key: str
    label: str
    synonyms: tuple[str, ...] = ()
    required: bool = True
    parser: Callable[[Any], Any] = parse_text


@dataclass(frozen=True, slots=True)
class Table:
    """The rows that parsed without error, and every error found in the other rows."""

    filename: str
    rows: list[dict[str, Any]]
    errors: list[RowError]
    headers: dict[str, str]
    ignored_headers: list[str]
    sha256: str

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
) -> Table:
    """Read a CSV (.csv, .txt) or XLSX file and parse the wanted columns of every row.

    ``filename`` decides the format and is used in messages (for an uploaded file it is the
    name the user chose). ``sheet`` picks an XLSX worksheet by name; default the first one.
    Raises :class:`TableFormatError` when the file cannot be read at all; problems in single
    cells are collected in :attr:`Table.errors` and those rows are left out of :attr:`Table.rows`.
    """
    raw = source.read_bytes() if isinstance(source, Path) else bytes(source)
    lookup = _header_lookup(columns)
    records = _records(raw, filename, sheet)
    _, header = _first_non_empty(records, filename)
    positions, ignored = _match_headers(header, lookup, filename)
    _check_required(columns, positions, header, filename)
    rows: list[dict[str, Any]] = []
    errors: list[RowError] = []
    for row_number, cells in records:
        if _is_empty(cells):
            continue
        parsed, row_errors = _parse_row(row_number, cells, columns, positions)
        errors.extend(row_errors)
        if not row_errors:
            rows.append(parsed)
    return Table(
        filename=filename,
        rows=rows,
        errors=errors,
        headers={key: _as_text(header[index]) for key, index in positions.items()},
        ignored_headers=ignored,
        sha256=hashlib.sha256(raw).hexdigest(),
    )


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
        text = _as_text(cell)
        column = lookup.get(normalise_header(text))
        if column is None:
            if text:
                ignored.append(text)
            continue
        if column.key in positions:
            first = _as_text(header[positions[column.key]])
            raise TableFormatError(
                f"Filen {filename} har kolumnen {column.label} flera gånger "
                f"(rubrikerna '{first}' och '{text}'). Ta bort den ena och försök igen."
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
        found = ", ".join(f"'{_as_text(cell)}'" for cell in header if _as_text(cell)) or "inga"
        what = "kolumnen" if len(missing) == 1 else "kolumnerna"
        raise TableFormatError(
            f"Filen {filename} saknar {what} {', '.join(missing)}. Rubriker som hittades: {found}."
        )


def _parse_row(
    row_number: int, cells: Sequence[Any], columns: Sequence[Column], positions: dict[str, int]
) -> tuple[dict[str, Any], list[RowError]]:
    parsed: dict[str, Any] = {ROW_KEY: row_number}
    errors: list[RowError] = []
    for column in columns:
        index = positions.get(column.key)
        raw = cells[index] if index is not None and index < len(cells) else None
        if _is_blank(raw):
            parsed[column.key] = None
            if column.required:
                errors.append(RowError(row_number, column.label, "", "saknar värde"))
            continue
        try:
            parsed[column.key] = column.parser(raw)
        except SensitiveValueError as error:
            errors.append(RowError(row_number, column.label, None, str(error)))
        except ValueError as error:
            errors.append(RowError(row_number, column.label, _shown(raw), str(error)))
    return parsed, errors


def _first_non_empty(
    records: Iterator[tuple[int, list[Any]]], filename: str
) -> tuple[int, list[Any]]:
    for row_number, cells in records:
        if not _is_empty(cells):
            return row_number, cells
    raise TableFormatError(f"Filen {filename} är tom: ingen rubrikrad hittades.")


def _records(raw: bytes, filename: str, sheet: str | None) -> Iterator[tuple[int, list[Any]]]:
    """(1-based row number, cells) for every row of the file, in order."""
    extension = Path(filename).suffix.casefold()
    if extension in CSV_EXTENSIONS:
        return _csv_records(raw, filename)
    if extension in XLSX_EXTENSIONS:
        return iter(_xlsx_records(raw, filename, sheet))
    raise TableFormatError(
        f"Filen {filename} kan inte läsas: formatet stöds inte. "
        "Spara den som CSV (.csv) eller Excel-arbetsbok (.xlsx)."
    )


# --- CSV ---------------------------------------------------------------------------------------


def _csv_records(raw: bytes, filename: str) -> Iterator[tuple[int, list[Any]]]:
    text = _decode(raw)
    first_line, _, rest = text.partition("\n")
    hint = re.fullmatch(r"sep=(.)", first_line.strip())
    if hint:
        # Excel's own "sep=;" line: Excel does not show it as a row, so it gets no number.
        text = rest
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = hint.group(1) if hint else _sniff_delimiter(first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for row_number, cells in enumerate(reader, start=1):
            yield row_number, list(cells)
    except csv.Error as error:
        raise TableFormatError(
            f"Filen {filename} kunde inte läsas som CSV (rad {reader.line_num}): {error}"
        ) from error


def _decode(raw: bytes) -> str:
    """Text of a CSV file: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252.

    Excel on Windows saves "CSV" in the ANSI code page (cp1252 for Swedish) and "Unicode text"
    as UTF-16; both are common in municipal exports, so they are accepted without comment.
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:  # five byte values are unassigned in cp1252
        return raw.decode("latin-1")


def _sniff_delimiter(header_line: str) -> str:
    """';', ',' or tab: whichever occurs most often outside quotes in the header line.

    Counting is used instead of ``csv.Sniffer`` because the sniffer guesses from letter
    frequencies and can pick a letter for a one-line header. Ties go to ';', the delimiter of
    Swedish Excel.
    """
    counts = dict.fromkeys((";", ",", "\t"), 0)
    quoted = False
    for char in header_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    return max(counts, key=lambda delimiter: counts[delimiter])


# --- XLSX --------------------------------------------------------------------------------------


def _xlsx_records(raw: bytes, filename: str, sheet: str | None) -> list[tuple[int, list[Any]]]:
    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as error:
        raise TableFormatError(
            f"Filen {filename} kunde inte läsas som Excel-arbetsbok (.xlsx). "
            "Kontrollera att den inte är skadad eller lösenordsskyddad."
        ) from error
    try:
        worksheet = _pick_sheet(workbook, filename, sheet)
        # Some programs write a wrong sheet size; without this openpyxl trusts it and cuts rows.
        worksheet.reset_dimensions()
        rows = worksheet.iter_rows(values_only=True)
        return [(number, list(cells)) for number, cells in enumerate(rows, start=1)]
    finally:
        workbook.close()  # read-only workbooks keep the archive open until closed


def _pick_sheet(workbook: Any, filename: str, sheet: str | None) -> Any:
    if sheet is None:
        return workbook.worksheets[0]
    if sheet not in workbook.sheetnames:
        found = ", ".join(workbook.sheetnames)
        raise TableFormatError(f"Filen {filename} saknar bladet {sheet}. Blad som finns: {found}.")
    return workbook[sheet]


# --- cell helpers -----------------------------------------------------------------------------


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores every number as float; 12.0 was typed as 12
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date().isoformat()  # a date-formatted Excel cell is read as midnight
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _is_empty(cells: Iterable[Any]) -> bool:
    return all(_is_blank(cell) for cell in cells)


def _shown(value: Any) -> Any:
    """Raw value as recorded in a RowError: text as the user sees it, other types as they are."""
    return value.strip() if isinstance(value, str) else value


# --- ready-made parsers ------------------------------------------------------------------------

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?")
_COMPACT_DATE = re.compile(r"\d{8}")
_DATE_PROBLEM = "ogiltigt datum, använd ÅÅÅÅ-MM-DD"
_NUMBER_PROBLEM = "ogiltigt tal, skriv till exempel 1 234,5"
_SPACES = re.compile(r"[\s\u00a0\u2007\u202f]+")  # nbsp and thin spaces from Excel's formats
_GROUPED = re.compile(r"[+-]?\d{1,3}( \d{3})+([.,]\d+)?")
_PLAIN = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)")
_TRUE = frozenset({"ja", "j", "x", "yes", "y", "true", "1", "sant"})
_FALSE = frozenset({"nej", "n", "no", "false", "0", "falskt"})


def parse_optional_text(value: Any) -> str | None:
    """Like :func:`parse_text`, but an empty cell gives None instead of an error."""
    return _as_text(value) or None


def parse_date(value: Any) -> date:
    """A date from an Excel date cell, ÅÅÅÅ-MM-DD, ÅÅÅÅ-MM-DD tt:mm[:ss] or ÅÅÅÅMMDD.

    Day-first and month-first forms (01/02/2027) are refused: they are ambiguous, and a wrong
    guess would move a case into or out of the period without anyone noticing.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # ÅÅÅÅMMDD typed into a number cell
    if not isinstance(value, str):
        raise ValueError(_DATE_PROBLEM)
    text = value.strip()
    try:
        if _ISO_DATE.fullmatch(text):
            return date.fromisoformat(text)
        if _ISO_DATETIME.fullmatch(text):
            return datetime.fromisoformat(text).date()
        if _COMPACT_DATE.fullmatch(text):
            return datetime.strptime(text, "%Y%m%d").date()
    except ValueError:  # right shape, impossible date such as 2027-02-30
        pass
    raise ValueError(_DATE_PROBLEM)


def parse_decimal(value: Any) -> Decimal:
    """A number with decimal comma or point; spaces as thousands separator ("1 234,5").

    Text with both ',' and '.' is refused: "1.234,5" and "1,234.5" mean different numbers and
    guessing which one the user meant is worse than asking.
    """
    if isinstance(value, bool):
        raise ValueError(_NUMBER_PROBLEM)
    if isinstance(value, int | Decimal):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))  # shortest decimal form: 0.35, not 0.34999…
    elif isinstance(value, str):
        number = _decimal_from_text(value)
    else:
        raise ValueError(_NUMBER_PROBLEM)
    if not number.is_finite():
        raise ValueError(_NUMBER_PROBLEM)
    return number


def _decimal_from_text(value: str) -> Decimal:
    text = _SPACES.sub(" ", value.strip()).replace("\u2212", "-")  # Unicode minus sign
    if " " in text:
        if not _GROUPED.fullmatch(text):
            raise ValueError(_NUMBER_PROBLEM)
        text = text.replace(" ", "")
    if not _PLAIN.fullmatch(text):
        raise ValueError(_NUMBER_PROBLEM)
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation as error:
        raise ValueError(_NUMBER_PROBLEM) from error


def parse_int(value: Any) -> int:
    """A whole number; accepts the same spellings as :func:`parse_decimal` ("1 234", "3,0")."""
    try:
        number = parse_decimal(value)
    except ValueError:
        raise ValueError("ogiltigt heltal") from None
    if number != number.to_integral_value():
        raise ValueError("ska vara ett heltal")
    return int(number)


def parse_bool(value: Any) -> bool:
    """Ja/nej in the usual spellings: ja, nej, j, n, x, yes, no, true, false, sant, falskt, 1, 0."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = " ".join(str(value).casefold().split())
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError("ogiltigt värde, använd Ja eller Nej")


__all__ = [
    "ROW_KEY",
    "Column",
    "RowError",
    "SensitiveValueError",
    "Table",
    "TableFormatError",
    "TableRowsError",
    "normalise_header",
    "parse_bool",
    "parse_date",
    "parse_decimal",
    "parse_int",
    "parse_optional_text",
    "parse_text",
    "read_table",
]
