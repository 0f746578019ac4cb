"""Use cases of the risk workshop: analyses, participants, risks, votes and assessment.

Each public function is one user action; it opens the unit of work it is given, validates
against the catalog, and commits once, so a failed action leaves nothing half-written.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from pydantic import BaseModel, ValidationError

from riskmotor.catalogs import Catalog
from riskmotor.domain import scoring
from riskmotor.domain.catalog import Scale
from riskmotor.domain.models import (
    AnalysisStatus,
    Participant,
    Risk,
    RiskAnalysis,
    RiskSource,
    UnitKind,
    Vote,
)
from riskmotor.domain.scoring import Aggregation
from riskmotor.domain.terms import label
from riskmotor.errors import DuplicateError, InvalidInputError, NotFoundError
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.services.organisation import find_namnd


class RiskView(BaseModel):
    """A risk as the workshop, the CLI and the exports show it."""

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

    def cli_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


def invalid_input(exc: ValidationError) -> InvalidInputError:
    first = exc.errors()[0]
    field = ".".join(str(part) for part in first["loc"])
    message = str(first["msg"]).removeprefix("Value error, ")
    return InvalidInputError(f"{label(field)}: {message}")


# analyses ------------------------------------------------------------------------------


def create_analysis(
    uow: UnitOfWork,
    catalog: Catalog,
    namnd_id: int,
    year: int,
    *,
    title: str | None = None,
    scale_key: str | None = None,
    workshop_dates: list[date] | None = None,
) -> RiskAnalysis:
    scale = catalog.scale(scale_key)
    with uow:
        namnd = uow.units.get(namnd_id)
        if uow.analyses.find(namnd_id, year):
            raise DuplicateError(f"{namnd.name} har redan en riskanalys för {year}.")
        try:
            analysis = RiskAnalysis(
                namnd_id=namnd_id,
                year=year,
                title=title or f"Riskanalys {year} – {namnd.name}",
                scale_key=scale.key,
                workshop_dates=workshop_dates or [],
            )
        except ValidationError as exc:
            raise invalid_input(exc) from None
        stored = uow.analyses.add(analysis)
        uow.commit()
        return stored


def find_analysis(uow: UnitOfWork, namnd_name: str, year: int) -> RiskAnalysis:
    with uow:
        namnd = find_namnd(uow, namnd_name)
        assert namnd.id is not None
        analysis = uow.analyses.find(namnd.id, year)
        if analysis is None:
            raise NotFoundError(f"{namnd_name} har ingen riskanalys för {year}.")
        return analysis


def analyses_for(uow: UnitOfWork, namnd_id: int) -> list[RiskAnalysis]:
    with uow:
        return uow.analyses.for_namnd(namnd_id)


def check_scales_in_use(uow: UnitOfWork, catalog: Catalog) -> None:
    """Refuse a catalog that lacks a scale some stored risk analysis is scored on."""
    with uow:
        for namnd in uow.units.of_kind(UnitKind.NAMND):
            assert namnd.id is not None
            for analysis in uow.analyses.for_namnd(namnd.id):
                if analysis.scale_key not in catalog.scales:
                    raise InvalidInputError(
                        f"Riskanalysen {analysis.title!r} använder skalan "
                        f"{analysis.scale_key!r}, som saknas i katalogen {catalog.directory}."
                    )


def get_analysis(uow: UnitOfWork, analysis_id: int) -> RiskAnalysis:
    with uow:
        return uow.analyses.get(analysis_id)


def update_analysis(uow: UnitOfWork, catalog: Catalog, analysis: RiskAnalysis) -> RiskAnalysis:
    catalog.scale(analysis.scale_key)
    with uow:
        stored = uow.analyses.update(analysis)
        uow.commit()
        return stored


# participants --------------------------------------------------------------------------


def participants(uow: UnitOfWork, analysis_id: int) -> list[Participant]:
    with uow:
        return uow.participants.for_analysis(analysis_id)


def add_participant(
    uow: UnitOfWork, analysis_id: int, name: str, role: str = "", function: str = ""
) -> Participant:
    with uow:
        ensure_editable(uow.analyses.get(analysis_id))
        existing = {p.name for p in uow.participants.for_analysis(analysis_id)}
        if name.strip() in existing:
            raise DuplicateError(f"{name.strip()} är redan deltagare i analysen.")
        try:
            participant = Participant(
                analysis_id=analysis_id, name=name, role=role, function=function
            )
        except ValidationError as exc:
            raise invalid_input(exc) from None
        stored = uow.participants.add(participant)
        uow.commit()
        return stored


def update_participant(uow: UnitOfWork, participant: Participant) -> Participant:
    with uow:
        stored = uow.participants.update(participant)
        uow.commit()
        return stored


def remove_participant(uow: UnitOfWork, participant_id: int, expected_version: int) -> Participant:
    """Remove a participant and their votes; each vote's removal is audited too."""
    with uow:
        removed = uow.participants.get(participant_id)
        for vote in uow.votes.for_participant(participant_id):
            assert vote.id is not None
            uow.votes.delete(vote.id)
        uow.participants.delete(participant_id, expected_version)
        uow.commit()
        return removed


