"""Command line: the same services as the UI, JSON out with ``--json``.

One module per command group; :mod:`riskmotor.cli.render` turns results into text or JSON.
Every failure a user can cause ends with exit code 1 and one Swedish line on stderr.
Services and heavy libraries are imported inside the commands that use them, so
``riskmotor --help`` and a quick ``risks list`` do not pay for numba, scipy or Streamlit.
"""

from __future__ import annotations

import click

from riskmotor.cli import swedish

swedish.install()  # before the commands below are defined: the version text is built then

from riskmotor.cli.audit import audit_group  # noqa: E402
from riskmotor.cli.catalog import catalog_group  # noqa: E402
from riskmotor.cli.common import CliState, RiskmotorGroup, as_option  # noqa: E402
from riskmotor.cli.demo import demo_command, ui_command  # noqa: E402
from riskmotor.cli.deviations import deviations_group  # noqa: E402
from riskmotor.cli.export import export_group  # noqa: E402
from riskmotor.cli.key import key_group  # noqa: E402
from riskmotor.cli.plan import plan_group  # noqa: E402
from riskmotor.cli.risks import risks_group  # noqa: E402
from riskmotor.cli.sample import sample_group  # noqa: E402
from riskmotor.cli.simulate import simulate_command  # noqa: E402
from riskmotor.cli.users import users_group  # noqa: E402

__all__ = ["main"]


@click.group(cls=RiskmotorGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="riskmotor")
@as_option
@click.pass_context
def main(ctx: click.Context) -> None:
    """riskmotor – riskanalys och internkontroll för socialtjänsten.

    Kommandon som använder databasen tar --db URL (standard: RISKMOTOR_DATABASE_URL eller
    en SQLite-fil i användarens datamapp). simulate och sample använder ingen databas;
    export verify bara med --db.

    I en delad databas (där roller är utdelade med users grant) ändrar kommandoraden bara
    data med --as E-POST för en användare med rätt roll, till exempel
    riskmotor --as anna@kommun.se plan approve …; läsande kommandon fungerar utan.
    Ändringsloggen visar då "kommandorad: <användare> som <e-post>".
    """
    ctx.ensure_object(CliState)  # every subcommand's context shares this one


for command in (
    demo_command,
    ui_command,
    risks_group,
    plan_group,
    simulate_command,
    sample_group,
    deviations_group,
    export_group,
    audit_group,
    catalog_group,
    key_group,
    users_group,
):
    main.add_command(command)
