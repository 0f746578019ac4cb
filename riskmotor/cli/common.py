"""What every command group shares: the application on the click context and the options.

The composition root is built once per process, on first use, after the options are parsed
(``--db`` decides which database it points at). Commands receive it with :func:`pass_app`.
Building it imports no heavy library, so a command that never asks for it stays fast.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

import click

from riskmotor.errors import RiskmotorError

if TYPE_CHECKING:
    from riskmotor.bootstrap import App

P = ParamSpec("P")
R = TypeVar("R")


@dataclass
class CliState:
    """Kept on ``ctx.obj``: the database chosen with ``--db`` and the app built from it."""

    db_url: str | None = None
    acting_as: str | None = None  # --as E-POST on the top-level group
    _app: App | None = None

    @property
    def app(self) -> App:
        if self._app is None:
            from riskmotor.bootstrap import build_app

            self._app = build_app(self.db_url, command_line=True, acting_as=self.acting_as)
        return self._app


def state() -> CliState:
    return click.get_current_context().ensure_object(CliState)


def pass_app(func: Callable[Concatenate[App, P], R]) -> Callable[P, R]:
    """Give the command the application (built on first use) as its first argument."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        return func(state().app, *args, **kwargs)

    return wrapper


def _remember_db(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value:
        ctx.ensure_object(CliState).db_url = value


def _remember_acting_as(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is None:
        return
    from riskmotor.domain.access import checked_email

    try:
        ctx.ensure_object(CliState).acting_as = checked_email(value)
    except ValueError as exc:
        raise click.BadParameter(f"{exc}.", ctx) from None


def _refuse_db(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:
        raise click.UsageError(
            f"'{ctx.command_path}' använder ingen databas och tar därför inte --db.", ctx
        )


db_option = click.option(
    "--db",
    "db_url",
    default=None,
    expose_value=False,
    is_eager=True,
    callback=_remember_db,
    metavar="URL",
    help="Databasadress (SQLAlchemy-URL). Standard: RISKMOTOR_DATABASE_URL eller en SQLite-fil.",
)
# On commands that never open the database: a clear refusal instead of "no such option".
no_db_option = click.option(
    "--db", default=None, expose_value=False, hidden=True, callback=_refuse_db
)
# On the top-level group: ``riskmotor --as anna@kommun.se plan approve …``.
as_option = click.option(
    "--as",
    "acting_as",
    default=None,
    expose_value=False,
    is_eager=True,
    callback=_remember_acting_as,
    metavar="E-POST",
    help=(
        "Agera som användaren med denna e-post. Krävs för att ändra data i en delad "
        "databas (en databas med utdelade roller); användaren måste ha rätt roll i nämnden. "
        "Ändringsloggen visar 'kommandorad: <användare> som <e-post>'."
    ),
)
json_option = click.option("--json", "as_json", is_flag=True, help="Skriv ut JSON.")
namnd_option = click.option("--namnd", required=True, help="Nämndens namn.")
year_option = click.option("--year", required=True, type=int, help="Riskanalysens år.")
force_option = click.option(
    "--force", is_flag=True, help="Skriv över filen (eller mappen) om den redan finns."
)


def ensure_new(path: Path, force: bool) -> None:
    """Refuse to overwrite an existing output file or non-empty folder unless ``--force``."""
    exists = path.is_file() or (path.is_dir() and any(path.iterdir()))
    if exists and not force:
        raise RiskmotorError(f"{path} finns redan. Välj ett annat namn eller ange --force.")


class SwedishCommand(click.Command):
    """A command whose usage line names its parts in Swedish."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[ALTERNATIV]")
        super().__init__(*args, **kwargs)


class SwedishGroup(click.Group):
    """A command group whose usage line, subcommands and subgroups are Swedish too."""

    command_class = SwedishCommand
    group_class = type  # subgroups get this class

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[ALTERNATIV]")
        kwargs.setdefault("subcommand_metavar", "KOMMANDO [ARGUMENT]...")
        super().__init__(*args, **kwargs)


class RiskmotorGroup(SwedishGroup):
    """The top group: a user error becomes one Swedish line on stderr and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except RiskmotorError as exc:
            click.echo(f"Fel: {exc}", err=True)
            ctx.exit(1)
