"""Reading a filled-in egenkontroll checklist back: the answers per case, or every problem.

Columns are found by their header text, so the reviewer may sort, filter or move columns.
Evaluating the answers (deviation rates, limits) lives elsewhere.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from riskmotor.export.xlsx.checklist_model import (
    CASE_ID_HEADER,
    CASE_TYPE_HEADER,
    COMMENT_HEADER,
    DEFAULT_FILENAME,
    DROPPED_HEADER,
    ORDER_HEADER,
    RESERVE_SHEET,
    SAMPLE_SHEET,
    Answer,
    CaseAnswers,
    ChecklistAnswers,
    ChecklistControl,
    ChecklistError,
    SheetName,
    check_control_names,
)
from riskmotor.imports import (
    Column,
    RowError,
    Table,
    TableFormatError,
    parse_int,
    parse_optional_text,
    parse_text,
    read_table,
)

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


def read_checklist(source: bytes | Path, controls: Sequence[ChecklistControl]) -> ChecklistAnswers:
    """Read the answers on "Stickprov" and "Reserv" of a filled-in checklist.

    Raises :class:`ChecklistError` listing every problem (unknown answers, missing columns or
    sheets, duplicate case ids) if there is any, so that nothing half-read is stored.
    """
    check_control_names(controls)
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
    # Optional: without it every question counts as asked of the case.
    columns.append(Column("case_type", CASE_TYPE_HEADER, (), False, parse_optional_text))
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
    dropped = bool(row["dropped"])  # blank means no bortfall
    answers: dict[str, Answer | None] = {c.key: row[_control_key(c)] for c in controls}
    asked = [c.key for c in controls if c.applies(row.get("case_type"))]
    if sheet == RESERVE_SHEET and not dropped and all(answers[key] is None for key in asked):
        # An unused reserve case: its pre-filled "Ej tillämplig" cells are no answers.
        answers = dict.fromkeys(answers)
    return CaseAnswers(
        case_id=row["case_id"],
        sheet=sheet,
        row=row["_row"],
        order=row.get("order"),
        dropped=dropped,
        answers=answers,
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
