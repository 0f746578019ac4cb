"""Internkontrollplan: proposed selection with reasons, overrides, controls, actions, lifecycle.

Read models come from ``ui.cached`` (recomputed only after a save, by anyone); each risk is
a fragment (components/plan_risk.py) that draws its forms only while it is open.
"""

from __future__ import annotations

import streamlit as st

from riskmotor.domain.plan import PlanStatus
from riskmotor.domain.terms import EXPORT_LABELS, label, quantity, yes_no
from riskmotor.reports.plan import PlanView
from riskmotor.services import egenkontroll, plan
from streamlit_app import ui
from streamlit_app.components.plan_decision import (
    NEXT_VERSION,
    VERSION_KEY,
    decision_section,
    manual_decision_form,
)
from streamlit_app.components.plan_feedback import save_and_refresh, show_saved
from streamlit_app.components.plan_risk import CHANGED, PanelContext, risk_panel

st.title("Internkontrollplan")
analysis = ui.require_analysis()
assert analysis.id is not None
ui.analysis_caption(analysis)
cat = ui.catalog()
scale = cat.scale(analysis.scale_key)
versions = ui.cached(plan.versions, analysis.namnd_id, analysis.year)

if not versions:
    st.info(
        f"Det finns ingen internkontrollplan för {analysis.year} ännu. Förslaget tar med risker "
        f"med riskvärde {scale.selection_threshold} eller högre och anger ett skäl för varje risk."
    )
    show_saved("forslag")
    if st.button("Föreslå internkontrollplan", type="primary"):
        save_and_refresh(
            "forslag",
            lambda: plan.propose(ui.uow(), cat, analysis.namnd_id, analysis.year),
            "Förslaget är skapat.",
        )
    st.stop()

by_id = {v.id or 0: v for v in versions}
if NEXT_VERSION in st.session_state:  # a version created by the last save is shown
    st.session_state[VERSION_KEY] = st.session_state.pop(NEXT_VERSION)
if st.session_state.get(VERSION_KEY) not in by_id:
    st.session_state[VERSION_KEY] = versions[-1].id
chosen = ui.select(
    "Version",
    list(by_id),
    key=VERSION_KEY,
    format_func=lambda k: f"Version {by_id[k].plan_version} – {by_id[k].status.value}",
)
plan_id: int = chosen if chosen is not None else versions[-1].id or 0
current: PlanView = ui.cached(plan.view, cat, plan_id)
header = current.plan
editable = header.editable  # the domain's lifecycle rule, not a copy of it
without_controls = [i for i in current.included if not i.controls]

cols = st.columns(5)
cols[0].metric(label("status"), header.status.value.capitalize())
cols[1].metric("Tröskel", f"{label('risk_value').lower()} ≥ {header.threshold}")
cols[2].metric("Risker i planen", len(current.included))
cols[3].metric("Saknar kontrollmoment", len(without_controls))
cols[4].metric("Risker i analysen", len(current.risks))
if header.status == PlanStatus.FASTSTALLD and header.decision_date is not None:
    st.success(
        f"Fastställd av nämnden {header.decision_date.isoformat()}, {header.paragraf}, "
        f"dnr {header.dnr}. Planen är låst; skapa en ny version för ändringar."
    )
if current.frozen is not None:
    st.caption(
        f"Visas som innehållet frystes när planen blev {current.frozen.kind.value} "
        f"({current.frozen.frozen_at:%Y-%m-%d}). Senare ändringar i riskanalysen påverkar "
        f"inte den här versionen. Kontrollsumma (SHA-256): {current.frozen.content_sha256}"
    )
changed_count = sum(v.changed_since_decision for v in current.risks)
if current.adopted_version is not None and changed_count:
    st.info(
        f"{quantity(changed_count, 'risk', 'risker')} visar något annat än fastställd version "
        f"{current.adopted_version}; de är markerade ”{CHANGED}”."
    )

changes = ui.cached(plan.diff, cat, plan_id)
if changes is not None:
    with st.expander(f"Skillnader mot planen den bygger på ({header.based_on_kind})"):
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
            "Nr": v.risk.id,
            label("title"): v.risk.title,
            label("risk_value"): "–" if v.plan_risk.risk_value is None else v.plan_risk.risk_value,
            "Ingår": yes_no(v.plan_risk.included),
            EXPORT_LABELS["reason"]: v.plan_risk.reason,
            "Efter beslut": CHANGED if v.changed_since_decision else "",
        }
        for v in current.risks
    ],
    hide_index=True,
    width="stretch",
)

if editable:
    show_saved("forslag")
    if st.button("Uppdatera förslaget från riskanalysen"):
        save_and_refresh(
            "forslag",
            lambda: plan.propose(ui.uow(), cat, analysis.namnd_id, analysis.year),
            "Förslaget är uppdaterat.",
        )
    with st.expander("Manuellt beslut eller obligatoriskt kontrollområde"):
        manual_decision_form(cat, current)

st.subheader("Kontrollmoment och behandlingsplaner")
if editable:
    suggestible = [i for i in without_controls if i.risk.template_key]
    show_saved("katalogforslag")
    if st.button(
        f"Lägg till katalogens förslag för alla risker utan kontrollmoment ({len(suggestible)})",
        disabled=not suggestible,
        help="Riskmallens föreslagna kontrollmoment läggs till för varje risk i planen som "
        "saknar kontrollmoment. Egna risker utan mall får sina kontrollmoment i tabellen.",
    ):
        save_and_refresh(
            "katalogforslag",
            lambda: plan.add_catalog_suggestions(ui.uow(), cat, plan_id),
            lambda added: (
                f"{added} kontrollmoment från katalogen är tillagda. Ange ansvarig "
                "och tidpunkt i tabellen under varje risk."
            ),
        )
    if len(suggestible) < len(without_controls):
        st.caption(
            f"{quantity(len(without_controls) - len(suggestible), 'risk', 'risker')} utan mall "
            "i katalogen behöver "
            "egna kontrollmoment."
        )
sampling_plans = {
    p.id or 0: p.name for p in ui.cached(egenkontroll.plans, analysis.namnd_id, analysis.year)
}
context = PanelContext(
    plan_id, editable, scale.max_likelihood, scale.max_consequence, sampling_plans
)
for item in current.included:
    risk_panel(context, item.plan_risk.id or 0)

st.subheader("Beslut")
decision_section(cat, current, ui.app().clock.today())
