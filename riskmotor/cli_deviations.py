"""``riskmotor deviations``: import deviation exports, summarise a year, link evidence to risks.

Registered on the main command group in :mod:`riskmotor.cli`; the shared options come from
:mod:`riskmotor.cli_common`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from riskmotor.cli_common import db_option, emit, json_option, namnd_option, user_errors
from riskmotor.domain.terms import CATEGORY_LABELS, percent
from riskmotor.services import context, deviations


@click.group("deviations")
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
@user_errors
def import_command(
    db_url: str | None, namnd: str, file: Path, skip_bad_rows: bool, as_json: bool
) -> None:
    """Importera avvikelser från FILE (CSV eller XLSX). Samma rapport importeras bara en gång."""
    report = deviations.import_deviations(
        context.open_uow(db_url),
        context.catalog(),
        deviations.namnd_id(context.open_uow(db_url), namnd),
        file,
        file.name,
        skip_bad_rows=skip_bad_rows,
    )
    emit(report.as_dict(), as_json, lambda: _import_text(report))
    if report.refused:
        click.echo(
            f"Fel: {len(report.rejected)} rader har fel och ingenting har importerats. Rätta "
            "filen, eller importera de godkända raderna med --skip-bad-rows.",
            err=True,
        )
        sys.exit(1)


def _import_text(report: deviations.ImportReport) -> str:
    lines = [f"{report.imported} nya avvikelser importerade, {report.duplicates} fanns redan."]
    lines += [f"Rad {r.row}: {r.reason}" for r in report.rejected]
    return "\n".join(lines)


@deviations_group.command("summary")
@db_option
@namnd_option
@click.option("--year", required=True, type=int, help="Året som sammanställs.")
@json_option
@user_errors
def summary_command(db_url: str | None, namnd: str, year: int, as_json: bool) -> None:
    """Sammanställ årets avvikelser: antal, andelar, anmälningar och tabell per enhet."""
    data = deviations.summary(
        context.open_uow(db_url),
        context.catalog(),
        deviations.namnd_id(context.open_uow(db_url), namnd),
        year,
    )
    emit(data, as_json, lambda: _summary_text(data))


def _summary_text(data: dict[str, Any]) -> str:
    lines = [
        f"{data['year']}: {data['total']} rapporter, varav {data['deviations']} avvikelser.",
        *(
            f"  {CATEGORY_LABELS[key]}: {count}"
            + (f" ({percent(data['shares'][key])})" if key in data["shares"] else "")
            for key, count in data["by_category"].items()
        ),
        f"Lex Sarah anmälda till IVO: {percent(data['ivo_share'])}",
        f"Personuppgiftsincidenter anmälda till IMY: {percent(data['imy_share'])}",
    ]
    return "\n".join(lines)


@deviations_group.command("link")
@db_option
@click.option("--risk-id", required=True, type=int, help="Risken som avvikelserna belägger.")
@click.option("--cause", default=None, help="Orsaksgrupp: alla avvikelser med denna orsak.")
@click.option("--deviation-id", "deviation_ids", type=int, multiple=True, help="Flera går.")
@click.option("--note", default="", help="Kommentar till kopplingen.")
@json_option
@user_errors
def link_command(
    db_url: str | None,
    risk_id: int,
    cause: str | None,
    deviation_ids: tuple[int, ...],
    note: str,
    as_json: bool,
) -> None:
    """Koppla en orsaksgrupp eller enskilda avvikelser till en risk som underlag."""
    deviations.link_to_risk(
        context.open_uow(db_url), risk_id, list(deviation_ids) or None, cause, note
    )
    evidence = deviations.risk_evidence(context.open_uow(db_url), context.catalog(), risk_id)
    emit(evidence.as_dict(), as_json, lambda: _evidence_text(evidence))


@deviations_group.command("evidence")
@db_option
@click.option("--risk-id", required=True, type=int)
@json_option
@user_errors
def evidence_command(db_url: str | None, risk_id: int, as_json: bool) -> None:
    """Visa de avvikelser som är kopplade till en risk, per kategori och tertial."""
    evidence = deviations.risk_evidence(context.open_uow(db_url), context.catalog(), risk_id)
    emit(evidence.as_dict(), as_json, lambda: _evidence_text(evidence))


def _evidence_text(evidence: deviations.RiskEvidence) -> str:
    counts = ", ".join(
        f"{CATEGORY_LABELS[key]} {n}" for key, n in evidence.by_category.items() if n
    )
    lines = [f"Risk {evidence.risk_id}: {evidence.total} kopplade avvikelser ({counts or 'inga'})."]
    if evidence.trend:
        lines.append(evidence.trend.sentence)
    return "\n".join(lines)
