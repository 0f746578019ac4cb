"""Helpers shared by the pages: the current selection, a unit of work and error display.

Pages call riskmotor.services only; this module holds no business rules.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec, TypeVar

import streamlit as st

# The unit of work's type comes from the composition root that hands it out, so that the
# UI never imports the persistence layer (checked by lint-imports).
from riskmotor.bootstrap import App, UnitOfWork, build_app
from riskmotor.catalogs import Catalog
from riskmotor.domain.access import Identity
from riskmotor.domain.models import RiskAnalysis
from riskmotor.domain.terms import STATUS_LABELS, label, percent  # noqa: F401 - pages import percent from here
from riskmotor.errors import ConflictError, RiskmotorError
from riskmotor.services import workshop
from streamlit_app import auth, read_cache
from streamlit_app.boundary import error_boundary  # noqa: F401 - the pages' error boundary
from streamlit_app.local_identity import remembered_name
from streamlit_app.run_marker import fragment  # noqa: F401 - fragments with a run marker
from streamlit_app.widgets import (  # noqa: F401 - the pages' Swedish widgets
    confirm_button,
    date_input,
    decimal_input,
    field_errors,
    missing,
    select,
    status_badge,
    status_text,
)

T = TypeVar("T")
P = ParamSpec("P")

# The session's chosen name in local mode. Not a widget key: Streamlit drops a widget's
# state when a page without that widget is drawn, which made the name vanish off Start.
IDENTITY_NAME = "identity_name"


@st.cache_resource(show_spinner=False)
def app() -> App:
    """The composition root, built once per server process and shared by every session."""
    return build_app()


def current_identity() -> Identity:
    """Who this session acts for: with login, the identity provider's; in local mode the
    name chosen once (kept in the session and in the user's settings file), else the
    server's default."""
    if auth.auth_configured():
        identity = auth.login_identity()
        if identity is None:  # the login gate (app.py) has already asked to log in
            st.stop()
        return identity
    name = st.session_state.get(IDENTITY_NAME) or remembered_name()
    if name:
        st.session_state[IDENTITY_NAME] = name
    return Identity.local(str(name or app().actor))


def uow() -> UnitOfWork:
    return app().uow(actor=current_identity())


def cached(fn: Callable[Concatenate[UnitOfWork, P], T], *args: P.args, **kwargs: P.kwargs) -> T:
    """A read use case's result, recomputed only after the database changed."""
    return read_cache.cached_read(uow, current_identity().audit_name, fn, *args, **kwargs)


def catalog() -> Catalog:
    return app().catalog


def _run(action: Callable[[], T]) -> tuple[bool, T | None]:
    """Run a service call; show Swedish errors (and a conflict's other values), not a trace."""
    try:
        return True, action()
    except ConflictError as exc:
        st.error(str(exc))
        show_conflict(exc)
    except RiskmotorError as exc:
        st.error(str(exc))
    return False, None


def attempt(action: Callable[[], T], success: str | None = None) -> T | None:
    """The call's result, or None after showing why it failed."""
    ok, result = _run(action)
    if ok and success:
        st.success(success)
    return result


def attempt_and_refresh(action: Callable[[], object], success: str) -> None:
    """Run a service call and, when it succeeded, rerun so that every figure on the page
    shows the new state; the success message survives the rerun."""
    ok, _ = _run(action)
    if ok:
        st.session_state["flash"] = success
        st.rerun()


def show_flash() -> None:
    message = st.session_state.pop("flash", None)
    if message:
        st.success(message)


def show_conflict(exc: ConflictError) -> None:
    hidden = {"id", "version", "analysis_id", "risk_id", "participant_id"}
    rows = [
        {"Fält": label(field), "Sparat värde": "" if value is None else str(value)}
        for field, value in exc.current.items()
        if field not in hidden
    ]
    st.caption("Värden som redan är sparade av någon annan:")
    st.dataframe(rows, hide_index=True, width="stretch")


def remember_version(key: str, version: int) -> int:
    """The version of a row as first shown to this user; kept until saved or reloaded.

    A save is checked against this version, so that someone else's save in between is
    reported as a conflict instead of silently overwritten.
    """
    return int(st.session_state.setdefault(f"shown_version_{key}", version))


def save_versioned(key: str, action: Callable[[], T], success: str) -> T | None:
    """Save a versioned row; on a conflict keep the old version and offer a reload."""
    try:
        result = action()
    except ConflictError as exc:
        st.session_state[f"conflict_{key}"] = True
        st.error(str(exc))
        show_conflict(exc)
        return None
    except RiskmotorError as exc:
        st.error(str(exc))
        return None
    st.session_state.pop(f"shown_version_{key}", None)
    st.session_state.pop(f"conflict_{key}", None)
    st.success(success)
    return result


def conflict_reload(key: str) -> None:
    """After a conflict: a button that drops the stale version and shows the saved values."""
    if not st.session_state.get(f"conflict_{key}"):
        return
    st.warning("Din senaste ändring krockade med någon annans. Läs in de sparade värdena.")
    if st.button("Läs in de senast sparade värdena", key=f"reload_{key}"):
        for prefix in ("shown_version_", "conflict_"):
            st.session_state.pop(f"{prefix}{key}", None)
        st.rerun()


def current_analysis() -> RiskAnalysis | None:
    """The analysis chosen on the Start page, or the newest one of the first nämnd."""
    analysis = workshop.chosen_or_default_analysis(uow(), st.session_state.get("analysis_id"))
    if analysis is None:
        st.session_state.pop("analysis_id", None)
        return None
    st.session_state["namnd_id"] = analysis.namnd_id
    st.session_state["analysis_id"] = analysis.id
    return analysis


def require_analysis() -> RiskAnalysis:
    analysis = current_analysis()
    if analysis is None:
        st.info("Välj eller skapa en riskanalys på sidan Start först.")
        st.page_link("views/start.py", label="Till Start", icon=":material/home:")
        st.stop()
    assert analysis is not None
    return analysis


def analysis_caption(analysis: RiskAnalysis) -> None:
    scale = catalog().scale(analysis.scale_key)
    status = STATUS_LABELS[analysis.status]
    st.caption(f"{analysis.title} · {scale.name} · {label('status')}: {status}")


def cell_html(text: str, colour: str, text_colour: str) -> str:
    return (
        f'<td style="background:{colour};color:{text_colour};padding:6px;'
        f'border:1px solid #ffffff;vertical-align:top;min-width:120px">{text}</td>'
    )


def escape(value: Any) -> str:
    return html.escape(str(value))
