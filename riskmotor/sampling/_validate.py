"""Argument checks shared by the sampling modules (messages are shown to users, in Swedish)."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from typing import Literal, get_args

from riskmotor.sampling.errors import SamplingInputError

Method = Literal["binomial", "poisson", "hypergeometric"]
METHODS: tuple[str, ...] = get_args(Method)

Number = int | float | Fraction | Decimal


def exact(value: Number) -> Fraction:
    """Exact rational value of a rate as the user typed it.

    A float is converted through its shortest decimal string, so 0.035 becomes 35/1000 and not the
    binary approximation 0.035000000000000003; this keeps ceil(0.035 * 400) at 14.
    """
    if isinstance(value, float):
        return Fraction(repr(value))
    return Fraction(value)


def _as_float(value: object) -> float:
    """The value as float; NaN for anything that is not a real number, so range checks fail."""
    # bool is an int subclass, but True as a confidence level is a caller bug, not 1.0.
    if isinstance(value, bool) or not isinstance(value, int | float | Fraction | Decimal):
        return math.nan
    return float(value)


def open_unit(field: str, value: object, what: str) -> float:
    """Check that ``value`` lies strictly between 0 and 1 and return it as float."""
    number = _as_float(value)
    if not 0 < number < 1:  # also rejects NaN
        raise SamplingInputError(field, f"{what} måste ligga mellan 0 och 1 (fick {value!r})")
    return number


def half_open_unit(field: str, value: object, what: str) -> float:
    """Check that ``value`` lies in [0, 1) and return it as float."""
    number = _as_float(value)
    if not 0 <= number < 1:  # also rejects NaN
        raise SamplingInputError(
            field, f"{what} måste vara minst 0 och mindre än 1 (fick {value!r})"
        )
    return number


def closed_unit(field: str, value: object, what: str) -> float:
    """Check that ``value`` lies in [0, 1] and return it as float."""
    number = _as_float(value)
    if not 0 <= number <= 1:  # also rejects NaN
        raise SamplingInputError(field, f"{what} måste ligga mellan 0 och 1 (fick {value!r})")
    return number


def count(field: str, value: object, what: str, *, minimum: int = 0) -> int:
    """Check that ``value`` is an integer of at least ``minimum`` and return it."""
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise SamplingInputError(
            field, f"{what} måste vara ett heltal som är minst {minimum} (fick {value!r})"
        )
    return value


def method(value: object) -> Method:
    """Check the name of an upper-limit method."""
    if value not in METHODS:
        raise SamplingInputError(
            "method", f"okänd metod {value!r}; välj en av {', '.join(METHODS)}"
        )
    return value  # type: ignore[return-value]


def population(value: object, chosen: Method) -> int | None:
    """Check the population size; the hypergeometric method cannot work without it."""
    if value is None:
        if chosen == "hypergeometric":
            raise SamplingInputError(
                "population", "den hypergeometriska metoden kräver populationens storlek"
            )
        return None
    return count("population", value, "populationens storlek", minimum=1)


def sample_within_population(n: int, population_size: int | None) -> None:
    """A sample without replacement cannot be larger than the population."""
    if population_size is not None and n > population_size:
        raise SamplingInputError(
            "population",
            f"populationen ({population_size}) är mindre än stickprovet ({n})",
        )
