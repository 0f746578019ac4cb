"""The one place where riskmotor asks what time it is, so tests can fix the answer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

SWEDISH_TIME = ZoneInfo("Europe/Stockholm")


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware (UTC)."""
        ...

    def today(self) -> date:
        """Today's date in Sweden (a nämnd's deadlines are Swedish calendar days)."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return datetime.now(SWEDISH_TIME).date()


@dataclass(frozen=True)
class FixedClock:
    """A clock that always answers ``instant``; for tests and reproducible exports."""

    instant: datetime

    def now(self) -> datetime:
        return self.instant

    def today(self) -> date:
        return self.instant.astimezone(SWEDISH_TIME).date()
