"""The shipped example scenarios and the kernel warm-up a user sees before the first run."""

from __future__ import annotations

from pathlib import Path

import pytest

from riskmotor.catalogs import DEFAULT_CATALOG_DIR
from riskmotor.services.scenarios import load_scenario_file
from riskmotor.simulation import engine, kernel, simulate, warm_up

EXAMPLES = DEFAULT_CATALOG_DIR / "scenarier"
TODAY = EXAMPLES / "utredning-barn-och-unga.yaml"
FILLED = EXAMPLES / "utredning-barn-och-unga-vakanser-tillsatta.yaml"


def _event_interval(path: Path) -> tuple[float, float]:
    result = simulate(load_scenario_file(path), replications=2000, seed=11)
    low, high = result.summary["event_probability_ci"]
    return float(low), float(high)


def test_the_example_scenario_is_genuinely_uncertain() -> None:
    low, high = _event_interval(TODAY)
    assert low > 0.10 and high < 0.90, (low, high)


def test_filling_the_vacancies_clearly_lowers_the_probability() -> None:
    _, filled_high = _event_interval(FILLED)
    today_low, _ = _event_interval(TODAY)
    assert filled_high < today_low, (filled_high, today_low)


def test_the_two_examples_differ_only_in_the_vacancies() -> None:
    today = load_scenario_file(TODAY).model_dump(exclude={"name"})
    filled = load_scenario_file(FILLED).model_dump(exclude={"name"})
    assert today["staffing"].pop("vacant_at_start") > 0
    assert filled["staffing"].pop("vacant_at_start") == 0
    assert today == filled


def test_warm_up_announces_compiling_in_swedish(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kernel, "is_compiled", lambda: False)
    messages: list[str] = []
    assert warm_up(messages.append) is True
    assert messages == [engine.WARM_UP_MESSAGE]
    assert messages[0].startswith("Förbereder simuleringsmotorn")


def test_warm_up_is_silent_once_the_kernel_is_ready() -> None:
    warm_up()
    assert kernel.is_compiled()
    messages: list[str] = []
    assert warm_up(messages.append) is False
    assert messages == []
