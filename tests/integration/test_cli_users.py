"""``riskmotor users`` and ``riskmotor --as``: roles per nämnd from the command line (issue 14)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner, Result

from riskmotor.catalogs import Catalog
from riskmotor.cli import main
from riskmotor.persistence.database import engine_for
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.services import demo

ENV = {"RISKMOTOR_USER": "drift"}
NAMND = ["--namnd", "Socialnämnden"]


def run(db_url: str, *args: str, acting_as: str | None = None) -> Result:
    prefix = ["--as", acting_as] if acting_as else []
    return CliRunner().invoke(main, [*prefix, *args, "--db", db_url], env=ENV)


@pytest.fixture
def demo_db(db_url: str, catalog: Catalog) -> str:
    demo.load_demo(UnitOfWork(engine_for(db_url), "förberedelse"), catalog)
    return db_url


def grant(db_url: str, email: str, role: str, acting_as: str | None = None) -> Result:
    return run(
        db_url, "users", "grant", "--email", email, "--role", role, *NAMND, acting_as=acting_as
    )


def test_the_first_grant_makes_the_database_shared(demo_db: str) -> None:
    empty = run(demo_db, "users", "list")
    assert empty.exit_code == 0 and "lokalt läge" in empty.output
    first = grant(demo_db, "Anna.Admin@Kommun.se", "administratör")
    assert first.exit_code == 0, first.output
    assert "anna.admin@kommun.se är administratör i Socialnämnden." in first.output
    assert "Databasen är nu delad" in first.output
    listed = run(demo_db, "users", "list", "--json")
    assert [(g["email"], g["role"], g["granted_by"]) for g in json.loads(listed.output)] == [
        ("anna.admin@kommun.se", "administratör", "kommandorad: drift")
    ]
    table = run(demo_db, "users", "list")
    assert table.output.splitlines()[0].split() == [
        "E-post",
        "Nämnd",
        "Roll",
        "Utdelad",
        "av",
        "Utdelad",
        "den",
    ]


def test_on_a_shared_database_writes_need_as_and_the_right_role(demo_db: str) -> None:
    assert grant(demo_db, "anna@kommun.se", "administratör").exit_code == 0
    add = ["risks", "add", *NAMND, "--year", "2027", "--title", "Ny risk från kommandoraden"]
    refused = run(demo_db, *add)
    assert refused.exit_code == 1
    assert "Kommandoraden ändrar bara data i en delad databas med --as E-POST" in refused.output
    read = run(demo_db, "risks", "list", *NAMND, "--year", "2027")
    assert read.exit_code == 0 and read.output.strip()
    # the second administrator needs an administrator's --as; then roles work as granted
    assert grant(demo_db, "eve@kommun.se", "redaktör").exit_code == 1
    assert grant(demo_db, "eve@kommun.se", "läsare", acting_as="anna@kommun.se").exit_code == 0
    as_reader = run(demo_db, *add, acting_as="eve@kommun.se")
    assert as_reader.exit_code == 1
    assert "det kräver rollen redaktör, du har läsare" in as_reader.output
    assert grant(demo_db, "eve@kommun.se", "redaktör", acting_as="anna@kommun.se").exit_code == 0
    assert run(demo_db, *add, acting_as="EVE@kommun.se").exit_code == 0
    log = run(demo_db, "audit", "verify")
    assert log.exit_code == 0, log.output
    with UnitOfWork(engine_for(demo_db), "läsare") as tx:
        assert (
            tx.audit.entries(entity="risk", limit=1)[0].actor
            == "kommandorad: drift som eve@kommun.se"
        )


def test_revoke_takes_the_role_away(demo_db: str) -> None:
    assert grant(demo_db, "anna@kommun.se", "administratör").exit_code == 0
    assert grant(demo_db, "bo@kommun.se", "deltagare", acting_as="anna@kommun.se").exit_code == 0
    revoked = run(
        demo_db, "users", "revoke", "--email", "bo@kommun.se", *NAMND, acting_as="anna@kommun.se"
    )
    assert revoked.exit_code == 0
    assert "bo@kommun.se har inte längre rollen deltagare i Socialnämnden." in revoked.output
    again = run(
        demo_db, "users", "revoke", "--email", "bo@kommun.se", *NAMND, acting_as="anna@kommun.se"
    )
    assert again.exit_code == 1 and "har ingen roll i Socialnämnden" in again.output


def test_bad_input_is_refused_in_swedish(demo_db: str) -> None:
    bad_role = grant(demo_db, "anna@kommun.se", "chef")
    assert bad_role.exit_code == 2 and "chef" in bad_role.output
    bad_as = run(demo_db, "users", "list", acting_as="inte-en-adress")
    assert bad_as.exit_code == 2 and "ingen giltig e-postadress" in bad_as.output
    bad_email = grant(demo_db, "inte-en-adress", "läsare")
    assert bad_email.exit_code == 1 and "ingen giltig e-postadress" in bad_email.output


def test_help_documents_as() -> None:
    shown = CliRunner().invoke(main, ["--help"])
    assert "--as E-POST" in shown.output and "users" in shown.output
