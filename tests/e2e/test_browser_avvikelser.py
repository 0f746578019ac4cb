"""End to end: the Avvikelser page with the demo deviations in a real browser."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from riskmotor.persistence.database import engine_for
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.services import demo, deviations, workshop
from tests.conftest import shared_catalog
from tests.e2e.conftest import assert_no_exception, choose, click, open_page, switch_page
from tests.integration.test_deviations import demo_rows

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.e2e


def test_avvikelser_compare_and_link_in_a_real_browser(
    server: tuple[str, str], page: Page, tmp_path: Path
) -> None:
    base, db_url = server
    uow = lambda: UnitOfWork(engine_for(db_url), "e2e-check")  # noqa: E731
    open_page(page, base, "")  # start where users start, and go on with the app's navigation
    switch_page(page, "Avvikelser")
    assert_no_exception(page, "avvikelser")
    metric = page.locator("[data-testid='stMetric']").filter(has_text="Rapporter")
    assert "415" in metric.first.inner_text()

    # T1 against T3: 112 and 164 deviations, 28 and 41 a month (how the demo file was built).
    choose(page, "Första perioden", "2023-T1")
    assert_no_exception(page, "avvikelser")
    sentence = page.get_by_text("Antalet avvikelser per månad ökade från 28 till 41")
    assert "Skillnaden är statistiskt säker" in sentence.first.inner_text()

    # Link the workload root cause to a risk as evidence.
    analysis = workshop.find_analysis(uow(), demo.DEMO_NAMND, demo.DEMO_YEAR)
    assert analysis.id is not None
    risk = workshop.list_risks(uow(), shared_catalog(), analysis.id)[0]
    choose(page, "Orsaksgrupp", "Hög arbetsbelastning")
    choose(page, "Risk", risk.title)  # by its title: a risk's id is never shown
    click(page, page.get_by_role("button", name="Koppla till risk"))
    assert_no_exception(page, "avvikelser")
    members = [r for r in demo_rows() if r["Orsak"] == "Hög arbetsbelastning"]
    evidence = deviations.risk_evidence(uow(), shared_catalog(), risk.id)
    assert evidence.total == len(members)
    page.screenshot(path=str(tmp_path / "avvikelser.png"), full_page=True)
