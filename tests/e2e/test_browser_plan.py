"""The internkontrollplan and its follow-up in a real browser."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from riskmotor.domain.plan import PlanStatus
from riskmotor.persistence.database import engine_for
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.services import demo, organisation, plan, workshop
from tests.conftest import shared_catalog
from tests.e2e.conftest import (
    assert_no_exception,
    choose,
    click,
    fill,
    open_page,
    visible_text,
)
from tests.ui.test_plan_pages import ANSVARIG

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.e2e


def test_plan_proposed_completed_adopted_and_followed_up(
    server: tuple[str, str], page: Page, tmp_path: Path
) -> None:
    base, db_url = server
    uow = lambda: UnitOfWork(engine_for(db_url), "e2e-check")  # noqa: E731
    catalog = shared_catalog()
    open_page(page, base, "internkontrollplan")
    click(page, page.get_by_role("button", name="Föreslå internkontrollplan"))
    assert_no_exception(page, "internkontrollplan")
    with uow() as tx:
        namnd_id = organisation.namnd_by_name(tx, demo.DEMO_NAMND).id
    assert namnd_id is not None
    proposal = plan.current_plan(uow(), namnd_id, 2027)
    # The nämnd can only decide on a complete plan: settled assessments, and a kontrollmoment
    # with an ansvarig and a tidpunkt for every risk.
    analysis = workshop.find_analysis(uow(), demo.DEMO_NAMND, demo.DEMO_YEAR)
    workshop.confirm_all(uow(), catalog, analysis.id or 0)
    open_page(page, base, "internkontrollplan")
    missing = page.locator("[data-testid='stMetric']").filter(has_text="Saknar kontrollmoment")
    assert missing.locator("[data-testid='stMetricValue']").inner_text() != "0"
    click(page, page.get_by_role("button", name="Lägg till katalogens förslag"))
    assert_no_exception(page, "internkontrollplan")
    # One click gave every risk its catalog kontrollmoment, and the counter says so at once.
    assert missing.locator("[data-testid='stMetricValue']").inner_text() == "0"
    view = plan.view(uow(), catalog, proposal.id or 0)
    assert all(item.controls for item in view.included)
    assert page.get_by_text("kontrollmoment från katalogen är tillagda").count() > 0
    for item in view.included:  # ansvarig and tidpunkt, as the tables' save does
        rows = [{**c.model_dump(exclude={"version"}), **ANSVARIG} for c in item.controls]
        versions = {c.id or 0: c.version for c in item.controls}
        plan.save_controls(uow(), item.plan_risk.id or 0, rows, versions)
    open_page(page, base, "internkontrollplan")
    fill(page, "Paragraf", "§ 123")
    fill(page, "Diarienummer", "SN 2026/123")
    click(page, page.get_by_role("button", name="Registrera nämndens beslut (fastställ)"))
    assert_no_exception(page, "internkontrollplan")
    adopted = plan.current_plan(uow(), namnd_id, 2027)
    assert adopted.status == PlanStatus.FASTSTALLD and adopted.dnr == "SN 2026/123"
    assert page.get_by_text("Fastställd av nämnden").count() > 0
    page.screenshot(path=str(tmp_path / "internkontrollplan.png"), full_page=True)

    open_page(page, base, "uppfoljning")
    first_control = plan.view(uow(), catalog, adopted.id or 0).included[0]
    choose(
        page,
        "Kontrollmoment",
        f"{first_control.risk.title}: {first_control.controls[0].control_activity}",
    )
    click(page, visible_text(page, "grön"))
    click(page, page.get_by_role("button", name="Spara resultat"))
    assert_no_exception(page, "uppfoljning")
    green = page.locator("[data-testid='stMetric']").filter(has_text="Grön")
    assert "1" in green.inner_text()
    page.screenshot(path=str(tmp_path / "uppfoljning.png"), full_page=True)
