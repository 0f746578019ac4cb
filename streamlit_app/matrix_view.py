"""The risk matrix as an HTML table in the catalog's colours (Riskmatris and Uppföljning)."""

from __future__ import annotations

from riskmotor.reports.matrix import RiskMatrix
from streamlit_app.ui import cell_html, escape


def matrix_html(grid: RiskMatrix) -> str:
    header = "".join(
        f'<th style="padding:6px">{index}<br><small>{escape(name)}</small></th>'
        for index, name in enumerate(grid.consequence_names, start=1)
    )
    body = []
    for row in grid.rows:
        likelihood = row[0].likelihood
        cells = "".join(
            cell_html(
                f"<b>{cell.count}</b><br><small>riskvärde {cell.risk_value}</small><br>"
                f"<small>{', '.join(str(i) for i in cell.risk_ids)}</small>",
                cell.colour,
                cell.text_colour,
            )
            for cell in row
        )
        name = escape(grid.likelihood_names[likelihood - 1])
        body.append(f'<tr><th style="padding:6px">{likelihood} {name}</th>{cells}</tr>')
    return (
        '<table data-testid="riskmatris" style="border-collapse:collapse">'
        f"<tr><th>Sannolikhet ↓ / Konsekvens →</th>{header}</tr>{''.join(body)}</table>"
    )
