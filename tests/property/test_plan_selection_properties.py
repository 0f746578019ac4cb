"""Properties of the internkontrollplan selection rule."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from riskmotor.domain.plan_selection import Candidate, Decision, select_risks

candidate_lists = st.lists(
    st.builds(
        Candidate,
        risk_id=st.integers(1, 10_000),
        title=st.text(min_size=1, max_size=8),
        risk_value=st.one_of(st.none(), st.integers(1, 16)),
        likelihood=st.integers(1, 4),
        consequence=st.integers(1, 4),
    ),
    max_size=30,
    unique_by=lambda c: c.risk_id,
)


@st.composite
def scenarios(draw: st.DrawFn) -> tuple:
    candidates = draw(candidate_lists)
    ids = [c.risk_id for c in candidates]
    must = draw(st.dictionaries(st.sampled_from(ids), st.just("KS beslut"))) if ids else {}
    manual = (
        draw(
            st.dictionaries(
                st.sampled_from(ids), st.builds(Decision, st.booleans(), st.just("motiverat"))
            )
        )
        if ids
        else {}
    )
    threshold = draw(st.integers(1, 16))
    return candidates, threshold, must, manual


@given(scenarios())
def test_every_decision_follows_the_rule(case: tuple) -> None:
    candidates, threshold, must, manual = case
    for chosen in select_risks(candidates, threshold, must_include=must, overrides=manual):
        risk_id = chosen.candidate.risk_id
        value = chosen.candidate.risk_value
        assert chosen.reason.strip()
        if chosen.included:
            assert (
                (value is not None and value >= threshold)
                or risk_id in must
                or (risk_id in manual and manual[risk_id].motivation)
            )
        else:
            assert (value is None or value < threshold) or risk_id in manual


@given(scenarios(), st.randoms())
def test_order_is_deterministic_whatever_the_input_order(case: tuple, random: object) -> None:
    candidates, threshold, must, manual = case
    shuffled = list(candidates)
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    first = select_risks(candidates, threshold, must_include=must, overrides=manual)
    second = select_risks(shuffled, threshold, must_include=must, overrides=manual)
    assert [(s.candidate.risk_id, s.included, s.reason) for s in first] == [
        (s.candidate.risk_id, s.included, s.reason) for s in second
    ]
    values = [s.candidate.risk_value or 0 for s in first]
    assert values == sorted(values, reverse=True)


@given(candidate_lists, st.integers(1, 16), st.integers(1, 5))
def test_top_n_keeps_only_the_highest(
    candidates: list[Candidate], threshold: int, top_n: int
) -> None:
    chosen = select_risks(candidates, threshold, top_n=top_n)
    included = [s for s in chosen if s.included]
    assert len(included) <= top_n
    if included:
        lowest_in = min(s.candidate.risk_value or 0 for s in included)
        assert all((s.candidate.risk_value or 0) <= lowest_in for s in chosen if not s.included)
