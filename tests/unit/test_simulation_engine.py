"""Engine behaviour: reproducibility, staffing, consultants, backlog, summary, overload."""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pytest
import yaml

from riskmotor.simulation import (
    METRIC_NAMES,
    CapacityScenario,
    simulate,
    summary_to_json,
)
from riskmotor.simulation.engine import arrival_grid
from riskmotor.simulation.kernel import sample_many
from riskmotor.simulation.rng import duration_parameters
from riskmotor.simulation.summary import BacklogHistogram, wilson_interval
from tests.unit.test_simulation_scenario import SPEC_YAML

SPEC = yaml.safe_load(SPEC_YAML)


def scenario(**changes: Any) -> CapacityScenario:
    data = json.loads(json.dumps(SPEC))
    for key, value in changes.items():
        if key != "arrivals" and isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    return CapacityScenario.model_validate(data)


def steady(**staffing: Any) -> CapacityScenario:
    """No turnover, vacancies, sick leave or consultants unless asked for."""
    base = {
        "positions": 10,
        "caseload_per_worker": 10,
        "vacant_at_start": 0,
        "annual_turnover": 0.0,
        "sick_leave_rate": 0.0,
        "consultants": [],
        "ramp_up_days": 0,
        "recruitment_days": 90,
    }
    return scenario(staffing={**base, **staffing})


@pytest.fixture(scope="module")
def spec_result():
    return simulate(scenario(), replications=300, seed=11)


def test_pinned_interface_and_summary_keys(spec_result) -> None:
    summary = spec_result.summary
    for key in (
        "wait_probability",
        "mean_wait_days",
        "mean_lead_time_days",
        "p90_lead_time_days",
        "breach_share_mean",
        "event_probability",
        "event_probability_ci",
        "quantiles",
        "overloaded",
        "load_label",
        "seed",
        "replications",
        "numpy_version",
        "riskmotor_version",
    ):
        assert key in summary, key
    low, high = summary["event_probability_ci"]
    assert low <= summary["event_probability"] <= high
    assert set(summary["quantiles"]["breach_share"]) == {"p05", "p10", "p50", "p90", "p95"}
    assert 0 <= summary["breach_share_mean"] <= 1
    assert summary["p90_lead_time_days"] >= summary["mean_lead_time_days"] * 0.9


def test_result_records_seed_and_versions(spec_result) -> None:
    assert spec_result.seed == 11 and spec_result.summary["seed"] == 11
    assert spec_result.replications == 300 == spec_result.summary["replications"]
    assert spec_result.numpy_version == np.__version__ == spec_result.summary["numpy_version"]
    assert isinstance(spec_result.riskmotor_version, str) and spec_result.riskmotor_version


def test_summary_is_plain_json(spec_result) -> None:
    text = summary_to_json(spec_result)
    data = json.loads(text)
    assert data["load_label"] in ("hållbar belastning", "ohållbar belastning")
    assert len(data["backlog_fan"]["day"]) == len(data["backlog_fan"]["p50"])
    json.dumps(spec_result.summary, allow_nan=False)


@pytest.mark.parametrize("chunk_size", [1, 7, 64, 300, 4096])
def test_chunking_is_bit_identical(spec_result, chunk_size: int) -> None:
    again = simulate(scenario(), replications=300, seed=11, chunk_size=chunk_size)
    assert np.array_equal(again.metrics, spec_result.metrics)
    assert again.summary == spec_result.summary
    assert again.backlog_fan == spec_result.backlog_fan


def test_prefix_of_a_longer_run_is_identical(spec_result) -> None:
    longer = simulate(scenario(), replications=450, seed=11, chunk_size=100)
    assert np.array_equal(longer.metrics[:300], spec_result.metrics)


def test_other_seed_differs_and_none_records_entropy(spec_result) -> None:
    other = simulate(scenario(), replications=300, seed=12)
    assert not np.array_equal(other.metrics, spec_result.metrics)
    fresh = simulate(scenario(), replications=20, seed=None)
    assert isinstance(fresh.seed, int)
    replay = simulate(scenario(), replications=20, seed=fresh.seed)
    assert np.array_equal(replay.metrics, fresh.metrics)


@pytest.mark.parametrize("bad", [{"replications": 0}, {"seed": -1}, {"chunk_size": 0}])
def test_bad_arguments(bad: dict[str, int]) -> None:
    with pytest.raises(ValueError):
        simulate(scenario(), **{"replications": 10, **bad})


