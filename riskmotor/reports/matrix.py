"""The risk matrix (riskmatris): the scale's grid with risks placed in its cells.

Pure: the grid, values, level names and colours all come from the scale definition
(``riskmotor.domain.scoring``), so the page, the charts and the workbook draw the same matrix.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from riskmotor.domain import scoring
from riskmotor.domain.catalog import Scale
from riskmotor.reports.risks import RiskView

MatrixKind = Literal["inherent", "residual"]


class MatrixCell(BaseModel):
    likelihood: int
    consequence: int
    risk_value: int
    level: str
    level_name: str
    colour: str
    text_colour: str
    risk_ids: list[int]

    @property
    def count(self) -> int:
        return len(self.risk_ids)


class RiskMatrix(BaseModel):
    scale_key: str
    kind: MatrixKind
    likelihood_names: list[str]
    consequence_names: list[str]
    rows: list[list[MatrixCell]]
    """rows[0] is the highest likelihood, as a risk matrix is drawn."""
    unplaced: list[int]


class MatrixPoint(BaseModel):
    risk_id: int
    likelihood: int | None
    consequence: int | None


def points(risks: list[RiskView], kind: MatrixKind = "inherent") -> list[MatrixPoint]:
    """Where each risk sits: its assessed score, or its residual (kvarvarande) score."""
    if kind == "residual":
        return [
            MatrixPoint(
                risk_id=r.id, likelihood=r.residual_likelihood, consequence=r.residual_consequence
            )
            for r in risks
        ]
    return [
        MatrixPoint(risk_id=r.id, likelihood=r.likelihood, consequence=r.consequence) for r in risks
    ]


def build_matrix(
    scale: Scale,
    placed_points: list[MatrixPoint],
    kind: MatrixKind = "inherent",
) -> RiskMatrix:
    """The grid of ``scale`` with each point's risk id in its cell; unscored ones apart."""
    placed: dict[tuple[int, int], list[int]] = {}
    unplaced: list[int] = []
    for point in placed_points:
        if point.likelihood is None or point.consequence is None:
            unplaced.append(point.risk_id)
        else:
            placed.setdefault((point.likelihood, point.consequence), []).append(point.risk_id)
    rows = [
        [
            _cell(scale, likelihood, consequence, placed)
            for consequence in range(1, scale.max_consequence + 1)
        ]
        for likelihood in range(scale.max_likelihood, 0, -1)
    ]
    return RiskMatrix(
        scale_key=scale.key,
        kind=kind,
        likelihood_names=[level.name for level in scale.likelihood],
        consequence_names=[level.name for level in scale.consequence],
        rows=rows,
        unplaced=unplaced,
    )


def _cell(
    scale: Scale, likelihood: int, consequence: int, placed: dict[tuple[int, int], list[int]]
) -> MatrixCell:
    level = scoring.risk_level(scale, likelihood, consequence)
    return MatrixCell(
        likelihood=likelihood,
        consequence=consequence,
        risk_value=scoring.risk_value(scale, likelihood, consequence),
        level=level.key,
        level_name=level.name,
        colour=level.colour,
        text_colour=level.text_colour,
        risk_ids=sorted(placed.get((likelihood, consequence), [])),
    )
