"""Every change and every read is checked on the server against the role per nämnd (issue 14).

The table below names the MINIMUM role of every mutating public use case; every other use
case is a read (``READS``). Each mutating row of ``test_transactions`` is run with a
logged-in identity holding each role (and none) on a shared database: allowed when the
role suffices, else refused with AccessDeniedError and nothing written (no row, no audit
entry, no file). Each read row is run by a läsare of the nämnd (allowed) and by an
administrator of another nämnd only (refused, or an answer that shows nothing of the
nämnd). A use case that is in neither table fails ``test_every_use_case_is_classified``.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, MetaData, func, select

import riskmotor.services
from riskmotor.domain.access import Identity, Role
from riskmotor.errors import AccessDeniedError
from riskmotor.persistence.database import engine_for
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.services import access, organisation, workshop
from tests.integration.test_transactions import USE_CASES, World, template

__all__ = ["template"]  # the populated database of test_transactions, built once here too

EMAILS = {
    Role.ADMINISTRATOR: "ada@kommun.se",
    Role.REDAKTOR: "rut@kommun.se",
    Role.DELTAGARE: "dan@kommun.se",
    Role.LASARE: "lars@kommun.se",
}
NO_ROLE = "nora@kommun.se"
ELSEWHERE = "olle@kommun.se"  # administrator of another nämnd (Kommunstyrelsen) only
ROLES_AND_NONE: list[Role | None] = [*Role, None]


def login(email: str) -> Identity:
    return Identity.login(subject=f"sub-{email}", name=email.split("@")[0].title(), email=email)


ADMIN = login(EMAILS[Role.ADMINISTRATOR])

A, R, D = Role.ADMINISTRATOR, Role.REDAKTOR, Role.DELTAGARE
# The least role each mutating use case needs in Socialnämnden (on the rows of
# test_transactions). Roles, organisation and the installation's key are the
# administrator's; a participant scores only their own votes; the rest is the redaktör's.
MINIMUM_ROLE: dict[str, Role] = {
    "access.bootstrap_administrator": A,
    "access.grant": A,
    "access.revoke": A,
    "organisation.create_namnd": A,
    "pseudonym_key.create": A,
    "pseudonym_key.export": A,
    "workshop.cast_vote": D,
    "demo.load_demo": R,
    "deviations.create_risk_from_pattern": R,
    "deviations.import_deviations": R,
    "deviations.link_to_risk": R,
    "egenkontroll.draw": R,
    "egenkontroll.evaluate_checklist": R,
    "egenkontroll.import_checklist": R,
    "egenkontroll.plan_egenkontroll": R,
    "egenkontroll.record_draw": R,
    "exports.export_excel": R,
    "exports.export_kvalitetsberattelse": R,
    "exports.export_package": R,
    "plan.add_action": R,
    "plan.add_catalog_suggestions": R,
    "plan.add_control": R,
    "plan.approve": R,
    "plan.copy_to_next_year": R,
    "plan.delete_action": R,
    "plan.delete_control": R,
    "plan.new_version": R,
    "plan.propose": R,
    "plan.record_control_followup": R,
    "plan.record_risk_followup": R,
    "plan.save_actions": R,
    "plan.save_controls": R,
    "plan.set_action_status": R,
    "plan.set_must_include": R,
    "plan.set_opinion": R,
    "plan.set_override": R,
    "plan.set_treatment": R,
    "plan.submit": R,
    "plan.update_control": R,
    "plan.withdraw": R,
    "scenarios.apply_likelihood": R,
    "scenarios.record_run": R,
    "scenarios.save_scenario": R,
    "workshop.add_participant": R,
    "workshop.add_risk": R,
    "workshop.add_risk_from_template": R,
    "workshop.confirm_all": R,
    "workshop.confirm_assessment": R,
    "workshop.confirm_undisputed": R,
    "workshop.create_analysis": R,
    "workshop.delete_risk": R,
    "workshop.remove_participant": R,
    "workshop.restore_risk": R,
    "workshop.update_analysis": R,
    "workshop.update_participant": R,
    "workshop.update_risk": R,
}
# Reads that show no nämnd's data, so anyone logged in may run them: whether the database
# is shared, one's own roles, the organisation tree (not secret), the change counter, the
# filter choices (kinds of rows; the people behind readable entries), the hash-chain check
# (a count and the position of a break) and the installation's pseudonym key.
NOT_NAMND_DATA: frozenset[str] = frozenset(
    {
        "access.is_shared",
        "audit.audit_filters",
        "audit.verify_audit_log",
        "changes.change_stamp",
        "deviations.namnd_id",
        "organisation.namnd_named",
        "organisation.units_below",
        "pseudonym_key.key_status",
        "pseudonym_key.open_key",
    }
)
# How a read that is not refused shows nothing of Socialnämnden to someone without a role
# there (otherwise: an empty answer).
Hidden = Callable[[Any, "SharedWorld"], bool]
SHOWS_NOTHING: dict[str, Hidden] = {
    "access.my_roles": lambda roles, w: w.namnd_id not in roles,
    "organisation.list_namnder": lambda units, w: w.namnd_id not in {u.id for u in units},
    "audit.audit_view": lambda view, _: not view.lines,
    "exports.export_overview": lambda overview, _: overview.plan is None,
}
# Use cases that change nothing a role guards (some read files, pseudonym_key.open_key
# registers the installation's key fingerprint on first use, a system row).
READS: frozenset[str] = frozenset(
    {
        "access.is_shared",
        "access.list_grants",
        "access.my_roles",
        "audit.audit_filters",
        "audit.audit_log",
        "audit.audit_view",
        "audit.verify_audit_log",
        "changes.change_stamp",
        "deviations.compare_periods",
        "deviations.export_rows",
        "deviations.monthly_counts",
        "deviations.namnd_id",
        "deviations.preview_import",
        "deviations.risk_evidence",
        "deviations.summary",
        "deviations.tertial_counts",
        "deviations.top_causes",
        "deviations.years",
        "egenkontroll.answer_counts",
        "egenkontroll.checklist_workbook",
        "egenkontroll.draws",
        "egenkontroll.evaluate",
        "egenkontroll.plans",
        "egenkontroll.sampled_cases",
        "egenkontroll.trend",
        "exports.export_overview",
        "exports.verify_package",
        "organisation.list_namnder",
        "organisation.namnd_named",
        "organisation.units_below",
        "plan.current_plan",
        "plan.diff",
        "plan.find_plan",
        "plan.find_plan_risk",
        "plan.find_plan_view",
        "plan.followup_summary",
        "plan.record_followup",
        "plan.versions",
        "plan.view",
        "pseudonym_key.key_status",
        "pseudonym_key.open_key",
        "scenarios.evidence_for",
        "scenarios.get_run",
        "scenarios.runs_for_scenario",
        "scenarios.scenarios",
        "workshop.analyses_for",
        "workshop.check_scales_in_use",
        "workshop.chosen_or_default_analysis",
        "workshop.find_analysis",
        "workshop.get_analysis",
        "workshop.get_risk",
        "workshop.list_risks",
        "workshop.participants",
        "workshop.votes_for_analysis",
    }
)


@dataclass
class SharedWorld(World):
    """The populated database with roles granted; preparation runs as the administrator."""

    def uow(self) -> UnitOfWork:
        return UnitOfWork(engine_for(self.url), ADMIN)


def grant_roles(url: str, namnd_id: int, analysis_id: int) -> None:
    """Make the database shared: one person per role in the nämnd; the first participant
    of the analysis is the deltagare (by e-mail)."""
    engine = engine_for(url)
    access.bootstrap_administrator(
        UnitOfWork(engine, Identity.command_line("drift")),
        email=EMAILS[Role.ADMINISTRATOR],
        namnd_id=namnd_id,
    )
    for role in (Role.REDAKTOR, Role.DELTAGARE, Role.LASARE):
        access.grant(UnitOfWork(engine, ADMIN), email=EMAILS[role], role=role, namnd_id=namnd_id)
    first = workshop.participants(UnitOfWork(engine, ADMIN), analysis_id)[0]
    workshop.update_participant(
        UnitOfWork(engine, ADMIN), first.model_copy(update={"email": EMAILS[Role.DELTAGARE]})
    )


def other_namnd(url: str, administrator: str = ELSEWHERE) -> int:
    """A second nämnd with ``administrator`` as its administrator (and no other role)."""
    engine = engine_for(url)
    drift = Identity.command_line("drift")
    created = organisation.create_namnd(
        UnitOfWork(engine, drift), "Exempelkommun", "Kommunstyrelsen"
    )
    assert created.id is not None
    access.bootstrap_administrator(
        UnitOfWork(engine, drift), email=administrator, namnd_id=created.id
    )
    return created.id


@pytest.fixture(scope="module")
def shared_template(
    template: tuple[Path, World], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, World]:
    source, populated = template
    database = tmp_path_factory.mktemp("behorigheter") / "delad.db"
    shutil.copyfile(source, database)
    url = f"sqlite:///{database}"
    other_namnd(url)  # created while the database is not yet shared
    grant_roles(url, populated.namnd_id, populated.analysis_id)
    engine_for(url).dispose()
    return database, populated


@pytest.fixture
def shared(shared_template: tuple[Path, World], tmp_path: Path) -> SharedWorld:
    source, populated = shared_template
    copy = tmp_path / "riskmotor.db"
    shutil.copyfile(source, copy)
    return SharedWorld(**{**populated.__dict__, "url": f"sqlite:///{copy}", "out": tmp_path})


def table_counts(engine: Engine) -> dict[str, int]:
    tables = MetaData()
    tables.reflect(engine)
    with engine.connect() as connection:
        return {
            name: int(connection.scalar(select(func.count()).select_from(table)) or 0)
            for name, table in tables.tables.items()
        }


def files(folder: Path) -> set[str]:
    return {p.name for p in folder.rglob("*") if not p.name.startswith("riskmotor.db")}


@dataclass
class Outcome:
    error: AccessDeniedError | None = None
    result: Any = None
    before: dict[str, int] = field(default_factory=dict)
    after: dict[str, int] = field(default_factory=dict)
    files_before: set[str] = field(default_factory=set)
    files_after: set[str] = field(default_factory=set)


def run_as(world: World, name: str, identity: Identity) -> Outcome:
    """Run the row of ``name`` with preparation as the administrator and the use case
    itself as ``identity``."""
    capability, function_name = name.split(".")
    module = getattr(riskmotor.services, capability)
    use_case = getattr(module, function_name)
    outcome = Outcome()

    def wrapped(uow: UnitOfWork, *args: Any, **kwargs: Any) -> Any:
        outcome.before, outcome.files_before = table_counts(uow.engine), files(world.out)
        try:
            outcome.result = use_case(UnitOfWork(uow.engine, identity, uow.clock), *args, **kwargs)
            return outcome.result
        finally:
            outcome.after, outcome.files_after = table_counts(uow.engine), files(world.out)

    setattr(module, function_name, wrapped)
    try:
        USE_CASES[name](world)
    except AccessDeniedError as exc:
        outcome.error = exc
    finally:
        setattr(module, function_name, use_case)
    assert outcome.before, f"the row for {name} never called it"
    return outcome


def test_every_use_case_is_classified() -> None:
    assert not MINIMUM_ROLE.keys() & READS
    unclassified = sorted(set(USE_CASES) - MINIMUM_ROLE.keys() - READS)
    assert unclassified == [], "use cases without a minimum role (or a place in READS)"
    assert sorted((MINIMUM_ROLE.keys() | READS) - set(USE_CASES)) == []


def _role_id(role: Role | None) -> str:
    return role.name.lower() if role else "ingen_roll"


@pytest.mark.parametrize("role", ROLES_AND_NONE, ids=_role_id)
@pytest.mark.parametrize("name", sorted(MINIMUM_ROLE))
def test_a_change_needs_its_role(name: str, role: Role | None, shared: SharedWorld) -> None:
    outcome = run_as(shared, name, login(EMAILS[role] if role else NO_ROLE))
    if role is not None and role.allows(MINIMUM_ROLE[name]):
        assert outcome.error is None
        return
    assert outcome.error is not None, f"{name} was allowed to {_role_id(role)}"
    assert "behörighet" in str(outcome.error) or "egna röster" in str(outcome.error)
    assert outcome.after == outcome.before, "a refused use case wrote rows"
    assert outcome.files_after == outcome.files_before, "a refused use case wrote files"


@pytest.mark.parametrize("name", sorted(READS))
def test_a_lasare_reads(name: str, shared: SharedWorld) -> None:
    outcome = run_as(shared, name, login(EMAILS[Role.LASARE]))
    assert outcome.error is None


@pytest.mark.parametrize("name", sorted(READS))
def test_a_role_in_another_namnd_reads_nothing_here(name: str, shared: SharedWorld) -> None:
    """Refused with a Swedish message, or an answer that shows nothing of the nämnd."""
    outcome = run_as(shared, name, login(ELSEWHERE))
    if name in NOT_NAMND_DATA:
        assert outcome.error is None
        return
    if outcome.error is not None:
        assert str(outcome.error) in {
            "Du har inte behörighet att läsa i Socialnämnden: det kräver minst rollen läsare.",
            "Du har inte behörighet att se behörigheterna i Socialnämnden: det kräver rollen "
            "administratör.",
        }
        return
    shows_nothing = SHOWS_NOTHING.get(name, lambda result, _: not result)
    assert shows_nothing(outcome.result, shared), f"{name} showed {outcome.result!r}"


def test_classified_reads_are_reads() -> None:
    assert NOT_NAMND_DATA <= READS and SHOWS_NOTHING.keys() <= READS


def test_refusal_names_the_namnd_and_the_roles(shared: SharedWorld) -> None:
    lasare = UnitOfWork(engine_for(shared.url), login(EMAILS[Role.LASARE]))
    with pytest.raises(AccessDeniedError) as refused:
        workshop.add_risk(lasare, shared.catalog, {"analysis_id": shared.analysis_id, "title": "X"})
    assert str(refused.value) == (
        "Du har inte behörighet att ändra i Socialnämnden: det kräver rollen redaktör, "
        "du har läsare."
    )
