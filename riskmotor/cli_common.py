"""Options and output helpers shared by every CLI command group.

A module of its own so that command groups in other modules can use them without
importing ``riskmotor.cli`` (which would load a second copy under ``python -m``).
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from riskmotor.errors import RiskmotorError

F = TypeVar("F", bound=Callable[..., Any])

db_option = click.option(
    "--db",
    "db_url",
    default=None,
    help="Databasadress (SQLAlchemy-URL). Standard: RISKMOTOR_DATABASE_URL eller en SQLite-fil.",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Skriv ut JSON.")
namnd_option = click.option("--namnd", required=True, help="Nämndens namn.")
year_option = click.option("--year", required=True, type=int, help="Riskanalysens år.")


def user_errors(func: F) -> F:
    """Turn the errors a user can cause into one line on stderr and exit code 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except RiskmotorError as exc:
            click.echo(f"Fel: {exc}", err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


def emit(data: Any, as_json: bool, text: Callable[[], str]) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str) if as_json else text())
