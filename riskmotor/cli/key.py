"""``riskmotor key``: the pseudonym key's status, creating it once, and a backup copy."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from riskmotor.cli.common import SwedishGroup, db_option, json_option, pass_app
from riskmotor.cli.render import emit

if TYPE_CHECKING:
    from riskmotor.bootstrap import App
    from riskmotor.reports.pseudonym_key import KeyStatus


@click.group("key", cls=SwedishGroup)
def key_group() -> None:
    """Pseudonymnyckeln: status, skapa en gång, säkerhetskopiera. Nyckeln visas aldrig."""


def _status_text(status: KeyStatus) -> str:
    lines = [
        f"Nyckel: {status.location} ({'finns' if status.present else 'saknas'})",
        f"Fingeravtryck: {status.fingerprint or '–'}",
        f"Databasens fingeravtryck: {status.stored_fingerprint or 'inget registrerat ännu'}",
    ]
    if status.registered_at:
        lines.append(f"Registrerat {status.registered_at:%Y-%m-%d %H:%M} av {status.registered_by}")
    if status.matches is False:
        lines.append("Nyckeln stämmer INTE med databasen: återställ rätt nyckel.")
    elif status.matches:
        lines.append("Nyckeln stämmer med databasen.")
    return "\n".join(lines)


@key_group.command("status")
@db_option
@json_option
@pass_app
def key_status_command(app: App, as_json: bool) -> None:
    """Var nyckeln finns och om den stämmer med databasen."""
    from riskmotor.services import pseudonym_key

    status = pseudonym_key.key_status(app.uow(), app.key_location)
    emit(status, as_json, lambda: _status_text(status))


@key_group.command("create")
@db_option
@json_option
@pass_app
def key_create_command(app: App, as_json: bool) -> None:
    """Skapa nyckeln och registrera den i databasen (vägras om en nyckel redan finns)."""
    from riskmotor.services import pseudonym_key

    status = pseudonym_key.create(app.uow(), app.key_location)
    emit(
        status,
        as_json,
        lambda: _status_text(status) + "\nSäkerhetskopiera den nu: riskmotor key export --out FIL",
    )


@key_group.command("export")
@click.option(
    "--out", type=click.Path(path_type=Path, dir_okay=False), required=True, help="Kopians fil."
)
@db_option
@json_option
@pass_app
def key_export_command(app: App, out: Path, as_json: bool) -> None:
    """Skriv en säkerhetskopia av nyckeln till --out (endast läsbar för dig)."""
    from riskmotor.services import pseudonym_key

    status = pseudonym_key.export(app.uow(), app.key_location, out)
    emit(
        status,
        as_json,
        lambda: (
            f"Säkerhetskopian är sparad i {out} (fingeravtryck {status.fingerprint}). "
            "Förvara den skild från databasens säkerhetskopior, till exempel i ett kassaskåp "
            "eller en lösenordshanterare."
        ),
    )
