"""The run marker that browser tests wait on instead of on time (tests/e2e/conftest.py).

Every run of the app, and every run of a fragment on its own, draws an invisible element
carrying the session's run counter and whether the run got to its end. A fragment run
redraws only the fragment, so the fragment draws its own marker then; in a full run the
page's marker covers it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from streamlit_app.boundary import error_boundary

P = ParamSpec("P")

RUN_COUNTER = "riskmotor_run"
_HIDDEN = (
    "<style>[data-testid='stElementContainer']:has([data-testid='riskmotor-run'])"
    "{display:none}</style>"
)


def marker_html(run: int, *, complete: bool) -> str:
    """An invisible element (its container is hidden, so it leaves no gap) for the tests."""
    return (
        f'{_HIDDEN}<div data-testid="riskmotor-run" data-run="{run}" '
        f'data-complete="{int(complete)}"></div>'
    )


def next_run() -> int:
    run = int(st.session_state.get(RUN_COUNTER, 0)) + 1
    st.session_state[RUN_COUNTER] = run
    return run


def fragment_run() -> bool:
    """Whether this script run redraws fragments only (a widget inside one was used)."""
    ctx = get_script_run_ctx()
    return bool(ctx and ctx.fragment_ids_this_run)


def marked(draw: Callable[[], None]) -> None:
    """Draw under a marker: incomplete first, complete when ``draw`` got to its end.

    An unexpected error is shown in Swedish with a reference number (error_boundary);
    st.rerun() and st.stop() pass through and leave the marker incomplete, since after
    st.stop() Streamlit refuses further elements.
    """
    run = next_run()
    marker = st.empty()
    marker.html(marker_html(run, complete=False))
    with error_boundary():
        draw()
    marker.html(marker_html(run, complete=True))


def fragment(body: Callable[P, None]) -> Callable[P, None]:
    """``st.fragment`` with the error boundary, and a run marker on a fragment's own runs."""

    @functools.wraps(body)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        if fragment_run():
            marked(lambda: body(*args, **kwargs))
        else:
            with error_boundary():
                body(*args, **kwargs)

    return st.fragment(run)
