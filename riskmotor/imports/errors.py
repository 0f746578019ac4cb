"""Errors of the tabular reader; messages are Swedish because users see them as they are."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from riskmotor.errors import InvalidInputError
from riskmotor.imports.display import displayable, printable

MAX_LISTED_ERRORS = 20


class TableFormatError(InvalidInputError):
    """The file as a whole cannot be read: wrong format, missing or duplicated columns."""


class HostileInputError(TableFormatError):
    """The file holds bytes no export program writes (NUL, binary data, huge cells).

    Raised while reading, before anything is stored; the message is one line that names the
    file, row and column and never repeats the content.
    """


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
        # A value is repeated only when it cannot be (part of) a personnummer, and without
        # control characters: the message may end up in a log, a screenshot or an e-mail.
        text = displayable(self.value)
        shown = f" (värde: '{text}')" if text else ""
        return f"Rad {self.row}, kolumn {printable(self.column)}: {self.problem}{shown}"


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