def test_turnover_and_vacancies_reduce_capacity(spec_result) -> None:
    assert np.all(spec_result.per_replication("vacant_position_days") > 0)
    nominal = (12 + 2 * 180 / 365) * 12
    assert np.all(spec_result.per_replication("mean_slots") < nominal)
    turnover_only = simulate(steady(annual_turnover=0.5), replications=200, seed=3)
    assert turnover_only.summary["vacant_position_days_mean"] > 0
    assert turnover_only.per_replication("mean_slots").mean() < 100
    none = simulate(steady(), replications=50, seed=3)
    assert np.all(none.per_replication("vacant_position_days") == 0)
    assert np.all(none.per_replication("mean_slots") == 100)


def test_capacity_timeline_is_exact_without_randomness() -> None:
    """2 of 10 positions vacant for exactly 90 days, then 60 days at half capacity."""
    result = simulate(
        steady(vacant_at_start=2, ramp_up_days=60, ramp_up_capacity=0.5), replications=5, seed=1
    )
    assert np.all(result.per_replication("vacant_position_days") == 2 * 90)
    expected = (80 * 90 + 90 * 60 + 100 * (365 - 150)) / 365
    assert np.allclose(result.per_replication("mean_slots"), expected)


def test_sick_leave_scales_slots_down() -> None:
    result = simulate(steady(sick_leave_rate=0.08), replications=3, seed=1)
    assert np.all(result.per_replication("mean_slots") == math.floor(100 * 0.92))


@pytest.mark.parametrize(("warmup", "expected"), [(0, 2 * 180 + 1 * 65), (100, 2 * 80 + 65)])
def test_consultant_days_equal_count_times_overlap(warmup: int, expected: float) -> None:
    consultants = [
        {"count": 2, "from_day": 0, "to_day": 180},
        {"count": 1, "from_day": 300, "to_day": 500},
    ]
    result = simulate(
        scenario(warmup_days=warmup, staffing={"consultants": consultants}),
        replications=20,
        seed=2,
    )
    assert np.all(result.per_replication("consultant_days") == expected)
    no_staff_change = simulate(steady(consultants=consultants), replications=2, seed=1)
    extra = (2 * 180 + 1 * 65) * 10 / 365
    assert np.allclose(no_staff_change.per_replication("mean_slots"), 100 + extra)


def test_more_positions_lower_breach_share_with_common_random_numbers() -> None:
    few = simulate(scenario(staffing={"positions": 10}), replications=300, seed=5)
    many = simulate(scenario(staffing={"positions": 14}), replications=300, seed=5)
    assert many.summary["breach_share_mean"] < few.summary["breach_share_mean"]
    assert many.summary["mean_wait_days"] < few.summary["mean_wait_days"]
    # With constant capacity the FCFS queue is monotone in c replication by replication.
    lean = simulate(steady(positions=9), replications=200, seed=5)
    rich = simulate(steady(positions=11), replications=200, seed=5)
    assert np.array_equal(lean.per_replication("cases"), rich.per_replication("cases"))
    assert np.all(rich.per_replication("breaches") <= lean.per_replication("breaches"))
    assert np.all(rich.per_replication("wait_sum_days") <= lean.per_replication("wait_sum_days"))


def test_initial_backlog_deterministic_case() -> None:
    """30 waiting cases, 10 slots, 10-day cases: starts at 0, 10, 20."""
    data = {
        "horizon_days": 100,
        "initial_backlog": 30,
        "arrivals": {"per_day": 0},
        "case_duration_days": {"distribution": "deterministic", "mean": 10},
        "staffing": {"positions": 2, "caseload_per_worker": 5},
        "deadline_days": 25,
        "event": {"max_backlog_above": 19},
    }
    result = simulate(data, replications=3, seed=1)
    row = dict(zip(METRIC_NAMES, result.metrics[0], strict=True))
    assert row["cases"] == 30 and row["waits"] == 20
    assert row["mean_wait_days"] == pytest.approx(10)
    assert row["mean_lead_time_days"] == pytest.approx(20)
    assert row["breaches"] == 10 and row["breach_share"] == pytest.approx(1 / 3)
    assert row["max_backlog"] == 20 and row["event"] == 1
    assert result.backlog_fan["day"][:5] == [0, 7, 14, 21, 28]
    assert result.backlog_fan["p50"][:5] == [20, 20, 10, 0, 0]
    assert result.summary["event_probability"] == 1.0


