"""The pseudonym key: where it is, reading it, creating it once, and the refusals around it.

The key is 32 random bytes in a file (``RISKMOTOR_PSEUDONYM_KEY_FILE``, by default
``pseudonym.key`` in the user's data folder) or given as hex text in the secret
``RISKMOTOR_PSEUDONYM_SECRET``. The composition root reads the settings and builds a
:class:`KeyLocation`; nothing here reads the environment.

A key is never replaced: a missing file is created only for a database that has never seen
a key, and a key whose fingerprint differs from the one stored in the database is refused
(see ``riskmotor.services.pseudonym_key``). Messages never contain the key.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path

from riskmotor.imports.pseudonym import MIN_SECRET_BYTES, PseudonymSecretError

KEY_BYTES = 32
SECRET_SETTING = "RISKMOTOR_PSEUDONYM_SECRET"
FILE_SETTING = "RISKMOTOR_PSEUDONYM_KEY_FILE"


class PseudonymKeyMissingError(PseudonymSecretError):
    """The database has pseudonyms made with a key that is not available here."""


class PseudonymKeyMismatchError(PseudonymSecretError):
    """The key available here is not the key the database's pseudonyms were made with."""


@dataclass(frozen=True)
class KeyLocation:
    """Where this process finds the key: a secret (wins when set) or a file."""

    path: Path
    secret_hex: str | None = None

    @property
    def description(self) -> str:
        if self.secret_hex:
            return f"hemligheten {SECRET_SETTING}"
        return f"filen {self.path}"


def read_key(location: KeyLocation) -> bytes | None:
    """The key, or None when no secret is set and the file does not exist."""
    if location.secret_hex:
        return _from_hex(location.secret_hex)
    if not location.path.exists():
        return None
    try:
        secret = location.path.read_bytes()
    except OSError as error:
        raise PseudonymSecretError(
            f"Pseudonymnyckeln {location.path} kunde inte läsas: kontrollera behörigheten."
        ) from error
    if len(secret) < MIN_SECRET_BYTES:
        # Replacing it would silently change every pseudonym; make a person decide.
        raise PseudonymSecretError(
            f"Pseudonymnyckeln {location.path} är skadad (för kort). "
            "Återställ den från säkerhetskopian."
        )
    return secret


def _from_hex(text: str) -> bytes:
    try:
        secret = bytes.fromhex(text.strip())
    except ValueError:
        raise PseudonymSecretError(f"{SECRET_SETTING} ska vara hexadecimal text.") from None
    if len(secret) < MIN_SECRET_BYTES:
        raise PseudonymSecretError(
            f"{SECRET_SETTING} är för kort: minst {MIN_SECRET_BYTES * 2} hexadecimala tecken."
        )
    return secret


def create_key(path: Path) -> bytes:
    """Create a new key file (32 random bytes, mode 0o600); an existing file is never touched.

    Creation is atomic: the key is written to a private temporary file and hard-linked into
    place, so two processes starting at once end up with the same key and a reader never sees
    a half-written file.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".pseudonym-")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(secrets.token_bytes(KEY_BYTES))
        os.chmod(temporary, 0o600)  # mkstemp already does; state it for other platforms
        # If another process created it first, keep theirs: both then use the same key.
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        os.unlink(temporary)
    key = read_key(KeyLocation(path))
    assert key is not None  # just created (by us or by the process that won)
    return key


def load_or_create_secret(path: Path) -> bytes:
    """Read the key file, creating it first if missing (work without a database only)."""
    return read_key(KeyLocation(path)) or create_key(path)


def write_backup(key: bytes, target: Path) -> None:
    """Write a copy of the key to ``target`` (mode 0o600), refusing to overwrite a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise PseudonymSecretError(
            f"{target} finns redan. Välj ett annat namn för säkerhetskopian."
        ) from None
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(key)


RESTORE_HELP = (
    "Återställ nyckeln från säkerhetskopian (se docs/personal-data.md) och ange var den finns "
    f"med {FILE_SETTING} eller {SECRET_SETTING}. Skapa inte en ny nyckel: då får samma person "
    "en annan pseudonym och tidigare urval kan inte kopplas ihop."
)


def missing_key_message(location: KeyLocation, stored_fingerprint: str) -> str:
    return (
        f"Pseudonymnyckeln saknas ({location.description} finns inte), men databasen har "
        f"pseudonymer skapade med nyckeln {stored_fingerprint}. {RESTORE_HELP}"
    )


def mismatch_message(location: KeyLocation, found: str, stored_fingerprint: str) -> str:
    return (
        f"Pseudonymnyckeln i {location.description} ({found}) är inte den nyckel databasen "
        f"använder ({stored_fingerprint}). Alla som använder samma databas måste ha samma "
        f"nyckel. {RESTORE_HELP}"
    )
