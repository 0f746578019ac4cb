"""``riskmotor demo`` (example data) and ``riskmotor ui`` (the workshop in the browser)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from riskmotor.cli.common import SwedishCommand, db_option, json_option, pass_app, state
from riskmotor.cli.render import emit

if TYPE_CHECKING:
    from riskmotor.bootstrap import App


@click.command("demo", cls=SwedishCommand)
@db_option
@click.option(
    "--risks", "risk_count", type=int, default=None, help="Lägg till syntetiska risker upp till N."
)
@json_option
@pass_app
def demo_command(app: App, risk_count: int | None, as_json: bool) -> None:
    """Skapa demodata: Exempelkommun, Socialnämnden, riskanalys 2027 och avvikelser 2023.

    Avvikelserna i catalogs/exempeldata/avvikelser-2023.csv läses in här; att importera
    samma fil igen ger därför 0 nya (de räknas som dubbletter).
    """
    from riskmotor.services import demo

    result = demo.load_demo(app.uow(), app.catalog, risks=risk_count)
    emit(
        result,
        as_json,
        lambda: (
            f"Demodata klar: {result.risks_total} risker i riskanalysen "
            f"({result.risks_added} nya). Exempelavvikelserna för 2023 är inlästa."
        ),
    )


@click.command("ui", cls=SwedishCommand)
@db_option
@click.option("--port", type=int, default=8501, show_default=True, help="Porten som används.")
@click.option(
    "--browser/--no-browser",
    default=None,
    help="Öppna webbläsaren. Standard: ja om det finns en skärm.",
)
@click.option(
    "--address",
    default="127.0.0.1",
    show_default=True,
    help="Adressen som servern lyssnar på (0.0.0.0: alla nätverkskort; kräver inloggning).",
)
@click.option(
    "--secrets",
    "secrets_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    envvar="RISKMOTOR_SECRETS_FILE",
    default=None,
    help="Streamlits secrets.toml med inloggningen ([auth]). Standard: .streamlit/secrets.toml "
    "i hemmappen eller i den aktuella mappen.",
)
@click.option(
    "--allow-unauthenticated",
    is_flag=True,
    default=False,
    help="Tillåt en annan adress än 127.0.0.1 utan inloggning (alla som når porten kan "
    "ändra allt).",
)
def ui_command(
    port: int,
    browser: bool | None,
    address: str,
    secrets_file: Path | None,
    allow_unauthenticated: bool,
) -> None:
    """Starta workshopgränssnittet i webbläsaren; skriver adressen och databasen.

    Utan inloggning ([auth] i secrets.toml, se docs/deployment.md) lyssnar det bara på den
    här datorn.
    """
    from riskmotor.launcher import serve

    database_url = state().app.database_url
    status = serve(
        database_url,
        port,
        open_browser=browser,
        address=address,
        secrets_file=secrets_file,
        allow_unauthenticated=allow_unauthenticated,
    )
    sys.exit(status)
