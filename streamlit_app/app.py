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
from streamlit_app.ui import current_analysis, show_flash  # noqa: E402

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
]

# Browser tests wait on this marker instead of on time (tests/e2e/conftest.py): which run
# of this session drew the page, and whether that run got to the end of the page.
RUN_COUNTER = "riskmotor_run"
RUN_MARKER_HIDDEN = (
    "<style>[data-testid='stElementContainer']:has([data-testid='riskmotor-run'])"
    "{display:none}</style>"
)


def run_marker(run: int, *, complete: bool) -> str:
    """An invisible element (its container is hidden, so it leaves no gap) for the tests."""
    return (
        f'{RUN_MARKER_HIDDEN}<div data-testid="riskmotor-run" data-run="{run}" '
        f'data-complete="{int(complete)}"></div>'
    )


def draw(navigation: st.Page) -> None:
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
    show_flash()
    navigation.run()


navigation = st.navigation(PAGES)
run = st.session_state[RUN_COUNTER] = int(st.session_state.get(RUN_COUNTER, 0)) + 1
# Drawn first, so that it exists even when the page ends with st.stop(): after st.stop()
# Streamlit refuses every further element, so "complete" can only be written on the way
# out of a run that was not cut short.
marker = st.empty()
marker.html(run_marker(run, complete=False))
try:
    draw(navigation)
except Exception:
    # The page failed: Streamlit shows the error and the run is over. st.rerun() and
    # st.stop() raise BaseException subclasses and pass through here unmarked.
    marker.html(run_marker(run, complete=True))
    raise
marker.html(run_marker(run, complete=True))
