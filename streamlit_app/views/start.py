"""Start: choose or create nämnd and risk analysis, and record the participants."""

from __future__ import annotations

import streamlit as st

from riskmotor.domain.models import UnitKind
from riskmotor.domain.terms import STATUS_LABELS, UNIT_KIND_LABELS, label
from riskmotor.services import organisation, workshop
from streamlit_app.ui import app, attempt, catalog, current_analysis, current_user, uow

st.title("Start")
st.write(
    "Här väljer du nämnd och år för riskanalysen och antecknar vilka som deltar i "
    "workshopen. Revisorerna frågar vilka funktioner som var med – skriv roll och funktion."
)

st.text_input(
    "Ditt namn (visas i ändringsloggen)",
    key="user",
    value=current_user(),
)

current_analysis()
namnder = organisation.list_namnder(uow())

with st.expander("Skapa ny nämnd", expanded=not namnder), st.form("ny_namnd"):
    kommun = st.text_input(UNIT_KIND_LABELS[UnitKind.KOMMUN])
    namnd_name = st.text_input(label("namnd"), placeholder="Socialnämnden")
    if st.form_submit_button("Skapa nämnd"):
        created = attempt(
            lambda: organisation.create_namnd(uow(), kommun, namnd_name),
            f"Nämnden {namnd_name} är skapad.",
        )
        if created:
            st.session_state["namnd_id"] = created.id
            st.session_state.pop("analysis_id", None)
            st.rerun()

if not namnder:
    st.stop()

names = {n.id: n.name for n in namnder if n.id is not None}
namnd_ids = list(names)
selected_namnd = st.session_state.get("namnd_id", namnd_ids[0])
namnd_id = st.selectbox(
    label("namnd"),
    namnd_ids,
    index=namnd_ids.index(selected_namnd) if selected_namnd in namnd_ids else 0,
    format_func=names.__getitem__,
)
if namnd_id != st.session_state.get("namnd_id"):
    st.session_state["namnd_id"] = namnd_id
    st.session_state.pop("analysis_id", None)

analyses = workshop.analyses_for(uow(), namnd_id)
with st.expander("Skapa ny riskanalys", expanded=not analyses), st.form("ny_analys"):
    next_year = app().clock.today().year + 1
    year = st.number_input(label("year"), min_value=2000, max_value=2100, value=next_year)
    scales = catalog().scales
    scale_key = st.selectbox(
        label("scale_key"), list(scales), format_func=lambda key: scales[key].name
    )
    dates = st.date_input("Workshopdatum (första och sista)", value=[])
    if st.form_submit_button("Skapa riskanalys"):
        created_analysis = attempt(
            lambda: workshop.create_analysis(
                uow(),
                catalog(),
                namnd_id,
                int(year),
                scale_key=scale_key,
                workshop_dates=list(dates),
            ),
            f"Riskanalysen för {int(year)} är skapad.",
        )
        if created_analysis:
            st.session_state["analysis_id"] = created_analysis.id
            st.rerun()

if not analyses:
    st.stop()

by_id = {a.id: a for a in analyses if a.id is not None}
chosen_id = st.session_state.get("analysis_id")
analysis_id = st.selectbox(
    label("analysis"),
    list(by_id),
    index=list(by_id).index(chosen_id) if chosen_id in by_id else 0,
    format_func=lambda key: f"{by_id[key].year} – {by_id[key].title}",
)
st.session_state["analysis_id"] = analysis_id
analysis = by_id[analysis_id]
scale = catalog().scale(analysis.scale_key)

left, right = st.columns(2)
left.metric(label("scale_key"), scale.name)
left.caption(f"Tröskel för internkontrollplanen: riskvärde ≥ {scale.selection_threshold}")
right.metric(label("status"), STATUS_LABELS[analysis.status])
if analysis.workshop_dates:
    right.caption("Workshopdatum: " + ", ".join(d.isoformat() for d in analysis.workshop_dates))

st.subheader(label("participant"))
people = workshop.participants(uow(), analysis_id)
if people:
    st.dataframe(
        [
            {label("name"): p.name, label("role"): p.role, label("function"): p.function}
            for p in people
        ],
        hide_index=True,
        width="stretch",
    )
else:
    st.info("Inga deltagare ännu. Lägg till ledningsgruppens deltagare nedan.")

with st.form("ny_deltagare", clear_on_submit=True):
    cols = st.columns(3)
    person = cols[0].text_input(label("name"))
    role = cols[1].text_input(label("role"), placeholder="Enhetschef")
    function = cols[2].text_input(label("function"), placeholder="Utredningsenheten barn och unga")
    if st.form_submit_button("Lägg till deltagare"):
        added = attempt(
            lambda: workshop.add_participant(uow(), analysis_id, person, role, function),
            f"{person} är tillagd.",
        )
        if added is not None:
            st.rerun()

if people:
    with st.form("ta_bort_deltagare"):
        by_person = {p.id: p for p in people if p.id is not None}
        remove_id = st.selectbox(
            "Ta bort deltagare", list(by_person), format_func=lambda k: by_person[k].name
        )
        doomed = by_person[remove_id]
        if st.form_submit_button("Ta bort"):
            removed = attempt(lambda: workshop.remove_participant(uow(), remove_id, doomed.version))
            if removed is not None:
                st.rerun()
