"""The internkontrollplan and its follow-up in a real browser."""

from __future__ import annotations

from pathlib import Path

import pytest

from riskmotor.domain.plan import PlanStatus
from riskmotor.persistence.database import engine_for
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.services import context, demo, plan
from tests.e2e.conftest import assert_no_exception, open_page, settle, visible_text

pytestmark = pytest.mark.e2e


def test_plan_proposed_completed_adopted_and_followed_up(
    server: tuple[str, str], page: object, tmp_path: Path
) -> None:
    base, db_url = server
    uow = lambda: UnitOfWork(engine_for(db_url), "e2e-check")  # noqa: E731
    catalog = context.catalog()
    open_page(page, base, "internkontrollplan")
    page.get_by_role("button", name="Föreslå internkontrollplan").click()  # type: ignore[attr-defined]
    settle(page)
    assert_no_exception(page, "internkontrollplan")
    with uow() as reader:
        namnd_id = reader.units.find(
            demo.DEMO_NAMND, demo.UnitKind.NAMND, reader.units.of_kind(demo.UnitKind.KOMMUN)[0].id
        ).id
    proposal = plan.current_plan(uow(), namnd_id, 2027)
    first, *rest = plan.view(uow(), catalog, proposal.id or 0).included
    for item in rest:
        plan.add_control(
            uow(),
            {"plan_risk_id": item.plan_risk.id, **plan.suggested_controls(catalog, item.risk)[0]},
        )

    open_page(page, base, "internkontrollplan")
    visible_text(
        page, f"{first.risk.title} – riskvärde {first.plan_risk.risk_value} (saknar kontrollmoment)"
    ).click()  # type: ignore[attr-defined]
    settle(page)
    page.get_by_role("button", name="Lägg till kontrollmoment").locator(  # type: ignore[attr-defined]
        "visible=true"
    ).first.click()
    settle(page)
    assert_no_exception(page, "internkontrollplan")
    page.get_by_label("Paragraf").fill("§ 123")  # type: ignore[attr-defined]
    page.get_by_label("Diarienummer").fill("SN 2026/123")  # type: ignore[attr-defined]
    page.get_by_role("button", name="Registrera nämndens beslut (fastställ)").click()  # type: ignore[attr-defined]
    settle(page)
    assert_no_exception(page, "internkontrollplan")
    adopted = plan.current_plan(uow(), namnd_id, 2027)
    assert adopted.status == PlanStatus.FASTSTALLD and adopted.dnr == "SN 2026/123"
    page.get_by_text("Fastställd av nämnden").first.wait_for()  # type: ignore[attr-defined]
    page.screenshot(path=str(tmp_path / "internkontrollplan.png"), full_page=True)  # type: ignore[attr-defined]

    open_page(page, base, "uppfoljning")
    visible_text(page, "grön").click()  # type: ignore[attr-defined]
    page.get_by_role("button", name="Spara resultat").click()  # type: ignore[attr-defined]
    settle(page)
    assert_no_exception(page, "uppfoljning")
    green = page.locator("[data-testid='stMetric']").filter(has_text="Grön")  # type: ignore[attr-defined]
    assert "1" in green.inner_text()
    page.screenshot(path=str(tmp_path / "uppfoljning.png"), full_page=True)  # type: ignore[attr-defined]
