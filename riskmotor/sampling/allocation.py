"""Splitting a total sample over strata (units) and over periods (e.g. tertials)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from fractions import Fraction
from typing import Literal

from riskmotor.sampling import _validate as check
from riskmotor.sampling.errors import SamplingInputError

AllocationMethod = Literal["proportional", "equal"]


def allocate(
    total: int,
    strata_sizes: Mapping[str, int],
    *,
    method: AllocationMethod = "proportional",
    minimum: int = 0,
) -> dict[str, int]:
    """Split ``total`` sample items over strata; returns stratum -> items, in input order.

    Shares: ``proportional`` gives each stratum ``total x size / sum(sizes)``, ``equal`` gives
    each the same share. No stratum gets more than its size, and each gets at least
    ``min(minimum, size)``; what a capped stratum cannot take goes to the others in proportion
    to their weights (exact rational arithmetic). The exact shares are then rounded with the
    largest-remainder method so the result sums to ``total``.

    Minimums take precedence: if the minimums alone add up to more than ``total``, every stratum
    gets its minimum and the result sums to more than ``total``.

    Tie-break when two remainders are equal (deterministic, independent of input order): the
    larger stratum first, then the stratum name in ascending Unicode order.
    """
    sizes = _checked_sizes(strata_sizes)
    total = check.count("total", total, "det totala stickprovet")
    minimum = check.count("minimum", minimum, "minsta stickprov per stratum")
    if method not in ("proportional", "equal"):
        raise SamplingInputError(
            "method", f"okänd fördelningsmetod {method!r}; välj proportional eller equal"
        )
    if total > sum(sizes.values()):
        raise SamplingInputError(
            "total",
            f"stickprovet ({total}) är större än alla strata tillsammans ({sum(sizes.values())})",
        )
    floors = {name: min(minimum, size) for name, size in sizes.items()}
    if sum(floors.values()) >= total:
        return floors
    weights = {
        name: Fraction(size if method == "proportional" else 1) for name, size in sizes.items()
    }
    shares = _capped_shares(total, weights, floors, sizes)
    return _largest_remainder(total, shares, sizes)


def _checked_sizes(strata_sizes: Mapping[str, int]) -> dict[str, int]:
    if not strata_sizes:
        raise SamplingInputError("strata_sizes", "minst ett stratum behövs")
    return {
        name: check.count("strata_sizes", size, f"storleken på stratum {name!r}")
        for name, size in strata_sizes.items()
    }


def _capped_shares(
    total: int,
    weights: dict[str, Fraction],
    floors: dict[str, int],
    caps: dict[str, int],
) -> dict[str, Fraction]:
    """Exact shares ``clamp(level x weight, floor, cap)``, the level chosen so they sum to total.

    The sum is piecewise linear and non-decreasing in the level, with kinks where a stratum hits
    its floor or cap; the kink list is short, so the right segment is found by scanning it.
    """
    kinks = sorted(
        {Fraction(0)}
        | {Fraction(floors[name]) / w for name, w in weights.items() if w > 0}
        | {Fraction(caps[name]) / w for name, w in weights.items() if w > 0}
    )
    previous = kinks[0]
    for kink in kinks[1:]:
        if _clamped_sum(kink, weights, floors, caps) >= total:
            break
        previous = kink
    slope = sum(
        (
            w
            for name, w in weights.items()
            if w > 0 and floors[name] / w <= previous < caps[name] / w
        ),
        Fraction(0),
    )
    level = previous + (total - _clamped_sum(previous, weights, floors, caps)) / slope
    return {name: _clamp(level * w, floors[name], caps[name]) for name, w in weights.items()}


def _clamp(value: Fraction, low: int, high: int) -> Fraction:
    return min(max(value, Fraction(low)), Fraction(high))


def _clamped_sum(
    level: Fraction,
    weights: dict[str, Fraction],
    floors: dict[str, int],
    caps: dict[str, int],
) -> Fraction:
    return sum(
        (_clamp(level * w, floors[name], caps[name]) for name, w in weights.items()),
        Fraction(0),
    )


def _largest_remainder(
    total: int, shares: dict[str, Fraction], sizes: dict[str, int]
) -> dict[str, int]:
    """Round exact shares down, then give the missing items to the largest remainders."""
    result = {name: math.floor(share) for name, share in shares.items()}
    missing = total - sum(result.values())
    # A positive remainder means floor < share <= size, so the extra item never breaks the cap.
    order = sorted(
        (name for name in shares if shares[name] > result[name]),
        key=lambda name: (-(shares[name] - result[name]), -sizes[name], name),
    )
    for name in order[:missing]:
        result[name] += 1
    return result


def spread_over_periods(n: int, periods: int = 3) -> list[int]:
    """Spread ``n`` items over ``periods`` as evenly as possible; earlier periods get the extra.

    >>> spread_over_periods(10, 3)
    [4, 3, 3]
    """
    n = check.count("n", n, "stickprovets storlek")
    periods = check.count("periods", periods, "antalet perioder", minimum=1)
    base, extra = divmod(n, periods)
    return [base + 1 if index < extra else base for index in range(periods)]
