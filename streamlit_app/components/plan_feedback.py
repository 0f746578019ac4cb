"""Saving on the plan pages: the message appears beside what was saved, and the whole page
is drawn again so that every counter and list shows the new state.

``ui.attempt_and_refresh`` shows its message at the top of the page, above the title and
out of sight when the user works in a risk further down; these helpers keep it with the
form (and as a toast) instead.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from riskmotor.errors import ConflictError, RiskmotorError
from streamlit_app import ui

_SAVED = "plan_saved_"


def save_and_refresh(
    place: str, action: Callable[[], object], success: Callable[[object], str] | str
) -> bool:
    """Run ``action``; on success remember the message for ``place`` and redraw the page,
    otherwise show the Swedish reason here and return False."""
    try:
        result = action()
    except ConflictError as exc:
        st.error(str(exc))
        ui.show_conflict(exc)
        return False
    except RiskmotorError as exc:
        st.error(str(exc))
        return False
    st.session_state[_SAVED + place] = success if isinstance(success, str) else success(result)
    st.rerun()
    return True  # not reached: st.rerun() ends the run


def show_saved(place: str) -> None:
    """The message of the last save made at ``place``, once, beside it and as a toast."""
    message = st.session_state.pop(_SAVED + place, None)
    if message:
        st.success(message)
        st.toast(message)
