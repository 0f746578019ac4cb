"""Every form of the Internkontrollplan and Uppföljning pages, submitted with its required
fields empty: a Swedish message naming the field, nothing saved, never an exception."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from streamlit.testing.v1 import AppTest

from riskmotor.domain.plan import PlanStatus
from riskmotor.persistence.uow import UnitOfWork
from riskmotor.services import demo, plan, workshop
from streamlit_app.components.plan_risk import OPEN_RISKS
from tests.conftest import shared_catalog
from tests.ui.conftest import open_page

UowFor = Callable[..., UnitOfWork]


def _errors(app: AppTest) -> list[str]:
    return [e.value for e in app.error]


def _submit(app: AppTest, form: str, button: str) -> None:
    app.button(key=f"FormSubmitter:{form}-{button}").click().run()


def _proposed(demo_data: demo.DemoResult, uow_for: UowFor) -> int:
    created = plan.propose(uow_for(), shared_catalog(), demo_data.namnd_id, 2027)
    return created.id or 0


def test_treatment_form_needs_a_strategy_and_both_targets(
    demo_data: demo.DemoResult, uow_for: UowFor
) -> None:
    plan_id = _proposed(demo_data, uow_for)
    first = plan.view(uow_for(), shared_catalog(), plan_id).included[0].plan_risk
    app = open_page("internkontrollplan")
    app.session_state[OPEN_RISKS] = {first.id}  # the user opened this risk
    app.run()
    form = f"behandling_{first.id}"
    _submit(app, form, "Spara behandlingsplan")
    assert not app.exception
    assert "Strategi: fältet måste fyllas i." in _errors(app)

    app.selectbox(key=f"{form}_strategi").select_index(1)
    app.selectbox(key=f"{form}_mal_s").select(2)
    _submit(app, form, "Spara behandlingsplan")
    assert not app.exception
    assert any(e.startswith("Målnivå konsekvens: ange både") for e in _errors(app))
    assert plan.view(uow_for(), shared_catalog(), plan_id).included[0].plan_risk.strategy is None

    app.selectbox(key=f"{form}_mal_k").select(2)
    _submit(app, form, "Spara behandlingsplan")
    assert not app.exception
    saved = plan.view(uow_for(), shared_catalog(), plan_id).included[0].plan_risk
    assert (saved.target_likelihood, saved.target_consequence) == (2, 2)
    # The risk stays open and the message is beside its form, not above the page title.
    assert "Behandlingsplanen är sparad." in [s.value for s in app.success]
    assert app.session_state[OPEN_RISKS] == {first.id}


def test_manual_decision_form_names_the_empty_fields(
    demo_data: demo.DemoResult, uow_for: UowFor
) -> None:
    _proposed(demo_data, uow_for)
    app = open_page("internkontrollplan")
    _submit(app, "beslut", "Spara beslut")
    assert not app.exception
    errors = _errors(app)
    assert "Risk: fältet måste fyllas i." in errors
    assert "Motivering: fältet måste fyllas i." in errors


def test_adoption_form_needs_paragraf_and_diarienummer(
    demo_data: demo.DemoResult, uow_for: UowFor
) -> None:
    _proposed(demo_data, uow_for)
    app = open_page("internkontrollplan")
    _submit(app, "faststall", "Registrera nämndens beslut (fastställ)")
    assert not app.exception
    errors = _errors(app)
    assert "Paragraf: fältet måste fyllas i." in errors
    assert "Diarienummer: fältet måste fyllas i." in errors
    assert plan.current_plan(uow_for(), demo_data.namnd_id, 2027).status == PlanStatus.UTKAST


def test_catalog_suggestions_button_fills_the_plan_and_the_counter_follows(
    demo_data: demo.DemoResult, uow_for: UowFor
) -> None:
    plan_id = _proposed(demo_data, uow_for)
    app = open_page("internkontrollplan")
    missing = next(m for m in app.metric if m.label == "Saknar kontrollmoment")
    assert int(missing.value) > 0
    button = next(b for b in app.button if b.label.startswith("Lägg till katalogens förslag"))
    button.click().run()
    assert not app.exception
    view = plan.view(uow_for(), shared_catalog(), plan_id)
    assert all(item.controls for item in view.included)
    assert next(m for m in app.metric if m.label == "Saknar kontrollmoment").value == "0"
    assert any("kontrollmoment från katalogen är tillagda" in s.value for s in app.success)


def _adopted(demo_data: demo.DemoResult, uow_for: UowFor) -> None:
    catalog = shared_catalog()
    plan_id = _proposed(demo_data, uow_for)
    workshop.confirm_all(uow_for(), catalog, demo_data.analysis_id)
    plan.add_catalog_suggestions(uow_for(), catalog, plan_id)
    for item in plan.view(uow_for(), catalog, plan_id).included:
        rows = [
            {**c.model_dump(exclude={"version"}), "responsible": "A", "timing": "T1"}
            for c in item.controls
        ]
        plan.save_controls(
            uow_for(), item.plan_risk.id or 0, rows, {c.id or 0: c.version for c in item.controls}
        )
    first = plan.view(uow_for(), catalog, plan_id).included[0]
    plan.add_action(uow_for(), {"plan_risk_id": first.plan_risk.id, "what": "Ny rutin"})
    plan.approve(uow_for(), catalog, plan_id, date(2026, 12, 10), "§ 1", "SN 1")


def test_followup_forms_name_the_empty_fields(demo_data: demo.DemoResult, uow_for: UowFor) -> None:
    _adopted(demo_data, uow_for)
    app = open_page("uppfoljning")
    _submit(app, "resultat", "Spara resultat")
    assert not app.exception
    assert "Kontrollmoment: fältet måste fyllas i." in _errors(app)

    _submit(app, "atgardsstatus", "Spara status")
    assert not app.exception
    errors = _errors(app)
    assert "Åtgärd: fältet måste fyllas i." in errors
    assert "Ny status: fältet måste fyllas i." in errors

    _submit(app, "omvardering", "Spara omvärdering")
    assert not app.exception
    errors = _errors(app)
    for field in ("Risk", "Sannolikhet", "Konsekvens"):
        assert f"{field}: fältet måste fyllas i." in errors
