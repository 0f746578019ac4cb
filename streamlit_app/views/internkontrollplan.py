"""Internkontrollplan: proposed selection with reasons, overrides, controls, actions, lifecycle."""

from __future__ import annotations

import streamlit as st

from riskmotor.domain.plan import (
    ActionStatus,
    ControlMethod,
    Frequency,
    PlanControl,
    PlanStatus,
    Strategy,
    SubmissionItem,
    missing_for_decision,
)
from riskmotor.domain.terms import EXPORT_LABELS, label, yes_no
from riskmotor.reports.plan import PlanRiskView
from riskmotor.services import egenkontroll, plan
from streamlit_app.ui import (
    analysis_caption,
    app,
    attempt,
    attempt_and_refresh,
    catalog,
    require_analysis,
    uow,
)

st.title("Internkontrollplan")
analysis = require_analysis()
assert analysis.id is not None
analysis_caption(analysis)
cat = catalog()
scale = cat.scale(analysis.scale_key)
versions = plan.versions(uow(), analysis.namnd_id, analysis.year)

if not versions:
    st.info(
        f"Det finns ingen internkontrollplan för {analysis.year} ännu. Förslaget tar med risker "
        f"med riskvärde {scale.selection_threshold} eller högre och anger ett skäl för varje risk."
    )
    if st.button("Föreslå internkontrollplan", type="primary"):
        created = attempt(
            lambda: plan.propose(uow(), cat, analysis.namnd_id, analysis.year),
            "Förslaget är skapat.",
        )
        if created is not None:
            st.rerun()
    st.stop()

by_id = {v.id: v for v in versions}
selected_version = st.selectbox(
    "Version",
    list(by_id),
    index=len(versions) - 1,
    format_func=lambda k: f"Version {by_id[k].plan_version} – {by_id[k].status.value}",
)
assert selected_version is not None  # a selectbox with options and an index has a value
plan_id: int = selected_version
current = plan.view(uow(), cat, plan_id)
header = current.plan
editable = header.editable  # the domain's lifecycle rule, not a copy of it
cols = st.columns(4)
cols[0].metric(label("status"), header.status.value)
cols[1].metric("Tröskel", f"riskvärde ≥ {header.threshold}")
cols[2].metric("Risker i planen", len(current.included))
cols[3].metric("Risker i analysen", len(current.risks))
if header.status == PlanStatus.FASTSTALLD:
    st.success(
        f"Fastställd av nämnden {header.decision_date}, {header.paragraf}, dnr {header.dnr}. "
        "Planen är låst; skapa en ny version för ändringar."
    )
if current.frozen is not None:
    st.caption(
        f"Visas som innehållet frystes när planen blev {current.frozen.kind.value} "
        f"({current.frozen.frozen_at:%Y-%m-%d}). Senare ändringar i riskanalysen påverkar "
        f"inte den här versionen. Kontrollsumma (SHA-256): {current.frozen.content_sha256}"
    )
CHANGED = "ändrad efter beslut"
changed_count = sum(v.changed_since_decision for v in current.risks)
if current.adopted_version is not None and changed_count:
    st.info(
        f"{changed_count} risker visar något annat än fastställd version "
        f"{current.adopted_version}; de är markerade {CHANGED!r}."
    )

changes = plan.diff(uow(), cat, plan_id)
if changes is not None:
    with st.expander(
        f"Skillnader mot planen den bygger på ({header.based_on_kind})", expanded=not changes.empty
    ):
        if changes.empty:
            st.write("Inga skillnader.")
        for title in changes.new:
            st.markdown(f"- **Ny:** {title}")
        for title in changes.removed:
            st.markdown(f"- **Borttagen:** {title}")
        for title, notes in changes.changed:
            st.markdown(f"- **Ändrad:** {title} – {'; '.join(notes)}")

st.subheader("Urval med skäl")
st.dataframe(
    [
        {
            "Id": v.risk.id,
            label("title"): v.risk.title,
            label("risk_value"): v.plan_risk.risk_value,
            "Ingår": yes_no(v.plan_risk.included),
            EXPORT_LABELS["reason"]: v.plan_risk.reason,
            "Efter beslut": CHANGED if v.changed_since_decision else "",
        }
        for v in current.risks
    ],
    hide_index=True,
    width="stretch",
)

