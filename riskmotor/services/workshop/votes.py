"""Use cases for scoring: participants' votes and the agreed assessment (fastställd bedömning)."""

from __future__ import annotations

from riskmotor.catalogs import Catalog
from riskmotor.domain import scoring
from riskmotor.domain.access import Role
from riskmotor.domain.models import Risk, Vote
from riskmotor.domain.scoring import Aggregation
from riskmotor.errors import InvalidInputError
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.services.workshop.rules import check_areas, check_risk_scores, ensure_editable
from riskmotor.services.workshop.views import votes_by_risk


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
            check_areas(scale, by_area)
            consequence = scoring.aggregate_consequence(by_area)
        scoring.check_score(scale, likelihood, consequence)
        vote = Vote(
            risk_id=risk_id,
            participant_id=participant_id,
            likelihood=likelihood,
            consequence=consequence,
            comment=comment,
            consequence_by_area=by_area,
        )
        existing = uow.votes.find(risk_id, participant_id)
        if existing is None:
            stored = uow.votes.add(vote)
        else:
            vote.id = existing.id
            vote.version = existing.version if expected_version is None else expected_version
            stored = uow.votes.update(vote)
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
        check_risk_scores(catalog, analysis, risk)
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
        uow.require(Role.REDAKTOR, analysis.namnd_id)  # refused even when nothing is left
        ensure_editable(analysis)
        by_risk = votes_by_risk(uow.votes.for_analysis(analysis_id))
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


def confirm_all(
    uow: UnitOfWork,
    catalog: Catalog,
    analysis_id: int,
    method: Aggregation = Aggregation.MEDIAN,
) -> int:
    """Fastställ every unconfirmed, scored risk at its current score (its own score, else the
    votes' aggregate), disputed ones included: the group has agreed to settle them all."""
    with uow:
        analysis = uow.analyses.get(analysis_id)
        uow.require(Role.REDAKTOR, analysis.namnd_id)  # refused even when nothing is left
        ensure_editable(analysis)
        by_risk = votes_by_risk(uow.votes.for_analysis(analysis_id))
        confirmed = 0
        for risk in uow.risks.for_analysis(analysis_id):
            if risk.assessment_confirmed:
                continue
            if risk.inherent_likelihood is None or risk.inherent_consequence is None:
                current = scoring.aggregate_votes(by_risk.get(risk.id or 0, []), method)
                if current is None:
                    continue  # not scored at all: nothing to confirm
                risk.inherent_likelihood, risk.inherent_consequence = current
            risk.assessment_confirmed = True
            check_risk_scores(catalog, analysis, risk)
            uow.risks.update(risk)
            confirmed += 1
        uow.commit()
        return confirmed
