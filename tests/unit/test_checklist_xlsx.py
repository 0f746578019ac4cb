"""Unit tests of riskmotor.export.xlsx_safe and the egenkontroll checklist workbook.

Every file is saved and opened again with openpyxl, the way Excel would see it.
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from riskmotor.errors import InvalidInputError
from riskmotor.export.checklist import (
    ChecklistCase,
    ChecklistControl,
    ChecklistError,
    ChecklistPlan,
    read_checklist,
    write_checklist,
)
from riskmotor.export.xlsx_safe import safe_value, write_cell, write_row

DANGEROUS = ["=1+1", "+46 8 123", "-5", "@SUM(A1)", "\tx", '=HYPERLINK("http://x","klicka")']

# --- xlsx_safe --------------------------------------------------------------------------------


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


# --- checklist --------------------------------------------------------------------------------

CONTROLS = [
    ChecklistControl("delaktighet", "Delaktighet", "Framgår den enskildes delaktighet?"),
    ChecklistControl("beslut", "Beslut finns", "Finns ett beslut som motsvarar insatsen?"),
]
PLAN = ChecklistPlan(
    title="Egenkontroll av utredningar",
    namnd="Socialnämnden",
    period="2027-T1",
    confidence=0.95,
    tolerable_rate=0.05,
    expected_rate=0.025,
    method="binomial",
    sample_size=3,
    allowed_deviations=0,
    seed=12345678901234567890,
    population_size=40,
    strata={"Hemtjänst Norr": (25, 2), "": (15, 1)},
    numpy_version="2.1.0",
    case_list_sha256="ab" * 32,
    created_at=datetime(2027, 1, 5, 9, 30),
)
SAMPLE = [
    ChecklistCase('=HYPERLINK("http://x")', "Hemtjänst Norr", date(2026, 11, 3), "SoL", "Anna"),
    ChecklistCase("A-2", "Hemtjänst Norr", date(2026, 12, 1), "SoL", "Bo"),
    ChecklistCase("A-3", "", None, "LSS", "Cia"),
]
RESERVE = [ChecklistCase(f"R-{index}", "", None, "SoL", "Dan") for index in (1, 2, 3)]


@pytest.fixture
def checklist(tmp_path: Path) -> Path:
    path = tmp_path / "ut" / "checklista.xlsx"
    write_checklist(path, PLAN, SAMPLE, RESERVE, CONTROLS)
    return path


def _headers(sheet: Worksheet) -> dict[str, int]:
    return {cell.value: cell.column for cell in sheet[1] if cell.value}


def _fill(sheet: Worksheet, row: int, by_header: dict[str, Any]) -> None:
    columns = _headers(sheet)
    for header, value in by_header.items():
        sheet.cell(row=row, column=columns[header]).value = value


def test_sheets_and_headers(checklist: Path) -> None:
    workbook = load_workbook(checklist)
    assert workbook.sheetnames == ["Plan", "Stickprov", "Reserv", "Kontrollmoment"]
    case_headers = ["Ärende-id", "Enhet", "Avslutad", "Ärendetyp", "Handläggare", "Bortfall"]
    sample_headers = [*case_headers, "Delaktighet", "Beslut finns", "Kommentar"]
    assert [cell.value for cell in workbook["Stickprov"][1]] == sample_headers
    assert [cell.value for cell in workbook["Reserv"][1]] == ["Ordning", *sample_headers]
    assert [cell.value for cell in workbook["Kontrollmoment"]["A"]] == [
        "Nyckel",
        "delaktighet",
        "beslut",
    ]


def test_case_rows_without_personal_data(checklist: Path) -> None:
    sheet = load_workbook(checklist)["Stickprov"]
    first = [cell.value for cell in sheet[2]][:5]
    assert first == [
        '=HYPERLINK("http://x")',
        "Hemtjänst Norr",
        datetime(2026, 11, 3),
        "SoL",
        "Anna",
    ]
    assert sheet["A2"].data_type == "s"
    assert sheet["C2"].number_format == "yyyy-mm-dd"
    every_header = " ".join(str(cell.value).casefold() for cell in sheet[1])
    assert "personnummer" not in every_header and "pseudonym" not in every_header


def test_drop_downs_on_bortfall_and_every_control_column(checklist: Path) -> None:
    for name, rows in (("Stickprov", 4), ("Reserv", 4)):
        sheet = load_workbook(checklist)[name]
        columns = _headers(sheet)
        by_list = {v.formula1: str(v.sqref) for v in sheet.data_validations.dataValidation}
        dropped = sheet.cell(row=1, column=columns["Bortfall"]).column_letter
        first = sheet.cell(row=1, column=columns["Delaktighet"]).column_letter
        last = sheet.cell(row=1, column=columns["Beslut finns"]).column_letter
        assert by_list == {
            '"Ja,Nej"': f"{dropped}2:{dropped}{rows}",
            '"Ja,Nej,Ej tillämplig"': f"{first}2:{last}{rows}",
        }


def test_questions_as_header_comments_and_layout(checklist: Path) -> None:
    sheet = load_workbook(checklist)["Stickprov"]
    assert sheet["G1"].comment.text == "Framgår den enskildes delaktighet?"
    assert sheet["H1"].comment.text == "Finns ett beslut som motsvarar insatsen?"
    assert sheet.freeze_panes == "B2"
    assert sheet.auto_filter.ref == "A1:I4"
    assert sheet["I2"].alignment.wrap_text
    assert load_workbook(checklist)["Reserv"].freeze_panes == "C2"


def test_plan_sheet_labels_and_formats(checklist: Path) -> None:
    sheet = load_workbook(checklist)["Plan"]
    rows = {row[0].value: row[1] for row in sheet.iter_rows(min_row=2) if row[0].value}
    assert sheet["A1"].value == "Egenkontroll av utredningar"
    assert (rows["Konfidensnivå"].value, rows["Konfidensnivå"].number_format) == (0.95, "0%")
    tolerable = rows["Tolerabel avvikelsegrad"]
    assert (tolerable.value, tolerable.number_format) == (0.05, "0%")
    expected = rows["Förväntad avvikelsegrad"]
    assert (expected.value, expected.number_format) == (0.025, "0.0%")
    assert rows["Frö (seed)"].value == "12345678901234567890"  # exact: text, not a float
    assert rows["Stickprovets storlek (n)"].value == 3
    assert rows["Hemtjänst Norr"].value == 25
    assert rows["(ingen enhet)"].value == 15
    instructions = " ".join(str(key) for key in rows)
    assert "Bortfall" in instructions and "Reserv" in instructions and "fröet" in instructions


def test_round_trip_with_answer_spellings(checklist: Path) -> None:
    workbook = load_workbook(checklist)
    sample = workbook["Stickprov"]
    _fill(sample, 2, {"Delaktighet": "Ja", "Beslut finns": "nej", "Kommentar": "Saknar plan"})
    _fill(sample, 3, {"Delaktighet": "x", "Beslut finns": "E/T"})
    _fill(sample, 4, {"Bortfall": "Ja", "Kommentar": "Akten saknas"})
    _fill(workbook["Reserv"], 2, {"Delaktighet": 1, "Beslut finns": " ej aktuell "})
    workbook.save(checklist)

    answers = read_checklist(checklist, CONTROLS)
    assert [case.case_id for case in answers.sample] == ['=HYPERLINK("http://x")', "A-2", "A-3"]
    assert [case.answers for case in answers.sample] == [
        {"delaktighet": "ja", "beslut": "nej"},
        {"delaktighet": "ja", "beslut": "ej_tillämplig"},
        {"delaktighet": None, "beslut": None},
    ]
    assert [case.dropped for case in answers.sample] == [False, False, True]
    assert [case.comment for case in answers.sample] == ["Saknar plan", None, "Akten saknas"]
    assert answers.reserve[0].answers == {"delaktighet": "ja", "beslut": "ej_tillämplig"}
    assert {case.sheet for case in answers.reserve} == {"Reserv"}


@pytest.mark.parametrize(
    ("spelling", "answer"),
    [
        ("J", "ja"),
        ("JA", "ja"),
        ("X", "ja"),
        ("1", "ja"),
        (0, "nej"),
        ("N", "nej"),
        ("Ej tillämplig", "ej_tillämplig"),
        ("ET", "ej_tillämplig"),
        ("-", "ej_tillämplig"),
        ("Ej aktuell", "ej_tillämplig"),
    ],
)
def test_answer_synonyms(checklist: Path, spelling: Any, answer: str) -> None:
    workbook = load_workbook(checklist)
    _fill(workbook["Stickprov"], 2, {"Delaktighet": spelling})
    workbook.save(checklist)
    assert read_checklist(checklist, CONTROLS).sample[0].answers["delaktighet"] == answer


def test_reserve_order_kept_even_if_the_sheet_was_sorted(checklist: Path) -> None:
    workbook = load_workbook(checklist)
    reserve = workbook["Reserv"]
    rows = [[cell.value for cell in row] for row in reserve.iter_rows(min_row=2)]
    for offset, values in enumerate(reversed(rows)):  # the reviewer sorted Z-A
        for column, value in enumerate(values, start=1):
            reserve.cell(row=2 + offset, column=column).value = value
    workbook.save(checklist)
    answers = read_checklist(checklist.read_bytes(), CONTROLS)
    assert [(case.order, case.case_id) for case in answers.reserve] == [
        (1, "R-1"),
        (2, "R-2"),
        (3, "R-3"),
    ]
    assert [case.row for case in answers.reserve] == [4, 3, 2]


def test_unknown_answer_names_sheet_row_and_column(checklist: Path) -> None:
    workbook = load_workbook(checklist)
    _fill(workbook["Stickprov"], 7, {"Ärende-id": "A-7", "Delaktighet": "kanske"})
    _fill(workbook["Reserv"], 3, {"Beslut finns": "?"})
    workbook.save(checklist)
    with pytest.raises(ChecklistError) as caught:
        read_checklist(checklist, CONTROLS)
    assert caught.value.errors == [
        "okänt svar 'kanske' i rad 7, kolumn Delaktighet på bladet Stickprov",
        "okänt svar '?' i rad 3, kolumn Beslut finns på bladet Reserv",
    ]
    assert isinstance(caught.value, InvalidInputError)
    assert "Inget har sparats" in str(caught.value)


def test_at_most_twenty_errors_are_listed(checklist: Path) -> None:
    workbook = load_workbook(checklist)
    for row in range(2, 27):
        _fill(workbook["Stickprov"], row, {"Ärende-id": f"B-{row}", "Delaktighet": "kanske"})
    workbook.save(checklist)
    with pytest.raises(ChecklistError) as caught:
        read_checklist(checklist, CONTROLS)
    assert len(caught.value.errors) == 25
    message = str(caught.value)
    assert "rad 21," in message and "rad 22," not in message
    assert "och 5 fel till" in message


def test_missing_control_column_is_named(checklist: Path) -> None:
    workbook = load_workbook(checklist)
    workbook["Stickprov"].delete_cols(_headers(workbook["Stickprov"])["Beslut finns"])
    workbook.save(checklist)
    with pytest.raises(ChecklistError) as caught:
        read_checklist(checklist, CONTROLS)
    assert caught.value.errors == ["kolumnen Beslut finns saknas på bladet Stickprov"]


def test_control_not_in_the_file_is_reported_on_both_sheets(checklist: Path) -> None:
    extra = [*CONTROLS, ChecklistControl("plan", "Genomförandeplan", "Finns en plan?")]
    with pytest.raises(ChecklistError) as caught:
        read_checklist(checklist, extra)
    assert caught.value.errors == [
        "kolumnen Genomförandeplan saknas på bladet Stickprov",
        "kolumnen Genomförandeplan saknas på bladet Reserv",
    ]


def test_missing_sheet_and_duplicate_case_ids(checklist: Path) -> None:
    workbook = load_workbook(checklist)
    _fill(workbook["Stickprov"], 3, {"Ärende-id": "A-3"})  # now A-3 twice
    del workbook["Reserv"]
    workbook.save(checklist)
    with pytest.raises(ChecklistError) as caught:
        read_checklist(checklist, CONTROLS)
    assert caught.value.errors[0].startswith("bladet Reserv: Filen checklista.xlsx saknar bladet")
    assert caught.value.errors[1] == (
        "ärende-id 'A-3' förekommer flera gånger (rad 3 på bladet Stickprov och rad 4 på "
        "bladet Stickprov)"
    )


def test_not_an_xlsx_file(tmp_path: Path) -> None:
    path = tmp_path / "svar.csv"
    path.write_text("a;b\n")
    with pytest.raises(ChecklistError, match=r"svar\.csv är inte en Excel-arbetsbok"):
        read_checklist(path, CONTROLS)


def test_control_names_must_not_clash_with_case_columns(tmp_path: Path) -> None:
    clash = [ChecklistControl("kommentar", "Kommentar", "?")]
    with pytest.raises(ValueError, match="Kommentar"):
        write_checklist(tmp_path / "x.xlsx", PLAN, SAMPLE, RESERVE, clash)


def test_empty_reserve_is_written_and_read(tmp_path: Path) -> None:
    path = tmp_path / "utan reserv.xlsx"
    write_checklist(path, PLAN, SAMPLE, [], CONTROLS)
    assert load_workbook(path)["Reserv"].data_validations.dataValidation == []
    answers = read_checklist(path, CONTROLS)
    assert (len(answers.sample), answers.reserve) == (3, [])
