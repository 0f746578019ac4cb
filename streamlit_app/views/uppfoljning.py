"""Uppföljning: per tertial the control results, statuses, actions and residual risks."""

from __future__ import annotations

import streamlit as st

from riskmotor.domain.egenkontroll import periods_of_year
from riskmotor.domain.plan import NOT_REPORTED, ActionStatus, FollowupStatus
from riskmotor.domain.terms import EXPORT_LABELS, label
from riskmotor.errors import RiskmotorError
from riskmotor.reports.matrix import MatrixPoint, build_matrix
from riskmotor.services import plan
from streamlit_app.matrix_view import matrix_html
from streamlit_app.ui import (
    STATUS_ICONS,
    analysis_caption,
    app,
    attempt_and_refresh,
    catalog,
    require_analysis,
    uow,
)

st.title("Uppföljning")
analysis = require_analysis()
assert analysis.id is not None
analysis_caption(analysis)
cat = catalog()
scale = cat.scale(analysis.scale_key)
try:
    current = plan.current_plan(uow(), analysis.namnd_id, analysis.year)
except RiskmotorError as exc:
    st.info(str(exc))
    st.stop()
assert current.id is not None
period = st.selectbox(EXPORT_LABELS["period"], periods_of_year(analysis.year))
summary = plan.followup_summary(uow(), cat, current.id, period)

cols = st.columns(5)
for column, (name, count) in zip(cols, summary.status_counts.labelled(), strict=False):
    column.metric(name.capitalize(), count)
cols[4].metric("Försenade åtgärder", len(summary.overdue_actions))

st.subheader(EXPORT_LABELS["control_activity"])
st.dataframe(
    [
        {
            label("title"): c.risk,
            EXPORT_LABELS["control_activity"]: c.control,
            label("status"): f"{STATUS_ICONS[c.status]} {c.status or NOT_REPORTED}",
            EXPORT_LABELS["result"]: c.result,
            label("comment"): c.comment,
            EXPORT_LABELS["data_source"]: c.source,
        }
        for c in summary.controls
    ],
    hide_index=True,
    width="stretch",
)
controls = {c.control_id: c for c in summary.controls}
if controls:
    with st.form("resultat"):
        control_id = st.selectbox(
            EXPORT_LABELS["control_activity"],
            list(controls),
            format_func=lambda k: f"{controls[k].risk}: {controls[k].control}",
        )
        status = st.radio(
            label("status"),
            ["från egenkontroll", *[s.value for s in FollowupStatus]],
            horizontal=True,
            help="Från egenkontroll: resultatet hämtas från stickprovets utvärdering för perioden.",
        )
        result = st.text_input(EXPORT_LABELS["result"])
        comment = st.text_input(label("comment"))
        if st.form_submit_button("Spara resultat", type="primary"):
            attempt_and_refresh(
                lambda: plan.record_control_followup(
                    uow(),
                    cat,
                    control_id,
                    period,
                    status=None if status == "från egenkontroll" else FollowupStatus(status),
                    result=result,
                    comment=comment,
                ),
                "Resultatet är sparat.",
            )

st.subheader("Åtgärder")
st.dataframe(
    [
        {
            label("title"): a.risk,
            EXPORT_LABELS["action"]: a.what,
            EXPORT_LABELS["responsible"]: a.owner,
            EXPORT_LABELS["due_date"]: a.due_date,
            label("status"): a.status.value,
            EXPORT_LABELS["overdue"]: "⚠ försenad" if a.overdue else "",
        }
        for a in summary.actions
    ],
    hide_index=True,
    width="stretch",
)
actions = {a.action_id: a for a in summary.actions}
if actions:
    with st.form("atgardsstatus"):
        action_id = st.selectbox(
            EXPORT_LABELS["action"], list(actions), format_func=lambda k: actions[k].what
        )
        new_status = st.selectbox("Ny status", [s.value for s in ActionStatus])
        if st.form_submit_button("Spara status"):
            attempt_and_refresh(
                lambda: plan.set_action_status(
                    uow(), action_id, ActionStatus(new_status), actions[action_id].version
                ),
                "Statusen är sparad.",
            )

st.subheader("Kvarvarande risk")
risks = {r.plan_risk_id: r for r in summary.risks}
if risks:
    with st.form("omvardering"):
        plan_risk_id = st.selectbox(
            label("title"), list(risks), format_func=lambda k: risks[k].title
        )
        score_cols = st.columns(2)
        s_value = score_cols[0].selectbox(label("likelihood"), range(1, scale.max_likelihood + 1))
        k_value = score_cols[1].selectbox(label("consequence"), range(1, scale.max_consequence + 1))
        comment = st.text_input("Kommentar till omvärderingen")
        if st.form_submit_button("Spara omvärdering"):
            attempt_and_refresh(
                lambda: plan.record_risk_followup(
                    uow(), cat, plan_risk_id, period, int(s_value), int(k_value), comment
                ),
                "Omvärderingen är sparad.",
            )
    matrix = build_matrix(
        cat.scale(analysis.scale_key),
        [
            MatrixPoint(
                risk_id=r.risk_id,
                likelihood=r.residual_likelihood,
                consequence=r.residual_consequence,
            )
            for r in summary.risks
        ],
        "residual",
    )
    st.markdown(matrix_html(matrix), unsafe_allow_html=True)
    st.caption(
        f"Kvarvarande risk efter omvärdering till och med {period} "
        f"(risker utan omvärdering visas inte). Dagens datum: {app().clock.today()}."
    )
