"""Reads are checked for logged-in users (issue 14), on both databases: a nämnd's rows are
read only with a role there, listings of grants and of the audit log are narrowed, and
local mode and the command line read as before. The table of every read use case is in
``test_authorisation``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine, event

from riskmotor.catalogs import Catalog
from riskmotor.domain.access import Identity, Role
from riskmotor.errors import AccessDeniedError
from riskmotor.persistence.database import engine_for
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.reports.audit import AuditQuery
from riskmotor.services import access, audit, demo, deviations, plan, workshop
from tests.integration.test_authorisation import (
    ADMIN,
    ELSEWHERE,
    EMAILS,
    grant_roles,
    login,
    other_namnd,
)
from tests.integration.test_transactions import EXAMPLE_DEVIATIONS

REFUSED = "Du har inte behörighet att läsa i Socialnämnden: det kräver minst rollen läsare."
LARS = login(EMAILS[Role.LASARE])
OLLE = login(ELSEWHERE)


@dataclass
class Shared:
    engine: Engine
    ids: demo.DemoResult
    other_id: int
    plan_id: int


@pytest.fixture
def shared(db_url: str, catalog: Catalog) -> Iterator[Shared]:
    engine = engine_for(db_url)
    ids = demo.load_demo(UnitOfWork(engine, "förberedelse"), catalog)
    other_id = other_namnd(db_url)
    grant_roles(db_url, ids.namnd_id, ids.analysis_id)
    proposed = plan.propose(UnitOfWork(engine, ADMIN), catalog, ids.namnd_id, 2027)
    assert proposed.id is not None
    yield Shared(engine, ids, other_id, proposed.id)
    engine.dispose()


def test_a_role_elsewhere_is_refused_with_a_swedish_message(
    shared: Shared, catalog: Catalog
) -> None:
    analysis_id = shared.ids.analysis_id
    risk = workshop.list_risks(UnitOfWork(shared.engine, LARS), catalog, analysis_id)[0]
    assert risk.id is not None
    for read in (
        lambda uow: workshop.get_analysis(uow, analysis_id),
        lambda uow: workshop.get_risk(uow, risk.id),
        lambda uow: workshop.votes_for_analysis(uow, analysis_id),
        lambda uow: plan.view(uow, catalog, shared.plan_id),
        lambda uow: deviations.years(uow, shared.ids.namnd_id),
    ):
        assert read(UnitOfWork(shared.engine, LARS))
        with pytest.raises(AccessDeniedError) as refused:
            read(UnitOfWork(shared.engine, OLLE))
        assert str(refused.value) == REFUSED


def test_a_refused_row_is_checked_again_when_read_again(shared: Shared) -> None:
    kept = []  # the refusals (their tracebacks hold the loaded row, keeping it in memory)
    with UnitOfWork(shared.engine, OLLE) as tx:
        for _ in range(2):  # not served from the session's memory the second time
            with pytest.raises(AccessDeniedError) as refused:
                tx.analyses.get(shared.ids.analysis_id)
            kept.append(refused)


def test_local_mode_and_the_command_line_read_freely_on_a_shared_database(
    shared: Shared, catalog: Catalog
) -> None:
    for who in (Identity.local("Anna"), Identity.command_line("root")):
        view = plan.view(UnitOfWork(shared.engine, who), catalog, shared.plan_id)
        assert view.included
        assert audit.audit_log(UnitOfWork(shared.engine, who), analysis_id=shared.ids.analysis_id)


def test_the_audit_log_shows_only_readable_namnder(shared: Shared) -> None:
    mine = audit.audit_log(UnitOfWork(shared.engine, LARS), analysis_id=shared.ids.analysis_id)
    assert mine and len(mine) == len(
        audit.audit_log(UnitOfWork(shared.engine, ADMIN), analysis_id=shared.ids.analysis_id)
    )
    assert (
        audit.audit_log(UnitOfWork(shared.engine, OLLE), analysis_id=shared.ids.analysis_id) == []
    )
    seen_elsewhere = audit.audit_view(UnitOfWork(shared.engine, OLLE), AuditQuery(limit=2000))
    subjects = {line.entity for line in seen_elsewhere.lines}
    assert "Risk" not in subjects and seen_elsewhere.lines  # units and Kommunstyrelsen's grant
    assert audit.verify_audit_log(UnitOfWork(shared.engine, OLLE)).ok  # every entry counted


def test_grants_are_seen_by_their_holder_and_the_administrators(shared: Shared) -> None:
    namnd_id = shared.ids.namnd_id
    own = access.list_grants(UnitOfWork(shared.engine, LARS))
    assert [(g.email, g.role) for g in own] == [(EMAILS[Role.LASARE], Role.LASARE)]
    assert len(access.list_grants(UnitOfWork(shared.engine, ADMIN), namnd_id)) == len(EMAILS)
    assert access.list_grants(UnitOfWork(shared.engine, OLLE), namnd_id) == []
    with UnitOfWork(shared.engine, LARS) as tx, pytest.raises(AccessDeniedError) as refused:
        tx.user_roles.find(EMAILS[Role.REDAKTOR], namnd_id)
    assert "kräver rollen administratör" in str(refused.value)


def test_reads_past_the_orm_check_the_role_first(shared: Shared, catalog: Catalog) -> None:
    source = EXAMPLE_DEVIATIONS / "avvikelser-2023.csv"
    args = (catalog, shared.ids.namnd_id, source, source.name)
    assert deviations.preview_import(UnitOfWork(shared.engine, LARS), *args).duplicates
    with pytest.raises(AccessDeniedError, match="minst rollen läsare"):
        deviations.preview_import(UnitOfWork(shared.engine, OLLE), *args)


def test_checking_a_plan_view_costs_a_few_queries_not_one_per_row(
    shared: Shared, catalog: Catalog
) -> None:
    counted: list[str] = []

    def count(*args: object) -> None:
        counted.append(str(args[2]))

    def queries(identity: Identity) -> int:
        counted.clear()
        event.listen(shared.engine, "before_cursor_execute", count)
        try:
            view = plan.view(UnitOfWork(shared.engine, identity), catalog, shared.plan_id)
        finally:
            event.remove(shared.engine, "before_cursor_execute", count)
        assert len(view.risks) > 10
        return len(counted)

    # the identity's roles and the organisation tree; parents come from the loaded rows
    assert queries(LARS) <= queries(Identity.local("Anna")) + 2
