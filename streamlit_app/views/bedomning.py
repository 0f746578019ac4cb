"""Bedömning: each participant scores; the facilitator sees the votes arrive and fastställer.

Who sees what: a logged-in person whose e-mail is a participant's scores their own votes
only (no choosing of whom to score for). The facilitator (a redaktör, or anyone in local
mode, where one person at the computer types everyone's scores) chooses the participant
and also sees the live overview of who has voted.
"""

from __future__ import annotations

import streamlit as st

from riskmotor.domain.access import IdentityKind, Role
from riskmotor.domain.models import Participant
from riskmotor.domain.scoring import Aggregation
from riskmotor.domain.terms import AGGREGATION_LABELS, label
from riskmotor.services import access, workshop
from streamlit_app.components.votes import own_votes
from streamlit_app.components.votes_live import confirm_section, live_overview
from streamlit_app.ui import (
    analysis_caption,
    cached,
    catalog,
    current_identity,
    require_analysis,
    select,
)

st.title("Bedömning")
analysis = require_analysis()
assert analysis.id is not None
analysis_id: int = analysis.id
analysis_caption(analysis)
cat = catalog()
scale = cat.scale(analysis.scale_key)
people: list[Participant] = cached(workshop.participants, analysis_id)
identity = current_identity()
logged_in = identity.kind == IdentityKind.LOGIN
me = next((p for p in people if logged_in and p.email and p.email == identity.email), None)
role = cached(access.my_roles).get(analysis.namnd_id) if logged_in else None
facilitator = not logged_in or (role is not None and role.allows(Role.REDAKTOR))

if not people:
    st.info("Lägg till deltagare på sidan Start innan ni bedömer riskerna.")
    st.stop()
if me is None and not facilitator:
    st.info(
        "Du är inte deltagare i den här riskanalysen. Be processledaren lägga till din "
        "e-postadress bland deltagarna på sidan Start."
    )
    st.stop()

with st.expander("Skalan"):
    for levels, name in ((scale.likelihood, "likelihood"), (scale.consequence, "consequence")):
        st.dataframe(
            [
                {label(name): f"{lvl.value} {lvl.name}", label("description"): lvl.description}
                for lvl in levels
            ],
            hide_index=True,
            width="stretch",
        )


def choose_participant() -> Participant | None:
    """The facilitator types a participant's scores: whose (remembered for the session)."""
    by_id = {p.id: p for p in people if p.id is not None}
    ids = list(by_id)
    if "bedomning_deltagare" not in st.session_state:
        # Preselect the person at the computer when their name is a participant's name,
        # or the only participant; else the list starts at its placeholder.
        own = [k for k in ids if by_id[k].name == identity.name]
        start = own[0] if own else (ids[0] if len(ids) == 1 else None)
        if start is not None:
            st.session_state["bedomning_deltagare"] = start
    chosen = select(
        "Jag är" if not logged_in else "Bedöm för deltagare",
        ids,
        key="bedomning_deltagare",
        format_func=lambda k: by_id[k].name,
    )
    if chosen is None:
        st.info("Välj vem du är för att börja bedöma.")
        return None
    return by_id[chosen]


if not facilitator:
    assert me is not None
    st.caption(f"Du bedömer som {me.name}.")
    own_votes(cat, scale, analysis_id, me)
    st.stop()

participant_tab, facilitator_tab = st.tabs(["Deltagarens bedömning", "Processledarens vy"])
with participant_tab:
    person = me or choose_participant()
    if person is not None:
        own_votes(cat, scale, analysis_id, person)

with facilitator_tab:
    method = Aggregation(
        st.radio(
            "Sammanvägning",
            [m.value for m in Aggregation],
            format_func=AGGREGATION_LABELS.__getitem__,
            horizontal=True,
        )
    )
    live_overview(cat, analysis_id, method)
    confirm_section(cat, scale, analysis_id, method)
