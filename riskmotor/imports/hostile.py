"""Refusing bytes that no export program writes, before anything is parsed or stored.

A NUL byte, other control characters (except tab and line ends) and cells longer than Excel
allows (32 767 characters) are refused for the whole file with one line that names the file,
the row and the column, never the content: PostgreSQL cannot store NUL at all, and such bytes
mean a binary or damaged file, not a case list. Tab, line feed and carriage return are normal
inside quoted multi-line text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from riskmotor.imports.display import CONTROL_CHARACTERS, displayable, file_label
from riskmotor.imports.errors import HostileInputError

MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell


def check_cells(
    filename: str, row: int, cells: Sequence[Any], header: Sequence[Any] | None
) -> None:
    """Raise :class:`HostileInputError` for the first hostile cell of a row."""
    if row_is_clean(cells):
        return
    for index, cell in enumerate(cells):
        if cell.__class__ is not str:
            continue
        if len(cell) > MAX_CELL_CHARS:
            problem = f"en cell med mer än {MAX_CELL_CHARS:,} tecken".replace(",", " ")
        elif CONTROL_CHARACTERS.search(cell) is not None:
            problem = "NUL-tecken" if "\x00" in cell else "otillåtna styrtecken"
        else:
            continue
        raise HostileInputError(
            f"Filen {file_label(filename)} kan inte importeras: rad {row}, "
            f"{column_name(header, index)} innehåller {problem}. Inget har importerats. "
            "Spara filen på nytt som CSV (UTF-8) eller Excel-arbetsbok och försök igen."
        )


def row_is_clean(cells: Sequence[Any]) -> bool:
    """True when no cell of the row can be hostile: one search over the text cells joined
    (a control character is one character, so joining cannot make or hide one) and one
    length check. False means "look cell by cell", not that a cell is hostile."""
    try:
        joined = "".join(cells)
    except TypeError:  # an XLSX row with numbers or dates: only its text cells count
        joined = "".join([cell for cell in cells if cell.__class__ is str])
    return len(joined) <= MAX_CELL_CHARS and CONTROL_CHARACTERS.search(joined) is None


def column_name(header: Sequence[Any] | None, index: int) -> str:
    """'kolumn Enhet', or 'kolumn 3' when the header cell cannot be shown."""
    if header is not None and index < len(header) and isinstance(header[index], str | int):
        shown = displayable(header[index])
        if shown and CONTROL_CHARACTERS.search(str(header[index])) is None:
            return f"kolumn {shown}"
    return f"kolumn {index + 1}"
