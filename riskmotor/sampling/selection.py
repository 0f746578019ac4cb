"""Reproducible simple random sampling of case ids, with an ordered reserve list."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from itertools import pairwise

import numpy as np
from pydantic import BaseModel, ConfigDict

from riskmotor.sampling import _validate as check
from riskmotor.sampling.errors import SamplingInputError


class DrawResult(BaseModel):
    """Outcome of :func:`draw_sample`; ``reserve`` is used in order when a sampled case is void."""

    model_config = ConfigDict(frozen=True)

    sample: list[str]
    reserve: list[str]
    seed: int
    population_size: int
    numpy_version: str


def draw_sample(case_ids: Sequence[str], size: int, seed: int, reserve: int = 0) -> DrawResult:
    """Draw ``size`` case ids without replacement, plus ``reserve`` ordered replacements.

    Algorithm, precise enough to re-draw independently::

        import numpy as np                      # numpy >= 1.17; result recorded numpy_version
        ids = sorted(case_ids)                  # Python str order = ascending Unicode code points
        perm = np.random.default_rng(seed).permutation(len(ids))  # PCG64 bit generator
        sample = [ids[i] for i in perm[:size]]
        reserve = [ids[i] for i in perm[size:size + reserve]]

    ``default_rng(seed)`` seeds a PCG64 generator through ``SeedSequence(seed)``;
    ``permutation(N)`` shuffles ``arange(N)`` with the generator's Fisher–Yates shuffle. Sorting
    first makes the draw independent of the order in which the ids were listed. numpy keeps
    ``Generator`` streams stable across versions as far as it can but does not promise it, so
    the version used is recorded in the result.

    Raises ``SamplingInputError`` (a ``ValueError``) for duplicate ids, non-string ids, a
    negative seed, or ``size + reserve`` larger than the population.
    """
    size = check.count("size", size, "stickprovets storlek")
    reserve = check.count("reserve", reserve, "antalet reserver")
    seed = check.count("seed", seed, "fröet (seed)")
    ordered = _sorted_unique(case_ids)
    wanted = size + reserve
    if wanted > len(ordered):
        raise SamplingInputError(
            "size",
            f"stickprov ({size}) plus reserver ({reserve}) är fler än populationen "
            f"({len(ordered)})",
        )
    positions = np.random.default_rng(seed).permutation(len(ordered))[:wanted].tolist()
    chosen = [ordered[position] for position in positions]
    return DrawResult(
        sample=chosen[:size],
        reserve=chosen[size:],
        seed=seed,
        population_size=len(ordered),
        numpy_version=np.__version__,
    )


def _sorted_unique(case_ids: Sequence[str]) -> list[str]:
    """Sort the ids and reject duplicates and non-strings in the same pass over the data."""
    if isinstance(case_ids, str):
        raise SamplingInputError("case_ids", "ärende-id:n ska ges som en lista, inte en sträng")
    try:
        ordered = sorted(case_ids)
    except TypeError as error:  # str < int and the like cannot be compared
        raise SamplingInputError("case_ids", "alla ärende-id:n måste vara text") from error
    # Sorting already compared neighbours, so mixed types failed above; a list of only
    # non-strings sorts fine and is caught by looking at any one element.
    if ordered and not all(isinstance(item, str) for item in (ordered[0], ordered[-1])):
        raise SamplingInputError("case_ids", "alla ärende-id:n måste vara text")
    duplicate = next((left for left, right in pairwise(ordered) if left == right), None)
    if duplicate is not None:
        raise SamplingInputError("case_ids", f"ärende-id {duplicate!r} förekommer flera gånger")
    return ordered


class StratumDraw(BaseModel):
    """The draw of one stratum; ``census`` when the stratum is too small to sample."""

    model_config = ConfigDict(frozen=True)

    population: int
    sample: list[str]
    reserve: list[str]
    census: bool


def stratum_key(stratum: str) -> int:
    """A stable 64-bit key of a stratum name: the first 8 bytes of SHA-256 of its UTF-8
    text, read as a big-endian unsigned integer (unlike Python's ``hash``, the same in every
    process and on every machine)."""
    return int.from_bytes(hashlib.sha256(stratum.encode("utf-8")).digest()[:8], "big")


def stratum_seed(seed: int, stratum: str) -> np.random.SeedSequence:
    """The seed of one stratum's stream: ``SeedSequence([seed, stratum_key(stratum)])``."""
    return np.random.SeedSequence([seed, stratum_key(stratum)])


def draw_stratified(
    ids_by_stratum: Mapping[str, Sequence[str]], size: int, seed: int, reserve: int = 0
) -> dict[str, StratumDraw]:
    """Draw ``size`` ids (plus ``reserve``) from every stratum, each from its own stream.

    Every stratum has an independent random stream derived from the seed and the stratum's
    name, so equal-sized strata get different positions and each stratum can be re-drawn on
    its own with NumPy alone::

        import hashlib, numpy as np
        key = int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big")
        rng = np.random.default_rng(np.random.SeedSequence([seed, key]))  # PCG64
        ids = sorted(ids_of_stratum)
        perm = rng.permutation(len(ids))
        sample = [ids[i] for i in perm[:size]]
        reserve = [ids[i] for i in perm[size:size + reserve]]

    A stratum with at most ``size`` ids is reviewed in full (``census``; no reserve, ids
    sorted); one with fewer than ``size + reserve`` ids gets the ids left over as its reserve.
    """
    size = check.count("size", size, "stickprovets storlek")
    reserve = check.count("reserve", reserve, "antalet reserver")
    seed = check.count("seed", seed, "fröet (seed)")
    draws: dict[str, StratumDraw] = {}
    for stratum in sorted(ids_by_stratum):
        ordered = _sorted_unique(ids_by_stratum[stratum])
        if len(ordered) <= size:
            draws[stratum] = StratumDraw(
                population=len(ordered), sample=ordered, reserve=[], census=True
            )
            continue
        wanted = size + min(reserve, len(ordered) - size)
        rng = np.random.default_rng(stratum_seed(seed, stratum))
        chosen = [ordered[i] for i in rng.permutation(len(ordered))[:wanted].tolist()]
        draws[stratum] = StratumDraw(
            population=len(ordered), sample=chosen[:size], reserve=chosen[size:], census=False
        )
    return draws
