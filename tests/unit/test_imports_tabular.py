"""Unit tests of riskmotor.imports.tabular: CSV and XLSX case lists as users produce them.

Row numbers are the ones Excel shows: the header is row 1 and the first data row is row 2.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from riskmotor.errors import InvalidInputError
from riskmotor.imports import (
    Column,
    RowError,
    TableFormatError,
    TableRowsError,
    parse_bool,
    parse_date,
    parse_decimal,
    parse_int,
    parse_optional_text,
    parse_text,
    read_table,
)

COLUMNS = [
    Column("case_id", "Ärende-id", ("ärendenummer", "ärende nr"), True, parse_text),
    Column("closed_date", "Avslutad", ("avslutsdatum", "avslutad datum"), True, parse_date),
    Column("share", "Andel", (), False, parse_decimal),
    Column("handler", "Handläggare", (), False, parse_optional_text),
]


def _xlsx(tmp_path: Path, rows: list[list[Any]], title: str = "Ärenden") -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    path = tmp_path / "ärenden.xlsx"
    workbook.save(path)
    return path


# --- CSV variants ---------------------------------------------------------------------------


def test_semicolon_csv_with_decimal_comma_as_swedish_excel_saves_it() -> None:
    text = (
        "Ärende-id;Avslutad;Andel;Handläggare\nA-1;2027-01-15;0,35;Anna\nA-2;2027-02-01;1 234,5;\n"
    )
    table = read_table(text.encode(), "lista.csv", COLUMNS)
    assert table.errors == []
    assert table.rows == [
        {
            "_row": 2,
            "case_id": "A-1",
            "closed_date": date(2027, 1, 15),
            "share": Decimal("0.35"),
            "handler": "Anna",
        },
        {
            "_row": 3,
            "case_id": "A-2",
            "closed_date": date(2027, 2, 1),
            "share": Decimal("1234.5"),
            "handler": None,
        },
    ]


def test_comma_csv_with_quoted_field_containing_a_comma() -> None:
    text = 'Ärende-id,Avslutad,Handläggare\nA-1,2027-01-15,"Berg, Anna"\n'
    table = read_table(text.encode(), "lista.csv", COLUMNS)
    assert [row["handler"] for row in table.rows] == ["Berg, Anna"]


def test_tab_separated_txt() -> None:
    text = "Ärende-id\tAvslutad\tAndel\nA-1\t2027-01-15\t0.5\n"
    table = read_table(text.encode(), "lista.txt", COLUMNS)
    assert table.rows[0]["share"] == Decimal("0.5")


def test_utf8_bom_does_not_spoil_the_first_header() -> None:
    text = "Ärende-id;Avslutad\nA-1;2027-01-15\n"
    table = read_table(b"\xef\xbb\xbf" + text.encode(), "lista.csv", COLUMNS)
    assert table.headers["case_id"] == "Ärende-id"
    assert len(table.rows) == 1


def test_cp1252_file_from_excel_on_windows_is_read_silently() -> None:
    raw = "Ärende-id;Avslutad;Handläggare\nA-1;2027-01-15;Åsa Bäck\n".encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # the premise: this really is not UTF-8
    table = read_table(raw, "lista.csv", COLUMNS)
    assert table.errors == []
    assert table.rows[0]["handler"] == "Åsa Bäck"


def test_utf16_unicode_text_from_excel() -> None:
    raw = "Ärende-id\tAvslutad\nA-1\t2027-01-15\n".encode("utf-16")
    assert read_table(raw, "lista.txt", COLUMNS).rows[0]["case_id"] == "A-1"


def test_excel_sep_line_sets_the_delimiter_and_is_not_counted_as_a_row() -> None:
    text = "sep=,\nÄrende-id,Avslutad\nA-1,2027-13-01\n"
    table = read_table(text.encode(), "lista.csv", COLUMNS)
    assert table.errors[0].row == 2


def test_quoted_line_break_stays_one_row_as_in_excel() -> None:
    text = 'Ärende-id;Avslutad;Handläggare\nA-1;2027-01-15;"Anna\nBerg"\nA-2;fel;\n'
    table = read_table(text.encode(), "lista.csv", COLUMNS)
    assert table.rows[0]["handler"] == "Anna\nBerg"
    assert [(error.row, error.column) for error in table.errors] == [(3, "Avslutad")]


# --- XLSX -------------------------------------------------------------------------------------


def test_xlsx_with_real_date_cells_and_numbers(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path,
        [
            ["Ärende-id", "Avslutad", "Andel", "Handläggare"],
            [1001, datetime(2027, 1, 15, 0, 0), 0.35, "Anna"],
            ["A-2", date(2027, 2, 1), 2, None],
            ["A-3", datetime(2027, 3, 4, 14, 30), "0,5", "Bo"],
        ],
    )
    table = read_table(path, path.name, COLUMNS)
    assert table.errors == []
    assert [row["case_id"] for row in table.rows] == ["1001", "A-2", "A-3"]
    assert [row["closed_date"] for row in table.rows] == [
        date(2027, 1, 15),
        date(2027, 2, 1),
        date(2027, 3, 4),
    ]
    assert [row["share"] for row in table.rows] == [Decimal("0.35"), Decimal(2), Decimal("0.5")]
    assert [row["_row"] for row in table.rows] == [2, 3, 4]


def test_xlsx_row_numbers_are_the_sheet_rows_when_title_rows_come_first(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path,
        [
            [None, None],
            ["Ärende-id", "Avslutad"],  # header on row 2 after an empty first row
            ["A-1", "2027-02-30"],
        ],
    )
    table = read_table(path, path.name, COLUMNS)
    assert table.errors == [
        RowError(3, "Avslutad", "2027-02-30", "ogiltigt datum, använd ÅÅÅÅ-MM-DD")
    ]


def test_xlsx_named_sheet(tmp_path: Path) -> None:
    workbook = Workbook()
    workbook.active.append(["annat"])
    second = workbook.create_sheet("Ärenden")
    second.append(["Ärende-id", "Avslutad"])
    second.append(["A-1", "20270115"])
    path = tmp_path / "två blad.xlsx"
    workbook.save(path)
    table = read_table(path, path.name, COLUMNS, sheet="Ärenden")
    assert table.rows[0]["closed_date"] == date(2027, 1, 15)
    with pytest.raises(TableFormatError, match=r"saknar bladet Saknas\. Blad som finns: Sheet"):
        read_table(path, path.name, COLUMNS, sheet="Saknas")


def test_corrupt_xlsx_names_the_file() -> None:
    with pytest.raises(TableFormatError, match=r"trasig\.xlsx kunde inte läsas som Excel"):
        read_table(b"not a zip archive", "trasig.xlsx", COLUMNS)


# --- headers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        "Ärende-id",
        "ÄRENDE-ID",
        "  ärende_id ",
        "Ärende.Id",
        "ärendenummer",
        "Ärende  nr",
        "case_id",
    ],
)
def test_header_synonyms_case_and_separators(header: str) -> None:
    text = f"{header};Avslutad_Datum\nA-1;2027-01-15\n"
    table = read_table(text.encode(), "lista.csv", COLUMNS)
    assert table.headers == {"case_id": header.strip(), "closed_date": "Avslutad_Datum"}
    assert table.rows[0]["case_id"] == "A-1"


def test_missing_required_column_names_file_column_and_found_headers() -> None:
    text = "Ärende-id;Datum;Enhet\nA-1;2027-01-15;Hem\n"
    with pytest.raises(TableFormatError) as caught:
        read_table(text.encode(), "ärendelista mars.csv", COLUMNS)
    message = str(caught.value)
    assert "ärendelista mars.csv" in message
    assert "saknar kolumnen Avslutad" in message
    assert "'Ärende-id', 'Datum', 'Enhet'" in message
    assert isinstance(caught.value, InvalidInputError)


def test_duplicate_matching_headers_are_refused() -> None:
    text = "Ärende-id;Ärendenummer;Avslutad\nA-1;A-1;2027-01-15\n"
    with pytest.raises(TableFormatError, match="kolumnen Ärende-id flera gånger"):
        read_table(text.encode(), "lista.csv", COLUMNS)


def test_unknown_columns_are_ignored_and_listed() -> None:
    text = "Ärende-id;Personnummer;Avslutad;;Notering\nA-1;x;2027-01-15;;y\n"
    table = read_table(text.encode(), "lista.csv", COLUMNS)
    assert table.ignored_headers == ["Personnummer", "Notering"]
    assert set(table.rows[0]) == {"_row", "case_id", "closed_date", "share", "handler"}


def test_unsupported_extension_names_the_file() -> None:
    with pytest.raises(TableFormatError, match=r"gammal\.xls kan inte läsas"):
        read_table(b"", "gammal.xls", COLUMNS)


def test_file_without_any_row_is_an_error() -> None:
    with pytest.raises(TableFormatError, match="tom"):
        read_table(b"\n\n", "tom.csv", COLUMNS)


# --- rows -------------------------------------------------------------------------------------


def test_bad_cells_give_row_errors_with_sheet_row_numbers_and_good_rows_remain() -> None:
    text = (
        "Ärende-id;Avslutad;Andel\n"  # row 1
        "A-1;2027-01-15;0,1\n"  # row 2
        "A-2;15/01/2027;0,2\n"  # row 3: ambiguous date
        "A-3;2027-01-16;tio\n"  # row 4: not a number
        "A-4;2027-01-17;0,4\n"  # row 5
    )
    table = read_table(text.encode(), "lista.csv", COLUMNS)
    assert [row["case_id"] for row in table.rows] == ["A-1", "A-4"]
    assert table.errors == [
        RowError(3, "Avslutad", "15/01/2027", "ogiltigt datum, använd ÅÅÅÅ-MM-DD"),
        RowError(4, "Andel", "tio", "ogiltigt tal, skriv till exempel 1 234,5"),
    ]


def test_same_bad_rows_get_the_same_numbers_in_xlsx(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path,
        [
            ["Ärende-id", "Avslutad", "Andel"],
            ["A-1", date(2027, 1, 15), 0.1],
            ["A-2", "15/01/2027", 0.2],
            ["A-3", date(2027, 1, 16), "tio"],
        ],
    )
    table = read_table(path, path.name, COLUMNS)
    assert [(error.row, error.column) for error in table.errors] == [(3, "Avslutad"), (4, "Andel")]


def test_empty_rows_are_skipped_but_keep_their_row_numbers(tmp_path: Path) -> None:
    csv_text = "Ärende-id;Avslutad\n\n;\n ; \nA-1;fel\n"
    csv_table = read_table(csv_text.encode(), "lista.csv", COLUMNS)
    path = _xlsx(
        tmp_path, [["Ärende-id", "Avslutad"], [None, None], [None, " "], [], ["A-1", "fel"]]
    )
    xlsx_table = read_table(path, path.name, COLUMNS)
    for table in (csv_table, xlsx_table):
        assert [error.row for error in table.errors] == [5]
        assert table.rows == []


def test_required_empty_cell_is_missing_value() -> None:
    text = "Ärende-id;Avslutad\n;2027-01-15\n"
    table = read_table(text.encode(), "lista.csv", COLUMNS)
    assert table.errors == [RowError(2, "Ärende-id", "", "saknar värde")]


def test_raise_for_errors_lists_every_error_in_swedish() -> None:
    text = "Ärende-id;Avslutad\nA-1;igår\nA-2;2027-01-15\n"
    table = read_table(text.encode(), "lista.csv", COLUMNS)
    with pytest.raises(TableRowsError) as caught:
        table.raise_for_errors()
    assert "Filen lista.csv har 1 fel. Inget har importerats." in str(caught.value)
    assert "Rad 2, kolumn Avslutad: ogiltigt datum" in str(caught.value)


def test_sha256_is_of_the_raw_bytes_and_path_equals_bytes(tmp_path: Path) -> None:
    raw = "Ärende-id;Avslutad\nA-1;2027-01-15\n".encode()
    path = tmp_path / "lista.csv"
    path.write_bytes(raw)
    from_path = read_table(path, "lista.csv", COLUMNS)
    assert from_path.sha256 == hashlib.sha256(raw).hexdigest()
    assert from_path == read_table(raw, "lista.csv", COLUMNS)


# --- parsers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2027-01-15", date(2027, 1, 15)),
        (" 2027-01-15 ", date(2027, 1, 15)),
        ("2027-01-15 08:30", date(2027, 1, 15)),
        ("2027-01-15T08:30:59", date(2027, 1, 15)),
        ("20270115", date(2027, 1, 15)),
        (20270115, date(2027, 1, 15)),
        ("2028-02-29", date(2028, 2, 29)),
        (datetime(2027, 1, 15, 23, 59), date(2027, 1, 15)),
        (date(2027, 1, 15), date(2027, 1, 15)),
    ],
)
def test_parse_date_accepts_unambiguous_forms(value: Any, expected: date) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "01/02/2027",
        "15.01.2027",
        "2027-1-5",
        "2027-02-29",
        "2027-13-01",
        "27-01-15",
        "",
        46000,
        1.5,
    ],
)
def test_parse_date_refuses_ambiguous_or_impossible(value: Any) -> None:
    with pytest.raises(ValueError, match="ogiltigt datum, använd ÅÅÅÅ-MM-DD"):
        parse_date(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0,35", "0.35"),
        ("0.35", "0.35"),
        ("1 234,5", "1234.5"),
        ("1\u00a0234,5", "1234.5"),
        ("12\u202f345\u202f678", "12345678"),
        ("-0,5", "-0.5"),
        ("\u22123", "-3"),
        (",5", "0.5"),
        (0.1, "0.1"),
        (7, "7"),
    ],
)
def test_parse_decimal_accepts_swedish_and_plain_forms(value: Any, expected: str) -> None:
    assert parse_decimal(value) == Decimal(expected)


@pytest.mark.parametrize(
    "value", ["1.234,5", "1,234.5", "12 5", "1,2,3", "tio", "NaN", "Infinity", "", True]
)
def test_parse_decimal_refuses_ambiguous_or_garbage(value: Any) -> None:
    with pytest.raises(ValueError, match="ogiltigt tal"):
        parse_decimal(value)


def test_parse_int() -> None:
    assert parse_int("1 234") == 1234
    assert parse_int(12.0) == 12
    assert parse_int("3,0") == 3
    with pytest.raises(ValueError, match="ska vara ett heltal"):
        parse_int("3,5")
    with pytest.raises(ValueError, match="ogiltigt heltal"):
        parse_int("tre")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        *((word, True) for word in ("Ja", "j", "X", "yes", "TRUE", "1", "sant", 1, True)),
        *((word, False) for word in ("Nej", "N", "no", "false", "0", "Falskt", 0, False)),
    ],
)
def test_parse_bool(value: Any, expected: bool) -> None:
    assert parse_bool(value) is expected


def test_parse_bool_refuses_other_words() -> None:
    with pytest.raises(ValueError, match="använd Ja eller Nej"):
        parse_bool("kanske")


def test_parse_text_and_optional_text() -> None:
    assert parse_text("  Anna  ") == "Anna"
    assert parse_text(1001.0) == "1001"
    with pytest.raises(ValueError, match="saknar värde"):
        parse_text("   ")
    assert parse_optional_text(" ") is None
