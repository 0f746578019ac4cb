"""The plan's decisions: manual decisions about risks, and the lifecycle (för beslut,
fastställd, new version, next year). Every form checks its fields before the service is
called and shows its message beside itself."""

from __future__ import annotations

from datetime import date

import streamlit as st

from riskmotor.catalogs import Catalog
from riskmotor.domain.plan import PlanStatus, SubmissionItem, missing_for_decision
from riskmotor.domain.terms import label
from riskmotor.reports.plan import PlanView
from riskmotor.services import plan
from streamlit_app import ui
from streamlit_app.components.plan_feedback import save_and_refresh, show_saved

# The version list's key, and the version to choose on the next draw (set by a save that
# creates a version: a widget's value cannot be set once it is drawn).
VERSION_KEY = "plan_version"
NEXT_VERSION = "plan_version_next"

DECISIONS = ["Ta med", "Ta inte med", "Följ regeln", "Obligatoriskt kontrollområde"]
MOTIVATION = "Motivering"


def manual_decision_form(cat: Catalog, current: PlanView) -> None:
    by_plan_risk = {v.plan_risk.id or 0: v for v in current.risks}
    show_saved("beslut")
    with st.form("beslut"):
        chosen = ui.select(
            label("title"),
            list(by_plan_risk),
            key="beslut_risk",
            format_func=lambda k: by_plan_risk[k].risk.title,
        )
        decision = st.radio("Beslut", DECISIONS, horizontal=True)
        motivation = st.text_area(f"{MOTIVATION} (krävs utom för Följ regeln)")
        if not st.form_submit_button("Spara beslut"):
            return
    errors = ui.missing({label("title"): chosen})
    if decision != "Följ regeln":
        errors.update(ui.missing({MOTIVATION: motivation}))
    if errors or chosen is None:
        ui.field_errors(errors)
        return
    risk_id: int = chosen
    if decision == "Obligatoriskt kontrollområde":
        action = lambda: plan.set_must_include(ui.uow(), cat, risk_id, True, motivation)  # noqa: E731
    else:
        include = {"Ta med": True, "Ta inte med": False}.get(decision)
        action = lambda: plan.set_override(ui.uow(), cat, risk_id, include, motivation)  # noqa: E731
    save_and_refresh("beslut", action, "Beslutet är sparat.")


def decision_section(cat: Catalog, current: PlanView, today_value: date) -> None:
    header = current.plan
    plan_id = header.id or 0
    show_saved("livscykel")
    if header.editable:
        _submission(cat, current)
    if header.status in (PlanStatus.UTKAST, PlanStatus.FOR_BESLUT):
        if header.status == PlanStatus.FOR_BESLUT and st.button("Ta tillbaka till utkast"):
            save_and_refresh(
                "livscykel",
                lambda: plan.withdraw(ui.uow(), plan_id),
                "Planen är ett utkast igen.",
            )
        _adoption_form(cat, plan_id, today_value)
    if header.status == PlanStatus.FASTSTALLD:
        version_cols = st.columns(2)
        if version_cols[0].button("Skapa ny version"):
            save_and_refresh(
                "livscykel",
                lambda: _choose_next(plan.new_version(ui.uow(), plan_id).id),
                "En ny version är skapad som utkast.",
            )
        if version_cols[1].button(f"Starta planen för {header.year + 1}"):
            save_and_refresh(
                "livscykel",
                lambda: plan.copy_to_next_year(ui.uow(), cat, plan_id),
                f"Planen för {header.year + 1} är skapad från årets plan.",
            )


def _choose_next(plan_id: int | None) -> None:
    st.session_state[NEXT_VERSION] = plan_id


def _submission(cat: Catalog, current: PlanView) -> None:
    header = current.plan
    plan_id = header.id or 0
    # The same rule the service applies on submit, shown before the user tries.
    missing = missing_for_decision(
        [SubmissionItem(i.risk.title, i.risk.confirmed, i.controls) for i in current.included]
    )
    if missing:
        st.warning(
            "Planen kan inte skickas för beslut förrän den är komplett. "
            + " ".join(missing)
            + " Bedömningar fastställs på sidan Bedömning; ansvarig och tidpunkt anges i "
            "tabellen Kontrollmoment under varje risk ovan."
        )
    with st.form("synpunkter", border=False):
        opinion = st.text_area(
            "Förvaltningens synpunkter (till tjänsteutlåtandet)", value=header.opinion
        )
        if st.form_submit_button("Spara synpunkterna"):
            save_and_refresh(
                "livscykel",
                lambda: plan.set_opinion(ui.uow(), plan_id, opinion),
                "Synpunkterna är sparade.",
            )
    if st.button("Skicka för beslut"):
        save_and_refresh(
            "livscykel",
            lambda: plan.submit(ui.uow(), cat, plan_id),
            "Planen är skickad för beslut.",
        )


def _adoption_form(cat: Catalog, plan_id: int, today_value: date) -> None:
    with st.form("faststall"):
        cols = st.columns(3)
        with cols[0]:
            decided = ui.date_input("Beslutsdatum", today_value, key="faststall_datum")
        paragraf = cols[1].text_input("Paragraf", placeholder="§ 123")
        dnr = cols[2].text_input("Diarienummer", placeholder="SN 2026/123")
        if not st.form_submit_button("Registrera nämndens beslut (fastställ)", type="primary"):
            return
    errors = ui.missing({"Beslutsdatum": decided, "Paragraf": paragraf, "Diarienummer": dnr})
    if errors or decided is None:
        ui.field_errors(errors)
        return
    save_and_refresh(
        "livscykel",
        lambda: plan.approve(ui.uow(), cat, plan_id, decided, paragraf, dnr),
        "Planen är fastställd.",
    )
