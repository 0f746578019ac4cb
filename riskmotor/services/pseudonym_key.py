"""The pseudonym key's lifecycle against the database: register on first use, refuse changes.

The fingerprint of the key (not the key) is stored in the database the first time a key is
used with it. From then on a missing key is refused, never recreated, and a different key is
refused, never recorded: both would give the same person a new pseudonym without anyone
noticing, and on a shared database every user must pseudonymise with the same key.
"""

from __future__ import annotations

from pathlib import Path

from riskmotor.domain.access import Role
from riskmotor.imports.pseudonym import Pseudonymiser, PseudonymSecretError, key_fingerprint
from riskmotor.imports.pseudonym_key import (
    KeyLocation,
    PseudonymKeyMismatchError,
    PseudonymKeyMissingError,
    create_key,
    mismatch_message,
    missing_key_message,
    read_key,
    write_backup,
)
from riskmotor.persistence.repositories.installation import InstallationSetting
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.reports.pseudonym_key import KeyStatus

FINGERPRINT_SETTING = "pseudonym_key_fingerprint"


def open_key(uow: UnitOfWork, location: KeyLocation) -> Pseudonymiser:
    """The pseudonymiser for this database; registers the key on first use.

    A database that has never seen a key gets one: the configured one, or a new key file
    when none exists. Otherwise the key must be there and must match.
    """
    with uow:
        stored = uow.installation.get(FINGERPRINT_SETTING)
        secret = read_key(location)
        if secret is None:
            if stored is not None:
                raise PseudonymKeyMissingError(missing_key_message(location, stored.value))
            secret = create_key(location.path)
        pseudonymiser = Pseudonymiser(secret)
        _check(tx=uow, location=location, pseudonymiser=pseudonymiser, stored=stored)
        uow.commit()
    return pseudonymiser


def _check(
    tx: UnitOfWork,
    location: KeyLocation,
    pseudonymiser: Pseudonymiser,
    stored: InstallationSetting | None,
) -> None:
    found = pseudonymiser.fingerprint
    if stored is None:
        tx.installation.add(FINGERPRINT_SETTING, found, tx.clock.now())
    elif stored.value != found:
        raise PseudonymKeyMismatchError(mismatch_message(location, found, stored.value))


def key_status(uow: UnitOfWork, location: KeyLocation) -> KeyStatus:
    """Where the key is, its fingerprint and the database's; nothing is changed."""
    with uow:
        stored = uow.installation.get(FINGERPRINT_SETTING)
    secret = read_key(location)
    return KeyStatus(
        location=location.description,
        present=secret is not None,
        fingerprint=key_fingerprint(secret) if secret else None,
        stored_fingerprint=stored.value if stored else None,
        registered_at=stored.set_at if stored else None,
        registered_by=stored.set_by if stored else None,
    )


def create(uow: UnitOfWork, location: KeyLocation) -> KeyStatus:
    """Create the key file and register it; refused when a key exists or the database has one."""
    with uow:
        uow.require(Role.ADMINISTRATOR, None)  # the installation's key: an administrator's
        stored = uow.installation.get(FINGERPRINT_SETTING)
        if read_key(location) is not None:
            raise PseudonymSecretError(
                f"Det finns redan en pseudonymnyckel i {location.description}. "
                "En nyckel byts aldrig ut; se riskmotor key status."
            )
        if stored is not None:
            raise PseudonymKeyMissingError(missing_key_message(location, stored.value))
        secret = create_key(location.path)
        registered = uow.installation.add(
            FINGERPRINT_SETTING, key_fingerprint(secret), uow.clock.now()
        )
        uow.commit()
    return KeyStatus(
        location=location.description,
        present=True,
        fingerprint=registered.value,
        stored_fingerprint=registered.value,
        registered_at=registered.set_at,
        registered_by=registered.set_by,
    )


def export(uow: UnitOfWork, location: KeyLocation, target: Path) -> KeyStatus:
    """Write a backup copy of the key to ``target``; only the database's own key is copied."""
    with uow:
        uow.require(Role.ADMINISTRATOR, None)  # a copy of the secret: an administrator's
        stored = uow.installation.get(FINGERPRINT_SETTING)
    secret = read_key(location)
    if secret is None:
        raise PseudonymSecretError(
            f"Det finns ingen pseudonymnyckel i {location.description} att säkerhetskopiera."
        )
    found = key_fingerprint(secret)
    if stored is not None and stored.value != found:
        raise PseudonymKeyMismatchError(mismatch_message(location, found, stored.value))
    write_backup(secret, target)
    return KeyStatus(
        location=str(target),
        present=True,
        fingerprint=found,
        stored_fingerprint=stored.value if stored else None,
        registered_at=stored.set_at if stored else None,
        registered_by=stored.set_by if stored else None,
    )
