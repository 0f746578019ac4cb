"""Ändringslogg: who changed what and when in the current risk analysis."""

from __future__ import annotations

import streamlit as st

from riskmotor.domain.terms import ACTION_LABELS, ENTITY_LABELS, label, local_time
from riskmotor.services.audit import audit_log
from streamlit_app.ui import analysis_caption, require_analysis, uow

st.title("Ändringslogg")
analysis = require_analysis()
analysis_caption(analysis)
st.write("Varje ändring sparas med vem, när, vad och både gammalt och nytt värde.")

entity = st.selectbox(
    "Visa", [None, *ENTITY_LABELS], format_func=lambda k: "Allt" if k is None else ENTITY_LABELS[k]
)
entries = audit_log(uow(), analysis_id=analysis.id, entity=entity, limit=1000)
st.caption(f"{len(entries)} senaste ändringarna")
st.dataframe(
    [
        {
            "Tid": local_time(e.at),
            "Vem": e.actor,
            "Vad": ENTITY_LABELS.get(e.entity, e.entity),
            "Id": e.entity_id,
            "Händelse": ACTION_LABELS.get(e.action, e.action),
            "Fält": label(e.field),
            "Gammalt värde": e.old,
            "Nytt värde": e.new,
        }
        for e in entries
    ],
    hide_index=True,
    width="stretch",
)
