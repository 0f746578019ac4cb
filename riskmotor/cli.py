"""Command line: the same services as the UI, JSON out with ``--json``.

Every failure a user can cause ends with exit code 1 and one line on stderr.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from riskmotor import sampling
from riskmotor.catalogs import CatalogError, load_catalog
from riskmotor.errors import RiskmotorError
from riskmotor.services import context, demo, egenkontroll, scenarios, workshop

F = TypeVar("F", bound=Callable[..., Any])

APP_PATH = Path(__file__).resolve().parent.parent / "streamlit_app" / "app.py"

db_option = click.option(
    "--db",
    "db_url",
    default=None,
    help="Databasadress (SQLAlchemy-URL). Standard: RISKMOTOR_DATABASE_URL eller en SQLite-fil.",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Skriv ut JSON.")


def user_errors(func: F) -> F:
    """Turn the errors a user can cause into one line on stderr and exit code 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (RiskmotorError, CatalogError) as exc:
            click.echo(f"Fel: {exc}", err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


def emit(data: Any, as_json: bool, text: Callable[[], str]) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2) if as_json else text())


@click.group()
@click.version_option(package_name="riskmotor")
def main() -> None:
    """riskmotor – riskanalys och internkontroll för socialtjänsten."""


@main.command("demo")
@db_option
@click.option(
    "--risks", "risk_count", type=int, default=None, help="Lägg till syntetiska risker upp till N."
)
@json_option
@user_errors
def demo_command(db_url: str | None, risk_count: int | None, as_json: bool) -> None:
    """Skapa demodata: Exempelkommun, Socialnämnden och riskanalys 2027."""
    result = demo.load_demo(context.open_uow(db_url), context.catalog(), risks=risk_count)
    emit(
        result.__dict__,
        as_json,
        lambda: (
            f"Demodata klar: {result.risks_total} risker i riskanalysen ({result.risks_added} nya)."
        ),
    )


@main.command("ui")
@db_option
@click.option("--port", type=int, default=8501, show_default=True)
@click.option("--headless/--no-headless", default=False)
def ui_command(db_url: str | None, port: int, headless: bool) -> None:
    """Starta workshopgränssnittet i webbläsaren."""
    env = dict(os.environ)
    env["RISKMOTOR_DATABASE_URL"] = context.database_url(db_url)
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP_PATH),
        "--server.port",
        str(port),
        "--server.headless",
        str(headless).lower(),
        "--browser.gatherUsageStats",
        "false",
        "--client.toolbarMode",
        "minimal",
    ]
    sys.exit(subprocess.call(command, env=env))


@main.group("catalog")
def catalog_group() -> None:
    """Kataloger: skalor, riskmallar, processer, tidsfrister."""


@catalog_group.command("validate")
@click.argument("directory", required=False, type=click.Path(path_type=Path))
@click.option(
    "--db",
    "db_url",
    default=None,
    help="Kontrollera också att databasens riskanalyser använder skalor som finns i katalogen.",
)
@json_option
@user_errors
def catalog_validate(directory: Path | None, db_url: str | None, as_json: bool) -> None:
    """Kontrollera att katalogmappen DIRECTORY är giltig."""
    catalog = load_catalog(directory or context.catalog().directory)
    if db_url:
        workshop.check_scales_in_use(context.open_uow(db_url), catalog)
    summary = {
        "directory": catalog.directory,
        "scales": list(catalog.scales),
        "templates": len(catalog.templates),
        "processes": len(catalog.processes),
        "deadlines": len(catalog.deadlines),
        "control_activities": len(catalog.control_activities),
    }
    emit(
        summary,
        as_json,
        lambda: (
            f"Katalogen i {catalog.directory} är giltig: {len(catalog.scales)} skalor, "
            f"{len(catalog.templates)} riskmallar, {len(catalog.processes)} processer."
        ),
    )


@main.group("risks")
def risks_group() -> None:
    """Risker i en riskanalys."""


namnd_option = click.option("--namnd", required=True, help="Nämndens namn.")
year_option = click.option("--year", required=True, type=int, help="Riskanalysens år.")


def _risk_line(risk: workshop.RiskView) -> str:
    score = "ej bedömd"
    if risk.risk_value:
        score = f"S{risk.likelihood} × K{risk.consequence} = {risk.risk_value}"
    flag = "  [oenighet]" if risk.disagreement else ""
    return f"{risk.id:>5}  {score:<16} {risk.title}{flag}"


@risks_group.command("list")
@db_option
@namnd_option
@year_option
@json_option
@user_errors
def risks_list(db_url: str | None, namnd: str, year: int, as_json: bool) -> None:
    """Lista riskerna i nämndens riskanalys."""
    analysis = workshop.find_analysis(context.open_uow(db_url), namnd, year)
    assert analysis.id is not None
    risks = workshop.list_risks(context.open_uow(db_url), context.catalog(), analysis.id)
    emit(
        [risk.cli_dict() for risk in risks],
        as_json,
        lambda: "\n".join(_risk_line(risk) for risk in risks),
    )


