"""``riskmotor risks``: list and add the risks of a nämnd's risk analysis."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from riskmotor.cli.common import (
    SwedishGroup,
    db_option,
    json_option,
    namnd_option,
    pass_app,
    year_option,
)
from riskmotor.cli.render import emit, risk_line

if TYPE_CHECKING:
    from riskmotor.bootstrap import App


@click.group("risks", cls=SwedishGroup)
def risks_group() -> None:
    """Risker i en riskanalys."""


@risks_group.command("list")
@db_option
@namnd_option
@year_option
@json_option
@pass_app
def risks_list(app: App, namnd: str, year: int, as_json: bool) -> None:
    """Lista riskerna i nämndens riskanalys."""
    from riskmotor.services import workshop

    analysis = workshop.find_analysis(app.uow(), namnd, year)
    risks = workshop.list_risks(app.uow(), app.catalog, analysis.id or 0)
    emit(risks, as_json, lambda: "\n".join(risk_line(risk) for risk in risks))


@risks_group.command("add")
@db_option
@namnd_option
@year_option
@click.option("--title", required=True, help="Riskens rubrik.")
@click.option("--process", default="", help="Processens nyckel i katalogen.")
@click.option("--description", default="", help="Beskrivning.")
@click.option("--likelihood", type=int, default=None, help="Överenskommen sannolikhet.")
@click.option("--consequence", type=int, default=None, help="Överenskommen konsekvens.")
@json_option
@pass_app
def risks_add(
    app: App,
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
    from riskmotor.services import workshop

    analysis = workshop.find_analysis(app.uow(), namnd, year)
    risk = workshop.add_risk(
        app.uow(),
        app.catalog,
        {
            "analysis_id": analysis.id,
            "title": title,
            "process": process,
            "description": description,
            "inherent_likelihood": likelihood,
            "inherent_consequence": consequence,
        },
    )
    emit(risk, as_json, lambda: risk_line(risk))


@risks_group.command("confirm")
@db_option
@namnd_option
@year_option
@click.option("--risk", "risk_id", type=int, default=None, help="Riskens id.")
@click.option("--likelihood", type=int, default=None, help="Fastställd sannolikhet.")
@click.option("--consequence", type=int, default=None, help="Fastställd konsekvens.")
@click.option(
    "--all",
    "confirm_every",
    is_flag=True,
    help="Fastställ varje ej fastställd risk på dess nuvarande bedömning.",
)
@json_option
@pass_app
def risks_confirm(
    app: App,
    namnd: str,
    year: int,
    risk_id: int | None,
    likelihood: int | None,
    consequence: int | None,
    confirm_every: bool,
    as_json: bool,
) -> None:
    """Fastställ bedömningen av en risk (--risk, --likelihood, --consequence) eller av alla
    risker på deras nuvarande bedömning (--all)."""
    from riskmotor.services import workshop

    one = (risk_id, likelihood, consequence)
    if confirm_every == any(value is not None for value in one):
        raise click.UsageError(
            "Ange antingen --all eller --risk med --likelihood och --consequence."
        )
    analysis = workshop.find_analysis(app.uow(), namnd, year)
    if confirm_every:
        count = workshop.confirm_all(app.uow(), app.catalog, analysis.id or 0)
        emit({"confirmed": count}, as_json, lambda: f"Fastställde bedömningen av {count} risker.")
        return
    if risk_id is None or likelihood is None or consequence is None:
        raise click.UsageError("Ange --risk, --likelihood och --consequence tillsammans.")
    risk = workshop.get_risk(app.uow(), risk_id)
    if risk.analysis_id != analysis.id:
        raise click.UsageError(f"Risk {risk_id} hör inte till riskanalysen för {year}.")
    workshop.confirm_assessment(
        app.uow(), app.catalog, risk_id, likelihood, consequence, risk.version
    )
    view = next(
        v for v in workshop.list_risks(app.uow(), app.catalog, analysis.id or 0) if v.id == risk_id
    )
    emit(view, as_json, lambda: risk_line(view))
