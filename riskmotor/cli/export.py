"""``riskmotor export``: the plan workbook, the approval package and its strict check, and
the draft kvalitetsberättelse. Nothing existing is overwritten without ``--force``."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from riskmotor.cli.common import (
    SwedishGroup,
    db_option,
    ensure_new,
    force_option,
    json_option,
    namnd_option,
    pass_app,
    state,
    year_option,
)
from riskmotor.cli.render import emit, package_text

if TYPE_CHECKING:
    from riskmotor.bootstrap import App

out_file = click.option(
    "--out",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="Filen som skrivs.",
)


@click.group("export", cls=SwedishGroup)
def export_group() -> None:
    """Export: internkontrollplanen i Excel, beslutspaket till nämnden, kvalitetsberättelse."""


@export_group.command("excel")
@db_option
@namnd_option
@year_option
@out_file
@force_option
@json_option
@pass_app
def excel_command(app: App, namnd: str, year: int, out: Path, force: bool, as_json: bool) -> None:
    """Skriv internkontrollplanen med riskanalys, riskmatris och skalor som Excelfil."""
    from riskmotor.services import exports

    ensure_new(out, force)
    written = exports.export_excel(app.uow(), app.catalog, namnd, year, out)
    emit({"file": str(written)}, as_json, lambda: f"Excelfilen är skriven: {written}")


@export_group.command("package")
@db_option
@namnd_option
@year_option
@click.option(
    "--version",
    "plan_version",
    type=int,
    default=None,
    help="Planversionen. Standard: den senaste som är för beslut eller fastställd.",
)
@click.option(
    "--out", required=True, type=click.Path(path_type=Path, file_okay=False), help="Mappen."
)
@click.option(
    "--handlaggare",
    default=None,
    help="Handläggarens namn. Standard: RISKMOTOR_HANDLAGGARE_NAMN.",
)
@force_option
@json_option
@pass_app
def package_command(
    app: App,
    namnd: str,
    year: int,
    plan_version: int | None,
    out: Path,
    handlaggare: str | None,
    force: bool,
    as_json: bool,
) -> None:
    """Skriv beslutspaketet för en planversion som är för beslut eller fastställd:
    tjänsteutlåtande, Excelfil, riskmatris och manifest.json. Paketets SHA-256 registreras
    i databasen."""
    from riskmotor.services import exports

    ensure_new(out, force)
    signatories = app.signatories
    if handlaggare:
        signatories = replace(signatories, handlaggare=handlaggare)
    report = exports.export_package(
        app.uow(), app.catalog, namnd, year, out, version=plan_version, signatories=signatories
    )
    emit(report.as_dict(), as_json, lambda: package_text(report))


@export_group.command("verify")
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False, exists=True))
@db_option
@json_option
def verify_command(folder: Path, as_json: bool) -> None:
    """Kontrollera beslutspaketet i FOLDER: att varje fil i manifest.json finns med rätt
    storlek och SHA-256 och att inga andra filer finns. Med --db även att manifestet stämmer
    med planversionen i databasen (status, dnr, beslut, planinnehållets SHA-256 och
    registrerat paket). Utan --db används ingen databas."""
    from riskmotor.export import package

    db_url = state().db_url
    if db_url is None:
        result = package.verify(folder)
    else:
        from riskmotor.services import exports

        result = exports.verify_package(state().app.uow(), folder)
    if as_json:
        emit(result.as_dict(), True, result.message)
    elif result.ok:
        click.echo(result.message())
    else:
        for problem in result.problems:
            click.echo(f"Fel: {problem}", err=True)
    if not result.ok:
        sys.exit(1)


@export_group.command("kvalitetsberattelse")
@db_option
@namnd_option
@click.option("--year", required=True, type=int, help="Året som kvalitetsberättelsen gäller.")
@out_file
@force_option
@json_option
@pass_app
def kvalitetsberattelse_command(
    app: App, namnd: str, year: int, out: Path, force: bool, as_json: bool
) -> None:
    """Skriv ett utkast till kvalitetsberättelse (Word) från årets data."""
    from riskmotor.services import exports

    ensure_new(out, force)
    written = exports.export_kvalitetsberattelse(
        app.uow(), app.catalog, namnd, year, out, signatories=app.signatories
    )
    emit({"file": str(written)}, as_json, lambda: f"Kvalitetsberättelsen är skriven: {written}")
