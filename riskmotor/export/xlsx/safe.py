"""Formula-injection-safe cell writing for every XLSX file riskmotor produces.

Text from users and imported files (case ids, names, comments) may start with '=', '+', '-' or
'@'. openpyxl stores such a string as a formula, and Excel would run it when the file is opened
(``=HYPERLINK(...)``, DDE and the like). Writing through :func:`write_cell` stores every string
as a text cell instead, so it shows exactly what was typed; the text is not altered (no
apostrophe prefix), and it reads back as the same string.

A carriage return in text is stored but comes back as a line feed: XML parsers, Excel's and
openpyxl's alike, normalise line ends. It is still text, never a formula.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

CellValue = str | int | float | Decimal | bool | date | datetime | time | timedelta | None
# Characters XML 1.0 cannot hold. openpyxl rejects the control characters itself but writes
# U+FFFE, U+FFFF and lone surrogates into a file that neither Excel nor openpyxl can open.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_PASSED_THROUGH = (int, float, Decimal, bool, date, datetime, time, timedelta)


def safe_value(value: Any) -> CellValue:
    """The value to store: numbers, dates, bools and None unchanged; any str as a plain str.

    Characters that XML cannot hold at all (e.g. a vertical tab pasted from another program)
    are removed, since otherwise the whole workbook could not be written or opened.
    Leading '=', '+', '-', '@', tab and carriage return are kept; :func:`write_cell` marks the
    cell as text, which is what makes them harmless. Other types raise ``TypeError``.
    """
    if isinstance(value, datetime | time) and value.tzinfo is not None:
        # openpyxl only fails at save time, far from the cause; fail here instead.
        raise TypeError("Excel cannot store time zones: convert to a naive local time first")
    if value is None or isinstance(value, _PASSED_THROUGH):
        return value
    if isinstance(value, str):
        # str.__str__ turns str subclasses (StrEnum members) into plain strings for openpyxl.
        return _NOT_IN_XML.sub("", str.__str__(value))
    raise TypeError(f"cannot write {type(value).__name__} to a spreadsheet cell")


def write_cell(ws: Worksheet, row: int, col: int, value: Any) -> Cell:
    """Write ``value`` to the cell at 1-based ``row``/``col``; strings always as text cells."""
    cell = ws.cell(row=row, column=col)
    stored = safe_value(value)
    cell.value = stored
    if isinstance(stored, str):
        # openpyxl infers 'f' (formula) for a leading '=' and 'e' (error) for '#N/A'; force
        # the string type so the text is written to the shared-string table and never run.
        cell.data_type = "s"
    return cell


def write_row(
    ws: Worksheet, row_index: int, values: Iterable[Any], start_col: int = 1
) -> list[Cell]:
    """Write ``values`` left to right on ``row_index`` from ``start_col``; return the cells."""
    return [
        write_cell(ws, row_index, start_col + offset, value) for offset, value in enumerate(values)
    ]
