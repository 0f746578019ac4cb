"""The risk matrix (riskmatris): the catalog grid with the analysis' risks placed in it."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from riskmotor.catalogs import Catalog
from riskmotor.domain import scoring
from riskmotor.services.workshop import RiskView

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
    catalog: Catalog,
    scale_key: str,
    placed_points: list[MatrixPoint],
    kind: MatrixKind = "inherent",
) -> RiskMatrix:
    scale = catalog.scale(scale_key)
    placed: dict[tuple[int, int], list[int]] = {}
    unplaced: list[int] = []
    for point in placed_points:
        if point.likelihood is None or point.consequence is None:
            unplaced.append(point.risk_id)
        else:
            placed.setdefault((point.likelihood, point.consequence), []).append(point.risk_id)
    rows = []
    for likelihood in range(scale.max_likelihood, 0, -1):
        row = []
        for consequence in range(1, scale.max_consequence + 1):
            level = scoring.risk_level(scale, likelihood, consequence)
            row.append(
                MatrixCell(
                    likelihood=likelihood,
                    consequence=consequence,
                    risk_value=scoring.risk_value(scale, likelihood, consequence),
                    level=level.key,
                    level_name=level.name,
                    colour=level.colour,
                    text_colour=level.text_colour,
                    risk_ids=sorted(placed.get((likelihood, consequence), [])),
                )
            )
        rows.append(row)
    return RiskMatrix(
        scale_key=scale.key,
        kind=kind,
        likelihood_names=[level.name for level in scale.likelihood],
        consequence_names=[level.name for level in scale.consequence],
        rows=rows,
        unplaced=unplaced,
    )
