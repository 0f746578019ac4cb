"""``riskmotor export``: the plan workbook, the nämnd's approval package and its check, and
the draft kvalitetsberättelse.

Registered on the main command group in :mod:`riskmotor.cli`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from riskmotor.cli_common import (
    db_option,
    emit,
    json_option,
    namnd_option,
    user_errors,
    year_option,
)
from riskmotor.export import package
from riskmotor.services import context, exports

out_file = click.option(
    "--out",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="Filen som skrivs.",
)


@click.group("export")
def export_group() -> None:
    """Export: internkontrollplanen i Excel, beslutspaket till nämnden, kvalitetsberättelse."""


@export_group.command("excel")
@db_option
@namnd_option
@year_option
@out_file
@json_option
@user_errors
def excel_command(db_url: str | None, namnd: str, year: int, out: Path, as_json: bool) -> None:
    """Skriv internkontrollplanen med riskanalys, riskmatris och skalor som Excelfil."""
    written = exports.export_excel(context.open_uow(db_url), context.catalog(), namnd, year, out)
    emit({"file": str(written)}, as_json, lambda: f"Excelfilen är skriven: {written}")


@export_group.command("package")
@db_option
@namnd_option
@year_option
@click.option(
    "--out", required=True, type=click.Path(path_type=Path, file_okay=False), help="Mappen."
)
@click.option("--handlaggare", default=None, help="Handläggarens namn. Standard: användaren.")
@json_option
@user_errors
def package_command(
    db_url: str | None, namnd: str, year: int, out: Path, handlaggare: str | None, as_json: bool
) -> None:
    """Skriv beslutspaketet: tjänsteutlåtande, Excelfil, riskmatris och manifest.json."""
    report = exports.export_package(
        context.open_uow(db_url),
        context.catalog(),
        namnd,
        year,
        out,
        handlaggare=handlaggare or context.current_user(),
    )
    emit(
        {"folder": str(report.folder), **report.manifest},
        as_json,
        lambda: "\n".join(
            [f"Beslutspaketet är skrivet i {report.folder}:"]
            + [f"  {name}" for name in report.files]
            + [f"  {package.MANIFEST}", _pdf_text(report.pdf)]
        ),
    )


def _pdf_text(pdf: str) -> str:
    if pdf.startswith("skipped"):
        return f"Ingen PDF: {pdf.removeprefix('skipped: ')}."
    return f"PDF: {pdf}"


@export_group.command("verify")
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False, exists=True))
@json_option
def verify_command(folder: Path, as_json: bool) -> None:
    """Kontrollera att filerna i FOLDER är oförändrade sedan paketet skapades."""
    result = package.verify(folder)
    if result.ok or as_json:
        emit(result.as_dict(), as_json, result.message)
    else:
        click.echo(f"Fel: {result.message()}", err=True)
    if not result.ok:
        sys.exit(1)


@export_group.command("kvalitetsberattelse")
@db_option
@namnd_option
@click.option("--year", required=True, type=int, help="Året som kvalitetsberättelsen gäller.")
@out_file
@json_option
@user_errors
def kvalitetsberattelse_command(
    db_url: str | None, namnd: str, year: int, out: Path, as_json: bool
) -> None:
    """Skriv ett utkast till kvalitetsberättelse (Word) från årets data."""
    written = exports.export_kvalitetsberattelse(
        context.open_uow(db_url), context.catalog(), namnd, year, out
    )
    emit({"file": str(written)}, as_json, lambda: f"Kvalitetsberättelsen är skriven: {written}")
