"""Reading a case list (ärendelista) exported from the case management system."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from riskmotor.domain.personal_data import PersonalDataFinding
from riskmotor.errors import InvalidInputError
from riskmotor.imports import (
    Column,
    PersonalField,
    Pseudonymiser,
    parse_date,
    parse_optional_text,
    parse_personnummer_with,
    parse_text,
    read_table,
)

MAX_LISTED_DUPLICATES = 20


def case_list_columns(pseudonymiser: Pseudonymiser) -> list[Column]:
    """The columns of a case list export; header synonyms are documented in docs/imports.md."""
    return [
        Column(
            "case_id",
            "Ärende-id",
            ("ärendenummer", "ärendenr", "ärende", "aktnummer", "diarienummer", "case id", "id"),
            True,
            parse_text,
            PersonalField.ID,
        ),
        Column(
            "closed_date",
            "Avslutad",
            ("avslutat", "avslutsdatum", "avslutat datum", "datum avslutat", "closed date"),
            True,
            parse_date,
        ),
        Column(
            "unit",
            "Enhet",
            ("enhetsnamn", "arbetsgrupp", "unit"),
            False,
            parse_optional_text,
            PersonalField.ID,
        ),
        Column(
            "case_type",
            "Ärendetyp",
            ("typ", "ärendekategori", "case type"),
            False,
            parse_optional_text,
        ),
        Column(
            "handler",
            "Handläggare",
            ("socialsekreterare", "ansvarig handläggare", "handler"),
            False,
            parse_optional_text,
            PersonalField.ID,
        ),
        Column(
            "person_key",
            "Personnummer",
            ("pnr", "personnr", "personnummer barn", "personnummer klient"),
            False,
            parse_personnummer_with(pseudonymiser),
            PersonalField.OWN_PARSER,
        ),
    ]


@dataclass(frozen=True)
class CaseListRow:
    case_id: str
    closed_date: date
    unit: str
    case_type: str
    handler: str
    person_key: str | None


@dataclass(frozen=True)
class CaseList:
    """A read case list: its rows, the file's SHA-256 and where personnummer were replaced."""

    rows: list[CaseListRow]
    sha256: str
    personal_data: list[PersonalDataFinding]


def read_case_list(source: bytes | Path, filename: str, pseudonymiser: Pseudonymiser) -> CaseList:
    """Every row of a case list, pseudonymised, with the file's SHA-256; or an error naming
    rows and columns (all or nothing).

    Every column is scanned: a personnummer in Ärende-id, Enhet or Handläggare becomes its
    pseudonym, one in Ärendetyp becomes "[personnummer]".
    """
    table = read_table(
        source, filename, case_list_columns(pseudonymiser), pseudonymiser=pseudonymiser
    )
    table.raise_for_errors()
    seen: dict[str, int] = {}
    duplicates = []
    for row in table.rows:
        first = seen.setdefault(row["case_id"], row["_row"])
        if first != row["_row"]:
            # The id is not repeated: it may be a pseudonym or, mistyped, a personnummer.
            duplicates.append(f"rad {row['_row']}: samma ärende-id som på rad {first}")
    if duplicates:
        raise InvalidInputError(
            f"{filename}: ärende-id måste vara unika. "
            + "; ".join(duplicates[:MAX_LISTED_DUPLICATES])
        )
    rows = [
        CaseListRow(
            r["case_id"],
            r["closed_date"],
            r["unit"] or "",
            r["case_type"] or "",
            r["handler"] or "",
            r["person_key"],
        )
        for r in table.rows
    ]
    return CaseList(rows, table.sha256, table.personal_data)
