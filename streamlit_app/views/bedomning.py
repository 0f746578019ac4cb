"""Bedömning: each participant scores; the facilitator sees aggregates, flags and confirms."""

from __future__ import annotations

import streamlit as st

from riskmotor.domain.scoring import DISAGREEMENT_SPAN, Aggregation
from riskmotor.domain.terms import AGGREGATION_LABELS, label
from riskmotor.services import workshop
from streamlit_app.ui import (
    analysis_caption,
    attempt,
    catalog,
    conflict_reload,
    remember_version,
    require_analysis,
    save_versioned,
    uow,
)

st.title("Bedömning")
analysis = require_analysis()
assert analysis.id is not None
analysis_id: int = analysis.id  # narrowed once, so lambdas below see an int
analysis_caption(analysis)
cat = catalog()
scale = cat.scale(analysis.scale_key)
people = workshop.participants(uow(), analysis.id)
if not people:
    st.info("Lägg till deltagare på sidan Start innan ni bedömer riskerna.")
    st.stop()

with st.expander("Skalan"):
    st.dataframe(
        [
            {label("likelihood"): f"{lvl.value} {lvl.name}", label("description"): lvl.description}
            for lvl in scale.likelihood
        ],
        hide_index=True,
        width="stretch",
    )
    st.dataframe(
        [
            {label("consequence"): f"{lvl.value} {lvl.name}", label("description"): lvl.description}
            for lvl in scale.consequence
        ],
        hide_index=True,
        width="stretch",
    )


def save_vote(
    key: str,
    risk_id: int,
    person_id: int,
    likelihood: int | None,
    consequence: int | None,
    comment: str,
    by_area: dict[str, int | None],
    title: str,
) -> None:
    """Save one participant's vote once the form says enough: a likelihood, and a
    consequence or at least one area's (the worst area then sets the consequence)."""
    areas = {area: value for area, value in by_area.items() if value is not None}
    if likelihood is None or (consequence is None and not areas):
        st.error("Välj både sannolikhet och konsekvens.")
        return
    save_versioned(
        key,
        lambda: workshop.cast_vote(
            uow(),
            cat,
            risk_id,
            person_id,
            likelihood,
            consequence or 1,
            comment,
            expected_version=st.session_state.get(f"shown_version_{key}"),
            consequence_by_area=areas,
        ),
        f"Din bedömning av ”{title}” är sparad.",
    )


def confirm(
    key: str, risk_id: int, likelihood: int, consequence: int, shown: int, title: str
) -> None:
    """Fastställ the facilitator's chosen score, checked against the version first shown."""
    save_versioned(
        key,
        lambda: workshop.confirm_assessment(uow(), cat, risk_id, likelihood, consequence, shown),
        f"Bedömningen av ”{title}” är fastställd.",
    )


participant_tab, facilitator_tab = st.tabs(["Deltagarens bedömning", "Processledarens vy"])

with participant_tab:
    by_person = {p.id: p for p in people if p.id is not None}
    person_id = st.selectbox("Jag är", list(by_person), format_func=lambda k: by_person[k].name)
    risks = workshop.list_risks(uow(), cat, analysis.id)
    if not risks:
        st.info("Det finns inga risker att bedöma ännu.")
    mine = {
        v.risk_id: v
        for v in workshop.votes_for_analysis(uow(), analysis.id)
        if v.participant_id == person_id
    }
    st.caption(f"Du har bedömt {len(mine)} av {len(risks)} risker.")
    titles = {r.id: r.title for r in risks}
    unvoted_first = sorted(titles, key=lambda k: (k in mine, k))
    risk_id = st.selectbox(
        "Risk att bedöma",
        unvoted_first,
        format_func=lambda k: f"{'✓ ' if k in mine else ''}{k}: {titles[k]}",
    )
    if risk_id is not None:
        key = f"vote_{risk_id}_{person_id}"
        own = mine.get(risk_id)
        if own:
            remember_version(key, own.version)
        conflict_reload(key)
        with st.form(f"rost_{risk_id}_{person_id}"):
            s_value = st.radio(
                label("likelihood"),
                [lvl.value for lvl in scale.likelihood],
                index=(own.likelihood - 1) if own else None,
                format_func=lambda v: f"{v} {scale.likelihood[v - 1].name}",
                horizontal=True,
            )
            k_value = st.radio(
                label("consequence"),
                [lvl.value for lvl in scale.consequence],
                index=(own.consequence - 1) if own else None,
                format_func=lambda v: f"{v} {scale.consequence[v - 1].name}",
                horizontal=True,
            )
            with st.expander("Bedöm konsekvensen per konsekvensområde (valfritt)"):
                st.caption("Anger du områden blir konsekvensen det allvarligaste områdets nivå.")
                earlier = own.consequence_by_area if own else {}
                by_area = {
                    area.key: st.selectbox(
                        area.name,
                        [None, *range(1, scale.max_consequence + 1)],
                        index=earlier.get(area.key, 0),
                        format_func=lambda v: "–" if v is None else str(v),
                        key=f"omrade_{risk_id}_{person_id}_{area.key}",
                    )
                    for area in scale.consequence_areas
                }
            comment = st.text_input(label("comment"), value=own.comment if own else "")
            if st.form_submit_button("Spara min bedömning", type="primary"):
                save_vote(
                    key, risk_id, person_id, s_value, k_value, comment, by_area, titles[risk_id]
                )
    if mine:
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