by_plan_risk = {v.plan_risk.id: v for v in current.risks}
if editable:
    if st.button("Uppdatera förslaget från riskanalysen"):
        attempt_and_refresh(
            lambda: plan.propose(uow(), cat, analysis.namnd_id, analysis.year),
            "Förslaget är uppdaterat.",
        )
    with st.expander("Manuellt beslut eller obligatoriskt kontrollområde"), st.form("beslut"):
        selected_risk = st.selectbox(
            label("title"), list(by_plan_risk), format_func=lambda k: by_plan_risk[k].risk.title
        )
        assert selected_risk is not None  # stored plan risks have ids
        chosen: int = selected_risk
        decision = st.radio(
            "Beslut",
            ["Ta med", "Ta inte med", "Följ regeln", "Obligatoriskt kontrollområde"],
            horizontal=True,
        )
        motivation = st.text_area("Motivering (krävs)")
        if st.form_submit_button("Spara beslut"):
            if decision == "Obligatoriskt kontrollområde":
                action = lambda: plan.set_must_include(uow(), cat, chosen, True, motivation)  # noqa: E731
            else:
                include = {"Ta med": True, "Ta inte med": False}.get(decision)
                action = lambda: plan.set_override(uow(), cat, chosen, include, motivation)  # noqa: E731
            attempt_and_refresh(action, "Beslutet är sparat.")


def show_risk(item: PlanRiskView) -> None:
    risk_id = item.plan_risk.id or 0
    st.caption(item.plan_risk.reason)
    if editable:
        with st.form(f"behandling_{risk_id}"):
            cols = st.columns(3)
            strategies = [s.value for s in Strategy]
            strategy = cols[0].selectbox(
                EXPORT_LABELS["strategy"],
                strategies,
                index=strategies.index(item.plan_risk.strategy.value)
                if item.plan_risk.strategy
                else 1,
            )
            levels = [None, *range(1, scale.max_likelihood + 1)]
            target_s = cols[1].selectbox(
                "Mål sannolikhet", levels, index=item.plan_risk.target_likelihood or 0
            )
            target_k = cols[2].selectbox(
                "Mål konsekvens",
                [None, *range(1, scale.max_consequence + 1)],
                index=item.plan_risk.target_consequence or 0,
            )
            if st.form_submit_button("Spara behandlingsplan"):
                attempt_and_refresh(
                    lambda: plan.set_treatment(
                        uow(), cat, risk_id, Strategy(strategy), target_s, target_k
                    ),
                    "Sparat.",
                )
    st.markdown("**Kontrollmoment**")
    st.dataframe(
        [
            {
                EXPORT_LABELS["control_activity"]: c.control_activity,
                EXPORT_LABELS["control_method"]: c.control_method,
                EXPORT_LABELS["frequency"]: c.frequency,
                EXPORT_LABELS["responsible"]: c.responsible,
                EXPORT_LABELS["reported_to"]: c.reported_to,
                EXPORT_LABELS["timing"]: c.timing,
            }
            for c in item.controls
        ],
        hide_index=True,
        width="stretch",
    )
    if editable:
        for control in item.controls:
            complete_control_form(control)
        add_control_form(item)
    st.markdown("**Åtgärder (behandlingsplan)**")
    st.dataframe(
        [
            {
                EXPORT_LABELS["action"]: a.what,
                EXPORT_LABELS["responsible"]: a.owner,
                EXPORT_LABELS["due_date"]: a.due_date,
                label("status"): a.status.value,
                EXPORT_LABELS["expected_effect"]: a.expected_effect,
            }
            for a in item.actions
        ],
        hide_index=True,
        width="stretch",
    )
    if editable:
        add_action_form(item)


def complete_control_form(control: PlanControl) -> None:
    """Ansvarig and tidpunkt of a kontrollmoment already in the plan (added from a suggestion,
    the command line or last year's plan): the plan cannot go för beslut without them."""
    with st.form(f"komplettera_{control.id}"):
        st.caption(control.control_activity)
        cols = st.columns(2)
        responsible = cols[0].text_input(EXPORT_LABELS["responsible"], value=control.responsible)
        timing = cols[1].text_input(
            EXPORT_LABELS["timing"], value=control.timing, placeholder="T1, T2 och T3"
        )
        if st.form_submit_button("Spara ansvarig och tidpunkt"):
            changed = control.model_copy(update={"responsible": responsible, "timing": timing})
            attempt_and_refresh(
                lambda: plan.update_control(uow(), changed), "Kontrollmomentet är uppdaterat."
            )


