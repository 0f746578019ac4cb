"""Validation errors of the sampling engine.

Every error names the offending argument first (``"confidence: ..."``) so a caller can map it to a
form field, followed by a Swedish explanation that can be shown to the user as is.
"""

from __future__ import annotations

from riskmotor.errors import InvalidInputError


class SamplingInputError(InvalidInputError, ValueError):
    """An argument to a sampling function is out of range or inconsistent.

    It is a ``ValueError`` so plain Python callers can catch it, and an ``InvalidInputError`` so
    the application shows the message to the user instead of treating it as a crash.
    """

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(f"{field}: {message}")
