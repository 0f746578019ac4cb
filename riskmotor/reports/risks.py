"""The risk as the workshop, the CLI and the exports show it: scored, with its votes summed up."""

from __future__ import annotations

from pydantic import BaseModel

from riskmotor.domain.models import DeviationLink, Risk, Vote


class RiskView(BaseModel):
    """One risk with its current assessment (agreed, else the votes' aggregate)."""

    id: int
    version: int
    title: str
    description: str
    process: str
    process_name: str
    activity: str
    unit_id: int | None
    unit: str
    causes: str
    consequence_description: str
    existing_controls: str
    consequence_areas: list[str]
    source: str
    template_key: str | None
    likelihood: int | None
    consequence: int | None
    risk_value: int | None
    level: str | None
    level_name: str | None
    colour: str | None
    residual_likelihood: int | None
    residual_consequence: int | None
    residual_value: int | None
    residual_level: str | None
    votes: int
    vote_likelihood: int | None
    vote_consequence: int | None
    disagreement: bool
    confirmed: bool


class DeletedRisk(BaseModel):
    """What a delete removed, kept by the page so that the person can undo it this session:
    the risk and the rows that went with it (its votes and its deviation evidence)."""

    risk: Risk
    votes: list[Vote]
    links: list[DeviationLink]
