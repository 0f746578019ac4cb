"""The checklist's reading sheets: the cover ("Plan"), the questions ("Kontrollmoment") and
the printed frame every sheet shares (header with nämnd, period and kontrollmoment; footer
with page x of y and a line for the reviewer's signature)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime

from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from riskmotor.domain.terms import EXPORT_LABELS
from riskmotor.export.periods import period_name
from riskmotor.export.xlsx.checklist_model import (
    CASE_LIST_LABEL,
    CONFIDENCE_LABEL,
    DRAW_ID_LABEL,
    KEY_HEADER,
    METHOD_LABEL,
    NAMND_LABEL,
    NO_STRATUM,
    PERIOD_LABEL,
    SEED_LABEL,
    STRATUM_HEADER,
    TOLERABLE_LABEL,
    TOTAL_ROW,
    WHOLE_LIST,
    ChecklistCase,
    ChecklistControl,
    ChecklistPlan,
)
from riskmotor.export.xlsx.kit import (
    BORDER,
    CHAR_FACTOR,
    FONT_NAME,
    LINE_POINTS,
    WRAP,
    header_row,
    print_setup,
    set_widths,
)
from riskmotor.export.xlsx.safe import CellValue, write_cell, write_row

COVER_WIDTHS = (38.0, 38.0, 18.0)
CONTROL_WIDTHS = (20.0, 28.0, 70.0, 28.0)
HEADER_CONTROLS_CHARS = 70  # beyond this the header names the first kontrollmoment only
SIGNATURE = "Granskare: ____________________   Datum: ____________"
LEFT = Alignment(horizontal="left", vertical="top", wrap_text=True)
BOLD = Font(name=FONT_NAME, bold=True)

_INSTRUCTIONS = (
    "Så fyller du i checklistan",
    "1. Granska varje ärende på bladet Stickprov. Välj Ja, Nej eller Ej tillämplig i listan "
    "för varje kontrollmoment. Ja betyder att kravet är uppfyllt, Nej att det är en avvikelse. "
    "Frågorna står på bladet Kontrollmoment.",
    "2. Grå celler med Ej tillämplig är frågor som inte gäller ärendets ärendetyp. De är låsta; "
    "bladet är skyddat utan lösenord (Granska › Ta bort bladets skydd) om ni behöver sortera.",
    "3. Lämna cellen tom om momentet inte är granskat än. Skriv gärna iakttagelser i Kommentar.",
    "4. Bortfall: saknas akten eller kan ärendet inte granskas, välj Ja under Bortfall och skriv "
    "orsaken i Kommentar. Granska i stället nästa ärende på bladet Reserv, i tur och ordning "
    "efter kolumnen Ordning (1, 2, 3 …). Hoppa aldrig över ett reservärende.",
    "5. Ändra inte bladens namn eller kolumnrubrikerna: filen läses in igen när granskningen är "
    "klar.",
    "6. Urvalet kan göras om från samma ärendelista (kontrollsumman ovan) med fröet och "
    "numpy-versionen ovan.",
)


# --- the printed frame --------------------------------------------------------------------------


def _escape(text: str) -> str:
    return text.replace("&", "&&")  # '&' starts a header/footer code in Excel


def _controls_text(controls: Sequence[ChecklistControl]) -> str:
    names = ", ".join(control.name for control in controls)
    if len(names) <= HEADER_CONTROLS_CHARS or len(controls) < 2:
        return f"Kontrollmoment: {names}"
    return f"Kontrollmoment: {controls[0].name} m.fl. ({len(controls)} st.)"


def _heading(plan: ChecklistPlan) -> str:
    """The plan's name and period, without saying the period twice."""
    if not plan.period:
        return f"{plan.title} – hela ärendelistan"
    if plan.period in plan.title:
        return plan.title
    return f"{plan.title} – {period_name(plan.period)}"


