"""The one styling kit for every workbook riskmotor writes: header cells, Excel Tables,
drop-down lists, fills and the print setup.

Every value goes through :func:`riskmotor.export.xlsx.safe.write_cell`, so text that looks
like a formula is stored as text.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from riskmotor.export.xlsx.safe import CellValue, write_cell, write_row

WRAP = Alignment(wrap_text=True, vertical="top")
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
# Printing: the width of A4 landscape inside Excel's default margins, in character units of
# the default font, and the smallest scale the nämnd can still read.
PRINT_WIDTH_CHARS = 145  # A4 landscape inside 1,3 cm side margins
MIN_SCALE = 70
LINE_POINTS = 15  # one line of 11 pt text, with leading
CHAR_FACTOR = 1.15  # a column of width w holds about w / 1.15 characters of proportional text
# One named font: without a name LibreOffice prints headings in a serif fallback.
FONT_NAME = "Calibri"
HEADER_FONT = Font(name=FONT_NAME, bold=True)
TITLE_FONT = Font(name=FONT_NAME, bold=True, size=13)
HEADER_FILL_COLOUR = "#DDE5EE"
TABLE_CELL_STYLE = "Tabellcell"
TABLE_STYLE = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
PERCENT = "0.0 %"
DATE = "yyyy-mm-dd"
# Drop-down lists on a table reach this far below its header, so rows added by hand get them.
DROP_DOWN_ROWS = 500


@dataclass(frozen=True)
class Col:
    """A column of a styled table: its heading, width in characters and number format."""

    header: str
    width: float = 14
    number_format: str | None = None


@dataclass(frozen=True)
class Footer:
    """The printed footer: left, centre (before the page numbers) and right text."""

    left: str
    centre: str
    right: str


def fill(colour: str) -> PatternFill:
    """A solid fill in a catalog colour ('#RRGGBB')."""
    return PatternFill(fill_type="solid", fgColor=colour.lstrip("#").upper())


def header_row(ws: Worksheet, row: int, headers: Sequence[str], *, shaded: bool = False) -> None:
    """Bold, wrapped headings on ``row`` (shaded when the sheet is no Excel Table)."""
    for cell in write_row(ws, row, headers):
        style_header(cell, shaded=shaded)


def style_header(cell: Cell, *, shaded: bool = False) -> None:
    cell.font = HEADER_FONT
    cell.alignment = WRAP
    if shaded:
        cell.fill = fill(HEADER_FILL_COLOUR)


def set_widths(ws: Worksheet, widths: Sequence[float], *, first: int = 1) -> None:
    """Column widths in characters from column ``first`` on; never narrows a column."""
    for offset, width in enumerate(widths):
        letter = get_column_letter(first + offset)
        current = ws.column_dimensions[letter].width or 0
        ws.column_dimensions[letter].width = max(current, width)


def table_cell_style(ws: Worksheet) -> str:
    """The named style of a table cell (wrapped, bordered), registered once per workbook.

    One named style instead of setting alignment and border on every cell: openpyxl hashes
    each style object it is given, which made a 1 000-risk workbook twice as slow.
    """
    workbook = ws.parent
    if TABLE_CELL_STYLE not in workbook.named_styles:
        workbook.add_named_style(
            NamedStyle(
                name=TABLE_CELL_STYLE,
                alignment=WRAP,
                border=BORDER,
                font=Font(name=FONT_NAME, size=11),
            )
        )
    return TABLE_CELL_STYLE


def styled_table(
    ws: Worksheet,
    top: int,
    name: str,
    columns: Sequence[Col],
    rows: Sequence[Sequence[CellValue]],
    *,
    drop_downs: dict[str, Sequence[str]] | None = None,
) -> int:
    """Write a filterable Excel Table at row ``top``; returns the last row used.

    The one place that styles a table, so every sheet looks and prints the same.
    """
    header_row(ws, top, [c.header for c in columns])
    set_widths(ws, [c.width for c in columns])
    formats = [c.number_format for c in columns]
    style = table_cell_style(ws)
    for row_index, values in enumerate(rows, start=top + 1):
        for col_index, value in enumerate(values, start=1):
            cell = write_cell(ws, row_index, col_index, value)
            cell.style = style
            if formats[col_index - 1] and value is not None:
                cell.number_format = formats[col_index - 1]
    # An Excel Table needs a data row: an empty plan still gets one blank row.
    last = top + max(len(rows), 1)
    ref = f"A{top}:{get_column_letter(len(columns))}{last}"
    ws.add_table(Table(displayName=name, ref=ref, tableStyleInfo=TABLE_STYLE))
    for header, choices in (drop_downs or {}).items():
        col = next(i for i, c in enumerate(columns, start=1) if c.header == header)
        add_list(ws, choices, col, top + 1, col, max(last, top + DROP_DOWN_ROWS))
    return last


def _list_validation(choices: Sequence[str], *, title: str = "Ogiltigt värde") -> DataValidation:
    """A drop-down of ``choices`` that refuses anything else."""
    shown = ", ".join(choices[:-1]) + " eller " + choices[-1] if len(choices) > 1 else choices[0]
    return DataValidation(
        type="list",
        formula1='"' + ",".join(choices) + '"',  # the file format always separates with ','
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=title,
        error=f"Välj {shown} i listan.",
    )


def add_list(
    ws: Worksheet,
    choices: Sequence[str],
    first_col: int,
    first_row: int,
    last_col: int,
    last_row: int,
    *,
    title: str = "Ogiltigt värde",
) -> None:
    """A drop-down of ``choices`` on the block of cells from (first_row, first_col)."""
    validation = _list_validation(choices, title=title)
    first, last = get_column_letter(first_col), get_column_letter(last_col)
    validation.add(f"{first}{first_row}:{last}{last_row}")
    ws.add_data_validation(validation)


def table_name(title: str) -> str:
    """An Excel Table name from a sheet title (no spaces, ASCII letters)."""
    return title.translate(str.maketrans("åäöÖ ", "aaoO_"))


def _footer_text(text: str) -> str:
    return text.replace("&", "&&")  # '&' starts a header/footer code in Excel


def _lines(value: object, width: float) -> int:
    """How many lines ``value`` wraps to in a column ``width`` characters wide."""
    if value is None:
        return 1
    per_line = max(1, int(width / CHAR_FACTOR))
    return sum(max(1, math.ceil(len(part) / per_line)) for part in str(value).split("\n"))


def fit_row_heights(ws: Worksheet, first_row: int = 1) -> None:
    """Row heights from the wrapped text, so no row's text runs over the next when printed
    (Excel computes them on screen, LibreOffice and the printer do not)."""
    widths = {
        letter: dim.width or 8.43 for letter, dim in ws.column_dimensions.items() if dim.width
    }
    for row in ws.iter_rows(min_row=first_row):
        lines = 1
        for cell in row:
            if cell.value is None or not (cell.alignment and cell.alignment.wrap_text):
                continue
            lines = max(lines, _lines(cell.value, widths.get(cell.column_letter, 8.43)))
        current = ws.row_dimensions[row[0].row].height
        needed = lines * LINE_POINTS
        if current is None or current < needed:
            ws.row_dimensions[row[0].row].height = needed


def sheet_width(ws: Worksheet) -> float:
    return sum(
        (ws.column_dimensions[get_column_letter(c)].width or 8.43)
        for c in range(1, ws.max_column + 1)
    )


def print_setup(
    ws: Worksheet,
    footer: Footer | None = None,
    title_row: int | None = None,
    key_columns: int = 0,
) -> None:
    """Landscape A4 with the heading row repeated and a footer with page numbers.

    Fitted to the page width only when that keeps the text at 70 % or more; a wider sheet
    prints at 70 % across several pages with its ``key_columns`` repeated on each.
    """
    fit_row_heights(ws)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_margins.left = ws.page_margins.right = 0.5  # inches
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    scale = PRINT_WIDTH_CHARS / sheet_width(ws) * 100
    if scale >= MIN_SCALE:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    else:
        ws.sheet_properties.pageSetUpPr.fitToPage = False
        ws.page_setup.scale = MIN_SCALE
        if key_columns:
            ws.print_title_cols = f"A:{get_column_letter(key_columns)}"
        ws.page_setup.pageOrder = "overThenDown"
    if title_row is not None:
        ws.print_title_rows = f"{title_row}:{title_row}"
    if footer is not None:
        ws.oddFooter.left.text = _footer_text(footer.left)
        ws.oddFooter.center.text = _footer_text(footer.centre) + " – sida &P av &N"
        ws.oddFooter.right.text = _footer_text(footer.right)
