"""One rule for text that a spreadsheet program could run as a formula, for every download.

Excel, LibreOffice and Numbers treat a cell that starts with '=', '+', '-' or '@' (and, in
some versions, a tab or carriage return before one of them) as a formula, so text such as
``=HYPERLINK(…)`` or ``+cmd|' /C calc'!A0`` from an imported file would run when a
downloaded file is opened. The workbook writer (``riskmotor.export.xlsx.safe``) stores every
string as a text cell, which makes such text harmless there. A CSV file has no cell types, so
:func:`csv_safe` puts an apostrophe in front of text starting with one of
:data:`FORMULA_LEADERS`, the OWASP-recommended escape that every spreadsheet program shows as
text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

FORMULA_LEADERS = ("=", "+", "-", "@", "\t", "\r")
TEXT_MARK = "'"


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet program would read ``text`` as a formula (or start of one)."""
    return text.startswith(FORMULA_LEADERS)


def csv_safe(value: Any) -> Any:
    """The value to write to a CSV download: formula-like text gets a leading apostrophe.

    Numbers, dates and None are returned unchanged (a negative number is a number, not text);
    only strings are escaped.
    """
    if isinstance(value, str) and is_formula_like(value):
        return TEXT_MARK + value
    return value


def csv_safe_row(values: Iterable[Any]) -> list[Any]:
    """:func:`csv_safe` over a row of values."""
    return [csv_safe(value) for value in values]


def csv_download(rows: Sequence[Mapping[str, Any]], *, delimiter: str = ";") -> bytes:
    """Rows as a CSV file for Swedish Excel (';', UTF-8 with BOM), formula-like text escaped.

    Every CSV riskmotor offers for download goes through here, so text from an imported file
    opens as text, never as a formula.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    if rows:
        columns = list(rows[0])
        writer.writerow(csv_safe_row(columns))
        writer.writerows(csv_safe_row(row.get(column) for column in columns) for row in rows)
    return buffer.getvalue().encode("utf-8-sig")
