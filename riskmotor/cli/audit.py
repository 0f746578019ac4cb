"""``riskmotor audit``: check the hash chain of the audit log (ändringsloggen)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from riskmotor.cli.common import SwedishGroup, db_option, json_option, pass_app
from riskmotor.cli.render import emit

if TYPE_CHECKING:
    from riskmotor.bootstrap import App


@click.group("audit", cls=SwedishGroup)
def audit_group() -> None:
    """Ändringsloggen: kontrollera att ingen post har ändrats, tagits bort eller lagts till."""


@audit_group.command("verify")
@db_option
@json_option
@pass_app
def verify_command(app: App, as_json: bool) -> None:
    """Räkna om hashkedjan i ändringsloggen; avslutas med kod 1 och namnger den första
    posten som inte stämmer."""
    from riskmotor.services import audit

    result = audit.verify_audit_log(app.uow())
    if result.ok or as_json:
        emit(result.as_dict(), as_json, result.message)
    else:
        click.echo(f"Fel: {result.message()}", err=True)
    if not result.ok:
        sys.exit(1)
