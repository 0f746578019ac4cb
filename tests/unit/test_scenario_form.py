"""The Scenarier form translates to and from a scenario spec without losing anything."""

from __future__ import annotations

import copy
import dataclasses

import pytest

from riskmotor.services.scenario_form import ConsultantRow, ScenarioForm
from riskmotor.services.scenarios import DEFAULT_SCENARIO, validate_spec


def test_an_untouched_form_gives_back_the_same_scenario() -> None:
    form = ScenarioForm.from_spec(DEFAULT_SCENARIO)

    assert validate_spec(form.to_spec(DEFAULT_SCENARIO)) == validate_spec(DEFAULT_SCENARIO)


def test_percentages_on_the_page_become_shares_in_the_scenario() -> None:
    form = dataclasses.replace(
        ScenarioForm.from_spec(DEFAULT_SCENARIO),
        turnover_percent=30,
        sick_leave_percent=12,
        ramp_up_capacity_percent=40,
        trend_percent=5,
        consultants=[ConsultantRow(1, 30, 90)],
    )

    scenario = validate_spec(form.to_spec(DEFAULT_SCENARIO))

    assert scenario.staffing.annual_turnover == pytest.approx(0.30)
    assert scenario.staffing.sick_leave_rate == pytest.approx(0.12)
    assert scenario.staffing.ramp_up_capacity == pytest.approx(0.40)
    assert scenario.arrivals.trend == pytest.approx(0.05)
    assert [(c.count, c.from_day, c.to_day) for c in scenario.staffing.consultants] == [(1, 30, 90)]


def test_fields_the_form_does_not_show_are_kept() -> None:
    spec = copy.deepcopy(DEFAULT_SCENARIO)
    spec["arrivals"] = {"per_day": 2.0, "seasonality": [1.0] * 11 + [1.5]}
    spec["initial_backlog"] = 25

    form = ScenarioForm.from_spec(spec)
    scenario = validate_spec(form.to_spec(spec))

    assert form.per_month == pytest.approx(2.0 * 365.25 / 12)
    assert scenario.arrivals.base_per_day == pytest.approx(2.0)
    assert scenario.arrivals.seasonality == [1.0] * 11 + [1.5]
    assert scenario.initial_backlog == 25
