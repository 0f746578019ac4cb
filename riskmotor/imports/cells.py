"""Cell parsers for tabular imports: text, dates, numbers and yes/no as Swedish users write
them. Each raises ``ValueError`` with a Swedish message for a bad value, which the reader
records against the row and column."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from riskmotor.domain.terms import ANSWER_LABELS

# --- cell helpers -----------------------------------------------------------------------------


def as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return ANSWER_LABELS["ja" if value else "nej"]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores every number as float; 12.0 was typed as 12
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date().isoformat()  # a date-formatted Excel cell is read as midnight
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def is_empty(cells: Iterable[Any]) -> bool:
    return all(is_blank(cell) for cell in cells)


def shown(value: Any) -> Any:
    """Raw value as recorded in a RowError: text as the user sees it, other types as they are."""
    return value.strip() if isinstance(value, str) else value


def parse_text(value: Any) -> str:
    """Cell text with surrounding whitespace removed; numbers as Excel shows them (12, 1.5)."""
    text = as_text(value)
    if not text:
        raise ValueError("saknar värde")
    return text


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
    return as_text(value) or None


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
