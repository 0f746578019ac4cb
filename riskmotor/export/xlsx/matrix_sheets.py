"""The workbook's Riskmatris and Skalor sheets: the grid in the catalog's colours, the scale
texts and which cells belong to each risk level."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from riskmotor.domain.catalog import Scale
from riskmotor.domain.terms import label
from riskmotor.export.xlsx.kit import (
    HEADER_FONT,
    TITLE_FONT,
    WRAP,
    Col,
    fill,
    print_setup,
    styled_table,
)
from riskmotor.export.xlsx.layout import footer
from riskmotor.export.xlsx.safe import write_cell
from riskmotor.reports.export import ExportData
from riskmotor.reports.matrix import MatrixCell, RiskMatrix

CELL_HEIGHT = 60  # points: room for the count, the risk value and a few ids


def _cell_text(cell: MatrixCell, legend: bool) -> str:
    if legend:
        return f"{cell.level_name} · riskvärde {cell.risk_value}"
    text = f"{cell.count} st · riskvärde {cell.risk_value}"
    ids = ", ".join(str(i) for i in cell.risk_ids)
    return f"{text}\nId: {ids}" if ids else text


def write_matrix(
    ws: Worksheet, top: int, matrix: RiskMatrix, heading: str, *, legend: bool = False
) -> int:
    """The grid in the catalog's colours with count and risk ids per cell (or, as a legend,
    the level name); returns the last row used."""
    write_cell(ws, top, 1, heading).font = TITLE_FONT
    header = top + 1
    write_cell(ws, header, 1, "Sannolikhet \\ Konsekvens").font = HEADER_FONT
    for col, name in enumerate(matrix.consequence_names, start=2):
        cell = write_cell(ws, header, col, f"{col - 1} {name}")
        cell.font = HEADER_FONT
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    for offset, row in enumerate(matrix.rows, start=1):
        r = header + offset
        likelihood = row[0].likelihood
        name = matrix.likelihood_names[likelihood - 1]
        write_cell(ws, r, 1, f"{likelihood} {name}").font = HEADER_FONT
        for col, cell_data in enumerate(row, start=2):
            cell = write_cell(ws, r, col, _cell_text(cell_data, legend))
            cell.fill = fill(cell_data.colour)
            cell.font = Font(color=cell_data.text_colour.lstrip("#").upper())
            cell.alignment = WRAP
        ws.row_dimensions[r].height = CELL_HEIGHT
    last = header + len(matrix.rows)
    if matrix.unplaced and not legend:
        last += 1
        unplaced = ", ".join(str(i) for i in matrix.unplaced)
        write_cell(ws, last, 1, f"Ej placerade (saknar bedömning): {unplaced}")
    return last


def matrix_sheet(wb: Workbook, data: ExportData) -> None:
    ws = wb.create_sheet("Riskmatris")
    ws.column_dimensions["A"].width = 26
    for col in range(2, len(data.inherent.consequence_names) + 2):
        ws.column_dimensions[get_column_letter(col)].width = 30
    last = write_matrix(ws, 1, data.inherent, label("inherent"))
    last = write_matrix(ws, last + 2, data.residual, label("residual"))
    write_cell(ws, last + 2, 1, "Id är riskens id på bladet Riskanalys.")
    print_setup(ws, footer(data))


def _scale_tables(ws: Worksheet, scale: Scale) -> int:
    """The likelihood and consequence levels with their texts; returns the last row."""
    last = styled_table(
        ws,
        3,
        "Skala_sannolikhet",
        [
            Col("Sannolikhet (nivå)", 12),
            Col("Benämning", 18),
            Col(label("description"), 50),
            Col("Sannolikhet från", 14, "0 %"),
            Col("Sannolikhet till", 14, "0 %"),
        ],
        [
            [lv.value, lv.name, lv.description, lv.probability_low, lv.probability_high]
            for lv in scale.likelihood
        ],
    )
    areas = scale.consequence_areas
    return styled_table(
        ws,
        last + 2,
        "Skala_konsekvens",
        [Col("Konsekvens (nivå)", 12), Col("Benämning", 18), Col(label("description"), 50)]
        + [Col(a.name, 30) for a in areas],
        [
            [lv.value, lv.name, lv.description, *(lv.area_texts.get(a.key, "") for a in areas)]
            for lv in scale.consequence
        ],
    )


def _level_legend(ws: Worksheet, top: int, scale: Scale, matrix: RiskMatrix) -> int:
    """Each risk level, its colour and the cells of the grid it covers; returns the last row."""
    level_cells: dict[str, list[str]] = {}
    for row in matrix.rows:
        for cell in row:
            level_cells.setdefault(cell.level, []).append(f"S{cell.likelihood}×K{cell.consequence}")
    levels = sorted(scale.risk_levels, key=lambda lv: lv.rank)
    last = styled_table(
        ws,
        top,
        "Risknivaer",
        [Col(label("level"), 12), Col("Färg", 18), Col("Celler i riskmatrisen", 50)],
        [[lv.name, lv.colour, ", ".join(level_cells.get(lv.key, []))] for lv in levels],
    )
    for offset, lv in enumerate(levels, start=1):
        ws.cell(row=top + offset, column=2).fill = fill(lv.colour)
    return last


def scales_sheet(wb: Workbook, data: ExportData) -> None:
    ws = wb.create_sheet("Skalor")
    scale = data.scale
    write_cell(ws, 1, 1, f"{scale.name}: {scale.description}").font = TITLE_FONT
    last = _scale_tables(ws, scale)
    last = _level_legend(ws, last + 2, scale, data.inherent)
    write_matrix(ws, last + 2, data.inherent, "Riskmatrisens färger", legend=True)
    print_setup(ws, footer(data))
