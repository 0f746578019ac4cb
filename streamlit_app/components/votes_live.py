"""The facilitator's side of the Bedömning page: votes arriving live, and fastställ.

The overview (figures, who has voted, the aggregated scores) is a fragment that redraws
itself every few seconds, so that votes cast on the participants' own devices appear
without anyone reloading and without rerunning the rest of the page (the open fastställ
form keeps what the facilitator is choosing).
"""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from riskmotor.catalogs import Catalog, Scale
from riskmotor.domain.models import Participant, Vote
from riskmotor.domain.scoring import DISAGREEMENT_SPAN, Aggregation
from riskmotor.domain.terms import label
from riskmotor.reports.risks import RiskView
from riskmotor.services import workshop
from streamlit_app.ui import (
    attempt_and_refresh,
    cached,
    conflict_reload,
    error_boundary,
    remember_version,
    save_versioned,
    select,
    uow,
)

LIVE_REFRESH = timedelta(seconds=3)
DISCUSS = "diskutera"


def voted_counts(people: list[Participant], votes: list[Vote], risks: int) -> list[dict[str, str]]:
    """Who has voted, as rows: each participant's number of scored risks of ``risks``."""
    counts: dict[int | None, int] = {}
    for vote in votes:
        counts[vote.participant_id] = counts.get(vote.participant_id, 0) + 1
    return [
        {
            label("participant"): p.name,
            "Bedömda risker": f"{counts.get(p.id, 0)} av {risks}",
            "Klar": "ja" if counts.get(p.id, 0) >= risks > 0 else "nej",
        }
        for p in people
    ]


def _score(value: int | None) -> str:
    return "–" if value is None else str(value)


def risk_rows(risks: list[RiskView]) -> list[dict[str, str | int]]:
    return [
        {
            label("title"): r.title,
            label("votes"): r.votes,
            "S (sammanvägd)": _score(r.vote_likelihood),
            "K (sammanvägd)": _score(r.vote_consequence),
            label("disagreement"): DISCUSS if r.disagreement else "",
            label("assessment_confirmed"): (
                f"S{r.likelihood} × K{r.consequence} = {r.risk_value}" if r.confirmed else ""
            ),
        }
        for r in risks
    ]


@st.fragment(run_every=LIVE_REFRESH)
def live_overview(cat: Catalog, analysis_id: int, method: Aggregation) -> None:
    """Figures, who has voted and every risk's aggregate, redrawn as votes arrive."""
    with error_boundary():
        risks: list[RiskView] = cached(workshop.list_risks, cat, analysis_id, method)
        votes: list[Vote] = cached(workshop.votes_for_analysis, analysis_id)
        people: list[Participant] = cached(workshop.participants, analysis_id)
        cols = st.columns(4)
        cols[0].metric("Risker", len(risks))
        cols[1].metric(label("votes"), len(votes))
        cols[2].metric("Med oenighet", sum(r.disagreement for r in risks))
        cols[3].metric("Fastställda", sum(r.confirmed for r in risks))
        st.markdown("**Vem har röstat** (uppdateras medan rösterna kommer in)")
        st.dataframe(voted_counts(people, votes, len(risks)), hide_index=True, width="stretch")
        st.caption(
            f"En risk flaggas för diskussion när rösterna skiljer sig {DISAGREEMENT_SPAN} steg "
            "eller mer på sannolikhet eller konsekvens."
        )
        st.dataframe(risk_rows(risks), hide_index=True, width="stretch")


def confirm_section(cat: Catalog, scale: Scale, analysis_id: int, method: Aggregation) -> None:
    """Fastställ all undisputed scores at once, or one risk after discussing it."""
    if st.button("Fastställ alla bedömningar utan oenighet"):
        attempt_and_refresh(
            lambda: workshop.confirm_undisputed(uow(), cat, analysis_id, method),
            "Alla bedömningar utan oenighet är fastställda.",
        )
    risks: list[RiskView] = cached(workshop.list_risks, cat, analysis_id, method)
    if not risks:
        return
    views = {r.id: r for r in risks}
    # Risks that need the group first: disputed, then not yet fastställda.
    order = sorted(views, key=lambda k: (not views[k].disagreement, views[k].confirmed))
    risk_id = select(
        "Diskutera och fastställ en risk",
        order,
        key="faststall_risk",
        index=0,
        format_func=lambda k: (
            f"{views[k].title} – {DISCUSS}" if views[k].disagreement else views[k].title
        ),
    )
    if risk_id is None:
        return
    risk = views[risk_id]
    _votes_of(cat, analysis_id, risk_id)
    key = f"risk_{risk_id}"
    shown_version = remember_version(key, risk.version)
    conflict_reload(key)
    with st.form(f"faststall_{risk_id}", enter_to_submit=False):
        default_s = risk.likelihood or risk.vote_likelihood or 1
        default_k = risk.consequence or risk.vote_consequence or 1
        agreed_s = select(
            label("likelihood"),
            list(range(1, scale.max_likelihood + 1)),
            index=default_s - 1,
            key=f"faststall_s_{risk_id}_{default_s}",  # new votes: new default
        )
        agreed_k = select(
            label("consequence"),
            list(range(1, scale.max_consequence + 1)),
            index=default_k - 1,
            key=f"faststall_k_{risk_id}_{default_k}",
        )
        submitted = st.form_submit_button("Fastställ bedömning", type="primary")
    if not submitted:
        return
    if agreed_s is None or agreed_k is None:
        st.error("Välj både sannolikhet och konsekvens.")
        return
    s_value: int = agreed_s
    k_value: int = agreed_k
    done = save_versioned(
        key,
        lambda: workshop.confirm_assessment(uow(), cat, risk_id, s_value, k_value, shown_version),
        f"Bedömningen av ”{risk.title}” är fastställd.",
    )
    if done is not None:
        st.session_state["flash"] = f"Bedömningen av ”{risk.title}” är fastställd."
        st.rerun()  # every figure and the live overview show the new assessment


def _votes_of(cat: Catalog, analysis_id: int, risk_id: int) -> None:
    names = {p.id: p.name for p in cached(workshop.participants, analysis_id)}
    st.dataframe(
        [
            {
                label("participant"): names.get(v.participant_id, "okänd deltagare"),
                "S": v.likelihood,
                "K": v.consequence,
                label("comment"): v.comment,
            }
            for v in cached(workshop.votes_for_analysis, analysis_id)
            if v.risk_id == risk_id
        ],
        hide_index=True,
        width="stretch",
    )