def add_control_form(item: PlanRiskView) -> None:
    risk_id = item.plan_risk.id or 0
    suggestions = plan.suggested_controls(cat, item.risk)
    first = suggestions[0] if suggestions else {}
    sampling_plans = {
        p.id: p.name for p in egenkontroll.plans(uow(), analysis.namnd_id, analysis.year)
    }
    with st.form(f"kontroll_{risk_id}", clear_on_submit=True):
        activity = st.text_input(
            "Nytt kontrollmoment",
            value=first.get("control_activity", ""),
            help="Förslaget kommer från riskmallen i katalogen.",
        )
        cols = st.columns(3)
        methods = [m.value for m in ControlMethod]
        method = cols[0].selectbox(
            EXPORT_LABELS["control_method"],
            methods,
            index=methods.index(first.get("control_method", ControlMethod.STICKPROV)),
        )
        frequencies = [f.value for f in Frequency]
        frequency = cols[1].selectbox(
            EXPORT_LABELS["frequency"],
            frequencies,
            index=frequencies.index(first.get("frequency", Frequency.TERTIAL)),
        )
        sampling = cols[2].selectbox(
            "Stickprovsplan (egenkontroll)",
            [None, *sampling_plans],
            format_func=lambda k: "–" if k is None else sampling_plans[k],
        )
        cols = st.columns(3)
        responsible = cols[0].text_input(EXPORT_LABELS["responsible"])
        reported_to = cols[1].text_input(EXPORT_LABELS["reported_to"], value="Socialnämnden")
        timing = cols[2].text_input(EXPORT_LABELS["timing"], placeholder="T1, T2 och T3")
        if st.form_submit_button("Lägg till kontrollmoment"):
            attempt_and_refresh(
                lambda: plan.add_control(
                    uow(),
                    {
                        "plan_risk_id": risk_id,
                        "control_activity": activity,
                        "control_method": method,
                        "frequency": frequency,
                        "responsible": responsible,
                        "reported_to": reported_to,
                        "timing": timing,
                        "egenkontroll_plan_id": sampling,
                    },
                ),
                "Kontrollmomentet är tillagt.",
            )


def add_action_form(item: PlanRiskView) -> None:
    risk_id = item.plan_risk.id or 0
    with st.form(f"atgard_{risk_id}", clear_on_submit=True):
        what = st.text_input("Ny åtgärd")
        cols = st.columns(3)
        owner = cols[0].text_input("Ansvarig för åtgärden")
        due = cols[1].date_input(EXPORT_LABELS["due_date"], value=None)
        status = cols[2].selectbox(label("status"), [s.value for s in ActionStatus])
        effect = st.text_input(EXPORT_LABELS["expected_effect"])
        if st.form_submit_button("Lägg till åtgärd"):
            attempt_and_refresh(
                lambda: plan.add_action(
                    uow(),
                    {
                        "plan_risk_id": risk_id,
                        "what": what,
                        "owner": owner,
                        "due_date": due,
                        "status": status,
                        "expected_effect": effect,
                    },
                ),
                "Åtgärden är tillagd.",
            )


st.subheader("Kontrollmoment och behandlingsplaner")
for item in current.included:
    heading = f"{item.risk.title} – riskvärde {item.plan_risk.risk_value}"
    if not item.controls:
        heading += " (saknar kontrollmoment)"
    if item.changed_since_decision:
        heading += f" – {CHANGED}"
    with st.expander(heading):
        show_risk(item)

st.subheader("Beslut")
if editable:
    # The same rule the service applies on submit, shown before the user tries.
    missing = missing_for_decision(
        [SubmissionItem(i.risk.title, i.risk.confirmed, i.controls) for i in current.included]
    )
    if missing:
        st.warning(
            "Planen kan inte skickas för beslut förrän den är komplett. "
            + " ".join(missing)
            + " Bedömningar fastställs på sidan Bedömning; ansvarig och tidpunkt anges vid "
            "varje kontrollmoment ovan."
        )
    opinion = st.text_area(
        "Förvaltningens synpunkter (till tjänsteutlåtandet)", value=header.opinion
    )
    if st.button("Spara synpunkterna"):
        attempt_and_refresh(lambda: plan.set_opinion(uow(), plan_id, opinion), "Sparat.")
    if st.button("Skicka för beslut"):
        attempt_and_refresh(
            lambda: plan.submit(uow(), cat, plan_id), "Planen är skickad för beslut."
        )
if header.status in (PlanStatus.UTKAST, PlanStatus.FOR_BESLUT):
    if header.status == PlanStatus.FOR_BESLUT and st.button("Ta tillbaka till utkast"):
        attempt_and_refresh(lambda: plan.withdraw(uow(), plan_id), "Planen är ett utkast igen.")
    with st.form("faststall"):
        decision_cols = st.columns(3)
        decided = decision_cols[0].date_input("Beslutsdatum", value=app().clock.today())
        paragraf = decision_cols[1].text_input("Paragraf", placeholder="§ 123")
        dnr = decision_cols[2].text_input("Diarienummer", placeholder="SN 2026/123")
        if st.form_submit_button("Registrera nämndens beslut (fastställ)", type="primary"):
            attempt_and_refresh(
                lambda: plan.approve(uow(), cat, plan_id, decided, paragraf, dnr),
                "Planen är fastställd.",
            )
if header.status == PlanStatus.FASTSTALLD:
    version_cols = st.columns(2)
    if version_cols[0].button("Skapa ny version"):
        attempt_and_refresh(
            lambda: plan.new_version(uow(), plan_id), "En ny version är skapad som utkast."
        )
    if version_cols[1].button(f"Starta planen för {header.year + 1}"):
        attempt_and_refresh(
            lambda: plan.copy_to_next_year(uow(), cat, plan_id),
            f"Planen för {header.year + 1} är skapad från årets plan.",
        )
