"""Scenario model for the capacity simulation.

A scenario is read from YAML with ``CapacityScenario.model_validate(yaml.safe_load(text))``.
All constraints are checked here and reported in Swedish. Every message names the field
(``staffing.positions``, ``case_duration_days.cv`` …) so a manager editing the YAML can find
the mistake; :func:`validation_messages` turns a pydantic ``ValidationError`` (including
pydantic's own type errors) into a list of Swedish ``"fält: meddelande"`` lines.
"""

from __future__ import annotations

import math
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

DAYS_PER_YEAR = 365.25
DAYS_PER_MONTH = DAYS_PER_YEAR / 12

DistributionName = Literal["deterministic", "exponential", "gamma", "lognormal"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)


def _finite(value: float, field: str) -> float:
    _require(math.isfinite(value), f"{field} måste vara ett ändligt tal")
    return value


class DurationDistribution(_Strict):
    """A positive duration in days given by distribution, mean and coefficient of variation.

    ``deterministic`` always takes ``mean`` days (cv must be absent or 0), ``exponential``
    has cv 1 by definition (cv must be absent or 1); ``gamma`` and ``lognormal`` need cv > 0.
    A bare number in the YAML means a deterministic duration.
    """

    distribution: DistributionName
    mean: float
    cv: float | None = None

    @model_validator(mode="before")
    @classmethod
    def _number_is_deterministic(cls, data: Any) -> Any:
        if isinstance(data, int | float) and not isinstance(data, bool):
            return {"distribution": "deterministic", "mean": data}
        return data

    @field_validator("mean")
    @classmethod
    def _positive_mean(cls, value: float) -> float:
        _finite(value, "mean")
        _require(value > 0, "mean måste vara större än 0 dagar")
        return value

    @model_validator(mode="after")
    def _cv_fits_distribution(self) -> DurationDistribution:
        cv = self.cv
        if cv is not None:
            _finite(cv, "cv")
        if self.distribution in ("gamma", "lognormal"):
            _require(cv is not None, f"cv krävs för fördelningen {self.distribution}")
            _require(
                cv is not None and cv > 0,
                f"cv måste vara större än 0 för fördelningen {self.distribution}",
            )
        elif self.distribution == "exponential":
            _require(cv is None or abs(cv - 1) < 1e-12, "cv är alltid 1 för exponential")
        else:
            _require(cv is None or cv == 0, "cv måste utelämnas eller vara 0 för deterministic")
        return self

    @property
    def effective_cv(self) -> float:
        if self.distribution == "deterministic":
            return 0.0
        if self.distribution == "exponential":
            return 1.0
        return float(self.cv or 0.0)


class Arrivals(_Strict):
    """Poisson arrivals: exactly one of ``per_day``/``per_month`` (a month is 365.25/12 days).

    ``seasonality`` holds 12 positive factors multiplying the rate in month 1…12 of each
    year of the horizon (day 0 is the start of month 1). ``trend`` is the annual relative
    change, compounded continuously per year: rate(t) = base × (1 + trend)^(t / 365.25).
    """

    per_day: float | None = None
    per_month: float | None = None
    seasonality: list[float] | None = None
    trend: float = 0.0

    @field_validator("per_day", "per_month")
    @classmethod
    def _non_negative_rate(cls, value: float | None, info: Any) -> float | None:
        if value is not None:
            _finite(value, f"arrivals.{info.field_name}")
            _require(value >= 0, f"arrivals.{info.field_name} får inte vara negativ")
        return value

    @field_validator("seasonality")
    @classmethod
    def _twelve_positive(cls, value: list[float] | None) -> list[float] | None:
        if value is None:
            return value
        message = "arrivals.seasonality ska vara 12 positiva faktorer (en per månad)"
        _require(len(value) == 12, f"{message}, fick {len(value)}")
        _require(all(math.isfinite(f) and f > 0 for f in value), message)
        return value

    @field_validator("trend")
    @classmethod
    def _trend_above_minus_one(cls, value: float) -> float:
        _finite(value, "arrivals.trend")
        _require(value > -1, "arrivals.trend måste vara större än -1 (−100 % per år)")
        return value

    @model_validator(mode="after")
    def _exactly_one_rate(self) -> Arrivals:
        _require(
            (self.per_day is None) != (self.per_month is None),
            "arrivals ska ange exakt en av per_day och per_month",
        )
        return self

    @property
    def base_per_day(self) -> float:
        if self.per_day is not None:
            return self.per_day
        return float(self.per_month or 0.0) / DAYS_PER_MONTH


class ConsultantPeriod(_Strict):
    """``count`` consultants working at full caseload during [from_day, to_day)."""

    count: int
    from_day: float
    to_day: float

    @field_validator("count")
    @classmethod
    def _count(cls, value: int) -> int:
        _require(value >= 0, "count får inte vara negativt")
        return value

    @field_validator("from_day", "to_day")
    @classmethod
    def _day(cls, value: float, info: Any) -> float:
        _finite(value, info.field_name)
        _require(value >= 0, f"{info.field_name} får inte vara negativ")
        return value

    @model_validator(mode="after")
    def _ordered(self) -> ConsultantPeriod:
        _require(
            self.to_day > self.from_day,
            f"to_day ({self.to_day:g}) måste vara senare än from_day ({self.from_day:g})",
        )
        return self


