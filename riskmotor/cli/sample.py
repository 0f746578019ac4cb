"""``riskmotor sample``: sample size, upper limit and a reproducible draw (no database)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from riskmotor.cli.common import (
    SwedishGroup,
    ensure_new,
    force_option,
    json_option,
    no_db_option,
    state,
)
from riskmotor.cli.render import emit
from riskmotor.domain.terms import percent

if TYPE_CHECKING:
    from riskmotor.sampling import Method

METHODS = ("binomial", "poisson", "hypergeometric")

population_option = click.option(
    "--population", type=int, default=None, help="Populationens storlek (antal ärenden)."
)
method_option = click.option(
    "--method",
    type=click.Choice(METHODS),
    default=None,
    help="Standard: hypergeometric när populationen anges, annars binomial.",
)


@click.group("sample", cls=SwedishGroup)
def sample_group() -> None:
    """Stickprov för egenkontroll: storlek, övre gräns och dragning. Använder ingen databas."""


def _method(population: int | None, method: str | None) -> Method:
    from riskmotor.sampling import bound_method

    return bound_method(population, method)


@sample_group.command("size")
@click.option("--confidence", type=float, required=True, help="Säkerhet, till exempel 0.95.")
@click.option("--tolerable", type=float, required=True, help="Tolerabel avvikelsegrad, 0.05.")
@click.option("--expected", type=float, default=0.0, show_default=True, help="Väntad grad.")
@population_option
@method_option
@no_db_option
@json_option
def sample_size_command(
    confidence: float,
    tolerable: float,
    expected: float,
    population: int | None,
    method: str | None,
    as_json: bool,
) -> None:
    """Minsta stickprov som kan visa att avvikelsegraden är under toleransen."""
    from riskmotor.sampling import sample_size

    chosen = _method(population, method)
    plan = sample_size(confidence, tolerable, expected, population=population, method=chosen)
    data = {"n": plan.n, "allowed_deviations": plan.allowed_deviations, "method": chosen}
    emit(
        data,
        as_json,
        lambda: (
            f"Stickprov: {plan.n} ärenden, högst {plan.allowed_deviations} avvikelser ({chosen})."
        ),
    )


@sample_group.command("limit")
@click.option("--n", "n", type=int, required=True, help="Antal granskade ärenden.")
@click.option("--deviations", type=int, required=True, help="Antal avvikelser bland dem.")
@click.option("--confidence", type=float, required=True, help="Säkerhet, till exempel 0.95.")
@population_option
@method_option
@no_db_option
@json_option
def sample_limit_command(
    n: int,
    deviations: int,
    confidence: float,
    population: int | None,
    method: str | None,
    as_json: bool,
) -> None:
    """Övre gräns för avvikelsegraden efter granskning."""
    from riskmotor.sampling import upper_limit

    chosen = _method(population, method)
    limit = upper_limit(n, deviations, confidence, population=population, method=chosen)
    emit(
        {"upper_limit": limit, "method": chosen},
        as_json,
        lambda: (
            f"Övre gräns för avvikelsegraden: {percent(limit, 2)} "
            f"(med {percent(confidence, 1, trim=True)} säkerhet, {chosen})."
        ),
    )


@sample_group.command("draw")
@click.argument("cases", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--size", type=int, required=True, help="Stickprov per stratum.")
@click.option("--seed", type=int, required=True, help="Slumpfrö (samma frö ger samma urval).")
@click.option("--period", default=None, help="Till exempel 2027-T1 (januari–april).")
@click.option("--stratum", type=click.Choice(["enhet"]), default=None, help="Dra per enhet.")
@click.option("--reserve", type=int, default=0, show_default=True, help="Reserver per stratum.")
@click.option("--control", "controls", multiple=True, help="Kontrollmoment (nyckel), flera går.")
@click.option(
    "--out", type=click.Path(path_type=Path, dir_okay=False), required=True, help="Checklistan."
)
@force_option
@no_db_option
@json_option
def sample_draw_command(
    cases: Path,
    size: int,
    seed: int,
    period: str | None,
    stratum: str | None,
    reserve: int,
    controls: tuple[str, ...],
    out: Path,
    force: bool,
    as_json: bool,
) -> None:
    """Dra ett stickprov ur ärendelistan CASES och skriv checklistan (Excel) till --out."""
    from riskmotor.services import egenkontroll

    ensure_new(out, force)
    app = state().app
    result = egenkontroll.draw_to_file(
        app.catalog,
        cases,
        pseudonymiser=app.standalone_pseudonymiser(),
        clock=app.clock,
        size=size,
        seed=seed,
        period=period,
        stratify=stratum == "enhet",
        reserve=reserve,
        control_keys=list(controls),
        out=out,
    )
    emit(
        result,
        as_json,
        lambda: (
            f"{len(result.sample)} ärenden dragna ur {result.population_size} "
            f"(och {len(result.reserve)} reserver); checklistan är sparad i {out}."
        ),
    )
