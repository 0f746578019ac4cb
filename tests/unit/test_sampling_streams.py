"""Each stratum is drawn from its own stream, which an auditor can re-create with NumPy alone."""

from __future__ import annotations

import hashlib

import numpy as np

from riskmotor.sampling import draw_stratified

IDS = [f"{i:04d}" for i in range(1, 201)]


def test_equal_sized_strata_get_different_positions() -> None:
    draws = draw_stratified({"Enhet A": IDS, "Enhet B": IDS, "Enhet C": IDS}, 10, seed=42)
    samples = [tuple(d.sample) for d in draws.values()]
    assert len(set(samples)) == 3


def test_positions_differ_over_many_seeds() -> None:
    same = sum(
        draw_stratified({"A": IDS, "B": IDS}, 3, seed)["A"].sample
        == draw_stratified({"A": IDS, "B": IDS}, 3, seed)["B"].sample
        for seed in range(200)
    )
    assert same == 0


def test_auditor_redraws_with_numpy_alone() -> None:
    # The recipe in docs/egenkontroll.md, written out without riskmotor.
    seed, name, size, reserve = 20270101, "Barn och unga", 5, 2
    key = int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big")
    rng = np.random.default_rng(np.random.SeedSequence([seed, key]))
    ids = sorted(IDS)
    perm = rng.permutation(len(ids))
    expected_sample = [ids[i] for i in perm[:size]]
    expected_reserve = [ids[i] for i in perm[size : size + reserve]]
    drawn = draw_stratified({name: list(reversed(IDS)), "Annan": IDS}, size, seed, reserve)
    assert drawn[name].sample == expected_sample
    assert drawn[name].reserve == expected_reserve


def test_a_stratum_does_not_depend_on_the_others() -> None:
    alone = draw_stratified({"A": IDS}, 10, seed=3)["A"]
    together = draw_stratified({"A": IDS, "B": IDS[:50]}, 10, seed=3)["A"]
    assert alone == together
