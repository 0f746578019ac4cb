"""The egenkontroll checklist workbook: written for the reviewer, read back with the answers.

Sheets: "Plan" (the sampling plan and how to fill in the list), "Stickprov" (one row per sampled
case), "Reserv" (replacement cases in the order they must be used) and "Kontrollmoment" (the
questions). Columns are found again by their header text when the file is read back, so the
reviewer may sort, filter or move columns. No personnummer or pseudonym is ever written.

This module is only file I/O; evaluating the answers (deviation rates, limits) lives elsewhere.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from riskmotor.errors import InvalidInputError
from riskmotor.export.xlsx_safe import write_cell, write_row
from riskmotor.imports.tabular import (
    Column,
    RowError,
    Table,
    TableFormatError,
    normalise_header,
    parse_int,
    parse_optional_text,
    parse_text,
    read_table,
)

Answer = Literal["ja", "nej", "ej_tillämplig"]
SheetName = Literal["Stickprov", "Reserv"]

PLAN_SHEET = "Plan"
SAMPLE_SHEET: SheetName = "Stickprov"
RESERVE_SHEET: SheetName = "Reserv"
CONTROLS_SHEET = "Kontrollmoment"

ORDER_HEADER = "Ordning"
CASE_ID_HEADER = "Ärende-id"
DROPPED_HEADER = "Bortfall"
COMMENT_HEADER = "Kommentar"
CASE_HEADERS = (CASE_ID_HEADER, "Enhet", "Avslutad", "Ärendetyp", "Handläggare", DROPPED_HEADER)
CASE_WIDTHS = (16, 22, 12, 20, 18, 10)
ANSWER_CHOICES = ("Ja", "Nej", "Ej tillämplig")
MAX_LISTED_ERRORS = 20
DEFAULT_FILENAME = "checklista.xlsx"

_ANSWER_SPELLINGS: dict[str, Answer] = {
    **dict.fromkeys(("ja", "j", "x", "1", "yes"), "ja"),
    **dict.fromkeys(("nej", "n", "0", "no"), "nej"),
    **dict.fromkeys(
        (
            "ej tillämplig",
            "ej tillämpligt",
            "ej_tillämplig",
            "e/t",
            "et",
            "e t",
            "-",
            "–",  # Excel's autocorrect turns a typed '-' into an en dash
            "ej aktuell",
            "ej aktuellt",
        ),
        "ej_tillämplig",
    ),
}
_DROPPED_SPELLINGS: dict[str, bool] = {
    **dict.fromkeys(("ja", "j", "x", "1", "yes"), True),
    **dict.fromkeys(("nej", "n", "0", "no"), False),
}

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDE5EE")
_WRAP = Alignment(wrap_text=True, vertical="top")


class ChecklistError(InvalidInputError):
    """The checklist could not be read; ``errors`` lists every problem, nothing was stored."""

    def __init__(self, errors: Sequence[str]) -> None:
        self.errors = list(errors)
        listed = [f"- {error}" for error in self.errors[:MAX_LISTED_ERRORS]]
        if len(self.errors) > MAX_LISTED_ERRORS:
            listed.append(f"- … och {len(self.errors) - MAX_LISTED_ERRORS} fel till")
        super().__init__(
            f"Checklistan kunde inte läsas in ({len(self.errors)} fel). Inget har sparats.\n"
            + "\n".join(listed)
        )


# --- what is written ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChecklistPlan:
    """The sampling plan as shown on the cover sheet; rates are fractions (0.05 = 5 %)."""

    title: str
    namnd: str
    period: str
    confidence: float
    tolerable_rate: float
    expected_rate: float
    method: str
    sample_size: int
    allowed_deviations: int
    seed: int
    population_size: int
    strata: Mapping[str, tuple[int, int]]  # stratum (enhet) -> (population, n)
    numpy_version: str
    case_list_sha256: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ChecklistCase:
    """One case to review. Deliberately without any personnummer or pseudonym field."""

    case_id: str
    stratum: str
    closed_date: date | None
    case_type: str
    handler: str


@dataclass(frozen=True, slots=True)
class ChecklistControl:
    """A kontrollmoment: one answer column, headed by ``name``, asking ``question``."""

    key: str
    name: str
    question: str


# --- what is read back --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CaseAnswers:
    """The reviewer's answers for one case. An answer of None means not reviewed yet."""

    case_id: str
    sheet: SheetName
    row: int
    order: int | None  # position in the reserve list; None on Stickprov
    dropped: bool  # bortfall: the file is missing or cannot be reviewed
    answers: dict[str, Answer | None]  # control key -> answer
    comment: str | None


@dataclass(frozen=True, slots=True)
class ChecklistAnswers:
    """All answers of a checklist file; ``reserve`` is in the order the cases must be used."""

    sample: list[CaseAnswers]
    reserve: list[CaseAnswers]
    sha256: str


