"""Properties of the scoring rules, for every scale in the catalog."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from riskmotor.catalogs import load_catalog
from riskmotor.domain import scoring
from riskmotor.domain.scoring import Aggregation

CATALOG = load_catalog()
SCALES = list(CATALOG.scales.values())


@dataclass
class V:
    likelihood: int
    consequence: int


@st.composite
def scale_and_cell(draw: st.DrawFn) -> tuple:
    scale = draw(st.sampled_from(SCALES))
    s = draw(st.integers(1, scale.max_likelihood))
    k = draw(st.integers(1, scale.max_consequence))
    return scale, s, k


@given(scale_and_cell())
def test_value_and_level_are_monotone_in_both_axes(cell: tuple) -> None:
    scale, s, k = cell
    here = scoring.assess(scale, s, k)
    if s < scale.max_likelihood:
        up = scoring.assess(scale, s + 1, k)
        assert up.risk_value > here.risk_value and up.level.rank >= here.level.rank
    if k < scale.max_consequence:
        right = scoring.assess(scale, s, k + 1)
        assert right.risk_value > here.risk_value and right.level.rank >= here.level.rank


votes_strategy = st.lists(st.tuples(st.integers(1, 5), st.integers(1, 5)), min_size=1, max_size=12)


@given(votes_strategy, st.sampled_from(list(Aggregation)))
def test_aggregate_lies_within_the_votes(pairs: list[tuple[int, int]], method: Aggregation) -> None:
    s, k = scoring.aggregate_votes([V(*p) for p in pairs], method)  # type: ignore[misc]
    assert min(p[0] for p in pairs) <= s <= max(p[0] for p in pairs)
    assert min(p[1] for p in pairs) <= k <= max(p[1] for p in pairs)


@given(votes_strategy, st.sampled_from(list(Aggregation)), st.randoms())
def test_aggregate_and_flag_ignore_vote_order(
    pairs: list[tuple[int, int]], method: Aggregation, random: object
) -> None:
    shuffled = list(pairs)
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    original = [V(*p) for p in pairs]
    reordered = [V(*p) for p in shuffled]
    assert scoring.aggregate_votes(original, method) == scoring.aggregate_votes(reordered, method)
    assert scoring.has_disagreement(original) == scoring.has_disagreement(reordered)
