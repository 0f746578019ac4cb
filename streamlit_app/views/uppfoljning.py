"""Uppföljning: per tertial the control results, statuses, actions and residual risks.

The period's report comes from ``ui.cached`` (recomputed only after a save, by anyone);
every form checks its fields first and shows its message beside itself.
"""

from __future__ import annotations

import streamlit as st

from riskmotor.domain.egenkontroll import periods_of_year
from riskmotor.domain.plan import ActionStatus, FollowupStatus
from riskmotor.domain.terms import EXPORT_LABELS, label, yes_no
from riskmotor.errors import RiskmotorError
from riskmotor.reports.matrix import MatrixPoint, build_matrix
from riskmotor.reports.plan import FollowupReport
from riskmotor.services import plan
from streamlit_app import ui
from streamlit_app.components.plan_feedback import save_and_refresh, show_saved
from streamlit_app.matrix_view import matrix_html

FROM_SAMPLING = "från egenkontroll"

st.title("Uppföljning")
analysis = ui.require_analysis()
assert analysis.id is not None
ui.analysis_caption(analysis)
cat = ui.catalog()
scale = cat.scale(analysis.scale_key)
try:
    current = ui.cached(plan.current_plan, analysis.namnd_id, analysis.year)
except RiskmotorError as exc:
    st.info(str(exc))
    st.stop()
assert current.id is not None
periods = periods_of_year(analysis.year)
period = (
    ui.select(EXPORT_LABELS["period"], periods, key="uppfoljning_period", index=0) or periods[0]
)
summary: FollowupReport = ui.cached(plan.followup_summary, cat, current.id, period)

cols = st.columns(5)
for column, (name, count) in zip(cols, summary.status_counts.labelled(), strict=False):
    column.metric(name.capitalize(), count)
cols[4].metric("Försenade åtgärder", len(summary.overdue_actions))


def results_section() -> None:
    st.subheader(EXPORT_LABELS["control_activity"])
    st.dataframe(
        [
            {
                label("title"): c.risk,
                EXPORT_LABELS["control_activity"]: c.control,
                label("status"): ui.status_text(c.status),
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
    if not controls:
        return
    show_saved("resultat")
    with st.form("resultat"):
        control_id = ui.select(
            EXPORT_LABELS["control_activity"],
            list(controls),
            key="resultat_kontroll",
            format_func=lambda k: f"{controls[k].risk}: {controls[k].control}",
        )
        status = st.radio(
            label("status"),
            [FROM_SAMPLING, *[s.value for s in FollowupStatus]],
            horizontal=True,
            help="Från egenkontroll: resultatet hämtas från stickprovets utvärdering för perioden.",
        )
        result = st.text_input(EXPORT_LABELS["result"])
        comment = st.text_input(label("comment"))
        if not st.form_submit_button("Spara resultat", type="primary"):
            return
    errors = ui.missing({EXPORT_LABELS["control_activity"]: control_id})
    if errors or control_id is None:
        ui.field_errors(errors)
        return
    chosen: int = control_id
    save_and_refresh(
        "resultat",
        lambda: plan.record_control_followup(
            ui.uow(),
            cat,
            chosen,
            period,
            status=None if status == FROM_SAMPLING else FollowupStatus(status),
            result=result,
            comment=comment,
        ),
        "Resultatet är sparat.",
    )


def actions_section() -> None:
    st.subheader("Åtgärder")
    st.dataframe(
        [
            {
                label("title"): a.risk,
                EXPORT_LABELS["action"]: a.what,
                EXPORT_LABELS["responsible"]: a.owner,
                EXPORT_LABELS["due_date"]: a.due_date.isoformat() if a.due_date else "–",
                label("status"): a.status.value,
                EXPORT_LABELS["overdue"]: yes_no(a.overdue),
            }
            for a in summary.actions
        ],
        hide_index=True,
        width="stretch",
    )
    actions = {a.action_id: a for a in summary.actions}
    if not actions:
        return
    show_saved("atgardsstatus")
    with st.form("atgardsstatus"):
        action_id = ui.select(
            EXPORT_LABELS["action"],
            list(actions),
            key="status_atgard",
            format_func=lambda k: actions[k].what,
        )
        new_status = ui.select(
            "Ny status", list(ActionStatus), key="status_ny", format_func=lambda s: s.value
        )
        if not st.form_submit_button("Spara status"):
            return
    errors = ui.missing({EXPORT_LABELS["action"]: action_id, "Ny status": new_status})
    if errors or action_id is None or new_status is None:
        ui.field_errors(errors)
        return
    chosen, status = action_id, new_status
    save_and_refresh(
        "atgardsstatus",
        lambda: plan.set_action_status(ui.uow(), chosen, status, actions[chosen].version),
        "Statusen är sparad.",
    )


def residual_section() -> None:
    st.subheader("Kvarvarande risk")
    risks = {r.plan_risk_id: r for r in summary.risks}
    if not risks:
        return
    show_saved("omvardering")
    with st.form("omvardering"):
        plan_risk_id = ui.select(
            label("title"),
            list(risks),
            key="omvardering_risk",
            format_func=lambda k: risks[k].title,
        )
        score_cols = st.columns(2)
        with score_cols[0]:
            s_value = ui.select(
                label("likelihood"), list(range(1, scale.max_likelihood + 1)), key="omv_s"
            )
        with score_cols[1]:
            k_value = ui.select(
                label("consequence"), list(range(1, scale.max_consequence + 1)), key="omv_k"
            )
        comment = st.text_input("Kommentar till omvärderingen")
        if st.form_submit_button("Spara omvärdering"):
            errors = ui.missing(
                {label("title"): plan_risk_id, label("likelihood"): s_value}
                | {label("consequence"): k_value}
            )
            if errors or plan_risk_id is None or s_value is None or k_value is None:
                ui.field_errors(errors)
            else:
                chosen, s, k = plan_risk_id, s_value, k_value
                save_and_refresh(
                    "omvardering",
                    lambda: plan.record_risk_followup(ui.uow(), cat, chosen, period, s, k, comment),
                    "Omvärderingen är sparad.",
                )
    matrix = build_matrix(
        scale,
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
        f"(risker utan omvärdering visas inte). Dagens datum: "
        f"{ui.app().clock.today().isoformat()}."
    )


results_section()
actions_section()
residual_section()