# risks ---------------------------------------------------------------------------------


def ensure_editable(analysis: RiskAnalysis) -> None:
    if analysis.status == AnalysisStatus.FASTSTALLD:
        raise InvalidInputError(
            f"Riskanalysen för {analysis.year} är fastställd och kan inte ändras."
        )


def check_unique_title(uow: UnitOfWork, risk: Risk) -> None:
    existing = uow.risks.find_by_title(risk.analysis_id, risk.title)
    if existing and existing.id != risk.id:
        raise DuplicateError(f"Det finns redan en risk som heter {risk.title!r} i analysen.")


def _check_areas(scale: Scale, by_area: dict[str, int]) -> None:
    names = {area.key: area.name for area in scale.consequence_areas}
    for area, value in by_area.items():
        if area not in names:
            raise InvalidInputError(f"Okänt konsekvensområde: {area}.")
        if not 1 <= value <= scale.max_consequence:
            raise InvalidInputError(
                f"Konsekvens {value} för {names[area]} ligger utanför skalan "
                f"(1–{scale.max_consequence})."
            )


def _check_risk_scores(catalog: Catalog, analysis: RiskAnalysis, risk: Risk) -> None:
    scale = catalog.scale(analysis.scale_key)
    for s, k in (
        (risk.inherent_likelihood, risk.inherent_consequence),
        (risk.residual_likelihood, risk.residual_consequence),
    ):
        if (s is None) != (k is None):
            raise InvalidInputError("Ange både sannolikhet och konsekvens, eller ingen av dem.")
        if s is not None and k is not None:
            scoring.check_score(scale, s, k)
    _check_areas(scale, dict.fromkeys(risk.consequence_areas, 1))


def add_risk(uow: UnitOfWork, catalog: Catalog, draft: dict[str, Any]) -> RiskView:
    """Create a risk from field values; a given S and K become its agreed assessment."""
    try:
        risk = Risk.model_validate(draft)
    except ValidationError as exc:
        raise invalid_input(exc) from None
    if risk.inherent_likelihood is not None:
        risk.assessment_confirmed = True
    with uow:
        analysis = uow.analyses.get(risk.analysis_id)
        ensure_editable(analysis)
        _check_risk_scores(catalog, analysis, risk)
        check_unique_title(uow, risk)
        stored = uow.risks.add(risk)
        uow.commit()
    return _views(uow, catalog, analysis, [stored])[0]


def add_risk_from_template(
    uow: UnitOfWork,
    catalog: Catalog,
    analysis_id: int,
    template_key: str,
    *,
    unit_id: int | None = None,
    title: str | None = None,
) -> RiskView:
    template = catalog.template(template_key)
    return add_risk(
        uow,
        catalog,
        {
            "analysis_id": analysis_id,
            "title": title or template.title,
            "description": template.description,
            "process": template.process,
            "activity": template.activity,
            "unit_id": unit_id,
            "causes": "\n".join(template.causes),
            "consequence_description": "\n".join(template.consequences),
            "consequence_areas": template.consequence_areas,
            "source": RiskSource.KATALOG,
            "template_key": template.key,
        },
    )