def test_warmup_cases_are_excluded() -> None:
    data = {
        "horizon_days": 100,
        "warmup_days": 30,
        "initial_backlog": 30,
        "arrivals": {"per_day": 0},
        "case_duration_days": {"distribution": "deterministic", "mean": 10},
        "staffing": {"positions": 2, "caseload_per_worker": 5},
        "deadline_days": 25,
    }
    result = simulate(data, replications=2, seed=1)
    assert np.all(result.per_replication("cases") == 0)
    assert result.summary["mean_wait_days"] is None
    json.loads(summary_to_json(result))


def test_overload_is_allowed_and_flagged() -> None:
    data = {
        "horizon_days": 200,
        "arrivals": {"per_day": 2.0},
        "case_duration_days": {"distribution": "exponential", "mean": 10},
        "staffing": {"positions": 14, "caseload_per_worker": 1},
        "deadline_days": 30,
    }
    result = simulate(data, replications=50, seed=1)
    assert result.overloaded and result.summary["load_label"] == "ohållbar belastning"
    assert result.summary["utilisation"] == pytest.approx(20 / 14)
    assert result.summary["event_probability"] == 1.0
    calm = simulate({**data, "arrivals": {"per_day": 1.0}}, replications=10, seed=1)
    assert not calm.overloaded and calm.summary["load_label"] == "hållbar belastning"


def test_seasonality_and_trend_shape_the_arrivals() -> None:
    seasonality = [2.0] * 6 + [0.5] * 6
    flat = scenario(horizon_days=730, arrivals={"per_day": 1.0})
    shaped = scenario(
        horizon_days=730, arrivals={"per_day": 1.0, "seasonality": seasonality, "trend": 0.2}
    )
    _, cum = arrival_grid(shaped)
    assert arrival_grid(flat)[1][-1] == pytest.approx(730)
    mid_year = int(365.25 / 2)
    assert cum[mid_year] == pytest.approx(2 * mid_year, rel=0.12)
    result = simulate(shaped, replications=400, seed=4)
    cases = result.per_replication("cases")
    assert abs(cases.mean() - cum[-1]) < 3 * math.sqrt(cum[-1] / 400)


def test_fan_chart_is_ordered(spec_result) -> None:
    fan = spec_result.backlog_fan
    assert fan["day"][0] == 0 and fan["day"][-1] <= 365
    for p10, p50, p90 in zip(fan["p10"], fan["p50"], fan["p90"], strict=True):
        assert 0 <= p10 <= p50 <= p90


def test_backlog_histogram_quantiles_equal_numpy() -> None:
    rng = np.random.default_rng(0)
    weekly = rng.poisson(5, size=(1001, 4))
    hist = BacklogHistogram(4)
    hist.add(weekly[:500])
    hist.add(weekly[500:])
    for q in (0.1, 0.5, 0.9):
        assert np.allclose(hist.quantile(q), np.quantile(weekly, q, axis=0))


def test_wilson_interval() -> None:
    assert wilson_interval(0, 100)[0] == 0.0 and wilson_interval(0, 100)[1] > 0.0
    low, high = wilson_interval(50, 100)
    assert low == pytest.approx(0.4038, abs=1e-3) and high == pytest.approx(0.5962, abs=1e-3)


@pytest.mark.parametrize(
    ("distribution", "mean", "cv"),
    [
        ("exponential", 10.0, 1.0),
        ("gamma", 90.0, 0.5),
        ("gamma", 5.0, 2.0),
        ("lognormal", 90.0, 0.5),
        ("deterministic", 7.0, 0.0),
    ],
)
def test_duration_distributions_have_the_requested_mean_and_cv(
    distribution: str, mean: float, cv: float
) -> None:
    code, p0, p1 = duration_parameters(distribution, mean, cv)
    key = np.array([1, 2], dtype=np.uint64)
    draws = sample_many(key, 0, 1, code, p0, p1, 200_000)
    assert draws.min() >= 0
    assert draws.mean() == pytest.approx(mean, rel=0.02)
    assert draws.std() / draws.mean() == pytest.approx(cv, abs=0.03)
