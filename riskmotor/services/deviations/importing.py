"""Importing a deviation export: read and check every row, then store the new reports in one
bulk insert with one audit entry for the whole file.

Built for exports of hundreds of thousands of rows: the file is parsed row by row into compact
records (no validation object per row), duplicates are found by fingerprint in a set, the new
reports go in with Core ``executemany`` in one short transaction, and the audit log gets one
entry with the file's SHA-256 and the counts instead of one row per report.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy.exc import IntegrityError

from riskmotor.catalogs import Catalog
from riskmotor.domain.access import Role
from riskmotor.domain.catalog import DeviationCategory
from riskmotor.domain.deviations import (
    DeviationRecord,
    RecordBuilder,
    as_deviation,
    category_parser,
    parse_authority,
)
from riskmotor.domain.models import Deviation
from riskmotor.domain.personal_data import PersonalDataFinding
from riskmotor.errors import DuplicateError
from riskmotor.imports import (
    Column,
    PersonalField,
    Pseudonymiser,
    parse_bool,
    parse_date,
    parse_optional_text,
    stream_table,
)
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.reports.deviations import ImportPreview, ImportReport, RejectedRow

IMPORT_AUDIT_ENTITY = "deviation_import"
IMPORT_AUDIT_ACTION = "import"
REPORTING_COLUMNS = "kolumn Anmäld till/Allvarlig"


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off while a large file is read or stored, then on again.

    Reading keeps every report as a record (a tuple subclass, which the collector keeps
    tracking), so each full collection during a 200 000-row import walks all records read so
    far: a tenth of a second each, several times per file. Nothing read or stored here makes
    reference cycles, so pausing changes nothing but the time. Left as it was when the
    collector was already off (a nested or concurrent import re-enables it only once).
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def deviation_columns(catalog: Catalog) -> list[Column]:
    """The columns of a deviation export; header synonyms are documented in docs/deviations.md.

    Every column is scanned for personnummer: in Avdelning, Enhet and Avvikelse-id (which
    group and identify reports) one becomes its pseudonym, elsewhere "[personnummer]".
    """
    return [
        Column(
            "occurred_on",
            "Datum",
            ("händelsedatum", "datum för händelsen", "rapportdatum", "inkom", "registrerad"),
            True,
            parse_date,
        ),
        Column(
            "avdelning",
            "Avdelning",
            ("verksamhetsområde", "department"),
            False,
            parse_optional_text,
            PersonalField.ID,
        ),
        Column(
            "enhet",
            "Enhet",
            ("enhetsnamn", "arbetsgrupp", "verksamhet", "unit"),
            False,
            parse_optional_text,
            PersonalField.ID,
        ),
        Column(
            "category",
            "Kategori",
            ("typ", "typ av avvikelse", "avvikelsetyp", "avvikelsekategori", "bedömning"),
            True,
            category_parser(catalog.deviation_categories),
        ),
        Column(
            "reported_to",
            "Anmäld till",
            ("anmäld", "anmälan", "anmäld till myndighet", "extern anmälan", "reported to"),
            False,
            parse_authority,
        ),
        Column(
            "serious",
            "Allvarlig",
            ("allvarligt", "allvarligt missförhållande", "allvarlig händelse", "serious"),
            False,
            parse_bool,
        ),
        Column(
            "cause",
            "Orsak",
            ("bakomliggande orsak", "rotorsak", "orsakskategori"),
            False,
            parse_optional_text,
        ),
        Column(
            "process",
            "Process",
            ("processnamn", "verksamhetsprocess"),
            False,
            parse_optional_text,
        ),
        Column(
            "description",
            "Beskrivning",
            ("händelsebeskrivning", "fritext", "händelse", "beskrivning av händelsen"),
            False,
            parse_optional_text,
        ),
        Column(
            "external_id",
            "Avvikelse-id",
            ("löpnummer", "avvikelsenummer", "rapport-id", "id"),
            False,
            parse_optional_text,
            PersonalField.ID,
        ),
    ]


@dataclass(frozen=True)
class DeviationFile:
    """A read export: the reports ready to store and the rows that could not be read."""

    filename: str
    namnd_id: int
    records: list[DeviationRecord]
    rejected: list[RejectedRow]
    sha256: str
    personal_data: list[PersonalDataFinding] = field(default_factory=list)

    def as_deviations(self, imported_at: datetime) -> list[Deviation]:
        """The reports as domain objects (for previews and small files; slow for big ones)."""
        return [
            as_deviation(
                r, namnd_id=self.namnd_id, source_file=self.filename, imported_at=imported_at
            )
            for r in self.records
        ]


def read_deviations(
    catalog: Catalog,
    namnd_id: int,
    source: bytes | Path,
    filename: str,
    *,
    pseudonymiser: Pseudonymiser | None = None,
) -> DeviationFile:
    """Read and check every row; nothing is stored. A file that cannot be read at all raises.

    Personnummer are replaced as they are read (see :func:`deviation_columns`); without a
    ``pseudonymiser`` every one becomes "[personnummer]".
    """
    with collector_paused():
        return _read_deviations(catalog, namnd_id, source, filename, pseudonymiser)


def _read_deviations(
    catalog: Catalog,
    namnd_id: int,
    source: bytes | Path,
    filename: str,
    pseudonymiser: Pseudonymiser | None,
) -> DeviationFile:
    stream = stream_table(source, filename, deviation_columns(catalog), pseudonymiser=pseudonymiser)
    categories: dict[str, DeviationCategory] = {c.key: c for c in catalog.deviation_categories}
    builder = RecordBuilder(categories, has_reported_column="reported_to" in stream.headers)
    problems: dict[int, list[str]] = {}
    records: list[DeviationRecord] = []
    for row, errors in stream:
        if errors:
            for error in errors:
                problems.setdefault(error.row, []).append(
                    str(error).removeprefix(f"Rad {error.row}, ")
                )
            continue
        try:
            records.append(builder.record(row))
        except ValueError as error:
            problems.setdefault(row["_row"], []).append(f"{REPORTING_COLUMNS}: {error}")
    rejected = [RejectedRow(row, "; ".join(reasons)) for row, reasons in sorted(problems.items())]
    return DeviationFile(filename, namnd_id, records, rejected, stream.sha256, stream.personal_data)


def store_new(tx: UnitOfWork, parsed: DeviationFile) -> tuple[int, int]:
    """Store the reports not stored before, inside an open unit of work: (new, duplicates).

    A report whose fingerprint is already stored for the nämnd — or appeared earlier in the
    same file — is a duplicate. Records one audit entry for the file.
    """
    tx.require(Role.REDAKTOR, parsed.namnd_id)  # the bulk insert bypasses the ORM's check
    known = tx.deviations.fingerprints(parsed.namnd_id)
    new: list[DeviationRecord] = []
    for record in parsed.records:
        if record.fingerprint not in known:
            known.add(record.fingerprint)
            new.append(record)
    now = tx.clock.now()
    with collector_paused():
        stored = tx.deviations.add_records(
            new, namnd_id=parsed.namnd_id, source_file=parsed.filename, imported_at=now
        )
    duplicates = len(parsed.records) - stored
    tx.audit.record_batch(
        IMPORT_AUDIT_ENTITY,
        parsed.namnd_id,
        IMPORT_AUDIT_ACTION,
        {
            "fil": parsed.filename,
            "sha256": parsed.sha256,
            "nya": stored,
            "dubbletter": duplicates,
            "avvisade": len(parsed.rejected),
            "personnummer_ersatta": sum(f.count for f in parsed.personal_data),
        },
        at=now,
    )
    return stored, duplicates


def preview_import(
    uow: UnitOfWork,
    catalog: Catalog,
    namnd_id: int,
    source: bytes | Path,
    filename: str,
    *,
    pseudonymiser: Pseudonymiser | None = None,
) -> ImportPreview:
    """How many rows of the file are new, already imported, and unreadable; nothing stored.

    Counted the way :func:`store_new` decides, against the reports stored for the nämnd now.
    """
    parsed = read_deviations(catalog, namnd_id, source, filename, pseudonymiser=pseudonymiser)
    with uow:
        uow.units.get(namnd_id)
        uow.require(Role.LASARE, namnd_id)  # the fingerprints are read past the ORM's check
        known = uow.deviations.fingerprints(namnd_id)
    fresh = {r.fingerprint for r in parsed.records} - known
    return ImportPreview(
        filename,
        new=len(fresh),
        duplicates=len(parsed.records) - len(fresh),
        rejected=parsed.rejected,
        personal_data=parsed.personal_data,
    )


def import_deviations(
    uow: UnitOfWork,
    catalog: Catalog,
    namnd_id: int,
    source: bytes | Path,
    filename: str,
    *,
    skip_bad_rows: bool = False,
    pseudonymiser: Pseudonymiser | None = None,
) -> ImportReport:
    """Import a deviation export in one transaction; re-importing the same reports adds nothing.

    With bad rows the import is refused (nothing stored) unless ``skip_bad_rows`` is set, in
    which case the good rows are imported; either way the bad rows are reported. The file is
    read before the transaction starts, so the database is locked only while writing.
    Personnummer in any column are replaced and reported by row and column.
    """
    parsed = read_deviations(catalog, namnd_id, source, filename, pseudonymiser=pseudonymiser)
    if parsed.rejected and not skip_bad_rows:
        return ImportReport(
            0,
            0,
            parsed.rejected,
            refused=True,
            sha256=parsed.sha256,
            personal_data=parsed.personal_data,
        )
    with uow:
        uow.deviations.lock_for_import(namnd_id)
        uow.units.get(namnd_id)
        try:
            imported, duplicates = store_new(uow, parsed)
            uow.commit()
        except IntegrityError as error:
            # Only possible when reports were stored by something that does not take the
            # import lock (the demo loader); the lock makes two imports wait for each other.
            raise DuplicateError(
                f"Några av avvikelserna i {filename} sparades samtidigt av någon annan. "
                "Ingenting har importerats från filen; importera den igen, så hoppas de "
                "avvikelser som redan finns över som dubbletter."
            ) from error
    return ImportReport(
        imported,
        duplicates,
        parsed.rejected,
        sha256=parsed.sha256,
        personal_data=parsed.personal_data,
    )
