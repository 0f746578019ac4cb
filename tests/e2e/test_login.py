"""Login through a real OpenID Provider, roles per nämnd, and the audit log's "who".

The provider is oidc-provider on loopback (tests/e2e/oidc); the UI runs with [auth] in its
secrets on a fresh database whose roles were granted through the services: one redaktör,
one läsare and two deltagare of the demo analysis (participants with e-mail addresses).
People log in in browser contexts of their own, so each has their own login cookie.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from riskmotor.domain.access import Identity, Role
from riskmotor.errors import AccessDeniedError
from riskmotor.persistence.database import engine_for
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.services import access, audit, demo, workshop
from tests.conftest import shared_catalog
from tests.e2e.conftest import (
    CHROMIUM_ARGS,
    _chromium,
    _free_port,
    assert_no_exception,
    followed_page,
)
from tests.e2e.oidc.harness import (
    log_in,
    oidc_provider,
    switch_to,
    ui_with_login,
    write_secrets,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.e2e

ADMIN = "ada.admin@exempel.se"
EDITOR = "rita.redaktor@exempel.se"
READER = "lars.lasare@exempel.se"
VOTERS = ("dana.deltagare@exempel.se", "dino.deltagare@exempel.se")


@dataclass
class Shared:
    base: str
    database_url: str
    namnd_id: int
    analysis_id: int

    def uow(self, identity: Identity) -> UnitOfWork:
        return UnitOfWork(engine_for(self.database_url), identity)


def as_logged_in(email: str) -> Identity:
    """The identity the app builds for ``email`` from the provider's ID token: provider.mjs
    derives the subject and the name from the address the same way."""
    name = " ".join(part.capitalize() for part in email.split("@")[0].split("."))
    subject = hashlib.sha256(email.encode()).hexdigest()[:24]
    return Identity.login(subject=subject, name=name, email=email)


def prepare(database_url: str) -> tuple[int, int]:
    """Demo data, then the roles and the participants, all through the services."""
    loaded = demo.load_demo(UnitOfWork(engine_for(database_url), "demo"), shared_catalog())
    namnd_id, analysis_id = loaded.namnd_id, loaded.analysis_id
    server = Identity.command_line("root")
    admin = Identity.command_line("root", acting_as=ADMIN)
    engine = engine_for(database_url)
    access.bootstrap_administrator(UnitOfWork(engine, server), email=ADMIN, namnd_id=namnd_id)
    roles = {EDITOR: Role.REDAKTOR, READER: Role.LASARE} | dict.fromkeys(VOTERS, Role.DELTAGARE)
    for email, role in roles.items():
        access.grant(UnitOfWork(engine, admin), email=email, role=role, namnd_id=namnd_id)
    for email in VOTERS:
        workshop.add_participant(
            UnitOfWork(engine, as_logged_in(EDITOR)),
            analysis_id,
            as_logged_in(email).name,
            "Enhetschef",
            email=email,
        )
    return namnd_id, analysis_id


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shared]:
    folder = tmp_path_factory.mktemp("login")
    database_url = f"sqlite:///{folder / 'delad.db'}"
    namnd_id, analysis_id = prepare(database_url)
    port = _free_port()
    with oidc_provider([f"http://127.0.0.1:{port}/oauth2callback"]) as issuer:
        secrets = write_secrets(folder / "secrets.toml", issuer)
        with ui_with_login(database_url, port, secrets) as base:
            yield Shared(base, database_url, namnd_id, analysis_id)


@pytest.fixture(scope="module")
def browser(shared: Shared) -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    executable = _chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def sidebar(page: Page) -> str:
    return page.locator("[data-testid='stSidebar']").inner_text()


def test_nothing_is_shown_before_login(shared: Shared, browser: Browser) -> None:
    page = followed_page(browser)
    page.goto(shared.base)
    page.get_by_role("button", name="Logga in").wait_for()
    assert page.locator("[data-testid='stSidebarNav']").count() == 0
    assert "Riskidentifiering" not in page.locator("[data-testid='stMain']").inner_text()
    page.context.close()


def test_two_people_are_logged_in_side_by_side(shared: Shared, browser: Browser) -> None:
    editor, reader = followed_page(browser), followed_page(browser)
    log_in(editor, shared.base, EDITOR)
    log_in(reader, shared.base, READER)
    assert "Inloggad som Rita Redaktor" in sidebar(editor) and EDITOR in sidebar(editor)
    assert "Inloggad som Lars Lasare" in sidebar(reader) and READER in sidebar(reader)
    assert "Lokalt läge" not in sidebar(editor)
    assert_no_exception(editor, "start, redaktör")
    assert_no_exception(reader, "start, läsare")
    editor.context.close()
    reader.context.close()


def test_a_reader_cannot_change_anything(shared: Shared, browser: Browser) -> None:
    reader = followed_page(browser)
    log_in(reader, shared.base, READER)
    before = workshop.participants(shared.uow(as_logged_in(READER)), shared.analysis_id)
    add = reader.get_by_role("button", name="Lägg till deltagare")
    if add.count():  # offered anyway: then the server must refuse it, in Swedish
        form = reader.locator("[data-testid='stForm']").filter(has=add)
        form.get_by_label("Namn", exact=True).fill("Obehörig Person")
        add.click()
        reader.get_by_text("behörighet", exact=False).first.wait_for()
    after = workshop.participants(shared.uow(as_logged_in(READER)), shared.analysis_id)
    assert [p.name for p in after] == [p.name for p in before]
    assert_no_exception(reader, "start, läsare")
    reader.context.close()
    # The same refusal by calling the service as the läsare, not through the page.
    with pytest.raises(AccessDeniedError, match="behörighet"):
        workshop.add_participant(
            shared.uow(as_logged_in(READER)), shared.analysis_id, "Obehörig Person"
        )


def test_votes_are_recorded_under_each_participants_identity(
    shared: Shared, browser: Browser
) -> None:
    catalog = shared_catalog()
    risk = workshop.list_risks(shared.uow(as_logged_in(EDITOR)), catalog, shared.analysis_id)[0]
    people = {
        p.email: p
        for p in workshop.participants(shared.uow(as_logged_in(EDITOR)), shared.analysis_id)
    }
    for score, email in enumerate(VOTERS, start=2):
        voter = followed_page(browser)
        log_in(voter, shared.base, email)
        assert f"Inloggad som {as_logged_in(email).name}" in sidebar(voter)
        voter.context.close()
        # The Bedömning page's own-vote view is another change; the vote is cast through
        # the service as the identity the login produced.
        participant_id = people[email].id
        assert participant_id is not None
        workshop.cast_vote(
            shared.uow(as_logged_in(email)), catalog, risk.id, participant_id, score, score
        )
    # A deltagare may not vote for someone else.
    other = people[VOTERS[1]].id
    assert other is not None
    with pytest.raises(AccessDeniedError):
        workshop.cast_vote(shared.uow(as_logged_in(VOTERS[0])), catalog, risk.id, other, 4, 4)

    votes = workshop.votes_for_analysis(shared.uow(as_logged_in(EDITOR)), shared.analysis_id)
    ours = {people[email].id: email for email in VOTERS}
    by_person = {
        ours[v.participant_id]: (v.likelihood, v.consequence)
        for v in votes
        if v.risk_id == risk.id and v.participant_id in ours
    }
    assert by_person == {VOTERS[0]: (2, 2), VOTERS[1]: (3, 3)}
    entries = audit.audit_log(
        shared.uow(as_logged_in(EDITOR)), analysis_id=shared.analysis_id, entity="vote"
    )
    since_login = {entry.actor for entry in entries if entry.actor != "demo"}
    assert since_login == {as_logged_in(e).audit_name for e in VOTERS}

    # The Ändringslogg shows the redaktör who they were.
    editor = followed_page(browser)
    log_in(editor, shared.base, EDITOR)
    switch_to(editor, shared.base, "andringslogg")
    # The log itself is a data grid drawn on a canvas; its "Vem" filter lists the people.
    editor.locator("[data-testid='stSelectbox']").filter(has_text="Vem").first.click()
    people_in_log = editor.get_by_role("option").all_inner_texts()
    for email in VOTERS:
        assert as_logged_in(email).audit_name in people_in_log
    assert editor.locator("[data-testid='stException']").count() == 0
    editor.context.close()


def test_the_provider_script_is_the_pinned_package() -> None:
    lock = (Path(__file__).parent / "oidc" / "package-lock.json").read_text(encoding="utf-8")
    assert '"node_modules/oidc-provider": {\n      "version": "8.8.1"' in lock