# --- writing --------------------------------------------------------------------------------------


def write_checklist(
    path: Path,
    plan: ChecklistPlan,
    sample: Sequence[ChecklistCase],
    reserve: Sequence[ChecklistCase],
    controls: Sequence[ChecklistControl],
) -> None:
    """Write the checklist workbook to ``path`` (parent folders are created)."""
    _check_control_names(controls)
    workbook = Workbook()
    plan_sheet = workbook.active
    plan_sheet.title = PLAN_SHEET
    _write_plan(plan_sheet, plan)
    _write_cases(workbook.create_sheet(SAMPLE_SHEET), sample, controls, ordered=False)
    _write_cases(workbook.create_sheet(RESERVE_SHEET), reserve, controls, ordered=True)
    _write_controls(workbook.create_sheet(CONTROLS_SHEET), controls)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)


def _check_control_names(controls: Sequence[ChecklistControl]) -> None:
    """Control names become headers, so they must differ from each other and the case columns."""
    taken = {normalise_header(name) for name in (ORDER_HEADER, *CASE_HEADERS, COMMENT_HEADER)}
    for control in controls:
        name = normalise_header(control.name)
        if not name or name in taken:
            raise ValueError(f"control name {control.name!r} is empty or used twice as a header")
        taken.add(name)


def _write_plan(ws: Worksheet, plan: ChecklistPlan) -> None:
    write_cell(ws, 1, 1, plan.title).font = Font(bold=True, size=14)
    row = 3
    for label, value, number_format in _plan_fields(plan):
        write_cell(ws, row, 1, label).font = _HEADER_FONT
        cell = write_cell(ws, row, 2, value)
        cell.alignment = Alignment(horizontal="left")
        if number_format:
            cell.number_format = number_format
        row += 1
    row = _write_strata(ws, row + 1, plan.strata)
    _write_instructions(ws, row + 1)
    ws.column_dimensions["A"].width = 38
    ws.column_dimensions["B"].width = 68
    ws.column_dimensions["C"].width = 16


def _plan_fields(plan: ChecklistPlan) -> list[tuple[str, Any, str | None]]:
    return [
        ("Nämnd", plan.namnd, None),
        ("Period", plan.period, None),
        ("Metod", plan.method, None),
        ("Konfidensnivå", plan.confidence, _percent_format(plan.confidence)),
        ("Tolerabel avvikelsegrad", plan.tolerable_rate, _percent_format(plan.tolerable_rate)),
        ("Förväntad avvikelsegrad", plan.expected_rate, _percent_format(plan.expected_rate)),
        ("Populationens storlek (N)", plan.population_size, "0"),
        ("Stickprovets storlek (n)", plan.sample_size, "0"),
        ("Tillåtna avvikelser", plan.allowed_deviations, "0"),
        # Text, not a number: Excel keeps only 15 significant digits and would change a seed.
        ("Frö (seed)", str(plan.seed), None),
        ("numpy-version", plan.numpy_version, None),
        ("Ärendelistans kontrollsumma (SHA-256)", plan.case_list_sha256, None),
        ("Skapad", _timestamp(plan.created_at), None),
    ]


def _percent_format(rate: float) -> str:
    """As few decimals as the rate needs: 95 %, 2,5 %, 0,25 %."""
    for decimals in range(3):
        if round(rate * 100 * 10**decimals, 6).is_integer():
            return "0%" if decimals == 0 else f"0.{'0' * decimals}%"
    return "0.00%"


def _timestamp(moment: datetime) -> str:
    """Text with the UTC offset if known: Excel cannot store time zones in a date cell."""
    text = moment.isoformat(sep=" ", timespec="minutes")
    return text.replace("+00:00", " UTC")


def _write_strata(ws: Worksheet, row: int, strata: Mapping[str, tuple[int, int]]) -> int:
    """The allocation per stratum as a small table; returns the first free row."""
    for cell in write_row(ws, row, ("Stratum (enhet)", "Population", "Stickprov (n)")):
        cell.font = _HEADER_FONT
    for stratum, (population, size) in strata.items():
        row += 1
        write_row(ws, row, (stratum or "(ingen enhet)", population, size))
    return row + 1