def print_frame(
    ws: Worksheet,
    plan: ChecklistPlan,
    controls: Sequence[ChecklistControl],
    *,
    title_row: int | None = None,
    key_columns: int = 0,
    portrait: bool = False,
) -> None:
    """A4 (text at 70 % or more), header with nämnd, plan and period and (landscape)
    kontrollmoment, footer with the sheet, "sida x av y" and (landscape) a signature line.

    A portrait page is too narrow for three long header parts; the cover lists the
    kontrollmoment and has the signature lines in its body instead.
    """
    print_setup(ws, title_row=title_row, key_columns=key_columns)
    if key_columns:
        # The case id on every page, also when a wide list is printed across pages.
        ws.print_title_cols = f"A:{get_column_letter(key_columns)}"
    ws.oddHeader.left.text = _escape(plan.namnd or "Nämnd: ____________________")
    ws.oddFooter.left.text = _escape(ws.title)
    ws.oddFooter.center.text = "sida &P av &N"
    if portrait:
        ws.page_setup.orientation = "portrait"
        ws.oddHeader.right.text = _escape(_heading(plan))
    else:
        ws.oddHeader.center.text = _escape(_heading(plan))
        ws.oddHeader.right.text = _escape(_controls_text(controls))
        ws.oddFooter.right.text = _escape(SIGNATURE)
    for part in (ws.oddHeader.left, ws.oddHeader.center, ws.oddHeader.right):
        part.size = 9
    for part in (ws.oddFooter.left, ws.oddFooter.center, ws.oddFooter.right):
        part.size = 9
    ws.page_margins.top = ws.page_margins.bottom = 0.75  # inches: room for header and footer


def bold_header(ws: Worksheet, row: int, headers: Sequence[str]) -> None:
    """A shaded, bordered heading row in the workbook's font."""
    header_row(ws, row, headers, shaded=True)
    for cell in ws[row][: len(headers)]:
        cell.font, cell.border = BOLD, BORDER


# --- Plan ---------------------------------------------------------------------------------------


def write_cover(
    ws: Worksheet,
    plan: ChecklistPlan,
    sample: Sequence[ChecklistCase],
    controls: Sequence[ChecklistControl],
) -> None:
    """The sampling plan, the strata with per-stratum and total n, the questions with the
    cases they apply to, and how to fill in the list."""
    write_cell(ws, 1, 1, plan.title).font = Font(name=FONT_NAME, bold=True, size=14)
    write_cell(ws, 2, 1, "Checklista för aktgranskning").font = Font(name=FONT_NAME, italic=True)
    set_widths(ws, COVER_WIDTHS)
    row = _write_fields(ws, 4, plan)
    row = _write_strata(ws, row + 1, plan)
    row = _write_control_summary(ws, row + 1, sample, controls)
    print_frame(ws, plan, controls, portrait=True)  # measures all but the merged instructions
    _write_instructions(ws, row + 1)


def _plan_fields(plan: ChecklistPlan) -> list[tuple[str, CellValue, str | None]]:
    fields: list[tuple[str, CellValue, str | None]] = [
        (NAMND_LABEL, plan.namnd or None, None),  # blank: written in by hand
        (PERIOD_LABEL, period_name(plan.period) if plan.period else WHOLE_LIST, None),
        (METHOD_LABEL, plan.method, None),
        (CONFIDENCE_LABEL, plan.confidence, _percent_format(plan.confidence)),
        (TOLERABLE_LABEL, plan.tolerable_rate, _percent_format(plan.tolerable_rate)),
        ("Förväntad avvikelsegrad", plan.expected_rate, _percent_format(plan.expected_rate)),
        ("Populationens storlek (N)", plan.population_size, "0"),
    ]
    if len(plan.strata) > 1:
        # n is drawn per stratum (a smaller stratum is reviewed in full); say so, and give
        # the total beside N so "n" is never read as the whole sample.
        fields.append(("Stickprov per stratum (högst)", plan.sample_size, "0"))
    fields += [
        ("Stickprovets storlek totalt (n)", plan.total_sample, "0"),
        ("Tillåtna avvikelser", plan.allowed_deviations, "0"),
        # Text, not a number: Excel keeps only 15 significant digits and would change a seed.
        (SEED_LABEL, str(plan.seed), None),
        ("numpy-version", plan.numpy_version, None),
        (CASE_LIST_LABEL, plan.case_list_sha256, None),
        ("Skapad", _timestamp(plan.created_at), None),
        ("Granskare (namn)", None, None),  # written in by hand on the printed list
        ("Granskningen klar (datum)", None, None),
    ]
    if plan.draw_id is not None:
        # Lets `riskmotor sample evaluate --db` find the stored draw the list belongs to.
        fields.append((DRAW_ID_LABEL, plan.draw_id, "0"))
    return fields


