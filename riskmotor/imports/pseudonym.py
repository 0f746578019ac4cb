"""Personnummer pseudonymisation: the raw number is replaced on import by a keyed hash.

The pseudonym is ``"pn_"`` plus the first 24 hex digits (96 bits) of HMAC-SHA256 over the
normalised 12-digit number, keyed with a secret that belongs to the installation. The same
person gets the same pseudonym within one installation, so cases can be linked, but without the
secret the number cannot be recovered by hashing every possible personnummer (there are only a
few billion, which a plain hash would not protect).

No message, exception or ``repr`` produced here contains digits of a personnummer or the secret.
"""

from __future__ import annotations

import calendar
import hashlib
import hmac
import re
from collections.abc import Callable
from datetime import date
from typing import Any

from riskmotor.errors import InvalidInputError
from riskmotor.imports.errors import SensitiveValueError

MIN_SECRET_BYTES = 16
PSEUDONYM_PREFIX = "pn_"
PSEUDONYM_HEX_DIGITS = 24
INVALID_MESSAGE = "ogiltigt personnummer"

FINGERPRINT_PREFIX = "sha256:"
FINGERPRINT_HEX_DIGITS = 32
_FINGERPRINT_LABEL = b"riskmotor pseudonym key fingerprint v1"

_SHAPE = re.compile(r"(?P<date>\d{6}|\d{8})(?P<separator>[-+]?)(?P<serial>\d{4})", re.ASCII)
_COORDINATION_OFFSET = 60  # samordningsnummer: day of birth + 60


class PseudonymSecretError(InvalidInputError):
    """The installation secret is missing, unreadable or malformed."""


def normalise_personnummer(text: str | int, today: date | None = None) -> str:
    """The personnummer or samordningsnummer as 12 digits, ÅÅÅÅMMDDNNNN.

    Accepts ÅÅÅÅMMDDNNNN, ÅÅMMDDNNNN, either with '-' or '+' before the last four digits, and
    spaces. In the 10-digit form the century follows Skatteverket: '-' means the person turns
    at most 99 this year, '+' that they turn 100 or more (the separator changes at the turn of
    the year they turn 100). A number typed into an Excel number cell (an int, leading zeros
    lost) is padded back to 10 digits. The Luhn check digit and the date are validated; day
    61-91 is a samordningsnummer.

    Raises ``ValueError("ogiltigt personnummer")`` without repeating the number.
    """
    today = date.today() if today is None else today
    match = _SHAPE.fullmatch(_compact(text))
    if match is None:
        raise ValueError(INVALID_MESSAGE)
    digits, separator, serial = match["date"], match["separator"], match["serial"]
    short = digits[-6:] + serial
    if not _luhn_valid(short):
        raise ValueError(INVALID_MESSAGE)
    year = int(digits[:4]) if len(digits) == 8 else _infer_year(int(digits[:2]), separator, today)
    if not _valid_birth_date(year, int(short[2:4]), int(short[4:6])):
        raise ValueError(INVALID_MESSAGE)
    return f"{year:04d}{short[2:]}"


def _compact(text: str | int) -> str:
    if isinstance(text, bool):
        raise ValueError(INVALID_MESSAGE)
    if isinstance(text, int):
        # An int cannot keep leading zeros; a 12-digit number never starts with 0, so only
        # the 10-digit form can have lost them.
        digits = str(text)
        return digits.zfill(10) if len(digits) <= 10 else digits
    if not isinstance(text, str):
        raise ValueError(INVALID_MESSAGE)
    return re.sub(r"\s+", "", text)


def _infer_year(two_digits: int, separator: str, today: date) -> int:
    """The latest year ending in ``two_digits`` not after this year; a century less for '+'."""
    year = today.year - (today.year - two_digits) % 100
    return year - 100 if separator == "+" else year


def _valid_birth_date(year: int, month: int, day: int) -> bool:
    if not 1 <= month <= 12 or year < 1:
        return False
    if day > _COORDINATION_OFFSET:
        day -= _COORDINATION_OFFSET
    return 1 <= day <= calendar.monthrange(year, month)[1]


def _luhn_valid(ten_digits: str) -> bool:
    """Luhn (mod 10) over ÅÅMMDDNNNC, weights 2, 1, 2, … from the left, as Skatteverket uses."""
    total = 0
    for position, char in enumerate(ten_digits):
        product = int(char) * (2 if position % 2 == 0 else 1)
        total += product // 10 + product % 10
    return total % 10 == 0


def key_fingerprint(secret: bytes) -> str:
    """A short public name of a key: HMAC of a fixed label, so it says nothing about the key."""
    digest = hmac.new(secret, _FINGERPRINT_LABEL, hashlib.sha256).hexdigest()
    return FINGERPRINT_PREFIX + digest[:FINGERPRINT_HEX_DIGITS]


class Pseudonymiser:
    """Turns personnummer into installation-specific pseudonyms (``pn_`` + 24 hex digits)."""

    __slots__ = ("_secret",)

    def __init__(self, secret: bytes) -> None:
        if len(secret) < MIN_SECRET_BYTES:
            raise PseudonymSecretError(
                f"Pseudonymnyckeln är för kort: minst {MIN_SECRET_BYTES} byte behövs."
            )
        self._secret = bytes(secret)

    def __repr__(self) -> str:
        return "Pseudonymiser(<hemlig nyckel>)"  # never show the secret in logs or tracebacks

    @property
    def fingerprint(self) -> str:
        """Identifies the key without revealing it: stored in the database on first use."""
        return key_fingerprint(self._secret)

    def pseudonym(self, personnummer: str | int, *, today: date | None = None) -> str:
        """The pseudonym of a personnummer; raises ValueError for an invalid number."""
        normalised = normalise_personnummer(personnummer, today)
        digest = hmac.new(self._secret, normalised.encode("ascii"), hashlib.sha256).hexdigest()
        return PSEUDONYM_PREFIX + digest[:PSEUDONYM_HEX_DIGITS]


def parse_personnummer_with(pseudonymiser: Pseudonymiser) -> Callable[[Any], str]:
    """A :class:`~riskmotor.imports.tabular.Column` parser returning the pseudonym.

    The raw number never leaves the import step. A bad number is reported as a
    ``SensitiveValueError``, which makes ``read_table`` withhold the cell value from its error.
    """

    def parse(value: Any) -> str:
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # a number cell in Excel
        try:
            return pseudonymiser.pseudonym(value)
        except ValueError:
            raise SensitiveValueError(INVALID_MESSAGE) from None

    # The reader scans every other column for personnummer; this one pseudonymises itself.
    parse.pseudonymises = True  # type: ignore[attr-defined]  # a marker on a plain function
    return parse
