"""The composition root: settings, database, catalog, pseudonym key, clock and user.

Built once per process (the CLI keeps it on the click context, Streamlit in
``st.cache_resource``) and handed to the services piece by piece: a unit of work (with
the actor and the clock), the catalog, the pseudonymiser, the export folder. Nothing below
this module reads the environment.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from riskmotor.catalogs import Catalog, cached_catalog
from riskmotor.clock import Clock, SystemClock
from riskmotor.config import Settings
from riskmotor.domain.access import Identity
from riskmotor.imports.pseudonym import Pseudonymiser
from riskmotor.imports.pseudonym_key import KeyLocation, load_or_create_secret, read_key
from riskmotor.persistence.database import engine_for
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.reports.export import Signatories

# UnitOfWork is re-exported: the UI names the type without reaching into persistence.
__all__ = ["App", "UnitOfWork", "build_app", "os_user"]

UNKNOWN_USER = "okänd användare"


def os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry in some containers
        return UNKNOWN_USER


@dataclass
class App:
    """Everything a use case needs from outside, built once and shared."""

    settings: Settings
    database_url: str
    actor: str  # the local-mode name (RISKMOTOR_USER or the OS user)
    clock: Clock = field(default_factory=SystemClock)
    # Who the process acts for when the caller names nobody: the command line's identity
    # in the CLI; None in the UI, which passes each session's identity to uow().
    identity: Identity | None = None

    @cached_property
    def catalog(self) -> Catalog:
        return cached_catalog(str(self.settings.catalog_dir))

    @property
    def key_location(self) -> KeyLocation:
        """Where the pseudonym key is: the secret when set, else the key file."""
        return KeyLocation(self.settings.resolved_key_file(), self.settings.secret_hex())

    @cached_property
    def pseudonymiser(self) -> Pseudonymiser:
        """The key checked against the database (registered there on first use)."""
        # Imported here: only commands that pseudonymise pay for importing the services.
        from riskmotor.services import pseudonym_key

        return pseudonym_key.open_key(self.uow(), self.key_location)

    def standalone_pseudonymiser(self) -> Pseudonymiser:
        """The key for work without a database (``sample draw``): created if missing."""
        location = self.key_location
        return Pseudonymiser(read_key(location) or load_or_create_secret(location.path))

    @property
    def export_dir(self) -> Path:
        return self.settings.export_dir

    @property
    def signatories(self) -> Signatories:
        """The handläggare and signatures the documents name, from the settings."""
        s = self.settings
        return Signatories(
            handlaggare=s.handlaggare_namn,
            title=s.handlaggare_titel,
            phone=s.handlaggare_telefon,
            email=s.handlaggare_epost,
            forvaltningschef=s.forvaltningschef,
            avdelningschef=s.avdelningschef,
        )

    def uow(self, actor: Identity | str | None = None) -> UnitOfWork:
        """A new, unopened unit of work on the migrated database, acting for ``actor``
        (default: the process's identity, else the local-mode name)."""
        who = actor or self.identity or self.actor
        return UnitOfWork(engine_for(self.database_url), who, self.clock)


def build_app(
    database_url: str | None = None,
    actor: str | None = None,
    *,
    settings: Settings | None = None,
    clock: Clock | None = None,
    command_line: bool = False,
    acting_as: str | None = None,
) -> App:
    """The application for this process; explicit arguments win over the environment.

    With ``command_line`` the process acts as the command line's identity: the user name,
    unauthenticated, optionally acting ``--as`` the e-mail ``acting_as`` (which on a shared
    database must hold the role each change needs).
    """
    settings = settings or Settings()
    name = actor or settings.user or os_user()
    return App(
        settings=settings,
        database_url=database_url or settings.resolved_database_url(),
        actor=name,
        clock=clock or SystemClock(),
        identity=Identity.command_line(name, acting_as) if command_line else None,
    )
