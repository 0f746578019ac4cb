"""How cell values and names may appear in messages: never a possible personnummer, never a
control character. Used by every error the import reader raises."""

from __future__ import annotations

import re
from typing import Any

# Ten or more digits (with at most two other characters between them) in a value: it may be
# a personnummer, valid or mistyped, so it is not repeated.
_MANY_DIGITS = re.compile(r"(?:\d\D{0,2}){10}", re.ASCII)
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
MAX_SHOWN_CHARS = 40
MAX_FILENAME_CHARS = 200


def may_hold_personnummer(value: Any) -> bool:
    """True when a value could be (part of) a personnummer, so it must not be shown."""
    if isinstance(value, bool) or value is None:
        return False
    return _MANY_DIGITS.search(str(value)) is not None


def printable(text: str, limit: int = MAX_SHOWN_CHARS) -> str:
    """``text`` for a message: control characters removed, on one line, cut to ``limit``."""
    cleaned = " ".join(CONTROL_CHARACTERS.sub("", text).split())
    if len(cleaned) > limit:
        return cleaned[: limit - 1] + "…"
    return cleaned


def file_label(filename: str) -> str:
    """A file name for a message (an uploaded name is user input, too)."""
    return printable(filename, MAX_FILENAME_CHARS)


def displayable(value: Any) -> str | None:
    """A cell value as it may appear in an error message, or None when it must be withheld."""
    if value is None or may_hold_personnummer(value):
        return None
    return printable(str(value))
