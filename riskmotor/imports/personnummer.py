"""Finding personnummer and samordningsnummer in any imported cell and replacing them.

Staff type numbers into whatever column is at hand, so every text cell of an import is
scanned, not only the column named Personnummer. A candidate is ÅÅMMDDNNNN or ÅÅÅÅMMDDNNNN,
with or without '-' or '+' before the last four digits, not part of a longer digit run; it
counts as a number only when its date is valid (day + 60 for a samordningsnummer) and its
Luhn check digit is right, so ordinary ids and amounts are left alone.

In an id column (Ärende-id, Handläggare, Enhet, Avvikelse-id) a number is replaced by its
pseudonym, so rows of the same person still group together; in free text (Orsak,
Beskrivning, Kommentar) by ``[personnummer]``. Nothing here keeps or reports the digits.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any

from riskmotor.domain.personal_data import PERSONNUMMER_PLACEHOLDER
from riskmotor.imports.pseudonym import Pseudonymiser, normalise_personnummer

_CANDIDATE = re.compile(r"(?<!\d)(?:\d{8}|\d{6})[-+]?\d{4}(?!\d)", re.ASCII)
# A text without a match holds no personnummer: scrub leaves it as it is.
PERSONNUMMER_CANDIDATE = _CANDIDATE


class PersonalField(StrEnum):
    """How personal data found in a column is replaced."""

    ID = "id"  # by the pseudonym: the column groups or links rows
    TEXT = "text"  # by "[personnummer]": free text
    OWN_PARSER = "own"  # the column's parser pseudonymises it (the Personnummer column)


def is_personnummer(candidate: str | int) -> bool:
    """True for a valid personnummer or samordningsnummer (any accepted spelling)."""
    try:
        normalise_personnummer(candidate)
    except ValueError:
        return False
    return True


class PersonnummerScrubber:
    """Replaces every personnummer in a cell; keeps no record of the numbers it saw."""

    __slots__ = ("_pseudonymiser",)

    def __init__(self, pseudonymiser: Pseudonymiser | None) -> None:
        self._pseudonymiser = pseudonymiser

    def scrub(self, value: Any, kind: PersonalField) -> tuple[Any, int]:
        """(the value with numbers replaced, how many were replaced)."""
        if kind is PersonalField.OWN_PARSER:
            return value, 0
        if isinstance(value, int | float) and not isinstance(value, bool):
            return self._scrub_number(value, kind)
        if not isinstance(value, str) or _CANDIDATE.search(value) is None:
            return value, 0
        found = 0

        def replace(match: re.Match[str]) -> str:
            nonlocal found
            if not is_personnummer(match.group()):
                return match.group()
            found += 1
            return self._replacement(match.group(), kind)

        return _CANDIDATE.sub(replace, value), found

    def _scrub_number(self, value: float, kind: PersonalField) -> tuple[Any, int]:
        # A number typed into an Excel number cell: 10 digits (leading zero lost) or 12.
        if isinstance(value, float):
            if not value.is_integer():
                return value, 0
            value = int(value)
        if not 100_000_000 <= value < 1_000_000_000_000 or not is_personnummer(value):
            return value, 0
        return self._replacement(value, kind), 1

    def _replacement(self, number: str | int, kind: PersonalField) -> str:
        if kind is PersonalField.ID and self._pseudonymiser is not None:
            return self._pseudonymiser.pseudonym(number)
        return PERSONNUMMER_PLACEHOLDER
