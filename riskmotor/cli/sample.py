"""``riskmotor sample``: sample size, upper limit, a reproducible draw (recorded in the
database with ``--namnd``) and the evaluation of a reviewed checklist."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from riskmotor.cli.common import (
    SwedishGroup,
    db_option,
    ensure_new,
    force_option,
    json_option,
    no_db_option,
    state,
)
from riskmotor.cli.render import emit
from riskmotor.domain.egenkontroll_wording import percent_down, percent_up
from riskmotor.domain.terms import EVALUATION_METHOD_LABELS, number, percent

if TYPE_CHECKING:
    from riskmotor.reports.egenkontroll import ChecklistEvaluation, ControlEvaluation
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
    """Stickprov för egenkontroll: storlek, övre gräns, dragning och bedömning.

    Databasen används bara av draw med --namnd och av evaluate med --db.
    """


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
@click.option(
    "--namnd",
    default=None,
    help="Spara dragningen för nämnden i databasen (--db), så att fröet inte kan bytas i tysthet.",
)
@force_option
@db_option
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
    namnd: str | None,
    force: bool,
    as_json: bool,
) -> None:
    """Dra ett stickprov ur ärendelistan CASES och skriv checklistan (Excel) till --out.

    Med --namnd sparas dragningen (frö, ärendelistans kontrollsumma, ärenden per enhet och
    de dragna ärendena) i databasen, och samma lista kan inte dras om med ett annat frö.
    """
    from riskmotor.services import egenkontroll

    cli_state = state()
    if namnd is None and cli_state.db_url is not None:
        raise click.UsageError("--db används bara tillsammans med --namnd.")
    ensure_new(out, force)
    app = cli_state.app
    if namnd is None:
        result = egenkontroll.draw_to_file(
            app.catalog, cases, pseudonymiser=app.standalone_pseudonymiser(), clock=app.clock,
            size=size, seed=seed, period=period, stratify=stratum == "enhet", reserve=reserve,
            control_keys=list(controls), out=out,
        )  # fmt: skip
    else:
        result = egenkontroll.record_draw(
            app.uow(), app.catalog, namnd, cases, pseudonymiser=app.pseudonymiser,
            size=size, seed=seed, period=period, stratify=stratum == "enhet", reserve=reserve,
            control_keys=list(controls), out=out,
        )  # fmt: skip
    stored = f" Dragningen är sparad för {namnd}." if namnd else ""
    emit(
        result,
        as_json,
        lambda: (
            f"{len(result.sample)} ärenden dragna ur {result.population_size} "
            f"(och {len(result.reserve)} reserver); checklistan är sparad i {out}.{stored}"
        ),
    )


@sample_group.command("evaluate")
@click.argument("checklist", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@db_option
@json_option
def sample_evaluate_command(checklist: Path, as_json: bool) -> None:
    """Bedöm en ifylld checklista: per kontrollmoment, per enhet och sammanvägt.

    Utan --db läses allt ur checklistan. Med --db läses svaren in i det sparade urval som
    checklistan hör till, och urvalet bedöms.
    """
    from riskmotor.services import egenkontroll

    cli_state = state()
    app = cli_state.app
    if cli_state.db_url is None:
        result = egenkontroll.evaluate_checklist_file(app.catalog, checklist)
    else:
        result = egenkontroll.evaluate_checklist(app.uow(), app.catalog, checklist)
    emit(result, as_json, lambda: evaluation_text(result))


def evaluation_text(result: ChecklistEvaluation) -> str:
    """Every kontrollmoment: overall first, then each stratum, with the sentence."""
    where = " ".join(part for part in (result.namnd, result.period) if part)
    lines = [
        f"Egenkontroll {where}".rstrip() + f": konfidens {percent(result.confidence, 1, trim=True)}"
        f", tolerans {percent(result.tolerable_rate, 1, trim=True)}."
    ]
    for index, overall in enumerate(result.overall):
        lines += ["", overall.control_name, *_figure_lines("Sammanvägt", overall)]
        if len(result.by_stratum) > 1:
            for stratum, items in result.by_stratum.items():
                lines += _figure_lines(stratum or "(ingen enhet)", items[index])
    return "\n".join(lines)


def _figure_lines(name: str, item: ControlEvaluation) -> list[str]:
    """One line of figures (Swedish number format) and the conclusion, indented."""
    population = "okänt antal" if item.population is None else number(item.population)
    figures = [f"{population} ärenden", f"{number(item.reviewed)} granskade"]
    figures.append(f"{number(item.deviations)} avvikelse{'' if item.deviations == 1 else 'r'}")
    if item.method:
        figures.append(f"metod: {EVALUATION_METHOD_LABELS.get(item.method, item.method)}")
    if item.upper_deviation_limit is not None:
        figures.append(f"övre gräns (ensidig) {percent_up(item.upper_deviation_limit)}")
    if item.lower_deviation_limit is not None:
        figures.append(f"nedre gräns {percent_down(item.lower_deviation_limit)}")
    status = f" [{item.status}]" if item.status else ""
    return [f"  {name}: " + ", ".join(figures) + status, f"    {item.conclusion}"]
