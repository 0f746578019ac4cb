"""The Scenarier page's form as a typed value, and its translation to and from a scenario spec.

The page shows friendly units (arrivals per month, percentages); the simulation's
``CapacityScenario`` wants rates and shares. Keeping the translation here leaves the page
with widgets only, and lets the translation be tested without Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from riskmotor.simulation.scenario import DAYS_PER_MONTH

DEFAULT_RECRUITMENT: dict[str, Any] = {"distribution": "gamma", "mean": 90, "cv": 0.5}


@dataclass(frozen=True)
class ConsultantRow:
    count: int
    from_day: float
    to_day: float


@dataclass(frozen=True)
class ScenarioForm:
    """The values of the scenario form, in the units the page shows them."""

    name: str
    horizon_days: float
    per_month: float
    trend_percent: float
    distribution: str
    mean_days: float
    cv: float
    deadline_days: float
    event_kind: str
    event_threshold: float
    positions: int
    caseload_per_worker: float
    vacant_at_start: int
    turnover_percent: float
    recruitment_mean_days: float
    sick_leave_percent: float
    ramp_up_days: float
    ramp_up_capacity_percent: float
    consultants: list[ConsultantRow] = field(default_factory=list)

    @classmethod
    def from_spec(cls, spec: dict[str, Any]) -> ScenarioForm:
        """The form's starting values for a stored (or the default) scenario spec."""
        arrivals = spec["arrivals"]
        duration = spec["case_duration_days"]
        staffing = spec["staffing"]
        event_kind = next(iter(spec["event"]))
        per_month = arrivals.get("per_month") or arrivals.get("per_day", 0) * DAYS_PER_MONTH
        return cls(
            name=spec["name"],
            horizon_days=float(spec["horizon_days"]),
            per_month=float(per_month),
            trend_percent=round(100 * arrivals.get("trend", 0.0)),
            distribution=duration["distribution"],
            mean_days=float(duration["mean"]),
            cv=float(duration.get("cv", 0.5)),
            deadline_days=float(spec["deadline_days"]),
            event_kind=event_kind,
            event_threshold=float(spec["event"][event_kind]),
            positions=int(staffing["positions"]),
            caseload_per_worker=float(staffing["caseload_per_worker"]),
            vacant_at_start=int(staffing.get("vacant_at_start", 0)),
            turnover_percent=round(100 * staffing.get("annual_turnover", 0.0)),
            recruitment_mean_days=float(_recruitment(spec)["mean"]),
            sick_leave_percent=round(100 * staffing.get("sick_leave_rate", 0.0)),
            ramp_up_days=float(staffing.get("ramp_up_days", 0)),
            ramp_up_capacity_percent=round(100 * staffing.get("ramp_up_capacity", 1.0)),
            consultants=[ConsultantRow(**row) for row in staffing.get("consultants") or []],
        )

    def to_spec(self, base: dict[str, Any]) -> dict[str, Any]:
        """The scenario spec: ``base`` (the stored spec) with the form's values applied.

        Fields the form does not show (warm-up, initial backlog, seasonality, the
        recruitment distribution) are kept from ``base``.
        """
        arrivals: dict[str, Any] = {"per_month": self.per_month, "trend": self.trend_percent / 100}
        if base["arrivals"].get("seasonality"):
            arrivals["seasonality"] = base["arrivals"]["seasonality"]
        return {
            **{k: v for k, v in base.items() if k not in {"name", "arrivals"}},
            "name": self.name,
            "horizon_days": self.horizon_days,
            "arrivals": arrivals,
            "case_duration_days": {
                "distribution": self.distribution,
                "mean": self.mean_days,
                "cv": self.cv,
            },
            "deadline_days": self.deadline_days,
            "event": {self.event_kind: self.event_threshold},
            "staffing": {
                "positions": self.positions,
                "caseload_per_worker": self.caseload_per_worker,
                "vacant_at_start": self.vacant_at_start,
                "annual_turnover": self.turnover_percent / 100,
                "recruitment_days": {**_recruitment(base), "mean": self.recruitment_mean_days},
                "ramp_up_days": self.ramp_up_days,
                "ramp_up_capacity": self.ramp_up_capacity_percent / 100,
                "sick_leave_rate": self.sick_leave_percent / 100,
                "consultants": [
                    {"count": row.count, "from_day": row.from_day, "to_day": row.to_day}
                    for row in self.consultants
                ],
            },
        }


def _recruitment(spec: dict[str, Any]) -> dict[str, Any]:
    recruitment: dict[str, Any] = spec["staffing"].get("recruitment_days", DEFAULT_RECRUITMENT)
    return recruitment