_INSTRUCTIONS = (
    "Så fyller du i checklistan",
    "1. Granska varje ärende på bladet Stickprov. Välj Ja, Nej eller Ej tillämplig i listan "
    "för varje kontrollmoment.",
    "   Ja betyder att kravet är uppfyllt, Nej att det är en avvikelse. Frågan står som "
    "kommentar på kolumnrubriken och på bladet Kontrollmoment.",
    "2. Lämna cellen tom om momentet inte är granskat än. Skriv gärna iakttagelser i Kommentar.",
    "3. Bortfall: saknas akten eller kan ärendet inte granskas, välj Ja under Bortfall och "
    "skriv orsaken i Kommentar.",
    "   Granska i stället nästa ärende på bladet Reserv, i tur och ordning efter kolumnen "
    "Ordning (1, 2, 3 …). Hoppa aldrig över ett reservärende.",
    "4. Ändra inte bladens namn eller kolumnrubrikerna; filen läses in i riskmotor igen.",
    "5. Urvalet kan göras om från samma ärendelista (kontrollsumman ovan) med fröet och "
    "numpy-versionen ovan.",
)


def _write_instructions(ws: Worksheet, row: int) -> None:
    # One line per cell without wrapping: the text flows over the empty cells to the right.
    for offset, line in enumerate(_INSTRUCTIONS):
        cell = write_cell(ws, row + offset, 1, line)
        if offset == 0:
            cell.font = _HEADER_FONT


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
    _write_header(ws, headers)
    for index, case in enumerate(cases, start=1):
        row = index + 1
        values = [case.case_id, case.stratum, case.closed_date, case.case_type, case.handler]
        cells = write_row(ws, row, [*([index] * lead), *values])
        cells[lead + 2].number_format = "yyyy-mm-dd"
        write_cell(ws, row, len(headers), None).alignment = _WRAP
    first_control = lead + len(CASE_HEADERS) + 1
    _annotate_controls(ws, controls, first_control)
    _add_validations(ws, len(cases), lead + len(CASE_HEADERS), first_control, len(controls))
    _layout(ws, headers, lead, len(cases))


def _write_header(ws: Worksheet, headers: Sequence[str]) -> None:
    for cell in write_row(ws, 1, headers):
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = _WRAP


def _annotate_controls(
    ws: Worksheet, controls: Sequence[ChecklistControl], first_column: int
) -> None:
    for offset, control in enumerate(controls):
        comment = Comment(control.question, "riskmotor")
        comment.width, comment.height = 320, 140  # points; the default box cuts most questions
        ws.cell(row=1, column=first_column + offset).comment = comment


def _add_validations(
    ws: Worksheet, case_count: int, dropped_column: int, first_control: int, control_count: int
) -> None:
    """Drop-down lists: Ja/Nej for Bortfall and Ja/Nej/Ej tillämplig for every control."""
    if case_count == 0:
        return
    last_row = case_count + 1
    dropped = _list_validation(("Ja", "Nej"))
    letter = get_column_letter(dropped_column)
    dropped.add(f"{letter}2:{letter}{last_row}")
    ws.add_data_validation(dropped)
    if control_count == 0:
        return
    answers = _list_validation(ANSWER_CHOICES)
    first = get_column_letter(first_control)
    last = get_column_letter(first_control + control_count - 1)
    answers.add(f"{first}2:{last}{last_row}")
    ws.add_data_validation(answers)


def _list_validation(choices: Sequence[str]) -> DataValidation:
    shown = ", ".join(choices[:-1]) + " eller " + choices[-1]
    return DataValidation(
        type="list",
        formula1='"' + ",".join(choices) + '"',  # the file format always separates with ','
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Ogiltigt svar",
        error=f"Välj {shown} i listan.",
    )


def _layout(ws: Worksheet, headers: Sequence[str], lead: int, case_count: int) -> None:
    last_column = get_column_letter(len(headers))
    ws.auto_filter.ref = f"A1:{last_column}{case_count + 1}"
    # Keep the header row and the case id (plus Ordning) in view while scrolling.
    ws.freeze_panes = ws.cell(row=2, column=lead + 2).coordinate
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    widths = [*([9] * lead), *CASE_WIDTHS]
    widths += [min(40, max(14, len(name) + 2)) for name in headers[len(widths) : -1]]
    widths.append(50)
    for column, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width


def _write_controls(ws: Worksheet, controls: Sequence[ChecklistControl]) -> None:
    _write_header(ws, ("Nyckel", "Kontrollmoment", "Fråga"))
    for row, control in enumerate(controls, start=2):
        cells = write_row(ws, row, (control.key, control.name, control.question))
        cells[2].alignment = _WRAP
    ws.freeze_panes = "A2"
    for letter, width in zip("ABC", (22, 32, 80), strict=True):
        ws.column_dimensions[letter].width = width


# --- reading ----------------------------------------------------------------------------------