class Staffing(_Strict):
    """Positions, turnover, recruitment, ramp-up, sick leave and consultants."""

    positions: int
    caseload_per_worker: float
    vacant_at_start: int = 0
    annual_turnover: float = 0.0
    recruitment_days: DurationDistribution = DurationDistribution(
        distribution="deterministic", mean=90.0
    )
    ramp_up_days: float = 0.0
    ramp_up_capacity: float = 1.0
    sick_leave_rate: float = 0.0
    consultants: list[ConsultantPeriod] = []

    @field_validator("positions")
    @classmethod
    def _positions(cls, value: int) -> int:
        _require(value >= 0, "staffing.positions får inte vara negativt")
        return value

    @field_validator("caseload_per_worker")
    @classmethod
    def _caseload(cls, value: float) -> float:
        _finite(value, "staffing.caseload_per_worker")
        _require(value > 0, "staffing.caseload_per_worker måste vara större än 0")
        return value

    @field_validator("annual_turnover", "ramp_up_days")
    @classmethod
    def _non_negative(cls, value: float, info: Any) -> float:
        _finite(value, f"staffing.{info.field_name}")
        _require(value >= 0, f"staffing.{info.field_name} får inte vara negativ")
        return value

    @field_validator("ramp_up_capacity")
    @classmethod
    def _ramp_capacity(cls, value: float) -> float:
        _require(0 <= value <= 1, "staffing.ramp_up_capacity ska ligga mellan 0 och 1")
        return value

    @field_validator("sick_leave_rate")
    @classmethod
    def _sick_leave(cls, value: float) -> float:
        _require(0 <= value < 1, "staffing.sick_leave_rate ska ligga i intervallet [0, 1)")
        return value

    @model_validator(mode="after")
    def _vacancies_fit(self) -> Staffing:
        _require(
            0 <= self.vacant_at_start <= self.positions,
            "staffing.vacant_at_start ska ligga mellan 0 och staffing.positions",
        )
        return self


class RiskEvent(_Strict):
    """Exactly one threshold; the event occurs when the replication's value is above it."""

    breach_share_above: float | None = None
    breaches_above: int | None = None
    max_backlog_above: int | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> RiskEvent:
        given = [k for k, v in self.model_dump().items() if v is not None]
        _require(
            len(given) == 1,
            "event ska ange exakt en av breach_share_above, breaches_above och max_backlog_above",
        )
        value = getattr(self, given[0])
        _require(value >= 0, f"event.{given[0]} får inte vara negativ")
        if given[0] == "breach_share_above":
            _require(value < 1, "event.breach_share_above ska vara mindre än 1")
        return self

    @property
    def kind(self) -> str:
        return next(k for k, v in self.model_dump().items() if v is not None)

    @property
    def threshold(self) -> float:
        return float(getattr(self, self.kind))


class CapacityScenario(_Strict):
    """One unit's capacity scenario; see docs/simulation.md for the model."""

    name: str = "Scenario"
    horizon_days: float
    warmup_days: float = 0.0
    initial_backlog: int = 0
    arrivals: Arrivals
    case_duration_days: DurationDistribution
    staffing: Staffing
    deadline_days: float
    event: RiskEvent = RiskEvent(breach_share_above=0.10)

    @field_validator("horizon_days", "deadline_days")
    @classmethod
    def _positive_days(cls, value: float, info: Any) -> float:
        _finite(value, info.field_name)
        _require(value > 0, f"{info.field_name} måste vara större än 0")
        return value

    @field_validator("initial_backlog")
    @classmethod
    def _backlog(cls, value: int) -> int:
        _require(value >= 0, "initial_backlog får inte vara negativ")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> CapacityScenario:
        _require(
            0 <= self.warmup_days < self.horizon_days,
            "warmup_days ska vara minst 0 och mindre än horizon_days",
        )
        has_work = self.arrivals.base_per_day > 0 or self.initial_backlog > 0
        _require(
            not (has_work and self.staffing.positions == 0),
            "staffing.positions måste vara minst 1 när det kommer in ärenden",
        )
        return self


_PYDANTIC_SWEDISH = {
    "missing": "saknas",
    "extra_forbidden": "okänt fält",
    "int_type": "ska vara ett heltal",
    "int_parsing": "ska vara ett heltal",
    "int_from_float": "ska vara ett heltal",
    "float_type": "ska vara ett tal",
    "float_parsing": "ska vara ett tal",
    "string_type": "ska vara text",
    "list_type": "ska vara en lista",
    "dict_type": "ska vara en mappning (nyckel: värde)",
    "model_type": "ska vara en mappning (nyckel: värde)",
    "literal_error": "ska vara en av deterministic, exponential, gamma, lognormal",
    "bool_type": "ska vara sant eller falskt",
}


def _location(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "scenario"


def validation_messages(error: ValidationError) -> list[str]:
    """Swedish ``"fält: meddelande"`` lines for every problem in a ValidationError."""
    lines = []
    for item in error.errors():
        if item["type"] == "value_error":
            message = str(item["ctx"]["error"]) if "ctx" in item else item["msg"]
        else:
            message = _PYDANTIC_SWEDISH.get(item["type"], item["msg"])
        where = _location(tuple(item["loc"]))
        lines.append(message if message.startswith(where) else f"{where}: {message}")
    return lines
