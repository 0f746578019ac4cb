"""End to end: the workshop, scenario and egenkontroll flows in a real browser."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from riskmotor.persistence.database import engine_for
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.services import audit, demo, workshop
from tests.conftest import shared_catalog
from tests.e2e.conftest import (
    PAGES,
    assert_no_exception,
    choose,
    click,
    fill,
    open_page,
    switch_page,
    upload,
    visible_text,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.e2e


def test_every_page_opens_without_exceptions(
    server: tuple[str, str], page: Page, tmp_path: Path
) -> None:
    base, _ = server
    for path in PAGES:
        open_page(page, base, path)
        assert_no_exception(page, path or "start")
        page.screenshot(path=str(tmp_path / f"{path or 'start'}.png"), full_page=True)
    assert len(list(tmp_path.glob("*.png"))) == len(PAGES)


def test_workshop_flow_in_a_real_browser(
    server: tuple[str, str], page: Page, tmp_path: Path
) -> None:
    base, db_url = server
    uow = lambda: UnitOfWork(engine_for(db_url), "e2e-check")  # noqa: E731
    catalog = shared_catalog()
    analysis = workshop.find_analysis(uow(), demo.DEMO_NAMND, demo.DEMO_YEAR)
    assert analysis.id is not None

    # Start: a participant joins the workshop.
    open_page(page, base, "")
    fill(page, "Namn", "Eva Ek", exact=True)
    fill(page, "Roll", "Socialsekreterare", exact=True)
    fill(page, "Funktion", "Mottagningen", exact=True)
    click(page, page.get_by_role("button", name="Lägg till deltagare"))
    assert_no_exception(page, "start")
    names = [p.name for p in workshop.participants(uow(), analysis.id)]
    assert "Eva Ek" in names

    # Riskidentifiering: a catalog risk, adapted to the unit.
    open_page(page, base, "riskidentifiering")
    title = "E2E: risk från katalogen"
    choose(page, "Riskmall", catalog.templates[0].title)
    fill(page, "Rubrik i analysen (kan anpassas)", title)
    # The demo already has this template's risk: adding it again asks first.
    assert page.get_by_text("Mallen finns redan i analysen").count() == 1
    page.get_by_role("button", name="Lägg till risk från katalogen").click()  # the question
    click(page, page.get_by_role("button", name="Ja, lägg till risk från katalogen"))
    assert_no_exception(page, "riskidentifiering")
    added = next(r for r in workshop.list_risks(uow(), catalog, analysis.id) if r.title == title)
    assert added.source == "katalog"

    # Bedömning: two participants disagree on the likelihood.
    open_page(page, base, "bedomning")
    for person, likelihood in [("Anna Lindqvist", "1 Osannolik"), ("Johan Berg", "4 Sannolik")]:
        choose(page, "Jag är", person)
        click(page, visible_text(page, likelihood))
        click(page, visible_text(page, "3 Kännbar"))
        click(page, page.get_by_role("button", name="Spara min bedömning"))
        assert_no_exception(page, "bedomning")
    view = next(r for r in workshop.list_risks(uow(), catalog, analysis.id) if r.id == added.id)
    assert view.votes == 2 and view.disagreement
    assert (view.vote_likelihood, view.vote_consequence) == (4, 3)  # upper median

    # The facilitator sees the flag and confirms the aggregate.
    click(page, page.get_by_role("tab", name="Processledarens vy"))
    flagged = sum(r.disagreement for r in workshop.list_risks(uow(), catalog, analysis.id))
    metric = page.locator("[data-testid='stMetric']").filter(has_text="Med oenighet")
    assert str(flagged) in metric.inner_text()
    choose(page, "Diskutera och fastställ en risk", f"{title} – diskutera")
    click(page, page.get_by_role("button", name="Fastställ bedömning"))
    assert_no_exception(page, "bedomning")
    confirmed = next(
        r for r in workshop.list_risks(uow(), catalog, analysis.id) if r.id == added.id
    )
    assert confirmed.confirmed and confirmed.risk_value == 12

    # Riskmatris: the risk sits in the S4 × K3 cell, coloured as the catalog says.
    open_page(page, base, "riskmatris")
    assert_no_exception(page, "riskmatris")
    cell = (
        page.locator("[data-testid='riskmatris'] tr")
        .filter(has_text="4 Sannolik")
        .locator("td")
        .nth(2)
    )
    assert str(added.id) in cell.inner_text()
    colour = catalog.scale().risk_level(confirmed.level or "").colour
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    assert f"background: rgb({red}, {green}, {blue})" in (cell.get_attribute("style") or "")
    page.screenshot(path=str(tmp_path / "riskmatris_efter_workshop.png"), full_page=True)


def test_scenario_simulation_in_a_real_browser(
    server: tuple[str, str], page: Page, tmp_path: Path
) -> None:
    base, _ = server
    open_page(page, base, "scenarier")
    choose(page, "Scenario", "Utredningsenheten – nuläge")
    choose(page, "Antal replikeringar", "1 000")
    # The first run after installing compiles the kernel (with a notice): click() waits for
    # the run to finish, however long that takes.
    click(page, page.get_by_role("button", name="Kör simulering"))
    assert_no_exception(page, "scenarier")
    metric = page.locator("[data-testid='stMetric']").filter(
        has_text="Sannolikhet för riskhändelsen"
    )
    assert "%" in metric.inner_text()
    assert page.get_by_text("Föreslagen sannolikhet").count() > 0
    page.screenshot(path=str(tmp_path / "scenarier.png"), full_page=True)


def test_egenkontroll_in_a_real_browser(
    server: tuple[str, str], page: Page, tmp_path: Path
) -> None:
    from playwright.sync_api import FilePayload

    from tests.ui.test_pages import _answer_everything, _case_list_csv

    base, _ = server
    open_page(page, base, "egenkontroll")
    click(page, page.get_by_role("button", name="Spara plan"))
    assert_no_exception(page, "egenkontroll")
    uploads = page.locator("[data-testid='stFileUploader'] input[type=file]")
    upload(
        page,
        uploads.first,
        FilePayload(name="arenden.csv", mimeType="text/csv", buffer=_case_list_csv()),
    )
    click(page, page.get_by_role("button", name="Dra stickprov"))
    assert_no_exception(page, "egenkontroll")
    with page.expect_download() as download:
        click(page, page.get_by_role("button", name="Ladda ned checklistan (Excel)"))
    checklist = Path(download.value.path()).read_bytes()
    assert checklist[:2] == b"PK"  # an XLSX (zip) file
    filled = _answer_everything(checklist, 2)
    uploads = page.locator("[data-testid='stFileUploader'] input[type=file]")
    upload(
        page,
        uploads.last,
        FilePayload(name="ifylld.xlsx", mimeType="application/octet-stream", buffer=filled),
    )
    click(page, page.get_by_role("button", name="Läs in granskningen"))
    assert_no_exception(page, "egenkontroll")
    assert page.get_by_text("Utvärdering 2027-T1").count() > 0
    # The nämnd's conclusion over both units, as riskmotor.domain.egenkontroll_wording says it.
    conclusion = page.get_by_text(
        "Med minst 95 % konfidens är andelen avvikelser bland periodens alla 240 ärenden högst"
    )
    assert conclusion.count() > 0
    page.screenshot(path=str(tmp_path / "egenkontroll.png"), full_page=True)


def test_the_name_is_kept_on_every_page_and_a_delete_updates_the_counts(
    server: tuple[str, str], page: Page
) -> None:
    base, db_url = server
    uow = lambda: UnitOfWork(engine_for(db_url), "e2e-check")  # noqa: E731
    catalog = shared_catalog()
    analysis = workshop.find_analysis(uow(), demo.DEMO_NAMND, demo.DEMO_YEAR)
    assert analysis.id is not None
    doomed = workshop.add_risk(
        uow(), catalog, {"analysis_id": analysis.id, "title": "E2E: risk som tas bort"}
    )

    open_page(page, base, "")
    fill(page, "Ditt namn (visas i ändringsloggen)", "Kerstin Kvalitet")
    sidebar = page.locator("[data-testid='stSidebar']")
    links = page.locator("[data-testid='stSidebarNav'] a").all_inner_texts()
    titles = [text.split("\n")[-1].strip() for text in links]  # without the icon's name
    assert len(titles) >= 10
    for title in titles:
        switch_page(page, title)
        assert_no_exception(page, title)
        assert "Kerstin Kvalitet" in sidebar.inner_text(), title

    switch_page(page, "Riskidentifiering")
    before = len(workshop.list_risks(uow(), catalog, analysis.id))
    assert page.get_by_text(f"Risker i analysen ({before})").count() == 1
    click(page, page.get_by_role("tab", name="Redigera risk"))
    choose(page, "Välj risk", doomed.title)
    page.get_by_role("button", name="Ta bort risken").click()  # opens the question only
    click(page, page.get_by_role("button", name="Ja, ta bort risken"))
    assert_no_exception(page, "riskidentifiering")
    assert len(workshop.list_risks(uow(), catalog, analysis.id)) == before - 1
    assert page.get_by_text(f"Risker i analysen ({before - 1})").count() == 1
    assert page.get_by_text(f"Risken ”{doomed.title}” är borttagen.").count() >= 1
    entry = audit.audit_log(uow(), analysis_id=analysis.id, entity="risk")[0]
    assert (entry.action, entry.actor) == ("delete", "Kerstin Kvalitet")