def read_checklist(source: bytes | Path, controls: Sequence[ChecklistControl]) -> ChecklistAnswers:
    """Read the answers on "Stickprov" and "Reserv" of a filled-in checklist.

    Raises :class:`ChecklistError` listing every problem (unknown answers, missing columns or
    sheets, duplicate case ids) if there is any, so that nothing half-read is stored.
    """
    _check_control_names(controls)
    filename = source.name if isinstance(source, Path) else DEFAULT_FILENAME
    if Path(filename).suffix.casefold() != ".xlsx":
        raise ChecklistError([f"filen {filename} är inte en Excel-arbetsbok (.xlsx)"])
    raw = source.read_bytes() if isinstance(source, Path) else bytes(source)
    errors: list[str] = []
    sample = _read_cases(raw, filename, SAMPLE_SHEET, controls, errors)
    reserve = _read_cases(raw, filename, RESERVE_SHEET, controls, errors)
    reserve.sort(key=lambda case: case.order or 0)  # the reviewer may have sorted the sheet
    errors.extend(_duplicates(sample + reserve))
    errors.extend(_order_problems(reserve))
    if errors:
        raise ChecklistError(errors)
    return ChecklistAnswers(sample, reserve, hashlib.sha256(raw).hexdigest())


def parse_answer(value: Any) -> Answer:
    """One answer cell: Ja/J/X/1, Nej/N/0 or Ej tillämplig/E/T/ET/-/Ej aktuell, any case."""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    text = " ".join(_cell_text(value).casefold().split())
    answer = _ANSWER_SPELLINGS.get(text)
    if answer is None:
        raise ValueError(f"okänt svar '{_cell_text(value)}'")
    return answer


def _parse_dropped(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    dropped = _DROPPED_SPELLINGS.get(" ".join(_cell_text(value).casefold().split()))
    if dropped is None:
        raise ValueError(f"okänt svar '{_cell_text(value)}' (välj Ja eller Nej)")
    return dropped


def _cell_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _control_key(control: ChecklistControl) -> str:
    return f"control:{control.key}"  # cannot clash with the fixed column keys below


def _reading_columns(controls: Sequence[ChecklistControl], sheet: SheetName) -> list[Column]:
    columns = [Column("case_id", CASE_ID_HEADER, ("ärendeid", "ärendenummer"), True, parse_text)]
    if sheet == RESERVE_SHEET:
        columns.append(Column("order", ORDER_HEADER, (), True, parse_int))
    # Optional for read_table (a blank cell is allowed); presence is checked afterwards.
    columns.append(Column("dropped", DROPPED_HEADER, (), False, _parse_dropped))
    columns += [Column(_control_key(c), c.name, (), False, parse_answer) for c in controls]
    columns.append(Column("comment", COMMENT_HEADER, (), False, parse_optional_text))
    return columns


def _read_cases(
    raw: bytes,
    filename: str,
    sheet: SheetName,
    controls: Sequence[ChecklistControl],
    errors: list[str],
) -> list[CaseAnswers]:
    try:
        table = read_table(raw, filename, _reading_columns(controls, sheet), sheet=sheet)
    except TableFormatError as error:
        errors.append(f"bladet {sheet}: {error}")
        return []
    errors.extend(_missing_columns(table, sheet, controls))
    errors.extend(_row_message(error, sheet) for error in table.errors)
    return [_case_answers(row, sheet, controls) for row in table.rows]


def _missing_columns(
    table: Table, sheet: SheetName, controls: Sequence[ChecklistControl]
) -> list[str]:
    wanted = [("dropped", DROPPED_HEADER), *((_control_key(c), c.name) for c in controls)]
    return [
        f"kolumnen {label} saknas på bladet {sheet}"
        for key, label in wanted
        if key not in table.headers
    ]


def _row_message(error: RowError, sheet: SheetName) -> str:
    return f"{error.problem} i rad {error.row}, kolumn {error.column} på bladet {sheet}"


def _case_answers(
    row: Mapping[str, Any], sheet: SheetName, controls: Sequence[ChecklistControl]
) -> CaseAnswers:
    return CaseAnswers(
        case_id=row["case_id"],
        sheet=sheet,
        row=row["_row"],
        order=row.get("order"),
        dropped=bool(row["dropped"]),  # blank means no bortfall
        answers={c.key: row[_control_key(c)] for c in controls},
        comment=row["comment"],
    )


def _duplicates(cases: Sequence[CaseAnswers]) -> list[str]:
    seen: dict[str, CaseAnswers] = {}
    problems: list[str] = []
    for case in cases:
        first = seen.setdefault(case.case_id, case)
        if first is not case:
            problems.append(
                f"ärende-id '{case.case_id}' förekommer flera gånger (rad {first.row} på bladet "
                f"{first.sheet} och rad {case.row} på bladet {case.sheet})"
            )
    return problems


def _order_problems(reserve: Sequence[CaseAnswers]) -> list[str]:
    orders = [case.order for case in reserve]
    if len(set(orders)) == len(orders):
        return []
    return [f"kolumnen {ORDER_HEADER} på bladet {RESERVE_SHEET} har samma nummer flera gånger"]
