"""The risk matrix as a picture for the tjänsteutlåtande and the approval package.

An Altair chart (a rect layer in the catalog's level colours and a text layer with the
counts), rendered to PNG by vl-convert, which needs no browser.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import altair as alt
import vl_convert

from riskmotor.services.matrix import RiskMatrix

CELL_PIXELS = 110
PNG_SCALE = 2  # sharp enough for print at the width of an A4 page


def _axis_label(value: int, name: str) -> str:
    return f"{value} {name}"


def matrix_rows(matrix: RiskMatrix) -> list[dict[str, Any]]:
    """One record per cell: axis labels, the catalog colours and the cell text."""
    records = []
    for row in matrix.rows:
        for cell in row:
            count = cell.count
            records.append(
                {
                    "likelihood": _axis_label(
                        cell.likelihood, matrix.likelihood_names[cell.likelihood - 1]
                    ),
                    "consequence": _axis_label(
                        cell.consequence, matrix.consequence_names[cell.consequence - 1]
                    ),
                    "colour": cell.colour,
                    "text_colour": cell.text_colour,
                    "text": [
                        f"{count} {'risk' if count == 1 else 'risker'}",
                        f"riskvärde {cell.risk_value}",
                    ],
                }
            )
    return records


def matrix_chart(matrix: RiskMatrix, title: str) -> alt.LayerChart:
    """Highest likelihood on top, consequence rising to the right, as the matrix is drawn."""
    x_order = [_axis_label(i + 1, n) for i, n in enumerate(matrix.consequence_names)]
    y_order = [_axis_label(i + 1, n) for i, n in enumerate(matrix.likelihood_names)][::-1]
    base = alt.Chart(alt.Data(values=matrix_rows(matrix))).encode(
        x=alt.X("consequence:N", sort=x_order, title="Konsekvens", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("likelihood:N", sort=y_order, title="Sannolikhet"),
    )
    # scale=None: the colour field holds the catalog's hex colours and is used as is.
    cells = base.mark_rect(stroke="#FFFFFF", strokeWidth=2).encode(
        color=alt.Color("colour:N", scale=None)
    )
    labels = base.mark_text(fontSize=13, lineHeight=17).encode(
        text="text:N", color=alt.Color("text_colour:N", scale=None)
    )
    size = CELL_PIXELS * len(matrix.consequence_names)
    return (cells + labels).properties(
        title=title, width=size, height=CELL_PIXELS * len(matrix.likelihood_names)
    )


def matrix_png_bytes(matrix: RiskMatrix, title: str) -> bytes:
    spec = matrix_chart(matrix, title).to_dict()
    return bytes(vl_convert.vegalite_to_png(spec, scale=PNG_SCALE))


def matrix_png(matrix: RiskMatrix, path: Path, *, title: str) -> Path:
    path.write_bytes(matrix_png_bytes(matrix, title))
    return path