def _write_fields(ws: Worksheet, row: int, plan: ChecklistPlan) -> int:
    """Label/value pairs with borders; returns the first free row."""
    for name, value, number_format in _plan_fields(plan):
        label_cell = write_cell(ws, row, 1, name)
        label_cell.font, label_cell.alignment, label_cell.border = BOLD, WRAP, BORDER
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=3)
        cell = write_cell(ws, row, 2, value)
        cell.alignment, cell.border = LEFT, BORDER
        ws.cell(row=row, column=3).border = BORDER
        if number_format:
            cell.number_format = number_format
        row += 1
    return row


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


def _bordered_table(
    ws: Worksheet, row: int, headers: Sequence[str], rows: Sequence[Sequence[CellValue]]
) -> int:
    """A small bordered table with a shaded heading; returns the first free row."""
    bold_header(ws, row, headers)
    for values in rows:
        row += 1
        for cell in write_row(ws, row, values):
            cell.border, cell.alignment = BORDER, LEFT
    return row + 1


def _write_strata(ws: Worksheet, row: int, plan: ChecklistPlan) -> int:
    """Population and n per stratum, with the totals when there is more than one."""
    rows: list[list[CellValue]] = [
        [stratum or NO_STRATUM, population, size]
        for stratum, (population, size) in plan.strata.items()
    ]
    if len(rows) > 1:
        rows.append([TOTAL_ROW, sum(p for p, _ in plan.strata.values()), plan.total_sample])
    end = _bordered_table(ws, row, (STRATUM_HEADER, "Population (N)", "Stickprov (n)"), rows)
    if len(rows) > 1:
        for cell in ws[end - 1][:3]:
            cell.font = BOLD
    return end


def _write_control_summary(
    ws: Worksheet, row: int, sample: Sequence[ChecklistCase], controls: Sequence[ChecklistControl]
) -> int:
    """Each question, the ärendetyper it is asked of, and how many sampled cases that is."""
    rows: list[list[CellValue]] = [
        [control.name, control.applies_to_text, sum(control.applies(c.case_type) for c in sample)]
        for control in controls
    ]
    headers = (EXPORT_LABELS["control_activity"], "Gäller ärendetyper", "Ärenden i stickprovet")
    return _bordered_table(ws, row, headers, rows)


def _write_instructions(ws: Worksheet, row: int) -> None:
    """One wrapped paragraph per step across the three columns (merged), sized to its text."""
    width = sum(COVER_WIDTHS)
    for offset, line in enumerate(_INSTRUCTIONS):
        ws.merge_cells(start_row=row + offset, start_column=1, end_row=row + offset, end_column=3)
        cell = write_cell(ws, row + offset, 1, line)
        cell.alignment = LEFT
        if offset == 0:
            cell.font = BOLD
        _fit(ws, row + offset, line, width)


def _fit(ws: Worksheet, row: int, text: str, width: float) -> None:
    """Row height for text wrapped across ``width`` characters of merged cells (the kit
    measures only the first column, which would make these rows far too tall)."""
    per_line = max(1, int(width / CHAR_FACTOR))
    lines = sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))
    ws.row_dimensions[row].height = lines * LINE_POINTS


# --- Kontrollmoment -----------------------------------------------------------------------------


def write_controls(
    ws: Worksheet, plan: ChecklistPlan, controls: Sequence[ChecklistControl]
) -> None:
    """The questions in full, since a header comment is not printed."""
    bold_header(
        ws, 1, (KEY_HEADER, EXPORT_LABELS["control_activity"], "Fråga", "Gäller ärendetyper")
    )
    for row, control in enumerate(controls, start=2):
        values = (control.key, control.name, control.question, control.applies_to_text)
        for cell in write_row(ws, row, values):
            cell.alignment, cell.border = WRAP, BORDER
    ws.freeze_panes = "A2"
    set_widths(ws, CONTROL_WIDTHS)
    print_frame(ws, plan, controls, title_row=1)