def get_risk(uow: UnitOfWork, risk_id: int) -> Risk:
    with uow:
        return uow.risks.get(risk_id)


def update_risk(uow: UnitOfWork, catalog: Catalog, risk: Risk) -> Risk:
    with uow:
        analysis = uow.analyses.get(risk.analysis_id)
        ensure_editable(analysis)
        _check_risk_scores(catalog, analysis, risk)
        check_unique_title(uow, risk)
        stored = uow.risks.update(risk)
        uow.commit()
        return stored


def delete_risk(uow: UnitOfWork, risk_id: int, expected_version: int) -> None:
    with uow:
        ensure_editable(uow.analyses.get(uow.risks.get(risk_id).analysis_id))
        uow.risks.delete(risk_id, expected_version)
        uow.commit()


# votes and assessment ------------------------------------------------------------------


def cast_vote(
    uow: UnitOfWork,
    catalog: Catalog,
    risk_id: int,
    participant_id: int,
    likelihood: int,
    consequence: int,
    comment: str = "",
    *,
    expected_version: int | None = None,
    consequence_by_area: dict[str, int] | None = None,
) -> Vote:
    """Record or change one participant's score of one risk.

    With ``consequence_by_area`` the consequence is scored per konsekvensområde and the
    vote's consequence is their aggregate (the worst area), whatever ``consequence`` says.
    ``expected_version`` is the version of the participant's vote that the caller showed;
    if someone changed that vote since, the save is refused with the other values.
    """
    by_area = dict(consequence_by_area or {})
    with uow:
        risk = uow.risks.get(risk_id)
        analysis = uow.analyses.get(risk.analysis_id)
        ensure_editable(analysis)
        participant = uow.participants.get(participant_id)
        if participant.analysis_id != analysis.id:
            raise InvalidInputError(f"{participant.name} deltar inte i den här analysen.")
        scale = catalog.scale(analysis.scale_key)
        if by_area:
            _check_areas(scale, by_area)
            consequence = scoring.aggregate_consequence(by_area)
        scoring.check_score(scale, likelihood, consequence)
        existing = uow.votes.find(risk_id, participant_id)
        if existing is None:
            stored = uow.votes.add(
                Vote(
                    risk_id=risk_id,
                    participant_id=participant_id,
                    likelihood=likelihood,
                    consequence=consequence,
                    comment=comment,
                    consequence_by_area=by_area,
                )
            )
        else:
            changed = existing.model_copy(
                update={
                    "likelihood": likelihood,
                    "consequence": consequence,
                    "comment": comment,
                    "consequence_by_area": by_area,
                    "version": existing.version if expected_version is None else expected_version,
                }
            )
            stored = uow.votes.update(changed)
        uow.commit()
        return stored


def votes_for_analysis(uow: UnitOfWork, analysis_id: int) -> list[Vote]:
    with uow:
        return uow.votes.for_analysis(analysis_id)


def confirm_assessment(
    uow: UnitOfWork,
    catalog: Catalog,
    risk_id: int,
    likelihood: int,
    consequence: int,
    expected_version: int,
) -> Risk:
    """Fastställ bedömning: the agreed inherent score of one risk."""
    with uow:
        risk = uow.risks.get(risk_id)
        risk.version = expected_version
        risk.inherent_likelihood = likelihood
        risk.inherent_consequence = consequence
        risk.assessment_confirmed = True
        analysis = uow.analyses.get(risk.analysis_id)
        ensure_editable(analysis)
        _check_risk_scores(catalog, analysis, risk)
        stored = uow.risks.update(risk)
        uow.commit()
        return stored


