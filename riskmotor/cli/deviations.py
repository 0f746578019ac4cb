"""``riskmotor deviations``: import deviation exports, summarise a year, link evidence to risks."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from riskmotor.cli.common import SwedishGroup, db_option, json_option, namnd_option, pass_app
from riskmotor.cli.render import emit, evidence_text, import_text, summary_text

if TYPE_CHECKING:
    from riskmotor.bootstrap import App


@click.group("deviations", cls=SwedishGroup)
def deviations_group() -> None:
    """Avvikelser: import, sammanställning och koppling till risker."""


@deviations_group.command("import")
@db_option
@namnd_option
@click.argument("file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option(
    "--skip-bad-rows",
    is_flag=True,
    help="Importera de godkända raderna även om andra rader har fel. Utan flaggan "
    "importeras ingenting när någon rad har fel.",
)
@json_option
@pass_app
def import_command(app: App, namnd: str, file: Path, skip_bad_rows: bool, as_json: bool) -> None:
    """Importera avvikelser från FILE (CSV eller XLSX).

    En rapport som redan finns i databasen räknas som dubblett och importeras inte igen.
    Demodatan innehåller redan catalogs/exempeldata/avvikelser-2023.csv.
    """
    from riskmotor.services import deviations

    namnd_id = deviations.namnd_id(app.uow(), namnd)
    report = deviations.import_deviations(
        app.uow(),
        app.catalog,
        namnd_id,
        file,
        file.name,
        skip_bad_rows=skip_bad_rows,
        pseudonymiser=app.pseudonymiser,
    )
    emit(report, as_json, lambda: import_text(report))
    if report.refused:
        click.echo(
            f"Fel: {len(report.rejected)} rader har fel och ingenting har importerats. Rätta "
            "filen, eller importera de godkända raderna med --skip-bad-rows.",
            err=True,
        )
        sys.exit(1)


@deviations_group.command("summary")
@db_option
@namnd_option
@click.option("--year", required=True, type=int, help="Året som sammanställs.")
@json_option
@pass_app
def summary_command(app: App, namnd: str, year: int, as_json: bool) -> None:
    """Sammanställ årets avvikelser: antal, andelar, anmälningar och tabell per enhet."""
    from riskmotor.services import deviations

    namnd_id = deviations.namnd_id(app.uow(), namnd)
    data = deviations.summary(app.uow(), app.catalog, namnd_id, year)
    emit(data, as_json, lambda: summary_text(data))


@deviations_group.command("link")
@db_option
@click.option("--risk-id", required=True, type=int, help="Risken som avvikelserna belägger.")
@click.option("--cause", default=None, help="Orsaksgrupp: alla avvikelser med denna orsak.")
@click.option("--deviation-id", "deviation_ids", type=int, multiple=True, help="Flera går.")
@click.option("--note", default="", help="Kommentar till kopplingen.")
@json_option
@pass_app
def link_command(
    app: App,
    risk_id: int,
    cause: str | None,
    deviation_ids: tuple[int, ...],
    note: str,
    as_json: bool,
) -> None:
    """Koppla en orsaksgrupp eller enskilda avvikelser till en risk som underlag."""
    from riskmotor.services import deviations

    deviations.link_to_risk(app.uow(), risk_id, list(deviation_ids) or None, cause, note)
    evidence = deviations.risk_evidence(app.uow(), app.catalog, risk_id)
    emit(evidence, as_json, lambda: evidence_text(evidence))


@deviations_group.command("evidence")
@db_option
@click.option("--risk-id", required=True, type=int, help="Riskens id.")
@json_option
@pass_app
def evidence_command(app: App, risk_id: int, as_json: bool) -> None:
    """Visa de avvikelser som är kopplade till en risk, per kategori och tertial."""
    from riskmotor.services import deviations

    evidence = deviations.risk_evidence(app.uow(), app.catalog, risk_id)
    emit(evidence, as_json, lambda: evidence_text(evidence))
