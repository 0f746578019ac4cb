"""Checks shared by the workshop use cases (and the deviation service); run inside ``tx``."""

from __future__ import annotations

from pydantic import ValidationError

from riskmotor.catalogs import Catalog
from riskmotor.domain import scoring
from riskmotor.domain.catalog import Scale
from riskmotor.domain.models import AnalysisStatus, Risk, RiskAnalysis
from riskmotor.domain.terms import label
from riskmotor.errors import DuplicateError, InvalidInputError
from riskmotor.persistence.uow import UnitOfWork


def invalid_input(exc: ValidationError) -> InvalidInputError:
    """The first validation problem, in Swedish, with the field's label."""
    first = exc.errors()[0]
    field = ".".join(str(part) for part in first["loc"])
    message = str(first["msg"]).removeprefix("Value error, ")
    return InvalidInputError(f"{label(field)}: {message}")


def ensure_editable(analysis: RiskAnalysis) -> None:
    if analysis.status == AnalysisStatus.FASTSTALLD:
        raise InvalidInputError(
            f"Riskanalysen för {analysis.year} är fastställd och kan inte ändras."
        )


def check_unique_title(tx: UnitOfWork, risk: Risk) -> None:
    existing = tx.risks.find_by_title(risk.analysis_id, risk.title)
    if existing and existing.id != risk.id:
        raise DuplicateError(f"Det finns redan en risk som heter {risk.title!r} i analysen.")


def check_areas(scale: Scale, by_area: dict[str, int]) -> None:
    """Every konsekvensområde is known to the scale and scored within it."""
    names = {area.key: area.name for area in scale.consequence_areas}
    for area, value in by_area.items():
        if area not in names:
            raise InvalidInputError(f"Okänt konsekvensområde: {area}.")
        if not 1 <= value <= scale.max_consequence:
            raise InvalidInputError(
                f"Konsekvens {value} för {names[area]} ligger utanför skalan "
                f"(1–{scale.max_consequence})."
            )


def check_risk_scores(catalog: Catalog, analysis: RiskAnalysis, risk: Risk) -> None:
    """Inherent and residual scores are both given or both missing, and on the scale."""
    scale = catalog.scale(analysis.scale_key)
    for likelihood, consequence in (
        (risk.inherent_likelihood, risk.inherent_consequence),
        (risk.residual_likelihood, risk.residual_consequence),
    ):
        if (likelihood is None) != (consequence is None):
            raise InvalidInputError("Ange både sannolikhet och konsekvens, eller ingen av dem.")
        if likelihood is not None and consequence is not None:
            scoring.check_score(scale, likelihood, consequence)
    check_areas(scale, dict.fromkeys(risk.consequence_areas, 1))


def checked_process(catalog: Catalog, risk: Risk) -> Risk:
    """``risk`` with a process the catalog knows (or none), and an activity of that process:
    after the process is changed, an activity of the old process is dropped."""
    if not risk.process:
        return risk.model_copy(update={"activity": ""}) if risk.activity else risk
    process = catalog.process(risk.process)
    if process is None:
        raise InvalidInputError(
            f"{label('process')}: processen ”{risk.process}” finns inte i katalogen "
            "(processer.yaml)."
        )
    if risk.activity and risk.activity not in {a.key for a in process.activities}:
        return risk.model_copy(update={"activity": ""})
    return risk
