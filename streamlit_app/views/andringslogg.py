"""Ändringslogg: who changed what and when, filtered by what, who and when."""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from riskmotor.domain.terms import ACTION_LABELS, ENTITY_LABELS, label, local_time
from riskmotor.services.audit import audit_filters, audit_log
from streamlit_app.ui import analysis_caption, require_analysis, uow

ALL_FIELDS = "*"  # a created or deleted row: every field, as JSON

st.title("Ändringslogg")
analysis = require_analysis()
analysis_caption(analysis)
st.write(
    "Varje ändring sparas med vem, när (databasens klocka), vad och både gammalt och nytt "
    "värde. Posterna är kedjade med hashvärden; `riskmotor audit verify` visar om någon "
    "post har ändrats eller tagits bort."
)

filters = audit_filters(uow())
entity_col, actor_col, dates_col = st.columns(3)
entity = entity_col.selectbox(
    "Vad",
    [None, *filters.entities],
    format_func=lambda k: "Allt" if k is None else ENTITY_LABELS.get(k, k),
)
actor = actor_col.selectbox(
    "Vem", [None, *filters.actors], format_func=lambda a: "Alla" if a is None else a
)
today = date.today()  # the reader's calendar, only for the default of the date filter
period = dates_col.date_input("Datum", value=(today - timedelta(days=365), today))
since, until = (period[0], period[-1]) if isinstance(period, tuple) and period else (None, None)
whole = st.toggle(
    "Visa hela databasen (även exporter och importer som inte hör till en riskanalys)"
)

entries = audit_log(
    uow(),
    analysis_id=None if whole else analysis.id,
    entity=entity,
    actor=actor,
    since=since,
    until=until,
    limit=1000,
)
st.caption(f"{len(entries)} senaste ändringarna")
st.dataframe(
    [
        {
            "Tid": local_time(e.at),
            "Vem": e.actor,
            "Vad": ENTITY_LABELS.get(e.entity, e.entity),
            "Id": e.entity_id,
            "Händelse": ACTION_LABELS.get(e.action, e.action),
            "Fält": "alla fält" if e.field == ALL_FIELDS else label(e.field),
            "Gammalt värde": e.old,
            "Nytt värde": e.new,
        }
        for e in entries
    ],
    hide_index=True,
    width="stretch",
)
