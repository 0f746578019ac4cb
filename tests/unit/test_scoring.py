"""Scoring rules: values and levels from the catalog grid, aggregation and disagreement."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from riskmotor.catalogs import Catalog
from riskmotor.domain import scoring
from riskmotor.domain.scoring import Aggregation, ScoreError


@dataclass
class V:
    likelihood: int
    consequence: int


@pytest.mark.parametrize(
    ("s", "k", "value", "level"),
    [
        (1, 1, 1, "lag"),
        (1, 4, 4, "medel"),
        (2, 2, 4, "medel"),
        (3, 3, 9, "hog"),
        (2, 4, 8, "hog"),
        (3, 4, 12, "mycket_hog"),
        (4, 4, 16, "mycket_hog"),
        (4, 1, 4, "medel"),
    ],
)
def test_value_and_level_follow_the_grid(
    catalog: Catalog, s: int, k: int, value: int, level: str
) -> None:
    scale = catalog.scale()
    assessed = scoring.assess(scale, s, k)
    assert assessed.risk_value == value
    assert assessed.level.key == level
    assert assessed.level.colour == scale.risk_level(level).colour


@pytest.mark.parametrize(("s", "k"), [(0, 1), (5, 1), (1, 0), (1, 5)])
def test_scores_outside_the_scale_are_refused(catalog: Catalog, s: int, k: int) -> None:
    with pytest.raises(ScoreError, match="utanför skalan"):
        scoring.risk_value(catalog.scale(), s, k)


def test_five_point_scale_accepts_five(catalog: Catalog) -> None:
    assert scoring.risk_value(catalog.scale("alternativ-5x5"), 5, 5) == 25


@pytest.mark.parametrize(
    ("values", "method", "expected"),
    [
        ([2, 3], Aggregation.MEDIAN, 3),  # even count: the upper median
        ([1, 2, 3, 4], Aggregation.MEDIAN, 3),
        ([1, 1, 4], Aggregation.MEDIAN, 1),
        ([2, 3], Aggregation.MEAN, 3),  # 2.5 rounds half up
        ([1, 2, 2], Aggregation.MEAN, 2),
        ([1, 1, 2], Aggregation.MEAN, 1),
        ([1, 3, 2], Aggregation.MAX, 3),
    ],
)
def test_aggregation_and_its_tie_rule(
    values: list[int], method: Aggregation, expected: int
) -> None:
    assert scoring.aggregate_levels(values, method) == expected


def test_votes_aggregate_per_axis() -> None:
    votes = [V(1, 4), V(2, 3), V(3, 3)]
    assert scoring.aggregate_votes(votes) == (2, 3)
    assert scoring.aggregate_votes([]) is None


def test_disagreement_needs_two_steps_on_an_axis() -> None:
    assert not scoring.has_disagreement([V(2, 2), V(3, 3), V(3, 2)])
    assert scoring.has_disagreement([V(1, 2), V(3, 2)])
    assert scoring.has_disagreement([V(2, 1), V(2, 3)])
    assert not scoring.has_disagreement([V(1, 1)])


def test_consequence_over_areas_takes_the_worst_by_default() -> None:
    assert scoring.aggregate_consequence({"brukare": 4, "ekonomi": 1, "lag": 2}) == 4
    assert scoring.aggregate_consequence({"brukare": 4, "ekonomi": 1}, Aggregation.MEDIAN) == 4
