"""One risk of the internkontrollplan: its treatment, kontrollmoment and åtgärder.

Each risk is a fragment: opening it, editing its tables or a failed save redraws only that
risk, not the page. Only an open risk draws its forms, so a plan of many risks opens fast.
Whether a risk is open is kept in the session, so a save (which redraws the whole page to
update its counters) leaves it open.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import streamlit as st

from riskmotor.domain.plan import PlanAction, PlanControl, Strategy
from riskmotor.domain.terms import EXPORT_LABELS, label
from riskmotor.reports.plan import PlanRiskView
from riskmotor.services import plan
from streamlit_app import ui
from streamlit_app.components.plan_feedback import save_and_refresh, show_saved
from streamlit_app.components.plan_tables import action_spec, control_spec, editable_table

OPEN_RISKS = "plan_open_risks"
CHANGED = "ändrad efter beslut"


NO_TARGET_HELP = "Lämna tomt om risken inte har något mål."


@dataclass(frozen=True)
class PanelContext:
    """What every risk panel of the page needs besides its own risk."""

    plan_id: int
    editable: bool
    max_likelihood: int
    max_consequence: int
    sampling_plans: Mapping[int, str]


def heading(item: PlanRiskView) -> str:
    text = f"{item.risk.title} – {label('risk_value').lower()} {item.plan_risk.risk_value}"
    if not item.controls:
        text += " (saknar kontrollmoment)"
    if item.changed_since_decision:
        text += f" – {CHANGED}"
    return text


def _remember_open(plan_risk_id: int, key: str) -> None:
    opened: set[int] = st.session_state.setdefault(OPEN_RISKS, set())
    if st.session_state.get(key):
        opened.add(plan_risk_id)
    else:
        opened.discard(plan_risk_id)


@ui.fragment
def risk_panel(context: PanelContext, plan_risk_id: int) -> None:
    view = ui.cached(plan.view, ui.catalog(), context.plan_id)
    item = next((r for r in view.included if r.plan_risk.id == plan_risk_id), None)
    if item is None:
        st.info("Risken ingår inte längre i planen. Ladda om sidan.")
        return
    key = f"plan_risk_{plan_risk_id}"
    box = st.expander(
        heading(item),
        expanded=plan_risk_id in st.session_state.get(OPEN_RISKS, set()),
        key=key,
        on_change=_remember_open,
        args=(plan_risk_id, key),
    )
    with box:
        if box.open:
            _contents(context, item)


def _contents(context: PanelContext, item: PlanRiskView) -> None:
    plan_risk_id = item.plan_risk.id or 0
    st.caption(item.plan_risk.reason)
    if context.editable:
        _treatment_form(context, item)
    else:
        strategy = item.plan_risk.strategy.value if item.plan_risk.strategy else "–"
        st.markdown(f"**{EXPORT_LABELS['strategy']}:** {strategy}")
    st.markdown(f"**{EXPORT_LABELS['control_activity']}**")
    spec = control_spec(context.sampling_plans)
    if context.editable:
        show_saved(f"kontroll_{plan_risk_id}")
        editable_table(plan_risk_id, item.controls, spec, context.sampling_plans)
    else:
        _read_only(item.controls, spec.fields, spec.columns, context.sampling_plans)
    st.markdown(f"**{EXPORT_LABELS['action']} (behandlingsplan)**")
    actions = action_spec()
    if context.editable:
        show_saved(f"atgard_{plan_risk_id}")
        editable_table(plan_risk_id, item.actions, actions)
    else:
        _read_only(item.actions, actions.fields, actions.columns, {})


def _read_only(
    items: Sequence[PlanControl | PlanAction],
    fields: tuple[str, ...],
    columns: Mapping[str, Mapping[str, object]],
    plans: Mapping[int, str],
) -> None:
    if not items:
        st.caption("Inga ännu.")
        return
    rows = []
    for item in items:
        values = item.model_dump(mode="json")
        row = {}
        for field in fields:
            value = values[field]
            if field == "egenkontroll_plan_id":
                value = plans.get(value, "") if value is not None else ""
            row[str(columns[field]["label"])] = "" if value is None else str(value)
        rows.append(row)
    st.dataframe(rows, hide_index=True, width="stretch")


def _treatment_form(context: PanelContext, item: PlanRiskView) -> None:
    plan_risk_id = item.plan_risk.id or 0
    place = f"behandling_{plan_risk_id}"
    show_saved(place)
    current = item.plan_risk
    with st.form(place, border=False):
        cols = st.columns(3)
        strategies = list(Strategy)
        with cols[0]:
            strategy = ui.select(
                EXPORT_LABELS["strategy"],
                strategies,
                key=f"{place}_strategi",
                format_func=lambda s: s.value,
                index=strategies.index(current.strategy) if current.strategy else None,
            )
        likelihoods = list(range(1, context.max_likelihood + 1))
        consequences = list(range(1, context.max_consequence + 1))
        with cols[1]:
            target_s = ui.select(
                EXPORT_LABELS["target_likelihood"],
                likelihoods,
                key=f"{place}_mal_s",
                index=likelihoods.index(current.target_likelihood)
                if current.target_likelihood
                else None,
                help=NO_TARGET_HELP,
            )
        with cols[2]:
            target_k = ui.select(
                EXPORT_LABELS["target_consequence"],
                consequences,
                key=f"{place}_mal_k",
                index=consequences.index(current.target_consequence)
                if current.target_consequence
                else None,
                help=NO_TARGET_HELP,
            )
        if not st.form_submit_button("Spara behandlingsplan"):
            return
    errors = ui.missing({EXPORT_LABELS["strategy"]: strategy})
    if (target_s is None) != (target_k is None):
        empty = EXPORT_LABELS["target_likelihood" if target_s is None else "target_consequence"]
        errors[empty] = "ange både sannolikhet och konsekvens för målet, eller inget av dem."
    if errors or strategy is None:
        ui.field_errors(errors)
        return
    save_and_refresh(
        place,
        lambda: plan.set_treatment(
            ui.uow(), ui.catalog(), plan_risk_id, strategy, target_s, target_k
        ),
        "Behandlingsplanen är sparad.",
    )
