"""Hypothesis properties of the import reader, the pseudonymiser and safe XLSX writing."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from riskmotor.export.xlsx.safe import write_cell
from riskmotor.imports import (
    Column,
    Pseudonymiser,
    normalise_personnummer,
    parse_decimal,
    parse_optional_text,
    read_table,
)

# Printable text: no control characters (Cc), surrogates (Cs) or unassigned code points (Cn,
# which include U+FFFE/U+FFFF that XML cannot hold).
printable = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Cn")), min_size=0, max_size=40
)
formula_prefixes = st.sampled_from(["", "=", "+", "-", "@", "=-", "+="])


@settings(deadline=None, max_examples=60)  # each example saves and loads a workbook
@given(prefix=formula_prefixes, body=printable)
def test_written_text_reads_back_identical_as_text(prefix: str, body: str) -> None:
    text = prefix + body
    workbook = Workbook()
    write_cell(workbook.active, 1, 1, text)
    buffer = io.BytesIO()
    workbook.save(buffer)
    cell = load_workbook(io.BytesIO(buffer.getvalue())).active["A1"]
    if text:
        assert (cell.value, cell.data_type) == (text, "s")
    else:
        assert cell.value in ("", None)  # an empty string is an empty cell to Excel


cell_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Cn", "Zl", "Zp")), max_size=20
)


@settings(deadline=None)
@given(
    cells=st.lists(st.tuples(cell_text, cell_text), min_size=1, max_size=8),
    delimiter=st.sampled_from([";", ",", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig"]),
)
def test_csv_written_by_the_csv_module_reads_back(
    cells: list[tuple[str, str]], delimiter: str, encoding: str
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(["Ärende-id", "Kommentar"])
    writer.writerows(cells)
    columns = [
        Column("case_id", "Ärende-id", (), False, parse_optional_text),
        Column("comment", "Kommentar", (), False, parse_optional_text),
    ]
    table = read_table(buffer.getvalue().encode(encoding), "lista.csv", columns)
    expected = [
        (index, first.strip() or None, second.strip() or None)
        for index, (first, second) in enumerate(cells, start=2)
        if first.strip() or second.strip()
    ]
    assert table.errors == []
    assert [(row["_row"], row["case_id"], row["comment"]) for row in table.rows] == expected


@given(
    number=st.decimals(min_value=-(10**9), max_value=10**9, places=3, allow_nan=False),
    grouped=st.booleans(),
)
def test_swedish_formatting_parses_back(number: Decimal, grouped: bool) -> None:
    text = f"{number:,f}" if grouped else f"{number:f}"
    swedish = text.replace(",", " ").replace(".", ",")  # 1,234.5 -> 1 234,5
    assert parse_decimal(swedish) == number


@given(
    birth=st.dates(min_value=date(1930, 1, 1), max_value=date(2026, 12, 31)),
    serial=st.integers(min_value=0, max_value=999),
    coordination=st.booleans(),
)
def test_ten_and_twelve_digit_forms_agree(birth: date, serial: int, coordination: bool) -> None:
    day = birth.day + (60 if coordination else 0)
    nine = f"{birth:%y%m}{day:02d}{serial:03d}"
    number = nine + _luhn_digit(nine)
    today = date(2027, 6, 1)
    separator = "-" if today.year - birth.year < 100 else "+"
    short = normalise_personnummer(f"{number[:6]}{separator}{number[6:]}", today)
    assert short == normalise_personnummer(f"{birth.year // 100}{number}", today)
    assert short == f"{birth.year}{number[2:]}"
    pseudonymiser = Pseudonymiser(b"k" * 32)
    assert pseudonymiser.pseudonym(number, today=today) == pseudonymiser.pseudonym(short)
    assert number not in pseudonymiser.pseudonym(short)


def _luhn_digit(nine_digits: str) -> str:
    """The check digit by the published algorithm (weights 2, 1, 2, … from the left)."""
    total = sum(
        sum(divmod(int(char) * (2 - position % 2), 10)) for position, char in enumerate(nine_digits)
    )
    return str(-total % 10)
