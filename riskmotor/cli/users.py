"""``riskmotor users``: roles per nämnd for the shared deployment (issue 14).

``users grant`` is the documented first step of a shared deployment: on a database without
roles it makes the database shared, and it sets a nämnd's first administrator without
``--as`` (whoever runs commands on the server may do that once per nämnd).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from riskmotor.cli.common import SwedishGroup, db_option, json_option, pass_app
from riskmotor.cli.render import emit
from riskmotor.domain.access import ROLE_DESCRIPTIONS, Role
from riskmotor.domain.terms import label, local_time, record_field_label

if TYPE_CHECKING:
    from riskmotor.bootstrap import App
    from riskmotor.reports.access import Grant

ROLE_CHOICE = click.Choice([role.value for role in Role], case_sensitive=False)
ROLES_HELP = "; ".join(f"{role.value}: {text}" for role, text in ROLE_DESCRIPTIONS.items())
email_option = click.option("--email", required=True, metavar="E-POST", help="Personens e-post.")


@click.group("users", cls=SwedishGroup)
def users_group() -> None:
    """Behörigheter: roller per nämnd för inloggade användare.

    Första steget för en delad databas: riskmotor users grant --email E-POST --role
    administratör --namnd NÄMND. Därefter ändras data bara av inloggade användare eller
    med riskmotor --as E-POST … för en användare med rätt roll.
    """


@users_group.command("grant", help=f"Ge en person en roll i en nämnd. Roller – {ROLES_HELP}.")
@email_option
@click.option("--role", "role_name", type=ROLE_CHOICE, required=True, help="Rollen.")
@click.option("--namnd", required=True, help="Nämndens namn.")
@db_option
@json_option
@pass_app
def grant_command(app: App, email: str, role_name: str, namnd: str, as_json: bool) -> None:
    from riskmotor.services import access, organisation

    role = Role(role_name.casefold())
    unit = organisation.namnd_named(app.uow(), namnd)
    assert unit.id is not None
    was_shared = access.is_shared(app.uow())
    if role is Role.ADMINISTRATOR:
        granted = access.bootstrap_administrator(app.uow(), email=email, namnd_id=unit.id)
    else:
        granted = access.grant(app.uow(), email=email, role=role, namnd_id=unit.id)
    note = (
        ""
        if was_shared
        else "\nDatabasen är nu delad: ändringar kräver inloggning, eller på kommandoraden "
        "riskmotor --as E-POST för en användare med rätt roll."
    )
    emit(
        granted,
        as_json,
        lambda: f"{granted.email} är {granted.role.value} i {granted.namnd}.{note}",
    )


@users_group.command("revoke")
@email_option
@click.option("--namnd", required=True, help="Nämndens namn.")
@db_option
@json_option
@pass_app
def revoke_command(app: App, email: str, namnd: str, as_json: bool) -> None:
    """Ta bort en persons roll i en nämnd."""
    from riskmotor.services import access, organisation

    unit = organisation.namnd_named(app.uow(), namnd)
    assert unit.id is not None
    removed = access.revoke(app.uow(), email=email, namnd_id=unit.id)
    emit(
        removed,
        as_json,
        lambda: f"{removed.email} har inte längre rollen {removed.role.value} i {removed.namnd}.",
    )


@users_group.command("list")
@click.option("--namnd", default=None, help="Bara den här nämnden.")
@db_option
@json_option
@pass_app
def list_command(app: App, namnd: str | None, as_json: bool) -> None:
    """Visa alla roller (per nämnd och e-post)."""
    from riskmotor.services import access, organisation

    namnd_id = organisation.namnd_named(app.uow(), namnd).id if namnd else None
    grants = access.list_grants(app.uow(), namnd_id)
    emit(grants, as_json, lambda: _grants_text(grants))


def _grants_text(grants: list[Grant]) -> str:
    if not grants:
        return (
            "Inga roller är utdelade: databasen används i lokalt läge. "
            "Börja med riskmotor users grant --email E-POST --role administratör --namnd NÄMND."
        )
    header = (
        label("email"),
        label("namnd"),
        label("role"),
        record_field_label("user_role", "granted_by"),
        record_field_label("user_role", "granted_at"),
    )
    rows = [
        (g.email, g.namnd, g.role.value, g.granted_by, local_time(g.granted_at)) for g in grants
    ]
    widths = [max(len(str(row[i])) for row in (header, *rows)) for i in range(len(header))]
    return "\n".join(
        "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in (header, *rows)
    )
