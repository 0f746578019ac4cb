"""Unit tests of riskmotor.imports.pseudonym.

Numbers are Skatteverket's published examples (811218-9876 for a personnummer, 701063-2391 for
a samordningsnummer) and the test number 121212-1212; the check digits of the deliberately
invalid dates were worked out by hand with the Luhn algorithm so only the date is wrong.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import stat
from datetime import date
from pathlib import Path

import pytest

from riskmotor.bootstrap import build_app
from riskmotor.imports import (
    Column,
    KeyLocation,
    Pseudonymiser,
    PseudonymSecretError,
    load_or_create_secret,
    normalise_personnummer,
    parse_personnummer_with,
    read_table,
)
from riskmotor.imports.pseudonym_key import read_key

TODAY = date(2027, 3, 1)
SECRET = bytes(range(32))


@pytest.mark.parametrize(
    "text",
    ["811218-9876", "8112189876", "19811218-9876", "198112189876", " 811218 - 9876 ", 8112189876],
)
def test_forms_of_the_same_personnummer(text: str | int) -> None:
    assert normalise_personnummer(text, TODAY) == "198112189876"


def test_plus_means_a_hundred_years_or_older() -> None:
    assert normalise_personnummer("811218+9876", TODAY) == "188112189876"


@pytest.mark.parametrize(
    ("today", "minus", "plus"),
    [
        (date(2012, 12, 31), "201212121212", "191212121212"),  # born this year
        (date(2011, 12, 31), "191212121212", "181212121212"),  # 2012 is still to come
    ],
)
def test_century_follows_today(today: date, minus: str, plus: str) -> None:
    assert normalise_personnummer("121212-1212", today) == minus
    assert normalise_personnummer("121212+1212", today) == plus


def test_default_today_is_used() -> None:
    assert normalise_personnummer("811218-9876") == "198112189876"


def test_samordningsnummer_day_plus_sixty() -> None:
    assert normalise_personnummer("701063-2391", TODAY) == "197010632391"


def test_excel_number_cell_lost_leading_zeros() -> None:
    # 000229-1235 stored as the number 2291235; the 10-digit form is restored.
    assert normalise_personnummer(2291235, TODAY) == "200002291235"


@pytest.mark.parametrize(
    "text",
    [
        "811218-9875",  # Luhn check digit wrong
        "8113189875",  # month 13 (Luhn right)
        "8112329878",  # day 32
        "8112009876",  # day 0
        "8112929875",  # day 92: not a samordningsnummer either
        "000229+1235",  # 1900-02-29 does not exist (2000-02-29 does)
        "811218987",  # too short
        "81121898760",  # 11 digits
        "811218/9876",
        "",
        "١٩٨١١٢١٨٩٨٧٦",  # Arabic-Indic digits are digits to Python, not to Skatteverket
        12345678901,
        True,
    ],
)
def test_invalid_numbers_raise_without_digits(text: str | int) -> None:
    with pytest.raises(ValueError) as caught:
        normalise_personnummer(text, TODAY)
    assert str(caught.value) == "ogiltigt personnummer"
    assert caught.value.__cause__ is None and caught.value.__context__ is None


def test_leap_day_valid_in_2000() -> None:
    assert normalise_personnummer("000229-1235", TODAY) == "200002291235"


def test_pseudonym_is_hmac_of_the_twelve_digits() -> None:
    expected = hmac.new(SECRET, b"198112189876", hashlib.sha256).hexdigest()[:24]
    assert Pseudonymiser(SECRET).pseudonym("811218-9876") == "pn_" + expected


def test_pseudonym_is_deterministic_and_form_independent() -> None:
    pseudonymiser = Pseudonymiser(SECRET)
    forms = {pseudonymiser.pseudonym(text) for text in ("811218-9876", "198112189876")}
    assert len(forms) == 1
    assert Pseudonymiser(SECRET).pseudonym("8112189876") in forms


def test_pseudonym_differs_across_secrets_and_people() -> None:
    first = Pseudonymiser(SECRET).pseudonym("811218-9876")
    assert Pseudonymiser(bytes(32)).pseudonym("811218-9876") != first
    assert Pseudonymiser(SECRET).pseudonym("701063-2391") != first


def test_pseudonym_shape_and_no_trace_of_the_number() -> None:
    value = Pseudonymiser(SECRET).pseudonym("811218-9876")
    assert re.fullmatch(r"pn_[0-9a-f]{24}", value)
    assert "8112189876" not in value
    assert "198112189876" not in value


def test_pseudonymiser_hides_its_secret() -> None:
    pseudonymiser = Pseudonymiser(b"\xab" * 32)
    assert "ab" not in repr(pseudonymiser).lower()
    with pytest.raises(PseudonymSecretError):
        Pseudonymiser(b"short")


def test_column_parser_returns_pseudonym_and_hides_bad_numbers() -> None:
    pseudonymiser = Pseudonymiser(SECRET)
    columns = [
        Column("case_id", "Ärende-id"),
        Column("person", "Personnummer", ("pnr",), True, parse_personnummer_with(pseudonymiser)),
    ]
    text = "Ärende-id;Pnr\nA-1;19811218-9876\nA-2;811218-9875\n"
    table = read_table(text.encode(), "lista.csv", columns)
    assert table.rows[0]["person"] == pseudonymiser.pseudonym("811218-9876")
    error = table.errors[0]
    assert (error.row, error.column, error.value) == (3, "Personnummer", None)
    assert not re.search(r"\d{4}", str(error).replace("Rad 3", ""))
    assert "9875" not in repr(table)


def test_column_parser_accepts_excel_float_cells() -> None:
    parse = parse_personnummer_with(Pseudonymiser(SECRET))
    assert parse(8112189876.0) == parse("811218-9876")


def test_secret_file_created_private_and_reused(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "pseudonym.key"
    created = load_or_create_secret(path)
    assert len(created) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_secret(path) == created
    assert sorted(item.name for item in path.parent.iterdir()) == ["pseudonym.key"]


def test_two_installations_get_different_secrets(tmp_path: Path) -> None:
    assert load_or_create_secret(tmp_path / "a.key") != load_or_create_secret(tmp_path / "b.key")


def test_damaged_secret_file_is_not_silently_replaced(tmp_path: Path) -> None:
    path = tmp_path / "pseudonym.key"
    path.write_bytes(b"")
    with pytest.raises(PseudonymSecretError, match="skadad"):
        load_or_create_secret(path)
    assert path.read_bytes() == b""


def test_secret_from_the_configured_secret_wins_over_the_file(tmp_path: Path) -> None:
    assert read_key(KeyLocation(tmp_path / "none.key", SECRET.hex())) == SECRET
    with pytest.raises(PseudonymSecretError, match="hexadecimal"):
        read_key(KeyLocation(tmp_path / "none.key", "not hex"))
    with pytest.raises(PseudonymSecretError, match="för kort"):
        read_key(KeyLocation(tmp_path / "none.key", "abcd"))


def test_key_location_comes_from_the_settings(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("RISKMOTOR_PSEUDONYM_SECRET", raising=False)
    monkeypatch.setenv("RISKMOTOR_PSEUDONYM_KEY_FILE", str(tmp_path / "delad.key"))
    location = build_app("sqlite://").key_location
    assert location == KeyLocation(tmp_path / "delad.key", None)
    assert read_key(location) is None  # reading never creates a key
    assert not (tmp_path / "delad.key").exists()
    monkeypatch.setenv("RISKMOTOR_PSEUDONYM_SECRET", SECRET.hex())
    assert read_key(build_app("sqlite://").key_location) == SECRET


def test_fingerprint_names_the_key_without_revealing_it() -> None:
    fingerprint = Pseudonymiser(SECRET).fingerprint
    assert fingerprint == Pseudonymiser(bytes(SECRET)).fingerprint
    assert fingerprint != Pseudonymiser(SECRET[::-1]).fingerprint
    assert SECRET.hex() not in fingerprint and SECRET.hex()[:8] not in fingerprint