def confirm_undisputed(
    uow: UnitOfWork,
    catalog: Catalog,
    analysis_id: int,
    method: Aggregation = Aggregation.MEDIAN,
) -> int:
    """Confirm the aggregate of every voted, unconfirmed risk without disagreement."""
    with uow:
        analysis = uow.analyses.get(analysis_id)
        ensure_editable(analysis)
        by_risk = _votes_by_risk(uow.votes.for_analysis(analysis_id))
        confirmed = 0
        for risk in uow.risks.for_analysis(analysis_id):
            votes = by_risk.get(risk.id or 0, [])
            if risk.assessment_confirmed or not votes or scoring.has_disagreement(votes):
                continue
            aggregate = scoring.aggregate_votes(votes, method)
            assert aggregate is not None
            risk.inherent_likelihood, risk.inherent_consequence = aggregate
            risk.assessment_confirmed = True
            uow.risks.update(risk)
            confirmed += 1
        uow.commit()
        return confirmed


# views ---------------------------------------------------------------------------------


def _votes_by_risk(votes: list[Vote]) -> dict[int, list[Vote]]:
    grouped: dict[int, list[Vote]] = defaultdict(list)
    for vote in votes:
        grouped[vote.risk_id].append(vote)
    return grouped


def list_risks(
    uow: UnitOfWork,
    catalog: Catalog,
    analysis_id: int,
    method: Aggregation = Aggregation.MEDIAN,
) -> list[RiskView]:
    with uow:
        analysis = uow.analyses.get(analysis_id)
        risks = uow.risks.for_analysis(analysis_id)
    return _views(uow, catalog, analysis, risks, method)


def _views(
    uow: UnitOfWork,
    catalog: Catalog,
    analysis: RiskAnalysis,
    risks: list[Risk],
    method: Aggregation = Aggregation.MEDIAN,
) -> list[RiskView]:
    with uow:
        assert analysis.id is not None
        by_risk = _votes_by_risk(uow.votes.for_analysis(analysis.id))
        unit_names = {unit.id: unit.name for unit in uow.units.of_kind(UnitKind.ENHET)}
    scale = catalog.scale(analysis.scale_key)
    return [
        _view(catalog, scale, risk, by_risk.get(risk.id or 0, []), unit_names, method)
        for risk in risks
    ]


def _view(
    catalog: Catalog,
    scale: Scale,
    risk: Risk,
    votes: list[Vote],
    unit_names: dict[int | None, str],
    method: Aggregation,
) -> RiskView:
    aggregate = scoring.aggregate_votes(votes, method)
    if risk.inherent_likelihood is not None and risk.inherent_consequence is not None:
        current: tuple[int, int] | None = (risk.inherent_likelihood, risk.inherent_consequence)
    else:
        current = aggregate
    assessed = scoring.assess(scale, *current) if current else None
    residual = None
    if risk.residual_likelihood is not None and risk.residual_consequence is not None:
        residual = scoring.assess(scale, risk.residual_likelihood, risk.residual_consequence)
    assert risk.id is not None
    return RiskView(
        id=risk.id,
        version=risk.version,
        title=risk.title,
        description=risk.description,
        process=risk.process,
        process_name=catalog.process_name(risk.process),
        activity=risk.activity,
        unit_id=risk.unit_id,
        unit=unit_names.get(risk.unit_id, ""),
        causes=risk.causes,
        consequence_description=risk.consequence_description,
        existing_controls=risk.existing_controls,
        consequence_areas=risk.consequence_areas,
        source=risk.source.value,
        template_key=risk.template_key,
        likelihood=assessed.likelihood if assessed else None,
        consequence=assessed.consequence if assessed else None,
        risk_value=assessed.risk_value if assessed else None,
        level=assessed.level.key if assessed else None,
        level_name=assessed.level.name if assessed else None,
        colour=assessed.level.colour if assessed else None,
        residual_likelihood=risk.residual_likelihood,
        residual_consequence=risk.residual_consequence,
        residual_value=residual.risk_value if residual else None,
        residual_level=residual.level.key if residual else None,
        votes=len(votes),
        vote_likelihood=aggregate[0] if aggregate else None,
        vote_consequence=aggregate[1] if aggregate else None,
        disagreement=scoring.has_disagreement(votes),
        confirmed=risk.assessment_confirmed,
    )
