"""Unit of work: one transaction, its repositories and its audit trail.

Used as a context manager by the services: a public use case enters its unit of work
exactly once, and helpers that need the transaction take the open unit of work. Entering
one that is already open raises, so a use case can never be split over several
transactions by calling another use case. Nothing is written unless ``commit()`` is
called; leaving the block without it (or with an exception) rolls everything back, so an
import or a save is all or nothing.

The unit of work acts for an :class:`Identity` (a plain name means a local-mode user); its
:attr:`UnitOfWork.actor` is the audit log's "who". Every change is checked against the
identity's roles by the session's :class:`AccessGuard` (see ``access_guard``).
"""

from __future__ import annotations

from types import TracebackType

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from riskmotor.clock import Clock, SystemClock
from riskmotor.domain.access import Identity, Role
from riskmotor.errors import DatabaseUnavailableError, DuplicateError
from riskmotor.persistence.access_guard import AccessGuard
from riskmotor.persistence.repositories import (
    AnalysisRepository,
    AuditTrail,
    ChecklistAnswerRepository,
    ControlFollowupRepository,
    ControlPlanRepository,
    DeviationLinkRepository,
    DeviationRepository,
    EgenkontrollPlanRepository,
    OrgUnitRepository,
    ParticipantRepository,
    PlanActionRepository,
    PlanControlRepository,
    PlanPackageRepository,
    PlanRiskRepository,
    PlanSnapshotRepository,
    RiskFollowupRepository,
    RiskRepository,
    SampledCaseRepository,
    SampleDrawRepository,
    ScenarioRepository,
    SimulationRunRepository,
    UserRoleRepository,
    VoteRepository,
)
from riskmotor.persistence.repositories.installation import InstallationSettingRepository


class NestedUnitOfWorkError(RuntimeError):
    """A programming error: a use case tried to open a second transaction inside its own."""


class UnitOfWork:
    def __init__(self, engine: Engine, actor: Identity | str, clock: Clock | None = None) -> None:
        self.engine = engine
        self.identity = actor if isinstance(actor, Identity) else Identity.local(actor)
        self.actor = self.identity.audit_name  # the audit log's "who"
        self.clock: Clock = clock or SystemClock()
        self._open = False

    @property
    def is_open(self) -> bool:
        return self._open

    def __enter__(self) -> UnitOfWork:
        if self._open:
            raise NestedUnitOfWorkError(
                "The unit of work is already open: pass it to a helper instead of calling "
                "another use case."
            )
        self._open = True
        self.session = Session(self.engine, expire_on_commit=False, autoflush=False)
        self.audit = AuditTrail(self.session, self.actor)
        self.access = AccessGuard(self.session, self.identity)
        self.user_roles = UserRoleRepository(self.session, self.audit)
        self.units = OrgUnitRepository(self.session, self.audit)
        self.analyses = AnalysisRepository(self.session, self.audit)
        self.participants = ParticipantRepository(self.session, self.audit)
        self.risks = RiskRepository(self.session, self.audit)
        self.votes = VoteRepository(self.session, self.audit)
        self.scenarios = ScenarioRepository(self.session, self.audit)
        self.simulation_runs = SimulationRunRepository(self.session, self.audit)
        self.egenkontroll_plans = EgenkontrollPlanRepository(self.session, self.audit)
        self.sample_draws = SampleDrawRepository(self.session, self.audit)
        self.sampled_cases = SampledCaseRepository(self.session, self.audit)
        self.checklist_answers = ChecklistAnswerRepository(self.session, self.audit)
        self.deviations = DeviationRepository(self.session, self.audit)
        self.deviation_links = DeviationLinkRepository(self.session, self.audit)
        self.control_plans = ControlPlanRepository(self.session, self.audit)
        self.plan_risks = PlanRiskRepository(self.session, self.audit)
        self.plan_controls = PlanControlRepository(self.session, self.audit)
        self.plan_actions = PlanActionRepository(self.session, self.audit)
        self.control_followups = ControlFollowupRepository(self.session, self.audit)
        self.risk_followups = RiskFollowupRepository(self.session, self.audit)
        self.plan_snapshots = PlanSnapshotRepository(self.session, self.audit)
        self.plan_packages = PlanPackageRepository(self.session, self.audit)
        self.installation = InstallationSettingRepository(self.session, self.audit)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._open = False
        self.session.rollback()
        self.session.close()
        if isinstance(exc, IntegrityError):
            raise DuplicateError(
                "Ändringen bryter mot en regel i databasen (till exempel en dubblett) "
                "och har inte sparats."
            ) from exc
        if isinstance(exc, OperationalError):
            raise DatabaseUnavailableError(f"Databasfel: {exc.orig}") from exc

    def require(self, role: Role, namnd_id: int | None) -> None:
        """Refuse (AccessDeniedError) unless the identity holds ``role`` in ``namnd_id``
        (None: in any nämnd); for side effects that are not rows, such as written files."""
        self.access.require(role, namnd_id)

    def roles(self) -> dict[int, Role]:
        """The identity's role per nämnd id (empty for an identity without an e-mail)."""
        return self.access.roles()

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()
