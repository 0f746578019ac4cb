"""Start: who is working, which nämnd and risk analysis, and who takes part in the workshop."""

from __future__ import annotations

import streamlit as st

from riskmotor.domain.access import IdentityKind, checked_email
from riskmotor.domain.models import Participant, UnitKind
from riskmotor.domain.terms import STATUS_LABELS, UNIT_KIND_LABELS, label
from riskmotor.services import organisation, workshop
from streamlit_app.local_identity import remember_name, remembered_name
from streamlit_app.ui import (
    IDENTITY_NAME,
    app,
    attempt_and_refresh,
    cached,
    catalog,
    confirm_button,
    current_analysis,
    current_identity,
    field_errors,
    missing,
    select,
    uow,
)
from streamlit_app.widgets import DATE_FORMAT

NAME_INPUT = "start_name"  # the widget; the name itself is kept under IDENTITY_NAME
NAME_LABEL = "Ditt namn (visas i ändringsloggen)"


def _keep_name() -> None:
    """Keep the typed name for the session (outside any widget's state, which Streamlit
    drops on pages without the widget) and for the next session on this machine."""
    name = str(st.session_state.get(NAME_INPUT) or "").strip()
    if name:
        st.session_state[IDENTITY_NAME] = name
        remember_name(name)


def name_field() -> None:
    """Local mode: the person names themself once; with login the name comes from it."""
    if current_identity().kind is IdentityKind.LOGIN:
        return
    if NAME_INPUT not in st.session_state:
        st.session_state[NAME_INPUT] = (
            st.session_state.get(IDENTITY_NAME) or remembered_name() or ""
        )
    st.text_input(NAME_LABEL, key=NAME_INPUT, on_change=_keep_name)
    if not str(st.session_state.get(NAME_INPUT) or "").strip():
        # A request, not an error: a fresh session has done nothing wrong yet.
        st.warning(f"{NAME_LABEL}: skriv ditt namn, så att ändringsloggen visar vem som ändrat.")


def new_namnd_form(expanded: bool) -> None:
    with st.expander("Skapa ny nämnd", expanded=expanded), st.form("ny_namnd"):
        kommun = st.text_input(UNIT_KIND_LABELS[UnitKind.KOMMUN])
        namnd_name = st.text_input(label("namnd"), placeholder="Socialnämnden")
        if st.form_submit_button("Skapa nämnd"):
            errors = missing(
                {UNIT_KIND_LABELS[UnitKind.KOMMUN]: kommun, label("namnd"): namnd_name}
            )
            if errors:
                field_errors(errors)
                return
            attempt_and_refresh(
                lambda: _remember_namnd(organisation.create_namnd(uow(), kommun, namnd_name).id),
                f"Nämnden {namnd_name.strip()} är skapad.",
            )


def _remember_namnd(namnd_id: int | None) -> None:
    """The new nämnd becomes the chosen one, with no analysis chosen yet."""
    st.session_state["namnd_id"] = namnd_id
    st.session_state.pop("analysis_id", None)
    st.session_state.pop("start_namnd", None)


def new_analysis_form(namnd_id: int, expanded: bool) -> None:
    with st.expander("Skapa ny riskanalys", expanded=expanded), st.form("ny_analys"):
        next_year = app().clock.today().year + 1
        year = st.number_input(
            label("year"), min_value=2000, max_value=2100, value=next_year, format="%d"
        )
        scales = catalog().scales
        scale_key = select(
            label("scale_key"),
            list(scales),
            key="ny_analys_skala",
            index=list(scales).index(catalog().default_scale),
            format_func=lambda key: scales[key].name,
        )
        dates = st.date_input("Workshopdatum (första och sista)", value=[], format=DATE_FORMAT)
        if st.form_submit_button("Skapa riskanalys"):
            if scale_key is None:
                field_errors({label("scale_key"): "välj en skala."})
                return
            attempt_and_refresh(
                lambda: _remember_analysis(
                    workshop.create_analysis(
                        uow(),
                        catalog(),
                        namnd_id,
                        int(year),
                        scale_key=scale_key,
                        workshop_dates=list(dates),
                    ).id
                ),
                f"Riskanalysen för {int(year)} är skapad.",
            )


def _remember_analysis(analysis_id: int | None) -> None:
    st.session_state["analysis_id"] = analysis_id
    st.session_state.pop("start_analys", None)


