"""Unit tests of the egenkontroll checklist workbook (riskmotor.export.xlsx.checklist*).

Every file is saved and opened again with openpyxl, the way Excel would see it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from riskmotor.errors import InvalidInputError
from riskmotor.export.xlsx.checklist import (
    ChecklistCase,
    ChecklistControl,
    ChecklistError,
    ChecklistPlan,
    read_checklist,
    read_checklist_facts,
    write_checklist,
)

CONTROLS = [
    ChecklistControl("delaktighet", "Delaktighet", "Framgår den enskildes delaktighet?"),
    # Asked of SoL cases only: the LSS case gets "Ej tillämplig".
    ChecklistControl(
        "beslut", "Beslut finns", "Finns ett beslut som motsvarar insatsen?", ("sol",)
    ),
]
PLAN = ChecklistPlan(
    title="Egenkontroll av utredningar",
    namnd="Socialnämnden",
    period="2027-T1",
    confidence=0.95,
    tolerable_rate=0.05,
    expected_rate=0.025,
    method="binomial",
    sample_size=2,  # per stratum; the smaller stratum is reviewed in full
    allowed_deviations=0,
    seed=12345678901234567890,
    population_size=26,
    strata={"Hemtjänst Norr": (25, 2), "": (1, 1)},
    numpy_version="2.1.0",
    case_list_sha256="ab" * 32,
    created_at=datetime(2027, 1, 5, 9, 30),
)
SAMPLE = [
    ChecklistCase('=HYPERLINK("http://x")', "Hemtjänst Norr", date(2026, 11, 3), "SoL", "Anna"),
    ChecklistCase("A-2", "Hemtjänst Norr", date(2026, 12, 1), "SoL", "Bo"),
    ChecklistCase("A-3", "", None, "LSS", "Cia"),
]
RESERVE = [
    ChecklistCase(f"R-{index}", "", None, kind, "Dan")
    for index, kind in enumerate(("SoL", "SoL", "LSS"), start=1)
]


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
    # n per stratum and in total, beside N, so "n" is never read as the whole sample.
    assert rows["Populationens storlek (N)"].value == 26
    assert rows["Stickprov per stratum (högst)"].value == 2
    assert rows["Stickprovets storlek totalt (n)"].value == 3
    strata = {row[0].value: (row[1].value, row[2].value) for row in sheet.iter_rows(min_row=2)}
    assert strata["Hemtjänst Norr"] == (25, 2)
    assert strata["(ingen enhet)"] == (1, 1)
    assert strata["Totalt"] == (26, 3)
    # Each question, whom it is asked of and how many of the sampled cases that is.
    assert strata["Delaktighet"] == ("alla ärendetyper", 3)
    assert strata["Beslut finns"] == ("sol", 2)
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
        {"delaktighet": None, "beslut": "ej_tillämplig"},  # pre-filled: LSS
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


def test_a_question_not_asked_of_the_case_type_is_grey_locked_and_read_as_not_applicable(
    checklist: Path,
) -> None:
    sheet = load_workbook(checklist)["Stickprov"]
    columns = _headers(sheet)
    lss = sheet.cell(row=4, column=columns["Beslut finns"])  # A-3, an LSS case
    sol = sheet.cell(row=3, column=columns["Beslut finns"])
    assert (lss.value, lss.protection.locked, lss.fill.fgColor.rgb[-6:]) == (
        "Ej tillämplig",
        True,
        "D9D9D9",
    )
    assert (sol.value, sol.protection.locked) == (None, False)
    assert not sheet.cell(row=4, column=columns["Delaktighet"]).protection.locked
    assert not sheet.cell(row=4, column=columns["Kommentar"]).protection.locked
    assert sheet.cell(row=4, column=columns["Ärende-id"]).protection.locked
    assert sheet.protection.sheet and not sheet.protection.password
    assert not sheet.protection.autoFilter and not sheet.protection.sort  # still allowed
    assert read_checklist(checklist, CONTROLS).sample[2].answers["beslut"] == "ej_tillämplig"


def test_an_unused_reserve_case_is_unanswered_despite_its_pre_filled_cells(
    checklist: Path,
) -> None:
    workbook = load_workbook(checklist)
    reserve = workbook["Reserv"]
    assert reserve.cell(row=4, column=_headers(reserve)["Beslut finns"]).value == "Ej tillämplig"
    untouched = read_checklist(checklist, CONTROLS).reserve[2]
    assert untouched.answers == {"delaktighet": None, "beslut": None}
    _fill(reserve, 4, {"Delaktighet": "Nej"})
    workbook.save(checklist)
    used = read_checklist(checklist, CONTROLS).reserve[2]
    assert used.answers == {"delaktighet": "nej", "beslut": "ej_tillämplig"}


def test_case_sheets_print_on_a4_landscape_with_id_header_and_page_numbers(
    checklist: Path,
) -> None:
    workbook = load_workbook(checklist)
    for name, id_columns in (("Stickprov", "$A:$A"), ("Reserv", "$A:$B")):
        sheet = workbook[name]
        assert sheet.page_setup.orientation == "landscape"
        assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
        assert sheet.print_title_rows == "$1:$1"
        assert sheet.print_title_cols == id_columns
        assert sheet.oddHeader.left.text == "Socialnämnden"
        assert sheet.oddHeader.center.text == "Egenkontroll av utredningar – tertial 1 2027"
        assert sheet.oddHeader.right.text == "Kontrollmoment: Delaktighet, Beslut finns"
        assert sheet.oddFooter.center.text == "sida &P av &N"
        assert sheet["A2"].border.left.style == "thin"
        assert all(
            (sheet.row_dimensions[row].height or 0) >= 24 for row in range(2, sheet.max_row + 1)
        )


def test_without_a_namnd_the_header_leaves_a_line_to_write_it_on(tmp_path: Path) -> None:
    path = tmp_path / "utan nämnd.xlsx"
    unnamed = ChecklistPlan(**{**{f: getattr(PLAN, f) for f in PLAN.__slots__}, "namnd": ""})
    write_checklist(path, unnamed, SAMPLE, RESERVE, CONTROLS)
    assert load_workbook(path)["Stickprov"].oddHeader.left.text.startswith("Nämnd: ___")


def test_the_draw_facts_are_read_back_from_the_checklist(tmp_path: Path) -> None:
    """Without a database, evaluation needs N per stratum, confidence and tolerance from
    the file, and the stored draw is found again by its number, seed and list hash."""
    path = tmp_path / "checklista.xlsx"
    write_checklist(path, replace(PLAN, draw_id=17), SAMPLE, RESERVE, CONTROLS)
    facts = read_checklist_facts(path)
    assert (facts.namnd, facts.period, facts.draw_id) == ("Socialnämnden", "2027-T1", 17)
    assert (facts.confidence, facts.tolerable_rate) == (0.95, 0.05)
    assert facts.seed == 12345678901234567890 and facts.case_list_sha256 == "ab" * 32
    assert facts.strata == {"Hemtjänst Norr": (25, 2), "": (1, 1)}
    assert facts.census("") and not facts.census("Hemtjänst Norr")
    assert facts.control_keys == ["delaktighet", "beslut"]
    assert facts.stratum_of["A-2"] == "Hemtjänst Norr"
    assert facts.stratum_of["A-3"] == "" and facts.stratum_of["R-1"] == ""
    # A checklist made without a database has no draw number.
    assert read_checklist_facts(path.read_bytes()).draw_id == 17
    write_checklist(path, PLAN, SAMPLE, RESERVE, CONTROLS)
    assert read_checklist_facts(path).draw_id is None


def test_facts_of_a_file_that_is_not_a_checklist_name_what_is_missing(tmp_path: Path) -> None:
    path = tmp_path / "annat.xlsx"
    Workbook().save(path)
    with pytest.raises(ChecklistError, match="bladet Plan saknas"):
        read_checklist_facts(path)
