"""One participant's own scoring on the Bedömning page: progress, the vote form, their votes.

After every saved vote the page is drawn again, so that the count ("Du har bedömt 3 av
48"), the list of the participant's votes and the marks in the risk list show the vote
just saved, and the form moves on to the next risk not yet scored.
"""

from __future__ import annotations

from collections.abc import Sequence, Set

import streamlit as st

from riskmotor.catalogs import Catalog, Scale
from riskmotor.domain.models import Participant, Vote
from riskmotor.domain.terms import label
from riskmotor.reports.risks import RiskView
from riskmotor.services import workshop
from streamlit_app.ui import (
    cached,
    conflict_reload,
    field_errors,
    remember_version,
    save_versioned,
    select,
    uow,
)

FLASH = "bedomning_flash"


def risk_key(person_id: int) -> str:
    """The session key of the risk a participant is scoring (set after a save)."""
    return f"bedom_risk_{person_id}"


def next_unscored(order: Sequence[int], scored: Set[int], after: int) -> int:
    """The next risk after ``after`` (wrapping round) that the participant has not scored,
    or ``after`` itself when every risk is scored."""
    if after not in order:
        return after
    start = order.index(after)
    for risk_id in [*order[start + 1 :], *order[:start]]:
        if risk_id not in scored:
            return risk_id
    return after


def vote_errors(
    likelihood: int | None, consequence: int | None, areas: dict[str, int]
) -> dict[str, str]:
    """What is missing before a vote can be saved, by field label."""
    errors: dict[str, str] = {}
    if likelihood is None:
        errors[label("likelihood")] = "välj en nivå."
    if consequence is None and not areas:
        errors[label("consequence")] = "välj en nivå eller bedöm konsekvensområdena."
    return errors


def own_votes(cat: Catalog, scale: Scale, analysis_id: int, person: Participant) -> None:
    """The participant's progress, the form for one risk and the votes they have cast."""
    assert person.id is not None
    person_id: int = person.id
    risks: list[RiskView] = cached(workshop.list_risks, cat, analysis_id)
    if not risks:
        st.info("Det finns inga risker att bedöma ännu.")
        return
    mine = {
        v.risk_id: v
        for v in cached(workshop.votes_for_analysis, analysis_id)
        if v.participant_id == person_id
    }
    st.progress(len(mine) / len(risks), text=f"Du har bedömt {len(mine)} av {len(risks)} risker.")
    message = st.session_state.pop(FLASH, None)
    if message:
        st.success(message)
    titles = {r.id: r.title for r in risks}
    order = list(titles)
    key = risk_key(person_id)
    if f"{key}_next" in st.session_state:  # chosen by the last save, before the list exists
        st.session_state[key] = st.session_state.pop(f"{key}_next")
    if st.session_state.get(key) not in titles:
        st.session_state.pop(key, None)
    first_open = next((k for k in order if k not in mine), order[0])
    risk_id = select(
        "Risk att bedöma",
        order,
        key=key,
        index=None if key in st.session_state else order.index(first_open),
        format_func=lambda k: f"{titles[k]} (bedömd)" if k in mine else titles[k],
    )
    if risk_id is not None and _vote_form(
        cat, scale, risk_id, person_id, mine.get(risk_id), titles[risk_id]
    ):
        scored = set(mine) | {risk_id}
        st.session_state[f"{key}_next"] = next_unscored(order, scored, risk_id)
        st.session_state[FLASH] = f"Din bedömning av ”{titles[risk_id]}” är sparad."
        st.rerun()  # the count, the marks and the list now include this vote
    if mine:
        st.subheader("Mina bedömningar")
        st.dataframe(
            [
                {
                    label("title"): titles.get(v.risk_id, ""),
                    "S": v.likelihood,
                    "K": v.consequence,
                    label("comment"): v.comment,
                }
                for v in mine.values()
            ],
            hide_index=True,
            width="stretch",
        )


def _vote_form(
    cat: Catalog, scale: Scale, risk_id: int, person_id: int, own: Vote | None, title: str
) -> bool:
    """The form for one risk; True once a vote was saved."""
    key = f"vote_{risk_id}_{person_id}"
    if own is not None:
        remember_version(key, own.version)
    conflict_reload(key)
    with st.form(f"rost_{risk_id}_{person_id}", enter_to_submit=False):
        st.markdown(f"**{title}**")
        s_value = st.radio(
            label("likelihood"),
            [lvl.value for lvl in scale.likelihood],
            index=(own.likelihood - 1) if own else None,
            format_func=lambda v: f"{v} {scale.likelihood[v - 1].name}",
            horizontal=True,
            key=f"s_{key}",
        )
        k_value = st.radio(
            label("consequence"),
            [lvl.value for lvl in scale.consequence],
            index=(own.consequence - 1) if own else None,
            format_func=lambda v: f"{v} {scale.consequence[v - 1].name}",
            horizontal=True,
            key=f"k_{key}",
        )
        with st.expander("Bedöm konsekvensen per konsekvensområde (valfritt)"):
            st.caption("Anger du områden blir konsekvensen det allvarligaste områdets nivå.")
            earlier = own.consequence_by_area if own else {}
            levels = list(range(1, scale.max_consequence + 1))
            by_area = {
                area.key: select(
                    area.name,
                    levels,
                    index=earlier[area.key] - 1 if area.key in earlier else None,
                    key=f"omrade_{key}_{area.key}",
                )
                for area in scale.consequence_areas
            }
        comment = st.text_input(label("comment"), value=own.comment if own else "", key=f"c_{key}")
        if not st.form_submit_button("Spara min bedömning", type="primary"):
            return False
    areas = {area: value for area, value in by_area.items() if value is not None}
    errors = vote_errors(s_value, k_value, areas)
    if errors:
        field_errors(errors)
        return False
    assert s_value is not None
    likelihood: int = s_value
    saved = save_versioned(
        key,
        lambda: workshop.cast_vote(
            uow(),
            cat,
            risk_id,
            person_id,
            likelihood,
            k_value or 1,  # with areas the worst area sets the consequence
            comment,
            expected_version=st.session_state.get(f"shown_version_{key}"),
            consequence_by_area=areas,
        ),
        f"Din bedömning av ”{title}” är sparad.",
    )
    return saved is not None
