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


def _position(risk: RiskView, kind: MatrixKind) -> tuple[int, int] | None:
    if kind == "residual":
        if risk.residual_likelihood is None or risk.residual_consequence is None:
            return None
        return risk.residual_likelihood, risk.residual_consequence
    if risk.likelihood is None or risk.consequence is None:
        return None
    return risk.likelihood, risk.consequence


def build_matrix(
    catalog: Catalog, scale_key: str, risks: list[RiskView], kind: MatrixKind = "inherent"
) -> RiskMatrix:
    scale = catalog.scale(scale_key)
    placed: dict[tuple[int, int], list[int]] = {}
    unplaced: list[int] = []
    for risk in risks:
        position = _position(risk, kind)
        if position is None:
            unplaced.append(risk.id)
        else:
            placed.setdefault(position, []).append(risk.id)
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
