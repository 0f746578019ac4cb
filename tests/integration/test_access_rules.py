"""Access rules on both databases (SQLite, and PostgreSQL when configured): local mode,
unauthenticated writes on a shared database, a participant's own votes, the audit log's
"who", narrowed listings and the grants themselves. The table of every use case and role
is in ``test_authorisation``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from riskmotor.catalogs import Catalog
from riskmotor.domain.access import Identity, Role
from riskmotor.errors import AccessDeniedError
from riskmotor.persistence.database import engine_for
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.services import access, demo, organisation, workshop
from tests.integration.test_authorisation import ADMIN, EMAILS, NO_ROLE, grant_roles, login


@pytest.fixture
def loaded(db_url: str, catalog: Catalog) -> Iterator[tuple[Engine, demo.DemoResult]]:
    engine = engine_for(db_url)
    yield engine, demo.load_demo(UnitOfWork(engine, "förberedelse"), catalog)
    engine.dispose()


def test_local_mode_allows_everything(
    loaded: tuple[Engine, demo.DemoResult], catalog: Catalog
) -> None:
    engine, ids = loaded
    for who in (Identity.local("Anna"), Identity.command_line("root")):
        created = workshop.add_risk(
            UnitOfWork(engine, who), catalog, {"analysis_id": ids.analysis_id, "title": who.name}
        )
        assert created.id is not None
    assert access.is_shared(UnitOfWork(engine, "Anna")) is False


def test_login_is_checked_even_before_the_database_is_shared(
    loaded: tuple[Engine, demo.DemoResult], catalog: Catalog
) -> None:
    engine, ids = loaded
    # refused already when the analysis is read: reading needs a role too
    with pytest.raises(AccessDeniedError, match="behörighet att läsa i Socialnämnden"):
        workshop.add_risk(
            UnitOfWork(engine, login(NO_ROLE)),
            catalog,
            {"analysis_id": ids.analysis_id, "title": "X"},
        )


def test_unauthenticated_writes_are_refused_on_a_shared_database_but_reads_work(
    loaded: tuple[Engine, demo.DemoResult], db_url: str, catalog: Catalog
) -> None:
    engine, ids = loaded
    grant_roles(db_url, ids.namnd_id, ids.analysis_id)
    draft = {"analysis_id": ids.analysis_id, "title": "Ny risk"}
    with pytest.raises(AccessDeniedError, match="--as E-POST"):
        workshop.add_risk(UnitOfWork(engine, Identity.command_line("root")), catalog, draft)
    with pytest.raises(AccessDeniedError, match="Databasen är delad"):
        workshop.add_risk(UnitOfWork(engine, Identity.local("Anna")), catalog, draft)
    assert workshop.list_risks(
        UnitOfWork(engine, Identity.command_line("root")), catalog, ids.analysis_id
    )
    acting = Identity.command_line("root", acting_as=EMAILS[Role.REDAKTOR])
    assert workshop.add_risk(UnitOfWork(engine, acting), catalog, draft).id is not None


def test_a_participant_votes_only_as_themselves(
    loaded: tuple[Engine, demo.DemoResult], db_url: str, catalog: Catalog
) -> None:
    engine, ids = loaded
    grant_roles(db_url, ids.namnd_id, ids.analysis_id)
    own, other = workshop.participants(UnitOfWork(engine, ADMIN), ids.analysis_id)[:2]
    assert own.email == EMAILS[Role.DELTAGARE] and own.id and other.id
    risk = workshop.list_risks(UnitOfWork(engine, ADMIN), catalog, ids.analysis_id)[0]
    dan = login(EMAILS[Role.DELTAGARE])
    vote = workshop.cast_vote(UnitOfWork(engine, dan), catalog, risk.id, own.id, 3, 2)
    assert (vote.participant_id, vote.likelihood) == (own.id, 3)
    theirs = next(
        (v for v in workshop.votes_for_analysis(UnitOfWork(engine, ADMIN), ids.analysis_id)
         if (v.risk_id, v.participant_id) == (risk.id, other.id)),
        None,
    )  # fmt: skip
    changed = 1 if theirs is None or theirs.likelihood != 1 else 2  # a real change
    with pytest.raises(AccessDeniedError, match="Du kan bara ändra dina egna röster"):
        workshop.cast_vote(UnitOfWork(engine, dan), catalog, risk.id, other.id, changed, 1)
    with pytest.raises(AccessDeniedError, match="läsare"):
        workshop.cast_vote(
            UnitOfWork(engine, login(EMAILS[Role.LASARE])), catalog, risk.id, own.id, 1, 1
        )
    # the facilitator (redaktör) still records the votes of those without a device
    rut = login(EMAILS[Role.REDAKTOR])
    assert workshop.cast_vote(UnitOfWork(engine, rut), catalog, risk.id, other.id, changed, 1).id


def test_the_audit_log_names_the_identity(
    loaded: tuple[Engine, demo.DemoResult], db_url: str, catalog: Catalog
) -> None:
    engine, ids = loaded
    grant_roles(db_url, ids.namnd_id, ids.analysis_id)
    rut = login(EMAILS[Role.REDAKTOR])
    workshop.add_risk(
        UnitOfWork(engine, rut), catalog, {"analysis_id": ids.analysis_id, "title": "A"}
    )
    acting = Identity.command_line("root", acting_as="RUT@kommun.se")
    workshop.add_risk(
        UnitOfWork(engine, acting), catalog, {"analysis_id": ids.analysis_id, "title": "B"}
    )
    with UnitOfWork(engine, ADMIN) as tx:
        actors = [e.actor for e in tx.audit.entries(entity="risk", limit=2)]
    assert actors == ["kommandorad: root som rut@kommun.se", "Rut <rut@kommun.se>"]


def test_a_login_sees_only_the_namnder_where_it_has_a_role(
    loaded: tuple[Engine, demo.DemoResult],
    db_url: str,
) -> None:
    engine, ids = loaded
    other = organisation.create_namnd(
        UnitOfWork(engine, "Anna"), "Exempelkommun", "Kommunstyrelsen"
    )
    grant_roles(db_url, ids.namnd_id, ids.analysis_id)
    lars = login(EMAILS[Role.LASARE])
    assert [u.id for u in organisation.list_namnder(UnitOfWork(engine, lars))] == [ids.namnd_id]
    assert [u.id for u in organisation.list_namnder(UnitOfWork(engine, lars))] == [ids.namnd_id]
    assert organisation.list_namnder(UnitOfWork(engine, login(NO_ROLE))) == []
    assert (
        workshop.chosen_or_default_analysis(UnitOfWork(engine, login(NO_ROLE)), ids.analysis_id)
        is None
    )
    assert access.my_roles(UnitOfWork(engine, lars)) == {ids.namnd_id: Role.LASARE}
    everyone = {
        u.id for u in organisation.list_namnder(UnitOfWork(engine, Identity.command_line("root")))
    }
    assert everyone == {ids.namnd_id, other.id}


def test_grants_are_listed_revoked_and_only_administrators_change_them(
    loaded: tuple[Engine, demo.DemoResult],
    db_url: str,
) -> None:
    engine, ids = loaded
    grant_roles(db_url, ids.namnd_id, ids.analysis_id)
    listed = access.list_grants(UnitOfWork(engine, ADMIN), ids.namnd_id)
    assert {(g.email, g.role) for g in listed} == {(e, r) for r, e in EMAILS.items()}
    assert all(g.namnd == "Socialnämnden" and g.granted_at.tzinfo for g in listed)
    with pytest.raises(AccessDeniedError, match="administratör, du har redaktör"):
        access.grant(
            UnitOfWork(engine, login(EMAILS[Role.REDAKTOR])),
            email=NO_ROLE,
            role=Role.LASARE,
            namnd_id=ids.namnd_id,
        )
    with pytest.raises(AccessDeniedError, match="users grant"):
        access.bootstrap_administrator(
            UnitOfWork(engine, login(NO_ROLE)), email=NO_ROLE, namnd_id=_new_namnd(engine)
        )
    access.grant(
        UnitOfWork(engine, ADMIN),
        email=" Nora@Kommun.se ",
        role=Role.DELTAGARE,
        namnd_id=ids.namnd_id,
    )
    assert access.my_roles(UnitOfWork(engine, login(NO_ROLE))) == {ids.namnd_id: Role.DELTAGARE}
    access.revoke(UnitOfWork(engine, ADMIN), email=NO_ROLE, namnd_id=ids.namnd_id)
    assert access.my_roles(UnitOfWork(engine, login(NO_ROLE))) == {}


def _new_namnd(engine: Engine) -> int:
    created = organisation.create_namnd(UnitOfWork(engine, ADMIN), "Exempelkommun", "Ny nämnd")
    assert created.id is not None
    return created.id
