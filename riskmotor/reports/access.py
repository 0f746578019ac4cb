"""Read models of access control: who holds which role in which nämnd."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from riskmotor.domain.access import Role


@dataclass(frozen=True)
class Grant:
    """One person's role in one nämnd, as the Behörigheter page and ``users list`` show it."""

    email: str
    namnd_id: int
    namnd: str  # the nämnd's name
    role: Role
    granted_by: str
    granted_at: datetime
    version: int  # for revoking or changing exactly what was shown

    def to_json(self) -> dict[str, object]:
        return {
            "email": self.email,
            "namnd_id": self.namnd_id,
            "namnd": self.namnd,
            "role": self.role.value,
            "granted_by": self.granted_by,
            "granted_at": self.granted_at.isoformat(),
        }
