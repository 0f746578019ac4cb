"""What a reader is asked for: the wanted columns and the key each parsed row keeps its row
number under (see :mod:`riskmotor.imports.tabular`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from riskmotor.imports.cells import parse_text
from riskmotor.imports.personnummer import PersonalField

ROW_KEY = "_row"


@dataclass(frozen=True, slots=True)
class Column:
    """A wanted column: matched by ``key``, ``label`` or any of ``synonyms`` (see module doc).

    ``required`` means the column must be present and every row must have a value in it. Empty
    cells of an optional column become None without calling ``parser``. ``parser`` receives
    the raw cell value (str for CSV; str, int, float, bool, date or datetime for XLSX) and
    raises ``ValueError`` with a Swedish message for a bad value.

    ``personal`` says how a personnummer found in the column is replaced before parsing
    (every column is scanned): by "[personnummer]" (free text, the default), by its pseudonym
    (id columns), or not at all because the parser pseudonymises (the Personnummer column).
    """

    key: str
    label: str
    synonyms: tuple[str, ...] = ()
    required: bool = True
    parser: Callable[[Any], Any] = parse_text
    personal: PersonalField = PersonalField.TEXT
