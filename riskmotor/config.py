"""Settings from the environment (``RISKMOTOR_*``), with defaults for a single user."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir
from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from riskmotor.catalogs import DEFAULT_CATALOG_DIR


def data_folder() -> Path:
    return Path(user_data_dir("riskmotor", appauthor=False))


def default_database_url() -> str:
    return f"sqlite:///{data_folder() / 'riskmotor.db'}"


def default_key_file() -> Path:
    return data_folder() / "pseudonym.key"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RISKMOTOR_")

    database_url: str = ""
    catalog_dir: Path = DEFAULT_CATALOG_DIR
    export_dir: Path = Path("exports")
    user: str = ""
    # The pseudonym key: a file (RISKMOTOR_PSEUDONYM_KEY_FILE) or hex text in a secret
    # (RISKMOTOR_PSEUDONYM_SECRET, wins when set). One key for all users of one database.
    pseudonym_key_file: Path | None = None
    pseudonym_secret: SecretStr | None = None
    # Who signs the documents (RISKMOTOR_HANDLAGGARE_NAMN and so on); never the OS login.
    handlaggare_namn: str = ""
    handlaggare_titel: str = ""
    handlaggare_telefon: str = ""
    handlaggare_epost: str = ""
    forvaltningschef: str = ""
    avdelningschef: str = ""

    def resolved_database_url(self) -> str:
        return self.database_url or default_database_url()

    def resolved_key_file(self) -> Path:
        return self.pseudonym_key_file or default_key_file()

    def secret_hex(self) -> str | None:
        if self.pseudonym_secret is None:
            return None
        return self.pseudonym_secret.get_secret_value().strip() or None
