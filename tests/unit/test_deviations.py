"""Reading deviation exports: synonyms, reporting rules, fingerprints, rejected rows, and the
cross table and shares of a hand-built file whose counts are known."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from riskmotor.catalogs import Catalog
from riskmotor.domain.deviations import (
    REPORTED,
    category_parser,
    category_shares,
    count_by_category,
    cross_table,
    deviation_count,
    parse_authority,
    reported_share,
    resolve_reporting,
    top_causes,
)
from riskmotor.domain.models import Deviation
from riskmotor.imports import TableFormatError
from riskmotor.services.deviations import read_deviations

HEADER = "Avvikelse-id;Datum;Avdelning;Enhet;Typ av avvikelse;Anmäld till;Orsak;Process;Beskrivning"
# Ten reports whose counts are worked out by hand in the tests below.
HAND_BUILT = [
    "1;2023-01-10;Barn och familj;Utredning;Lex Sarah;IVO;Bristande dokumentation;Utredning;A",
    "2;2023-02-11;Barn och familj;Utredning;Missförhållande;Nej;Brister i rutin;Utredning;B",
    "3;2023-03-12;Barn och familj;Mottagning;lex sarah-rapport;-;Brister i rutin;Mottagning;C",
    "4;2023-05-01;Barn och familj;Mottagning;PUI;IMY;Felskickad post;Mottagning;D",
    "5;2023-05-02;Vuxen;Vuxenenheten;Personuppgiftsincident;Datainspektionen;;Vuxen;E",
    "6;2023-06-01;Vuxen;Vuxenenheten;Personuppgiftsincident;;;Vuxen;F",
    "7;2023-09-01;Vuxen;Vuxenenheten;Klagomål;;bristande  DOKUMENTATION;Vuxen;G",
    "8;2023-09-02;Vuxen;Vuxenenheten;Övrigt;;Bristande dokumentation;Vuxen;H",
    "9;2023-10-03;Barn och familj;Utredning;Övrig avvikelse;Nej;;Utredning;I",
    "10;2023-11-04;Barn och familj;Utredning;Ej avvikelse i verksamheten;;;Utredning;J",
]
KEYS = ["lex_sarah", "personuppgiftsincident", "synpunkt_klagomal", "ovrig", "ej_avvikelse"]


IMPORTED_AT = datetime(2024, 1, 15, 9, 0, tzinfo=UTC)


def csv_file(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


def read(catalog: Catalog, content: bytes, name: str = "avvikelser.csv") -> list[Deviation]:
    parsed = read_deviations(catalog, 1, content, name)
    assert parsed.rejected == []
    return parsed.as_deviations(IMPORTED_AT)


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("Lex Sarah", "lex_sarah"),
        ("lex sarah-rapport", "lex_sarah"),
        ("Missförhållande", "lex_sarah"),
        ("  LEX   sarah ", "lex_sarah"),
        ("PUI", "personuppgiftsincident"),
        ("Personuppgiftsincident", "personuppgiftsincident"),
        ("Klagomål", "synpunkt_klagomal"),
        ("Synpunkt", "synpunkt_klagomal"),
        ("Övrigt", "ovrig"),
        ("övrig avvikelse", "ovrig"),
        ("Ej avvikelse i verksamheten", "ej_avvikelse"),
        ("ej_avvikelse", "ej_avvikelse"),
    ],
)
def test_category_synonyms_fold_case_and_spaces(catalog: Catalog, written: str, key: str) -> None:
    parse = category_parser(catalog.deviation_categories)
    assert parse(written) == (key, " ".join(written.split()))


def test_unknown_category_names_the_value_and_the_accepted_ones(catalog: Catalog) -> None:
    with pytest.raises(ValueError, match="Godkända kategorier: Lex Sarah; Personuppgiftsincident"):
        category_parser(catalog.deviation_categories)("Tillbud")


@pytest.mark.parametrize(
    ("written", "authority"),
    [
        ("IVO", "IVO"),
        ("Anmäld till IVO", "IVO"),
        ("ivo ", "IVO"),
        ("IMY", "IMY"),
        ("Anmäld till IMY", "IMY"),
        ("Datainspektionen", "IMY"),
        ("-", ""),
        ("Nej", ""),
        ("Ej anmäld", ""),
        ("", ""),
        ("Ja", REPORTED),
    ],
)
def test_reported_to_spellings(written: str, authority: str) -> None:
    assert parse_authority(written) == authority


@pytest.mark.parametrize("written", ["Polisen", "IVO och IMY", "kanske"])
def test_unknown_reported_to_is_refused(written: str) -> None:
    with pytest.raises(ValueError, match="IVO, IMY, Ja eller Nej"):
        parse_authority(written)


def test_reporting_and_seriousness_are_derived_consistently(catalog: Catalog) -> None:
    by_key = {c.key: c for c in catalog.deviation_categories}
    lex_sarah, pui, klagomal = (
        by_key["lex_sarah"],
        by_key["personuppgiftsincident"],
        by_key["synpunkt_klagomal"],
    )
    assert resolve_reporting(lex_sarah, "IVO", None) == ("IVO", True)
    assert resolve_reporting(lex_sarah, REPORTED, None) == ("IVO", True)
    assert resolve_reporting(pui, REPORTED, None) == ("IMY", True)
    assert resolve_reporting(lex_sarah, "", None) == ("", False)
    # Only an Allvarlig column: an allvarligt missförhållande is reported to IVO.
    assert resolve_reporting(lex_sarah, None, True) == ("IVO", True)
    assert resolve_reporting(lex_sarah, None, False) == ("", False)
    # Both columns: serious but not (yet) reported is kept as written.
    assert resolve_reporting(lex_sarah, "", True) == ("", True)
    with pytest.raises(ValueError, match="Personuppgiftsincident anmäls till IMY, inte till IVO"):
        resolve_reporting(pui, "IVO", None)
    with pytest.raises(ValueError, match="anmäls inte till någon myndighet"):
        resolve_reporting(klagomal, REPORTED, None)
    with pytest.raises(ValueError, match="markerad som inte allvarlig"):
        resolve_reporting(lex_sarah, "IVO", False)


def test_header_synonyms_are_accepted(catalog: Catalog) -> None:
    content = csv_file(
        "L-1,20230105,Enhet X,Lex Sarah-anmälan,Ja,Rutin saknas,Text",
        header="Löpnummer,Händelsedatum,Enhetsnamn,Avvikelsetyp,Allvarligt missförhållande,"
        "Rotorsak,Fritext",
    )
    [deviation] = read(catalog, content)
    assert deviation.occurred_on == date(2023, 1, 5)
    assert (deviation.enhet, deviation.category, deviation.category_text) == (
        "Enhet X",
        "lex_sarah",
        "Lex Sarah-anmälan",
    )
    assert (deviation.reported_to, deviation.serious) == ("IVO", True)
    assert (deviation.cause, deviation.description, deviation.source_row) == (
        "Rutin saknas",
        "Text",
        2,
    )


def test_missing_category_column_stops_the_file(catalog: Catalog) -> None:
    with pytest.raises(TableFormatError, match="saknar kolumnen Kategori"):
        read_deviations(catalog, 1, csv_file("2023-01-01", header="Datum"), "fel.csv")


def test_bad_rows_are_listed_with_row_number_and_reason(catalog: Catalog) -> None:
    content = csv_file(
        HAND_BUILT[0],
        "2;2023-02-30;Barn och familj;Utredning;Lex Sarah;;;;",
        HAND_BUILT[2],
        "4;2023-05-01;Vuxen;Vuxenenheten;Tillbud;;;;",
        "5;2023-05-02;Vuxen;Vuxenenheten;PUI;IVO;;;",
        "6;;Vuxen;Vuxenenheten;Tillbud;;;;",
    )
    parsed = read_deviations(catalog, 1, content, "avvikelser.csv")
    assert [d.source_row for d in parsed.records] == [2, 4]
    assert [r.row for r in parsed.rejected] == [3, 5, 6, 7]
    reasons = {r.row: r.reason for r in parsed.rejected}
    assert "kolumn Datum: ogiltigt datum" in reasons[3]
    assert "okänd kategori" in reasons[5] and "'Tillbud'" in reasons[5]
    assert "Personuppgiftsincident anmäls till IMY, inte till IVO" in reasons[6]
    assert "Datum: saknar värde" in reasons[7] and "'Tillbud'" in reasons[7]  # both problems


def test_fingerprint_ignores_file_name_and_row_order_but_not_the_id(catalog: Catalog) -> None:
    first = read(catalog, csv_file(*HAND_BUILT), "jan.csv")
    again = read(catalog, csv_file(*reversed(HAND_BUILT)), "export-2.csv")
    assert {d.fingerprint for d in first} == {d.fingerprint for d in again}
    assert len({d.fingerprint for d in first}) == len(HAND_BUILT)
    renumbered = HAND_BUILT[0].replace("1;", "99;", 1)
    [other] = read(catalog, csv_file(renumbered))
    assert other.fingerprint not in {d.fingerprint for d in first}
    # Without an id column, two identical reports collapse into one fingerprint.
    no_id = b"Datum;Kategori\n2023-01-01;Lex Sarah\n2023-01-01;Lex Sarah\n"
    assert len({d.fingerprint for d in read(catalog, no_id)}) == 1


def test_cross_table_and_shares_of_the_hand_built_file(catalog: Catalog) -> None:
    found = read(catalog, csv_file(*HAND_BUILT))
    counts = count_by_category(found, KEYS)
    assert counts == {
        "lex_sarah": 3,
        "personuppgiftsincident": 3,
        "synpunkt_klagomal": 1,
        "ovrig": 2,
        "ej_avvikelse": 1,
    }
    assert deviation_count(counts, catalog.deviation_categories) == 9
    assert category_shares(counts, catalog.deviation_categories) == {
        "lex_sarah": 3 / 9,
        "personuppgiftsincident": 3 / 9,
        "synpunkt_klagomal": 1 / 9,
        "ovrig": 2 / 9,
    }
    by_key = {c.key: c for c in catalog.deviation_categories}
    assert reported_share(found, by_key["lex_sarah"]) == 1 / 3
    assert reported_share(found, by_key["personuppgiftsincident"]) == 2 / 3  # Datainspektionen
    table = [
        (r.level, r.avdelning, r.enhet, [r.counts[k] for k in KEYS], r.total)
        for r in cross_table(found, KEYS)
    ]
    assert table == [
        ("avdelning", "Barn och familj", "", [3, 1, 0, 1, 1], 6),
        ("enhet", "Barn och familj", "Mottagning", [1, 1, 0, 0, 0], 2),
        ("enhet", "Barn och familj", "Utredning", [2, 0, 0, 1, 1], 4),
        ("avdelning", "Vuxen", "", [0, 2, 1, 1, 0], 4),
        ("enhet", "Vuxen", "Vuxenenheten", [0, 2, 1, 1, 0], 4),
        ("totalt", "", "", [3, 3, 1, 2, 1], 10),
    ]


def test_swedish_letters_sort_after_z(catalog: Catalog) -> None:
    rows = [f"{i};2023-01-0{i};{name};E;Övrigt;;;;" for i, name in enumerate("ÖÄÅZA", 1)]
    found = read(catalog, csv_file(*rows))
    order = [r.avdelning for r in cross_table(found, KEYS) if r.level == "avdelning"]
    assert order == ["A", "Z", "Å", "Ä", "Ö"]


def test_root_causes_group_case_and_spaces(catalog: Catalog) -> None:
    found = read(catalog, csv_file(*HAND_BUILT))
    ranked = [(c.cause, c.count) for c in top_causes(found)]
    # rows 1, 7 ("bristande  DOKUMENTATION") and 8; rows 2 and 3; row 4
    assert ranked == [
        ("Bristande dokumentation", 3),
        ("Brister i rutin", 2),
        ("Felskickad post", 1),
    ]
    assert top_causes(found)[0].share == 3 / 6


def test_free_text_is_kept_as_written(catalog: Catalog) -> None:
    content = csv_file('1;2023-01-10;A;E;Övrigt;;;;"Rad ett\nrad två"')
    [deviation] = read(catalog, content)
    assert deviation.description == "Rad ett\nrad två"
    assert deviation.imported_at <= datetime.now(UTC)
