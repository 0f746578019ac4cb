"""Sheet helpers of the internkontrollplan workbook: its footer, a one-table sheet, yes/no."""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from riskmotor.export.xlsx.kit import Col, Footer, print_setup, styled_table, table_name
from riskmotor.export.xlsx.safe import CellValue
from riskmotor.reports.export import ExportData

Rows = Sequence[Sequence[CellValue]]


def footer(data: ExportData) -> Footer:
    """Nämnd, plan version and print date on every printed page."""
    return Footer(
        left=f"{data.namnd} – internkontrollplan {data.year}",
        centre=data.plan_label,
        right=data.document_date.isoformat(),
    )


def list_sheet(
    wb: Workbook,
    data: ExportData,
    title: str,
    columns: Sequence[Col],
    rows: Rows,
    drop_downs: dict[str, Sequence[str]] | None = None,
    key_columns: int = 0,
) -> Worksheet:
    """A sheet holding one table from row 1: frozen header, print titles, filters."""
    ws = wb.create_sheet(title)
    styled_table(ws, 1, table_name(title), columns, rows, drop_downs=drop_downs)
    ws.freeze_panes = "A2"
    print_setup(ws, footer(data), 1, key_columns)
    return ws
