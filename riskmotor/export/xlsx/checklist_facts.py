"""Reading what a checklist says about its draw: the cover's plan, strata and populations,
the kontrollmoment keys and each listed case's stratum.

With these a filled-in checklist can be evaluated without a database (the cover carries the
population of every stratum, the confidence and the tolerance), and matched to the stored
draw it came from (draw number, seed and the case list's SHA-256).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from riskmotor.export.xlsx.checklist_model import (
    CASE_ID_HEADER,
    CASE_LIST_LABEL,
    CONFIDENCE_LABEL,
    CONTROLS_SHEET,
    DRAW_ID_LABEL,
    KEY_HEADER,
    METHOD_LABEL,
    NAMND_LABEL,
    NO_STRATUM,
    PERIOD_LABEL,
    PLAN_SHEET,
    RESERVE_SHEET,
    SAMPLE_SHEET,
    SEED_LABEL,
    STRATUM_HEADER,
    TOLERABLE_LABEL,
    TOTAL_ROW,
    WHOLE_LIST,
    ChecklistError,
    ChecklistFacts,
)
from riskmotor.imports import normalise_header

_PERIOD_WORDS = {"tertial": "T"}


def read_checklist_facts(source: bytes | Path) -> ChecklistFacts:
    """The draw's facts from the sheets "Plan", "Kontrollmoment", "Stickprov" and "Reserv".

    Raises :class:`ChecklistError` naming every missing or unreadable field.
    """
    if isinstance(source, Path) and source.suffix.casefold() != ".xlsx":
        raise ChecklistError([f"filen {source.name} är inte en Excel-arbetsbok (.xlsx)"])
    raw = source.read_bytes() if isinstance(source, Path) else bytes(source)
    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a file that is not xlsx
        raise ChecklistError([f"filen kan inte öppnas som Excel-arbetsbok ({error})"]) from error
    errors: list[str] = []
    missing = [
        name
        for name in (PLAN_SHEET, CONTROLS_SHEET, SAMPLE_SHEET, RESERVE_SHEET)
        if name not in workbook.sheetnames
    ]
    if missing:
        raise ChecklistError([f"bladet {name} saknas" for name in missing])
    fields, strata = _cover(workbook[PLAN_SHEET])
    facts = ChecklistFacts(
        namnd=_text(fields.get(NAMND_LABEL)),
        period=_period(_text(fields.get(PERIOD_LABEL))),
        method=_text(fields.get(METHOD_LABEL)),
        confidence=_share(fields, CONFIDENCE_LABEL, errors),
        tolerable_rate=_share(fields, TOLERABLE_LABEL, errors),
        seed=_whole(fields, SEED_LABEL, errors) or 0,
        case_list_sha256=_text(fields.get(CASE_LIST_LABEL)),
        draw_id=_whole(fields, DRAW_ID_LABEL, errors, required=False),
        strata=strata,
        control_keys=_control_keys(workbook[CONTROLS_SHEET]),
        stratum_of=_strata_of_cases(workbook, strata),
    )
    if not strata:
        errors.append(f"tabellen {STRATUM_HEADER} saknas på bladet {PLAN_SHEET}")
    if not facts.control_keys:
        errors.append(f"kolumnen {KEY_HEADER} på bladet {CONTROLS_SHEET} är tom")
    if errors:
        raise ChecklistError(errors)
    return facts


def _rows(ws: Worksheet) -> Iterator[tuple[Any, ...]]:
    yield from ws.iter_rows(values_only=True)


def _cover(ws: Worksheet) -> tuple[dict[str, Any], dict[str, tuple[int, int]]]:
    """The label/value fields and the strata table (population, n) of the cover."""
    fields: dict[str, Any] = {}
    strata: dict[str, tuple[int, int]] = {}
    in_strata = False
    for row in _rows(ws):
        first = _text(row[0] if row else None)
        if first == STRATUM_HEADER:
            in_strata = True
            continue
        if in_strata:
            if not first or first == TOTAL_ROW or not isinstance(row[1], int | float):
                in_strata = False
                continue
            strata["" if first == NO_STRATUM else first] = (int(row[1]), int(row[2] or 0))
        elif first and len(row) > 1 and first not in fields:
            fields[first] = row[1]
    return fields, strata


def _control_keys(ws: Worksheet) -> list[str]:
    rows = _rows(ws)
    header = [_text(cell) for cell in next(rows, ())]
    if KEY_HEADER not in header:
        return []
    column = header.index(KEY_HEADER)
    return [_text(row[column]) for row in rows if len(row) > column and _text(row[column])]


def _strata_of_cases(workbook: Any, strata: dict[str, tuple[int, int]]) -> dict[str, str]:
    """Each listed case's stratum. With one stratum every case is in it (an unstratified
    draw lists each case's unit, which is not its stratum); else the "Enhet" column."""
    only = next(iter(strata)) if len(strata) == 1 else None
    found: dict[str, str] = {}
    for sheet in (SAMPLE_SHEET, RESERVE_SHEET):
        rows = _rows(workbook[sheet])
        header = [normalise_header(_text(cell)) for cell in next(rows, ())]
        id_column = _index(header, CASE_ID_HEADER)
        unit_column = id_column + 1 if id_column is not None else None  # "Enhet" follows
        if id_column is None or unit_column is None:
            continue
        for row in rows:
            case_id = _text(row[id_column] if len(row) > id_column else None)
            if case_id:
                unit = _text(row[unit_column] if len(row) > unit_column else None)
                found[case_id] = only if only is not None else unit
    return found


def _index(header: list[str], name: str) -> int | None:
    wanted = normalise_header(name)
    return header.index(wanted) if wanted in header else None


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _period(text: str) -> str:
    """'tertial 1 2027' -> '2027-T1', 'år 2027' -> '2027', the whole list -> ''."""
    words = text.split()
    if text == WHOLE_LIST or not words:
        return ""
    if len(words) == 3 and words[0] in _PERIOD_WORDS:
        return f"{words[2]}-{_PERIOD_WORDS[words[0]]}{words[1]}"
    return words[-1]


def _share(fields: dict[str, Any], name: str, errors: list[str]) -> float:
    value = fields.get(name)
    if isinstance(value, int | float) and 0 < value < 1:
        return float(value)
    errors.append(f"{name} på bladet {PLAN_SHEET} saknas eller är ingen andel ({value!r})")
    return 0.0


def _whole(
    fields: dict[str, Any], name: str, errors: list[str], *, required: bool = True
) -> int | None:
    value = fields.get(name)
    if value is None and not required:
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    try:
        return int(str(value).strip())
    except ValueError:
        errors.append(f"{name} på bladet {PLAN_SHEET} saknas eller är inget heltal ({value!r})")
        return None
