"""Start: choose or create nämnd and risk analysis, and record the participants."""

from __future__ import annotations

from datetime import date

import streamlit as st

from riskmotor.services import context, organisation, workshop
from streamlit_app.ui import attempt, catalog, current_analysis, uow

st.title("Start")
st.write(
    "Här väljer du nämnd och år för riskanalysen och antecknar vilka som deltar i "
    "workshopen. Revisorerna frågar vilka funktioner som var med – skriv roll och funktion."
)

st.text_input(
    "Ditt namn (visas i ändringsloggen)",
    key="user",
    value=st.session_state.get("user") or context.current_user(),
)

current_analysis()
namnder = organisation.list_namnder(uow())

with st.expander("Skapa ny nämnd", expanded=not namnder), st.form("ny_namnd"):
    kommun = st.text_input("Kommun")
    namnd_name = st.text_input("Nämnd", placeholder="Socialnämnden")
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

names = {n.id: n.name for n in namnder}
namnd_ids = list(names)
selected_namnd = st.session_state.get("namnd_id", namnd_ids[0])
namnd_id = st.selectbox(
    "Nämnd",
    namnd_ids,
    index=namnd_ids.index(selected_namnd) if selected_namnd in namnd_ids else 0,
    format_func=names.__getitem__,
)
if namnd_id != st.session_state.get("namnd_id"):
    st.session_state["namnd_id"] = namnd_id
    st.session_state.pop("analysis_id", None)

analyses = workshop.analyses_for(uow(), namnd_id)
with st.expander("Skapa ny riskanalys", expanded=not analyses), st.form("ny_analys"):
    year = st.number_input("År", min_value=2000, max_value=2100, value=date.today().year + 1)
    scales = catalog().scales
    scale_key = st.selectbox("Skala", list(scales), format_func=lambda key: scales[key].name)
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

by_id = {a.id: a for a in analyses}
chosen_id = st.session_state.get("analysis_id")
analysis_id = st.selectbox(
    "Riskanalys",
    list(by_id),
    index=list(by_id).index(chosen_id) if chosen_id in by_id else 0,
    format_func=lambda key: f"{by_id[key].year} – {by_id[key].title}",
)
st.session_state["analysis_id"] = analysis_id
analysis = by_id[analysis_id]
assert analysis.id is not None
scale = catalog().scale(analysis.scale_key)

left, right = st.columns(2)
left.metric("Skala", scale.name)
left.caption(f"Tröskel för internkontrollplanen: riskvärde ≥ {scale.selection_threshold}")
right.metric("Status", analysis.status.value)
if analysis.workshop_dates:
    right.caption("Workshopdatum: " + ", ".join(d.isoformat() for d in analysis.workshop_dates))

st.subheader("Deltagare")
people = workshop.participants(uow(), analysis.id)
if people:
    st.dataframe(
        [{"Namn": p.name, "Roll": p.role, "Funktion": p.function} for p in people],
        hide_index=True,
        width="stretch",
    )
else:
    st.info("Inga deltagare ännu. Lägg till ledningsgruppens deltagare nedan.")

with st.form("ny_deltagare", clear_on_submit=True):
    cols = st.columns(3)
    person = cols[0].text_input("Namn")
    role = cols[1].text_input("Roll", placeholder="Enhetschef")
    function = cols[2].text_input("Funktion", placeholder="Utredningsenheten barn och unga")
    if st.form_submit_button("Lägg till deltagare") and attempt(
        lambda: workshop.add_participant(uow(), analysis.id, person, role, function),
        f"{person} är tillagd.",
    ):
        st.rerun()

if people:
    with st.form("ta_bort_deltagare"):
        by_person = {p.id: p for p in people}
        remove_id = st.selectbox(
            "Ta bort deltagare", list(by_person), format_func=lambda k: by_person[k].name
        )
        doomed = by_person[remove_id]
        if st.form_submit_button("Ta bort") and attempt(
            lambda: workshop.remove_participant(uow(), remove_id, doomed.version)
        ):
            st.rerun()
