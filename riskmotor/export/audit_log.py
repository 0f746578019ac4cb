"""The Ändringslogg as a download: a CSV for Swedish Excel and a printable workbook.

Both lay out the same read model as the page (:class:`riskmotor.reports.audit.AuditLogView`),
so a revisor's file says exactly what the screen said. Text from users and imported files
may start with '=', '+', '-' or '@': the CSV escapes it (``csv_download``), the workbook
stores every string as a text cell (``export.xlsx.safe``), so nothing runs as a formula.
"""

from __future__ import annotations

import io

from openpyxl import Workbook

from riskmotor.domain.safe_text import csv_download
from riskmotor.export.xlsx.kit import Col, Footer, print_setup, styled_table
from riskmotor.reports.audit import AUDIT_COLUMNS, AuditLogView

SHEET_TITLE = "Ändringslogg"
# Widths in characters, in the order of AUDIT_COLUMNS.
WIDTHS = (19, 18, 18, 30, 11, 22, 30, 30)


def audit_csv(view: AuditLogView) -> bytes:
    """The entries as a semicolon-separated CSV (UTF-8 with BOM), formula-like text escaped."""
    return csv_download(view.rows())


def audit_xlsx(view: AuditLogView) -> bytes:
    """The entries as an Excel Table with a filter on every column, printed in landscape."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None  # a new workbook always has its first sheet
    ws.title = SHEET_TITLE
    columns = [Col(header, width) for header, width in zip(AUDIT_COLUMNS, WIDTHS, strict=True)]
    styled_table(ws, 1, "Andringslogg", columns, [line.cells() for line in view.lines])
    ws.freeze_panes = "A2"
    print_setup(ws, Footer("riskmotor", SHEET_TITLE, ""), title_row=1, key_columns=2)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
