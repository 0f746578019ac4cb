"""Internkontrollplan and Uppföljning pages in AppTest on the demo data."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from riskmotor.domain.plan import PlanStatus
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.services import demo, plan, workshop
from tests.conftest import shared_catalog
from tests.ui.conftest import open_page

UowFor = Callable[..., UnitOfWork]


def _button(app: object, label: str) -> object:
    return next(b for b in app.button if b.label == label)  # type: ignore[attr-defined]


# Who answers for a kontrollmoment and when; the plan cannot go för beslut without them.
ANSVARIG = {"responsible": "Enhetschef", "timing": "T1, T2 och T3"}


def test_plan_page_proposes_completes_and_adopts(
    demo_data: demo.DemoResult, uow_for: UowFor
) -> None:
    catalog = shared_catalog()
    app = open_page("internkontrollplan")
    _button(app, "Föreslå internkontrollplan").click().run()  # type: ignore[attr-defined]
    assert not app.exception
    proposal = plan.current_plan(uow_for(), demo_data.namnd_id, 2027)
    view = plan.view(uow_for(), catalog, proposal.id or 0)
    reasons = app.dataframe[0].value["Skäl"].tolist()
    assert reasons == [v.plan_risk.reason for v in view.risks]

    app.selectbox(key="beslut_risk").select_index(0)
    app.button(key="FormSubmitter:beslut-Spara beslut").click().run()
    assert "Motivering: fältet måste fyllas i." in [e.value for e in app.error]

    # The page says what is missing before the nämnd can decide, and refuses to send it.
    assert any("saknar kontrollmoment" in w.value for w in app.warning)
    _button(app, "Skicka för beslut").click().run()  # type: ignore[attr-defined]
    assert any("kan inte skickas för beslut" in e.value for e in app.error)
    assert plan.current_plan(uow_for(), demo_data.namnd_id, 2027).status == PlanStatus.UTKAST

    # The group settles every assessment (the Bedömning page's job, tested there).
    workshop.confirm_all(uow_for(), catalog, demo_data.analysis_id)
    app.run()
    suggest = next(b for b in app.button if b.label.startswith("Lägg till katalogens förslag"))
    suggest.click().run()
    assert not app.exception
    warning = " ".join(w.value for w in app.warning)
    assert "saknar kontrollmoment" not in warning
    first = plan.view(uow_for(), catalog, proposal.id or 0).included[0]
    assert f"saknar ansvarig för: {first.risk.title}" in warning

    # Ansvarig and tidpunkt go in each risk's table (edited in the browser, see e2e);
    # here through the same use case the table's save button calls.
    for item in plan.view(uow_for(), catalog, proposal.id or 0).included:
        rows = [{**c.model_dump(exclude={"version"}), **ANSVARIG} for c in item.controls]
        versions = {c.id or 0: c.version for c in item.controls}
        plan.save_controls(uow_for(), item.plan_risk.id or 0, rows, versions)
    app.run()
    assert not app.warning

    next(t for t in app.text_input if t.label == "Paragraf").set_value("§ 123")
    next(t for t in app.text_input if t.label == "Diarienummer").set_value("SN 2026/123")
    app.button(key="FormSubmitter:faststall-Registrera nämndens beslut (fastställ)").click().run()
    assert not app.exception
    adopted = plan.current_plan(uow_for(), demo_data.namnd_id, 2027)
    assert (adopted.status, adopted.dnr) == (PlanStatus.FASTSTALLD, "SN 2026/123")

    app.run()
    _button(app, "Starta planen för 2028").click().run()  # type: ignore[attr-defined]
    assert not app.exception
    assert plan.current_plan(uow_for(), demo_data.namnd_id, 2028).based_on_id == adopted.id


def test_followup_page_records_results_and_residual_risk(
    demo_data: demo.DemoResult, uow_for: UowFor
) -> None:
    catalog = shared_catalog()
    created = plan.propose(uow_for(), catalog, demo_data.namnd_id, 2027)
    workshop.confirm_all(uow_for(), catalog, demo_data.analysis_id)
    for item in plan.view(uow_for(), catalog, created.id or 0).included:
        suggestion = plan.suggested_controls(catalog, item.risk)[0]
        plan.add_control(uow_for(), {"plan_risk_id": item.plan_risk.id, **suggestion, **ANSVARIG})
    plan.approve(uow_for(), catalog, created.id or 0, date(2026, 12, 10), "§ 1", "SN 1")

    app = open_page("uppfoljning")
    app.selectbox(key="resultat_kontroll").select_index(0)
    next(r for r in app.radio if r.label == "Status").set_value("röd")
    next(t for t in app.text_input if t.label == "Resultat").set_value("12 av 20 akter rätt")
    app.button(key="FormSubmitter:resultat-Spara resultat").click().run()
    assert not app.exception
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Röd"] == "1"
    assert "Resultatet är sparat." in [m.value for m in app.success]

    app.selectbox(key="omvardering_risk").select_index(0)
    app.selectbox(key="omv_s").select(2)
    app.selectbox(key="omv_k").select(3)
    app.button(key="FormSubmitter:omvardering-Spara omvärdering").click().run()
    assert not app.exception
    grid = next(m.value for m in app.markdown if 'data-testid="riskmatris"' in m.value)
    summary = plan.followup_summary(uow_for(), catalog, created.id or 0, "2027-T1")
    rescored = next(r for r in summary.risks if r.residual_likelihood is not None)
    assert str(rescored.risk_id) in grid
