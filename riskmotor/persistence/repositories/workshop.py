"""Risk analysis workshop: analyses, participants, risks and votes."""

from __future__ import annotations

from sqlalchemy import select

from riskmotor.domain.models import Participant, Risk, RiskAnalysis, Vote
from riskmotor.persistence.orm import ParticipantRow, RiskAnalysisRow, RiskRow, VoteRow
from riskmotor.persistence.repositories.base import Repository


class AnalysisRepository(Repository[RiskAnalysis, RiskAnalysisRow]):
    entity = "risk_analysis"
    domain_type = RiskAnalysis
    row_type = RiskAnalysisRow
    summary_field = "title"

    def analysis_id_of(self, row: RiskAnalysisRow) -> int | None:
        return row.id

    def find(self, namnd_id: int, year: int) -> RiskAnalysis | None:
        found = self._all(
            select(RiskAnalysisRow).where(
                RiskAnalysisRow.namnd_id == namnd_id, RiskAnalysisRow.year == year
            )
        )
        return found[0] if found else None

    def for_namnd(self, namnd_id: int) -> list[RiskAnalysis]:
        return self._all(
            select(RiskAnalysisRow)
            .where(RiskAnalysisRow.namnd_id == namnd_id)
            .order_by(RiskAnalysisRow.year.desc())
        )


class ParticipantRepository(Repository[Participant, ParticipantRow]):
    entity = "participant"
    domain_type = Participant
    row_type = ParticipantRow

    def for_analysis(self, analysis_id: int) -> list[Participant]:
        return self._all(
            select(ParticipantRow)
            .where(ParticipantRow.analysis_id == analysis_id)
            .order_by(ParticipantRow.id)
        )


class RiskRepository(Repository[Risk, RiskRow]):
    entity = "risk"
    domain_type = Risk
    row_type = RiskRow
    summary_field = "title"

    def for_analysis(self, analysis_id: int) -> list[Risk]:
        return self._all(
            select(RiskRow).where(RiskRow.analysis_id == analysis_id).order_by(RiskRow.id)
        )

    def find_by_title(self, analysis_id: int, title: str) -> Risk | None:
        found = self._all(
            select(RiskRow).where(RiskRow.analysis_id == analysis_id, RiskRow.title == title)
        )
        return found[0] if found else None


class VoteRepository(Repository[Vote, VoteRow]):
    entity = "vote"
    domain_type = Vote
    row_type = VoteRow
    summary_field = "likelihood"

    def analysis_id_of(self, row: VoteRow) -> int | None:
        risk = self.session.get(RiskRow, row.risk_id)
        return risk.analysis_id if risk else None

    def for_analysis(self, analysis_id: int) -> list[Vote]:
        return self._all(
            select(VoteRow)
            .join(RiskRow, RiskRow.id == VoteRow.risk_id)
            .where(RiskRow.analysis_id == analysis_id)
            .order_by(VoteRow.id)
        )

    def for_participant(self, participant_id: int) -> list[Vote]:
        return self._all(
            select(VoteRow).where(VoteRow.participant_id == participant_id).order_by(VoteRow.id)
        )

    def find(self, risk_id: int, participant_id: int) -> Vote | None:
        found = self._all(
            select(VoteRow).where(
                VoteRow.risk_id == risk_id, VoteRow.participant_id == participant_id
            )
        )
        return found[0] if found else None
