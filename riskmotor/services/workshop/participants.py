"""Use cases for the workshop's participants (deltagare)."""

from __future__ import annotations

from pydantic import ValidationError

from riskmotor.domain.models import Participant
from riskmotor.errors import DuplicateError
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.services.workshop.rules import ensure_editable, invalid_input


def participants(uow: UnitOfWork, analysis_id: int) -> list[Participant]:
    with uow:
        return uow.participants.for_analysis(analysis_id)


def add_participant(
    uow: UnitOfWork,
    analysis_id: int,
    name: str,
    role: str = "",
    function: str = "",
    *,
    email: str | None = None,
) -> Participant:
    """Add a participant; ``email`` (optional) lets them vote from their own device."""
    with uow:
        ensure_editable(uow.analyses.get(analysis_id))
        existing = {p.name for p in uow.participants.for_analysis(analysis_id)}
        if name.strip() in existing:
            raise DuplicateError(f"{name.strip()} är redan deltagare i analysen.")
        try:
            participant = Participant(
                analysis_id=analysis_id, name=name, role=role, function=function, email=email
            )
        except ValidationError as exc:
            raise invalid_input(exc) from None
        _check_email_unique(uow, participant)
        stored = uow.participants.add(participant)
        uow.commit()
        return stored


def update_participant(uow: UnitOfWork, participant: Participant) -> Participant:
    """Save a changed participant (name, role, function, e-mail)."""
    try:  # a model_copy(update=...) skips validation: check and normalise the e-mail here
        participant = Participant.model_validate(participant.model_dump())
    except ValidationError as exc:
        raise invalid_input(exc) from None
    with uow:
        _check_email_unique(uow, participant)
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


def _check_email_unique(tx: UnitOfWork, participant: Participant) -> None:
    """One e-mail is one participant of an analysis: it decides whose votes a login casts."""
    if participant.email is None or participant.analysis_id is None:
        return
    for other in tx.participants.for_analysis(participant.analysis_id):
        if other.email == participant.email and other.id != participant.id:
            raise DuplicateError(
                f"{participant.email} är redan e-post för {other.name} i analysen."
            )
