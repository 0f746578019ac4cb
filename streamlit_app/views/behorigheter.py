"""Behörigheter: an administrator gives and takes away roles per nämnd.

The page only collects and checks the input; the services decide (server side) whether the
logged-in person may change the nämnd's roles, so hiding the form is a courtesy, not the
protection.
"""

from __future__ import annotations

import streamlit as st

from riskmotor.domain.access import (
    ROLE_DESCRIPTIONS,
    Identity,
    IdentityKind,
    Role,
    checked_email,
)
from riskmotor.domain.models import OrgUnit
from riskmotor.domain.terms import RECORD_FIELD_LABELS, label, local_time
from riskmotor.reports.access import Grant
from riskmotor.services import access, organisation
from streamlit_app.ui import (
    attempt_and_refresh,
    cached,
    confirm_button,
    current_identity,
    field_errors,
    missing,
    select,
    uow,
)

GRANT_FORM = "ny_behorighet"


def role_text(role: Role) -> str:
    return f"{role.value} – {ROLE_DESCRIPTIONS[role]}"


def draw_roles_explained() -> None:
    with st.expander("Vad rollerna får göra"):
        for role in Role:
            st.markdown(f"- **{role.value}**: {ROLE_DESCRIPTIONS[role]}")
        st.caption("Varje roll får också göra allt som rollerna ovanför den får göra.")


def administered_namnder(identity: Identity) -> list[OrgUnit]:
    """The nämnder where this person is administrator (none in local mode)."""
    if identity.kind is not IdentityKind.LOGIN:
        return []
    roles = cached(access.my_roles)
    return [
        unit
        for unit in cached(organisation.list_namnder)
        if unit.id is not None and roles.get(unit.id) is Role.ADMINISTRATOR
    ]


def draw_grants(grants: list[Grant]) -> None:
    if not grants:
        st.info("Ingen har fått någon roll i dina nämnder än.")
        return
    st.dataframe(
        [
            {
                label("namnd"): grant.namnd,
                label("email"): grant.email,
                label("role"): grant.role.value,
                RECORD_FIELD_LABELS["granted_by"]: grant.granted_by,
                RECORD_FIELD_LABELS["granted_at"]: local_time(grant.granted_at),
            }
            for grant in grants
        ],
        hide_index=True,
        width="stretch",
    )


def draw_grant_form(namnder: list[OrgUnit]) -> None:
    st.subheader("Ge en roll")
    with st.form(GRANT_FORM, clear_on_submit=False):
        namnd = select(label("namnd"), namnder, key="grant_namnd", format_func=lambda u: u.name)
        email = st.text_input(
            label("email"),
            key="grant_email",
            placeholder="fornamn.efternamn@kommun.se",
            help="Adressen personen loggar in med hos kommunens identitetsleverantör.",
        )
        role = select(label("role"), list(Role), key="grant_role", format_func=role_text)
        submitted = st.form_submit_button("Ge rollen", type="primary")
    if not submitted:
        return
    errors = missing({label("namnd"): namnd, label("email"): email, label("role"): role})
    if email.strip() and label("email") not in errors:
        try:
            checked_email(email)
        except ValueError as exc:
            errors[label("email")] = f"{exc}."
    if errors or namnd is None or namnd.id is None or role is None:
        field_errors(errors)
        return
    namnd_id = namnd.id
    attempt_and_refresh(
        lambda: access.grant(uow(), email=email, role=role, namnd_id=namnd_id),
        f"{email.strip()} har nu rollen {role.value} i {namnd.name}.",
    )


def draw_revoke(grants: list[Grant], identity: Identity) -> None:
    if not grants:
        return
    st.subheader("Ta bort en roll")
    chosen = select(
        "Behörighet att ta bort",
        grants,
        key="revoke_grant",
        format_func=lambda g: f"{g.email} – {g.role.value} i {g.namnd}",
    )
    if chosen is None:
        return
    own = chosen.email == identity.email
    question = f"Ta bort rollen {chosen.role.value} för {chosen.email} i {chosen.namnd}?"
    if own:
        question += " Det är din egen roll: du kan inte ge tillbaka den själv efteråt."
    if confirm_button("Ta bort rollen", key="revoke_confirm", question=question):
        attempt_and_refresh(
            lambda: access.revoke(uow(), email=chosen.email, namnd_id=chosen.namnd_id),
            f"{chosen.email} har inte längre rollen {chosen.role.value} i {chosen.namnd}.",
        )


def render() -> None:
    st.title("Behörigheter")
    identity = current_identity()
    draw_roles_explained()
    if identity.kind is not IdentityKind.LOGIN:
        st.info(
            "Roller används när riskmotor körs med inloggning för flera personer (se "
            "docs/deployment.md). Den första administratören för en nämnd utses på servern "
            "med kommandot riskmotor users grant."
        )
        return
    namnder = administered_namnder(identity)
    if not namnder:
        mine = cached(access.my_roles)
        units = {unit.id: unit.name for unit in cached(organisation.list_namnder)}
        held = ", ".join(f"{role.value} i {units.get(n, n)}" for n, role in mine.items())
        st.info(
            "Bara en administratör i en nämnd kan dela ut roller där. "
            f"Dina roller: {held or 'inga'}."
        )
        return
    ids = {unit.id for unit in namnder}
    grants = [grant for grant in cached(access.list_grants) if grant.namnd_id in ids]
    draw_grants(grants)
    draw_grant_form(namnder)
    draw_revoke(grants, identity)


render()
