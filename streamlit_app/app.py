"""riskmotor workshop UI: the entry point run by ``streamlit run``."""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

# Streamlit puts the script's folder on sys.path, not the repository root that holds
# streamlit_app as a package; the pages import ``streamlit_app.ui``.
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from riskmotor.errors import RiskmotorError  # noqa: E402
from streamlit_app.ui import current_analysis  # noqa: E402

st.set_page_config(page_title="riskmotor", page_icon="🧭", layout="wide")

PAGES = [
    st.Page("pages/start.py", title="Start", icon=":material/home:", default=True),
    st.Page("pages/riskidentifiering.py", title="Riskidentifiering", icon=":material/edit_note:"),
    st.Page("pages/bedomning.py", title="Bedömning", icon=":material/how_to_vote:"),
    st.Page("pages/riskmatris.py", title="Riskmatris", icon=":material/grid_on:"),
    st.Page("pages/scenarier.py", title="Scenarier", icon=":material/insights:"),
    st.Page("pages/egenkontroll.py", title="Egenkontroll", icon=":material/fact_check:"),
    st.Page("pages/andringslogg.py", title="Ändringslogg", icon=":material/history:"),
]

navigation = st.navigation(PAGES)
try:
    chosen = current_analysis()
except RiskmotorError as exc:  # e.g. the database cannot be reached
    st.error(f"riskmotor kan inte starta: {exc}")
    st.stop()
with st.sidebar:
    if chosen is not None:
        st.caption(f"Aktuell riskanalys: **{chosen.title}**")
    if st.session_state.get("user"):
        st.caption(f"Inloggad som: {st.session_state['user']}")
navigation.run()
