"""``riskmotor simulate``: run a capacity scenario file and print the summary (no database)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from riskmotor.cli.common import SwedishCommand, json_option, no_db_option, state
from riskmotor.cli.render import emit, interval
from riskmotor.domain.terms import percent


@click.command("simulate", cls=SwedishCommand)
@click.argument("scenario_file", type=click.Path(path_type=Path))
@click.option(
    "--replications", type=int, default=10_000, show_default=True, help="Antal körningar."
)
@click.option("--seed", type=int, default=1, show_default=True, help="Slumpfrö (samma ger samma).")
@click.option("--scale", "scale_key", default=None, help="Skala för föreslagen sannolikhet.")
@no_db_option
@json_option
def simulate_command(
    scenario_file: Path, replications: int, seed: int, scale_key: str | None, as_json: bool
) -> None:
    """Simulera kapacitetsscenariot i SCENARIO_FILE (YAML) och skriv sammanfattningen.

    Använder ingen databas.
    """
    from riskmotor.services import scenarios

    catalog = state().app.catalog
    scenario = scenarios.load_scenario_file(scenario_file)
    # The first run after installing compiles the engine; say so on stderr (not in --json).
    scenarios.prepare_engine(lambda message: click.echo(message, err=True))
    result = scenarios.run(scenario.model_dump(exclude_none=True), replications, seed)
    suggested = scenarios.suggestion(result, catalog.scale(scale_key))
    summary: dict[str, Any] = {
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
            f"{scenario.name}: sannolikhet för händelsen {percent(summary['event_probability'])} "
            f"(95 %: {interval(low, high)}), {summary['load_label']}.\n{suggested.message}"
        ),
    )
