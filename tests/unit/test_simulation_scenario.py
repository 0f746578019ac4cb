"""Scenario YAML parsing and Swedish validation messages that name the field."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from riskmotor.simulation import CapacityScenario, validation_messages

SPEC_YAML = """
name: Utredningsenheten barn och unga
horizon_days: 365
warmup_days: 0
initial_backlog: 0
arrivals: {per_month: 40}            # or {per_day: 1.3}; optional seasonality: [12 factors]
case_duration_days: {distribution: lognormal, mean: 90, cv: 0.5}
staffing:
  positions: 12
  caseload_per_worker: 12
  vacant_at_start: 2
  annual_turnover: 0.25
  recruitment_days: {distribution: gamma, mean: 90, cv: 0.5}
  ramp_up_days: 60
  ramp_up_capacity: 0.5
  sick_leave_rate: 0.08
  consultants: [{count: 2, from_day: 0, to_day: 180}]
deadline_days: 120
event: {breach_share_above: 0.10}
"""


def spec() -> dict[str, Any]:
    return yaml.safe_load(SPEC_YAML)


def test_spec_yaml_validates() -> None:
    scenario = CapacityScenario.model_validate(spec())
    assert scenario.name == "Utredningsenheten barn och unga"
    assert scenario.arrivals.base_per_day == pytest.approx(40 / (365.25 / 12))
    assert scenario.staffing.recruitment_days.distribution == "gamma"
    assert scenario.staffing.consultants[0].to_day == 180
    assert scenario.event.kind == "breach_share_above"
    assert scenario.event.threshold == pytest.approx(0.10)


def test_optional_arrival_keys_and_other_events() -> None:
    data = spec()
    data["arrivals"] = {"per_day": 1.3, "seasonality": [1.0] * 11 + [0.5], "trend": 0.05}
    data["event"] = {"max_backlog_above": 20}
    scenario = CapacityScenario.model_validate(data)
    assert scenario.arrivals.base_per_day == pytest.approx(1.3)
    assert scenario.event.kind == "max_backlog_above"
    data["event"] = {"breaches_above": 5}
    assert CapacityScenario.model_validate(data).event.threshold == 5


def test_bare_number_is_a_deterministic_duration() -> None:
    data = spec()
    data["staffing"]["recruitment_days"] = 60
    rec = CapacityScenario.model_validate(data).staffing.recruitment_days
    assert (rec.distribution, rec.mean, rec.effective_cv) == ("deterministic", 60, 0.0)


def _set(data: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    data = copy.deepcopy(data)
    node: Any = data
    parts = path.split(".")
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node[part]
    last = parts[-1]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return data


BAD_INPUT = [
    ("arrivals.per_month", -1, "arrivals.per_month", "negativ"),
    ("arrivals", {"per_day": -0.5}, "arrivals.per_day", "negativ"),
    ("case_duration_days.cv", 0, "case_duration_days", "cv"),
    ("case_duration_days", {"distribution": "gamma", "mean": 90, "cv": -0.2}, "cv", "större"),
    ("staffing.recruitment_days.cv", 0.0, "staffing.recruitment_days", "cv"),
    ("staffing", {"positions": 0, "caseload_per_worker": 12}, "staffing.positions", "minst 1"),
    ("staffing.positions", -3, "staffing.positions", "negativt"),
    ("staffing.consultants.0.to_day", -0.0, "staffing.consultants", "to_day"),
    ("staffing.consultants", [{"count": 1, "from_day": 200, "to_day": 100}], "to_day", "senare"),
    ("arrivals.seasonality", [1.0] * 11, "arrivals.seasonality", "12 positiva"),
    ("arrivals.seasonality", [1.0] * 11 + [0.0], "arrivals.seasonality", "12 positiva"),
    ("staffing.vacant_at_start", 13, "staffing.vacant_at_start", "mellan"),
    ("staffing.sick_leave_rate", 1.0, "staffing.sick_leave_rate", "intervallet"),
    ("staffing.ramp_up_capacity", 1.5, "staffing.ramp_up_capacity", "mellan"),
    ("staffing.caseload_per_worker", 0, "staffing.caseload_per_worker", "större"),
    ("staffing.annual_turnover", -0.1, "staffing.annual_turnover", "negativ"),
    ("warmup_days", 365, "warmup_days", "mindre än horizon_days"),
    ("deadline_days", 0, "deadline_days", "större"),
    ("horizon_days", -1, "horizon_days", "större"),
    ("initial_backlog", -1, "initial_backlog", "negativ"),
    ("event", {"breach_share_above": 0.1, "breaches_above": 3}, "event", "exakt en"),
    ("event", {"breach_share_above": 1.5}, "event.breach_share_above", "mindre än 1"),
    ("arrivals", {"per_day": 1, "per_month": 30}, "arrivals", "exakt en"),
    ("arrivals.trend", -1.0, "arrivals.trend", "större än -1"),
    ("case_duration_days", {"distribution": "exponential", "mean": 90, "cv": 0.5}, "cv", "1"),
    ("case_duration_days.mean", 0, "case_duration_days.mean", "större än 0"),
]


@pytest.mark.parametrize(("path", "value", "field", "words"), BAD_INPUT)
def test_bad_input_names_the_field(path: str, value: Any, field: str, words: str) -> None:
    with pytest.raises(ValidationError) as caught:
        CapacityScenario.model_validate(_set(spec(), path, value))
    lines = validation_messages(caught.value)
    assert any(field in line and words in line for line in lines), lines
    assert field.split(".")[-1] in str(caught.value)


def test_positions_zero_without_work_is_allowed() -> None:
    data = _set(_set(spec(), "staffing.positions", 0), "staffing.vacant_at_start", 0)
    data["arrivals"] = {"per_day": 0}
    assert CapacityScenario.model_validate(data).staffing.positions == 0


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        ("staffing.positions", "tolv", "staffing.positions: ska vara ett heltal"),
        ("staffing.unknown", 1, "staffing.unknown: okänt fält"),
        ("case_duration_days.distribution", "weibull", "case_duration_days.distribution: ska"),
        ("staffing.consultants.0.count", "två", "staffing.consultants[0].count: ska vara"),
    ],
)
def test_pydantic_type_errors_are_swedish(path: str, value: Any, expected: str) -> None:
    with pytest.raises(ValidationError) as caught:
        CapacityScenario.model_validate(_set(spec(), path, value))
    assert any(line.startswith(expected) for line in validation_messages(caught.value))


def test_missing_field_is_reported() -> None:
    data = spec()
    del data["deadline_days"]
    with pytest.raises(ValidationError) as caught:
        CapacityScenario.model_validate(data)
    assert "deadline_days: saknas" in validation_messages(caught.value)
