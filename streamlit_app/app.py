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

from riskmotor.domain.terms import EXPORT_LABELS  # noqa: E402
from riskmotor.errors import RiskmotorError  # noqa: E402
from streamlit_app.auth import draw_account, draw_login_gate, needs_login  # noqa: E402
from streamlit_app.run_marker import marked  # noqa: E402
from streamlit_app.ui import current_analysis, current_identity, show_flash  # noqa: E402

st.set_page_config(page_title="riskmotor", page_icon="🧭", layout="wide")

PAGES = [
    st.Page("views/start.py", title="Start", icon=":material/home:", default=True),
    st.Page("views/riskidentifiering.py", title="Riskidentifiering", icon=":material/edit_note:"),
    st.Page("views/bedomning.py", title="Bedömning", icon=":material/how_to_vote:"),
    st.Page("views/riskmatris.py", title="Riskmatris", icon=":material/grid_on:"),
    st.Page(
        "views/internkontrollplan.py", title="Internkontrollplan", icon=":material/assignment:"
    ),
    st.Page("views/uppfoljning.py", title="Uppföljning", icon=":material/monitoring:"),
    st.Page("views/scenarier.py", title="Scenarier", icon=":material/insights:"),
    st.Page("views/egenkontroll.py", title="Egenkontroll", icon=":material/fact_check:"),
    st.Page("views/avvikelser.py", title=EXPORT_LABELS["deviations"], icon=":material/report:"),
    st.Page("views/export.py", title="Export", icon=":material/download:"),
    st.Page("views/andringslogg.py", title="Ändringslogg", icon=":material/history:"),
    st.Page("views/behorigheter.py", title="Behörigheter", icon=":material/admin_panel_settings:"),
]


def draw(navigation: st.Page) -> None:
    draw_login_gate()  # shared mode: nothing below runs until someone is logged in
    try:
        chosen = current_analysis()
    except RiskmotorError as exc:  # e.g. the database cannot be reached
        st.error(f"riskmotor kan inte starta: {exc}")
        st.stop()
    with st.sidebar:
        if chosen is not None:
            st.caption(f"Aktuell riskanalys: **{chosen.title}**")
        draw_account(current_identity())
    show_flash()
    navigation.run()


navigation = st.navigation(PAGES, position="hidden" if needs_login() else "sidebar")
# The browser tests wait on the run marker; no traceback reaches the user (an unexpected
# error becomes a Swedish message with a reference number, the traceback goes to the log).
marked(lambda: draw(navigation))
