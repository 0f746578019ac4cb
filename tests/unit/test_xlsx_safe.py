"""Unit tests of riskmotor.export.xlsx.safe: text that looks like a formula stays text.

Every file is saved and opened again with openpyxl, the way Excel would see it.
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime, time
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from riskmotor.export.xlsx.safe import safe_value, write_cell, write_row

DANGEROUS = ["=1+1", "+46 8 123", "-5", "@SUM(A1)", "\tx", '=HYPERLINK("http://x","klicka")']


def _saved(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("read_only", [False, True])
def test_formula_like_text_round_trips_as_text(read_only: bool) -> None:
    workbook = Workbook()
    for row, text in enumerate(DANGEROUS, start=1):
        write_cell(workbook.active, row, 1, text)
    raw = _saved(workbook)
    sheet = load_workbook(io.BytesIO(raw), read_only=read_only).active
    for row, text in enumerate(DANGEROUS, start=1):
        cell = sheet.cell(row=row, column=1)
        assert (cell.value, cell.data_type) == (text, "s")


def test_no_formula_element_is_written() -> None:
    workbook = Workbook()
    write_row(workbook.active, 1, DANGEROUS)
    with zipfile.ZipFile(io.BytesIO(_saved(workbook))) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml


def test_plain_openpyxl_would_have_written_a_formula() -> None:
    # The premise of the module: without it, a leading '=' becomes a formula.
    workbook = Workbook()
    workbook.active["A1"] = "=1+1"
    assert workbook.active["A1"].data_type == "f"


def test_other_values_keep_their_types() -> None:
    workbook = Workbook()
    values = [7, 0.25, Decimal("1.5"), True, date(2027, 1, 15), None, "#N/A"]
    write_row(workbook.active, 1, values)
    sheet = load_workbook(io.BytesIO(_saved(workbook))).active
    read = [cell.value for cell in sheet[1]]
    assert read[:4] == [7, 0.25, 1.5, True]
    assert read[4] == datetime(2027, 1, 15)  # openpyxl reads date cells as datetime
    assert read[6] == "#N/A" and sheet["G1"].data_type == "s"  # text, not an error value
    assert sheet["F1"].value is None


def test_safe_value_removes_only_what_xml_cannot_hold() -> None:
    assert safe_value("a\x0bb\ufffec") == "abc"
    assert safe_value("=a\nb") == "=a\nb"
    assert safe_value(3) == 3


def test_safe_value_refuses_time_zones_and_unknown_types() -> None:
    with pytest.raises(TypeError, match="time zones"):
        safe_value(datetime(2027, 1, 1, tzinfo=UTC))
    with pytest.raises(TypeError, match="time zones"):
        safe_value(time(8, tzinfo=UTC))
    with pytest.raises(TypeError, match="list"):
        safe_value([1])


def test_leading_carriage_return_is_text_not_formula() -> None:
    workbook = Workbook()
    write_cell(workbook.active, 1, 1, "\r=1+1")
    cell = load_workbook(io.BytesIO(_saved(workbook))).active["A1"]
    # Without lxml, openpyxl's XML writer turns the carriage return into a line feed; with
    # lxml (which python-docx brings) it survives. Either way the point holds: it is text.
    assert cell.value in ("\r=1+1", "\n=1+1")
    assert cell.data_type == "s"
