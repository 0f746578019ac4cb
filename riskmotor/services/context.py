"""How the CLI and the UI obtain a unit of work and the catalog."""

from __future__ import annotations

import getpass

from riskmotor.catalogs import Catalog, cached_catalog
from riskmotor.config import get_settings
from riskmotor.persistence.database import engine_for
from riskmotor.persistence.uow import UnitOfWork


def current_user() -> str:
    configured = get_settings().user
    if configured:
        return configured
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry in some containers
        return "okänd användare"


def database_url(url: str | None = None) -> str:
    return url or get_settings().resolved_database_url()


def open_uow(url: str | None = None, actor: str | None = None) -> UnitOfWork:
    """A unit of work on the migrated database at ``url`` (default from settings)."""
    return UnitOfWork(engine_for(database_url(url)), actor or current_user())


def catalog() -> Catalog:
    return cached_catalog(str(get_settings().catalog_dir))
