"""The pseudonym key cannot silently change: registered on first use, refused when lost or
different, never replaced; and every CSV download opens formula-like text as text."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest

from riskmotor.domain.safe_text import csv_download
from riskmotor.imports import KeyLocation, PseudonymSecretError
from riskmotor.imports.pseudonym_key import PseudonymKeyMismatchError, PseudonymKeyMissingError
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.services import pseudonym_key

UowFactory = Callable[..., UnitOfWork]


def test_first_use_stores_the_fingerprint_not_the_key(
    uow_factory: UowFactory, tmp_path: Path
) -> None:
    location = KeyLocation(tmp_path / "pseudonym.key")
    assert pseudonym_key.key_status(uow_factory(), location).stored_fingerprint is None
    pseudonymiser = pseudonym_key.open_key(uow_factory(), location)
    status = pseudonym_key.key_status(uow_factory(), location)
    assert status.stored_fingerprint == pseudonymiser.fingerprint and status.matches
    assert status.registered_by == "testare"
    assert location.path.read_bytes().hex() not in str(status.to_json())
    # The same key again: accepted, same pseudonyms.
    again = pseudonym_key.open_key(uow_factory(), location)
    assert again.pseudonym("811218-9876") == pseudonymiser.pseudonym("811218-9876")


def test_a_changed_key_is_refused_and_not_recorded(uow_factory: UowFactory, tmp_path: Path) -> None:
    location = KeyLocation(tmp_path / "pseudonym.key")
    first = pseudonym_key.open_key(uow_factory(), location).fingerprint
    other = KeyLocation(tmp_path / "annan.key", (b"x" * 32).hex())
    with pytest.raises(PseudonymKeyMismatchError, match="inte den nyckel databasen använder"):
        pseudonym_key.open_key(uow_factory(), other)
    assert pseudonym_key.key_status(uow_factory(), other).stored_fingerprint == first
    assert pseudonym_key.key_status(uow_factory(), other).matches is False


def test_a_missing_key_is_refused_and_never_recreated(
    uow_factory: UowFactory, tmp_path: Path
) -> None:
    location = KeyLocation(tmp_path / "pseudonym.key")
    pseudonym_key.open_key(uow_factory(), location)
    location.path.unlink()
    with pytest.raises(PseudonymKeyMissingError, match="Återställ nyckeln från säkerhetskopian"):
        pseudonym_key.open_key(uow_factory(), location)
    with pytest.raises(PseudonymKeyMissingError):
        pseudonym_key.create(uow_factory(), location)
    assert not location.path.exists()


def test_create_once_and_export_a_backup(uow_factory: UowFactory, tmp_path: Path) -> None:
    location = KeyLocation(tmp_path / "pseudonym.key")
    created = pseudonym_key.create(uow_factory(), location)
    assert created.matches
    with pytest.raises(PseudonymSecretError, match="byts aldrig ut"):
        pseudonym_key.create(uow_factory(), location)
    backup = tmp_path / "backup" / "nyckel.bak"
    pseudonym_key.export(uow_factory(), location, backup)
    assert backup.read_bytes() == location.path.read_bytes()
    assert backup.stat().st_mode & 0o077 == 0
    with pytest.raises(PseudonymSecretError, match="finns redan"):
        pseudonym_key.export(uow_factory(), location, backup)
    # Restoring the backup makes the database usable again.
    location.path.unlink()
    backup.rename(location.path)
    assert pseudonym_key.open_key(uow_factory(), location).fingerprint == created.fingerprint


FORMULAS = ['=HYPERLINK("http://x";"klicka")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1"]


def test_csv_download_opens_formula_like_text_as_text() -> None:
    rows = [{"Orsak": text, "Antal": -3, "=Rubrik": "vanlig text"} for text in FORMULAS]
    content = csv_download(rows).decode("utf-8-sig")
    read = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert read[0] == ["Orsak", "Antal", "'=Rubrik"]
    assert [row[0] for row in read[1:]] == ["'" + text for text in FORMULAS]
    assert all(row[1] == "-3" and row[2] == "vanlig text" for row in read[1:])
    # Every cell a spreadsheet would evaluate starts with the apostrophe that makes it text.
    assert not [c for row in read for c in row if c[:1] in ("=", "+", "@", "\t") or c == "-2+3"]