@risks_group.command("add")
@db_option
@namnd_option
@year_option
@click.option("--title", required=True)
@click.option("--process", default="")
@click.option("--description", default="")
@click.option("--likelihood", type=int, default=None)
@click.option("--consequence", type=int, default=None)
@json_option
@user_errors
def risks_add(
    db_url: str | None,
    namnd: str,
    year: int,
    title: str,
    process: str,
    description: str,
    likelihood: int | None,
    consequence: int | None,
    as_json: bool,
) -> None:
    """Lägg till en ny risk, med överenskommen sannolikhet och konsekvens om de anges."""
    analysis = workshop.find_analysis(context.open_uow(db_url), namnd, year)
    risk = workshop.add_risk(
        context.open_uow(db_url),
        context.catalog(),
        {
            "analysis_id": analysis.id,
            "title": title,
            "process": process,
            "description": description,
            "inherent_likelihood": likelihood,
            "inherent_consequence": consequence,
        },
    )
    emit(risk.cli_dict(), as_json, lambda: _risk_line(risk))


@main.command("simulate")
@click.argument("scenario_file", type=click.Path(path_type=Path))
@click.option("--replications", type=int, default=10_000, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--scale", "scale_key", default=None, help="Skala för föreslagen sannolikhet.")
@json_option
@user_errors
def simulate_command(
    scenario_file: Path, replications: int, seed: int, scale_key: str | None, as_json: bool
) -> None:
    """Simulera kapacitetsscenariot i SCENARIO_FILE (YAML) och skriv sammanfattningen."""
    scenario = scenarios.load_scenario_file(scenario_file)
    result = scenarios.run(scenario.model_dump(exclude_none=True), replications, seed)
    suggested = scenarios.suggestion(result, context.catalog().scale(scale_key))
    summary = {
        **result.summary,
        "backlog_fan": result.backlog_fan,
        "suggested_likelihood": suggested.level,
        "suggestion_straddles_boundary": suggested.straddles,
        "suggestion": suggested.message,
    }
    low, high = summary["event_probability_ci"]
    emit(
        summary,
        as_json,
        lambda: (
            f"{scenario.name}: sannolikhet för händelsen {summary['event_probability']:.1%} "
            f"(95 %: {low:.1%}–{high:.1%}), {summary['load_label']}.\n{suggested.message}"
        ),
    )


@main.group("sample")
def sample_group() -> None:
    """Stickprov för egenkontroll: storlek, övre gräns och dragning."""


population_option = click.option(
    "--population", type=int, default=None, help="Populationens storlek."
)
method_option = click.option(
    "--method",
    type=click.Choice(["binomial", "poisson", "hypergeometric"]),
    default=None,
    help="Standard: hypergeometric när populationen anges, annars binomial.",
)


def _method(method: str | None, population: int | None) -> str:
    return method or ("hypergeometric" if population else "binomial")


@sample_group.command("size")
@click.option("--confidence", type=float, required=True)
@click.option("--tolerable", type=float, required=True)
@click.option("--expected", type=float, default=0.0, show_default=True)
@population_option
@method_option
@json_option
@user_errors
def sample_size_command(
    confidence: float,
    tolerable: float,
    expected: float,
    population: int | None,
    method: str | None,
    as_json: bool,
) -> None:
    """Minsta stickprov som kan visa att avvikelsegraden är under toleransen."""
    chosen = _method(method, population)
    plan = sampling.sample_size(
        confidence, tolerable, expected, population=population, method=chosen
    )
    data = {"n": plan.n, "allowed_deviations": plan.allowed_deviations, "method": chosen}
    emit(data, as_json, lambda: f"n = {plan.n}, tillåtna avvikelser = {plan.allowed_deviations}")


@sample_group.command("limit")
@click.option("--n", "n", type=int, required=True)
@click.option("--deviations", type=int, required=True)
@click.option("--confidence", type=float, required=True)
@population_option
@method_option
@json_option
@user_errors
def sample_limit_command(
    n: int,
    deviations: int,
    confidence: float,
    population: int | None,
    method: str | None,
    as_json: bool,
) -> None:
    """Övre gräns för avvikelsegraden efter granskning."""
    limit = sampling.upper_limit(
        n, deviations, confidence, population=population, method=_method(method, population)
    )
    emit({"upper_limit": limit}, as_json, lambda: f"Övre gräns: {limit:.4f}")


@sample_group.command("draw")
@click.argument("cases", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--size", type=int, required=True, help="Stickprov per stratum.")
@click.option("--seed", type=int, required=True)
@click.option("--period", default=None, help="Till exempel 2027-T1 (januari–april).")
@click.option("--stratum", type=click.Choice(["enhet"]), default=None)
@click.option("--reserve", type=int, default=0, show_default=True)
@click.option("--control", "controls", multiple=True, help="Kontrollmoment (nyckel), flera går.")
@click.option("--out", type=click.Path(path_type=Path), required=True)
@json_option
@user_errors
def sample_draw_command(
    cases: Path,
    size: int,
    seed: int,
    period: str | None,
    stratum: str | None,
    reserve: int,
    controls: tuple[str, ...],
    out: Path,
    as_json: bool,
) -> None:
    """Dra ett stickprov ur ärendelistan CASES och skriv checklistan till --out."""
    result = egenkontroll.draw_to_file(
        context.catalog(),
        cases,
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
            f"{sum(len(s['sample']) for s in result['strata'].values())} ärenden dragna ur "
            f"{result['population_size']}; checklistan är sparad i {out}."
        ),
    )


if __name__ == "__main__":
    main()