with facilitator_tab:
    method = Aggregation(
        st.radio(
            "Sammanvägning",
            [m.value for m in Aggregation],
            format_func=AGGREGATION_LABELS.__getitem__,
            horizontal=True,
        )
    )
    risks = workshop.list_risks(uow(), cat, analysis.id, method)
    votes = workshop.votes_for_analysis(uow(), analysis.id)
    flagged = [r for r in risks if r.disagreement]
    cols = st.columns(3)
    cols[0].metric("Risker", len(risks))
    cols[1].metric("Med oenighet", len(flagged))
    cols[2].metric("Fastställda", sum(r.confirmed for r in risks))
    st.caption(
        f"En risk flaggas för diskussion när rösterna skiljer sig {DISAGREEMENT_SPAN} steg "
        "eller mer på sannolikhet eller konsekvens."
    )
    st.dataframe(
        [
            {
                "Id": r.id,
                label("title"): r.title,
                label("votes"): r.votes,
                "S (sammanvägd)": r.vote_likelihood,
                "K (sammanvägd)": r.vote_consequence,
                label("disagreement"): "⚠ diskutera" if r.disagreement else "",
                label("assessment_confirmed"): (
                    f"S{r.likelihood} × K{r.consequence} = {r.risk_value}" if r.confirmed else ""
                ),
            }
            for r in risks
        ],
        hide_index=True,
        width="stretch",
    )
    if st.button("Fastställ alla bedömningar utan oenighet"):
        count = attempt(lambda: workshop.confirm_undisputed(uow(), cat, analysis_id, method))
        if count is not None:
            st.success(f"{count} bedömningar fastställda.")

    views = {r.id: r for r in risks}
    risk_id = st.selectbox(
        "Diskutera och fastställ en risk",
        list(views),
        format_func=lambda k: f"{'⚠ ' if views[k].disagreement else ''}{k}: {views[k].title}",
    )
    risk = views[risk_id]
    names = {p.id: p.name for p in people}
    st.dataframe(
        [
            {
                label("participant"): names.get(v.participant_id, "?"),
                "S": v.likelihood,
                "K": v.consequence,
                label("comment"): v.comment,
            }
            for v in votes
            if v.risk_id == risk_id
        ],
        hide_index=True,
        width="stretch",
    )
    key = f"risk_{risk_id}"
    shown_version = remember_version(key, risk.version)
    conflict_reload(key)
    with st.form(f"faststall_{risk_id}"):
        default_s = risk.likelihood or risk.vote_likelihood or 1
        default_k = risk.consequence or risk.vote_consequence or 1
        agreed_s = st.selectbox(
            label("likelihood"), list(range(1, scale.max_likelihood + 1)), index=default_s - 1
        )
        agreed_k = st.selectbox(
            label("consequence"), list(range(1, scale.max_consequence + 1)), index=default_k - 1
        )
        if st.form_submit_button("Fastställ bedömning", type="primary"):
            confirm(key, risk_id, agreed_s, agreed_k, shown_version, risk.title)
