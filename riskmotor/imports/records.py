"""The rows of a CSV or XLSX file as (row number, cells), before any column is parsed.

CSV: UTF-8 (with or without BOM), UTF-16 with BOM or Windows-1252; ";", "," or tab, sniffed
from the header line or given by Excel's "sep=" line. XLSX: the first worksheet or a named one.

Encoding rules (see docs/imports.md): a file that is valid UTF-8 is read as UTF-8; otherwise
as Windows-1252, which also covers every printable character of ISO-8859-1 (Latin-1). A byte
that Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) means the file is neither,
and it is refused. Control characters are refused later, cell by cell (``hostile``), so the
message can name the row and the column.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from riskmotor.imports.display import CONTROL_CHARACTERS, file_label, printable
from riskmotor.imports.errors import HostileInputError, TableFormatError
from riskmotor.imports.hostile import MAX_CELL_CHARS

CSV_EXTENSIONS = (".csv", ".txt")
XLSX_EXTENSIONS = (".xlsx",)


def file_records(
    raw: bytes, filename: str, sheet: str | None
) -> tuple[Iterator[tuple[int, list[Any]]], bool]:
    """(1-based row number, cells) for every row of the file, in order; and whether the cells
    must be checked for hostile content (False when the whole text is known to be clean, which
    spares the check on every cell of a large, ordinary export)."""
    extension = Path(filename).suffix.casefold()
    if extension in CSV_EXTENSIONS:
        text = _decode(raw, filename)
        suspicious = len(text) > MAX_CELL_CHARS or CONTROL_CHARACTERS.search(text) is not None
        return _csv_records(text, filename), suspicious
    if extension in XLSX_EXTENSIONS:
        return iter(_xlsx_records(raw, filename, sheet)), True
    raise TableFormatError(
        f"Filen {file_label(filename)} kan inte läsas: formatet stöds inte. "
        "Spara den som CSV (.csv) eller Excel-arbetsbok (.xlsx)."
    )


# --- CSV ---------------------------------------------------------------------------------------


def _csv_records(text: str, filename: str) -> Iterator[tuple[int, list[Any]]]:
    lines = _lines(text)
    first_line = next(lines, "")
    hint = re.fullmatch(r"sep=(.)", first_line.strip())
    if not hint:
        lines = itertools.chain([first_line], lines)
    # Excel's own "sep=;" line is not shown as a row by Excel, so it gets no number.
    lines, peek = itertools.tee(lines)
    first = next((line for line in peek if line.strip()), "")
    del peek  # only the header was needed; tee keeps nothing once both have passed it
    delimiter = hint.group(1) if hint else _sniff_delimiter(first)
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        yield from enumerate(reader, start=1)
    except csv.Error as error:
        # csv's messages are English and may quote the line; name the line only.
        raise TableFormatError(
            f"Filen {file_label(filename)} kunde inte läsas som CSV (rad {reader.line_num}): "
            "en cell är för stor eller citattecknen stämmer inte."
        ) from error


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` with their line ends, as ``csv`` wants them, without a copy.

    Lines end at "\\r\\n", "\\n" or a lone "\\r" (old Macs), as ``io.StringIO(newline="")``
    would split them — which would also hold the whole file again, four bytes a character.
    """
    return map(_matched, _LINE.finditer(text))


_LINE = re.compile(r"[^\r\n]*(?:\r\n?|\n)|[^\r\n]+\Z")
_matched: Callable[[re.Match[str]], str] = re.Match.group


def _decode(raw: bytes, filename: str) -> str:
    """Text of a CSV file: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252.

    Excel on Windows saves "CSV" in the ANSI code page (cp1252 for Swedish) and "Unicode text"
    as UTF-16; both are common in municipal exports, so they are accepted without comment.
    Anything else is refused rather than guessed: a wrong guess would store garbled names.
    """
    try:
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            return raw.decode("utf-16")
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            return raw.decode("cp1252")  # five byte values are undefined in cp1252
    except UnicodeDecodeError as error:
        row = raw[: error.start].count(b"\n") + 1
        raise HostileInputError(
            f"Filen {file_label(filename)} kan inte importeras: rad {row} innehåller tecken "
            "som varken är UTF-8 eller Windows-1252 (filen kan vara binär eller skadad). "
            "Inget har importerats. Spara filen som CSV (UTF-8) och försök igen."
        ) from None


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
    # Imported here: openpyxl (with numpy and Pillow) is only needed for .xlsx files, and
    # every CLI command reaches this module through the pseudonymiser.
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as error:
        raise TableFormatError(
            f"Filen {file_label(filename)} kunde inte läsas som Excel-arbetsbok (.xlsx). "
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
        raise TableFormatError(
            f"Filen {file_label(filename)} saknar bladet {printable(sheet)}. "
            f"Blad som finns: {printable(found)}."
        )
    return workbook[sheet]
