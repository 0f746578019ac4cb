"""Suggested likelihood level from a simulated probability and its interval."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from riskmotor.simulation import level_for, suggest_likelihood

BANDS = [(1, 0.0, 0.05), (2, 0.05, 0.25), (3, 0.25, 0.5), (4, 0.5, 0.75), (5, 0.75, 1.0)]


@pytest.mark.parametrize(
    ("p", "level"),
    [(0.0, 1), (0.049, 1), (0.05, 2), (0.2499, 2), (0.25, 3), (0.74, 4), (0.75, 5), (1.0, 5)],
)
def test_bands_are_half_open_and_last_is_closed(p: float, level: int) -> None:
    assert level_for(p, BANDS) == level


def test_interval_inside_one_band() -> None:
    suggestion = suggest_likelihood(0.12, (0.08, 0.16), BANDS)
    assert suggestion.level == 2 and not suggestion.straddles
    assert suggestion.interval_levels == (2, 2)
    assert "helt ligger inom nivå 2" in suggestion.message


def test_interval_straddling_a_boundary() -> None:
    suggestion = suggest_likelihood(0.06, (0.03, 0.11), BANDS)
    assert suggestion.level == 2 and suggestion.straddles
    assert suggestion.interval_levels == (1, 2)
    assert "gränsen mellan nivå 1 och nivå 2" in suggestion.message
    assert "6,0 %" in suggestion.message


def test_accepts_catalog_like_objects_in_any_order() -> None:
    objects = [
        SimpleNamespace(value=v, probability_low=lo, probability_high=hi)
        for v, lo, hi in reversed(BANDS)
    ]
    assert suggest_likelihood(0.8, (0.7, 0.9), objects).interval_levels == (4, 5)


def test_accepts_the_catalog_model() -> None:
    catalog = pytest.importorskip("riskmotor.domain.catalog")
    levels = [
        catalog.LikelihoodLevel(
            value=v, name=f"n{v}", description="d", probability_low=lo, probability_high=hi
        )
        for v, lo, hi in BANDS
    ]
    assert suggest_likelihood(0.3, (0.26, 0.34), levels).level == 3


def test_gaps_between_bands_are_rejected() -> None:
    with pytest.raises(ValueError, match="möts inte"):
        level_for(0.1, [(1, 0.0, 0.1), (2, 0.2, 1.0)])
    with pytest.raises(ValueError):
        level_for(0.1, [])


def _real_bands(scale_points: int) -> list[object]:
    from riskmotor.catalogs import load_catalog

    catalog = load_catalog()
    scale = next(s for s in catalog.scales.values() if len(s.likelihood) == scale_points)
    return list(scale.likelihood)


@pytest.mark.parametrize(
    ("points", "probability", "level"),
    [(4, 0.03, 1), (4, 0.30, 3), (4, 0.80, 4), (5, 0.05, 2), (5, 0.20, 3), (5, 0.90, 5)],
)
def test_a_year_is_placed_on_the_real_bands(points: int, probability: float, level: int) -> None:
    bands = _real_bands(points)
    suggestion = suggest_likelihood(probability, (probability, probability), bands, window_days=365)
    assert suggestion.level == level


@pytest.mark.parametrize("window", [182.5, 730.0, 90.0])
def test_no_suggestion_for_another_window(window: float) -> None:
    suggestion = suggest_likelihood(0.3, (0.25, 0.35), _real_bands(4), window_days=window)
    assert suggestion.level is None
    assert "under ett år" in suggestion.message and "365" in suggestion.message
