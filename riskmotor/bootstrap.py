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
from riskmotor.imports.pseudonym import Pseudonymiser, installation_secret
from riskmotor.persistence.database import engine_for
from riskmotor.persistence.uow import UnitOfWork

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
    actor: str
    clock: Clock = field(default_factory=SystemClock)

    @cached_property
    def catalog(self) -> Catalog:
        return cached_catalog(str(self.settings.catalog_dir))

    @cached_property
    def pseudonymiser(self) -> Pseudonymiser:
        return Pseudonymiser(installation_secret())

    @property
    def export_dir(self) -> Path:
        return self.settings.export_dir

    def uow(self, actor: str | None = None) -> UnitOfWork:
        """A new, unopened unit of work on the migrated database."""
        return UnitOfWork(engine_for(self.database_url), actor or self.actor, self.clock)


def build_app(
    database_url: str | None = None,
    actor: str | None = None,
    *,
    settings: Settings | None = None,
    clock: Clock | None = None,
) -> App:
    """The application for this process; explicit arguments win over the environment."""
    settings = settings or Settings()
    return App(
        settings=settings,
        database_url=database_url or settings.resolved_database_url(),
        actor=actor or settings.user or os_user(),
        clock=clock or SystemClock(),
    )
