"""Scale-out (issue #14, item 6): two ``streamlit run`` processes on one PostgreSQL database.

Two people, each on their own UI instance (as behind a reverse proxy with sticky sessions),
open the same risk. The first save wins; the second is refused as a conflict although the
other save happened in another process: the version check lives in the database, not in
either server's memory. The second person then sees who saved what, keeps their own value,
saves again, and the database and the audit log hold both people's saves.

Runs only with RISKMOTOR_TEST_DATABASE_URL set to a PostgreSQL URL (CI sets it); the test
creates a database of its own there and drops it at the end.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import create_engine, make_url, text

from riskmotor.launcher import streamlit_command
from riskmotor.persistence.database import engine_for
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.services import audit, demo, workshop
from tests.conftest import POSTGRES_URL, shared_catalog
from tests.e2e.conftest import (
    _RUNS,
    CHROMIUM_ARGS,
    _chromium,
    _free_port,
    _wait_until_healthy,
    assert_no_exception,
    choose,
    click,
    fill,
    followed_page,
    open_page,
    switch_page,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

NAME_LABEL = "Ditt namn (visas i ändringsloggen)"
ANNA = "Anna Andersson"
BO = "Bo Berg"


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    """A fresh PostgreSQL database for this test alone, dropped afterwards."""
    if not POSTGRES_URL.startswith("postgresql"):
        pytest.skip("Kräver RISKMOTOR_TEST_DATABASE_URL med en PostgreSQL-adress.")
    name = f"riskmotor_two_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        engine_for(url).dispose()  # this process's pool must not keep the database open
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="module")
def instances(database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[str]]:
    """The demo data loaded once with the CLI, then two UI servers on that one database."""
    subprocess.run(
        [sys.executable, "-m", "riskmotor.cli", "demo", "--db", database],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    processes: list[subprocess.Popen[bytes]] = []
    urls: list[str] = []
    try:
        for number in (1, 2):
            port = _free_port()
            env = {**os.environ, "RISKMOTOR_DATABASE_URL": database}
            # Each instance is its own machine: its own remembered local name.
            env["XDG_CONFIG_HOME"] = str(tmp_path_factory.mktemp(f"config{number}"))
            processes.append(
                subprocess.Popen(
                    streamlit_command(port, "127.0.0.1"),
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
            urls.append(f"http://127.0.0.1:{port}")
        for url, process in zip(urls, processes, strict=True):
            _wait_until_healthy(url, process)
        yield urls
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=20)


@pytest.fixture(scope="module")
def browser(instances: list[str]) -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    executable = _chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def _open_risk(page: Page, base: str, name: str, risk_title: str) -> Locator:
    """Start as ``name``, open the risk's edit form on Riskidentifiering; the form."""
    open_page(page, base, "")
    fill(page, NAME_LABEL, name)
    switch_page(page, "Riskidentifiering")
    click(page, page.get_by_role("tab", name="Redigera risk"))
    choose(page, "Välj risk", risk_title)
    assert_no_exception(page, f"riskidentifiering ({name})")
    return page.locator("[data-testid='stForm']").filter(
        has=page.get_by_role("button", name="Spara ändringar")
    )


def test_a_conflict_between_two_instances_is_detected_and_resolved(
    instances: list[str], browser: Browser, database: str, tmp_path: Path
) -> None:
    first, second = instances
    uow = lambda: UnitOfWork(engine_for(database), "kontroll")  # noqa: E731
    catalog = shared_catalog()
    analysis = workshop.find_analysis(uow(), demo.DEMO_NAMND, demo.DEMO_YEAR)
    risk = workshop.list_risks(uow(), catalog, analysis.id or 0)[0]
    before = workshop.get_risk(uow(), risk.id)
    anna_text = "Annas beskrivning, sparad först på instans 1."
    bo_text = "Bos beskrivning, sparad sist på instans 2."

    anna, bo = followed_page(browser), followed_page(browser)
    try:
        anna_form = _open_risk(anna, first, ANNA, risk.title)
        bo_form = _open_risk(bo, second, BO, risk.title)
        # Both forms show the same saved risk before anyone saves.
        assert anna_form.get_by_label("Beskrivning", exact=True).input_value() == before.description
        assert bo_form.get_by_label("Beskrivning", exact=True).input_value() == before.description

        fill(anna, "Beskrivning", anna_text, exact=True, within=anna_form)
        click(anna, anna_form.get_by_role("button", name="Spara ändringar"))
        assert_no_exception(anna, "Annas sparning")
        assert anna.get_by_text(f"Ändringarna av ”{risk.title}” är sparade.").count() == 1
        assert workshop.get_risk(uow(), risk.id).description == anna_text

        # Bo's form still shows the value he opened; his save is refused, not merged.
        fill(bo, "Beskrivning", bo_text, exact=True, within=bo_form)
        click(bo, bo_form.get_by_role("button", name="Spara ändringar"))
        assert_no_exception(bo, "Bos krock")
        assert workshop.get_risk(uow(), risk.id).description == anna_text
        refusal = bo.locator("[data-testid='stAlertContentError']").filter(
            has_text="Dina ändringar har inte sparats."
        )
        assert refusal.count() == 1
        assert ANNA in refusal.inner_text() and risk.title in refusal.inner_text()
        # Per field: his value, hers, and who saved hers.
        difference = (
            bo.locator("[data-testid='stVerticalBlock']")
            .filter(has_text="Beskrivning – skiljer sig")
            .last
        )
        difference.screenshot(path=str(tmp_path / "krock.png"))
        shown = difference.inner_text()
        assert "Ditt värde" in shown and bo_text in shown
        assert f"Sparat av {ANNA}" in shown and anna_text in shown
        # Only the field that differs is offered.
        assert bo.get_by_text("1 fält skiljer sig", exact=False).count() == 1

        click(bo, difference.get_by_text("Behåll mitt", exact=True))
        assert difference.get_by_role("radio", name="Behåll mitt").is_checked()
        click(bo, bo.get_by_role("button", name="Spara igen"))
        assert_no_exception(bo, "Bos andra sparning")
        assert bo.get_by_text(f"Ändringarna av ”{risk.title}” är sparade.").count() == 1
        assert bo.get_by_text("Dina ändringar har inte sparats.", exact=False).count() == 0
    finally:
        for person in (anna, bo):
            _RUNS.pop(id(person), None)
            person.context.close()

    saved = workshop.get_risk(uow(), risk.id)
    assert saved.description == bo_text
    assert saved.version == before.version + 2
    entries = audit.audit_log(uow(), entity="risk", entity_id=risk.id)
    described = [e.actor for e in entries if (e.action, e.field) == ("update", "description")]
    assert described == [BO, ANNA]  # newest first: Bo's resolved save after Anna's
