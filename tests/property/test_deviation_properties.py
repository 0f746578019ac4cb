"""Hypothesis properties of deviation imports: the bulk path's fingerprint is the stored
definition (json.dumps of the normalised fields), so a report imported before the bulk
import is still recognised as a duplicate; and the streaming reader gives read_table's rows."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from datetime import UTC, date, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from riskmotor.catalogs import Catalog, load_catalog
from riskmotor.domain.deviations import RecordBuilder, as_deviation, fingerprint, fold
from riskmotor.imports import Column, parse_date, parse_optional_text, read_table, stream_table

CATALOG: Catalog = load_catalog()
CATEGORIES = {c.key: c for c in CATALOG.deviation_categories}
IMPORTED_AT = datetime(2024, 1, 15, 9, 0, tzinfo=UTC)
# Control characters are refused as hostile input before any row is read (tested apart).
texts = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)


def reference_fingerprint(fields: list[object]) -> str:
    """The definition the stored fingerprints were made with (before the bulk import)."""
    return hashlib.sha256(json.dumps(fields, ensure_ascii=False).encode()).hexdigest()


@settings(deadline=None, max_examples=300)
@given(
    external_id=st.one_of(st.none(), texts),
    occurred_on=st.dates(date(2000, 1, 1), date(2030, 12, 31)),
    avdelning=texts,
    enhet=texts,
    cause=texts,
    process=texts,
    description=texts,
    category=st.sampled_from(["synpunkt_klagomal", "ovrig", "ej_avvikelse"]),
)
def test_bulk_fingerprint_is_the_stored_definition(
    external_id: str | None,
    occurred_on: date,
    avdelning: str,
    enhet: str,
    cause: str,
    process: str,
    description: str,
    category: str,
) -> None:
    row = {
        "_row": 2,
        "occurred_on": occurred_on,
        "category": (category, category),
        "avdelning": avdelning,
        "enhet": enhet,
        "cause": cause,
        "process": process,
        "description": description,
        "external_id": external_id,
    }
    builder = RecordBuilder(CATEGORIES, has_reported_column=True)
    record = builder.record(row)
    expected = reference_fingerprint(
        [
            fold(external_id),
            occurred_on.isoformat(),
            fold(avdelning),
            fold(enhet),
            category,
            "",
            False,
            fold(cause),
            fold(process),
            fold(description.strip()),
        ]
    )
    assert record.fingerprint == expected
    assert builder.record(row).fingerprint == expected  # the remembered forms give the same
    deviation = as_deviation(record, namnd_id=1, source_file="a.csv", imported_at=IMPORTED_AT)
    assert fingerprint(deviation, external_id) == expected


COLUMNS = [
    Column("day", "Datum", (), True, parse_date),
    Column("note", "Not", (), False, parse_optional_text),
]


@settings(deadline=None, max_examples=100)
@given(
    st.lists(
        st.tuples(st.sampled_from(["2023-01-05", "2023-02-30", "", "5/1"]), texts), max_size=30
    ),
    st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_streaming_reader_gives_read_tables_rows_and_errors(
    rows: list[tuple[str, str]], line_end: str
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator=line_end)
    writer.writerow(["Datum", "Not"])
    writer.writerows(rows)
    content = buffer.getvalue().encode()
    table = read_table(content, "lista.csv", COLUMNS)
    streamed = list(stream_table(content, "lista.csv", COLUMNS))
    assert [parsed for parsed, errors in streamed if not errors] == table.rows
    assert [e for _, errors in streamed for e in errors] == table.errors
    assert len(table.rows) == sum(day == "2023-01-05" for day, _ in rows)


def test_fingerprint_of_a_deviation_matches_the_bulk_record() -> None:
    row = {
        "_row": 7,
        "occurred_on": date(2023, 5, 2),
        "category": ("lex_sarah", "Lex Sarah"),
        "reported_to": "IVO",
        "avdelning": " Barn  och familj ",
        "enhet": "Utredning",
        "cause": "Brister i rutin",
        "process": "",
        "description": "  Text ",
        "external_id": "AV-1",
    }
    record = RecordBuilder(CATEGORIES, has_reported_column=True).record(row)
    deviation = as_deviation(record, namnd_id=1, source_file="a.csv", imported_at=IMPORTED_AT)
    assert (deviation.avdelning, deviation.description) == ("Barn och familj", "Text")
    assert fingerprint(deviation, "AV-1") == record.fingerprint
