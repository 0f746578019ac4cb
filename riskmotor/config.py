"""Settings from the environment (``RISKMOTOR_*``), with defaults for a single user."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir
from pydantic_settings import BaseSettings, SettingsConfigDict

from riskmotor.catalogs import DEFAULT_CATALOG_DIR


def default_database_url() -> str:
    folder = Path(user_data_dir("riskmotor", appauthor=False))
    return f"sqlite:///{folder / 'riskmotor.db'}"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RISKMOTOR_")

    database_url: str = ""
    catalog_dir: Path = DEFAULT_CATALOG_DIR
    export_dir: Path = Path("exports")
    user: str = ""

    def resolved_database_url(self) -> str:
        return self.database_url or default_database_url()


def get_settings() -> Settings:
    return Settings()
