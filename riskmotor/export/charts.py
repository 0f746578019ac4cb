"""The risk matrix as a picture for the tjänsteutlåtande and the approval package.

An Altair chart: a rect layer in the catalog's level colours, a thick border around the
cells at or above the selection threshold, and the ids of the risks in each cell (wrapped
when many; an empty cell stays empty), rendered to PNG by vl-convert, which needs no browser.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import altair as alt
import vl_convert

from riskmotor.domain.terms import label
from riskmotor.reports.matrix import RiskMatrix

CELL_PIXELS = 120
IDS_PER_LINE = 5
THRESHOLD_COLOUR = "#1F1F1F"
PNG_SCALE = 2  # sharp enough for print at the width of an A4 page


def _axis_label(value: int, name: str) -> str:
    return f"{value} {name}"


def id_lines(risk_ids: list[int]) -> list[str]:
    """The ids of a cell, a few per line: ['3, 7, 12, 15, 18', '21']; none when empty."""
    text = [str(i) for i in sorted(risk_ids)]
    return [", ".join(text[i : i + IDS_PER_LINE]) for i in range(0, len(text), IDS_PER_LINE)]


def matrix_rows(matrix: RiskMatrix, threshold: int | None = None) -> list[dict[str, Any]]:
    """One record per cell: axis labels, the catalog colours, the ids and whether the cell
    reaches the selection threshold."""
    records = []
    for row in matrix.rows:
        for cell in row:
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
                    "text": id_lines(cell.risk_ids),
                    "selected": threshold is not None and cell.risk_value >= threshold,
                }
            )
    return records


def matrix_chart(matrix: RiskMatrix, title: str, threshold: int | None = None) -> alt.LayerChart:
    """Highest likelihood on top, consequence rising to the right, as the matrix is drawn."""
    x_order = [_axis_label(i + 1, n) for i, n in enumerate(matrix.consequence_names)]
    y_order = [_axis_label(i + 1, n) for i, n in enumerate(matrix.likelihood_names)][::-1]
    base = alt.Chart(alt.Data(values=matrix_rows(matrix, threshold))).encode(
        x=alt.X(
            "consequence:N", sort=x_order, title=label("consequence"), axis=alt.Axis(labelAngle=0)
        ),
        y=alt.Y(
            "likelihood:N", sort=y_order, title=label("likelihood"), axis=alt.Axis(labelLimit=0)
        ),
    )
    # scale=None: the colour field holds the catalog's hex colours and is used as is.
    cells = base.mark_rect(stroke="#FFFFFF", strokeWidth=2).encode(
        color=alt.Color("colour:N", scale=None)
    )
    border = (
        base.transform_filter("datum.selected")
        .mark_rect(fillOpacity=0, stroke=THRESHOLD_COLOUR, strokeWidth=4)
        .encode()
    )
    labels = base.mark_text(fontSize=13, lineHeight=17, fontWeight="bold").encode(
        text="text:N", color=alt.Color("text_colour:N", scale=None)
    )
    size = CELL_PIXELS * len(matrix.consequence_names)
    return (cells + border + labels).properties(
        title=title, width=size, height=CELL_PIXELS * len(matrix.likelihood_names)
    )


def matrix_png_bytes(matrix: RiskMatrix, title: str, threshold: int | None = None) -> bytes:
    spec = matrix_chart(matrix, title, threshold).to_dict()
    return bytes(vl_convert.vegalite_to_png(spec, scale=PNG_SCALE))


def matrix_png(matrix: RiskMatrix, path: Path, *, title: str, threshold: int | None = None) -> Path:
    path.write_bytes(matrix_png_bytes(matrix, title, threshold))
    return path
