"""``riskmotor catalog``: check a catalog folder (and, with ``--db``, the scales in use)."""

from __future__ import annotations

from pathlib import Path

import click

from riskmotor.cli.common import SwedishGroup, db_option, json_option, state
from riskmotor.cli.render import emit


@click.group("catalog", cls=SwedishGroup)
def catalog_group() -> None:
    """Kataloger: skalor, riskmallar, processer, tidsfrister."""


@catalog_group.command("validate")
@click.argument("directory", required=False, type=click.Path(path_type=Path))
@db_option
@json_option
def catalog_validate(directory: Path | None, as_json: bool) -> None:
    """Kontrollera att katalogmappen DIRECTORY är giltig.

    Utan --db används ingen databas. Med --db kontrolleras också att databasens
    riskanalyser använder skalor som finns i katalogen.
    """
    from riskmotor.catalogs import load_catalog

    cli = state()
    catalog = load_catalog(directory or cli.app.settings.catalog_dir)
    if cli.db_url:
        from riskmotor.services import workshop

        workshop.check_scales_in_use(cli.app.uow(), catalog)
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
