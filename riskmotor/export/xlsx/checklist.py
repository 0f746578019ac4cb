"""The egenkontroll checklist workbook: written for the reviewer, read back with the answers.

Sheets: "Plan" (the sampling plan and how to fill in the list), "Stickprov" (one row per sampled
case), "Reserv" (replacement cases in the order they must be used) and "Kontrollmoment" (the
questions). Every sheet prints on A4 with borders, the heading row and the case id on every
page, and a header naming nämnd, period and kontrollmoment. A question that does not apply to a
case's ärendetyp is filled in as "Ej tillämplig", grey and locked. Columns are found again by
their header text when the file is read back. No personnummer or pseudonym is ever written.

This module is only file I/O; evaluating the answers (deviation rates, limits) lives elsewhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from riskmotor.export.xlsx.checklist_cover import (
    bold_header,
    print_frame,
    write_controls,
    write_cover,
)
from riskmotor.export.xlsx.checklist_facts import read_checklist_facts
from riskmotor.export.xlsx.checklist_model import (
    ANSWER_CHOICES,
    CASE_HEADERS,
    CASE_WIDTHS,
    COMMENT_HEADER,
    CONTROLS_SHEET,
    DROPPED_CHOICES,
    NOT_APPLICABLE,
    ORDER_HEADER,
    PLAN_SHEET,
    RESERVE_SHEET,
    SAMPLE_SHEET,
    CaseAnswers,
    ChecklistAnswers,
    ChecklistCase,
    ChecklistControl,
    ChecklistError,
    ChecklistFacts,
    ChecklistPlan,
    check_control_names,
)
from riskmotor.export.xlsx.checklist_reading import read_checklist
from riskmotor.export.xlsx.kit import BORDER, DATE, FONT_NAME, WRAP, add_list, fill, set_widths
from riskmotor.export.xlsx.safe import write_cell

# The checklist's public names, so callers import them from one module.
__all__ = [
    "CaseAnswers",
    "ChecklistAnswers",
    "ChecklistCase",
    "ChecklistControl",
    "ChecklistError",
    "ChecklistFacts",
    "ChecklistPlan",
    "read_checklist",
    "read_checklist_facts",
    "write_checklist",
]
INVALID = "Ogiltigt svar"
ORDER_WIDTH = 8
CONTROL_WIDTH = 15  # holds "Ej tillämplig" on one line; longer names wrap in the heading
COMMENT_WIDTH = 30
ROW_POINTS = 24  # room to write an answer by hand on the printed list
NOT_APPLICABLE_FILL = "#D9D9D9"
NOT_APPLICABLE_FONT = Font(name=FONT_NAME, italic=True, color="595959")
UNLOCKED = Protection(locked=False)
CENTRE = Alignment(vertical="center")
CENTRE_WRAP = Alignment(vertical="center", wrap_text=True)


def write_checklist(
    path: Path,
    plan: ChecklistPlan,
    sample: Sequence[ChecklistCase],
    reserve: Sequence[ChecklistCase],
    controls: Sequence[ChecklistControl],
) -> None:
    """Write the checklist workbook to ``path`` (parent folders are created)."""
    check_control_names(controls)
    workbook = Workbook()
    cover = workbook.active
    cover.title = PLAN_SHEET
    write_cover(cover, plan, sample, controls)
    for title, cases, ordered in ((SAMPLE_SHEET, sample, False), (RESERVE_SHEET, reserve, True)):
        ws = workbook.create_sheet(title)
        _write_cases(ws, cases, controls, ordered=ordered)
        print_frame(ws, plan, controls, title_row=1, key_columns=2 if ordered else 1)
    write_controls(workbook.create_sheet(CONTROLS_SHEET), plan, controls)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)


def _write_cases(
    ws: Worksheet,
    cases: Sequence[ChecklistCase],
    controls: Sequence[ChecklistControl],
    *,
    ordered: bool,
) -> None:
    lead = 1 if ordered else 0  # the reserve sheet has "Ordning" first
    headers = [*([ORDER_HEADER] * lead), *CASE_HEADERS, *(c.name for c in controls)]
    headers.append(COMMENT_HEADER)
    bold_header(ws, 1, headers)
    first_control = lead + len(CASE_HEADERS) + 1
    for index, case in enumerate(cases, start=1):
        _write_case(ws, index + 1, [*([index] * lead)], case, controls, first_control)
    _annotate_controls(ws, controls, first_control)
    _add_validations(ws, len(cases), lead + len(CASE_HEADERS), first_control, len(controls))
    _layout(ws, headers, lead, len(cases))


def _write_case(
    ws: Worksheet,
    row: int,
    lead: list[int],
    case: ChecklistCase,
    controls: Sequence[ChecklistControl],
    first_control: int,
) -> None:
    """One case: its facts (locked), Bortfall, one answer cell per question, Kommentar."""
    values = [*lead, case.case_id, case.stratum, case.closed_date, case.case_type, case.handler]
    for column, value in enumerate(values, start=1):
        cell = write_cell(ws, row, column, value)
        cell.border, cell.alignment = BORDER, CENTRE_WRAP
    ws.cell(row=row, column=len(lead) + 3).number_format = DATE
    ws.cell(row=row, column=len(lead) + 3).alignment = CENTRE  # a date never wraps
    dropped = ws.cell(row=row, column=first_control - 1)
    dropped.border, dropped.alignment, dropped.protection = BORDER, CENTRE, UNLOCKED
    for offset, control in enumerate(controls):
        cell = ws.cell(row=row, column=first_control + offset)
        cell.border, cell.alignment = BORDER, CENTRE
        if control.applies(case.case_type):
            cell.protection = UNLOCKED
        else:
            write_cell(ws, row, cell.column, NOT_APPLICABLE)
            cell.fill, cell.font = fill(NOT_APPLICABLE_FILL), NOT_APPLICABLE_FONT
    comment = write_cell(ws, row, first_control + len(controls), None)
    comment.border, comment.alignment, comment.protection = BORDER, WRAP, UNLOCKED
    ws.row_dimensions[row].height = ROW_POINTS


def _annotate_controls(
    ws: Worksheet, controls: Sequence[ChecklistControl], first_column: int
) -> None:
    for offset, control in enumerate(controls):
        comment = Comment(control.question, "Egenkontroll")
        comment.width, comment.height = 320, 140  # points; the default box cuts most questions
        ws.cell(row=1, column=first_column + offset).comment = comment


def _add_validations(
    ws: Worksheet, case_count: int, dropped_column: int, first_control: int, control_count: int
) -> None:
    """Drop-down lists: Ja/Nej for Bortfall and Ja/Nej/Ej tillämplig for every control."""
    if case_count == 0:
        return
    last_row = case_count + 1
    add_list(ws, DROPPED_CHOICES, dropped_column, 2, dropped_column, last_row, title=INVALID)
    if control_count == 0:
        return
    last_control = first_control + control_count - 1
    add_list(ws, ANSWER_CHOICES, first_control, 2, last_control, last_row, title=INVALID)


def _layout(ws: Worksheet, headers: Sequence[str], lead: int, case_count: int) -> None:
    last_column = get_column_letter(len(headers))
    ws.auto_filter.ref = f"A1:{last_column}{case_count + 1}"
    # Keep the header row and the case id (plus Ordning) in view while scrolling.
    ws.freeze_panes = ws.cell(row=2, column=lead + 2).coordinate
    control_count = len(headers) - lead - len(CASE_HEADERS) - 1
    widths = [*([ORDER_WIDTH] * lead), *CASE_WIDTHS, *([CONTROL_WIDTH] * control_count)]
    set_widths(ws, [*widths, COMMENT_WIDTH])
    # Locked: the case facts and the "Ej tillämplig" cells. No password, and sorting and
    # filtering stay allowed, so the protection guards against slips, not against the reviewer.
    protection = ws.protection
    protection.sheet = True
    protection.autoFilter = protection.sort = False
    protection.formatColumns = protection.formatRows = protection.formatCells = False
