"""Ändringslogg: who changed what and when, as a revisor reads it, with downloads."""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from riskmotor.domain.terms import number
from riskmotor.export.audit_log import audit_csv, audit_xlsx
from riskmotor.reports.audit import AuditFilterChoices, AuditLogView, AuditQuery, EntityChoice
from riskmotor.services import audit
from streamlit_app.ui import analysis_caption, cached, date_input, require_analysis
from streamlit_app.widgets import PLACEHOLDER

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ALL = "Alla"
DEFAULT_DAYS = 365
LIMIT = 2000

st.title("Ändringslogg")
analysis = require_analysis()
analysis_caption(analysis)
st.write(
    "Varje ändring sparas med vem, när (databasens klocka, visad i svensk tid), vad och både "
    "gammalt och nytt värde. Posterna är kedjade med hashvärden; `riskmotor audit verify` "
    "visar om någon post har ändrats eller tagits bort."
)


def filters(choices: AuditFilterChoices) -> AuditQuery | None:
    """The reader's filters as a query; None (after a message) when the dates are reversed."""
    what_col, who_col = st.columns(2)
    entity: EntityChoice | None = what_col.selectbox(
        "Vad",
        [None, *choices.entities],
        format_func=lambda e: ALL if e is None else e.label,
        placeholder=PLACEHOLDER,
    )
    actor: str | None = who_col.selectbox(
        "Vem",
        [None, *choices.actors],
        format_func=lambda a: ALL if a is None else a,
        placeholder=PLACEHOLDER,
    )
    since_col, until_col, scope_col = st.columns(3)
    today = date.today()  # the reader's calendar, only for the default of the date filter
    with since_col:
        since = date_input("Från och med", today - timedelta(days=DEFAULT_DAYS), key="logg_fran")
    with until_col:
        until = date_input("Till och med", today, key="logg_till")
    whole = scope_col.toggle(
        "Hela databasen",
        value=True,
        help="Av: bara ändringar som hör till den valda riskanalysen. På: allt, även "
        "egenkontroll, scenarier, exporter och importer.",
    )
    if since and until and since > until:
        st.error("Från och med: datumet måste vara före Till och med.")
        return None
    return AuditQuery(
        analysis_id=None if whole else analysis.id,
        entity=entity.key if entity else None,
        actor=actor,
        since=since,
        until=until,
        limit=LIMIT,
    )


def downloads(view: AuditLogView, stem: str) -> None:
    """One click per file: the bytes are made when the button is clicked, not before."""
    csv_col, xlsx_col = st.columns(2)
    csv_col.download_button(
        "Ladda ned som CSV",
        data=lambda: audit_csv(view),
        file_name=f"{stem}.csv",
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
    )
    xlsx_col.download_button(
        "Ladda ned som Excel",
        data=lambda: audit_xlsx(view),
        file_name=f"{stem}.xlsx",
        mime=XLSX_MIME,
        on_click="ignore",
        icon=":material/download:",
    )


query = filters(cached(audit.audit_filters))
if query is not None:
    view = cached(audit.audit_view, query)
    shown = number(len(view.lines))
    if view.truncated:
        st.caption(f"De {shown} senaste ändringarna visas; begränsa datum eller vad för fler.")
    else:
        st.caption(f"{shown} ändringar.")
    if view.lines:
        st.dataframe(view.rows(), hide_index=True, width="stretch")
    else:
        st.info("Inga ändringar stämmer med filtren.")
    downloads(view, f"andringslogg-{query.since or 'start'}-{query.until or 'idag'}")
