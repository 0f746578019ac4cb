"""Read model of the pseudonym key's state (``riskmotor key status``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class KeyStatus:
    """Where the key is, its fingerprint and the one the database has (never the key)."""

    location: str
    present: bool
    fingerprint: str | None
    stored_fingerprint: str | None
    registered_at: datetime | None
    registered_by: str | None

    @property
    def matches(self) -> bool | None:
        """None when there is nothing to compare yet."""
        if self.fingerprint is None or self.stored_fingerprint is None:
            return None
        return self.fingerprint == self.stored_fingerprint

    def to_json(self) -> dict[str, object]:
        return {
            "location": self.location,
            "present": self.present,
            "fingerprint": self.fingerprint,
            "stored_fingerprint": self.stored_fingerprint,
            "registered_at": self.registered_at.isoformat() if self.registered_at else None,
            "registered_by": self.registered_by,
            "matches": self.matches,
        }