def participants_section(analysis_id: int) -> None:
    st.subheader(label("participant"))
    people: list[Participant] = cached(workshop.participants, analysis_id)
    if people:
        st.dataframe(
            [
                {
                    label("name"): p.name,
                    label("role"): p.role,
                    label("function"): p.function,
                    label("email"): p.email or "",
                }
                for p in people
            ],
            hide_index=True,
            width="stretch",
        )
    else:
        st.info("Inga deltagare ännu. Lägg till ledningsgruppens deltagare nedan.")

    with st.form("ny_deltagare", clear_on_submit=True):
        cols = st.columns(4)
        person = cols[0].text_input(label("name"), key="ny_deltagare_namn")
        role = cols[1].text_input(label("role"), placeholder="Enhetschef")
        function = cols[2].text_input(
            label("function"), placeholder="Utredningsenheten barn och unga"
        )
        email = cols[3].text_input(
            label("email"),
            key="ny_deltagare_epost",
            placeholder="namn@kommun.se",
            help="Med inloggning bedömer deltagaren riskerna från sin egen dator eller telefon.",
        )
        if st.form_submit_button("Lägg till deltagare"):
            errors = missing({label("name"): person}) | _email_error(email)
            if errors:
                field_errors(errors)
            else:
                attempt_and_refresh(
                    lambda: workshop.add_participant(
                        uow(), analysis_id, person, role, function, email=email.strip() or None
                    ),
                    f"{person.strip()} är tillagd.",
                )
    if people:
        _remove_participant(people)


def _email_error(email: str) -> dict[str, str]:
    if not email.strip():
        return {}
    try:
        checked_email(email)
    except ValueError:
        return {label("email"): "skriv en e-postadress, till exempel namn@kommun.se."}
    return {}


def _remove_participant(people: list[Participant]) -> None:
    by_person = {p.id: p for p in people if p.id is not None}
    remove_id = select(
        "Ta bort deltagare",
        list(by_person),
        key="ta_bort_deltagare",
        format_func=lambda k: by_person[k].name,
    )
    if remove_id is None:
        return
    doomed = by_person[remove_id]
    question = f"Vill du ta bort {doomed.name}? Hens röster tas bort med hen."
    if confirm_button("Ta bort deltagaren", key="ta_bort_deltagare_ja", question=question):
        st.session_state.pop("ta_bort_deltagare", None)
        attempt_and_refresh(
            lambda: workshop.remove_participant(uow(), remove_id, doomed.version),
            f"{doomed.name} är borttagen.",
        )


def render() -> None:
    st.title("Start")
    st.write(
        "Här väljer du nämnd och år för riskanalysen och antecknar vilka som deltar i "
        "workshopen. Revisorerna frågar vilka funktioner som var med – skriv roll och funktion."
    )
    name_field()
    current_analysis()
    namnder = cached(organisation.list_namnder)
    new_namnd_form(expanded=not namnder)
    if not namnder:
        return

    names = {n.id: n.name for n in namnder if n.id is not None}
    namnd_ids = list(names)
    wanted = st.session_state.get("namnd_id")
    namnd_id = select(
        label("namnd"),
        namnd_ids,
        key="start_namnd",
        index=namnd_ids.index(wanted) if wanted in namnd_ids else 0,
        format_func=names.__getitem__,
    )
    if namnd_id is None:
        st.info("Välj en nämnd.")
        return
    if namnd_id != st.session_state.get("namnd_id"):
        st.session_state["namnd_id"] = namnd_id
        st.session_state.pop("analysis_id", None)
        st.session_state.pop("start_analys", None)

    analyses = cached(workshop.analyses_for, namnd_id)
    new_analysis_form(namnd_id, expanded=not analyses)
    if not analyses:
        return

    by_id = {a.id: a for a in analyses if a.id is not None}
    chosen_id = st.session_state.get("analysis_id")
    analysis_id = select(
        label("analysis"),
        list(by_id),
        key="start_analys",
        index=list(by_id).index(chosen_id) if chosen_id in by_id else 0,
        format_func=lambda key: f"{by_id[key].year} – {by_id[key].title}",
    )
    if analysis_id is None:
        st.info("Välj en riskanalys.")
        return
    st.session_state["analysis_id"] = analysis_id
    analysis = by_id[analysis_id]
    scale = catalog().scale(analysis.scale_key)

    left, right = st.columns(2)
    left.metric(label("scale_key"), scale.name)
    left.caption(f"Tröskel för internkontrollplanen: riskvärde ≥ {scale.selection_threshold}")
    right.metric(label("status"), STATUS_LABELS[analysis.status])
    if analysis.workshop_dates:
        right.caption("Workshopdatum: " + ", ".join(d.isoformat() for d in analysis.workshop_dates))
    participants_section(analysis_id)


render()
