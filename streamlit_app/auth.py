"""Login through the municipality's identity provider (OpenID Connect), or local mode.

Shared mode is switched on by an ``[auth]`` section in Streamlit's secrets
(``.streamlit/secrets.toml``, see ``.streamlit/secrets.toml.example`` and
docs/deployment.md). Streamlit's ``st.login`` does the OpenID Connect flow with Authlib
and keeps the person in a signed cookie; this module turns ``st.user`` into an
:class:`Identity` whose audit name nobody can type. Without ``[auth]`` the app runs in
local mode, for one person on one machine, as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from riskmotor.domain.access import Identity, IdentityKind
from riskmotor.domain.terms import LOCAL_MODE

# Claims that carry the e-mail address: the standard one first; Microsoft Entra ID often
# sends only the sign-in name (the UPN, an address) as preferred_username.
_EMAIL_CLAIMS = ("email", "preferred_username", "upn")


def _auth_section() -> Mapping[str, Any]:
    """The secrets' [auth] section, empty when there are no secrets at all."""
    # load_if_toml_exists() is False (it never raises) when no secrets file exists, where
    # reading st.secrets would raise instead.
    if not st.secrets.load_if_toml_exists():
        return {}
    section = st.secrets.get("auth")
    return section if isinstance(section, Mapping) else {}


def auth_configured() -> bool:
    """Whether login is switched on: the secrets hold an ``[auth]`` section."""
    return bool(_auth_section())


def login_provider() -> str | None:
    """The provider ``st.login`` should use: None for settings written directly under
    ``[auth]``, else the name of the first ``[auth.<namn>]`` section."""
    section = _auth_section()
    if "client_id" in section:
        return None
    for name, value in section.items():
        if isinstance(value, Mapping) and "client_id" in value:
            return str(name)
    return None


def login_identity() -> Identity | None:
    """The logged-in person, or None when nobody is logged in (or the provider sent no
    subject or e-mail address, without which no role can be looked up)."""
    if not logged_in():
        return None
    subject = _claim("sub")
    email = next((value for claim in _EMAIL_CLAIMS if "@" in (value := _claim(claim))), "")
    if not subject or not email:
        return None
    return Identity.login(subject=subject, name=_claim("name"), email=email)


def needs_login() -> bool:
    """Whether this session must log in before it may see anything."""
    return auth_configured() and login_identity() is None


def draw_login_gate() -> None:
    """In shared mode, stop the run with a Swedish login page until someone is logged in."""
    if not needs_login():
        return
    st.title("Logga in")
    if logged_in():
        # Logged in, but the identity provider left out what roles are granted to.
        st.error(
            "Inloggningen gav ingen e-postadress, så riskmotor kan inte avgöra din behörighet. "
            "Be kommunens administratör lägga till anspråket email för riskmotor."
        )
        if st.button("Logga ut", key="auth_logout_incomplete"):
            st.logout()
        st.stop()
    st.write(
        "riskmotor används här av flera personer och kräver inloggning med ditt konto i "
        "kommunen. Vad du får se och ändra beror på den roll en administratör har gett dig "
        "i din nämnd."
    )
    if st.button("Logga in", key="auth_login", type="primary"):
        st.login(login_provider())
    st.stop()


def draw_account(identity: Identity) -> None:
    """Who is working, for the sidebar: the logged-in person with "Logga ut", or the
    local-mode notice."""
    if identity.kind is IdentityKind.LOGIN:
        st.caption(f"Inloggad som **{identity.name}**")
        if identity.email:
            st.caption(identity.email)
        if st.button("Logga ut", key="auth_logout"):
            st.logout()
        return
    st.caption(f"Arbetar som: **{identity.name}**")
    st.caption(LOCAL_MODE)


def logged_in() -> bool:
    """Whether the browser holds a login cookie (``st.user`` has no is_logged_in at all
    when [auth] is missing)."""
    return st.user.get("is_logged_in") is True


def _claim(name: str) -> str:
    value = st.user.get(name)
    return value.strip() if isinstance(value, str) else ""
